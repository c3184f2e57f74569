"""What do the reference files say? Natural Earth neighbours, the enclave list and published border lengths
(``data/raw/naturalearth``, ``data/reference``), and the measured lengths next to the published ones.

Published lengths depend on map scale (coastline effect) and on the state of delimitation; see
:func:`compare_with_published`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lsg_analysis.core.errors import DataError
from lsg_analysis.core.paths import DATA, RAW, rel

if TYPE_CHECKING:  # heavy imports stay inside functions
    import geopandas as gpd

#: Neighbours of Kyrgyzstan, ISO 3166-1 alpha-3, in the column order of every table here.
NEIGHBOURS: tuple[str, ...] = ("KAZ", "UZB", "TJK", "CHN")
#: ISO 3166-1 numeric id (Natural Earth / world-atlas ``id``) → alpha-3.
NE_NUMERIC: dict[str, str] = {"417": "KGZ", "398": "KAZ", "860": "UZB", "762": "TJK", "156": "CHN"}

NATURAL_EARTH = RAW / "naturalearth" / "countries-10m.json"
ENCLAVES = DATA / "reference" / "enclaves.csv"
PUBLISHED = DATA / "reference" / "border_lengths_published.csv"


def read_neighbours(path: str | Path = NATURAL_EARTH) -> gpd.GeoDataFrame:
    """Natural Earth countries (TopoJSON layer ``countries``) for KGZ and its four neighbours.

    Returns columns ``iso3, geometry`` in EPSG:4326, geometries made valid (China and Kazakhstan are not).
    """
    import geopandas as gpd
    import shapely

    path = Path(path)
    if not path.exists():
        raise DataError(rel(path), "no such file", "the Natural Earth 10m countries TopoJSON (world-atlas)")
    world = gpd.read_file(path, layer="countries")
    if "id" not in world.columns:
        raise DataError(rel(path), list(world.columns), "a column id (ISO 3166-1 numeric)", column="id")
    ids = world["id"].astype("string").str.zfill(3)
    missing = sorted(set(NE_NUMERIC) - set(ids.dropna()))
    if missing:
        raise DataError(
            rel(path),
            f"no feature with id {', '.join(missing)}",
            "features for Kyrgyzstan (417) and its neighbours 398, 860, 762, 156",
            column="id",
        )
    sel = world.loc[ids.isin(list(NE_NUMERIC))].copy()
    sel["iso3"] = ids[ids.isin(list(NE_NUMERIC))].map(NE_NUMERIC)
    sel = sel.set_crs(4326, allow_override=True)
    sel["geometry"] = _polygonal(shapely.make_valid(sel.geometry.values, method="structure", keep_collapsed=False))
    return sel[["iso3", "geometry"]].reset_index(drop=True)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygons of each geometry (make_valid may return collections with lines)."""
    import shapely

    out = []
    for g in geoms:
        parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
        out.append(shapely.union_all(parts) if parts else shapely.Polygon())
    return np.array(out, dtype=object)


def read_enclaves(path: str | Path = ENCLAVES) -> pd.DataFrame:
    """The enclave list (``name, sovereign, surrounded_by, lon, lat, ...``); lon/lat empty when not drawn."""
    path = Path(path)
    if not path.exists():
        raise DataError(rel(path), "no such file", "the enclave table data/reference/enclaves.csv")
    df = pd.read_csv(path, dtype={"name": "string", "sovereign": "string", "surrounded_by": "string"})
    need = ["name", "sovereign", "surrounded_by", "lon", "lat"]
    for col in need:
        if col not in df.columns:
            raise DataError(rel(path), list(df.columns), f"a column {col}", column=col)
    allowed = {"KGZ", *NEIGHBOURS}
    for i, row in df.iterrows():
        for col in ("sovereign", "surrounded_by"):
            if row[col] not in allowed:
                raise DataError(rel(path), row[col], f"one of {sorted(allowed)}", row=int(i) + 2, column=col)
        if pd.isna(row["lon"]) != pd.isna(row["lat"]):
            raise DataError(
                rel(path),
                f"lon={row['lon']}, lat={row['lat']}",
                "both lon and lat, or neither",
                row=int(i) + 2,
                column="lon",
            )
    return df


def read_published(path: str | Path = PUBLISHED) -> pd.DataFrame:
    """Published border lengths (``source_id, neighbour, length_km, ...``) from the reference table."""
    path = Path(path)
    if not path.exists():
        raise DataError(rel(path), "no such file", "the published border-length table")
    df = pd.read_csv(path)
    for i, row in df.iterrows():
        if row["neighbour"] not in (*NEIGHBOURS, "TOTAL"):
            raise DataError(
                rel(path), row["neighbour"], f"one of {NEIGHBOURS} or TOTAL", row=int(i) + 2, column="neighbour"
            )
        if not (isinstance(row["length_km"], (int, float, np.number)) and row["length_km"] > 0):
            raise DataError(rel(path), row["length_km"], "a positive length in km", row=int(i) + 2, column="length_km")
    return df


def compare_with_published(measured: pd.Series | None = None, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Measured km by neighbour (+ TOTAL) next to each published source: ``measured_km``, ``<source>_km`` and
    ``<source>_diff_pct = (measured − published) / published × 100``."""
    from lsg_analysis.geo.border.table import national_border_km

    m = national_border_km() if measured is None else measured
    pub = read_published() if published is None else published
    out = pd.DataFrame({"measured_km": pd.concat([m, pd.Series({"TOTAL": m.sum()})])})
    out.index.name = "neighbour"
    for src, grp in pub.groupby("source_id", sort=False):
        p = grp.set_index("neighbour")["length_km"].astype(float)
        if "TOTAL" not in p.index:
            p["TOTAL"] = p.reindex(list(NEIGHBOURS)).sum()
        out[f"{src}_km"] = p.reindex(out.index)
        out[f"{src}_diff_pct"] = (out["measured_km"] - out[f"{src}_km"]) / out[f"{src}_km"] * 100
    return out
