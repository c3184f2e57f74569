"""The policy brief: a 2–4 page PDF in Kyrgyz, Russian or English, rendered with Typst from the notebooks' results.

Inputs are only the results files ``reports/results/{01_imbalance,02_migration_border,03_consultations}.json``
(contract: ``docs/results.md``) and the processed boundaries for the map. Every sentence comes from the
translation catalogue (:mod:`lsg_analysis.i18n`) in the brief's language and every number is formatted for it.

The Typst template (``templates/brief.typ``) reads everything as data from ``data.json`` (``json(...)``), so a
string from the data (a draft title with ``#``, ``[``, ``*``, ``$``, ``\\``) is shown as text, never parsed as
markup. Fonts are Typst's bundled fonts only (``ignore_system_fonts``): Libertinus Serif (SIL OFL 1.1), which
covers Kyrgyz ң ө ү; chart text is drawn as paths from matplotlib's bundled DejaVu Sans. The document date is
``none`` and the charts carry no timestamp, so the same inputs give a byte-identical PDF.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsg_analysis.core import atomic, paths
from lsg_analysis.core.levels import LANGS, parse_lang, parse_level
from lsg_analysis.outputs import headlines, i18n, recommend, units
from lsg_analysis.runs import results as results_mod
from lsg_analysis.core.errors import LsgError
from lsg_analysis.outputs.i18n import fmt_number, fmt_percent, t

NOTEBOOKS = results_mod.NOTEBOOKS
IMB, MIG, CON = NOTEBOOKS
TEMPLATE = Path(__file__).resolve().parent / "templates" / "brief.typ"
BRIEFS = paths.REPORTS / "briefs"
MAX_SOURCES = 14
MAX_DRAFTS = 3
RANKING_ENDS = 6
SVG_SALT = "lsg-brief"
#: The text ending less than this far down its last page (pt from the top of A4, 842 pt; the top margin is 45 pt)
#: counts as a nearly empty last page: the brief is set again slightly denser, kept if that saves the page.
NEAR_EMPTY_PT = 250.0


def build_briefs(lang: str = "all", out_dir: str | Path | None = None, *, results_dir: str | Path | None = None,
                 boundaries: Any = None, date: dt.date | None = None) -> list[Path]:
    """Write ``<out_dir>/brief_<lang>.pdf`` (default ``reports/briefs``) for ``lang`` in ky|ru|en|all.

    ``boundaries``: a GeoDataFrame (code, geometry) for the map; default ``load_boundaries`` of the results' level.
    ``date``: the date printed on the brief; default ``SOURCE_DATE_EPOCH`` if set, else today (UTC).
    """
    langs = list(LANGS) if parse_lang(lang, allow_all=True) == "all" else [lang]
    results = load_all(results_dir)
    if boundaries is None:
        boundaries = _boundaries(results)
    day = date or _today()
    out = Path(out_dir) if out_dir is not None else BRIEFS
    written = []
    for code in langs:
        pdf = render_pdf(code, results, boundaries, day)
        written.append(atomic.write_bytes(out / f"brief_{code}.pdf", pdf))
    return written


def load_all(results_dir: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The three notebooks' results; a clear error (run `lsg run` first) when one is missing."""
    return results_mod.load_all(results_dir)


def _today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return now.date()


def _boundaries(results: dict[str, dict[str, Any]]) -> Any:
    from lsg_analysis.geo import boundaries as geo_boundaries

    level = parse_level(results_mod.value(results["01_imbalance"], "level") or "oblast", allowed=(1, 2))
    try:
        return geo_boundaries.load_boundaries(level)
    except (ImportError, AttributeError) as exc:  # loader not built yet
        raise LsgError(f"boundaries for the brief's map are not available ({exc}): run `lsg data build` first") from exc


