"""One Vega-Lite spec per chart and language, written with Altair; the data are named, never inline.

The page (``assets/app.js``) supplies each chart's rows by name (``datasets``) and its size, and trims layers
by position: ``trend`` keeps its first three layers on a phone (the break labels collide), ``ranking`` drops
its second layer (the national rule) when there is no national value, ``rates`` sets ``layer[0].mark.limit``
and ``border`` sets ``facet.row.header``. Keep those layer orders and the ``mark`` objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt

from lsg_analysis.outputs.dashboard.datasets import (
    BREAK_LABEL_FONT_PX,
    CONTEXT_LABEL_DX_PX,
    CONTEXT_LABEL_FONT_PX,
    MEASURE_NAMES,
)
from lsg_analysis.outputs.dashboard.texts import Text

ACCENT = "#1f5f99"
BREAK_COLOR = "#8d3f00"
BORDER_COLORS = ["#c2571a", "#1f5f99"]  # border, interior
SELECTED_COLOR = "#e8590c"  # the open profile's unit on the map: stands out on light and dark blue
FONT = "DejaVu Sans, Segoe UI, Noto Sans, Arial, sans-serif"
Spec = dict[str, Any]


def _finish(chart: alt.TopLevelMixin, description: str) -> Spec:
    """The chart as a top-level spec with the page's font and legend config (no Altair theme defaults)."""
    chart = (
        chart.properties(description=description)
        .configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=11)
        .configure_axisX(labelOverlap="greedy", labelSeparation=6, labelFlush=True)
        .configure_legend(labelFontSize=11, titleFontSize=11, orient="bottom", labelLimit=400)
    )
    with alt.theme.enable("none"):
        return chart.to_dict()


def _ticks(px: int) -> alt.ExprRef:
    """At most one x tick per ``px`` pixels of plot width, so a phone-width axis keeps its labels apart."""
    return alt.ExprRef(f"max(2, floor(width / {px}))")


def _year_x(tx: Text) -> alt.X:
    return alt.X(
        field="year",
        type="quantitative",
        title=tx("year"),
        axis=alt.Axis(format="d", tickMinStep=1, tickCount=_ticks(48)),
        scale=alt.Scale(zero=False, nice=False),
    )


def _nominal_tip(field: str, title: str) -> alt.Tooltip:
    return alt.Tooltip(field=field, type="nominal", title=title)


def map_spec(tx: Text) -> Spec:
    """Choropleth: grey for units without data, blue scale for the value (features prepared in the page); the unit
    whose profile is open (``properties.selected``) outlined in dark."""
    tip = [
        _nominal_tip(f"properties.name_{tx.lang}", tx("dash_name")),
        _nominal_tip("properties.value_text", tx("value")),
    ]
    shape = {"stroke": "#ffffff", "strokeWidth": 0.7}
    grey = alt.Chart().mark_geoshape(fill="#d3d3d3", **shape).encode(tooltip=tip)
    valued = (
        alt.Chart()
        .transform_filter("isValid(datum.properties.value)")
        .mark_geoshape(**shape)
        .encode(
            color=alt.Color(
                field="properties.value",
                type="quantitative",
                scale=alt.Scale(scheme="blues"),
                legend=alt.Legend(title=None, direction="horizontal", orient="bottom"),
            ),
            tooltip=tip,
        )
    )
    selected = (
        alt.Chart()
        .transform_filter("datum.properties.selected === true")
        .mark_geoshape(filled=False, stroke=SELECTED_COLOR, strokeWidth=2.5)
        .encode(tooltip=tip)
    )
    small = "datum.properties.small === true"
    where = {
        "longitude": alt.Longitude(field="properties.lon", type="quantitative"),
        "latitude": alt.Latitude(field="properties.lat", type="quantitative"),
    }
    city = (
        alt.Chart()
        .transform_filter(small)
        .mark_point(shape="circle", size=70, filled=False, color="#1f2933", strokeWidth=1.5)
        .encode(**where, tooltip=tip)
    )
    city_label = (
        alt.Chart()
        .transform_filter(small)
        .transform_calculate(city_text=f"datum.properties.name_{tx.lang} + ' ' + datum.properties.value_text")
        .mark_text(align="right", baseline="bottom", dx=-7, dy=-5, fontSize=12, fontWeight="bold", color="#1f2933")
        .encode(**where, text=alt.Text(field="city_text", type="nominal"))
    )
    city_halo = city_label.mark_text(
        align="right",
        baseline="bottom",
        dx=-7,
        dy=-5,
        fontSize=12,
        fontWeight="bold",
        stroke="#ffffff",
        strokeWidth=3,
        strokeOpacity=0.9,
    )
    chart = alt.layer(grey, valued, selected, city, city_halo, city_label, data=alt.Data(name="geo")).project(
        type="mercator"
    )
    return _finish(chart, tx("dash_section_map"))


