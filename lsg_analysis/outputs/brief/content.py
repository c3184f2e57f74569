"""What does the brief say? Every section's findings, tables and sentences, as strings in the brief's language,
from the headline numbers (:mod:`lsg_analysis.outputs.headlines`) and the translation catalogue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lsg_analysis.outputs import flag_texts, headlines, i18n, recommend, units
from lsg_analysis.outputs.brief.reader import (
    CON,
    CTX,
    IMB,
    MIG,
    Reader,
    count,
    fmt_p,
    region,
    window,
    year_int,
    year_text,
)
from lsg_analysis.outputs.brief.sources import sources_part
from lsg_analysis.outputs.i18n import fmt_number, fmt_percent

MAX_DRAFTS = 3
RANKING_ENDS = 6


def brief_content(
    lang: str, results: dict[str, dict[str, Any]], date: dt.date, *, origins: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the template shows, as strings in ``lang`` (the template adds no words of its own);
    ``origins`` (notebook → :class:`lsg_analysis.runs.results.Origin`): a run stamp under each section."""
    from lsg_analysis.outputs import stamps

    from lsg_analysis.core.version import VERSION as __version__

    r = Reader(i18n.check_lang(lang), results)
    first, last = r.years
    imbalance, border, consult, sources = _imbalance(r), _border(r), _consultations(r), sources_part(r)
    imbalance.update(_flags(r, imbalance["findings"]))
    border["border_lines"] += flag_texts.border_lines(r.results[MIG], r.lang)
    findings = [*imbalance.pop("findings"), *border.pop("findings"), *consult.pop("findings")]
    for f in findings:  # "no data" in place of a number: set smaller than a number
        f["missing"] = f["value"] == r.no_data
    data_date = i18n.fmt_date(sources.pop("accessed"), lang)
    meta = [
        [r.t("date"), i18n.fmt_date(date, lang)],
        [r.t("data_years"), r.t("year_range", first=first, last=last)],
        [r.t("data_last_updated"), data_date],
        [r.t("version"), __version__],
    ]
    text = {
        "kicker": r.t("policy_brief"),
        "title": r.t("brief_title"),
        "findings": r.t("findings"),
        "sec_imbalance": r.t("sec_imbalance"),
        "sec_border": r.t("sec_border"),
        "sec_consult": r.t("sec_consult"),
        "recommendations": r.t("recommendations"),
        "method": r.t("methodology_and_sources"),
        "data_sources": r.t("data_sources"),
        "ranking": _ranking_title(r),
        "page_of": r.t("page_of", page="{page}", total="{total}"),
        "footer": f"{r.t('policy_brief')} · {r.t('version')} {__version__} · {r.t('data_last_updated')}: {data_date}",
        "caveat": _consult_caveat(r),
        "drafts": r.t("c_drafts_table"),
    }
    text["sec_context"] = r.t("sec_context")
    return {
        "lang": lang,
        "text": text,
        "meta": meta,
        "findings": findings,
        **imbalance,
        **border,
        **consult,
        **_context(r),
        "recommendations": _recommendations(r),
        **sources,
        "stamps": stamps.section_stamps(origins or {}, lang),
    }


def _ranking_title(r: Reader) -> str:
    """ "Ranking, <unit>, <year>": the ranking's numbers carry no unit of their own."""
    unit = str(r.metric(IMB, "top_value").get("unit") or "").strip()
    parts = [
        r.t("ranking"),
        *([i18n.unit_label(unit, r.lang)] if units.shows_unit(unit) else []),
        r.t("year_short", year=r.years[1]),
    ]
    return ", ".join(parts)