def render_pdf(lang: str, results: dict[str, dict[str, Any]], boundaries: Any, date: dt.date) -> bytes:
    """The PDF bytes of the brief in ``lang``."""
    content = brief_content(lang, results, date)
    with tempfile.TemporaryDirectory(prefix="lsg-brief-") as tmp:
        root = Path(tmp)
        (root / "brief.typ").write_bytes(TEMPLATE.read_bytes())
        (root / "map.svg").write_bytes(map_svg(lang, results, boundaries))
        (root / "trend.svg").write_bytes(trend_svg(lang, results))
        pdf, end = _compile(root, lang, content, dense=False)
        if end["page"] > 1 and end["y"] < NEAR_EMPTY_PT:  # a nearly empty last page: try slightly smaller type
            dense, dense_end = _compile(root, lang, content, dense=True)
            if dense_end["page"] < end["page"]:  # kept only when it saves the page
                return dense
        return pdf


def _compile(root: Path, lang: str, content: dict[str, Any], *, dense: bool) -> tuple[bytes, dict[str, Any]]:
    """The PDF and where its text ends (``{"page": n, "y": pt}``, the template's ``<brief-end>``)."""
    import typst

    (root / "data.json").write_text(json.dumps({**content, "dense": dense}, ensure_ascii=False), encoding="utf-8")
    kw = {"root": str(root), "font_paths": [], "ignore_system_fonts": True}
    try:
        pdf = typst.compile(str(root / "brief.typ"), **kw)
        end = typst.query(str(root / "brief.typ"), "<brief-end>", field="value", one=True, **kw)
    except typst.TypstError as exc:  # a template bug, not user input: keep Typst's message
        raise RuntimeError(f"typst could not render the {lang} brief: {exc}") from exc
    return pdf, json.loads(end)


# ---------------------------------------------------------------- numbers and text


def _share(results: dict[str, dict[str, Any]], nb: str, key: str, lang: str, **kw: Any) -> str:
    """A share as percent; the metric's unit says whether it is a fraction (0–1) or already per cent."""
    m = results_mod.metric(results[nb], key)
    return fmt_percent(m.get("value"), lang, fraction=units.is_fraction(m.get("unit")), **kw)


def fmt_p(p: float | None, lang: str, *, prefix: bool = True) -> str:
    """A p-value with three decimals: ``p = 0,234``, ``p < 0,001`` (``prefix=False``: ``0,234``, ``< 0,001``);
    no-break spaces, so a line never ends in ``p =``."""
    small = isinstance(p, (int, float)) and 0 <= p < 0.001
    text = fmt_number(0.001 if small else p, lang, 3)
    nb = i18n.NBSP
    if small:
        return (f"p{nb}<{nb}" if prefix else "<" + nb) + text
    return f"p{nb}={nb}{text}" if prefix and p is not None else text


def _region(code: Any, lang: str) -> str:
    return i18n.region_name(str(code), lang) if code else i18n.no_data(lang)


def _year_int(value: Any) -> int | None:
    """A year as int from ``2021``, ``2021.0`` or ``"2021"``; None for anything else (``"unknown"``, null)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _year(value: Any, lang: str) -> str:
    """A year for display; the register's ``unknown`` → "unknown", missing → "no data", in ``lang``."""
    year = _year_int(value)
    if year is not None:
        return str(year)
    if str(value).strip().lower() == "unknown":
        return t("unknown", lang)
    return i18n.no_data(lang) if value in (None, "") else str(value)


def _window(value: Any) -> str:
    return str(value).replace("-", "–") if value else ""


@dataclass(frozen=True)
class _Reader:
    """The results of the three notebooks, read for one language."""

    lang: str
    results: dict[str, dict[str, Any]]

    def metric(self, nb: str, key: str) -> dict[str, Any]:
        return results_mod.metric(self.results[nb], key)

    def v(self, nb: str, key: str) -> Any:
        return self.metric(nb, key).get("value")

    def share(self, nb: str, key: str, **kw: Any) -> str:
        return _share(self.results, nb, key, self.lang, **kw)

    def rows(self, nb: str, key: str) -> list[dict[str, Any]]:
        return results_mod.rows(self.results[nb], key)

    def t(self, key: str, **fmt: Any) -> str:
        return t(key, self.lang, **fmt)

    @property
    def no_data(self) -> str:
        return i18n.no_data(self.lang)

    @property
    def years(self) -> tuple[Any, Any]:
        return self.v(IMB, "year_first"), self.v(IMB, "year_last")

    @property
    def indicator(self) -> str:
        ind = self.v(IMB, "indicator")
        return i18n.indicator_name(str(ind), self.lang) if ind else self.no_data

    @property
    def level(self) -> str:
        return self.t(f"level_{self.v(IMB, 'level') or 'oblast'}")