def ranking_spec(tx: Text) -> Spec:
    """Horizontal bars sorted by value; dashed rule at the national value where the data have one."""
    name = f"name_{tx.lang}"
    value_tip = alt.Tooltip(field="value", type="quantitative", title=tx("value"), format=",.2~f")
    bars = (
        alt.Chart(alt.Data(name="rank"))
        .mark_bar(color=ACCENT)
        .encode(
            y=alt.Y(field=name, type="nominal", sort="-x", title=None, axis=alt.Axis(labelLimit=180)),
            x=alt.X(field="value", type="quantitative", title=None, axis=alt.Axis(tickCount=_ticks(55))),
            tooltip=[_nominal_tip(name, tx("dash_name")), value_tip],
        )
    )
    national = (
        alt.Chart(alt.Data(name="national"))
        .mark_rule(color="#b00020", strokeDash=[5, 3], strokeWidth=1.5)
        .encode(
            x=alt.X(field="value", type="quantitative"),
            tooltip=[alt.Tooltip(field="value", type="quantitative", title=tx("national_average"), format=",.2~f")],
        )
    )
    return _finish(alt.layer(bars, national), tx("dash_section_ranking"))


def trend_spec(tx: Text) -> Spec:
    """Theil T by year with its bootstrap 95 % band; segments split at series breaks, breaks marked."""
    x, theil = _year_x(tx), tx("theil_index")
    segment = alt.Detail(field="segment", type="nominal")
    tip = [
        alt.Tooltip(field="year", type="quantitative", title=tx("year"), format="d"),
        _nominal_tip(f"text_{tx.lang}", theil),
    ]
    is_break = "isValid(datum.break) && datum.break !== ''"
    break_x = alt.X(field="break_x", type="quantitative")
    band = (
        alt.Chart()
        .mark_area(color=ACCENT, opacity=0.22)
        .encode(
            x=x,
            y=alt.Y(field="theil_ci_low", type="quantitative", title=theil),
            y2=alt.Y2(field="theil_ci_high"),
            detail=alt.Detail(field="band_segment", type="nominal"),
        )
    )
    line = (
        alt.Chart()
        .mark_line(color=ACCENT, point={"color": ACCENT})
        .encode(x=x, y=alt.Y(field="theil", type="quantitative"), detail=segment, tooltip=tip)
    )
    rule = (
        alt.Chart()
        .transform_filter(is_break)
        .mark_rule(color=BREAK_COLOR, strokeDash=[4, 3])
        .encode(x=break_x, tooltip=[_nominal_tip("break", tx("series_break"))])
    )
    label = (  # above the plot, one lane per overlapping label (datasets: break_lane_<lang>)
        alt.Chart()
        .transform_filter(is_break)
        .transform_calculate(break_y=f"-4 - 13 * datum.break_lane_{tx.lang}")
        .mark_text(color=BREAK_COLOR, align="center", baseline="bottom", fontSize=BREAK_LABEL_FONT_PX)
        .encode(
            x=break_x,
            y=alt.Y(field="break_y", type="quantitative", scale=None),
            text=alt.value(tx("series_break")),
        )
    )
    return _finish(alt.layer(band, line, rule, label, data=alt.Data(name="trend")), theil)


def measures_spec(tx: Text) -> Spec:
    """Gini, Williamson and CV by year (no CIs recorded for them), split at series breaks."""
    label = f"label_{tx.lang}"
    chart = (
        alt.Chart(alt.Data(name="measures"))
        .mark_line(point=True)
        .encode(
            x=_year_x(tx),
            y=alt.Y(field="value", type="quantitative", title=None),
            color=alt.Color(
                field=label,
                type="nominal",
                title=None,
                scale=alt.Scale(
                    domain=[tx(k) for k in MEASURE_NAMES.values()], range=["#1f5f99", "#c2571a", "#3b8a3e"]
                ),
            ),
            detail=alt.Detail(field="segment", type="nominal"),
            tooltip=[
                alt.Tooltip(field="year", type="quantitative", title=tx("year"), format="d"),
                _nominal_tip(label, tx("indicator")),
                _nominal_tip(f"text_{tx.lang}", tx("value")),
            ],
        )
    )
    return _finish(chart, tx("dash_other_measures"))


