"""The page's words and headline numbers in one language.

:class:`Text` formats through the message catalogue (``lsg_analysis.outputs.i18n``); :func:`texts` gives the page
messages and the KPI cards. Which numbers lead (which Theil change, which border comparison, which consultation
rates) is decided by :mod:`lsg_analysis.outputs.headlines`, not here.
"""

from __future__ import annotations

import math
import re
from typing import Any

from lsg_analysis.outputs import flag_texts, headlines
from lsg_analysis.outputs.dashboard.inputs import CONTEXT, NOTEBOOKS, DashboardInputs
from lsg_analysis.runs import results

#: catalogue keys of the drafts table's column headers
DRAFT_HEADERS = {
    "draft_id": "dash_col_draft_id",
    "title": "dash_col_title",
    "year": "year",
    "act_type": "dash_col_act_type",
    "drafting_body": "dash_col_drafting_body",
    "public_record": "dash_col_public_record",
}
#: act types of the register schema (consultation_register_schema.csv, act_type), shown translated
ACT_TYPES = (
    "constitutional_law",
    "law",
    "code",
    "presidential_decree",
    "presidential_order",
    "cabinet_resolution",
    "cabinet_order",
    "ministerial_order",
    "agency_order",
    "jk_resolution",
    "national_bank_act",
    "other",
)
#: catalogue keys the page shows directly (data-i18n attributes and app.js)
PAGE_KEYS = (
    "dash_title",
    "dash_intro",
    "map",
    "ranking",
    "dash_nav_trend",
    "dash_nav_border",
    "dash_nav_consult",
    "dash_nav_context",
    "dash_section_context",
    "dash_ctx_note",
    "data_sources",
    "sources_titles_note",
    "data_years",
    "language",
    "indicator",
    "year",
    "source",
    "download_data_csv",
    "no_data_available",
    "national_average",
    "yes",
    "no",
    "unknown",
    "dash_section_map",
    "dash_section_ranking",
    "dash_section_trend",
    "dash_section_border",
    "dash_section_consult",
    "dash_level",
    "dash_level_oblast",
    "dash_level_rayon",
    "dash_no_data_key",
    "dash_trend_band",
    "dash_other_measures",
    "dash_rates_title",
    "c_year_table",
    "dash_drafts_title",
    "profile_kicker",
    "profile_note",
    "dash_profile_choose",
    *DRAFT_HEADERS.values(),
    *(f"dash_act_{a}" for a in ACT_TYPES),
)
KPI = dict[str, str]


def num(x: Any) -> float | None:
    """``x`` as a finite float; ``None`` for missing, booleans, text and NaN/inf."""
    if x is None or isinstance(x, bool):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def int_text(x: Any) -> str:
    """A count as text (``–`` when missing)."""
    v = num(x)
    return "–" if v is None else str(int(round(v)))


def period(years: list[Any]) -> str:
    """``2012–2022`` (or one year) from a list of years (:func:`lsg_analysis.outputs.i18n.year_span`); ``""`` when
    there is none."""
    from lsg_analysis.outputs import i18n

    ys = sorted({int(y) for y in years if num(y) is not None})
    return i18n.year_span(ys[0], ys[-1]) if ys else ""


def run_window(res: dict[str, Any]) -> str:
    """The recorded window of a run's results (``"2012-2020"``) as printed, ``2012–2020`` (:func:`i18n.span_text`)."""
    from lsg_analysis.outputs import i18n

    return i18n.span_text(results.value(res, "window"))


class Text:
    """Catalogue access for one language (``lsg_analysis.outputs.i18n``)."""

    def __init__(self, lang: str):
        from lsg_analysis.outputs import i18n

        self.lang = lang
        self.i18n = i18n

    def __call__(self, key: str, **fmt: Any) -> str:
        return self.i18n.t(key, self.lang, **fmt)

    def num(self, x: Any, decimals: int = 1, sign: bool = False) -> str:
        return self.i18n.fmt_number(num(x), self.lang, decimals, sign=sign)

    def pct(self, x: Any, decimals: int = 1, *, fraction: bool = False, sign: bool = False) -> str:
        return self.i18n.fmt_percent(num(x), self.lang, decimals, fraction=fraction, sign=sign)

    def date(self, d: Any) -> str:
        return self.i18n.fmt_date(d, self.lang)

    def p(self, p: Any) -> str:
        """A p-value: three decimals, ``< 0,001`` below that."""
        v = num(p)
        if v is None:
            return self.i18n.no_data(self.lang)
        return "< " + self.num(0.001, 3) if v < 0.001 else self.num(v, 3)

    def ci(self, low: str, high: str) -> str:
        """``95 % CI low–high`` of two formatted bounds."""
        return f"{self('ci95')} {low}–{high}"

    def bounds(self, low: str, high: str) -> str:
        """``bounds if unknowns are no / yes low–high`` of two formatted bounds."""
        return f"{self('bounds_unknown')} {low}–{high}"


