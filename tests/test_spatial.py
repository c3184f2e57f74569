"""Moran's I and LISA: our wiring (ids, islands, seeds) around esda/libpysal, on hand-made polygons."""

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from lsg_analysis.measures import spatial
from lsg_analysis.core.errors import ParameterError
from lsg_analysis.imbalance import MeasureInputError


def _grid(nx=6, ny=5, island=True):
    """nx × ny unit squares (codes G00..), plus one detached square 'ISL' far away (metres, UTM 43N)."""
    cells = [box(i * 1000, j * 1000, (i + 1) * 1000, (j + 1) * 1000) for i in range(nx) for j in range(ny)]
    codes = [f"G{k:02d}" for k in range(len(cells))]
    if island:
        cells.append(box(nx * 1000 + 5000, 0, nx * 1000 + 6000, 1000))  # nearest to the bottom-right cell
        codes.append("ISL")
    return gpd.GeoDataFrame({"code": codes}, geometry=cells, crs="EPSG:32643")


def _esda_moran(gdf, y):
    import esda
    import libpysal

    w = libpysal.weights.Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)
    w.transform = "r"
    return esda.Moran(y, w, permutations=0)


def test_moran_agrees_with_esda_and_aligns_values_by_code():
    gdf = _grid(island=False)
    rng = np.random.default_rng(0)
    y = rng.normal(size=len(gdf)) + np.repeat(np.arange(6), 5) * 0.5  # a west-east trend
    ref = _esda_moran(gdf, y)
    by_code = pd.Series(y, index=gdf["code"]).sample(frac=1, random_state=3)  # shuffled on purpose
    gdf["y"] = y
    for values in (by_code, "y", y):
        r = spatial.moran(values, gdf, rng=1, permutations=99)
        assert r.I == pytest.approx(ref.I, abs=1e-10)
        assert r.expected == pytest.approx(-1 / (len(gdf) - 1))
        assert r.z_norm == pytest.approx(ref.z_norm, abs=1e-10) and r.p_norm == pytest.approx(ref.p_norm, abs=1e-10)
        assert r.n == len(gdf) and r.islands == ()


def test_permutation_distribution_is_esdas_formula():
    import esda

    gdf = _grid(island=False)
    y = np.random.default_rng(1).normal(size=len(gdf))
    w = spatial._row_standardised(spatial.contiguity(gdf).w)

    class Identity:  # a "generator" whose permutations keep the order: every replicate is the observed I
        def permutation(self, z):
            return np.array(z)

    sims = spatial._permuted_moran(y, w, Identity(), 3)
    np.testing.assert_allclose(sims, esda.Moran(y, w, permutations=0).I, rtol=0, atol=1e-12)
    shuffled = np.random.default_rng(2).permutation(y)

    class Fixed:
        def permutation(self, z):
            return shuffled - y.mean()

    assert spatial._permuted_moran(y, w, Fixed(), 1)[0] == pytest.approx(
        esda.Moran(shuffled, w, permutations=0).I, abs=1e-12
    )


def test_moran_is_seeded_and_detects_a_trend():
    gdf = _grid(island=False)
    y = np.repeat(np.arange(6.0), 5) + np.random.default_rng(4).normal(0, 0.1, len(gdf))
    a = spatial.moran(y, gdf, rng=7, permutations=199)
    b = spatial.moran(y, gdf, rng=np.random.default_rng(7), permutations=199)
    np.testing.assert_array_equal(a.simulated, b.simulated)
    assert a.p_sim == b.p_sim == pytest.approx(1 / 200) and a.I > 0.5


def test_islands_are_dropped_with_a_warning_or_linked_or_refused():
    gdf = _grid()
    y = pd.Series(np.random.default_rng(5).normal(size=len(gdf)), index=gdf["code"])
    with pytest.warns(spatial.IslandWarning, match="ISL"):
        dropped = spatial.moran(y, gdf, rng=1, permutations=9)
    assert dropped.islands == ("ISL",) and dropped.n == len(gdf) - 1 and dropped.policy == "drop"
    ref = _esda_moran(gdf[gdf["code"] != "ISL"], y.drop("ISL").to_numpy())
    assert dropped.I == pytest.approx(ref.I, abs=1e-10)
    with pytest.warns(spatial.IslandWarning, match="ISL → G25"):
        linked = spatial.moran(y, gdf, rng=1, permutations=9, islands="nearest")
    assert linked.links == {"ISL": "G25"} and linked.n == len(gdf)
    with pytest.raises(spatial.IslandError, match="ISL"):
        spatial.moran(y, gdf, rng=1, islands="raise")
    with pytest.raises(ParameterError, match="islands"):
        spatial.moran(y, gdf, rng=1, islands="ignore")