def border_spec(tx: Text) -> Spec:
    """Border vs interior, one row per measure (own x scale each), value labels at the bar ends."""
    group, label = f"group_{tx.lang}", f"label_{tx.lang}"
    groups = [tx("col_border"), tx("col_interior")]
    y = alt.Y(
        field=group, type="nominal", title=None, sort=groups, axis=alt.Axis(labels=False, ticks=False, domain=False)
    )
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(field="value", type="quantitative", title=None, axis=alt.Axis(tickCount=_ticks(55))),
            color=alt.Color(
                field=group, type="nominal", title=None, scale=alt.Scale(domain=groups, range=BORDER_COLORS)
            ),
            tooltip=[
                _nominal_tip(label, tx("indicator")),
                _nominal_tip(group, " / ".join(groups)),
                _nominal_tip(f"text_{tx.lang}", tx("value")),
                _nominal_tip(f"stat_{tx.lang}", "p, n"),
            ],
        )
    )
    values = (
        alt.Chart()
        .mark_text(align="left", dx=3, fontSize=11)
        .encode(
            y=y, x=alt.X(field="label_x", type="quantitative"), text=alt.Text(field=f"text_{tx.lang}", type="nominal")
        )
    )
    header = alt.Header(
        labelAngle=0, labelOrient="top", labelAnchor="start", labelAlign="left", labelFontSize=12, labelLimit=0
    )
    chart = (
        alt.layer(bars, values)
        .properties(height=alt.Step(22))
        .facet(
            row=alt.Row(
                field=label, type="nominal", title=None, sort=alt.EncodingSortField(field="order"), header=header
            ),
            data=alt.Data(name="border"),
        )
        .resolve_scale(x="independent")
    )
    return _finish(chart, tx("dash_section_border"))


def growth_spec(tx: Text) -> Spec:
    """Mean annual population growth per unit, bars coloured border/interior."""
    name, group = f"name_{tx.lang}", f"group_{tx.lang}"
    groups = [tx("col_border"), tx("col_interior")]
    chart = (
        alt.Chart(alt.Data(name="growth"))
        .mark_bar()
        .encode(
            y=alt.Y(field=name, type="nominal", sort="-x", title=None, axis=alt.Axis(labelLimit=180)),
            x=alt.X(field="growth_pct_per_year", type="quantitative", title="%", axis=alt.Axis(tickCount=_ticks(55))),
            color=alt.Color(
                field=group, type="nominal", title=None, scale=alt.Scale(domain=groups, range=BORDER_COLORS)
            ),
            tooltip=[
                _nominal_tip(name, tx("dash_name")),
                _nominal_tip(group, " / ".join(groups)),
                _nominal_tip(f"text_{tx.lang}", "%"),
            ],
        )
    )
    return _finish(chart, tx("dash_section_border"))


def rates_spec(tx: Text) -> Spec:
    """Rates (share 0–1) with 95 % CI whiskers, the label above each row (readable on a phone); suppressed
    rates say "insufficient data" instead of a point."""
    label = f"label_{tx.lang}"

    def x(field: str) -> alt.X:
        return alt.X(
            field=field,
            type="quantitative",
            title=tx("share"),
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format=".0%", tickCount=_ticks(55)),
        )

    zero = alt.X(field="zero", type="quantitative")
    tip = [_nominal_tip(label, tx("indicator")), _nominal_tip(f"text_{tx.lang}", tx("value"))]
    shown = "!datum.suppressed && isValid(datum.value)"
    labels = (
        alt.Chart()
        .mark_text(align="left", baseline="bottom", dy=-8, fontSize=11, color="#1f2933")
        .encode(x=zero, text=alt.Text(field=label, type="nominal"))
    )
    whiskers = (
        alt.Chart()
        .transform_filter(shown)
        .mark_rule(color=ACCENT, strokeWidth=2)
        .encode(x=x("low"), x2=alt.X2(field="high"), tooltip=tip)
    )
    points = (
        alt.Chart()
        .transform_filter(shown)
        .mark_point(filled=True, size=60, color=ACCENT)
        .encode(x=x("value"), tooltip=tip)
    )
    missing = (
        alt.Chart()
        .transform_filter(f"!({shown})")
        .mark_text(align="left", baseline="middle", dx=2, fontStyle="italic", color="#8d3f00")
        .encode(x=zero, text=alt.value(tx("dash_insufficient_data")), tooltip=tip)
    )
    chart = (
        alt.layer(labels, whiskers, points, missing, data=alt.Data(name="rates"))
        .transform_calculate(zero="0")
        .encode(
            y=alt.Y(
                field="indicator",
                type="nominal",
                title=None,
                sort=None,
                axis=alt.Axis(labels=False, ticks=False, domain=False),
            )
        )
    )
    return _finish(chart, tx("dash_rates_title"))