def brief_content(lang: str, results: dict[str, dict[str, Any]], date: dt.date) -> dict[str, Any]:
    """Everything the template shows, as strings in ``lang`` (the template adds no words of its own)."""
    from lsg_analysis.core.version import VERSION as __version__

    r = _Reader(i18n.check_lang(lang), results)
    first, last = r.years
    imbalance, border, consult, sources = _imbalance(r), _border(r), _consultations(r), _sources_part(r)
    findings = [*imbalance.pop("findings"), *border.pop("findings"), *consult.pop("findings")]
    for f in findings:  # "no data" in place of a number: set smaller than a number
        f["missing"] = f["value"] == r.no_data
    data_date = i18n.fmt_date(sources.pop("accessed"), lang)
    meta = [[r.t("date"), i18n.fmt_date(date, lang)], [r.t("data_years"), r.t("year_range", first=first, last=last)],
            [r.t("data_last_updated"), data_date], [r.t("version"), __version__]]
    text = {"kicker": r.t("policy_brief"), "title": r.t("brief_title"), "findings": r.t("findings"),
            "sec_imbalance": r.t("sec_imbalance"), "sec_border": r.t("sec_border"), "sec_consult": r.t("sec_consult"),
            "recommendations": r.t("recommendations"), "method": r.t("methodology_and_sources"),
            "data_sources": r.t("data_sources"), "ranking": _ranking_title(r),
            "page_of": r.t("page_of", page="{page}", total="{total}"),
            "footer": f"{r.t('policy_brief')} · {r.t('version')} {__version__} · {r.t('data_last_updated')}: "
                      f"{data_date}",
            "caveat": r.t("c_caveat"), "drafts": r.t("c_drafts_table")}
    return {"lang": lang, "text": text, "meta": meta, "findings": findings, **imbalance, **border, **consult,
            "recommendations": _recommendations(r), **sources}


def _ranking_title(r: _Reader) -> str:
    """"Ranking, <unit>, <year>": the ranking's numbers carry no unit of their own."""
    unit = str(r.metric(IMB, "top_value").get("unit") or "").strip()
    parts = [r.t("ranking"), *([i18n.unit_label(unit, r.lang)] if units.shows_unit(unit) else []),
             r.t("year_short", year=r.years[1])]
    return ", ".join(parts)


def _imbalance(r: _Reader) -> dict[str, Any]:
    """Findings, ranking, captions and the convergence sentence of notebook 01."""
    first, last = r.years
    ext = headlines.extremes(r.results[IMB], headlines.direction(r.results[IMB]))
    ratio = r.v(IMB, "max_min_ratio_last")
    p = fmt_p(r.v(IMB, "beta_p"), r.lang)
    half_life = r.v(IMB, "beta_half_life_years")
    findings = [
        {"value": fmt_number(r.v(IMB, "theil_last"), r.lang, 3),
         "label": r.t("f_theil_label", year=last),
         "detail": r.t("f_theil_detail", indicator=r.indicator, level=r.level,
                       ci_low=fmt_number(r.v(IMB, "theil_last_ci_low"), r.lang, 3),
                       ci_high=fmt_number(r.v(IMB, "theil_last_ci_high"), r.lang, 3),
                       gini=fmt_number(r.v(IMB, "gini_last"), r.lang, 3))},
        _change_finding(r),
        {"value": r.t("times_value", x=fmt_number(ratio, r.lang)) if ratio is not None else r.no_data,
         "label": r.t("f_ratio_label", year=last),
         "detail": r.t("f_ratio_detail", top=_region(ext.top_code, r.lang),
                       top_value=i18n.fmt_value(ext.top_value, ext.unit, r.lang),
                       bottom=_region(ext.bottom_code, r.lang),
                       bottom_value=i18n.fmt_value(ext.bottom_value, ext.unit, r.lang))},
    ]
    ranking = sorted(((row.get("value"), row.get("code")) for row in r.rows(IMB, "by_region")
                      if row.get("year") == last), key=lambda x: (x[0] is None, -(x[0] or 0)))
    rows = [[_region(code, r.lang), i18n.fmt_value(val, "", r.lang)] for val, code in ranking]
    if len(rows) > 2 * RANKING_ENDS + 1:  # rayon level: the top and the bottom only
        rows = [*rows[:RANKING_ENDS], ["…", "…"], *rows[-RANKING_ENDS:]]
    return {
        "findings": findings,
        "ranking": rows,
        "map_caption": r.t("fig_map_caption", indicator=r.indicator, level=r.level, year=last),
        "trend_caption": r.t("fig_trend_caption", indicator=r.indicator, level=r.level, first=first, last=last),
        "convergence": (r.t("f_convergence_yes", p=p, years=fmt_number(half_life, r.lang))
                        if half_life is not None else r.t("f_convergence_no", p=p)),
    }


