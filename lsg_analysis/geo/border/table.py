"""What does the border table say for each unit? The project's units measured (:func:`measure_table`), the
processed ``data/processed/border_metrics.csv`` written (:func:`build`) and read back validated
(:func:`read_border_metrics`, :func:`border_table`), and national lengths by neighbour.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lsg_analysis.core.errors import DataError
from lsg_analysis.core.filekey import file_key
from lsg_analysis.core.levels import parse_level
from lsg_analysis.core.paths import PROCESSED, rel
from lsg_analysis.geo.border.geometry import border_pieces, unit_metrics
from lsg_analysis.geo.border.reference import ENCLAVES, NATURAL_EARTH, NEIGHBOURS, read_enclaves, read_neighbours

if TYPE_CHECKING:  # heavy imports stay inside functions
    import geopandas as gpd

LEVELS = (1, 2)


def _level(level: int | str) -> int:
    """Border tables exist for oblasts (1) and rayons (2)."""
    return parse_level(level, allowed=LEVELS)


#: the border table of both levels, written by ``lsg data build`` (:func:`build`) and read by :func:`border_table`
PROCESSED_FILE = "border_metrics.csv"
#: decimals written for the measured floats (km: 1 mm; shares: 1e-6) — last-bit noise of GEOS never shows
DECIMALS = 6


# --------------------------------------------------------------------------------------------- project data
def project_units(level: int | str) -> gpd.GeoDataFrame:
    """The project's units at full resolution (EPSG:4326; columns ``code, geometry``).

    Level 2: the 53 HDX ADM2 units as published plus Bishkek and Osh city rebuilt from the holes
    (:func:`lsg_analysis.geo.boundaries.read_adm2`, :func:`~lsg_analysis.geo.boundaries.city_holes`); level 1: those
    dissolved by registry parent. Not the processed (simplified) map files: simplification shortens lines, and
    border lengths are measured on the published vertices.
    """
    import geopandas as gpd

    from lsg_analysis.geo import boundaries
    from lsg_analysis.registry import regions

    codes, geoms = boundaries.read_adm2()
    for code, poly in boundaries.city_holes(geoms).items():
        codes.append(code)
        geoms.append(poly)
    units = gpd.GeoDataFrame({"code": codes}, geometry=list(geoms), crs=4326)
    if _level(level) == 1:
        reg = regions.regions().set_index("code")
        units["code"] = [c if reg.at[c, "level"] == 1 else reg.at[c, "parent"] for c in units["code"]]
        units = units.dissolve(by="code").reset_index()[["code", "geometry"]]
    return units.sort_values("code").reset_index(drop=True)


def _project(level: int) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    """Units, pieces and metrics at ``level``, measured once per version of the input files (cached on the HDX
    ADM2, Natural Earth and enclave files' path, mtime and size; a missing file is left to its reader to name)."""
    from lsg_analysis.geo import boundaries

    keys = tuple(
        file_key(p) if p.is_file() else (str(p), -1, -1) for p in (boundaries.ADM2_FILE, NATURAL_EARTH, ENCLAVES)
    )
    return _measured(level, keys)


@functools.lru_cache(maxsize=4)
def _measured(
    level: int, keys: tuple[tuple[str, int, int], ...]
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    units = project_units(level)
    pieces = border_pieces(units, read_neighbours(keys[1][0]), read_enclaves(keys[2][0]))
    return units, pieces, unit_metrics(units, pieces)


def measure_table(level: int | str) -> pd.DataFrame:
    """:func:`unit_metrics` measured on the project's units at ``level`` (1 or 2); once per session (~2 s)."""
    return _project(_level(level))[2].copy()


def border_table(level: int | str, processed: str | Path | None = None) -> pd.DataFrame:
    """The border table at ``level`` (columns of :func:`unit_metrics`, index ``code``), read from
    ``data/processed/border_metrics.csv`` (``processed``: another file) as written by ``lsg data build``;
    measured with :func:`measure_table` when the file is absent. ``lsg data check`` and the tests prove the file
    equals a rebuild, so both give the same numbers (to :data:`DECIMALS` decimals)."""
    level = _level(level)
    path = Path(processed) if processed is not None else PROCESSED / PROCESSED_FILE
    if not path.exists():
        return measure_table(level)
    table = read_border_metrics(path)
    out = table[table["level"] == level].drop(columns="level").set_index("code")
    if out.empty:
        raise DataError(rel(path), f"no rows of level {level}", "both levels 1 and 2 — rebuild with `lsg data build`")
    return out


def read_border_metrics(path: str | Path | None = None) -> pd.DataFrame:
    """``border_metrics.csv`` (both levels, column ``level``), validated by
    :class:`lsg_analysis.data.schemas.BorderMetrics` (DataErrors naming file, row, column); flags as bools,
    ``enclaves`` a string column with NA where a unit borders no enclave. Cached on path, mtime and size."""
    p = Path(path) if path is not None else PROCESSED / PROCESSED_FILE
    return _border_metrics(*file_key(p)).copy()


@functools.lru_cache(maxsize=4)
def _border_metrics(path: str, mtime: int, size: int) -> pd.DataFrame:
    from lsg_analysis.data.schemas import BorderMetrics, read_csv, validate

    table = validate(read_csv(path), BorderMetrics, rel(path))
    table["code"] = table["code"].astype(str)
    for col in ("border", "border_core", "enclave_adjacent"):
        table[col] = table[col] == "True"
    table["enclaves"] = table["enclaves"].astype(object).where(table["enclaves"] != "", pd.NA).astype("string")
    return table


def border_lengths(level: int | str) -> pd.DataFrame:
    """International border km by unit (index ``code``) and neighbour (columns KAZ, UZB, TJK, CHN).

    Batken oblast borders Tajikistan and Uzbekistan only:

    >>> sorted(n for n, km in border_lengths(1).loc["KG-B"].items() if km > 0)
    ['TJK', 'UZB']
    """
    return border_table(level)[list(NEIGHBOURS)].copy()


def project_pieces(level: int | str = 2) -> gpd.GeoDataFrame:
    """The border pieces of the project's units (:func:`border_pieces`), for maps and checks."""
    return _project(_level(level))[1].copy()


def national_border_km() -> pd.Series:
    """Measured length of Kyrgyzstan's border with each neighbour, km (Series indexed by ISO3, name ``km``)."""
    s = project_pieces(2).groupby("neighbour")["length_km"].sum().reindex(list(NEIGHBOURS), fill_value=0.0)
    s.index.name, s.name = "neighbour", "km"
    return s.astype(float)


def build(out_dir: str | Path) -> Path:
    """Measure both levels and write :data:`PROCESSED_FILE` (one row per unit, column ``level``) to ``out_dir``
    (``lsg data build`` calls it with ``data/processed``); floats with :data:`DECIMALS` decimals."""
    from lsg_analysis.core.atomic import atomic_path

    frames = [measure_table(level).reset_index().assign(level=level) for level in LEVELS]
    table = pd.concat(frames, ignore_index=True)
    table = table[["level", "code", *[c for c in table.columns if c not in ("level", "code")]]]
    target = Path(out_dir) / PROCESSED_FILE
    with atomic_path(target) as tmp:
        table.to_csv(tmp, index=False, float_format=f"%.{DECIMALS}f", lineterminator="\n")
    return target
