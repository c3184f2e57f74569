"""Raw → tidy, validated: the loaders users call (``lsg_analysis.load_indicators``, ``lsg_analysis.load_boundaries``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd


def load_boundaries(level: int | str = 1, lang: str = "en") -> gpd.GeoDataFrame:
    """Boundaries of ``level`` (1 / "oblast": 7 oblasts + Bishkek + Osh city; 2 / "rayon": 53 HDX units + Bishkek
    + Osh city) as a GeoDataFrame in EPSG:4326 with columns code, name (in ``lang``: en, ru, ky), level, parent,
    geometry. Reads ``data/processed/boundaries_{oblast,rayon}.geojson`` (built by ``lsg data build`` from the
    HDX COD-AB ADM2 file, see :mod:`lsg_analysis.boundaries`) and validates it (DataError naming file and feature).
    """
    from . import boundaries, regions

    lang = regions._check_lang(lang)
    gdf = boundaries.read(level)
    gdf.insert(1, "name", regions.names(gdf["code"], lang))
    return gdf[["code", "name", "level", "parent", "geometry"]]
