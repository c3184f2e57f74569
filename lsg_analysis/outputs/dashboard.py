"""What does a minister see? One self-contained HTML dashboard in Kyrgyz, Russian and English.

``build_dashboard()`` writes ``reports/dashboard.html``: a static page with the Vega, Vega-Lite and vega-embed
libraries inlined (from ``vl_convert.javascript_bundle``), no CDN, no server; it works from ``file://`` offline.
It reads only the notebooks' recorded results (``reports/results/*.json``, see ``docs/results.md``), the
processed indicators, the region registry and the boundaries.

Views: choropleth (indicator × year × oblast/rayon level), ranking, imbalance trend with its bootstrap
confidence band, border vs interior, consultation usage (rates with CIs, "insufficient data" for suppressed
rates, the sample caveat). One Vega-Lite spec per view and language; the data are embedded once and shared.

Safety: every JSON embedded in a ``<script>`` goes through :func:`script_json`, which escapes ``<``, ``>``,
``&``, U+2028 and U+2029, so a draft title such as ``</script><script>alert(1)</script>`` stays a string.
The page's Content-Security-Policy allows only its own two scripts (by hash) and no network at all.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsg_analysis.core import atomic, paths
from lsg_analysis.core.levels import LANGS
from lsg_analysis.outputs import headlines
from lsg_analysis.runs import results

NOTEBOOKS = results.NOTEBOOKS
ASSETS = Path(__file__).resolve().parent / "dashboard_assets"
#: decimals kept in boundary coordinates (0.001° ≈ 100 m; the page shows the country at most ~1200 px wide)
COORD_DECIMALS = 3
#: simplification tolerance in degrees before rounding (shared borders stay shared: coverage simplification)
SIMPLIFY_DEG = 0.004
ACCENT = "#1f5f99"
BREAK_COLOR = "#8d3f00"
FONT = "DejaVu Sans, Segoe UI, Noto Sans, Arial, sans-serif"
DRAFT_COLUMNS = ("draft_id", "title", "year", "act_type", "drafting_body", "public_record")
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                   0x2028: "\\u2028", 0x2029: "\\u2029"}


# ---------------------------------------------------------------- safety
def script_json(value: Any) -> str:
    """``value`` as JSON that cannot leave a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026`` (so ``</script>`` and ``<!--`` cannot
    occur), U+2028/U+2029 are escaped (line terminators in old JavaScript). JSON.parse gives the same value.
    NaN/inf are refused (they are not JSON); write missing values as ``None``.
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)


def _inline_script(js: str, what: str) -> str:
    """``js`` if it can sit inside ``<script>…</script>`` unchanged; else a clear error."""
    low = js.lower()
    for bad in ("</script", "<!--"):
        if bad in low:
            raise ValueError(f"{what}: contains {bad!r} and cannot be inlined in a <script> element")
    return js


def _csp_hash(js: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(scripts: list[str]) -> str:
    """CSP for the page: no network of any kind; only the given inline scripts run.

    ``'unsafe-eval'`` is needed by Vega's expression compiler; blob:/data: only for the CSV downloads.
    """
    return "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(_csp_hash(s) for s in scripts) + " 'unsafe-eval'",
        "style-src 'unsafe-inline'",
        "img-src data: blob:",
        "connect-src data: blob:",
        "font-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])


# ---------------------------------------------------------------- inputs
@dataclass(frozen=True)
class DashboardInputs:
    """Everything the page is built from (:func:`collect` reads it from the project).

    indicators: long table ``code, year, indicator, value, source_id`` (+ flag columns), one series per
    indicator (the default series of ``load_indicators``); meta: ``indicator, name_ky, name_ru, name_en, unit``;
    regions: ``code, level, name_ky, name_ru, name_en, rayon_map``; geo: ``{"oblast": features, "rayon":
    features}`` (GeoJSON features with ``properties.code``); results: notebook → results JSON; sources: source id
    → ``{producer, title, url, published, accessed}``.
    """

    indicators: Any
    meta: Any
    regions: Any
    geo: dict[str, list[dict[str, Any]]]
    results: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    version: str = ""
    flag_columns: tuple[str, ...] = field(default=())


def geo_features(gdf: Any, *, simplify_deg: float = SIMPLIFY_DEG, decimals: int = COORD_DECIMALS) -> list[dict]:
    """GeoJSON features (``properties.code`` only) of a boundary GeoDataFrame, simplified and rounded.

    Coverage simplification keeps shared borders shared; coordinates are rounded to ``decimals``. Exterior rings
    are made clockwise: d3-geo (inside Vega) reads rings on the sphere, and a counter-clockwise exterior ring
    (the GeoJSON RFC 7946 order) would be drawn as the whole globe minus the unit.
    """
    import shapely

    geoms = shapely.coverage_simplify(gdf.geometry.values, simplify_deg) if simplify_deg else gdf.geometry.values
    geoms = shapely.orient_polygons(geoms, exterior_cw=True)
    out = []
    for code, geom in zip(gdf["code"], geoms):
        mapping = shapely.geometry.mapping(geom)
        out.append({"type": "Feature", "properties": {"code": str(code)},
                    "geometry": {"type": mapping["type"], "coordinates": _round(mapping["coordinates"], decimals)}})
    return out


def _round(coords: Any, decimals: int) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(c), decimals) for c in coords]
    rounded = [_round(c, decimals) for c in coords]
    if rounded and isinstance(rounded[0], list) and rounded[0] and isinstance(rounded[0][0], float):
        rounded = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]  # drop repeated points
    return rounded