def _direction(change: float) -> str:
    return "f_change_up" if change > 0 else "f_change_down" if change < 0 else "f_change_flat"


def _change_finding(r: _Reader) -> dict[str, str]:
    """Change of Theil T over the window; across a declared series break, over the window's longest unbroken
    run instead (:func:`lsg_analysis.outputs.headlines.theil_change`), labelled as such; "no data" when even that is
    missing."""
    first, last = r.years
    change = headlines.theil_change(r.results[IMB])
    if change.value is not None and not change.unbroken:
        return {"value": fmt_percent(change.value, r.lang, sign=True),
                "label": r.t("f_change_label", first=first, last=last), "detail": r.t(_direction(change.value))}
    breaks = ", ".join(f"{a}→{b}" for a, b in headlines.change_breaks(r.results[IMB]))
    if change.value is None or change.first is None or change.last is None:
        return {"value": r.no_data, "label": r.t("f_change_label", first=first, last=last),
                "detail": r.t("f_change_none", breaks=breaks or r.no_data)}
    a, b = change.first, change.last
    return {"value": fmt_percent(change.value, r.lang, sign=True),
            "label": r.t("f_change_unbroken_label", first=a, last=b),
            "detail": " ".join([r.t(_direction(change.value)),
                                r.t("f_change_unbroken_detail", first=a, last=b,
                                    start=fmt_number(r.v(IMB, "theil_unbroken_first"), r.lang, 3),
                                    end=fmt_number(r.v(IMB, "theil_unbroken_last"), r.lang, 3),
                                    window=r.t("year_range", first=first, last=last),
                                    breaks=breaks or r.no_data)])}


def _border(r: _Reader) -> dict[str, Any]:
    """Finding, border-vs-interior table and border/migration lines of notebook 02.

    The finding card is the rural-rayon poverty comparison when the results hold it (all 40 rural rayons with a
    value, n stated: the stronger evidence), else the oblast-level growth gap, whose interior group is only the two
    cities. The table has one row per comparison with its level, year and n.
    """
    lang = r.lang
    gap = r.v(MIG, "growth_gap_pp")
    finding = _rayon_poverty_finding(r) if headlines.border_headline(r.results[MIG]) == "rayon_poverty" else {
        "value": fmt_number(gap, lang, sign=True) + ("" if gap is None else i18n.NBSP + r.t("unit_pp")),
        "label": r.t("f_border_label", window=_window(r.v(MIG, "window"))),
        "detail": r.t("f_border_detail", border=fmt_percent(r.v(MIG, "growth_border_pct"), lang, 2),
                      interior=fmt_percent(r.v(MIG, "growth_interior_pct"), lang, 2),
                      p=fmt_p(r.v(MIG, "growth_gap_p"), lang), n_depop=r.v(MIG, "n_depopulating"),
                      n_units=headlines.measured_units(r.results[MIG]))}
    table = [_border_row(r, c) for c in headlines.border_comparisons(r.results[MIG])]
    km = {k: fmt_number(r.v(MIG, f"border_km_{k.upper()}"), lang, 0) for k in ("kaz", "uzb", "tjk", "chn")}
    net = r.metric(MIG, "net_migration_national_last")
    lines = [
        r.t("border_length", km=fmt_number(r.v(MIG, "border_km_total"), lang, 0), **km)
        if r.v(MIG, "border_km_total") is not None else r.t("border_length_none", value=r.no_data),
        r.t("net_migration_line", year=net.get("year") or r.years[1], value=fmt_number(net["value"], lang, 0),
            rate=fmt_number(r.v(MIG, "net_migration_rate_national_last"), lang),
            source=", ".join(net.get("sources") or []) or r.no_data)
        if net.get("value") is not None else r.t("net_migration_none", value=r.no_data),
    ]
    if headlines.interior_units(r.results[MIG]):
        lines.insert(0, r.t("border_interior_units", units=_interior_names(r), n_depop=r.v(MIG, "n_depopulating"),
                            n_units=headlines.measured_units(r.results[MIG]), window=_window(r.v(MIG, "window"))))
    header = [r.t("col_measure"), r.t("col_border"), r.t("col_interior"), r.t("col_gap"), "p", "n"]
    return {"findings": [finding], "border_header": header, "border_table": table, "border_lines": lines}


