"""What the page is built from: :class:`DashboardInputs` and :func:`collect`, which reads them from the project
(the notebooks' recorded results, the processed indicators, the region registry, both boundary levels)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsg_analysis.core import paths
from lsg_analysis.runs import results

#: the notebooks whose results the page shows, in the order imbalance, migration/border, consultations
NOTEBOOKS = results.NOTEBOOKS
#: the country comparison (notebook 04), shown in its own view
CONTEXT = "04_context"
#: decimals kept in boundary coordinates (0.001° ≈ 100 m; the page shows the country at most ~1200 px wide)
COORD_DECIMALS = 3
#: simplification tolerance in degrees before rounding (shared borders stay shared: coverage simplification)
SIMPLIFY_DEG = 0.004
#: flag columns of the indicator table carried to the page and its CSV downloads
FLAG_COLUMNS = ("vintage", "boundaries", "flag", "note")


@dataclass(frozen=True)
class DashboardInputs:
    """Everything the page is built from (:func:`collect` reads it from the project).

    indicators: long table ``code, year, indicator, value, source_id`` (+ flag columns), one series per
    indicator (the default series of ``load_indicators``); meta: ``indicator, name_ky, name_ru, name_en, unit``;
    regions: ``code, level, name_ky, name_ru, name_en, rayon_map``; geo: ``{"oblast": features, "rayon":
    features}`` (GeoJSON features with ``properties.code``); results: notebook → results JSON; sources: source id
    → ``{producer, title, url, published, accessed}``; profiles: unit code → its region-profile lines
    (:func:`lsg_analysis.outputs.profile_numbers.default_lines`, only units with data).
    """

    indicators: Any
    meta: Any
    regions: Any
    geo: dict[str, list[dict[str, Any]]]
    results: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    version: str = ""
    flag_columns: tuple[str, ...] = field(default=())
    origins: dict[str, results.Origin] = field(default_factory=dict)
    profiles: dict[str, list[Any]] = field(default_factory=dict)


def geo_features(gdf: Any, *, simplify_deg: float = SIMPLIFY_DEG, decimals: int = COORD_DECIMALS) -> list[dict]:
    """GeoJSON features (``properties.code``; ``small``, ``lon``, ``lat`` of the marker of a unit too small to see) of a boundary GeoDataFrame, simplified and rounded.

    Coverage simplification keeps shared borders shared; coordinates are rounded to ``decimals``. Exterior rings
    are made clockwise: d3-geo (inside Vega) reads rings on the sphere, and a counter-clockwise exterior ring
    (the GeoJSON RFC 7946 order) would be drawn as the whole globe minus the unit.
    """
    import shapely

    from lsg_analysis.outputs import drawing

    geoms = shapely.coverage_simplify(gdf.geometry.values, simplify_deg) if simplify_deg else gdf.geometry.values
    geoms = shapely.orient_polygons(geoms, exterior_cw=True)
    small = set(drawing.small_units(gdf))
    out = []
    for code, geom, full in zip(gdf["code"], geoms, gdf.geometry.values):
        mapping = shapely.geometry.mapping(geom)
        props: dict[str, Any] = {"code": str(code)}
        if code in small:  # a labelled marker on the map (outputs.drawing.small_units)
            pt = full.representative_point()
            props.update(small=True, lon=round(pt.x, decimals), lat=round(pt.y, decimals))
        out.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": mapping["type"], "coordinates": _round(mapping["coordinates"], decimals)},
            }
        )
    return out


def _round(coords: Any, decimals: int) -> Any:
    """Nested coordinates rounded to ``decimals``; a point repeated after rounding is dropped."""
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(c), decimals) for c in coords]
    rounded = [_round(c, decimals) for c in coords]
    if rounded and isinstance(rounded[0], list) and rounded[0] and isinstance(rounded[0][0], float):
        rounded = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]  # drop repeated points
    return rounded


def _read_processed(name: str) -> Any:
    """A processed table (``data/processed/<name>``) through its validated loader (:mod:`lsg_analysis.data.processed`:
    DataErrors naming file, row, column; a missing file names it)."""
    from lsg_analysis.data import processed

    readers = {
        "indicator_meta.csv": processed.read_indicator_meta,
        "sources.csv": processed.read_sources,
        "corrections.csv": processed.read_corrections,
    }
    return readers[name](paths.PROCESSED / name)


def profile_inputs() -> dict[str, list[Any]]:
    """The region-profile lines of every oblast, city and rayon with data (not the composite units of some
    sources): the numbers of ``lsg profile`` (:func:`lsg_analysis.outputs.profile_numbers.default_lines`)."""
    from lsg_analysis.outputs import profile_numbers
    from lsg_analysis.registry.regions import regions

    profiles = {}
    for code in regions().query("level in (1, 2) and kind != 'composite'")["code"]:
        lines = profile_numbers.default_lines(str(code))
        if lines:  # a unit without any indicator value gets no profile (as in ``lsg profile --all``)
            profiles[str(code)] = lines
    return profiles


def collect(results_dir: str | Path | None = None) -> DashboardInputs:
    """Read the dashboard's inputs from the project: the results files of a run (``results_dir``: ``DIR`` or
    ``DIR/results``, notebooks missing there from the default results; :func:`lsg_analysis.runs.results.load_run`),
    the default series of the processed indicators (:func:`lsg_analysis.load_indicators`, validated), the indicator metadata, the region
    registry and both boundary levels."""
    from lsg_analysis.core.version import VERSION as __version__
    from lsg_analysis.geo import boundaries
    from lsg_analysis.data import load, sources
    from lsg_analysis.registry import regions

    run = results.load_run(results_dir, (*NOTEBOOKS, CONTEXT))
    res = run.results
    table = load.load_indicators(source=None)  # the default series, validated (file, row, column on error)
    indicators = table[["code", "year", "indicator", "value", "source_id", *FLAG_COLUMNS]].reset_index(drop=True)
    meta = _read_processed("indicator_meta.csv")
    geo = {level: geo_features(boundaries.load_boundaries(level, lang="en")) for level in ("oblast", "rayon")}
    infos = {i: dict(info) for r in res.values() for i, info in r.get("sources", {}).items()}
    for i in sorted(set(indicators["source_id"].dropna().astype(str)) - infos.keys()):
        infos[i] = sources.source_info(i)
    return DashboardInputs(
        indicators=indicators,
        meta=meta,
        regions=regions.regions(),
        geo=geo,
        results=res,
        sources=infos,
        version=__version__,
        flag_columns=FLAG_COLUMNS,
        origins=run.origins,
        profiles=profile_inputs(),
    )
