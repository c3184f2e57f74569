"""Raw → tidy, validated: the loaders users call (``lsg_analysis.load_indicators``, ``lsg_analysis.load_boundaries``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    import geopandas as gpd
    import pandas as pd


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


def load_indicators(indicator: str | Sequence[str] | None = None, level: int | str | None = None,
                    years: int | Sequence[int] | range | None = None, codes: str | Sequence[str] | None = None,
                    lang: str = "en", source: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Indicator values, tidy: code, name (in ``lang``), level, parent, year, indicator, value, unit, source_id,
    vintage, boundaries, flag, note, default_series — read from ``data/processed/indicators.csv`` and validated.

    ``indicator``: id(s) of ``indicator_meta.csv``; ``level``: 0/1/2 or "republic"/"oblast"/"rayon";
    ``years``: a year, ``(first, last)``, a range or a list; ``codes``: registry code(s); ``lang``: en, ru, ky;
    ``source``: ``None`` = each indicator's default series (one value per region and year, see
    ``indicator_meta.default_source``), ``"all"`` = every source, or source id(s) such as ``"S06"``.
    A bad parameter raises :class:`~lsg_analysis.errors.ParameterError` listing the allowed values.
    See :mod:`lsg_analysis.processed`.
    """
    from . import processed

    return processed.load_indicators(indicator, level=level, years=years, codes=codes, lang=lang, source=source)


def load_indicator_meta(indicator: str | Sequence[str] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Indicator metadata (``indicator_meta.csv``): names ky/ru/en, unit, kind, description, higher_is_better,
    weight_by, levels, sources, default_source, years, caveats; with ``lang`` an extra ``name`` column."""
    from . import processed

    return processed.indicator_meta(indicator, lang=lang)


indicator_meta = load_indicator_meta