def _rayon_poverty_finding(r: _Reader) -> dict[str, str]:
    """The rural-rayon poverty gap (border − interior, p.p.) with both group means, p and the n of each group."""
    lang, gap = r.lang, r.v(MIG, "rayon_poverty_gap_pp")
    year = r.metric(MIG, "rayon_poverty_gap_pp").get("year") or r.no_data
    return {"value": fmt_number(gap, lang, sign=True) + i18n.NBSP + r.t("unit_pp"),
            "label": r.t("f_rayon_poverty_label", year=year),
            "detail": r.t("f_rayon_poverty_detail", n_border=_count(r.v(MIG, "n_border_rayons"), r),
                          n_interior=_count(r.v(MIG, "n_interior_rayons"), r),
                          border=fmt_percent(r.v(MIG, "rayon_poverty_border_pct"), lang),
                          interior=fmt_percent(r.v(MIG, "rayon_poverty_interior_pct"), lang),
                          p=fmt_p(r.v(MIG, "rayon_poverty_gap_p"), lang))}


def _border_row(r: _Reader, c: headlines.Comparison) -> list[str]:
    """``measure (level, year) | border | interior | gap | p | n`` of one recorded comparison."""
    lang = r.lang
    label = f"{r.t(f'measure_{c.measure}')} ({r.t(f'level_{c.level}')}, {_window(c.year) or r.no_data})"
    return [label, fmt_number(c.border, lang, c.decimals), fmt_number(c.interior, lang, c.decimals),
            fmt_number(c.gap, lang, c.decimals, sign=True), fmt_p(c.p, lang, prefix=False),
            f"{_count(c.n_border, r)}{i18n.NBSP}/{i18n.NBSP}{_count(c.n_interior, r)}" if c.gap is not None else ""]


def _count(x: Any, r: _Reader) -> str:
    return r.no_data if x is None else fmt_number(x, r.lang, 0)


def _interior_names(r: _Reader) -> str:
    """The oblast-level interior units named in the brief's language: "Bishkek city and Osh city"."""
    names = [_region(c, r.lang) for c in headlines.interior_units(r.results[MIG])]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {r.t('word_and')} {names[-1]}"


def _consultations(r: _Reader) -> dict[str, Any]:
    """Finding, usage rows and the most recent drafts of notebook 03 (titles are data, shown literally)."""
    finding = {"value": r.share(CON, "public_record_share"), "label": r.t("f_consult_label"),
               "detail": r.t("f_consult_detail", n=r.v(CON, "n_state_drafts"),
                             ci_low=r.share(CON, "public_record_share_ci_low"),
                             ci_high=r.share(CON, "public_record_share_ci_high"))}
    rows = [
        [r.t("c_rate_label"), r.share(CON, "consultation_rate") if headlines.consultation(r.results[CON]).rate
         is not None else r.t("c_suppressed")],
        [r.t("c_n_known_label"), fmt_number(r.v(CON, "consultation_rate_n_known"), r.lang, 0)],
        [r.t("c_unknown_label"), r.share(CON, "consultation_rate_unknown_share")],
        [r.t("c_median_days_label"), fmt_number(r.v(CON, "median_discussion_days"), r.lang, 0)],
        [r.t("c_portal_label"), r.share(CON, "portal_share")],
    ]
    drafts = sorted(r.rows(CON, "drafts"), key=lambda d: (-(_year_int(d.get("year")) or 0), str(d.get("draft_id"))))
    yes, no = r.t("yes"), r.t("no")
    draft_rows = [[str(d.get("title") or r.no_data), _year(d.get("year"), r.lang),
                   yes if d.get("public_record") else no] for d in drafts[:MAX_DRAFTS]]
    return {"findings": [finding], "consult_rows": rows, "drafts": draft_rows,
            "draft_header": [r.t("c_col_title"), r.t("year"), r.t("c_col_public")]}