def _read_processed(name: str) -> Any:
    """A processed table (``data/processed/<name>``) through its validated loader (:mod:`lsg_analysis.data.processed`:
    DataErrors naming file, row, column; a missing file names it)."""
    from lsg_analysis.data import processed

    readers = {"indicator_meta.csv": processed.read_indicator_meta, "sources.csv": processed.read_sources,
               "corrections.csv": processed.read_corrections}
    return readers[name](paths.PROCESSED / name)


def collect(results_dir: str | Path | None = None) -> DashboardInputs:
    """Read the dashboard's inputs from the project: the three results files, the default series of the
    processed indicators (:func:`lsg_analysis.load_indicators`, validated), the indicator metadata, the region
    registry and both boundary levels."""
    from lsg_analysis.core.version import VERSION as __version__
    from lsg_analysis.geo import boundaries
    from lsg_analysis.data import load, sources
    from lsg_analysis.registry import regions

    res = results.load_all(results_dir)
    table = load.load_indicators(source=None)  # the default series, validated (file, row, column on error)
    flags = ("vintage", "boundaries", "flag", "note")
    indicators = table[["code", "year", "indicator", "value", "source_id", *flags]].reset_index(drop=True)
    meta = _read_processed("indicator_meta.csv")
    geo = {level: geo_features(boundaries.load_boundaries(level, lang="en")) for level in ("oblast", "rayon")}
    infos = {i: dict(info) for r in res.values() for i, info in r.get("sources", {}).items()}
    for i in sorted(set(indicators["source_id"].dropna().astype(str)) - infos.keys()):
        infos[i] = sources.source_info(i)
    return DashboardInputs(indicators=indicators, meta=meta, regions=regions.regions(), geo=geo,
                           results=res, sources=infos, version=__version__, flag_columns=flags)


# ---------------------------------------------------------------- text
class _Text:
    """Catalogue access for one language (``lsg_analysis.i18n``)."""

    def __init__(self, lang: str):
        from lsg_analysis.outputs import i18n

        self.lang = lang
        self.i18n = i18n

    def __call__(self, key: str, **fmt: Any) -> str:
        return self.i18n.t(key, self.lang, **fmt)

    def num(self, x: Any, decimals: int = 1, sign: bool = False) -> str:
        return self.i18n.fmt_number(_num(x), self.lang, decimals, sign=sign)

    def pct(self, x: Any, decimals: int = 1, *, fraction: bool = False, sign: bool = False) -> str:
        return self.i18n.fmt_percent(_num(x), self.lang, decimals, fraction=fraction, sign=sign)

    def date(self, d: Any) -> str:
        return self.i18n.fmt_date(d, self.lang)

    def p(self, p: Any) -> str:
        """A p-value: three decimals, ``< 0,001`` below that."""
        v = _num(p)
        if v is None:
            return self.i18n.no_data(self.lang)
        return "< " + self.num(0.001, 3) if v < 0.001 else self.num(v, 3)


#: catalogue keys of the drafts table's column headers
DRAFT_HEADERS = {"draft_id": "dash_col_draft_id", "title": "dash_col_title", "year": "year",
                 "act_type": "dash_col_act_type", "drafting_body": "dash_col_drafting_body",
                 "public_record": "dash_col_public_record"}
#: consultation indicators shown in the rates chart (shares 0–1; ids of consultations.specs), in this order
RATE_INDICATORS = ("P01", "I01", "I02", "I03", "I03b", "I04", "I05", "I06", "I07", "I08", "I09")
#: inequality measures of the trend table drawn without CIs, with their catalogue keys (legend order)
MEASURE_NAMES = {"gini": "gini_coefficient", "williamson": "dash_williamson", "cv": "dash_cv"}
#: message-catalogue key of a border-vs-interior measure: this prefix + the ``measure_id`` notebook 02 records
#: (``lsg_analysis.analysis.border_interior.MEASURES``)
MEASURE_KEY_PREFIX = "measure_"
#: act types of the register schema (consultation_register_schema.csv, act_type), shown translated
ACT_TYPES = ("constitutional_law", "law", "code", "presidential_decree", "presidential_order", "cabinet_resolution",
             "cabinet_order", "ministerial_order", "agency_order", "jk_resolution", "national_bank_act", "other")
#: catalogue keys the page shows directly (data-i18n attributes and app.js)
PAGE_KEYS = (
    "dash_title", "dash_intro", "map", "ranking", "dash_nav_trend", "dash_nav_border", "dash_nav_consult",
    "data_sources", "data_years", "language", "indicator", "year", "source", "download_data_csv",
    "no_data_available", "national_average", "yes", "no", "unknown", "dash_section_map", "dash_section_ranking",
    "dash_section_trend", "dash_section_border", "dash_section_consult", "dash_level", "dash_level_oblast", "dash_level_rayon",
    "dash_no_data_key", "dash_trend_band", "dash_other_measures", "dash_rates_title", "c_year_table",
    "dash_drafts_title", *DRAFT_HEADERS.values(), *(f"dash_act_{a}" for a in ACT_TYPES),
)


def _ci(tx: _Text, low: str, high: str) -> str:
    return f"{tx('ci95')} {low}–{high}"


def _num(x: Any) -> float | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _columnar(rows: list[dict[str, Any]], columns: list[str]) -> dict[str, Any]:
    return {"columns": list(columns), "data": [[results.clean(r.get(c)) for r in rows] for c in columns]}


def _period(years: list[Any]) -> str:
    ys = sorted({int(y) for y in years if _num(y) is not None})
    if not ys:
        return ""
    return str(ys[0]) if ys[0] == ys[-1] else f"{ys[0]}–{ys[-1]}"


