"""How do we draw it? Pure plotting functions: data in, a matplotlib ``Figure`` out.

Figures are built with :class:`matplotlib.figure.Figure` (not pyplot), so nothing is left open between
notebook runs and a notebook shows a figure by ending a cell with it. Missing values are drawn as
missing (hatched grey on maps, gaps in lines), never filled in. Series breaks are drawn as vertical
dashed lines with their label and the line is not joined across them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MISSING = {"color": "#eeeeee", "edgecolor": "#999999", "hatch": "///"}
LISA_COLORS = {"HH": "#d7191c", "LL": "#2c7bb6", "HL": "#fdae61", "LH": "#abd9e9", "ns": "#f0f0f0"}


def _figure(width: float = 7.0, height: float = 4.5) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def choropleth(
    gdf: Any,
    column: str,
    *,
    title: str = "",
    legend: str = "",
    cmap: str = "viridis",
    missing: str = "no data",
    flagged: dict[str, str] | None = None,
) -> Any:
    """Map of ``gdf[column]`` (a GeoDataFrame with ``geometry``); units without a value hatched grey; ``flagged``
    {code: text}: a hollow marker on those units and a footnote listing them (:func:`flag_note`)."""
    fig = _figure(7.5, 4.5)
    ax = fig.add_subplot()
    gdf.plot(
        column=column,
        ax=ax,
        cmap=cmap,
        legend=True,
        edgecolor="white",
        linewidth=0.4,
        legend_kwds={"label": legend, "shrink": 0.7},
        missing_kwds={**MISSING, "label": missing},
    )
    ax.set_axis_off()
    ax.set_title(title)
    city_markers(ax, gdf, column, lambda v: f"{float(v):,.3g}", missing)
    if flagged:
        pts = gdf[gdf["code"].isin(list(flagged))].representative_point()
        ax.scatter(pts.x, pts.y, s=60, facecolors="none", edgecolors="#e41a1c", linewidths=1.5)
        flag_note(fig, flagged)
    return fig


def city_markers(
    ax: Any, gdf: Any, column: str, fmt: Any, missing: str, *, name: str = "name", fontsize: float = 7
) -> list[Any]:
    """A ringed marker on each unit too small to see at country scale
    (:func:`lsg_analysis.outputs.drawing.small_units`: Bishkek, Osh city) and a label "name value" beside it with
    a leader line; ``fmt(value)`` writes the value (a number or a category), ``missing`` when it has none; the name from column ``name``
    (else ``name_en``, else the code). Returns the labels."""
    import math

    from matplotlib import patheffects

    from lsg_analysis.outputs import drawing

    small = gdf[gdf["code"].isin(drawing.small_units(gdf))]
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    texts = []
    for (_, row), pt in zip(small.iterrows(), small.representative_point()):
        v = row[column]
        known = v is not None and not (isinstance(v, float) and math.isnan(v))
        ax.scatter([pt.x], [pt.y], s=22, facecolors="none", edgecolors="#1f2933", linewidths=1.0, zorder=4)
        label = next((str(row[c]) for c in (name, "name", "name_en") if isinstance(row.get(c), str)), str(row["code"]))
        texts.append(
            ax.annotate(
                f"{label} {fmt(v) if known else missing}",
                (pt.x, pt.y),
                xytext=(-12, 9),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=fontsize,
                color="#1f2933",
                path_effects=halo,
                arrowprops={"arrowstyle": "-", "color": "#1f2933", "lw": 0.6, "shrinkA": 0, "shrinkB": 3},
                zorder=5,
            )
        )
    return texts


def flag_note(fig: Any, flagged: dict[Any, str]) -> None:
    """The footnote under a chart with hollow markers: the flagged cells, used as published (docs/data.md)."""
    text = "Hollow: flagged as doubtful, used as published — " + "; ".join(dict.fromkeys(flagged.values()))
    fig.supxlabel(text, fontsize=7, ha="left", x=0.01, wrap=True)


def categories_map(
    gdf: Any, column: str, colors: dict[str, str], *, title: str = "", labels: dict[str, str] | None = None
) -> Any:
    """Map of a categorical column with fixed colours (e.g. LISA clusters, border flag)."""
    from matplotlib.patches import Patch

    fig = _figure(7.5, 4.5)
    ax = fig.add_subplot()
    values = gdf[column].astype("object")
    for cat, color in colors.items():
        part = gdf[values == cat]
        if len(part):
            part.plot(ax=ax, color=color, edgecolor="white", linewidth=0.4)
    rest = gdf[~values.isin(list(colors))]
    if len(rest):
        rest.plot(ax=ax, **MISSING, linewidth=0.4)
    handles = [Patch(facecolor=c, label=(labels or {}).get(k, k)) for k, c in colors.items() if (values == k).any()]
    if len(rest):
        handles.append(Patch(facecolor=MISSING["color"], hatch=MISSING["hatch"], label="no data"))
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
    ax.set_axis_off()
    ax.set_title(title)
    city_markers(ax, gdf, column, lambda v: (labels or {}).get(v, str(v)), "no data")
    return fig


def lisa_map(gdf: Any, column: str = "lisa", *, title: str = "Local spatial clusters (LISA)") -> Any:
    """LISA cluster map: HH, LL (clusters), HL, LH (outliers), ns (not significant)."""
    names = {
        "HH": "high among high",
        "LL": "low among low",
        "HL": "high among low",
        "LH": "low among high",
        "ns": "not significant",
    }
    return categories_map(gdf, column, LISA_COLORS, title=title, labels=names)


def lorenz(
    values: Sequence[float],
    weights: Sequence[float] | None = None,
    *,
    title: str = "Lorenz curve",
    xlabel: str = "cumulative population share",
    ylabel: str = "cumulative share of the total",
    labels: Sequence[str] | None = None,
) -> Any:
    """Lorenz curve of ``values`` (per-unit levels) weighted by ``weights`` (e.g. population): units sorted
    by value; x = cumulative weight share, y = cumulative share of value × weight."""
    import numpy as np

    y = np.asarray(values, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    order = np.argsort(y, kind="stable")
    y, w = y[order], w[order]
    x = np.concatenate([[0.0], np.cumsum(w) / w.sum()])
    share = np.concatenate([[0.0], np.cumsum(y * w) / (y * w).sum()])
    fig = _figure(5.0, 5.0)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1, label="equality")
    ax.plot(x, share, marker="o", markersize=3, color="#1f4e79", label="regions")
    if labels is not None:
        lab = np.asarray(labels, dtype=object)[order]
        for xi, si, text in zip(x[1:], share[1:], lab):
            ax.annotate(str(text), (xi, si), fontsize=6, xytext=(3, -8), textcoords="offset points")
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel=xlabel, ylabel=ylabel, title=title)
    ax.set_aspect("equal")
    ax.legend(frameon=False, loc="upper left")
    return fig


def trend(
    frame: Any,
    x: str,
    columns: Sequence[str],
    *,
    band: tuple[str, str] | None = None,
    breaks: dict[Any, str] | None = None,
    title: str = "",
    ylabel: str = "",
    labels: dict[str, str] | None = None,
    flagged: dict[Any, str] | None = None,
    size: tuple[float, float] = (7.0, 4.5),
) -> Any:
    """Lines of ``columns`` over ``x``; optional shaded band (low, high columns) for the first column;
    ``breaks`` {x value: label}: dashed line just before that x, labelled above the plot (:func:`break_labels`);
    lines and band are drawn in :func:`lsg_analysis.outputs.drawing.pieces` (never across a break or a missing
    year); ``flagged`` {x value: text}: the points at those x drawn hollow, listed in a footnote
    (:func:`flag_note`)."""
    import numpy as np

    from lsg_analysis.outputs import drawing

    fig = _figure(*size)
    ax = fig.add_subplot()
    frame = frame.sort_values(x)
    xs = np.asarray(frame[x], dtype=float)
    segments = np.zeros(len(xs), dtype=int)
    for bx in sorted(breaks or {}):
        segments += xs >= float(bx)
    seg = list(segments)
    for i, col in enumerate(columns):
        ys = np.asarray(frame[col], dtype=float)
        _line_in_pieces(ax, xs, ys, seg, (labels or {}).get(col, col), markersize=3, color=f"C{i}")
        hollow = np.isin(xs, [float(v) for v in (flagged or {})])
        ax.scatter(xs[hollow], ys[hollow], s=30, facecolors="white", edgecolors=f"C{i}", zorder=3)
        if i == 0 and band is not None:
            lo, hi = np.asarray(frame[band[0]], dtype=float), np.asarray(frame[band[1]], dtype=float)
            for k, run in enumerate(drawing.runs(xs, drawing.pieces(xs, [lo, hi], seg))):
                ax.fill_between(
                    xs[run],
                    lo[run],
                    hi[run],
                    color="C0",
                    alpha=0.15,
                    linewidth=0,
                    label="95 % interval" if k == 0 else None,
                )
    ax.set(ylabel=ylabel, xlabel=x)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, fontsize=8)
    if flagged:
        flag_note(fig, flagged)
    break_labels(ax, {float(bx) - 0.5: text for bx, text in (breaks or {}).items()}, title=title)
    return fig


def break_labels(ax: Any, labels: dict[float, str], *, title: str = "", fontsize: float = 7) -> list[Any]:
    """Dotted lines at the x positions of ``labels`` {x: text} and their texts ABOVE the plot, in lanes
    (:func:`lsg_analysis.outputs.drawing.lanes` on the texts' widths), so a label never covers a point or another
    label; the title, if any, goes above the lanes. Call it last (after the figure has its size): the layout
    is measured. Returns the label texts."""
    from matplotlib.textpath import TextPath

    from lsg_analysis.outputs import drawing

    if not labels:
        ax.set_title(title)
        return []
    for bx in labels:
        ax.axvline(bx, color="#666666", linestyle=":", linewidth=1)
    ax.figure.get_layout_engine().execute(ax.figure)  # the constrained layout fixes the axes width (no draw)
    lo, hi = ax.get_xlim()
    per_pt = (hi - lo) / max(ax.get_window_extent().width * 72 / ax.figure.dpi, 1.0)  # data units per point
    xs = sorted(labels)
    widths = [TextPath((0, 0), labels[bx], size=fontsize).get_extents().width * per_pt for bx in xs]
    lane = drawing.lanes([(bx - w / 2, bx + w / 2) for bx, w in zip(xs, widths)], gap=6 * per_pt)
    step = fontsize * 1.4
    texts = [
        ax.annotate(
            labels[bx],
            (bx, 1),
            xycoords=("data", "axes fraction"),
            xytext=(0, 2 + step * k),
            textcoords="offset points",
            fontsize=fontsize,
            ha="center",
            va="bottom",
            color="#444444",
            annotation_clip=False,
        )
        for bx, k in zip(xs, lane)
    ]
    ax.set_title(title, pad=4 + step * (max(lane) + 1))
    return texts


def bars(
    frame: Any,
    label: str,
    value: str,
    *,
    low: str | None = None,
    high: str | None = None,
    title: str = "",
    xlabel: str = "",
    annotate: str | None = None,
    xlim: tuple[float, float] | None = None,
) -> Any:
    """Horizontal bars of ``value`` by ``label`` with optional interval whiskers (``low``, ``high``) and a
    text column ``annotate`` written beside each bar (e.g. "n = 12"). Missing values: no bar, "n/a"."""
    import numpy as np

    fig = _figure(7.0, 0.6 + 0.35 * max(len(frame), 2))
    ax = fig.add_subplot()
    pos = np.arange(len(frame))[::-1]
    vals = np.asarray(frame[value], dtype=float)
    ax.barh(pos, np.nan_to_num(vals), color="#1f4e79", height=0.6)
    if low is not None and high is not None:
        lo, hi = np.asarray(frame[low], dtype=float), np.asarray(frame[high], dtype=float)
        ok = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(vals)
        ax.errorbar(
            vals[ok],
            pos[ok],
            xerr=[vals[ok] - lo[ok], hi[ok] - vals[ok]],
            fmt="none",
            ecolor="#333333",
            capsize=3,
            linewidth=1,
        )
    for p_, v, note in zip(pos, vals, frame[annotate] if annotate else [""] * len(frame)):
        text = ("n/a" if not np.isfinite(v) else "") + (f"  {note}" if note else "")
        ax.annotate(
            text,
            (0 if not np.isfinite(v) else v, p_),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    ax.set_yticks(pos, [str(s) for s in frame[label]], fontsize=8)
    ax.set(title=title, xlabel=xlabel)
    if xlim is not None:
        ax.set_xlim(*xlim)
    return fig


def scatter(
    frame: Any,
    x: str,
    y: str,
    *,
    fit: tuple[float, float] | None = None,
    label: str | None = None,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
) -> Any:
    """Scatter of ``y`` on ``x`` with an optional fitted line ``(intercept, slope)`` and point labels
    (e.g. beta convergence: growth on log initial level)."""
    import numpy as np

    fig = _figure(6.0, 4.5)
    ax = fig.add_subplot()
    xs, ys = np.asarray(frame[x], dtype=float), np.asarray(frame[y], dtype=float)
    ax.scatter(xs, ys, color="#1f4e79", s=18)
    if label is not None:
        for xi, yi, text in zip(xs, ys, frame[label]):
            ax.annotate(str(text), (xi, yi), fontsize=6, xytext=(3, 3), textcoords="offset points")
    if fit is not None and np.isfinite(xs).any():
        grid = np.linspace(np.nanmin(xs), np.nanmax(xs), 50)
        ax.plot(grid, fit[0] + fit[1] * grid, color="#c0392b", linewidth=1.2, label=f"slope {fit[1]:.3g}")
        ax.legend(frameon=False, fontsize=8)
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return fig


def series_segments(rows: Any, breaks: Any | None = None) -> Any:
    """Segment number per row of one region's series: :func:`lsg_analysis.data.series.segments` (a break is never
    drawn as change)."""
    from lsg_analysis.data import series

    return series.segments(rows, breaks)


def line_chart(data: Any, *, breaks: Any | None = None, title: str = "", ylabel: str = "", label: str = "name") -> Any:
    """One line per region of tidy indicator rows (``load_indicators`` output), drawn in
    :func:`lsg_analysis.outputs.drawing.pieces`: not joined across series breaks (changes of source/vintage/
    boundaries, or declared breaks — drawn as dotted lines, labelled above the plot, when they apply to all
    regions) nor across a missing year."""

    from lsg_analysis.outputs import drawing

    fig = _figure(7.5, 4.5)
    ax = fig.add_subplot()
    for i, (code, g) in enumerate(data.groupby("code", sort=True)):
        g = g.sort_values("year")
        years, values = g["year"].to_numpy(dtype=float), g["value"].to_numpy(dtype=float)
        _line_in_pieces(
            ax,
            years,
            values,
            list(series_segments(g, breaks)),
            str(g[label].iloc[0]),
            markersize=2.5,
            color=f"C{i % 10}",
            linewidth=1.2,
        )
    ax.set(ylabel=ylabel, xlabel="")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, fontsize=7, ncol=2)
    marks: dict[float, str] = {}
    if breaks is not None:
        ind = set(data["indicator"])
        for r in breaks.itertuples(index=False):
            if r.indicator in ind and not r.codes and data["year"].min() < r.after and r.before < data["year"].max():
                bx = drawing.break_x(r.before, r.after)
                marks[bx] = f"{marks[bx]}, {r.kind}" if bx in marks else str(r.kind)
    break_labels(ax, marks, title=title)
    return fig


def beta_scatter(growth: Any, beta: Any, *, name: str, years: Sequence[int]) -> Any:
    """The beta-convergence scatter (growth on ln initial level, one point per unit) with its fitted line;
    ``None`` when beta convergence could not be measured."""
    if beta is None:
        return None
    return scatter(
        growth,
        "log_initial",
        "growth",
        fit=(beta.intercept, beta.slope),
        label="name",
        title=f"Beta convergence {years[0]}–{years[-1]}",
        xlabel=f"ln {name}, {years[0]}",
        ylabel="mean annual log growth",
    )


def lisa_clusters(gdf: Any, lisa: Any, *, title: str) -> Any:
    """:func:`lisa_map` of the clusters in ``lisa`` (a LISA table by code); ``None`` when there is none."""
    if lisa is None:
        return None
    return lisa_map(gdf.assign(lisa=gdf["code"].map(lisa["cluster"])), title=title)


def panel_lorenz(panel: Any, year: int) -> Any:
    """The Lorenz curve of one year of an imbalance panel (population-weighted when the panel is): units
    without a value that year are left out."""
    weights = None if panel.weights is None else panel.weights[year]
    ok = panel.values[year].notna()
    return lorenz(
        panel.values[year][ok],
        None if weights is None else weights[ok],
        labels=panel.names.reindex(panel.values.index)[ok],
        title=f"Lorenz curve, {panel.name}, {year}",
        xlabel="cumulative population share" if weights is not None else "cumulative share of units",
    )


#: Colours of the country comparison (notebook 04): Kyrgyzstan, highlighted countries, the others.
CONTEXT_COLORS = {"KGZ": "#c0392b", "highlighted": "#e67e22", "other": "#1f4e79"}


def country_dots(
    table: Any, *, median: float | None = None, title: str = "", xlabel: str = "", label_all: int = 60
) -> Any:
    """One dot per country (a :func:`~lsg_analysis.analysis.context.ranking` table with ``highlighted`` and
    ``similar_n``), most unequal at the top, ``ISO3 n=…`` written beside each dot (beside Kyrgyzstan's and the
    highlighted ones only, staggered, when there are more than ``label_all`` countries). Filled dots: similar
    number of regions; hollow: not. ``median``: a dashed line (the median of the other countries)."""
    import numpy as np
    from matplotlib.lines import Line2D

    n = len(table)
    fig = _figure(7.0, max(4.0, 0.6 + (0.16 if n <= label_all else 0.045) * n))
    ax = fig.add_subplot()
    pos = np.arange(n)[::-1]
    kind = np.where(table["iso3"] == "KGZ", "KGZ", np.where(table["highlighted"], "highlighted", "other"))
    values = table["value"].to_numpy(float)
    for k, color in CONTEXT_COLORS.items():
        for similar, face in ((True, color), (False, "none")):
            m = (kind == k) & (table["similar_n"].to_numpy() == similar)
            ax.scatter(values[m], pos[m], s=30 if k != "other" else 14, facecolors=face, edgecolors=color, zorder=3)
    marked = 0
    for p_, row, k, v in zip(pos, table.itertuples(), kind, values):
        if n <= label_all:
            ax.annotate(
                f"{row.iso3} n={row.n_regions}",
                (v, p_),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                fontsize=7 if k == "other" else 8,
                color=CONTEXT_COLORS[k],
                fontweight="normal" if k == "other" else "bold",
            )
        elif k != "other":
            ax.annotate(
                f"{row.iso3} n={row.n_regions}",
                (v, p_),
                xytext=(20 + 55 * (marked % 3), 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                color=CONTEXT_COLORS[k],
                fontweight="bold",
                arrowprops={"arrowstyle": "-", "color": CONTEXT_COLORS[k], "lw": 0.6},
            )
            marked += 1
    handles = [
        Line2D([], [], marker="o", linestyle="", color=CONTEXT_COLORS["other"], label="similar n_regions"),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="none",
            color=CONTEXT_COLORS["other"],
            label="other n_regions",
        ),
    ]
    if median is not None:
        ax.axvline(median, color="#666666", linestyle="--", linewidth=0.9)
        handles.append(Line2D([], [], color="#666666", linestyle="--", label=f"median of the others {median:.3g}"))
    ax.legend(handles=handles, loc="lower right", fontsize=7, frameon=False)
    ax.set_yticks([])
    ax.set_ylim(-1, n)
    ax.set(title=title, xlabel=xlabel)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    return fig


def country_trends(frame: Any, *, title: str = "", ylabel: str = "") -> Any:
    """Lines of a :func:`~lsg_analysis.analysis.context.trend` frame, one per series; the median dashed, Kyrgyzstan
    red; the legend gives each series' n_regions (range over the years). A missing year is a gap
    (:func:`lsg_analysis.outputs.drawing.pieces`)."""

    fig = _figure(7.5, 4.5)
    ax = fig.add_subplot()
    for i, (name, g) in enumerate(frame.groupby("series", sort=True)):
        g = g.sort_values("year")
        lo, hi = g["n_regions"].min(), g["n_regions"].max()
        n = f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"
        median = str(name).startswith("median")
        years, values = g["year"].to_numpy(dtype=float), g["value"].to_numpy(dtype=float)
        _line_in_pieces(
            ax,
            years,
            values,
            None,
            f"{name}, n={n}" + (" (median count)" if median else ""),
            markersize=2.5,
            linewidth=2 if median else 1.3,
            linestyle="--" if median else ":" if str(name).startswith("KGZ") and "(kgz)" not in str(name) else "-",
            color="#333333" if median else CONTEXT_COLORS["KGZ"] if str(name).startswith("KGZ") else f"C{i % 10}",
        )
    ax.set(title=title, ylabel=ylabel, xlabel="")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, fontsize=7, ncol=2)
    return fig


def _line_in_pieces(ax: Any, xs: Any, ys: Any, segments: Any, label: str, **style: Any) -> None:
    """One series as a line with markers, cut into :func:`drawing.pieces` (a missing year or value, or a change of
    ``segments``, is a gap); the legend label on the first piece only."""
    from lsg_analysis.outputs import drawing

    for k, run in enumerate(drawing.runs(xs, drawing.pieces(xs, [ys], segments))):
        ax.plot(xs[run], ys[run], marker="o", label=label if k == 0 else None, **style)
