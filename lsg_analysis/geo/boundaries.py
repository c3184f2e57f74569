"""Which polygon is each region? Processed boundaries at rayon and oblast level, built from the HDX COD-AB ADM2 file.

Build (:func:`build_boundaries`, called by ``lsg_analysis.pipeline.build.build_processed()``):

1. Read ``data/raw/hdx/kgz_admbnda_adm2_moes_20181119.json`` (53 ADM2 units: 40 rayons + 13 cities of oblast
   significance; OGC:CRS84 = lon/lat WGS84). Every ``ADM2_PCODE`` must be a level-2 code of the registry.
   ``make_valid`` each geometry (the 2018 file is already valid and an edge-matched coverage; checked).
2. Rebuild Bishkek (``KG-GB``) and Osh city (``KG-GO``): they are holes of the ADM2 coverage. Take the interior
   rings of the union of the 53 units, keep each ring that contains a known point inside the city
   (:data:`CITY_POINTS`), and use its polygon. Other holes stay holes: lakes Issyk-Kul (~6 250 km²) and
   Son-Kul (~286 km²) and the foreign enclaves Sokh, Shakhimardan, Chong-Kara (Uzbekistan) and Vorukh
   (Tajikistan). Area check (equal-area projection :data:`EQUAL_AREA`): Bishkek ≈ 150 km² (official pre-2024 city
   area ~170 km²); Osh ≈ 31 km² only, although the official city area is ~180 km² — the 2018 file puts the rest of
   Osh's land inside Kara-Suu rayon. Maps therefore show the pre-reform core city, not the city after the 2024
   reform.
3. Kept as in the source and noted: detached parts of Ton rayon (121 km² at 79.07 E, 42.75 N), Jumgal (962 km²),
   Batken, Kara-Suu, Naryn rayon, Tash-Kumyr and others (pasture exclaves and small pieces).
4. Simplify the 55 units together with ``shapely.coverage_simplify`` (Visvalingam–Whyatt on the shared edges, so
   neighbours keep one common border and no gaps or overlaps appear) at :data:`TOLERANCE` degrees, then round to
   :data:`DECIMALS` decimals (shared vertices round identically, so shared edges stay shared).
5. Level 1 = the level-2 units dissolved by registry ``parent`` (7 oblasts) plus Bishkek and Osh city.
6. Write ``boundaries_rayon.geojson`` and ``boundaries_oblast.geojson`` (RFC 7946 GeoJSON, features sorted by
   code, fixed key order, compact separators): the same input gives the same bytes. Each file is written atomically.

Reading (:func:`read`) validates: GeoJSON ``crs`` member absent or CRS84/EPSG:4326, every feature has a registry code
of the right level (no duplicates), a non-empty valid (Multi)Polygon; otherwise one :class:`DataError` naming the
file and the feature.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from lsg_analysis.registry import regions
from lsg_analysis.core.atomic import write_text
from lsg_analysis.core.errors import DataError
from lsg_analysis.core.levels import parse_lang, parse_level
from lsg_analysis.core.paths import PROCESSED, RAW, rel

if TYPE_CHECKING:
    import geopandas as gpd

ADM2_FILE = RAW / "hdx" / "kgz_admbnda_adm2_moes_20181119.json"
OUT_FILES = {1: "boundaries_oblast.geojson", 2: "boundaries_rayon.geojson"}
#: lon/lat of a point inside each city of republican significance (city centre: Ala-Too square; Osh bazaar area).
CITY_POINTS = {"KG-GB": (74.6036, 42.8761), "KG-GO": (72.7985, 40.5283)}
#: Albers equal-area for Kyrgyzstan (standard parallels 39° and 43° N), for areas in m².
EQUAL_AREA = "+proj=aea +lat_1=39 +lat_2=43 +lat_0=41 +lon_0=74.5 +datum=WGS84 +units=m +no_defs"
TOLERANCE = 0.002  # degrees ≈ sqrt of the area of the triangles removed (coverage_simplify); areas change < 1.1 %
DECIMALS = 4  # ≈ 10 m


def _map_level(level: int | str) -> int:
    """Boundaries exist for oblasts (1) and rayons (2)."""
    return parse_level(level, allowed=(1, 2))


ACCEPTED_CRS = {
    None,
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "EPSG:4326",
    "urn:ogc:def:crs:EPSG::4326",
}


def read_adm2(path: str | Path = ADM2_FILE) -> tuple[list[str], list]:
    """(codes, shapely geometries) of the 53 HDX ADM2 units, validated and ``make_valid``-ed."""
    import shapely

    path = Path(path)
    data = _read_json(path)
    codes, geoms = [], []
    level2 = set(regions.regions().query("level == 2 and kind != 'composite'")["code"])
    for i, feat in enumerate(data.get("features", [])):
        code = (feat.get("properties") or {}).get("ADM2_PCODE")
        if code not in level2:
            raise DataError(
                rel(path),
                code,
                "an ADM2_PCODE known to lsg_analysis.registry.regions (level 2)",
                column=f"features[{i}].properties.ADM2_PCODE",
            )
        geom = _geometry(path, i, code, feat)
        codes.append(code)
        geoms.append(shapely.make_valid(geom) if not geom.is_valid else geom)
    missing = level2 - set(codes)
    if missing:
        raise DataError(rel(path), f"{len(codes)} units", f"all 53 ADM2 units (missing {sorted(missing)})")
    return codes, geoms


def city_holes(geoms: list) -> dict[str, object]:
    """Polygons of Bishkek and Osh city: the holes of the union of ``geoms`` that contain :data:`CITY_POINTS`."""
    import shapely

    union = shapely.union_all(geoms)
    holes = [shapely.Polygon(ring) for part in getattr(union, "geoms", [union]) for ring in part.interiors]
    out = {}
    for code, (x, y) in CITY_POINTS.items():
        found = [h for h in holes if h.contains(shapely.Point(x, y))]
        if len(found) != 1:
            raise DataError(
                "HDX ADM2 coverage", f"{len(found)} holes around {code} point ({x}, {y})", "exactly one hole (the city)"
            )
        out[code] = found[0]
    return out


def areas_km2(geoms, crs: str = "EPSG:4326"):
    """Areas in km² in :data:`EQUAL_AREA` of geometries given in ``crs``."""
    import geopandas as gpd

    return gpd.GeoSeries(list(geoms), crs=crs).to_crs(EQUAL_AREA).area.to_numpy() / 1e6


def build_units(path: str | Path = ADM2_FILE) -> dict[int, tuple[list[str], list]]:
    """{level: (codes, simplified geometries)} for level 2 (55 units) and level 1 (9 units), sorted by code."""
    import shapely

    codes, geoms = read_adm2(path)
    for code, poly in city_holes(geoms).items():
        codes.append(code)
        geoms.append(shapely.MultiPolygon([poly]))
    simple = shapely.coverage_simplify(geoms, TOLERANCE)
    simple = shapely.set_precision(simple, 10.0**-DECIMALS)
    order = sorted(range(len(codes)), key=codes.__getitem__)
    lvl2 = ([codes[i] for i in order], [_multi(simple[i]) for i in order])
    reg = regions.regions().set_index("code")
    groups: dict[str, list] = {}
    for code, geom in zip(*lvl2):
        key = code if reg.at[code, "level"] == 1 else reg.at[code, "parent"]
        groups.setdefault(key, []).append(geom)
    lvl1_codes = sorted(groups)
    lvl1 = (
        lvl1_codes,
        [_multi(shapely.set_precision(shapely.union_all(groups[c]), 10.0**-DECIMALS)) for c in lvl1_codes],
    )
    return {2: lvl2, 1: lvl1}


def _multi(geom):
    import shapely

    if geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    if geom.geom_type == "MultiPolygon":
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.MultiPolygon([p for g in polys for p in getattr(g, "geoms", [g])])


def to_geojson(codes: list[str], geoms: list, level: int) -> str:
    """Deterministic GeoJSON text: one feature per code (code, level, parent, kind, name_en), sorted by code."""
    import shapely

    reg = regions.regions().set_index("code")
    feats = []
    for code, geom in zip(codes, geoms):
        geom = shapely.orient_polygons(geom)  # RFC 7946: exterior rings counter-clockwise
        mapping = json.loads(shapely.to_geojson(geom))
        coords = _round(mapping["coordinates"])
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "code": code,
                    "level": level,
                    "parent": reg.at[code, "parent"],
                    "kind": reg.at[code, "kind"],
                    "name_en": reg.at[code, "name_en"],
                },
                "geometry": {"type": mapping["type"], "coordinates": coords},
            }
        )
    doc = {
        "type": "FeatureCollection",
        "name": f"lsg_analysis boundaries level {level} (from HDX COD-AB ADM2 2018; see lsg_analysis/boundaries.py)",
        "features": feats,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def _round(c):
    if isinstance(c, (int, float)):
        return round(float(c), DECIMALS)
    return [_round(x) for x in c]


def build_boundaries(out_dir: str | Path = PROCESSED, adm2: str | Path = ADM2_FILE) -> dict[str, Path]:
    """(Re)build ``boundaries_oblast.geojson`` and ``boundaries_rayon.geojson`` in ``out_dir`` from the raw HDX
    ADM2 file; returns {"oblast": path, "rayon": path}. Deterministic: the same input gives identical bytes.
    Called by ``lsg_analysis.pipeline.build.build_processed()`` (``lsg data build``)."""
    units = build_units(adm2)
    names = {1: "oblast", 2: "rayon"}
    return {
        names[lvl]: write_text(Path(out_dir) / OUT_FILES[lvl], to_geojson(codes, geoms, lvl))
        for lvl, (codes, geoms) in sorted(units.items())
    }


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(rel(path), "no such file", "a GeoJSON file (run `lsg data build`)") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DataError(rel(path), f"unreadable JSON ({e})", "a GeoJSON FeatureCollection") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataError(rel(path), str(data)[:60], "a GeoJSON FeatureCollection")
    crs = ((data.get("crs") or {}).get("properties") or {}).get("name")
    if crs not in ACCEPTED_CRS:
        raise DataError(
            rel(path), crs, "coordinates in lon/lat WGS84 (no crs member, or OGC:CRS84 / EPSG:4326)", column="crs"
        )
    return data


def _geometry(path: Path, i: int, code: object, feat: dict):
    import shapely

    where = f"features[{i}] ({code}).geometry"
    g = feat.get("geometry")
    if not g:
        raise DataError(rel(path), "no geometry", "a Polygon or MultiPolygon", column=where)
    try:
        geom = shapely.from_geojson(json.dumps(g))
    except Exception as e:  # noqa: BLE001 — GEOS parse errors have no common class; report them as data errors
        raise DataError(rel(path), f"unreadable geometry ({e})", "a Polygon or MultiPolygon", column=where) from None
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        raise DataError(
            rel(path),
            f"{geom.geom_type}{' (empty)' if geom.is_empty else ''}",
            "a non-empty Polygon or MultiPolygon",
            column=where,
        )
    xmin, ymin, xmax, ymax = geom.bounds
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise DataError(rel(path), f"bounds {geom.bounds}", "lon/lat degrees (EPSG:4326)", column=where)
    if not geom.is_valid:
        raise DataError(
            rel(path), f"invalid geometry ({shapely.is_valid_reason(geom)})", "a valid polygon", column=where
        )
    return geom


def read(level: int | str, path: str | Path | None = None) -> gpd.GeoDataFrame:
    """The processed boundaries of ``level`` as a GeoDataFrame (EPSG:4326): code, level, parent, geometry.

    Validates the file (see module docstring) and raises :class:`DataError` naming the file and feature. Read and
    validated once per process and file version (cached on :func:`lsg_analysis.core.filekey.file_key`: path, mtime,
    size); each call gets its own copy.
    """
    from lsg_analysis.core.filekey import file_key

    lvl = _map_level(level)
    path = Path(path) if path is not None else PROCESSED / OUT_FILES[lvl]
    if not path.is_file():
        return _read(lvl, str(path))  # raises the reader's own "no such file" error
    return _read_cached(lvl, *file_key(path)).copy()


@lru_cache(maxsize=8)
def _read_cached(lvl: int, path: str, mtime: int, size: int) -> gpd.GeoDataFrame:
    return _read(lvl, path)


def _read(lvl: int, file: str) -> gpd.GeoDataFrame:
    import geopandas as gpd

    path = Path(file)
    data = _read_json(path)
    reg = regions.regions().set_index("code")
    allowed = {
        c
        for c in reg.index
        if reg.at[c, "kind"] != "composite" and (reg.at[c, "level"] == lvl or (lvl == 2 and reg.at[c, "rayon_map"]))
    }
    codes, geoms, seen = [], [], set()
    for i, feat in enumerate(data.get("features", [])):
        code = (feat.get("properties") or {}).get("code")
        if code not in allowed:
            raise DataError(
                rel(path),
                code,
                f"a level-{lvl} code of lsg_analysis.registry.regions",
                column=f"features[{i}].properties.code",
            )
        if code in seen:
            raise DataError(rel(path), code, "each code once", column=f"features[{i}].properties.code")
        seen.add(code)
        codes.append(code)
        geoms.append(_geometry(path, i, code, feat))
    if seen != allowed:
        raise DataError(
            rel(path), f"{len(seen)} units", f"all {len(allowed)} level-{lvl} units (missing {sorted(allowed - seen)})"
        )
    return gpd.GeoDataFrame(
        {"code": codes, "level": lvl, "parent": [reg.at[c, "parent"] for c in codes]}, geometry=geoms, crs="EPSG:4326"
    )


def load_boundaries(level: int | str = 1, lang: str = "en") -> gpd.GeoDataFrame:
    """Boundaries of ``level`` (1 / "oblast": 7 oblasts + Bishkek + Osh city; 2 / "rayon": 53 HDX units + Bishkek
    + Osh city) as a GeoDataFrame in EPSG:4326 with columns code, name (in ``lang``: en, ru, ky), level, parent,
    geometry. Reads ``data/processed/boundaries_{oblast,rayon}.geojson`` (built by ``lsg data build`` from the
    HDX COD-AB ADM2 file, see :func:`build_boundaries`) and validates it (DataError naming file and feature).
    """
    lang = parse_lang(lang)
    gdf = read(level)
    gdf.insert(1, "name", regions.names(gdf["code"], lang))
    return gdf[["code", "name", "level", "parent", "geometry"]]