# ---------------------------------------------------------------- specs
def _base(tx: _Text, description: str) -> dict[str, Any]:
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": description,
            "config": {"font": FONT, "view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 11},
                       "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom", "labelLimit": 400}}}


def _year_axis(tx: _Text) -> dict[str, Any]:
    return {"field": "year", "type": "quantitative", "title": tx("year"),
            "axis": {"format": "d", "tickMinStep": 1}, "scale": {"zero": False, "nice": False}}


def map_spec(tx: _Text) -> dict[str, Any]:
    """Choropleth: grey for units without data, blue scale for the value (features prepared in the page)."""
    name = {"field": f"properties.name_{tx.lang}", "type": "nominal", "title": tx("dash_name")}
    value = {"field": "properties.value_text", "type": "nominal", "title": tx("value")}
    s = _base(tx, tx("dash_section_map"))
    s.update({
        "data": {"name": "geo"},
        "projection": {"type": "mercator"},
        "layer": [
            {"mark": {"type": "geoshape", "fill": "#d3d3d3", "stroke": "#ffffff", "strokeWidth": 0.7},
             "encoding": {"tooltip": [name, value]}},
            {"transform": [{"filter": "isValid(datum.properties.value)"}],
             "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.7},
             "encoding": {"color": {"field": "properties.value", "type": "quantitative",
                                    "scale": {"scheme": "blues"},
                                    "legend": {"title": None, "direction": "horizontal", "orient": "bottom"}},
                          "tooltip": [name, value]}},
        ],
    })
    return s


def ranking_spec(tx: _Text) -> dict[str, Any]:
    """Horizontal bars sorted by value; dashed rule at the national value where the data have one."""
    name = f"name_{tx.lang}"
    s = _base(tx, tx("dash_section_ranking"))
    s.update({
        "layer": [
            {"data": {"name": "rank"}, "mark": {"type": "bar", "color": ACCENT},
             "encoding": {
                 "y": {"field": name, "type": "nominal", "sort": "-x", "title": None,
                       "axis": {"labelLimit": 180}},
                 "x": {"field": "value", "type": "quantitative", "title": None, "axis": {"tickCount": 8}},
                 "tooltip": [{"field": name, "type": "nominal", "title": tx("dash_name")},
                             {"field": "value", "type": "quantitative", "title": tx("value"), "format": ",.2~f"}]}},
            {"data": {"name": "national"}, "mark": {"type": "rule", "color": "#b00020", "strokeDash": [5, 3],
                                                    "strokeWidth": 1.5},
             "encoding": {"x": {"field": "value", "type": "quantitative"},
                          "tooltip": [{"field": "value", "type": "quantitative", "title": tx("national_average"),
                                       "format": ",.2~f"}]}},
        ],
    })
    return s


def trend_spec(tx: _Text) -> dict[str, Any]:
    """Theil T by year with its bootstrap 95 % band; segments split at series breaks, breaks marked."""
    x = _year_axis(tx)
    theil = tx("theil_index")
    tip = [{"field": "year", "type": "quantitative", "title": tx("year"), "format": "d"},
           {"field": f"text_{tx.lang}", "type": "nominal", "title": theil}]
    is_break = "isValid(datum.break) && datum.break !== ''"
    s = _base(tx, theil)
    s.update({
        "data": {"name": "trend"},
        "layer": [
            {"mark": {"type": "area", "color": ACCENT, "opacity": 0.22},
             "encoding": {"x": x, "y": {"field": "theil_ci_low", "type": "quantitative", "title": theil},
                          "y2": {"field": "theil_ci_high"}, "detail": {"field": "segment", "type": "nominal"}}},
            {"mark": {"type": "line", "color": ACCENT, "point": {"color": ACCENT}},
             "encoding": {"x": x, "y": {"field": "theil", "type": "quantitative"},
                          "detail": {"field": "segment", "type": "nominal"}, "tooltip": tip}},
            {"transform": [{"filter": is_break}],
             "mark": {"type": "rule", "color": BREAK_COLOR, "strokeDash": [4, 3]},
             "encoding": {"x": {"field": "break_x", "type": "quantitative"},
                          "tooltip": [{"field": "break", "type": "nominal", "title": tx("series_break")}]}},
            {"transform": [{"filter": is_break}],
             "mark": {"type": "text", "color": BREAK_COLOR, "align": "left", "baseline": "top", "dx": 3, "y": 2,
                      "fontSize": 10},
             "encoding": {"x": {"field": "break_x", "type": "quantitative"},
                          "text": {"value": tx("series_break")}}},
        ],
    })
    return s


def measures_spec(tx: _Text) -> dict[str, Any]:
    """Gini, Williamson and CV by year (no CIs recorded for them), split at series breaks."""
    label = f"label_{tx.lang}"
    s = _base(tx, tx("dash_other_measures"))
    s.update({
        "data": {"name": "measures"},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": _year_axis(tx),
            "y": {"field": "value", "type": "quantitative", "title": None},
            "color": {"field": label, "type": "nominal", "title": None,
                      "scale": {"domain": [tx(k) for k in MEASURE_NAMES.values()],
                                "range": ["#1f5f99", "#c2571a", "#3b8a3e"]}},
            "detail": {"field": "segment", "type": "nominal"},
            "tooltip": [{"field": "year", "type": "quantitative", "title": tx("year"), "format": "d"},
                        {"field": label, "type": "nominal", "title": tx("indicator")},
                        {"field": f"text_{tx.lang}", "type": "nominal", "title": tx("value")}],
        },
    })
    return s