def _imbalance(r: Reader) -> dict[str, Any]:
    """Findings, ranking, captions and the convergence sentence of notebook 01."""
    first, last = r.years
    ext = headlines.extremes(r.results[IMB], headlines.direction(r.results[IMB]))
    ratio = r.v(IMB, "max_min_ratio_last")
    findings = [
        {
            "value": fmt_number(r.v(IMB, "theil_last"), r.lang, 3),
            "label": r.t("f_theil_label", year=last),
            "detail": r.t(
                "f_theil_detail",
                indicator=_cap(r.indicator_at_level),
                level=r.level,
                ci_low=fmt_number(r.v(IMB, "theil_last_ci_low"), r.lang, 3),
                ci_high=fmt_number(r.v(IMB, "theil_last_ci_high"), r.lang, 3),
                gini=fmt_number(r.v(IMB, "gini_last"), r.lang, 3),
            ),
        },
        _change_finding(r),
        {
            "value": r.t("times_value", x=fmt_number(ratio, r.lang)) if ratio is not None else r.no_data,
            "label": r.t("f_ratio_label", year=last),
            "detail": r.t(
                "f_ratio_detail",
                top=region(ext.top_code, r.lang),
                top_value=i18n.fmt_value(ext.top_value, ext.unit, r.lang),
                bottom=region(ext.bottom_code, r.lang),
                bottom_value=i18n.fmt_value(ext.bottom_value, ext.unit, r.lang),
            ),
        },
    ]
    ranking = sorted(
        ((row.get("value"), row.get("code")) for row in r.rows(IMB, "by_region") if row.get("year") == last),
        key=lambda x: (x[0] is None, -(x[0] or 0)),
    )
    rows = [[region(code, r.lang), i18n.fmt_value(val, "", r.lang)] for val, code in ranking]
    if len(rows) > 2 * RANKING_ENDS + 1:  # rayon level: the top and the bottom only
        rows = [*rows[:RANKING_ENDS], ["…", "…"], *rows[-RANKING_ENDS:]]
    return {
        "findings": findings,
        "ranking": rows,
        "map_caption": r.t("fig_map_caption", indicator=_cap(r.indicator_at_level), level=r.level, year=last),
        "trend_caption": r.t(
            "fig_trend_caption", indicator=r.indicator_at_level, level=r.level, first=first, last=last
        ),
        "convergence": " ".join(convergence_sentences(r)),
    }


def convergence_sentences(r: Reader) -> list[str]:
    """The β sentence — a direction only when p < the significance level, worded for the indicator's direction
    (:func:`lsg_analysis.outputs.headlines.convergence`) —, the σ sentence only when σ is significant, and which
    segment was used when the window crosses a declared series break."""
    res = r.results[IMB]
    direction = headlines.direction(res)
    out = []
    for kind in ("beta", "sigma"):
        c = headlines.convergence(res, kind)
        if kind == "sigma" and c.verdict not in ("converging", "diverging"):
            continue
        fields = {"first": c.first, "last": c.last, "p": fmt_p(c.p, r.lang), "n": count(c.n, r)}
        fields.update(indicator=r.indicator_in_sentence, years=fmt_number(c.half_life, r.lang))
        out.append(r.t(c.message(direction), **fields))
    seg = headlines.segment(res)
    if seg.cut and seg.first is not None:
        out.append(
            r.t(
                "f_segment_note",
                first=seg.first,
                last=seg.last,
                window=r.t("year_range", first=seg.window_first, last=seg.window_last),
            )
        )
    return out


def change_verdict(r: Reader) -> str:
    """The sentence on the Theil change's test: up or down only when its 95 % paired bootstrap interval excludes
    0 (:func:`lsg_analysis.outputs.headlines.change_test`)."""
    test = headlines.change_test(r.results[IMB])
    return r.t(
        test.message, low=fmt_number(test.low, r.lang, 3, sign=True), high=fmt_number(test.high, r.lang, 3, sign=True)
    )


def _change_finding(r: Reader) -> dict[str, str]:
    """Change of Theil T over the window; across a declared series break, over the window's longest unbroken
    run instead (:func:`lsg_analysis.outputs.headlines.theil_change`), labelled as such; "no data" when even that is
    missing. The detail says whether the change's bootstrap interval excludes 0 (:func:`change_verdict`)."""
    first, last = r.years
    change = headlines.theil_change(r.results[IMB])
    note = headlines.change_test(r.results[IMB]).label_note
    if change.value is not None and not change.unbroken:
        return {
            "value": fmt_percent(change.value, r.lang, sign=True),
            "label": " ".join([r.t("f_change_label", first=first, last=last), *([r.t(note)] if note else [])]),
            "detail": change_verdict(r),
        }
    breaks = ", ".join(f"{a}→{b}" for a, b in headlines.change_breaks(r.results[IMB]))
    if change.value is None or change.first is None or change.last is None:
        return {
            "value": r.no_data,
            "label": r.t("f_change_label", first=first, last=last),
            "detail": r.t("f_change_none", breaks=breaks or r.no_data),
        }
    a, b = change.first, change.last
    return {
        "value": fmt_percent(change.value, r.lang, sign=True),
        "label": " ".join([r.t("f_change_unbroken_label", first=a, last=b), *([r.t(note)] if note else [])]),
        "detail": " ".join(
            [
                change_verdict(r),
                r.t(
                    "f_change_unbroken_detail",
                    first=a,
                    last=b,
                    start=fmt_number(r.v(IMB, "theil_unbroken_first"), r.lang, 3),
                    end=fmt_number(r.v(IMB, "theil_unbroken_last"), r.lang, 3),
                    window=r.t("year_range", first=first, last=last),
                    breaks=breaks or r.no_data,
                ),
            ]
        ),
    }


