"""The shared drawing rules (lsg_analysis.outputs.drawing) on small cases, and on the figures that use them:
a missing year or a declared break ends every line and band; break labels never overlap points or each other."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from lsg_analysis.data import processed, series
from lsg_analysis.outputs import drawing, plots


def test_pieces_split_at_missing_years_missing_values_and_segments():
    years = [2011, 2012, 2013, 2015, 2016, 2017, 2018, 2019]
    values = [1.0, 2.0, 3.0, 4.0, None, 5.0, 6.0, 7.0]
    segments = [0, 0, 0, 0, 0, 0, 1, 1]
    assert drawing.pieces(years, [values], segments) == [0, 0, 0, 1, None, 2, 3, 3]
    assert drawing.pieces(years) == [0, 0, 0, 1, 1, 1, 1, 1]
    assert drawing.runs(years, drawing.pieces(years, [values], segments)) == [[0, 1, 2], [3], [5], [6, 7]]


def test_a_band_needs_both_bounds():
    years = [2000, 2001, 2002, 2003]
    assert drawing.pieces(years, [[1, 1, float("nan"), 1], [2, 2, 2, 2]]) == [0, 0, None, 1]
    assert drawing.pieces([], [[]]) == []


def test_lanes_never_put_overlapping_intervals_together():
    intervals = [(0, 3), (1, 4), (3.5, 5), (2, 2.5), (6, 7)]
    lane = drawing.lanes(intervals, gap=0.25)
    assert lane == [0, 1, 0, 2, 0]
    for i, a in enumerate(intervals):
        for j, b in enumerate(intervals):
            if i < j and lane[i] == lane[j]:
                assert a[1] + 0.25 <= b[0] or b[1] + 0.25 <= a[0]
    assert drawing.lanes([]) == []


def test_break_is_drawn_half_way_and_small_units_are_the_cities():
    assert drawing.break_x(2018, 2019) == 2018.5
    frame = pd.DataFrame({"code": ["KG-C", "KG-GB", "KG-GO"], "kind": ["oblast", "city_republican", "city_republican"]})
    assert drawing.small_units(frame) == ["KG-GB", "KG-GO"]
    assert drawing.small_units(frame[["code"]]) == ["KG-GB", "KG-GO"]


def _line_years(ax) -> list[list[float]]:
    return [list(np.asarray(line.get_xdata(), dtype=float)) for line in ax.lines if len(line.get_xdata()) > 0]


def test_rayon_poverty_lines_break_at_the_missing_2019():
    data = processed.load_indicators("rayon_poverty_rate", codes="KG02205000000")
    assert 2019 not in set(data["year"]) and {2018, 2020} <= set(data["year"])
    fig = plots.line_chart(data, breaks=series.read_breaks())
    pieces = [xs for xs in _line_years(fig.axes[0]) if not (len(xs) == 2 and xs[0] == xs[1])]
    assert pieces and all(np.all(np.diff(xs) == 1) for xs in pieces)
    assert not any(2018 in xs and 2020 in xs for xs in pieces)


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _trend_frame() -> pd.DataFrame:
    years = list(range(2012, 2023))
    theil = [0.2, 0.21, None, 0.22, 0.23, 0.24, 0.25, 0.3, 0.31, 0.26, 0.27]
    return pd.DataFrame(
        {
            "year": years,
            "theil": theil,
            "lo": [None if v is None else v - 0.02 for v in theil],
            "hi": [None if v is None else v + 0.02 for v in theil],
        }
    )


def test_trend_band_and_line_have_gaps_at_missing_years_and_breaks():
    breaks = {2019: "series break", 2021: "series break"}
    fig = plots.trend(_trend_frame(), "year", ["theil"], band=("lo", "hi"), breaks=breaks)
    ax = fig.axes[0]
    lines = [xs for xs in _line_years(ax) if not math.isclose(xs[0], xs[-1]) or len(xs) == 1]
    drawn = [xs for xs in lines if all(float(x).is_integer() for x in xs)]
    assert [(xs[0], xs[-1]) for xs in drawn] == [(2012, 2013), (2015, 2018), (2019, 2020), (2021, 2022)]
    bands = [c.get_paths()[0].vertices[:, 0] for c in ax.collections if isinstance(c, PolyCollection)]
    spans = sorted((float(v.min()), float(v.max())) for v in bands if len(v))
    assert spans == [(2012, 2013), (2015, 2018), (2019, 2020), (2021, 2022)]


@pytest.mark.parametrize("years_apart", [1, 2, 5])
def test_break_labels_overlap_neither_points_nor_each_other(years_apart):
    frame = _trend_frame()
    breaks = {2015: "a long series break label", 2015 + years_apart: "series break", 2021: "method"}
    fig = plots.trend(frame, "year", ["theil"], band=("lo", "hi"), breaks=breaks, title="Title", size=(4.0, 2.0))
    fig.draw_without_rendering()
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else fig._get_renderer()
    labels = [t for t in ax.texts if t.get_text() in breaks.values()]
    assert len(labels) == 3
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not _overlap(boxes[i], boxes[j]), (labels[i].get_text(), labels[j].get_text())
    pts = ax.transData.transform(frame[["year", "theil"]].dropna().to_numpy(float))
    r = 3 * fig.dpi / 72  # marker radius
    for box in boxes:
        for x, y in pts:
            assert not (box.x0 - r < x < box.x1 + r and box.y0 - r < y < box.y1 + r)
        assert not _overlap(box, ax.title.get_window_extent(renderer))


def _trend_results(years, breaks):
    cols = ["year", "theil", "theil_ci_low", "theil_ci_high", "gini", "williamson", "cv", "break"]
    rows = [[y, 0.2, 0.1, 0.3, 0.3, 0.5, 0.6, "method" if y in breaks else ""] for y in years]
    return {"tables": {"trend": {"columns": cols, "rows": rows}}}


def test_dashboard_trend_rows_carry_the_pieces_and_label_lanes():
    from lsg_analysis.outputs.dashboard import datasets

    years = [2012, 2013, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022]  # 2014 missing
    trend, measures = datasets.trend_data(_trend_results(years, {2019, 2020}))
    by_year = {r["year"]: r for r in trend}
    assert [by_year[y]["segment"] for y in years] == [0, 0, 1, 1, 1, 1, 2, 3, 3, 3]
    assert [by_year[y]["band_segment"] for y in years] == [0, 0, 1, 1, 1, 1, 2, 3, 3, 3]
    gini = {r["year"]: r["segment"] for r in measures if r["measure"] == "gini"}
    assert gini[2013] != gini[2015] and gini[2018] != gini[2019]
    # the two labels, a year apart, would overlap at the narrowest plot that shows them: two lanes
    for lang in ("ky", "ru", "en"):
        lanes = [by_year[y][f"break_lane_{lang}"] for y in (2019, 2020)]
        assert sorted(lanes) == [0, 1], lang
        assert by_year[2018][f"break_lane_{lang}"] is None
    far = datasets.trend_data(_trend_results(list(range(2000, 2023)), {2005, 2020}))[0]
    assert [r["break_lane_en"] for r in far if r["break_lane_en"] is not None] == [0, 0]


def test_dashboard_specs_split_band_and_line_and_put_break_labels_above_the_plot():
    from lsg_analysis.outputs.dashboard.specs import specs

    for lang in ("ky", "ru", "en"):
        spec = specs(lang)["trend"]
        band, line, _rule, label = spec["layer"]
        assert band["encoding"]["detail"]["field"] == "band_segment"
        assert line["encoding"]["detail"]["field"] == "segment"
        assert label["encoding"]["y"]["scale"] is None and label["encoding"]["y"]["field"] == "break_y"
        calc = [t for t in label["transform"] if "calculate" in t]
        assert calc and f"break_lane_{lang}" in calc[0]["calculate"] and calc[0]["calculate"].startswith("-")
        cities = [layer for layer in specs(lang)["map"]["layer"] if layer["mark"]["type"] == "text"]
        assert cities and all("longitude" in layer["encoding"] for layer in cities)


def test_dashboard_map_features_mark_the_two_cities():
    import geopandas as gpd

    from lsg_analysis.geo import boundaries
    from lsg_analysis.outputs.dashboard import inputs

    gdf = boundaries.load_boundaries("oblast", lang="en")
    feats = inputs.geo_features(gpd.GeoDataFrame(gdf))
    small = {f["properties"]["code"]: f["properties"] for f in feats if f["properties"].get("small")}
    assert sorted(small) == ["KG-GB", "KG-GO"]
    assert 74 < small["KG-GB"]["lon"] < 75 and 42.7 < small["KG-GB"]["lat"] < 43.0  # Bishkek
    assert 72.6 < small["KG-GO"]["lon"] < 73.0 and 40.4 < small["KG-GO"]["lat"] < 40.7  # Osh


def test_choropleth_labels_bishkek_and_osh_city_with_their_values():
    from lsg_analysis.geo import boundaries

    gdf = boundaries.load_boundaries("oblast", lang="en")
    values = {"KG-GB": 370.1, "KG-GO": None}
    gdf["value"] = [values.get(c, 100.0) for c in gdf["code"]]
    gdf["value"] = gdf["value"].astype(float)
    fig = plots.choropleth(gdf, "value", missing="no data")
    texts = {t.get_text() for t in fig.axes[0].texts}
    names = dict(zip(gdf["code"], gdf["name"]))
    assert f"{names['KG-GB']} 370" in texts and f"{names['KG-GO']} no data" in texts


def test_country_trends_leave_a_missing_year_as_a_gap():
    frame = pd.DataFrame(
        {
            "series": ["KGZ"] * 5,
            "year": [2000, 2001, 2003, 2004, 2005],
            "value": [0.1, 0.2, 0.3, None, 0.5],
            "n_regions": [9] * 5,
        }
    )
    fig = plots.country_trends(frame)
    assert [list(xs) for xs in _line_years(fig.axes[0])] == [[2000, 2001], [2003], [2005]]
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["KGZ, n=9"]


def test_category_maps_label_the_cities_with_their_category():
    from lsg_analysis.geo import boundaries

    gdf = boundaries.load_boundaries("oblast", lang="en")
    gdf["lisa"] = ["HH" if c == "KG-GB" else "ns" for c in gdf["code"]]
    texts = {t.get_text() for t in plots.lisa_map(gdf).axes[0].texts}
    names = dict(zip(gdf["code"], gdf["name"]))
    assert {f"{names['KG-GB']} high among high", f"{names['KG-GO']} not significant"} <= texts