def _recommendations(r: _Reader) -> list[dict[str, str]]:
    """The fired rules' texts (rules: ``rules/recommendations.csv``); one "no threshold crossed" line if none."""
    gap = r.v(MIG, "growth_gap_pp")
    fmt = {"change": fmt_percent(r.v(IMB, "theil_change_pct_unbroken"), r.lang),
           "first": r.v(IMB, "unbroken_year_first"), "last": r.v(IMB, "unbroken_year_last"),
           "bottom": _region(headlines.extremes(r.results[IMB], headlines.direction(r.results[IMB])).worst_code,
                             r.lang),
           "ratio": fmt_number(r.v(IMB, "max_min_ratio_last"), r.lang),
           "gap": fmt_number(abs(gap) if gap is not None else None, r.lang, 2) + i18n.NBSP + r.t("unit_pp"),
           "n": r.v(MIG, "n_depopulating"), "window": _window(r.v(MIG, "window")),
           "share": r.share(CON, "public_record_share"), "unknown": r.share(CON, "consultation_rate_unknown_share")}
    fired = recommend.fired(r.results)
    if not fired:
        return [{"text": r.t("rec_none"), "rule": ""}]
    return [{"text": r.t(rule.message, **fmt), "rule": r.t("rule_ref", rule=rule.rule)} for rule in fired]


def _sources_part(r: _Reader) -> dict[str, Any]:
    """Method sentences and the producer tables behind all three results files (id, title, producer, URL).

    A derived id (``S14+D01``: computed by the project) is not listed itself: its input tables are, each once, and
    its formula is a method sentence.
    """
    tables, derived = _split_sources(_sources(r.results))
    shown = list(tables.items())[:MAX_SOURCES]
    producers = _short_producers([str(s.get("producer") or "") for _, s in shown])
    items = [{"id": sid, "text": _source_text({**s, "producer": prod}, r.lang), "url": _url_text(s.get("url")),
              "href": _href(s.get("url"))} for (sid, s), prod in zip(shown, producers)]
    more = len(tables) - len(items)
    accessed = max((str(s["accessed"]) for s in tables.values() if s.get("accessed")), default=None)
    return {"method": [r.t("method_imbalance", indicator=r.indicator, level=r.level), *_derived_lines(derived, r.lang),
                       r.t("method_border"), r.t("method_consult"), r.t("method_missing", no_data=r.no_data)],
            "sources": _halves(items), "sources_more": r.t("sources_more", n=more) if more > 0 else "",
            "sources_note": r.t("sources_titles_note"), "accessed": accessed}


def _short_producers(producers: list[str]) -> list[str]:
    """Producers with a name spelt out once: a later ``Name (ABBR)…`` becomes ``ABBR…`` (``NSC KR (figures)…``)."""
    import re

    seen, out = set(), []
    for prod in producers:
        m = re.match(r"(.+?) \(([A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)*)\)", prod)
        if m and m[1] in seen:
            prod = m[2] + prod[m.end():]
        elif m:
            seen.add(m[1])
        out.append(prod)
    return out