def by_year_spec(tx: Text) -> Spec:
    """Drafts per year, stacked: with / without a public record of LSG consultation."""
    kind, year = f"kind_{tx.lang}", f"year_{tx.lang}"
    chart = (
        alt.Chart(alt.Data(name="by_year"))
        .mark_bar()
        .encode(
            x=alt.X(
                field=year,
                type="ordinal",
                title=tx("year"),
                sort=alt.EncodingSortField(field="year_sort"),
                axis=alt.Axis(labelAngle=-90),
            ),
            y=alt.Y(field="count", type="quantitative", title=tx("dash_count"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                field=kind,
                type="nominal",
                title=None,
                scale=alt.Scale(domain=[tx("c_col_public"), tx("dash_without_record")], range=[ACCENT, "#b8c4ce"]),
            ),
            order=alt.Order(field="order", type="quantitative"),
            tooltip=[
                alt.Tooltip(field=year, type="ordinal", title=tx("year")),
                _nominal_tip(kind, tx("dash_count")),
                alt.Tooltip(field="count", type="quantitative", title="n"),
            ],
        )
    )
    return _finish(chart, tx("c_year_table"))


def context_spec(tx: Text) -> Spec:
    """Every country of the comparison as a dot by rank (1 = most unequal); Kyrgyzstan and the highlighted
    neighbours coloured and labelled."""
    kind = f"kind_{tx.lang}"
    kinds = [tx(f"dash_ctx_kind_{k}") for k in ("kgz", "highlighted", "other")]
    tip = [
        _nominal_tip("iso3", tx("dash_ctx_country")),
        _nominal_tip(f"text_{tx.lang}", tx("value")),
        alt.Tooltip(field="rank", type="quantitative", title=tx("dash_ctx_rank")),
    ]
    x = alt.X(
        field="rank",
        type="quantitative",
        title=tx("dash_ctx_rank"),
        axis=alt.Axis(tickMinStep=1),
        scale=alt.Scale(zero=False, nice=False, padding=8),
    )
    y = alt.Y(field="value", type="quantitative", title=None)
    dots = (
        alt.Chart()
        .mark_circle(size=45, opacity=0.9)
        .encode(
            x=x,
            y=y,
            tooltip=tip,
            color=alt.Color(
                field=kind,
                type="nominal",
                title=None,
                scale=alt.Scale(domain=kinds, range=[ACCENT, BORDER_COLORS[0], "#b8c4ce"]),
            ),
        )
    )
    names = (  # overlapping labels stacked above the chain's highest dot, a lane a line (label_lane, label_top)
        alt.Chart()
        .transform_filter("datum.kind !== 'other'")
        .mark_text(
            align="left",
            dx=CONTEXT_LABEL_DX_PX,
            dy=alt.ExprRef(
                "scale('y', datum.label_top) - scale('y', datum.value)"
                f" - 5 - {CONTEXT_LABEL_FONT_PX + 3} * datum.label_lane"
            ),
            fontSize=CONTEXT_LABEL_FONT_PX,
            color="#1f2933",
        )
        .encode(x=x, y=y, text=alt.Text(field="iso3"))
    )
    return _finish(alt.layer(dots, names, data=alt.Data(name="context")), tx("dash_section_context"))


def profile_trend_spec(tx: Text) -> Spec:
    """A region profile's small trend: the latest unbroken segment, one line per piece (``segment``: a missing year
    is a gap), every year a point; no axes (the years are written beside it), tooltips with year and value."""
    x = alt.X(field="year", type="quantitative", axis=None, scale=alt.Scale(zero=False, nice=False))
    y = alt.Y(field="value", type="quantitative", axis=None, scale=alt.Scale(zero=False))
    tip = [
        alt.Tooltip(field="year", type="quantitative", title=tx("year"), format="d"),
        alt.Tooltip(field="value", type="quantitative", title=tx("value"), format=",.1f"),
    ]
    line = (
        alt.Chart()
        .mark_line(color=ACCENT, strokeWidth=1.5)
        .encode(x=x, y=y, detail=alt.Detail(field="segment", type="nominal"))
    )
    points = alt.Chart().mark_point(color=ACCENT, filled=True, size=14).encode(x=x, y=y, tooltip=tip)
    chart = alt.layer(line, points, data=alt.Data(name="spark")).properties(padding=3)
    return _finish(chart, tx("profile_col_trend"))


SPECS: dict[str, Callable[[Text], Spec]] = {
    "map": map_spec,
    "ranking": ranking_spec,
    "trend": trend_spec,
    "measures": measures_spec,
    "border": border_spec,
    "growth": growth_spec,
    "rates": rates_spec,
    "by_year": by_year_spec,
    "context": context_spec,
    "profile_trend": profile_trend_spec,
}


def specs(lang: str) -> dict[str, Spec]:
    """The Vega-Lite spec of every chart in ``lang`` (data by name; the page supplies the datasets)."""
    tx = Text(lang)
    return {name: build(tx) for name, build in SPECS.items()}
