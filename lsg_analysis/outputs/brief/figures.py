"""The brief's two charts as deterministic SVG: the map of the last year and the Theil trend with its interval."""

from __future__ import annotations

from typing import Any

from lsg_analysis.outputs import i18n
from lsg_analysis.outputs.i18n import fmt_number, t
from lsg_analysis.runs import results as results_mod

SVG_SALT = "lsg-brief"


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

    from lsg_analysis.outputs import plots
    from lsg_analysis.outputs.plots import MISSING

    last = results_mod.value(results["01_imbalance"], "year_last")
    rows = [r for r in results_mod.rows(results["01_imbalance"], "by_region") if r.get("year") == last]
    values = pd.DataFrame(
        {"code": [str(r.get("code")) for r in rows], "value": [r.get("value") for r in rows]}, columns=["code", "value"]
    )
    keep = ["code", "geometry"] + (["kind"] if "kind" in boundaries else [])
    gdf = boundaries[keep].merge(values, on="code", how="left")
    gdf["name"] = [i18n.region_name(str(c), lang) for c in gdf["code"]]
    gdf["value"] = pd.to_numeric(gdf["value"], errors="coerce").astype(float)
    unit = str(results_mod.metric(results["01_imbalance"], "top_value").get("unit") or "")
    legend = (
        i18n.unit_label(unit, lang)
        if unit
        else i18n.indicator_name(str(results_mod.value(results["01_imbalance"], "indicator")), lang)
    )
    known = gdf["value"].dropna()
    low, high = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
    log = low > 0 and high / low >= 4
    norm = LogNorm(low, high) if log else Normalize(low, high)
    if log:
        legend = f"{legend} ({t('log_scale', lang)})"
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 8}):
        fig = Figure(figsize=(5.0, 2.05), layout="constrained")
        ax = fig.add_subplot()
        gdf.plot(
            column="value",
            ax=ax,
            cmap="YlGnBu",
            norm=norm,
            edgecolor="white",
            linewidth=0.5,
            missing_kwds={**MISSING, "linewidth": 0.5},
        )
        ax.set_axis_off()
        lat = gdf.geometry.union_all().centroid.y if len(gdf) else 41.0
        ax.set_aspect(1 / math.cos(math.radians(lat)))
        bar = fig.colorbar(
            ScalarMappable(norm=norm, cmap="YlGnBu"), ax=ax, orientation="horizontal", shrink=0.7, pad=0.02, aspect=35
        )
        bar.set_label(_wrap(legend, 60))
        if log:  # 1-2-5 ticks inside the range, so a short log axis still has several labels
            bar.set_ticks(
                [
                    x
                    for e in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
                    for x in (10**e, 2 * 10**e, 5 * 10**e)
                    if low <= x <= high
                ]
            )
            bar.ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        _number_axis(bar.ax.xaxis, lang, 0 if high >= 100 else 1)
        digits = 0 if high >= 100 else 1
        plots.city_markers(
            ax, gdf, "value", lambda v: fmt_number(float(v), lang, digits), i18n.no_data(lang), name="name"
        )
        if gdf["value"].isna().any():  # the empty south-east corner of the country's box, never on the map
            ax.legend(
                handles=[
                    Patch(
                        facecolor=MISSING["color"],
                        edgecolor=MISSING["edgecolor"],
                        hatch=MISSING["hatch"],
                        label=i18n.no_data(lang),
                    )
                ],
                loc="lower right",
                bbox_to_anchor=(1.0, 0.0),
                borderaxespad=0.0,
                frameon=False,
                fontsize=7,
            )
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
        fig = plots.trend(
            frame,
            "year",
            ["theil"],
            band=("theil_ci_low", "theil_ci_high"),
            breaks=breaks,
            labels={"theil": _cap(t("theil_index", lang))},
            ylabel=_cap(t("theil_index", lang)),
            size=(6.0, 1.7),
        )
        ax = fig.axes[0]
        ax.set_xlabel(t("year", lang))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: str(int(round(x)))))
        _number_axis(ax.yaxis, lang, 3)
        from matplotlib.lines import Line2D

        handles, _ = ax.get_legend_handles_labels()
        labels = [_cap(t("theil_index", lang)) if isinstance(h, Line2D) else t("ci95", lang) for h in handles]
        ax.get_legend().remove()  # under the axis title, never on it
        fig.legend(handles, labels, frameon=False, fontsize=7, ncol=2, loc="outside lower center")
        return _svg(fig)


def context_svg(lang: str, results: dict[str, dict[str, Any]]) -> bytes:
    """Every country's value of the comparison as a dot, most unequal first; Kyrgyzstan in the accent colour and
    labelled, the highlighted neighbours labelled; the median of the other countries as a dashed line."""
    import matplotlib
    from matplotlib.figure import Figure

    from lsg_analysis.outputs import headlines

    points = sorted(headlines.context_points(results["04_context"]), key=lambda p: -p[1])
    c = headlines.context(results["04_context"])
    digits = 3 if c.measure in ("theil", "gini", "cv") else 1
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 7}):
        fig = Figure(figsize=(3.6, 1.0), layout="constrained")
        ax = fig.add_subplot()
        xs = list(range(1, len(points) + 1))
        ax.scatter(xs, [p[1] for p in points], s=10, color=["#1f5f99" if p[0] == "KGZ" else "#9aa5b1" for p in points])
        for x, (iso3, v, marked) in zip(xs, points):
            if marked:
                ax.annotate(
                    iso3,
                    (x, v),
                    xytext=(3, 3),
                    textcoords="offset points",
                    fontsize=7,
                    color="#1f5f99" if iso3 == "KGZ" else "#3e4c59",
                )
        if c.median is not None:  # the median of the other countries, as the text says
            ax.axhline(c.median, color="#7b8794", linewidth=0.8, linestyle="--")
        ax.set_xlabel(t("ctx_axis_countries", lang))
        ax.set_xticks([])
        ax.set_ylabel(_cap(t(f"ctx_measure_{c.measure}", lang)))
        _number_axis(ax.yaxis, lang, digits)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _svg(fig)
