"""What does the shipped data look like at a glance? Two figures from the processed data, written to
``reports/figures/`` (``lsg figures [--lang L] [--out DIR]``): a map of GRP per capita by oblast in the
latest year and a chart of the poverty rate by oblast over time (lines broken at series breaks).
"""

from __future__ import annotations

from pathlib import Path

from lsg_analysis.core import atomic, paths

MAP_INDICATOR, CHART_INDICATOR = "grp_per_capita", "poverty_rate"


def _save(fig, path: Path) -> Path:
    with atomic.atomic_path(path) as tmp:
        fig.savefig(
            tmp,
            format=path.suffix.lstrip("."),
            dpi=150,
            metadata={"Software": None} if path.suffix == ".png" else {"Date": None},
        )
    return path


def write_overview(out_dir: str | Path | None = None, lang: str = "en") -> list[Path]:
    """Write ``<indicator>_map.png`` and ``<indicator>_by_oblast.png``; return their paths."""
    from lsg_analysis.geo import boundaries
    from lsg_analysis.data import load, series
    from lsg_analysis.outputs import plots

    out = Path(out_dir) if out_dir is not None else paths.REPORTS / "figures"
    meta = load.load_indicator_meta(lang=lang).set_index("indicator")
    written = []

    pc = load.load_indicators(MAP_INDICATOR, level="oblast", lang=lang)
    year = int(pc["year"].max())
    shapes = boundaries.load_boundaries("oblast", lang=lang)
    gdf = shapes.merge(pc[pc["year"] == year][["code", "value", "source_id"]], on="code", how="left")
    sources = ", ".join(sorted(set(gdf["source_id"].dropna())))
    fig = plots.choropleth(
        gdf,
        "value",
        title=f"{meta.loc[MAP_INDICATOR, 'name']}, {year} ({sources})",
        legend=meta.loc[MAP_INDICATOR, "unit"],
        cmap="YlGnBu",
    )
    written.append(_save(fig, out / f"{MAP_INDICATOR}_map.png"))

    pov = load.load_indicators(CHART_INDICATOR, level="oblast", lang=lang)
    fig = plots.line_chart(
        pov,
        breaks=series.read_breaks(indicator=CHART_INDICATOR),
        title=f"{meta.loc[CHART_INDICATOR, 'name']} ({', '.join(sorted(set(pov['source_id'])))})",
        ylabel=meta.loc[CHART_INDICATOR, "unit"],
    )
    written.append(_save(fig, out / f"{CHART_INDICATOR}_by_oblast.png"))
    return written
