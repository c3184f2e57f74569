"""Where is the border, and how much of it does each unit have? Holes of the union, border pieces with their unit
and neighbour, and the per-unit table (lengths, perimeter share, distance, enclave adjacency).

Geometry, all in one metric projection (:data:`METRIC_CRS`); see :mod:`lsg_analysis.geo.border` for the method.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lsg_analysis.core.errors import ParameterError
from lsg_analysis.geo.border.reference import NEIGHBOURS

if TYPE_CHECKING:  # heavy imports stay inside functions
    import geopandas as gpd

#: Metric projection for every length, area and distance (see the module docstring for the choice).
METRIC_CRS = "+proj=lcc +lat_1=40 +lat_2=42.5 +lat_0=41 +lon_0=74.8 +datum=WGS84 +units=m +no_defs"


# --------------------------------------------------------------------------------------------- checks
def _check_units(units: gpd.GeoDataFrame, what: str = "units") -> None:
    if "code" not in units.columns:
        raise ParameterError(what, list(units.columns), "a GeoDataFrame with a column code")
    if units.crs is None:
        raise ParameterError(what, "no CRS", "a GeoDataFrame with a CRS (e.g. EPSG:4326)")
    if units["code"].isna().any() or units["code"].duplicated().any():
        dup = units["code"][units["code"].duplicated() | units["code"].isna()].tolist()
        raise ParameterError(what, f"missing or repeated codes {dup}", "one row per unit code")
    if units.geometry.isna().any() or units.geometry.is_empty.any():
        bad = units.loc[units.geometry.isna() | units.geometry.is_empty, "code"].tolist()
        raise ParameterError(what, f"no geometry for {bad}", "a polygon for every unit")


def _check_neighbours(neighbours: gpd.GeoDataFrame) -> None:
    if "iso3" not in neighbours.columns or neighbours.crs is None:
        raise ParameterError("neighbours", list(neighbours.columns), "a GeoDataFrame with a CRS and a column iso3")
    absent = [c for c in NEIGHBOURS if c not in set(neighbours["iso3"])]
    if len(absent) == len(NEIGHBOURS):
        raise ParameterError("neighbours", sorted(set(neighbours["iso3"])), f"polygons of some of {NEIGHBOURS}")


def _metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.to_crs(METRIC_CRS)


# --------------------------------------------------------------------------------------------- holes
def union_holes(
    units: gpd.GeoDataFrame,
    neighbours: gpd.GeoDataFrame,
    enclaves: pd.DataFrame | None = None,
    *,
    min_foreign_share: float = 0.1,
) -> gpd.GeoDataFrame:
    """Classify every hole of the union of ``units``: ``enclave`` (international border) or ``interior``.

    Columns: ``kind, enclave, sovereign, area_km2, ring_km, foreign_share, geometry`` (polygon, metric CRS).
    ``foreign_share`` = share of the hole's area covered by a neighbour's Natural Earth polygon. A hole is an
    enclave if an enclave point of ``enclaves`` lies in it (then ``sovereign`` comes from the table) or if
    ``foreign_share >= min_foreign_share`` (then ``sovereign`` is the neighbour covering most of it).
    """
    import geopandas as gpd
    import shapely

    _check_units(units)
    _check_neighbours(neighbours)
    u = _metric(units)
    nb = _metric(neighbours[neighbours["iso3"].isin(NEIGHBOURS)])
    union = shapely.union_all(u.geometry.values)
    holes = [shapely.Polygon(ring) for part in getattr(union, "geoms", [union]) for ring in part.interiors]
    pts = _enclave_points(enclaves)
    rows = []
    for hole in holes:
        cover = {iso: hole.intersection(g).area / hole.area for iso, g in zip(nb["iso3"], nb.geometry)}
        best = max(cover, key=cover.get) if cover else None
        share = cover.get(best, 0.0) if best else 0.0
        listed = [r for r in pts.itertuples() if r.sovereign in NEIGHBOURS and hole.contains(r.geometry)]
        if listed:
            kind, name, sov = "enclave", listed[0].name, listed[0].sovereign
        elif share >= min_foreign_share:
            kind, name, sov = "enclave", pd.NA, best
        else:
            kind, name, sov = "interior", pd.NA, pd.NA
        rows.append(
            {
                "kind": kind,
                "enclave": name,
                "sovereign": sov,
                "area_km2": hole.area / 1e6,
                "ring_km": hole.exterior.length / 1e3,
                "foreign_share": share,
                "geometry": hole,
            }
        )
    cols = ["kind", "enclave", "sovereign", "area_km2", "ring_km", "foreign_share", "geometry"]
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=METRIC_CRS)


def _enclave_points(enclaves: pd.DataFrame | None) -> gpd.GeoDataFrame:
    import geopandas as gpd

    if enclaves is None or len(enclaves) == 0:
        return gpd.GeoDataFrame({"name": [], "sovereign": [], "surrounded_by": []}, geometry=[], crs=METRIC_CRS)
    drawn = enclaves.dropna(subset=["lon", "lat"])
    pts = gpd.GeoDataFrame(
        drawn[["name", "sovereign", "surrounded_by"]].reset_index(drop=True),
        geometry=gpd.points_from_xy(drawn["lon"], drawn["lat"]),
        crs=4326,
    )
    return pts.to_crs(METRIC_CRS)


# --------------------------------------------------------------------------------------------- pieces
def border_pieces(
    units: gpd.GeoDataFrame,
    neighbours: gpd.GeoDataFrame,
    enclaves: pd.DataFrame | None = None,
    *,
    max_piece_m: float = 500.0,
    min_foreign_share: float = 0.1,
) -> gpd.GeoDataFrame:
    """The international border of the union of ``units`` cut into pieces, each with its unit and neighbour.

    Columns: ``code`` (unit), ``neighbour`` (ISO3), ``ring`` (``outer`` | ``enclave`` | ``exclave``: outer ring of
    the largest part / hole that is a foreign enclave / outer ring of a detached part of the country),
    ``enclave`` (name from the enclave table, else NA), ``length_km``, ``gap_km`` (distance from the piece's
    midpoint to the neighbour's Natural Earth polygon: the size of the approximation), ``second_gap_km`` (to the
    next-nearest neighbour; infinite on enclave rings), ``unit_gap_m`` (distance to the unit; ~0 by
    construction), geometry (2-point LineString, metric CRS).
    """
    import geopandas as gpd
    import shapely

    if max_piece_m <= 0:
        raise ParameterError("max_piece_m", max_piece_m, "a positive length in metres")
    _check_units(units)
    _check_neighbours(neighbours)
    u = _metric(units).reset_index(drop=True)
    nb = _metric(neighbours[neighbours["iso3"].isin(NEIGHBOURS)]).reset_index(drop=True)
    union = shapely.union_all(u.geometry.values)
    parts = sorted(getattr(union, "geoms", [union]), key=lambda p: p.area, reverse=True)
    pts = _enclave_points(enclaves)

    rings, kinds, names, sovs = [], [], [], []
    for k, part in enumerate(parts):
        rings.append(part.exterior)
        kinds.append("outer" if k == 0 else "exclave")
        inside = [r for r in pts.itertuples() if k > 0 and r.sovereign == "KGZ" and part.contains(r.geometry)]
        names.append(inside[0].name if inside else pd.NA)
        sovs.append(pd.NA)  # neighbour of an outer/exclave ring: nearest polygon, piece by piece
    holes = union_holes(units, neighbours, enclaves, min_foreign_share=min_foreign_share)
    for h in holes.itertuples():
        if h.kind == "enclave":
            rings.append(h.geometry.exterior)
            kinds.append("enclave")
            names.append(h.enclave)
            sovs.append(h.sovereign)

    lines = shapely.segmentize(np.array(rings, dtype=object), max_piece_m)
    coords, idx = shapely.get_coordinates(lines, return_index=True)
    same = idx[1:] == idx[:-1]
    a, b, ring_id = coords[:-1][same], coords[1:][same], idx[:-1][same]
    keep = np.any(a != b, axis=1)
    a, b, ring_id = a[keep], b[keep], ring_id[keep]
    segs = shapely.linestrings(np.stack([a, b], axis=1))
    mids = shapely.points((a + b) / 2)

    unit_idx, unit_dist = nearest(u.geometry.values, mids)

    # distance from every midpoint to every neighbour (polygons clipped to the country's box + 100 km)
    x0, y0, x1, y1 = union.bounds
    box = shapely.box(x0 - 1e5, y0 - 1e5, x1 + 1e5, y1 + 1e5)
    isos = [iso for iso in NEIGHBOURS if iso in set(nb["iso3"])]
    dist = np.column_stack(
        [
            shapely.distance(mids, shapely.intersection(shapely.union_all(nb.geometry[nb["iso3"] == iso].values), box))
            for iso in isos
        ]
    )
    order = np.argsort(dist, axis=1)
    rows = np.arange(len(mids))
    neighbour = np.array(isos, dtype=object)[order[:, 0]]
    gap = dist[rows, order[:, 0]]
    second = dist[rows, order[:, 1]] if len(isos) > 1 else np.full(len(mids), np.inf)

    kinds_a, names_a, sovs_a = (np.array(x, dtype=object)[ring_id] for x in (kinds, names, sovs))
    fixed = kinds_a == "enclave"  # an enclave ring borders its sovereign, whatever polygon is nearest
    neighbour[fixed] = sovs_a[fixed]
    for iso in set(neighbour[fixed]):
        sel = fixed & (neighbour == iso)
        gap[sel] = dist[sel, isos.index(iso)] if iso in isos else np.nan
        second[sel] = np.inf
    out = gpd.GeoDataFrame(
        {
            "code": u["code"].to_numpy()[unit_idx],
            "neighbour": pd.array(neighbour, dtype="string"),
            "ring": pd.array(kinds_a, dtype="string"),
            "enclave": pd.array(names_a, dtype="string"),
            "length_km": shapely.length(segs) / 1e3,
            "gap_km": gap / 1e3,
            "second_gap_km": second / 1e3,
            "unit_gap_m": unit_dist,
        },
        geometry=segs,
        crs=METRIC_CRS,
    )
    return out


def nearest(polygons: np.ndarray, points: np.ndarray, tol_m: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest polygon to each point and its distance (ties: the lowest index).

    Points on a polygon's edge (here: every piece's midpoint) are matched among the polygons within ``tol_m``
    (an indexed ``dwithin`` query, ~5× faster than ``query_nearest`` on these large polygons); a point with none
    that close falls back to ``STRtree.query_nearest``.
    """
    import shapely

    tree = shapely.STRtree(polygons)
    src, tgt = tree.query(points, predicate="dwithin", distance=tol_m)
    dist = shapely.distance(points[src], polygons[tgt])
    order = np.lexsort((tgt, dist, src))
    first = np.r_[True, src[order][1:] != src[order][:-1]] if len(order) else np.zeros(0, bool)
    idx = np.full(len(points), -1)
    out = np.full(len(points), np.inf)
    idx[src[order][first]], out[src[order][first]] = tgt[order][first], dist[order][first]
    far = np.flatnonzero(idx < 0)
    if len(far):
        (_, near), d = tree.query_nearest(points[far], return_distance=True, all_matches=False)
        idx[far], out[far] = near, d
    return idx, out