def border_spec(tx: _Text) -> dict[str, Any]:
    """Border vs interior, one row per measure (own x scale each), value labels at the bar ends."""
    group = f"group_{tx.lang}"
    s = _base(tx, tx("dash_section_border"))
    groups = [tx("col_border"), tx("col_interior")]
    bar_enc = {"y": {"field": group, "type": "nominal", "title": None, "sort": groups,
                     "axis": {"labels": False, "ticks": False, "domain": False}},
               "x": {"field": "value", "type": "quantitative", "title": None, "axis": {"tickCount": 5}},
               "color": {"field": group, "type": "nominal", "title": None,
                         "scale": {"domain": groups, "range": ["#c2571a", "#1f5f99"]}},
               "tooltip": [{"field": f"label_{tx.lang}", "type": "nominal", "title": tx("indicator")},
                           {"field": group, "type": "nominal", "title": tx("col_border") + " / " + tx("col_interior")},
                           {"field": f"text_{tx.lang}", "type": "nominal", "title": tx("value")},
                           {"field": f"stat_{tx.lang}", "type": "nominal", "title": "p, n"}]}
    s.update({
        "data": {"name": "border"},
        "facet": {"row": {"field": f"label_{tx.lang}", "type": "nominal", "title": None, "sort": {"field": "order"},
                          "header": {"labelAngle": 0, "labelOrient": "top", "labelAnchor": "start",
                                     "labelAlign": "left", "labelFontSize": 12, "labelLimit": 0}}},
        "spec": {"height": {"step": 22},
                 "layer": [{"mark": {"type": "bar"}, "encoding": bar_enc},
                           {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 11},
                            "encoding": {"y": bar_enc["y"], "x": {"field": "label_x", "type": "quantitative"},
                                         "text": {"field": f"text_{tx.lang}", "type": "nominal"}}}]},
        "resolve": {"scale": {"x": "independent"}},
    })
    return s


def growth_spec(tx: _Text) -> dict[str, Any]:
    """Mean annual population growth per unit, bars coloured border/interior."""
    name, group = f"name_{tx.lang}", f"group_{tx.lang}"
    s = _base(tx, tx("dash_section_border"))
    s.update({
        "data": {"name": "growth"},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": name, "type": "nominal", "sort": "-x", "title": None, "axis": {"labelLimit": 180}},
            "x": {"field": "growth_pct_per_year", "type": "quantitative", "title": "%", "axis": {"tickCount": 6}},
            "color": {"field": group, "type": "nominal", "title": None,
                      "scale": {"domain": [tx("col_border"), tx("col_interior")],
                                "range": ["#c2571a", "#1f5f99"]}},
            "tooltip": [{"field": name, "type": "nominal", "title": tx("dash_name")},
                        {"field": group, "type": "nominal", "title": tx("col_border") + " / " + tx("col_interior")},
                        {"field": f"text_{tx.lang}", "type": "nominal", "title": "%"}],
        },
    })
    return s


def rates_spec(tx: _Text) -> dict[str, Any]:
    """Rates (share 0–1) with 95 % CI whiskers, the label above each row (readable on a phone); suppressed
    rates say "insufficient data" instead of a point."""
    label = f"label_{tx.lang}"
    y = {"field": "indicator", "type": "nominal", "title": None, "sort": None,
         "axis": {"labels": False, "ticks": False, "domain": False}}
    x = {"field": "value", "type": "quantitative", "title": tx("share"),
         "scale": {"domain": [0, 1]}, "axis": {"format": ".0%", "tickCount": 5}}
    tip = [{"field": label, "type": "nominal", "title": tx("indicator")},
           {"field": f"text_{tx.lang}", "type": "nominal", "title": tx("value")}]
    shown = "!datum.suppressed && isValid(datum.value)"
    s = _base(tx, tx("dash_rates_title"))
    s.update({
        "data": {"name": "rates"},
        "transform": [{"calculate": "0", "as": "zero"}],
        "encoding": {"y": y},
        "layer": [
            {"mark": {"type": "text", "align": "left", "baseline": "bottom", "dy": -8, "fontSize": 11,
                      "color": "#1f2933"},
             "encoding": {"x": {"field": "zero", "type": "quantitative"},
                          "text": {"field": label, "type": "nominal"}}},
            {"transform": [{"filter": shown}], "mark": {"type": "rule", "color": ACCENT, "strokeWidth": 2},
             "encoding": {"x": {**x, "field": "ci_low"}, "x2": {"field": "ci_high"}, "tooltip": tip}},
            {"transform": [{"filter": shown}], "mark": {"type": "point", "filled": True, "size": 60, "color": ACCENT},
             "encoding": {"x": x, "tooltip": tip}},
            {"transform": [{"filter": f"!({shown})"}],
             "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 2, "fontStyle": "italic",
                      "color": "#8d3f00"},
             "encoding": {"x": {"field": "zero", "type": "quantitative"},
                          "text": {"value": tx("dash_insufficient_data")}, "tooltip": tip}},
        ],
    })
    return s


def by_year_spec(tx: _Text) -> dict[str, Any]:
    """Drafts per year, stacked: with / without a public record of LSG consultation."""
    kind = f"kind_{tx.lang}"
    s = _base(tx, tx("c_year_table"))
    s.update({
        "data": {"name": "by_year"},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": f"year_{tx.lang}", "type": "ordinal", "title": tx("year"), "sort": {"field": "year_sort"},
                  "axis": {"labelAngle": -90}},
            "y": {"field": "count", "type": "quantitative", "title": tx("dash_count"), "axis": {"tickMinStep": 1}},
            "color": {"field": kind, "type": "nominal", "title": None,
                      "scale": {"domain": [tx("c_col_public"), tx("dash_without_record")],
                                "range": [ACCENT, "#b8c4ce"]}},
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [{"field": f"year_{tx.lang}", "type": "ordinal", "title": tx("year")},
                        {"field": kind, "type": "nominal", "title": tx("dash_count")},
                        {"field": "count", "type": "quantitative", "title": "n"}],
        },
    })
    return s