def _border(r: Reader) -> dict[str, Any]:
    """Finding, border-vs-interior table and border/migration lines of notebook 02.

    The finding card is the rural-rayon poverty comparison when the results hold it (all 40 rural rayons with a
    value, n stated: the stronger evidence), else the oblast-level growth gap, whose interior group is only the two
    cities. The table has one row per comparison with its level, year and n.
    """
    lang = r.lang
    gap = r.v(MIG, "growth_gap_pp")
    finding = (
        _rayon_poverty_finding(r)
        if headlines.border_headline(r.results[MIG]) == "rayon_poverty"
        else {
            "value": fmt_number(gap, lang, sign=True) + ("" if gap is None else i18n.NBSP + r.t("unit_pp")),
            "label": r.t("f_border_label", window=window(r.v(MIG, "window"))),
            "detail": r.t(
                "f_border_detail",
                border=fmt_percent(r.v(MIG, "growth_border_pct"), lang, 2),
                interior=fmt_percent(r.v(MIG, "growth_interior_pct"), lang, 2),
                p=fmt_p(r.v(MIG, "growth_gap_p"), lang),
                n_depop=r.v(MIG, "n_depopulating"),
                n_units=headlines.measured_units(r.results[MIG]),
            ),
        }
    )
    table = [_border_row(r, c) for c in headlines.border_comparisons(r.results[MIG])]
    km = {k: fmt_number(r.v(MIG, f"border_km_{k.upper()}"), lang, 0) for k in ("kaz", "uzb", "tjk", "chn")}
    net = r.metric(MIG, "net_migration_national_last")
    lines = [
        r.t("border_length", km=fmt_number(r.v(MIG, "border_km_total"), lang, 0), **km)
        if r.v(MIG, "border_km_total") is not None
        else r.t("border_length_none", value=r.no_data),
        r.t(
            "net_migration_line",
            year=net.get("year") or r.years[1],
            value=fmt_number(net["value"], lang, 0),
            rate=fmt_number(r.v(MIG, "net_migration_rate_national_last"), lang),
            source=", ".join(net.get("sources") or []) or r.no_data,
        )
        if net.get("value") is not None
        else r.t("net_migration_none", value=r.no_data),
        *flag_texts.migration_series_lines(r.results[MIG], lang),
        *([r.t("net_migration_caveat")] if net.get("value") is not None else []),  # wherever net migration is shown
    ]
    if headlines.interior_units(r.results[MIG]):
        lines.insert(
            0,
            r.t(
                "border_interior_units",
                units=_interior_names(r),
                n_depop=r.v(MIG, "n_depopulating"),
                n_units=headlines.measured_units(r.results[MIG]),
                window=window(r.v(MIG, "window")),
            ),
        )
    header = [r.t("col_measure"), r.t("col_border"), r.t("col_interior"), r.t("col_gap"), "p", "n"]
    return {"findings": [finding], "border_header": header, "border_table": table, "border_lines": lines}


def _rayon_poverty_finding(r: Reader) -> dict[str, str]:
    """The rural-rayon poverty gap (border − interior, p.p.) with both group means, p and the n of each group."""
    lang, gap = r.lang, r.v(MIG, "rayon_poverty_gap_pp")
    year = r.metric(MIG, "rayon_poverty_gap_pp").get("year") or r.no_data
    return {
        "value": fmt_number(gap, lang, sign=True) + i18n.NBSP + r.t("unit_pp"),
        "label": r.t("f_rayon_poverty_label", year=year),
        "detail": r.t(
            "f_rayon_poverty_detail",
            n_border=count(r.v(MIG, "n_border_rayons"), r),
            n_interior=count(r.v(MIG, "n_interior_rayons"), r),
            border=fmt_percent(r.v(MIG, "rayon_poverty_border_pct"), lang),
            interior=fmt_percent(r.v(MIG, "rayon_poverty_interior_pct"), lang),
            p=fmt_p(r.v(MIG, "rayon_poverty_gap_p"), lang),
        ),
    }