# --------------------------------------------------------------------------------------------- per unit
def lengths_by_unit(pieces: pd.DataFrame, codes: pd.Index | list[str]) -> pd.DataFrame:
    """Border km by unit (rows: every code in ``codes``, 0 where a unit has no border) × neighbour."""
    tab = pieces.pivot_table(index="code", columns="neighbour", values="length_km", aggfunc="sum", fill_value=0.0)
    tab = tab.reindex(index=pd.Index(list(codes), name="code"), columns=list(NEIGHBOURS), fill_value=0.0)
    tab.columns.name = None
    return tab.astype(float)


def largest_parts(units: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """The largest polygon of each unit (by area in the metric CRS), indexed like ``units``."""
    import geopandas as gpd

    u = _metric(units)
    parts = u.geometry.explode(index_parts=True)
    area = parts.area
    best = area.groupby(level=0).idxmax()
    return gpd.GeoSeries([parts.loc[i] for i in best], index=best.index, crs=METRIC_CRS)


def unit_metrics(units: gpd.GeoDataFrame, pieces: gpd.GeoDataFrame, *, min_part_share: float = 0.05) -> pd.DataFrame:
    """One row per unit: border km by neighbour, total, perimeter share, flags, distance, enclave adjacency.

    Columns (index ``code``):
    ``KAZ, UZB, TJK, CHN, total_km`` — border km; ``perimeter_km`` — length of all the unit's rings;
    ``perimeter_share = total_km / perimeter_km``; ``border`` — ``total_km > 0``;
    ``core_km`` — border km on the unit's polygons that hold at least ``min_part_share`` of its area;
    ``border_core`` — ``core_km > 0``: False for a unit that reaches the border only through a small detached
    piece (in the HDX 2018 file: Ton rayon, whose 121 km² piece east of lake Issyk-Kul, 1.7 % of its area, lies
    on the Kazakh border); ``dist_km`` — distance from the representative point of the unit's largest polygon to
    the nearest piece of international border (enclave rings included); ``enclave_km`` and ``enclaves`` — km of
    border on foreign-enclave rings and their names (``; ``-separated); ``enclave_adjacent`` — ``enclave_km > 0``.
    """
    import shapely

    _check_units(units)
    u = _metric(units).reset_index(drop=True)
    tab = lengths_by_unit(pieces, u["code"])
    tab["total_km"] = tab[list(NEIGHBOURS)].sum(axis=1)
    tab["perimeter_km"] = shapely.length(shapely.boundary(u.geometry.values)) / 1e3
    tab["perimeter_share"] = tab["total_km"] / tab["perimeter_km"]
    tab["border"] = tab["total_km"] > 0

    parts = u[["code", "geometry"]].explode(index_parts=False)
    area = parts.area
    share = area / area.groupby(level=0).transform("sum")
    core = parts[share >= min_part_share].dissolve(by="code").geometry
    mids = shapely.line_interpolate_point(pieces.geometry.values, 0.5, normalized=True)
    on_core = shapely.distance(mids, core.reindex(pieces["code"]).values) < 1.0
    tab["core_km"] = pieces.loc[on_core].groupby("code")["length_km"].sum().reindex(tab.index, fill_value=0.0)
    tab["border_core"] = tab["core_km"] > 0

    main = largest_parts(u)
    main.index = u["code"].to_numpy()
    rep = shapely.point_on_surface(main.reindex(tab.index).values)
    tab["dist_km"] = shapely.distance(rep, shapely.union_all(pieces.geometry.values)) / 1e3 if len(pieces) else np.nan
    enc = pieces[pieces["ring"] == "enclave"]
    tab["enclave_km"] = enc.groupby("code")["length_km"].sum().reindex(tab.index, fill_value=0.0)
    names = (
        enc.assign(enclave=enc["enclave"].fillna("unnamed enclave"))
        .groupby("code")["enclave"]
        .agg(lambda s: "; ".join(sorted(set(s))))
    )
    tab["enclaves"] = names.reindex(tab.index).astype("string")
    tab["enclave_adjacent"] = tab["enclave_km"] > 0
    return tab


def detached_parts(units: gpd.GeoDataFrame, pieces: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Every polygon of a multi-part unit except its largest: a data artefact to look at, not to hide.

    Columns: ``code, part, area_km2, share_of_unit, perimeter_km, border_km, touches`` (codes of the other units
    sharing more than 100 m of boundary with the piece, ``;``-separated). ``border_km`` needs ``pieces``.
    """
    import shapely

    _check_units(units)
    u = _metric(units).reset_index(drop=True)
    parts = u[["code", "geometry"]].explode(index_parts=True)
    parts["area_km2"] = parts.area / 1e6
    parts["share_of_unit"] = parts["area_km2"] / parts.groupby("code")["area_km2"].transform("sum")
    parts = parts[parts.groupby("code")["area_km2"].transform("max") > parts["area_km2"]]
    rows = []
    for (_, k), p in parts.iterrows():
        bnd = p.geometry.boundary
        others = u[u["code"] != p["code"]]
        shared = shapely.length(shapely.intersection(shapely.boundary(others.geometry.values), bnd))
        touches = "; ".join(others["code"].to_numpy()[shared > 100].astype(str))
        km = np.nan
        if pieces is not None:
            mids = shapely.line_interpolate_point(pieces.geometry.values, 0.5, normalized=True)
            km = float(pieces.loc[shapely.distance(mids, p.geometry) < 1.0, "length_km"].sum())
        rows.append(
            {
                "code": p["code"],
                "part": int(k),
                "area_km2": p["area_km2"],
                "share_of_unit": p["share_of_unit"],
                "perimeter_km": bnd.length / 1e3,
                "border_km": km,
                "touches": touches,
            }
        )
    return pd.DataFrame(
        rows, columns=["code", "part", "area_km2", "share_of_unit", "perimeter_km", "border_km", "touches"]
    )


def approximation_summary(pieces: pd.DataFrame, *, margin_km: float = 5.0) -> pd.DataFrame:
    """How far the HDX border lies from the Natural Earth neighbour it was given, by neighbour.

    Columns: ``km`` (border length), ``gap_km_median``, ``gap_km_p95``, ``gap_km_max`` (distance from a piece to
    its neighbour's polygon), ``km_ambiguous`` — km of border whose next-nearest neighbour is less than
    ``margin_km`` farther than the nearest: the pieces near tripoints that could belong to the other neighbour.
    """
    g = pieces.groupby("neighbour")
    ambiguous = pieces[(pieces["second_gap_km"] - pieces["gap_km"]) < margin_km]
    out = pd.DataFrame(
        {
            "km": g["length_km"].sum(),
            "gap_km_median": g["gap_km"].median(),
            "gap_km_p95": g["gap_km"].quantile(0.95),
            "gap_km_max": g["gap_km"].max(),
            "km_ambiguous": ambiguous.groupby("neighbour")["length_km"].sum(),
        }
    ).reindex(list(NEIGHBOURS))
    out["km_ambiguous"] = out["km_ambiguous"].fillna(0.0)
    return out
