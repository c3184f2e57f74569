"""How is a region profile typeset? ``templates/profile.typ`` reads the content as ``data.json``."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from lsg_analysis.core import atomic, paths
from lsg_analysis.core.levels import LANGS, parse_lang
from lsg_analysis.outputs import i18n, source_text, units
from lsg_analysis.outputs.i18n import fmt_number, t
from lsg_analysis.outputs.profile_numbers import (
    RUN_NOTEBOOK,
    IndicatorLine,
    PopulationPoint,
    RunStanding,
    border_km,
    default_lines,
    default_population,
    run_standing,
    runs,
)
from lsg_analysis.outputs.stamps import stamp
from lsg_analysis.runs.results import Run, load_run

TEMPLATE = Path(__file__).resolve().parent / "templates" / "profile.typ"
PROFILES = paths.REPORTS / "profiles"


def _cell(x: float, unit: str, lang: str) -> str:
    """A value cell: the number alone for a named unit (its words stand under the indicator's name), else as
    :func:`lsg_analysis.outputs.i18n.fmt_value` writes it (per cent, shares, bare numbers)."""
    return fmt_number(x, lang, 1) if units.kind(unit) == "named" else i18n.fmt_value(x, unit, lang)


def _row(line: IndicatorLine, lang: str) -> list[str]:
    star = " (!)" if line.flagged else ""
    return [
        i18n.indicator_name(line.indicator, lang),
        _cell(line.value, line.unit, lang) + star,
        str(line.year),
        t("profile_rank_of", lang, rank=line.rank, n=line.peers),
        i18n.no_data(lang) if line.national is None else _cell(line.national, line.unit, lang),
        "" if line.gap is None else fmt_number(line.gap, lang, 1, sign=True),
        line.source_id,
    ]


def spark(line: IndicatorLine) -> list[list[list[float]]]:
    """The latest segment's runs (:func:`~lsg_analysis.outputs.profile_numbers.runs`) scaled to the unit box:
    x from its first to its last year, y from its minimum to its maximum (flat series at mid-height)."""
    years = [y for y, _ in line.trend]
    vals = [v for _, v in line.trend if v is not None]
    lo, hi, y0, span = min(vals), max(vals), years[0], max(years[-1] - years[0], 1)
    return [
        [[round((y - y0) / span, 4), round((v - lo) / (hi - lo), 4) if hi > lo else 0.5] for y, v in run]
        for run in runs(line.trend)
    ]


def border_text(code: str, lang: str, km: dict[str, float] | None = None) -> str:
    """The unit's state-border line (the brief's ``border_length`` sentence; "0 km" alone for a unit without a
    state border), empty when not measured. ``km``: the run's lengths, else ``border_metrics.csv``'s."""
    from lsg_analysis.geo.border import read_border_metrics

    km = border_km(code, read_border_metrics()) if km is None else km
    if km is None:
        return ""
    f = {k.lower(): fmt_number(v, lang, 0) for k, v in km.items()}
    if km["total"] == 0:
        return t("border_length_none", lang, value=i18n.fmt_value(0, "km", lang, 0))
    return t("border_length", lang, km=f.pop("total"), **f)


def run_lines(code: str, standing: RunStanding, lang: str) -> list[str]:
    """What the run says of the unit, in ``lang``: its border status and its population change over the run's
    window; one line saying the run holds neither when it compared units of another level (or, when the results
    do not record their level, e.g. results of an older run, that it holds neither)."""
    if not standing.measured:
        if not standing.level:
            return [t("profile_not_in_run", lang)]
        return [t("profile_not_measured", lang, level=t(f"level_{standing.level}", lang))]
    out = []
    if standing.border is not None and standing.dist_km is not None:
        key = "profile_status_border" if standing.border else "profile_status_interior"
        out.append(t(key, lang, dist=fmt_number(standing.dist_km, lang, 0)))
    window = i18n.year_span(standing.year_from, standing.year_to) or standing.window
    if standing.status == "ok" and standing.growth is not None:
        key = "profile_growth_fell" if standing.depopulating else "profile_growth"
        out.append(t(key, lang, window=window, growth=i18n.fmt_percent(standing.growth, lang, 2, sign=True)))
    elif standing.status in ("break", "missing"):
        out.append(t(f"profile_growth_{standing.status}", lang, window=window))
    else:  # the run's population_change has no row of the unit (districts: no yearly population series)
        out.append(t("profile_growth_none", lang, window=i18n.year_span(*_years(standing.window))))
    return out


def _years(window: str) -> tuple[int | None, int | None]:
    """``(first, last)`` of a recorded window ``"2012-2020"``; ``(None, None)`` when not recorded."""
    parts = window.split("-")
    return (int(parts[0]), int(parts[-1])) if parts[0].isdigit() and parts[-1].isdigit() else (None, None)


#: Type sizes (pt) the indicator table may take, largest first: the template sets it in the largest at which the
#: header and table fit page 1 (tested with pdfinfo on the units with the most and the fewest rows).
TABLE_SIZES = (7.5, 7.0, 6.5, 6.0)


def population_chart(indicator: str, points: list[PopulationPoint], lang: str) -> dict[str, Any]:
    """The population chart, scaled to the unit box (x: first to last year; y: lowest to highest value): one line
    per piece of :func:`lsg_analysis.outputs.drawing.pieces` (a missing year or a new segment ends it, so nothing
    is drawn across a gap or a declared series break), the latest segment marked; a dashed line half-way across
    each break (:func:`~lsg_analysis.outputs.drawing.break_x`). Empty ``pieces`` when the unit has no series."""
    from lsg_analysis.outputs import drawing

    drawn = [p for p in points if p.value is not None]
    if not drawn:
        return {"title": "", "pieces": [], "breaks": [], "x_labels": [], "y_labels": [], "caption": ""}
    years = [p.year for p in points]
    values = [p.value for p in points]
    piece = drawing.pieces(years, [values], [p.segment for p in points])
    y0, span = years[0], max(years[-1] - years[0], 1)
    lo, hi = min(p.value for p in drawn), max(p.value for p in drawn)

    def x(year: int) -> float:  # a one-year series sits in the middle
        return round((year - y0) / span, 4) if years[-1] > y0 else 0.5

    def xy(p: PopulationPoint) -> list[float]:
        return [x(p.year), round((p.value - lo) / (hi - lo), 4) if hi > lo else 0.5]

    last_seg = drawn[-1].segment
    changes = [(a, b) for a, b in zip(drawn, drawn[1:]) if a.segment != b.segment]
    latest = [p for p in drawn if p.segment == last_seg]
    unit = default_unit(indicator)
    name = i18n.indicator_name(indicator, lang)
    return {
        "title": f"{name}, {i18n.unit_label(unit, lang)}" if units.shows_unit(unit) else name,
        "pieces": [
            {"points": [xy(points[i]) for i in run], "latest": points[run[0]].segment == last_seg}
            for run in drawing.runs(years, piece)
        ],
        "breaks": [round((drawing.break_x(a.year, b.year) - y0) / span, 4) for a, b in changes],
        "x_labels": [[x(y), str(y)] for y in sorted({years[0], years[-1], *(b.year for _, b in changes)})],
        "y_labels": [[1.0 if hi > lo else 0.5, fmt_number(hi, lang, 1)]]
        + ([[0.0, fmt_number(lo, lang, 1)]] if hi > lo else []),
        "caption": t(
            "profile_population_caption",
            lang,
            years=i18n.year_span(latest[0].year, latest[-1].year),
            sources=", ".join(dict.fromkeys(p.source_id for p in drawn)),
        ),
    }


def default_unit(indicator: str) -> str:
    """The unit of ``indicator`` (indicator_meta.csv)."""
    from lsg_analysis.data.processed import read_indicator_meta

    meta = read_indicator_meta().set_index("indicator")
    return str(meta.at[indicator, "unit"]) if indicator in meta.index else ""


def source_items(lines: list[IndicatorLine], lang: str) -> list[dict[str, str]]:
    """The producer tables behind the profile's values, each once (a derived id such as ``S14+S01`` by its
    inputs), sorted by id: ``{"id", "text"}`` with the producer and title in the reader's language."""
    from lsg_analysis.core.errors import LsgError
    from lsg_analysis.data.sources import source_info

    from lsg_analysis.outputs.brief.sources import short_producers

    ids = sorted({part for line in lines for part in line.source_id.split("+") if source_text.shown_id(part)})
    infos = []
    for sid in ids:
        try:
            infos.append(source_info(sid))
        except LsgError:  # not in this checkout's catalogue: still named, without a title
            infos.append({})
    producers = short_producers([source_text.producer_name(str(i.get("producer") or ""), lang) for i in infos])
    return [
        {"id": sid, "text": source_text.source_line(sid, {**info, "producer": producer}, lang)}
        for sid, info, producer in zip(ids, infos, producers)
    ]