SPECS = {"map": map_spec, "ranking": ranking_spec, "trend": trend_spec, "measures": measures_spec,
         "border": border_spec, "growth": growth_spec, "rates": rates_spec, "by_year": by_year_spec}


def specs(lang: str) -> dict[str, dict[str, Any]]:
    """The Vega-Lite spec of every chart in ``lang`` (data by name; the page supplies the datasets)."""
    tx = _Text(lang)
    return {name: build(tx) for name, build in SPECS.items()}


# ---------------------------------------------------------------- datasets
def _segments(rows: list[dict[str, Any]]) -> list[int]:
    """Segment number per year row: :func:`lsg_analysis.data.series.split_at_marks` of the rows' break marks."""
    from lsg_analysis.data import series

    return series.split_at_marks([r.get("break") for r in rows])


def trend_data(res: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """Rows for the Theil chart and the long rows of the other measures (labels in every language)."""
    rows = sorted(results.rows(res, "trend"), key=lambda r: r["year"])
    segs = _segments(rows)
    trend, measures = [], []
    txs = {lang: _Text(lang) for lang in LANGS}
    for r, seg in zip(rows, segs):
        t = {k: results.clean(r.get(k)) for k in ("year", "theil", "theil_ci_low", "theil_ci_high", "break")}
        t["segment"] = seg
        t["break_x"] = (r["year"] - 0.5) if r.get("break") not in (None, "") else None
        for lang, tx in txs.items():
            ci = _ci(tx, tx.num(r.get("theil_ci_low"), 3), tx.num(r.get("theil_ci_high"), 3))
            t[f"text_{lang}"] = f"{tx.num(r.get('theil'), 3)} ({ci})"
        trend.append(t)
        for m, key in MEASURE_NAMES.items():
            if _num(r.get(m)) is None:
                continue
            row = {"year": results.clean(r["year"]), "measure": m, "value": results.clean(r[m]), "segment": seg}
            for lang, tx in txs.items():
                row[f"label_{lang}"] = tx(key)
                row[f"text_{lang}"] = tx.num(r[m], 3)
            measures.append(row)
    return trend, measures


def border_data(res: dict[str, Any], names: dict[str, dict[str, Any]]) -> tuple[list[dict], list[dict]]:
    """Long rows border/interior per measure, and growth per unit with names and group labels."""
    txs = {lang: _Text(lang) for lang in LANGS}
    long = []
    for i, r in enumerate(results.rows(res, "border_vs_interior")):
        if _num(r.get("border")) is None and _num(r.get("interior")) is None:
            continue  # a measure without data (stays in the CSV with its note)
        key = MEASURE_KEY_PREFIX + str(r.get("measure_id"))
        if not all(tx.i18n.has(key, lang) for lang, tx in txs.items()):
            from lsg_analysis.core.errors import DataError

            raise DataError("reports/results/02_migration_border.json", r.get("measure_id"),
                            f"a measure id with a message key {MEASURE_KEY_PREFIX}<id> in ky, ru and en "
                            "(lsg_analysis/outputs/i18n_data/messages.csv)", row=i + 2, column="measure_id")
        for group in ("border", "interior"):
            v = _num(r.get(group))
            row = {"measure": r["measure_id"], "weighting": r.get("weighting"), "group": group, "value": v,
                   "label_x": v if v is not None else None, "order": i}
            for lang, tx in txs.items():
                label = tx(key)
                if r.get("weighting"):
                    label += " (" + tx("dash_weighting_" + str(r["weighting"])) + ")"
                if r.get("level") in ("oblast", "rayon"):  # both levels in one table: say which, when, how many
                    label += " — " + ", ".join([tx(f"level_{r['level']}"), *_period_text(r.get("period")),
                                                f"n = {_int_text(r.get('n_border'))} / "
                                                f"{_int_text(r.get('n_interior'))}"])
                row[f"label_{lang}"] = label
                row[f"group_{lang}"] = tx(f"col_{group}")
                row[f"text_{lang}"] = tx.num(v, 2)
                row[f"stat_{lang}"] = tx("dash_p_n", p=tx.p(r.get("p")), n=str(results.clean(r.get(f"n_{group}"))))
            long.append(row)
    growth = []
    for r in results.rows(res, "population_change"):
        g = {"code": r["code"], "growth_pct_per_year": _num(r.get("growth_pct_per_year")),
             "border": bool(r.get("border")), "depopulating": results.clean(r.get("depopulating"))}
        if g["growth_pct_per_year"] is None:
            continue
        for lang, tx in txs.items():
            g[f"name_{lang}"] = names.get(r["code"], {}).get(lang, r["code"])
            g[f"group_{lang}"] = tx("col_border" if g["border"] else "col_interior")
            g[f"text_{lang}"] = tx.num(g["growth_pct_per_year"], 2, sign=True)
        growth.append(g)
    return long, growth


def _period_text(period: Any) -> list[str]:
    """A comparison's period for a label (``2012-2020`` → ``2012–2020``); nothing when unknown or ``-``."""
    text = str(period or "").strip()
    return [] if text in ("", "-", "None") else [text.replace("-", "–")]


def consult_data(res: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """Rates with CI text (or "insufficient data") and drafts by year, long form for stacking."""
    txs = {lang: _Text(lang) for lang in LANGS}
    rates = []
    order = {k: i for i, k in enumerate(RATE_INDICATORS)}
    for r in sorted((r for r in results.rows(res, "rates") if r["indicator"] in order),
                    key=lambda r: (order[r["indicator"]], str(r.get("group")))):
        sup = bool(r.get("suppressed"))
        row = {k: results.clean(r.get(k)) for k in ("indicator", "group", "n", "n_known", "value", "ci_low", "ci_high")}
        row["suppressed"] = sup
        for lang, tx in txs.items():
            label = tx(f"dash_rate_{r['indicator']}")
            if r.get("group") not in (None, "", "all"):
                label += f" — {r['group']}"
            row[f"label_{lang}"] = label
            if sup or _num(r.get("value")) is None:
                val = tx("dash_insufficient_data")
            else:
                val = tx.pct(r["value"], 1, fraction=True) + "; " + _ci(
                    tx, tx.pct(r.get("ci_low"), 1, fraction=True), tx.pct(r.get("ci_high"), 1, fraction=True))
            row[f"text_{lang}"] = f"{val}; n = {results.clean(r.get('n'))}, n known = {results.clean(r.get('n_known'))}"
        rates.append(row)
    by_year = []
    for r in results.rows(res, "by_year"):
        n, rec, year = _num(r.get("n")), _num(r.get("public_record")), _num(r.get("year"))
        if n is None or rec is None:
            continue
        for order, (kind, count) in enumerate((("with", rec), ("without", n - rec))):
            row = {"year": results.clean(r["year"]), "year_sort": 9999 if year is None else int(year), "kind": kind,
                   "count": count, "order": order}
            for lang, tx in txs.items():
                row[f"kind_{lang}"] = tx("c_col_public" if kind == "with" else "dash_without_record")
                row[f"year_{lang}"] = tx("unknown") if year is None else str(int(year))
            by_year.append(row)
    return rates, by_year


# ---------------------------------------------------------------- headline numbers and texts
def _kpi(value: str, label: str, note: str = "") -> dict[str, str]:
    return {"value": value, "label": label, "note": note}


def _level_text(tx: _Text, level: Any) -> str:
    return tx(f"level_{level}") if level in ("oblast", "rayon") else str(level or "")


def texts(inputs: DashboardInputs, lang: str) -> tuple[dict[str, str], dict[str, list[dict[str, str]]]]:
    """Page messages of ``lang`` (catalogue keys + pre-filled sentences ``_*``) and the headline numbers."""
    tx = _Text(lang)
    msgs = {k: tx(k) for k in PAGE_KEYS}
    imb, mig, con = (inputs.results[nb] for nb in NOTEBOOKS)
    m = lambda res, k: results.value(res, k)  # noqa: E731
    indicator = m(imb, "indicator")
    ind_name = tx.i18n.indicator_name(indicator, lang) if indicator else tx.i18n.no_data(lang)
    trend_years = [r["year"] for r in results.rows(imb, "trend")]
    msgs["_trend_title"] = tx("dash_trend_title", indicator=ind_name, level=_level_text(tx, m(imb, "level")),
                              period=_period(trend_years))
    window = str(m(mig, "window") or "")
    mig_level = m(mig, "level") or mig.get("parameters", {}).get("level")
    rayon_year = (mig.get("metrics", {}).get("rayon_poverty_gap_pp") or {}).get("year") or tx.i18n.no_data(lang)
    rayon_leads = headlines.border_headline(mig) == "rayon_poverty"
    msgs["_border_title"] = (tx("dash_border_title_levels", window=window, year=rayon_year) if rayon_leads else
                             tx("dash_border_title", level=_level_text(tx, mig_level), window=window))
    msgs["_growth_title"] = tx("dash_growth_title", window=window)
    msgs["_consult_caveat"] = tx("c_caveat") + " " + tx("dash_sample_n", n=_int_text(m(con, "n_rows")),
                                                        n_state=_int_text(m(con, "n_state_drafts")))
    msgs["_footer"] = tx("dash_footer", version=inputs.version, date=tx.date(data_date(inputs)))

    y_last, y_first = m(imb, "year_last"), m(imb, "year_first")
    cons = headlines.consultation(con)
    change = headlines.theil_change(imb)
    change_label = (tx("f_change_unbroken_label", first=_int_text(change.first), last=_int_text(change.last))
                    if change.unbroken and change.value is not None else
                    tx("f_change_label", first=_int_text(y_first), last=_int_text(y_last)))
    kpis = {
        "trend": [
            _kpi(tx.num(m(imb, "theil_last"), 3), tx("f_theil_label", year=_int_text(y_last)),
                 _ci(tx, tx.num(m(imb, "theil_last_ci_low"), 3), tx.num(m(imb, "theil_last_ci_high"), 3))),
            _kpi(tx.pct(change.value, 1, sign=True), change_label,
                 tx("f_change_break") if _num(change.value) is None else ""),
            _kpi(tx.num(m(imb, "gini_last"), 3), tx("dash_kpi_gini", year=_int_text(y_last))),
        ],
        "border": [
            *([_kpi(tx.num(m(mig, "rayon_poverty_gap_pp"), 1, sign=True) + "\u00a0" + tx("unit_pp"),
                    tx("f_rayon_poverty_label", year=rayon_year),
                    tx("dash_rayon_poverty_note", border=tx.pct(m(mig, "rayon_poverty_border_pct"), 1),
                       interior=tx.pct(m(mig, "rayon_poverty_interior_pct"), 1),
                       p=tx.p(m(mig, "rayon_poverty_gap_p")), n_border=_int_text(m(mig, "n_border_rayons")),
                       n_interior=_int_text(m(mig, "n_interior_rayons"))))]
              if rayon_leads else []),
            _kpi(tx.pct(m(mig, "growth_border_pct"), 2, sign=True), tx("col_border"), tx("m_growth_pct")),
            _kpi(tx.pct(m(mig, "growth_interior_pct"), 2, sign=True), tx("col_interior"), tx("m_growth_pct")),
            _kpi(tx.num(m(mig, "growth_gap_pp"), 2, sign=True) + "\u00a0" + tx("unit_pp"),
                 tx("f_border_label", window=window),
                 "; ".join(["p = " + tx.p(m(mig, "growth_gap_p")),
                            tx("dash_n_units", n_border=_int_text(m(mig, "growth_n_border")),
                               n_interior=_int_text(m(mig, "growth_n_interior"))),
                            *_interior_text(tx, headlines.interior_units(mig))])),
            _kpi(_int_text(m(mig, "n_depopulating")), tx("dash_kpi_depopulating", window=window)),
        ],
        "consult": [
            _kpi(tx.pct(m(con, "public_record_share"), 1, fraction=True), tx("f_consult_label"),
                 _ci(tx, tx.pct(m(con, "public_record_share_ci_low"), 1, fraction=True),
                     tx.pct(m(con, "public_record_share_ci_high"), 1, fraction=True))),
            _kpi(tx("dash_insufficient_data") if _num(cons.rate) is None
                 else tx.pct(cons.rate, 1, fraction=True), tx("c_rate_label"),
                 f"{tx('c_n_known_label')}: {_int_text(m(con, 'consultation_rate_n_known'))}; "
                 f"{tx('c_unknown_label')}: {tx.pct(m(con, 'consultation_rate_unknown_share'), 0, fraction=True)}"),
            _kpi(tx("dash_insufficient_data") if _num(cons.median_days) is None
                 else tx.num(cons.median_days, 0), tx("c_median_days_label")),
        ],
    }
    return msgs, kpis


def _interior_text(tx: _Text, codes: list[str]) -> list[str]:
    """``["interior units: Bishkek city, Osh city"]`` from the interior units' codes; [] if there are none."""
    names = [tx.i18n.region_name(c, tx.lang) for c in codes]
    return [tx("dash_interior_units", units=", ".join(names))] if names else []


def _int_text(x: Any) -> str:
    v = _num(x)
    return "–" if v is None else str(int(round(v)))


def data_date(inputs: DashboardInputs) -> str | None:
    """The newest ``accessed`` (else ``published``) date of the sources used: the page's "data as of"."""
    dates = [str(s.get("accessed") or s.get("published") or "")[:10] for s in inputs.sources.values()]
    dates = [d for d in dates if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)]
    return max(dates) if dates else None


def _date_text(tx: _Text, value: Any) -> str:
    """An ISO date in the language's long form; any other text (``not stated``, ``2024``) as written."""
    text = str(value).strip()
    return tx.date(text[:10]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text[:10]) else text


def _source_entry(info: dict[str, Any]) -> dict[str, Any]:
    dates = {}
    for lang in LANGS:
        tx = _Text(lang)
        parts = []
        if info.get("published"):
            parts.append(tx("dash_published", date=_date_text(tx, info["published"])))
        if info.get("accessed"):
            parts.append(tx("accessed", date=_date_text(tx, info["accessed"])))
        dates[lang] = "; ".join(parts)
    inputs = info.get("inputs") or []
    if isinstance(inputs, str):
        inputs = [i for i in inputs.split(";") if i]
    return {"producer": str(info.get("producer") or ""), "title": str(info.get("title") or ""),
            "url": str(info.get("url") or ""), "dates": dates, "inputs": [str(i) for i in inputs]}


def _sources_block(infos: dict[str, dict[str, Any]], used: set[str]) -> dict[str, dict[str, Any]]:
    """Entries of the sources used, plus the inputs of derived sources (``S14+S01`` → S14, S01)."""
    out: dict[str, dict[str, Any]] = {}
    todo = sorted(used)
    while todo:
        i = todo.pop(0)
        if i in out or i not in infos:
            continue
        out[i] = _source_entry(infos[i])
        todo += [j for j in out[i]["inputs"] if j not in out]
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- page data
def _digits(values: list[float]) -> int:
    """Decimals to show for an indicator: those of the published values, at most 3 below 10 and 1 above."""
    vals = [v for v in values if v is not None]
    if not vals:
        return 1
    observed = max(len(f"{v:.6f}".rstrip("0").split(".")[1]) for v in vals)
    return min(observed, 3 if max(abs(v) for v in vals) < 10 else 1)


def _region_names(regions: Any) -> dict[str, dict[str, Any]]:
    """code → names in ky/ru/en and the map levels it is shown on (national, oblast, rayon)."""
    out = {}
    for r in regions.to_dict("records"):
        level = int(r["level"])
        on_rayon_map = str(r.get("rayon_map")).strip().lower() in ("true", "1", "yes")
        levels = {0: ["national"], 1: ["oblast"] + (["rayon"] if on_rayon_map else []),
                  2: ["rayon"] if on_rayon_map else []}.get(level, [])
        out[str(r["code"])] = {**{lang: str(r[f"name_{lang}"]) for lang in LANGS}, "level": level, "levels": levels}
    return out


def _meta_text(row: dict[str, Any], column: str, i: int) -> str:
    """A display text of indicator_meta.csv; a blank cell is an error (never shown as "nan" or another language)."""
    value = row.get(column)
    if not isinstance(value, str) or not value.strip():
        from lsg_analysis.core.errors import DataError

        raise DataError("data/processed/indicator_meta.csv", value, f"a {column} for indicator {row['indicator']!r}",
                        row=i + 2, column=column)
    return value.strip()


def page_data(inputs: DashboardInputs, default_lang: str = "ky") -> dict[str, Any]:
    """The JSON the page runs on: specs per language, shared datasets, texts, sources."""
    from lsg_analysis.outputs import i18n

    names = _region_names(inputs.regions)
    ind = inputs.indicators
    ind = ind[ind["value"].notna() & ind["code"].astype(str).isin(names.keys())]
    meta = {}
    for i, r in enumerate(inputs.meta.to_dict("records")):
        rows = ind[ind["indicator"] == r["indicator"]]
        if rows.empty:
            continue
        level = rows["code"].map(lambda c: names[c]["level"])
        levels = {"oblast": sorted({int(y) for y in rows.loc[level == 1, "year"]}),
                  "rayon": sorted({int(y) for y in rows.loc[level == 2, "year"]})}
        if not (levels["oblast"] or levels["rayon"]):
            continue
        meta[r["indicator"]] = {
            "name": {lang: _meta_text(r, f"name_{lang}", i) for lang in LANGS},
            "unit": {lang: i18n.unit_label(str(r["unit"]), lang) for lang in LANGS},
            "unit_id": str(r["unit"]), "levels": levels,
            "digits": _digits([float(v) for v in rows["value"]]),
        }
    ind = ind[ind["indicator"].isin(meta.keys())]
    ind_cols = ["code", "year", "indicator", "value", "source_id", *inputs.flag_columns]
    order = sorted(meta, key=lambda k: meta[k]["name"]["en"].lower())
    imb, mig, con = (inputs.results[nb] for nb in NOTEBOOKS)
    default_ind = results.value(imb, "indicator")
    trend, measures = trend_data(imb)
    border, growth = border_data(mig, names)
    rates, by_year = consult_data(con)
    drafts = results.rows(con, "drafts")
    messages, kpis = {}, {}
    for lang in LANGS:
        msgs, k = texts(inputs, lang)
        messages[lang], kpis[lang] = msgs, k
    csv_tables = {view: [{"name": name, "table": results.columnar(res, key)} for name, key in tables]
                  for view, res, tables in (
                      ("trend", imb, [("imbalance_trend", "trend")]),
                      ("border", mig, [("border_vs_interior", "border_vs_interior"),
                                       ("population_change", "population_change")]),
                      ("consult", con, [("consultation_rates", "rates"), ("drafts_by_year", "by_year"),
                                        ("drafts", "drafts")]))}
    used_sources = set(ind["source_id"].astype(str))
    for res in inputs.results.values():
        for t in res.get("tables", {}).values():
            used_sources |= set(t.get("sources", []))
        for mm in res.get("metrics", {}).values():
            used_sources |= set(mm.get("sources", []))
    return {
        "langs": list(LANGS), "default_lang": default_lang, "version": inputs.version,
        "default_indicator": default_ind if default_ind in meta else (order[0] if order else None),
        "indicator_order": order, "meta": meta, "flag_columns": list(inputs.flag_columns),
        "indicators": _columnar(ind.to_dict("records"), ind_cols),
        "names": names, "geo": inputs.geo,
        "locales": {lang: {"decimal": i18n.SEPARATORS[lang][1], "thousands": i18n.SEPARATORS[lang][0],
                           "grouping": [3], "currency": ["", ""]} for lang in LANGS},
        "specs": {lang: specs(lang) for lang in LANGS},
        "datasets": {"trend": trend, "measures": measures, "border": border, "growth": growth,
                     "rates": rates, "by_year": by_year},
        "csv": csv_tables,
        "drafts": _columnar(drafts, list(DRAFT_COLUMNS)), "draft_columns": list(DRAFT_COLUMNS),
        "draft_headers": DRAFT_HEADERS,
        "messages": messages, "kpis": kpis,
        "views": {"trend": {"sources": results.table_sources(imb, "trend"), "period": _period([r["year"] for r in trend])},
                  "border": {"sources": results.table_sources(mig, "border_vs_interior", "population_change"),
                             "period": str(results.value(mig, "window") or "")},
                  "consult": {"sources": results.table_sources(con, "rates", "by_year", "drafts"),
                              "period": _period([r["year"] for r in by_year])}},
        "sources": _sources_block(inputs.sources, used_sources),
    }


# ---------------------------------------------------------------- HTML
def vega_bundle() -> str:
    """Vega, Vega-Lite (the version Altair targets) and vega-embed as one script, from vl-convert."""
    import altair as alt
    import vl_convert as vlc

    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return _inline_script(vlc.javascript_bundle(vl_version=version), "vl_convert.javascript_bundle()")


def render_html(data: dict[str, Any], bundle: str | None = None) -> str:
    """The complete page for ``data`` (from :func:`page_data`)."""
    template = (ASSETS / "page.html").read_text(encoding="utf-8")
    app = _inline_script((ASSETS / "app.js").read_text(encoding="utf-8"), "dashboard_assets/app.js")
    vega = bundle if bundle is not None else vega_bundle()
    lang = data["default_lang"]
    parts = {
        "LANG": lang, "VERSION": html.escape(str(data["version"])),
        "TITLE": html.escape(data["messages"][lang]["dash_title"]),
        "CSP": html.escape(content_security_policy([vega, app]), quote=False),
        "VEGA": vega, "APP": app, "DATA": script_json(data),
    }
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda mt: parts[mt.group(1)], template)


def build_dashboard(out: str | Path | None = None) -> Path:
    """Write the dashboard (default ``reports/dashboard.html``) atomically and return its path."""
    target = Path(out) if out is not None else paths.REPORTS / "dashboard.html"
    page = render_html(page_data(collect()))
    atomic.write_text(target, page)
    return target
