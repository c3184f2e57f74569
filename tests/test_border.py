"""Border geometry: hand-made polygons with known lengths and distances, bad input, and the real boundaries."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from lsg_analysis.geo import border
from lsg_analysis.core.errors import DataError, DataErrors, ParameterError

KM = 1000.0
CRS = border.METRIC_CRS


def sq(x0: float, y0: float, x1: float, y1: float):
    return box(x0 * KM, y0 * KM, x1 * KM, y1 * KM)


def grid_units(hole=None) -> gpd.GeoDataFrame:
    """A 30 × 30 km country of nine 10 km squares, codes r{row}c{col} (r0 = south, c0 = west)."""
    rows = []
    for r in range(3):
        for c in range(3):
            g = sq(10 * c, 10 * r, 10 * c + 10, 10 * r + 10)
            if (r, c) == (1, 1) and hole is not None:
                g = g.difference(hole)
            rows.append({"code": f"r{r}c{c}", "geometry": g})
    return gpd.GeoDataFrame(rows, crs=CRS)


def world(extra: dict | None = None) -> gpd.GeoDataFrame:
    """KAZ north, CHN east, TJK south, UZB west of the 30 km square; ``extra`` adds polygons to a neighbour."""
    polys = {
        "KAZ": sq(-50, 30, 80, 80),
        "CHN": sq(30, -50, 80, 30),
        "TJK": sq(-50, -50, 30, 0),
        "UZB": sq(-50, 0, 0, 30),
        "KGZ": sq(0, 0, 30, 30),
    }
    for iso, g in (extra or {}).items():
        polys[iso] = polys[iso].union(g)
    return gpd.GeoDataFrame({"iso3": list(polys)}, geometry=list(polys.values()), crs=CRS)


def metrics(units, nb, enclaves=None, **kw):
    pieces = border.border_pieces(units, nb, enclaves, **kw)
    return pieces, border.unit_metrics(units, pieces)


def test_grid_lengths_shares_and_distances():
    units = grid_units()
    pieces, m = metrics(units, world())
    national = pieces.groupby("neighbour")["length_km"].sum()
    for iso in border.NEIGHBOURS:
        assert national[iso] == pytest.approx(30.0, abs=1e-9)
    # corner: two sides on the border; edge: one side; centre: none
    assert m.loc["r2c0", ["KAZ", "UZB", "TJK", "CHN"]].tolist() == pytest.approx([10, 10, 0, 0])
    assert m.loc["r0c2", ["KAZ", "UZB", "TJK", "CHN"]].tolist() == pytest.approx([0, 0, 10, 10])
    assert m.loc["r1c0", "UZB"] == pytest.approx(10.0)
    assert m.loc["r2c0", "perimeter_share"] == pytest.approx(0.5)
    assert m.loc["r1c0", "perimeter_share"] == pytest.approx(0.25)
    assert not m.loc["r1c1", "border"] and m.loc["r1c1", "total_km"] == 0
    assert m["border"].sum() == 8
    # the centre square's representative point (15, 15) km is 15 km from the outer boundary
    assert m.loc["r1c1", "dist_km"] == pytest.approx(15.0, abs=1e-6)
    # every unit's distance equals an independent computation
    outer = shapely.box(0, 0, 30 * KM, 30 * KM).exterior
    for code, g in zip(units["code"], units.geometry):
        assert m.loc[code, "dist_km"] == pytest.approx(shapely.point_on_surface(g).distance(outer) / KM)
    assert (pieces["length_km"] <= 0.5 + 1e-9).all()  # max_piece_m = 500
    assert (pieces["unit_gap_m"] < 1e-6).all()


def test_lake_hole_is_interior_but_foreign_hole_is_an_enclave():
    hole = sq(14, 14, 16, 16)  # 2 × 2 km, ring 8 km
    units = grid_units(hole)
    # a lake: no neighbour covers it → not border
    holes = border.union_holes(units, world())
    assert holes["kind"].tolist() == ["interior"]
    _, m = metrics(units, world())
    assert not m.loc["r1c1", "border"]
    # the same hole drawn as part of Uzbekistan → an enclave ring of 8 km, assigned to UZB
    nb = world({"UZB": hole})
    pieces, m = metrics(units, nb)
    assert m.loc["r1c1", "UZB"] == pytest.approx(8.0)
    assert m.loc["r1c1", "enclave_adjacent"] and m.loc["r1c1", "enclaves"] == "unnamed enclave"
    assert pieces.groupby("neighbour")["length_km"].sum()["UZB"] == pytest.approx(38.0)
    assert m.loc["r1c1", "dist_km"] == pytest.approx(
        shapely.point_on_surface(units.geometry[4]).distance(hole.exterior) / KM
    )


def test_listed_enclave_is_named_and_given_its_sovereign_even_if_natural_earth_misses_it():
    hole = sq(14, 14, 16, 16)
    units = grid_units(hole)
    lonlat = gpd.GeoSeries([shapely.Point(15 * KM, 15 * KM)], crs=CRS).to_crs(4326).iloc[0]
    enclaves = pd.DataFrame(
        {"name": ["Tiny"], "sovereign": ["TJK"], "surrounded_by": ["KGZ"], "lon": [lonlat.x], "lat": [lonlat.y]}
    )
    pieces, m = metrics(units, world(), enclaves)  # Natural Earth (here: world()) does not draw the hole
    assert m.loc["r1c1", "TJK"] == pytest.approx(8.0)
    assert m.loc["r1c1", "enclaves"] == "Tiny"
    assert set(pieces.loc[pieces["ring"] == "enclave", "enclave"]) == {"Tiny"}


def test_small_detached_piece_counts_for_border_but_not_for_core():
    # unit A = west half + a 1 km² piece in the south-east corner of the country (inside B's square)
    a = shapely.MultiPolygon([sq(0, 0, 10, 10), sq(19, 0, 20, 1)])
    b = sq(10, 0, 20, 10).difference(sq(19, 0, 20, 1))
    units = gpd.GeoDataFrame({"code": ["A", "B"]}, geometry=[a, b], crs=CRS)
    nb = gpd.GeoDataFrame(
        {"iso3": ["KAZ", "TJK", "UZB", "CHN"]},
        geometry=[sq(-50, 10, 80, 60), sq(-50, -50, 80, 0), sq(-50, 0, 0, 10), sq(20, 0, 80, 10)],
        crs=CRS,
    )
    pieces, m = metrics(units, nb)
    assert m.loc["A", "TJK"] == pytest.approx(11.0)  # 10 km under the main square + 1 km under the piece
    assert m.loc["A", "CHN"] == pytest.approx(1.0)  # the piece's east side
    assert m.loc["A", "core_km"] == pytest.approx(30.0)  # west 10 + north 10 + south 10, piece excluded
    assert m.loc["B", "CHN"] == pytest.approx(9.0)
    parts = border.detached_parts(units, pieces)
    assert parts["code"].tolist() == ["A"]
    assert parts.loc[0, "area_km2"] == pytest.approx(1.0)
    assert parts.loc[0, "border_km"] == pytest.approx(2.0)
    assert parts.loc[0, "touches"] == "B"


def test_units_in_lon_lat_are_projected_and_lengths_match_geodesic():
    pyproj = pytest.importorskip("pyproj")
    units = grid_units().to_crs(4326)
    pieces, m = metrics(units, world().to_crs(4326))
    geod = pyproj.Geod(ellps="WGS84")
    geodesic = sum(geod.geometry_length(g) for g in pieces.to_crs(4326).geometry) / KM
    assert pieces["length_km"].sum() == pytest.approx(geodesic, rel=1e-3)


def test_bad_input_gives_clear_errors(tmp_path):
    units = grid_units()
    with pytest.raises(ParameterError, match="code"):
        border.border_pieces(units.rename(columns={"code": "id"}), world())
    with pytest.raises(ParameterError, match="repeated"):
        border.border_pieces(pd.concat([units, units.iloc[[0]]]), world())
    with pytest.raises(ParameterError, match="CRS"):
        border.border_pieces(units.set_crs(None, allow_override=True), world())
    with pytest.raises(ParameterError, match="neighbours"):
        border.border_pieces(units, world().rename(columns={"iso3": "name"}))
    with pytest.raises(ParameterError, match="max_piece_m"):
        border.border_pieces(units, world(), max_piece_m=0)
    with pytest.raises(ParameterError, match="level"):
        border.border_lengths(3)
    with pytest.raises(DataError, match="no such file"):
        border.read_neighbours(tmp_path / "missing.json")
    bad = tmp_path / "enclaves.csv"
    bad.write_text("name,sovereign,surrounded_by,lon,lat\nX,UZB,KGZ,71,40\nY,RUS,KGZ,71,40\n", encoding="utf-8")
    with pytest.raises(DataError, match=r'row 3, column "sovereign": found "RUS"'):
        border.read_enclaves(bad)
    bad.write_text("neighbour,length_km,source_id\nKAZ,-5,X\n", encoding="utf-8")
    with pytest.raises(DataError, match=r'row 2, column "length_km"'):
        border.read_published(bad)


def test_published_table_sums_and_comparison():
    pub = border.read_published()
    cia = pub[pub["source_id"] == "CIA_WFB_2020"].set_index("neighbour")["length_km"]
    assert cia[list(border.NEIGHBOURS)].sum() == cia["TOTAL"] == 4573
    measured = pd.Series({"KAZ": 1212.0, "UZB": 1314.0, "TJK": 984.0, "CHN": 1063.0})
    cmp = border.compare_with_published(measured, pub)
    assert cmp.loc["TOTAL", "measured_km"] == 4573
    assert np.allclose(cmp["CIA_WFB_2020_diff_pct"], 0.0)


def test_enclave_table_points_lie_in_the_holes_they_name():
    enc = border.read_enclaves()
    assert {"Sokh", "Shakhimardan", "Vorukh", "Qalacha", "Barak"} <= set(enc.dropna(subset=["lon"])["name"])
    assert set(enc["sovereign"]) <= {"UZB", "TJK", "KGZ"}


# ------------------------------------------------------------------------------------ real boundaries
def _project_data_or_skip():
    """The shipped processed border table and pieces (committed, so never absent: a failure here is a break)."""
    return border.border_table(2), border.project_pieces(2)


def test_real_national_lengths_close_to_the_factbook():
    _project_data_or_skip()
    cmp = border.compare_with_published()
    # whole border within 2 % of the Factbook's 4,573 km; each neighbour within 6 %
    assert abs(cmp.loc["TOTAL", "CIA_WFB_2020_diff_pct"]) < 2
    assert (cmp.loc[list(border.NEIGHBOURS), "CIA_WFB_2020_diff_pct"].abs() < 6).all()
    # the enclaves are counted once: Sokh's ring appears once, on UZB
    pieces = border.project_pieces(2)
    sokh = pieces[pieces["enclave"] == "Sokh"]
    assert set(sokh["neighbour"]) == {"UZB"} and 120 < sokh["length_km"].sum() < 150


def test_real_every_unit_on_the_outer_boundary_is_flagged():
    table, _ = _project_data_or_skip()
    units = border.project_units(2).to_crs(CRS)
    union = shapely.union_all(units.geometry.values)
    outer = shapely.MultiLineString([p.exterior for p in getattr(union, "geoms", [union])])
    on_outer = units.loc[shapely.length(shapely.intersection(units.boundary.values, outer)) > 1.0, "code"]
    assert len(on_outer) > 30
    assert table.loc[on_outer, "border"].all()
    # and nothing far inland is flagged: a unit whose representative point is > 60 km away has no border on its core
    assert not table.loc[table["dist_km"] > 60, "border_core"].any()


def test_real_levels_agree_and_projection_error_is_small():
    _, pieces = _project_data_or_skip()
    pyproj = pytest.importorskip("pyproj")
    l1, l2 = border.border_table(1), border.border_table(2)
    assert l1["total_km"].sum() == pytest.approx(l2["total_km"].sum(), rel=5e-3)
    geod = pyproj.Geod(ellps="WGS84")
    sample = pieces.iloc[::20]
    geodesic = sum(geod.geometry_length(g) for g in sample.to_crs(4326).geometry) / KM
    assert sample["length_km"].sum() == pytest.approx(geodesic, rel=1e-3)


def test_real_build_writes_both_levels(tmp_path):
    _project_data_or_skip()
    out = pd.read_csv(border.build(tmp_path))
    assert sorted(out["level"].unique()) == [1, 2]
    assert (out["level"] == 1).sum() == 9 and (out["level"] == 2).sum() == 55
    assert {"KAZ", "UZB", "TJK", "CHN", "total_km", "border", "dist_km", "enclaves"} <= set(out.columns)


def test_processed_border_metrics_equal_a_rebuild_and_are_what_border_table_reads(tmp_path):
    _project_data_or_skip()
    from lsg_analysis.core import paths

    shipped = paths.PROCESSED / border.PROCESSED_FILE
    assert border.build(tmp_path).read_bytes() == shipped.read_bytes()  # else: `lsg data build` and commit
    for level in border.LEVELS:
        read, measured = border.border_table(level), border.measure_table(level)
        pd.testing.assert_frame_equal(read, measured, check_exact=False, atol=10**-border.DECIMALS, rtol=0)


def test_bad_processed_border_file_names_row_and_column(tmp_path):
    good = (
        "level,code,KAZ,UZB,TJK,CHN,total_km,perimeter_km,perimeter_share,border,core_km,border_core,dist_km,"
        "enclave_km,enclaves,enclave_adjacent\n1,KG-T,10.0,0.0,0.0,0.0,10.0,100.0,0.1,True,10.0,True,5.0,0.0,,False\n"
    )
    path = tmp_path / "border_metrics.csv"
    path.write_text(good, encoding="utf-8")
    got = border.border_table(1, processed=path)
    assert got.loc["KG-T", "border"] is np.True_ and got.loc["KG-T", "total_km"] == 10.0
    assert pd.isna(got.loc["KG-T", "enclaves"]) and not got.loc["KG-T", "enclave_adjacent"]
    path.write_text(good.replace(",True,10.0,True,", ",yes,10.0,True,"), encoding="utf-8")
    with pytest.raises(DataErrors) as bad:
        border.border_table(1, processed=path)
    assert [str(e) for e in bad.value.errors] == [
        f"{path}, row 2, column \"border\": found \"yes\"; expected a value passing isin(['True', 'False'])"
    ]
    path.write_text(good.replace("dist_km,", "distance,"), encoding="utf-8")
    with pytest.raises(DataErrors) as bad:
        border.border_table(1, processed=path)
    found = {(e.row, e.column, e.found) for e in bad.value.errors}
    assert {(1, "dist_km", "no column"), (1, "distance", "an extra column")} <= found
    path.write_text(good.replace(",100.0,0.1,", ",100.0,-0.1,").replace(",5.0,0.0,,", ",x5,0.0,,"), encoding="utf-8")
    with pytest.raises(DataErrors) as bad:
        border.border_table(1, processed=path)
    assert {(e.row, e.column, e.found) for e in bad.value.errors} == {
        (2, "perimeter_share", -0.1),
        (2, "dist_km", "x5"),
    }
    path.write_text(good, encoding="utf-8")
    with pytest.raises(DataError, match="no rows of level 2"):
        border.border_table(2, processed=path)


def test_reference_tables_have_complete_sidecars_whose_checksums_hold():
    from lsg_analysis.data.sources import read_sidecar, sha256

    for path in (border.PUBLISHED, border.ENCLAVES):
        meta = read_sidecar(path)
        assert meta["sha256"] == sha256(path)
        assert str(meta["url"]).startswith("http")


def test_nearest_unit_of_points_on_edges_and_far_away():
    from lsg_analysis.geo.border import nearest

    squares = np.array([shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)], dtype=object)
    pts = shapely.points([[5, 0], [10, 5], [20, 5], [100, 5], [-50, 5]])
    idx, dist = nearest(squares, pts)
    # on an edge: distance 0; on the shared edge: the lower index; far away: query_nearest's answer
    assert idx.tolist() == [0, 0, 1, 1, 0]
    assert np.allclose(dist, [0, 0, 0, 80, 50])