def summary_lines(lines: list[IndicatorLine], lang: str) -> list[str]:
    """The profile's claims, each from the headlines rules carried by the lines (``gap``: sign of
    :func:`~lsg_analysis.outputs.headlines.better_than`; ``standing``: :func:`~lsg_analysis.outputs.headlines.standing`):
    on how many indicators with a direction the unit is better or worse off than the country, and on which it is
    the best or the worst of its level. A claim with nothing to say is left out."""
    gaps = [line.gap for line in lines if line.gap is not None]
    out = []
    if gaps:
        out.append(
            t(
                "profile_summary_gap",
                lang,
                better=sum(g > 0 for g in gaps),
                worse=sum(g < 0 for g in gaps),
                n=len(gaps),
            )
        )
    for word in ("best", "worst"):
        names = [i18n.indicator_name(line.indicator, lang) for line in lines if line.standing == word]
        if names:
            out.append(t(f"profile_summary_{word}", lang, indicators="; ".join(names)))
    return out


def profile_content(code: str, lang: str, lines: list[IndicatorLine], run: Run | None = None) -> dict[str, Any]:
    """The profile's text and table for ``code`` in ``lang`` (every string from the catalogue). ``run``: the
    results of ``02_migration_border`` the border status and population change come from (its stamp printed);
    None: the default results (``reports/results``)."""
    run = load_run(None, (RUN_NOTEBOOK,)) if run is None else run
    standing = run_standing(code, run.results[RUN_NOTEBOOK])
    cols = ("indicator", "value", None, "rank", "national", "gap", "source", "trend")
    return {
        "lang": lang,
        "kicker": t("profile_kicker", lang),
        "title": i18n.region_name(code, lang),
        "header": [t("year", lang) if c is None else t(f"profile_col_{c}", lang) for c in cols],
        "rows": [_row(line, lang) for line in lines],
        "table_sizes": list(TABLE_SIZES),
        "units": [i18n.unit_label(line.unit, lang) if units.kind(line.unit) == "named" else "" for line in lines],
        "sparks": [spark(line) for line in lines],
        "spans": [i18n.year_span(line.trend[0][0], line.trend[-1][0]) for line in lines],
        "border": border_text(code, lang, standing.km),
        "summary_title": t("profile_section_summary", lang),
        "summary": summary_lines(lines, lang),
        "run_title": t("profile_section_run", lang),
        "run_lines": run_lines(code, standing, lang),
        "stamp": stamp(run.origins[RUN_NOTEBOOK], lang) if RUN_NOTEBOOK in run.origins else "",
        "note": t("profile_note", lang),
        "population_title": t("profile_section_population", lang),
        "population": population_chart(*default_population(code), lang),
        "sources_title": t("data_sources", lang),
        "sources": source_items(lines, lang),
    }


