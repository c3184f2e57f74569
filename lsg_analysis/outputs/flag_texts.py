"""What do brief and dashboard say about flagged cells? The footnote naming them and the sensitivity sentences, in
one language, from :func:`lsg_analysis.outputs.headlines.sensitivity` / :func:`~lsg_analysis.outputs.headlines.
border_sensitivity` (which decide what is material) and the message catalogue (``flag_*``, ``sens_*``); and the
national net migration series with its transcribed values marked (:func:`migration_series_lines`).
"""

from __future__ import annotations

from typing import Any

from lsg_analysis.outputs import headlines, i18n


def cells_text(cells: list[headlines.FlaggedCell], lang: str) -> str:
    """``Kara-Kulja district, 2012 (…; …)``: every flagged cell with its unit, year and rules, in ``lang``."""
    return "; ".join(
        i18n.t(
            "flag_cell",
            lang,
            unit=i18n.region_name(c.code, lang),
            year=c.year,
            rule=", ".join(i18n.t(f"flag_rule_{r}", lang) for r in c.rules),
        )
        for c in cells
    )


def flag_note(cells: list[headlines.FlaggedCell], lang: str) -> str:
    """The footnote under a chart: the doubtful values drawn hollow, used as published ("" when there are none)."""
    return i18n.t("flag_note", lang, cells=cells_text(cells, lang)) if cells else ""


def threshold(lang: str) -> str:
    """:data:`~lsg_analysis.outputs.headlines.MATERIAL` as a percent in ``lang`` ("10%", "10 %")."""
    return i18n.fmt_percent(headlines.MATERIAL, lang, 0, fraction=True)


def sensitivity_line(sens: headlines.Sensitivity, lang: str) -> str:
    """One sentence on notebook 01's flagged cells: none; some, without a material effect; or some that change the
    findings (whose cards then show both values, :func:`card_note`). "" for results that predate the record."""
    if not sens.recorded:
        return ""
    if not sens.cells:
        return i18n.t("sens_none", lang)
    key = "sens_material" if sens.material else "sens_same"
    return i18n.t(key, lang, n=len(sens.cells), threshold=threshold(lang))


def card_note(item: headlines.Sensitive, formatted: str, lang: str) -> str:
    """``Without the doubtful values: 0.127.`` when ``item`` differs materially, else "". ``formatted``: its value
    without the flagged cells, formatted as the card's own value."""
    return i18n.t("sens_card", lang, value=formatted) if item.material else ""


def border_lines(results: dict[str, Any], lang: str) -> list[str]:
    """One sentence per border comparison of ``02_migration_border`` results that reads doubtful values: the
    cells, and its gap without and with them (p.p., as many decimals as the comparison's row)."""
    out = []
    for s in headlines.border_sensitivity(results):
        comparison = next(c for c in headlines.border_comparisons(results) if c.prefix == s.prefix)
        d = comparison.decimals
        pp = i18n.NBSP + i18n.t("unit_pp", lang)
        out.append(
            i18n.t(
                "sens_border",
                lang,
                measure=i18n.t(f"measure_{comparison.measure}", lang),
                cells=cells_text(s.cells, lang),
                without=i18n.fmt_number(s.unflagged, lang, d, sign=True) + pp,
                value=i18n.fmt_number(s.gap, lang, d, sign=True) + pp,
            )
        )
    return out


#: the mark after a value transcribed from a press release, explained by the footnote ``net_migration_transcribed``
TRANSCRIBED_MARK = "*"


def migration_series_lines(results: dict[str, Any], lang: str) -> list[str]:
    """The national net migration by year (:func:`~lsg_analysis.outputs.headlines.national_migration` of
    ``02_migration_border`` results) as one sentence, a transcribed value followed by ``*``, and the footnote
    saying what ``*`` means; ``[]`` with fewer than two years. The caveat (``net_migration_caveat``) is the
    caller's, shown once wherever net migration is."""
    series = headlines.national_migration(results)
    if len(series) < 2:
        return []
    values = "; ".join(
        f"{m.year}:{i18n.NBSP}{i18n.fmt_number(m.net, lang, 0)}{TRANSCRIBED_MARK if m.transcribed else ''}"
        for m in series
    )
    years = i18n.t("year_range", lang, first=series[0].year, last=series[-1].year)
    lines = [i18n.t("net_migration_series", lang, years=years, values=values)]
    if any(m.transcribed for m in series):
        lines.append(TRANSCRIBED_MARK + i18n.NBSP + i18n.t("net_migration_transcribed", lang))
    return lines