def _halves(items: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    """The source entries in two columns of about equal length (in order; length ≈ characters + a line's worth)."""
    sizes = [len(i["id"]) + len(i["text"]) + len(i["url"]) + 60 for i in items]
    cut = min(range(len(items) + 1), key=lambda k: abs(sum(sizes[:k]) - sum(sizes[k:])))
    return [items[:cut], items[cut:]]


def _inputs(info: dict[str, Any]) -> list[str]:
    """The source ids a derived source combines (``["S14", "D01"]``); ``[]`` for a producer table."""
    inputs = info.get("inputs") or []
    return [str(i) for i in (inputs.split(";") if isinstance(inputs, str) else inputs) if str(i).strip()]


def _split_sources(sources: dict[str, dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """``(tables, derived)``: every producer table once (inputs of derived ids included, from the results files'
    ``sources`` block, else from ``data/processed/sources.csv``), and the derived ids."""
    from lsg_analysis.data.sources import source_info

    derived = {sid: info for sid, info in sources.items() if _inputs(info)}
    tables = {sid: info for sid, info in sources.items() if sid not in derived}
    for part in sorted({p for info in derived.values() for p in _inputs(info)} - set(tables)):
        try:
            tables[part] = source_info(part)
        except LsgError:  # not in this checkout's catalogue: still named, without a title
            tables[part] = {"source_id": part}
    return dict(sorted(tables.items())), derived


def _derived_lines(derived: dict[str, dict[str, Any]], lang: str) -> list[str]:
    """One method sentence per derived formula, with the ids of its inputs (``S14`` ÷ ``D01, S01``)."""
    import re

    formulas: dict[str, list[list[str]]] = {}
    for info in derived.values():
        formulas.setdefault(str(info.get("title") or info.get("method") or ""), []).append(_inputs(info))
    lines = []
    for title, inputs in formulas.items():
        nums = ", ".join(sorted({i[0] for i in inputs}))
        dens = ", ".join(sorted({p for i in inputs for p in i[1:]}))
        m = re.fullmatch(r"(\w+) = (\w+) / mean (\w+)", title.strip())  # per_capita_mean_population
        sentence = ""
        if m is not None:
            try:
                sentence = t("method_derived_per_capita", lang, indicator=i18n.indicator_name(m[1], lang),
                             numerator=i18n.indicator_name(m[2], lang), num_sources=nums,
                             denominator=i18n.indicator_name(m[3], lang), den_sources=dens)
            except i18n.TranslationError:  # an indicator without names: the formula as catalogued
                pass
        lines.append(sentence or f"{title} ({nums}; {dens})")
    return lines


def _url_text(url: Any) -> str:
    """A source's url cell for print, without the ``https://`` (the link keeps it)."""
    text = str(url or "").strip()
    for scheme in ("https://", "http://"):
        text = text.removeprefix(scheme)
    return text


def _href(url: Any) -> str:
    """The link target in a source's url cell (its first word, if it is an http(s) URL), else ``""``."""
    first = str(url or "").split(maxsplit=1)[0] if str(url or "").strip() else ""
    return first if first.startswith(("http://", "https://")) else ""


def _source_text(info: dict[str, Any], lang: str) -> str:
    """``producer: title`` of a producer table (``no data`` when the catalogue has no title)."""
    title = str(info.get("title") or i18n.no_data(lang)).strip().rstrip(".")
    producer = str(info.get("producer") or "").strip()
    return t("source_line", lang, producer=producer, title=title) if producer else title


def _sources(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for nb in NOTEBOOKS:
        for sid, info in (results[nb].get("sources") or {}).items():
            merged.setdefault(sid, info or {})
    return dict(sorted(merged.items()))


# ---------------------------------------------------------------- charts


def _svg(fig: Any) -> bytes:
    """Deterministic SVG: no date, fixed id salt, text as paths (no font needed by the PDF)."""
    import io

    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight", pad_inches=0.02)
    return buf.getvalue()


def _number_axis(axis: Any, lang: str, decimals: int) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt_number(x, lang, decimals)))


def map_svg(lang: str, results: dict[str, dict[str, Any]], boundaries: Any) -> bytes:
    """Choropleth of the indicator by region in the last year; regions without a value hatched as "no data".

    When the values span a factor of 4 or more (Bishkek's GRP per capita), the colour scale is logarithmic (said
    in the legend) so the other regions do not all get the same colour.
    """
    import math

    import matplotlib
    import pandas as pd
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LogNorm, Normalize
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from lsg_analysis.outputs.plots import MISSING

    last = results_mod.value(results["01_imbalance"], "year_last")
    rows = [r for r in results_mod.rows(results["01_imbalance"], "by_region") if r.get("year") == last]
    values = pd.DataFrame({"code": [str(r.get("code")) for r in rows],
                           "value": [r.get("value") for r in rows]}, columns=["code", "value"])
    gdf = boundaries[["code", "geometry"]].merge(values, on="code", how="left")
    gdf["value"] = pd.to_numeric(gdf["value"], errors="coerce").astype(float)
    unit = str(results_mod.metric(results["01_imbalance"], "top_value").get("unit") or "")
    legend = i18n.unit_label(unit, lang) if unit else i18n.indicator_name(str(results_mod.value(results["01_imbalance"],
                                                                                 "indicator")), lang)
    known = gdf["value"].dropna()
    low, high = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
    log = low > 0 and high / low >= 4
    norm = LogNorm(low, high) if log else Normalize(low, high)
    if log:
        legend = f"{legend} ({t('log_scale', lang)})"
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 8}):
        fig = Figure(figsize=(5.0, 2.6), layout="constrained")
        ax = fig.add_subplot()
        gdf.plot(column="value", ax=ax, cmap="YlGnBu", norm=norm, edgecolor="white", linewidth=0.5,
                 missing_kwds={**MISSING, "linewidth": 0.5})
        ax.set_axis_off()
        lat = gdf.geometry.union_all().centroid.y if len(gdf) else 41.0
        ax.set_aspect(1 / math.cos(math.radians(lat)))
        bar = fig.colorbar(ScalarMappable(norm=norm, cmap="YlGnBu"), ax=ax, orientation="horizontal",
                           shrink=0.7, pad=0.02, aspect=35)
        bar.set_label(_wrap(legend, 60))
        if log:  # 1-2-5 ticks inside the range, so a short log axis still has several labels
            bar.set_ticks([x for e in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
                           for x in (10 ** e, 2 * 10 ** e, 5 * 10 ** e) if low <= x <= high])
            bar.ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        _number_axis(bar.ax.xaxis, lang, 0 if high >= 100 else 1)
        if gdf["value"].isna().any():
            ax.legend(handles=[Patch(facecolor=MISSING["color"], edgecolor=MISSING["edgecolor"],
                                     hatch=MISSING["hatch"], label=i18n.no_data(lang))],
                      loc="lower left", frameon=False, fontsize=7)
        return _svg(fig)