def data_date(inputs: DashboardInputs) -> str | None:
    """The newest ``accessed`` (else ``published``) date of the sources used: the page's "data as of"."""
    dates = [str(s.get("accessed") or s.get("published") or "")[:10] for s in inputs.sources.values()]
    dates = [d for d in dates if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)]
    return max(dates) if dates else None


def texts(inputs: DashboardInputs, lang: str) -> tuple[dict[str, str], dict[str, list[KPI]]]:
    """Page messages of ``lang`` (catalogue keys + pre-filled sentences ``_*``) and the headline numbers."""
    tx = Text(lang)
    imb, mig, con = (inputs.results[nb] for nb in NOTEBOOKS)
    kpis = {
        "trend": _flag_kpi_notes(tx, imb, _trend_kpis(tx, imb)),
        "border": _border_kpis(tx, mig),
        "consult": _consult_kpis(tx, con),
        "context": _context_kpis(tx, inputs.results.get(CONTEXT, {})),
    }
    return {**_messages(tx, inputs), **_flag_messages(tx, imb, mig)}, kpis


def _kpi(value: str, label: str, note: str = "") -> KPI:
    return {"value": value, "label": label, "note": note}


def _level_text(tx: Text, level: Any) -> str:
    return tx(f"level_{level}") if level in ("oblast", "rayon") else str(level or "")


def _rayon_year(tx: Text, mig: dict[str, Any]) -> str:
    """The year of the rayon poverty comparison (notebook 02's metric), or "no data"."""
    return (mig.get("metrics", {}).get("rayon_poverty_gap_pp") or {}).get("year") or tx.i18n.no_data(tx.lang)


def _messages(tx: Text, inputs: DashboardInputs) -> dict[str, str]:
    """The catalogue keys of :data:`PAGE_KEYS` and the sentences filled from the results (``_*``)."""
    msgs = {k: tx(k) for k in PAGE_KEYS}
    imb, mig, con = (inputs.results[nb] for nb in NOTEBOOKS)
    indicator = results.value(imb, "indicator")
    ind_name = tx.i18n.indicator_name(indicator, tx.lang) if indicator else tx.i18n.no_data(tx.lang)
    trend_years = [r["year"] for r in results.rows(imb, "trend")]
    msgs["_trend_title"] = tx(
        "dash_trend_title" if headlines.weighted(imb) else "dash_trend_title_unweighted",
        indicator=tx.i18n.in_sentence(tx.i18n.without_level(ind_name, str(results.value(imb, "level")), tx.lang)),
        level=_level_text(tx, results.value(imb, "level")),
        period=period(trend_years),
    )
    window = run_window(mig)
    mig_level = results.value(mig, "level") or mig.get("parameters", {}).get("level")
    msgs["_border_title"] = (
        tx("dash_border_title_levels", window=window, year=_rayon_year(tx, mig))
        if headlines.border_headline(mig) == "rayon_poverty"
        else tx("dash_border_title", level=_level_text(tx, mig_level), window=window)
    )
    msgs["_growth_title"] = tx("dash_growth_title", window=window)
    migration = flag_texts.migration_series_lines(mig, tx.lang)
    msgs["_border_migration"] = " ".join([*migration, tx("net_migration_caveat")]) if migration else ""
    msgs["_consult_caveat"] = (
        tx("c_caveat")
        + " "
        + tx(
            "dash_sample_n",
            n=int_text(results.value(con, "n_rows")),
            n_state=int_text(results.value(con, "n_state_drafts")),
        )
    )
    cons = headlines.consultation(con)
    if cons.n_updates:
        msgs["_consult_caveat"] += " " + tx(
            "c_updates_note", n=cons.n_updates, n_drafts=cons.n_updated_drafts, date=tx.date(cons.updates_date)
        )
    msgs["_footer"] = tx("dash_footer", version=inputs.version, date=tx.date(data_date(inputs)))
    ctx = headlines.context(inputs.results.get(CONTEXT, {}))
    msgs["_ctx_title"] = tx(
        "dash_ctx_chart", source=tx(f"ctx_source_{ctx.source}") if ctx.source else "", year=int_text(ctx.year)
    )
    msgs["_ctx_gdl_title"] = tx("dash_ctx_chart_gdl", year=int_text(ctx.gdl_year))
    return msgs