def test_missing_values_raise_or_drop_the_unit_explicitly():
    gdf = _grid(island=False)
    y = pd.Series(np.random.default_rng(6).normal(size=len(gdf)), index=gdf["code"])
    y["G07"] = np.nan
    with pytest.raises(MeasureInputError, match="row 'G07'"):
        spatial.moran(y, gdf, rng=1)
    r = spatial.moran(y, gdf, rng=1, nan="drop", permutations=9)
    assert r.n == len(gdf) - 1 and r.missing == ("G07",)
    assert r.I == pytest.approx(_esda_moran(gdf[gdf["code"] != "G07"], y.drop("G07").to_numpy()).I, abs=1e-10)
    # a unit absent from the Series is missing too; ids that are not units (the national total) are unused
    short = y.drop("G01")
    with pytest.raises(MeasureInputError, match="no value for unit 'G01'"):
        spatial.moran(short, gdf, rng=1)
    with_total = pd.concat([short, pd.Series({"KG": 100.0})])
    r2 = spatial.moran(with_total, gdf, rng=1, nan="drop", permutations=9)
    assert r2.missing == ("G01", "G07") and r2.n == len(gdf) - 2
    lisa = spatial.lisa(with_total, gdf, rng=1, nan="drop", permutations=9)
    assert lisa.loc[["G01", "G07"], "cluster"].tolist() == ["missing", "missing"] and "KG" not in lisa.index
    with pytest.raises(MeasureInputError, match="no value for any unit"):
        spatial.moran(pd.Series([1.0, 2.0], index=["a", "b"]), gdf, rng=1, nan="drop")


def test_lisa_clusters_match_esda_quadrants_and_flag_islands():
    import esda
    import libpysal

    gdf = _grid()
    rng = np.random.default_rng(8)
    y = rng.normal(0, 0.2, len(gdf))
    y[:10] += 3.0  # two western columns high → HH
    y[20:30] -= 3.0  # two eastern columns low → LL
    values = pd.Series(y, index=gdf["code"])
    state = np.random.get_state()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spatial.IslandWarning)
        out = spatial.lisa(values, gdf, rng=3, permutations=199)
        again = spatial.lisa(values, gdf, rng=3, permutations=199)
    assert np.array_equal(np.random.get_state()[1], state[1])  # the global NumPy state is left as it was
    pd.testing.assert_frame_equal(out, again)
    assert list(out.index) == list(gdf["code"]) and out.loc["ISL", "cluster"] == "island"
    kept = gdf[gdf["code"] != "ISL"]
    w = libpysal.weights.Queen.from_dataframe(kept, use_index=False, silence_warnings=True)
    ref = esda.Moran_Local(values.drop("ISL").to_numpy(), w, permutations=0)
    np.testing.assert_allclose(out["local_i"].drop("ISL").to_numpy(), ref.Is, atol=1e-10)
    assert (out["quadrant"].drop("ISL").to_numpy() == [spatial.QUADRANTS[q] for q in ref.q]).all()
    significant = out["p_sim"] <= 0.05
    assert (out.loc[significant, "cluster"] == out.loc[significant, "quadrant"]).all()
    assert (out.loc[~significant & out["p_sim"].notna(), "cluster"] == "ns").all()
    assert out.loc[["G00", "G06"], "cluster"].tolist() == ["HH", "HH"]
    assert out.loc[["G23", "G27"], "cluster"].tolist() == ["LL", "LL"]


def test_weights_object_as_regions():
    import libpysal

    gdf = _grid(island=False)
    w = libpysal.weights.Queen.from_dataframe(gdf, ids="code", use_index=False, silence_warnings=True)
    y = pd.Series(np.arange(len(gdf), dtype=float), index=gdf["code"])
    r = spatial.moran(y, w, rng=1, permutations=9)
    assert r.I == pytest.approx(_esda_moran(gdf, y.to_numpy()).I, abs=1e-10)
    assert w.transform == "O"  # the caller's weights are not row-standardised behind their back
    with pytest.raises(ParameterError, match="nearest"):
        spatial.moran(y, w, rng=1, islands="nearest")


def test_remembered_neighbours_follow_the_geometries_not_just_the_codes():
    """The neighbours are reused only for the very same polygons: same codes with one square moved apart
    (an island now) must give other neighbours, and the first map gives its own again."""
    gdf = _grid(island=False)
    before = spatial.contiguity(gdf).w.neighbors
    moved = gdf.copy()
    moved.loc[0, "geometry"] = box(90_000, 90_000, 91_000, 91_000)
    with pytest.warns(spatial.IslandWarning, match="G00"):
        after = spatial.contiguity(moved)
    assert after.islands == ("G00",) and "G00" not in after.w.neighbors
    assert "G00" not in after.w.neighbors["G01"] and "G00" in before["G01"]
    assert spatial.contiguity(gdf).w.neighbors == before