def _cap(text: str) -> str:
    """First letter upper case (glossary terms are lower case; chart labels start with a capital)."""
    return text[:1].upper() + text[1:]


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def trend_svg(lang: str, results: dict[str, dict[str, Any]]) -> bytes:
    """Theil index by year with its 95 % interval; series breaks as dashed lines, never joined across."""
    import matplotlib
    import pandas as pd
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from lsg_analysis.outputs import plots

    rows = results_mod.rows(results["01_imbalance"], "trend")
    frame = pd.DataFrame(rows, columns=["year", "theil", "theil_ci_low", "theil_ci_high", "break"])
    for col in ("year", "theil", "theil_ci_low", "theil_ci_high"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    breaks = {int(r["year"]): t("series_break", lang) for r in rows if r.get("break")}
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 8}):
        fig = plots.trend(frame, "year", ["theil"], band=("theil_ci_low", "theil_ci_high"), breaks=breaks,
                          labels={"theil": _cap(t("theil_index", lang))}, ylabel=_cap(t("theil_index", lang)))
        fig.set_size_inches(6.0, 2.2)
        ax = fig.axes[0]
        ax.set_xlabel(t("year", lang))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: str(int(round(x)))))
        _number_axis(ax.yaxis, lang, 3)
        from matplotlib.lines import Line2D

        handles, _ = ax.get_legend_handles_labels()
        labels = [_cap(t("theil_index", lang)) if isinstance(h, Line2D) else t("ci95", lang) for h in handles]
        ax.legend(handles, labels, frameon=False, fontsize=7, ncol=2, loc="upper center",
                  bbox_to_anchor=(0.5, -0.28))
        return _svg(fig)