def _trend_kpis(tx: Text, imb: dict[str, Any]) -> list[KPI]:
    """Theil T of the last year (with CI), its change (``headlines.theil_change``) with the test of its bootstrap
    interval as the note, Gini of the last year, and β convergence with its segment (:func:`_beta_kpi`)."""

    def m(k: str) -> Any:
        return results.value(imb, k)

    y_last, y_first = m("year_last"), m("year_first")
    change = headlines.theil_change(imb)
    change_label = (
        tx("f_change_unbroken_label", first=int_text(change.first), last=int_text(change.last))
        if change.unbroken and change.value is not None
        else tx("f_change_label", first=int_text(y_first), last=int_text(y_last))
    )
    note = headlines.change_test(imb).label_note
    if note and num(change.value) is not None:  # the size is an estimate only: no change is claimed
        change_label += " " + tx(note)
    return [
        _kpi(
            tx.num(m("theil_last"), 3),
            tx("f_theil_label", year=int_text(y_last)),
            tx.ci(tx.num(m("theil_last_ci_low"), 3), tx.num(m("theil_last_ci_high"), 3)),
        ),
        _kpi(
            tx.pct(change.value, 1, sign=True),
            change_label,
            tx("f_change_break") if num(change.value) is None else _change_note(tx, headlines.change_test(imb)),
        ),
        _kpi(tx.num(m("gini_last"), 3), tx("dash_kpi_gini", year=int_text(y_last))),
        _beta_kpi(tx, imb),
    ]


def _change_note(tx: Text, test: headlines.ChangeTest) -> str:
    """The test of the Theil change: up or down only when its 95 % interval excludes 0."""
    return tx(test.message, low=tx.num(test.low, 3, sign=True), high=tx.num(test.high, 3, sign=True))


def _beta_kpi(tx: Text, imb: dict[str, Any]) -> KPI:
    """β convergence within its segment (``headlines.convergence``): "gaps closing/widening" only when p < the
    significance level; the note is p and n, the label the segment's years."""
    beta = headlines.convergence(imb, "beta")
    if beta.verdict == "not_measured":
        return _kpi(tx.i18n.no_data(tx.lang), tx("dash_kpi_beta", first="–", last="–"), tx("f_beta_not_measured"))
    return _kpi(
        tx(f"dash_beta_{beta.verdict}"),
        tx("dash_kpi_beta", first=int_text(beta.first), last=int_text(beta.last)),
        f"p = {tx.p(beta.p)}, n = {int_text(beta.n)}",
    )


def _border_kpis(tx: Text, mig: dict[str, Any]) -> list[KPI]:
    """Rayon poverty gap (when ``headlines.border_headline`` leads with it), growth border/interior, the gap."""

    def m(k: str) -> Any:
        return results.value(mig, k)

    window = run_window(mig)
    lead = []
    if headlines.border_headline(mig) == "rayon_poverty":
        note = tx(
            "dash_rayon_poverty_note",
            border=tx.pct(m("rayon_poverty_border_pct"), 1),
            interior=tx.pct(m("rayon_poverty_interior_pct"), 1),
            p=tx.p(m("rayon_poverty_gap_p")),
            n_border=int_text(m("n_border_rayons")),
            n_interior=int_text(m("n_interior_rayons")),
        )
        lead = [
            _kpi(
                tx.num(m("rayon_poverty_gap_pp"), 1, sign=True) + "\u00a0" + tx("unit_pp"),
                tx("f_rayon_poverty_label", year=_rayon_year(tx, mig)),
                note,
            )
        ]
    gap_note = "; ".join(
        [
            "p = " + tx.p(m("growth_gap_p")),
            tx("dash_n_units", n_border=int_text(m("growth_n_border")), n_interior=int_text(m("growth_n_interior"))),
            *_interior_text(tx, headlines.interior_units(mig)),
        ]
    )
    return [
        *lead,
        _kpi(tx.pct(m("growth_border_pct"), 2, sign=True), tx("col_border"), tx("m_growth_pct")),
        _kpi(tx.pct(m("growth_interior_pct"), 2, sign=True), tx("col_interior"), tx("m_growth_pct")),
        _kpi(
            tx.num(m("growth_gap_pp"), 2, sign=True) + "\u00a0" + tx("unit_pp"),
            tx("f_border_label", window=window),
            gap_note,
        ),
        _kpi(int_text(m("n_depopulating")), tx("dash_kpi_depopulating", window=window)),
    ]