def render_profile(code: str, lang: str, lines: list[IndicatorLine] | None = None, run: Run | None = None) -> bytes:
    """The PDF bytes of the profile of ``code`` in ``lang`` (``run``: as :func:`profile_content`)."""
    import typst

    content = profile_content(code, lang, default_lines(code) if lines is None else lines, run)
    with tempfile.TemporaryDirectory(prefix="lsg-profile-") as tmp:
        root = Path(tmp)
        (root / "profile.typ").write_bytes(TEMPLATE.read_bytes())
        (root / "data.json").write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        return typst.compile(str(root / "profile.typ"), root=str(root), font_paths=[], ignore_system_fonts=True)


def build_profiles(
    region: str, lang: str = "all", out_dir: str | Path | None = None, results_dir: str | Path | None = None
) -> list[Path]:
    """Write ``<out_dir>/profile_<CODE>_<lang>.pdf`` (default ``reports/profiles``); ``region`` is any spelling
    :func:`lsg_analysis.registry.regions.resolve` accepts (unknown → RegionError with the closest names).
    ``results_dir``: the run whose ``02_migration_border`` results give border status and population change
    (``DIR`` or ``DIR/results``; without that file there, the default results), as ``lsg brief --results``."""
    from lsg_analysis.registry.regions import resolve

    code = resolve(region)
    langs = list(LANGS) if parse_lang(lang, allow_all=True) == "all" else [lang]
    run = load_run(results_dir, (RUN_NOTEBOOK,))
    lines = default_lines(code)
    out = Path(out_dir) if out_dir is not None else PROFILES
    return [atomic.write_bytes(out / f"profile_{code}_{x}.pdf", render_profile(code, x, lines, run)) for x in langs]


def build_all(out_dir: str | Path | None = None, results_dir: str | Path | None = None) -> list[Path]:
    """Profiles of every oblast, city and rayon with data (not the composite units of some sources), in ky, ru and
    en (``lsg profile --all``); ``results_dir`` as :func:`build_profiles`."""
    from lsg_analysis.registry.regions import regions

    run = load_run(results_dir, (RUN_NOTEBOOK,))
    out = Path(out_dir) if out_dir is not None else PROFILES
    written = []
    for code in regions().query("level in (1, 2) and kind != 'composite'")["code"]:
        lines = default_lines(code)
        if lines:  # a unit without any indicator value gets no empty profile
            written += [
                atomic.write_bytes(out / f"profile_{code}_{x}.pdf", render_profile(code, x, lines, run)) for x in LANGS
            ]
    return written
