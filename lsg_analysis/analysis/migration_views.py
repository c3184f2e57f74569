"""What does notebook 02 show of population change and the border? Display tables: the oblast window of population
change with border flags, its bar-chart labels, the oblast populations and the border map, with their sources.

Every measure is computed by :mod:`lsg_analysis.analysis.migration`, :mod:`lsg_analysis.analysis.border_interior`
and :mod:`lsg_analysis.geo.border`.
"""

from __future__ import annotations

from typing import Any

from lsg_analysis.analysis.imbalance_panel import map_codes

#: Raw files behind the border measures (no catalogue source id: provenance from their sidecars).
BORDER_SOURCES = ["raw:hdx/kgz_admbnda_adm2_moes_20181119.json", "raw:naturalearth/countries-10m.json"]


def region_names(codes: Any, lang: str = "en") -> list[str]:
    """Registry names of ``codes`` in ``lang``."""
    from lsg_analysis.registry import regions

    return regions.names(list(codes), lang)


def indicator_sources(obs: Any, *indicators: str) -> list[str]:
    """Source ids of the default-series rows of ``indicators`` in ``obs`` (sorted)."""
    rows = obs[obs["indicator"].isin(indicators) & (obs["default_series"] == "yes")]
    return sorted(set(rows["source_id"].astype(str)))


def oblast_window(obs: Any, year_from: int, year_to: int, *, breaks: Any, lang: str = "en") -> Any:
    """Oblast population change over the window (:func:`~lsg_analysis.analysis.migration.window_change`, within
    one series segment) with each unit's ``border`` flag and ``name``."""
    from lsg_analysis.analysis import migration
    from lsg_analysis.geo import border

    window = migration.window_change(obs, year_from, year_to, codes=map_codes("oblast"), breaks=breaks)
    flags = border.border_table(1)["border"]
    return window.assign(border=window["code"].map(flags), name=region_names(window["code"], lang))


def growth_bars(window: Any) -> Any:
    """The measured units of :func:`oblast_window`, labelled for a bar chart ("(border)" marks border units)."""
    import numpy as np

    measured = window[window["status"] == "ok"]
    return measured.assign(
        label=measured["name"] + np.where(measured["border"], " (border)", ""), n_text=measured["source_id"]
    )


def oblast_population(obs: Any, lang: str = "en") -> Any:
    """Default-series population at the start of each year of the oblasts and the two cities, with names."""
    from lsg_analysis.analysis.migration import POPULATION

    pop = obs[
        (obs["indicator"] == POPULATION) & obs["code"].isin(map_codes("oblast")) & (obs["default_series"] == "yes")
    ]
    return pop.assign(name=region_names(pop["code"], lang))


def border_map(table: Any, level: str, lang: str = "en") -> Any:
    """Boundaries of ``level`` with the border table's columns; ``total_km`` empty for interior units (drawn as
    "no international border", not as 0 km)."""
    from lsg_analysis.geo.boundaries import load_boundaries

    gdf = load_boundaries(level, lang=lang).merge(table.reset_index(), on="code", how="left")
    return gdf.assign(total_km=gdf["total_km"].where(gdf["total_km"] > 0))