def _border_row(r: Reader, c: headlines.Comparison) -> list[str]:
    """``measure (level, year) | border | interior | gap | p | n`` of one recorded comparison."""
    lang = r.lang
    label = f"{r.t(f'measure_{c.measure}')} ({r.t(f'level_{c.level}')}, {window(c.year) or r.no_data})"
    return [
        label,
        fmt_number(c.border, lang, c.decimals),
        fmt_number(c.interior, lang, c.decimals),
        fmt_number(c.gap, lang, c.decimals, sign=True),
        fmt_p(c.p, lang, prefix=False),
        f"{count(c.n_border, r)}{i18n.NBSP}/{i18n.NBSP}{count(c.n_interior, r)}" if c.gap is not None else "",
    ]


def _interior_names(r: Reader) -> str:
    """The oblast-level interior units named in the brief's language: "Bishkek city and Osh city"."""
    names = [region(c, r.lang) for c in headlines.interior_units(r.results[MIG])]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {r.t('word_and')} {names[-1]}"


def _consultations(r: Reader) -> dict[str, Any]:
    """Finding, usage rows and the most recent drafts of notebook 03 (titles are data, shown literally)."""
    c = headlines.consultation(r.results[CON])
    detail = (
        r.t(
            "f_consult_detail_ci",
            n=c.n_state_drafts,
            ci_low=r.share(CON, "public_record_share_ci_low"),
            ci_high=r.share(CON, "public_record_share_ci_high"),
        )
        if c.sampled
        else r.t(
            "f_consult_detail",
            n=c.n_state_drafts,
            n_unknown=c.n_unknown,
            low=r.share(CON, "public_record_share_bound_low"),
            high=r.share(CON, "public_record_share_bound_high"),
        )
    )
    finding = {"value": r.share(CON, "public_record_share"), "label": r.t("f_consult_label"), "detail": detail}
    rows = [
        [
            r.t("c_rate_label"),
            r.share(CON, "consultation_rate")
            if headlines.consultation(r.results[CON]).rate is not None
            else r.t("c_suppressed"),
        ],
        [r.t("c_n_known_label"), fmt_number(r.v(CON, "consultation_rate_n_known"), r.lang, 0)],
        [r.t("c_unknown_label"), r.share(CON, "consultation_rate_unknown_share")],
        [r.t("c_median_days_label"), fmt_number(r.v(CON, "median_discussion_days"), r.lang, 0)],
        [r.t("c_portal_label"), r.share(CON, "portal_share")],
    ]
    drafts = sorted(r.rows(CON, "drafts"), key=lambda d: (-(year_int(d.get("year")) or 0), str(d.get("draft_id"))))
    yes, no = r.t("yes"), r.t("no")
    draft_rows = [
        [str(d.get("title") or r.no_data), year_text(d.get("year"), r.lang), yes if d.get("public_record") else no]
        for d in drafts[:MAX_DRAFTS]
    ]
    return {
        "findings": [finding],
        "consult_rows": rows,
        "drafts": draft_rows,
        "draft_header": [r.t("c_col_title"), r.t("year"), r.t("c_col_public")],
    }


def _consult_caveat(r: Reader) -> str:
    """The consultation section's note: the sample caveat and, when updates were applied to coded rows, how many,
    to how many drafts, and their date (each is listed with its source in notebook 03's results)."""
    c = headlines.consultation(r.results[CON])
    if not c.n_updates:
        return r.t("c_caveat")
    date = i18n.fmt_date(c.updates_date, r.lang)
    return r.t("c_caveat") + " " + r.t("c_updates_note", n=c.n_updates, n_drafts=c.n_updated_drafts, date=date)


def _recommendations(r: Reader) -> list[dict[str, str]]:
    """The fired rules' texts (rules: ``rules/recommendations.csv``), each with the footnote stating its test; one
    "no threshold crossed" line (no footnote) if none fires. Texts follow the indicator's direction."""
    fired = recommend.fired(r.results)
    if not fired:
        return [{"text": r.t("rec_none"), "test": ""}]
    fmt = _recommendation_fields(r)
    direction = headlines.direction(r.results[IMB])
    return [{"text": r.t(rule.message_key(direction), **fmt), "test": r.t(rule.test, **fmt)} for rule in fired]