def _consult_kpis(tx: Text, con: dict[str, Any]) -> list[KPI]:
    """Public-record share with n and its bounds (a CI only for a declared census or random sample),
    consultation rate and median days (``headlines.consultation``)."""

    def m(k: str) -> Any:
        return results.value(con, k)

    cons = headlines.consultation(con)
    interval = tx.ci if cons.sampled else tx.bounds
    low, high = (cons.ci_low, cons.ci_high) if cons.sampled else (cons.bound_low, cons.bound_high)
    return [
        _kpi(
            tx.pct(m("public_record_share"), 1, fraction=True),
            tx("f_consult_label"),
            f"n = {int_text(cons.n_state_drafts)}; "
            + interval(tx.pct(low, 1, fraction=True), tx.pct(high, 1, fraction=True)),
        ),
        _kpi(
            tx("dash_insufficient_data") if num(cons.rate) is None else tx.pct(cons.rate, 1, fraction=True),
            tx("c_rate_label"),
            f"{tx('c_n_known_label')}: {int_text(m('consultation_rate_n_known'))}; "
            f"{tx('c_unknown_label')}: {tx.pct(m('consultation_rate_unknown_share'), 0, fraction=True)}",
        ),
        _kpi(
            tx("dash_insufficient_data") if num(cons.median_days) is None else tx.num(cons.median_days, 0),
            tx("c_median_days_label"),
        ),
    ]


def _context_kpis(tx: Text, ctx: dict[str, Any]) -> list[KPI]:
    """Kyrgyzstan's value and rank among the comparison's countries, and its like-for-like rank from its Global
    Data Lab regions (``headlines.context``); n_regions beside each value."""
    c = headlines.context(ctx)
    digits = 3 if c.measure in ("theil", "gini", "cv") else 1
    measure = tx(f"ctx_measure_{c.measure}") if c.measure else tx.i18n.no_data(tx.lang)
    source = tx(f"ctx_source_{c.source}") if c.source else tx.i18n.no_data(tx.lang)
    n = tx("dash_ctx_n", n=int_text(c.n_regions))
    return [
        _kpi(tx.num(c.value, digits), tx("dash_ctx_value_label", measure=measure, year=int_text(c.year)), n),
        _kpi(
            f"{int_text(c.rank)}\u00a0/\u00a0{int_text(c.n_ranked)}",
            tx("dash_ctx_rank_label", source=source),
            tx("dash_ctx_median", median=tx.num(c.median, digits)),
        ),
        _kpi(
            f"{int_text(c.gdl_rank)}\u00a0/\u00a0{int_text(c.gdl_n_ranked)}",
            tx("dash_ctx_gdl_label", year=int_text(c.gdl_year)),
            tx("dash_ctx_n", n=int_text(c.gdl_n_regions)),
        ),
    ]


def _interior_text(tx: Text, codes: list[str]) -> list[str]:
    """``["interior units: Bishkek city, Osh city"]`` from the interior units' codes; [] if there are none."""
    names = [tx.i18n.region_name(c, tx.lang) for c in codes]
    return [tx("dash_interior_units", units=", ".join(names))] if names else []


def _flag_kpi_notes(tx: Text, imb: dict[str, Any], kpis: list[KPI]) -> list[KPI]:
    """The Theil and change cards (the first two of :func:`_trend_kpis`) with their value without the flagged
    cells added to the note when it differs materially (:func:`lsg_analysis.outputs.headlines.sensitivity`)."""
    sens = headlines.sensitivity(imb)
    values = (tx.num(sens.theil_last.unflagged, 3), tx.pct(sens.change.unflagged, 1, sign=True))
    out = [dict(k) for k in kpis]
    for card, item, text in zip(out, (sens.theil_last, sens.change), values):
        note = flag_texts.card_note(item, text, tx.lang)
        card["note"] = "; ".join(x for x in (card["note"], note) if x)
    return out


def _flag_messages(tx: Text, imb: dict[str, Any], mig: dict[str, Any]) -> dict[str, str]:
    """``_trend_flags``: the sensitivity sentence and the footnote naming the flagged cells (unit, year, rule),
    shown under the trend chart; ``_border_flags``: a sentence per border comparison that reads flagged cells."""
    sens = headlines.sensitivity(imb)
    trend = " ".join(
        x for x in (flag_texts.sensitivity_line(sens, tx.lang), flag_texts.flag_note(sens.cells, tx.lang)) if x
    )
    return {"_trend_flags": trend, "_border_flags": " ".join(flag_texts.border_lines(mig, tx.lang))}