def _recommendation_fields(r: Reader) -> dict[str, Any]:
    """The numbers the recommendations and their tests show, formatted for the brief's language."""
    lang, gap = r.lang, r.v(MIG, "growth_gap_pp")
    test, beta = headlines.change_test(r.results[IMB]), headlines.convergence(r.results[IMB], "beta")
    return {
        "change": fmt_percent(r.v(IMB, "theil_change_pct_unbroken"), lang),
        "first": test.first,
        "last": test.last,
        "low": fmt_number(test.low, lang, 3, sign=True),
        "high": fmt_number(test.high, lang, 3, sign=True),
        "n_units": count(test.n, r),
        "worst": region(headlines.extremes(r.results[IMB], headlines.direction(r.results[IMB])).worst_code, lang),
        "indicator": r.indicator_in_sentence,
        "ratio": fmt_number(r.v(IMB, "max_min_ratio_last"), lang),
        "year": r.years[1],
        "slope": fmt_number(beta.slope, lang, 4, sign=True),
        "beta_first_year": beta.first,
        "beta_last_year": beta.last,
        "beta_p": fmt_p(beta.p, lang),
        "beta_n": count(beta.n, r),
        "gap": fmt_number(abs(gap) if gap is not None else None, lang, 2) + i18n.NBSP + r.t("unit_pp"),
        "gap_signed": fmt_number(gap, lang, 2, sign=True) + i18n.NBSP + r.t("unit_pp"),
        "gap_p": fmt_p(r.v(MIG, "growth_gap_p"), lang),
        "n": r.v(MIG, "n_depopulating"),
        "window": window(r.v(MIG, "window")),
        "share": r.share(CON, "public_record_share"),
        "share_high": r.share(CON, "public_record_share_bound_high"),
        "unknown": r.share(CON, "consultation_rate_unknown_share"),
    }


def _context(r: Reader) -> dict[str, Any]:
    """Two sentences on Kyrgyzstan among other countries (``04_context``) and the caption of their chart: the
    comparison's own definition (unweighted, as the OECD computes it) with n and rank, then the like-for-like rank
    from Global Data Lab's regions, each with its year."""
    c = headlines.context(r.results[CTX])
    measure, source = r.t(f"ctx_measure_{c.measure}"), r.t(f"ctx_source_{c.source}")
    digits = 3 if c.measure in ("theil", "gini", "cv") else 1
    if c.value is None:
        return {"context": [r.t("ctx_none", value=r.no_data)], "context_caption": ""}
    lines = [
        r.t(
            "ctx_kgz",
            measure=measure,
            n=c.n_regions,
            value=fmt_number(c.value, r.lang, digits),
            year=c.year,
            rank=c.rank,
            n_ranked=c.n_ranked,
            source=source,
            median=fmt_number(c.median, r.lang, digits),
        )
    ]
    if c.gdl_value is not None:
        lines.append(r.t("ctx_gdl", n=c.gdl_n_regions, year=c.gdl_year, rank=c.gdl_rank, n_ranked=c.gdl_n_ranked))
    caption = r.t("fig_context_caption", measure=_cap(measure), source=source, year=c.year)
    return {"context": lines, "context_caption": caption}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _flags(r: Reader, findings: list[dict[str, str]]) -> dict[str, str]:
    """Sensitivity to flagged cells (:func:`lsg_analysis.outputs.headlines.sensitivity`): the Theil, change and
    ratio cards (``findings``, in that order) whose value differs materially without the flagged cells say so;
    ``sensitivity``: one sentence; ``flag_note``: the footnote under the charts naming the cells (unit, year, rule)."""
    sens = headlines.sensitivity(r.results[IMB])
    ratio = sens.ratio.unflagged
    values = (
        fmt_number(sens.theil_last.unflagged, r.lang, 3),
        fmt_percent(sens.change.unflagged, r.lang, sign=True),
        r.no_data if ratio is None else r.t("times_value", x=fmt_number(ratio, r.lang)),
    )
    for card, item, text in zip(findings, (sens.theil_last, sens.change, sens.ratio), values):
        note = flag_texts.card_note(item, text, r.lang)
        if note:
            card["detail"] = f"{card['detail']} {note}"
    return {
        "sensitivity": flag_texts.sensitivity_line(sens, r.lang),
        "flag_note": flag_texts.flag_note(sens.cells, r.lang),
    }
