"""Imbalance measures: published values, PySAL agreement, invariants (hypothesis), errors.

Reference data: the Mexican state GDP per capita 1940–2000 of Rey & Sastré-Gutiérrez (2010), shipped
inside libpysal (``libpysal.examples.get_path("mexico.csv")``, available offline); the expected values are
those printed in the docstrings and tests of PySAL ``inequality`` (``inequality/theil.py``,
``inequality/tests/test_gini.py``), to the 8 decimals printed there.
"""

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lsg_analysis import imbalance as m
from lsg_analysis.core.errors import LsgError, ParameterError

YEARS = [f"pcgdp{d}" for d in range(1940, 2010, 10)]
PUBLISHED_T = [0.20894344, 0.15222451, 0.10472941, 0.10194725, 0.09560113, 0.10511256, 0.10660832]
PUBLISHED_BG = [0.0345889, 0.02816853, 0.05260921, 0.05931219, 0.03205257, 0.02963731, 0.03635872]
PUBLISHED_WG = [0.17435454, 0.12405598, 0.0521202, 0.04263506, 0.06354856, 0.07547525, 0.0702496]
PUBLISHED_GINI_1940 = 0.35372371173452849


@pytest.fixture(scope="module")
def mexico():
    import libpysal

    return pd.read_csv(libpysal.examples.get_path("mexico.csv"))


# ---------------------------------------------------------------------------------------------
# Published values
# ---------------------------------------------------------------------------------------------


def test_theil_and_decomposition_match_published_mexico_values(mexico):
    y = mexico[YEARS]
    t = m.theil(y)
    assert isinstance(t, pd.Series) and list(t.index) == YEARS
    np.testing.assert_allclose(t.to_numpy(), PUBLISHED_T, atol=5e-9)
    d = m.theil_decomposition(y, mexico["hanson98"])
    np.testing.assert_allclose(d.total.to_numpy(), PUBLISHED_T, atol=5e-9)
    np.testing.assert_allclose(d.between.to_numpy(), PUBLISHED_BG, atol=5e-9)
    np.testing.assert_allclose(d.within.to_numpy(), PUBLISHED_WG, atol=5e-9)


def test_gini_matches_published_mexico_1940(mexico):
    assert m.gini(mexico["pcgdp1940"]) == pytest.approx(PUBLISHED_GINI_1940, abs=1e-12)


def test_hand_computed_examples():
    # two regions 1 and 3: mu = 2, T = (0.5 ln 0.5 + 1.5 ln 1.5)/2, L = (ln 2 + ln(2/3))/2
    assert m.theil([1, 3]) == pytest.approx((0.5 * math.log(0.5) + 1.5 * math.log(1.5)) / 2, rel=1e-14)
    assert m.mld([1, 3]) == pytest.approx((math.log(2) + math.log(2 / 3)) / 2, rel=1e-14)
    # Gini of 1,2,3,4: sum |yi - yj| over ordered pairs = 20, / (2 * 16 * 2.5) = 0.25; OECD x 4/3
    assert m.gini([4, 1, 3, 2]) == pytest.approx(0.25, abs=1e-15)
    assert m.gini([4, 1, 3, 2], variant="oecd") == pytest.approx(1 / 3, abs=1e-15)
    # weighted Theil: regions (y, p) = (1, 3), (3, 1): mu = 1.5, shares s = (0.5, 0.5), P = (0.75, 0.25)
    assert m.theil([1, 3], [3, 1]) == pytest.approx(0.5 * math.log(0.5 / 0.75) + 0.5 * math.log(0.5 / 0.25), rel=1e-14)
    # Williamson: sqrt(0.75 * 0.25 + 0.25 * 2.25) / 1.5
    assert m.williamson([1, 3], [3, 1]) == pytest.approx(math.sqrt(0.75) / 1.5, rel=1e-14)
    assert m.cv([1, 3]) == pytest.approx(0.5, rel=1e-14)
    assert m.max_min_ratio([2, 5, 8]) == 4.0


def test_top_bottom_ratio_splits_the_boundary_region_pro_rata():
    # populations 10, 15, 50, 15, 10 (total 100) sorted by y = 1..5: bottom 20 % = all of region 1 (10)
    # and 10 of region 2's 15; top 20 % = region 5 (10) and 10 of region 4's 15
    y, p = [3, 1, 5, 2, 4], [50, 10, 10, 15, 15]
    bottom = (10 * 1 + 10 * 2) / 20
    top = (10 * 5 + 10 * 4) / 20
    assert m.top_bottom_ratio(y, p) == pytest.approx(top / bottom, rel=1e-14)
    assert m.top_bottom_ratio(y, p, share=0.5) == pytest.approx(
        (10 * 5 + 15 * 4 + 25 * 3) / 50 / ((10 * 1 + 15 * 2 + 25 * 3) / 50), rel=1e-14
    )


# ---------------------------------------------------------------------------------------------
# Agreement with PySAL inequality (equal weights), per column
# ---------------------------------------------------------------------------------------------


def _panel(seed, n=40, k=6, sigma=0.6):
    rng = np.random.default_rng(seed)
    return rng.lognormal(3.0, sigma, size=(n, k)), rng.integers(0, 5, size=n)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_agrees_with_pysal_gini_theil_theild_atkinson(seed):
    from inequality.atkinson import atkinson as pysal_atkinson
    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD

    y, groups = _panel(seed)
    # PySAL's Gini on a 2-D array divides by the number of rows only: compare column by column
    np.testing.assert_allclose(m.gini(y), [Gini(y[:, j]).g for j in range(y.shape[1])], rtol=0, atol=1e-10)
    np.testing.assert_allclose(m.theil(y), Theil(y).T, rtol=0, atol=1e-10)
    pysal = TheilD(y, groups)
    ours = m.theil_decomposition(y, groups)
    np.testing.assert_allclose(ours.total, pysal.T, rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.between, pysal.bg, rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.within, pysal.wg, rtol=0, atol=1e-10)  # PySAL: T - bg; ours: by group
    for eps in (0.5, 1.0, 2.0):
        assert m.atkinson(y[:, 0], eps) == pytest.approx(pysal_atkinson(y[:, 0], eps), abs=1e-10)


# ---------------------------------------------------------------------------------------------
# Properties (hypothesis)
# ---------------------------------------------------------------------------------------------

values = st.lists(st.floats(1.0, 1e6), min_size=2, max_size=40)
pops = st.integers(1, 50)

NEED_POSITIVE = [
    m.theil,
    m.mld,
    m.gini,
    m.cv,
    lambda y, w=None: m.atkinson(y, 0.5, w),
    lambda y, w=None: m.atkinson(y, 1.0, w),
    lambda y, w=None: m.atkinson(y, 2.0, w),
]
NAMES = ["theil", "mld", "gini", "cv", "atkinson0.5", "atkinson1", "atkinson2"]


@pytest.mark.parametrize("measure", NEED_POSITIVE, ids=NAMES)
@settings(max_examples=60, deadline=None)
@given(y=values, c=st.floats(0.01, 100.0))
def test_scale_invariance(measure, y, c):
    assert measure(np.multiply(c, y)) == pytest.approx(measure(y), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("measure", NEED_POSITIVE, ids=NAMES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_population_replication_invariance(measure, data):
    y = data.draw(values)
    p = data.draw(st.lists(pops, min_size=len(y), max_size=len(y)))
    replicated = np.repeat(y, p)
    # weights p behave exactly like p copies of each region, and copying everyone k times changes nothing
    assert measure(y, p) == pytest.approx(measure(replicated), rel=1e-9, abs=1e-12)
    assert measure(np.tile(y, 3)) == pytest.approx(measure(y), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("measure", NEED_POSITIVE, ids=NAMES)
@settings(max_examples=60, deadline=None)
@given(y=values, frac=st.floats(0.05, 0.45))
def test_pigou_dalton_transfer_reduces_inequality(measure, y, frac):
    y = np.sort(np.asarray(y))
    assume(y[-1] - y[0] > 1e-3 * y[-1])
    # move part of the gap from the richest to the poorest: the order is kept, inequality must fall
    delta = frac * (y[-1] - y[0]) / 2
    after = y.copy()
    after[0] += delta
    after[-1] -= delta
    assert measure(after) < measure(y)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_pigou_dalton_weighted(data):
    y = np.sort(np.asarray(data.draw(st.lists(st.floats(1.0, 1e4), min_size=3, max_size=20))))
    p = np.asarray(data.draw(st.lists(pops, min_size=len(y), max_size=len(y))), dtype=float)
    assume(y[-1] - y[0] > 1e-3 * y[-1])
    # transfer an amount D of total income from the richest region's people to the poorest's
    amount = 0.2 * min(p[0], p[-1]) * (y[-1] - y[0]) / 2
    after = y.copy()
    after[0] += amount / p[0]
    after[-1] -= amount / p[-1]
    for measure in (m.gini, m.theil, m.mld, m.williamson):
        assert measure(after, p) < measure(y, p)


@pytest.mark.parametrize(
    "measure", NEED_POSITIVE + [m.max_min_ratio, m.top_bottom_ratio], ids=NAMES + ["max_min", "top_bottom"]
)
@given(v=st.floats(0.001, 1e9), n=st.integers(2, 50))
def test_equal_values_give_no_inequality(measure, v, n):
    expected = 1.0 if measure in (m.max_min_ratio, m.top_bottom_ratio) else 0.0
    assert measure(np.full(n, v)) == pytest.approx(expected, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(y=st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 1e6)), min_size=2, max_size=40))
def test_bounds(y):
    y = np.asarray(y)
    assume(y.sum() > 0)
    n = len(y)
    g = m.gini(y)
    assert -1e-12 <= g < 1
    assert g <= (n - 1) / n + 1e-12
    assert -1e-12 <= m.gini(y, variant="oecd") <= 1 + 1e-12
    assert m.cv(y) <= math.sqrt(n - 1) + 1e-9
    if y.min() > 0:
        assert -1e-12 <= m.theil(y) <= math.log(n) + 1e-12
        assert m.mld(y) >= -1e-12
        assert -1e-12 <= m.atkinson(y, 1.5) <= 1
        assert m.top_bottom_ratio(y) <= m.max_min_ratio(y) * (1 + 1e-12)


def test_extreme_concentration_reaches_the_bounds():
    # one region has (almost) everything: Gini -> (N-1)/N, OECD Gini -> 1, Theil -> ln N
    y = np.array([1e-12] * 9 + [1.0])
    assert m.gini(y) == pytest.approx(0.9, abs=1e-9)
    assert m.gini(y, variant="oecd") == pytest.approx(1.0, abs=1e-9)
    assert m.theil(y) == pytest.approx(math.log(10), abs=1e-9)


groups_st = st.integers(1, 5)


@pytest.mark.parametrize(
    "decompose, measure", [(m.theil_decomposition, m.theil), (m.mld_decomposition, m.mld)], ids=["theil", "mld"]
)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_decomposition_between_plus_within_is_total(decompose, measure, data):
    n = data.draw(st.integers(2, 40))
    y = np.asarray(data.draw(st.lists(st.floats(1.0, 1e6), min_size=n, max_size=n)))
    g = np.asarray(data.draw(st.lists(groups_st, min_size=n, max_size=n)))
    weighted = data.draw(st.booleans())
    w = np.asarray(data.draw(st.lists(pops, min_size=n, max_size=n)), dtype=float) if weighted else None
    d = decompose(y, g, w)
    assert d.between + d.within == pytest.approx(d.total, rel=1e-9, abs=1e-13)
    assert d.total == pytest.approx(measure(y, w), rel=1e-9, abs=1e-13)
    assert d.between >= -1e-13 and d.within >= -1e-13
    # each group's within index is the measure of that group's regions alone, computed independently
    for row in d.groups.itertuples():
        mask = g == row.group
        if mask.sum() >= 2:
            alone = measure(y[mask], None if w is None else w[mask])
            assert row.within == pytest.approx(alone, rel=1e-9, abs=1e-12)
    assert d.groups["population_share"].sum() == pytest.approx(1.0)
    assert d.groups["income_share"].sum() == pytest.approx(1.0)
    assert d.groups["contribution"].sum() == pytest.approx(d.within, rel=1e-12, abs=1e-15)
    assert d.groups["between_term"].sum() == pytest.approx(d.between, rel=1e-12, abs=1e-15)


def test_decomposition_table_and_hand_values():
    # two groups, each internally equal: everything is between, and the table says who is where
    d = m.theil_decomposition(
        pd.Series([1.0, 1.0, 4.0, 4.0], index=list("abcd")),
        pd.Series(["north", "north", "south", "south"], index=list("abcd")),
    )
    assert d.between == pytest.approx(0.2 * math.log(0.4) + 0.8 * math.log(1.6), rel=1e-14)
    assert abs(d.within) < 1e-15 and d.between_share == pytest.approx(1.0)
    assert d.groups.set_index("group")["income_share"].to_dict() == pytest.approx({"north": 0.2, "south": 0.8})
    # groups given as a Series are aligned by index, not by position
    shuffled = pd.Series(["south", "north", "south", "north"], index=list("dbca"))
    d2 = m.theil_decomposition(pd.Series([1.0, 1.0, 4.0, 4.0], index=list("abcd")), shuffled)
    assert d2.between == pytest.approx(d.between, rel=1e-14)


# ---------------------------------------------------------------------------------------------
# Panels, weights, NaN
# ---------------------------------------------------------------------------------------------


def test_panel_is_column_by_column_and_keeps_labels():
    y, groups = _panel(7, n=25, k=4)
    w1 = np.random.default_rng(8).integers(1, 100, size=25).astype(float)
    w2 = np.random.default_rng(9).integers(1, 100, size=(25, 4)).astype(float)
    for f in (m.gini, m.theil, m.mld, m.cv, m.top_bottom_ratio):
        out = f(y, w2)
        assert isinstance(out, np.ndarray) and out.shape == (4,)
        np.testing.assert_allclose(out, [f(y[:, j], w2[:, j]) for j in range(4)], rtol=1e-12)
        np.testing.assert_allclose(f(y, w1), [f(y[:, j], w1) for j in range(4)], rtol=1e-12)
    df = pd.DataFrame(y, columns=[2019, 2020, 2021, 2022], index=[f"r{i}" for i in range(25)])
    series = m.theil(df, pd.Series(w1, index=df.index)[::-1])  # weights aligned by region label
    assert list(series.index) == [2019, 2020, 2021, 2022]
    np.testing.assert_allclose(series.to_numpy(), m.theil(y, w1), rtol=1e-12)
    d = m.theil_decomposition(df, groups, w2)
    assert list(d.groups.columns[:2]) == ["group", "column"] and len(d.groups) == 4 * len(set(groups))


def test_nan_raises_by_default_naming_column_and_row():
    df = pd.DataFrame({2019: [1.0, 2.0, 3.0], 2020: [1.0, np.nan, 3.0]}, index=["KG-B", "KG-J", "KG-T"])
    with pytest.raises(m.MeasureInputError, match=r"theil, column 2020, row 'KG-J'.*nan"):
        m.theil(df)
    assert issubclass(m.MeasureInputError, LsgError) and issubclass(m.MeasureInputError, ValueError)


def test_nan_drop_leaves_the_region_out_of_that_column_only():
    df = pd.DataFrame({2019: [1.0, 2.0, 3.0, 6.0], 2020: [1.0, np.nan, 3.0, 6.0]})
    w = np.array([5.0, 1.0, 2.0, 3.0])
    for f in (m.gini, m.theil, m.mld, m.cv, m.top_bottom_ratio):
        out = f(df, w, nan="drop")
        assert out[2019] == pytest.approx(f(df[2019].to_numpy(), w), rel=1e-12)
        assert out[2020] == pytest.approx(f(np.array([1.0, 3.0, 6.0]), w[[0, 2, 3]]), rel=1e-12)
    assert m.gini(df, nan="drop", variant="oecd")[2020] == pytest.approx(m.gini([1.0, 3.0, 6.0], variant="oecd"))
    assert m.max_min_ratio(df, nan="drop")[2020] == 6.0
    d = m.theil_decomposition(df, ["a", "a", "b", "b"], w, nan="drop")
    assert d.total[2020] == pytest.approx(m.theil([1.0, 3.0, 6.0], w[[0, 2, 3]]), rel=1e-12)
    assert d.between[2020] + d.within[2020] == pytest.approx(d.total[2020], rel=1e-12)
    # a missing weight is dropped the same way
    assert m.theil([1.0, 2.0, 4.0], [1.0, np.nan, 1.0], nan="drop") == pytest.approx(m.theil([1.0, 4.0]))


@pytest.mark.parametrize(
    "measure",
    [m.theil, m.mld, lambda y: m.atkinson(y, 1.0), m.max_min_ratio, m.top_bottom_ratio],
    ids=["theil", "mld", "atkinson", "max_min", "top_bottom"],
)
def test_zero_or_negative_values_are_errors_where_logs_or_ratios_need_positive(measure):
    with pytest.raises(m.MeasureInputError, match=r"row 1: found 0.0; expected .*> 0"):
        measure([1.0, 0.0, 2.0])
    with pytest.raises(m.MeasureInputError, match="found -2.0"):
        measure([1.0, 3.0, -2.0])


def test_other_bad_input_is_one_clear_error():
    with pytest.raises(m.MeasureInputError, match="found -1.0"):
        m.gini([1.0, -1.0, 2.0])
    with pytest.raises(m.MeasureInputError, match="found inf"):
        m.gini([1.0, np.inf])
    with pytest.raises(m.MeasureInputError, match="all values 0"):
        m.gini([0.0, 0.0])
    with pytest.raises(m.MeasureInputError, match="at least 2 regions"):
        m.theil([3.0])
    with pytest.raises(m.MeasureInputError, match="weights of shape"):
        m.theil([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(m.MeasureInputError, match="weight > 0"):
        m.theil([1.0, 2.0], [1.0, 0.0])
    with pytest.raises(m.MeasureInputError, match="no weight for region .c."):
        m.theil(pd.Series([1.0, 2.0, 3.0], index=list("abc")), pd.Series([1.0, 2.0], index=list("ab")))
    with pytest.raises(m.MeasureInputError, match="missing group"):
        m.theil_decomposition([1.0, 2.0], ["a", None])
    with pytest.raises(ParameterError, match="variant"):
        m.gini([1.0, 2.0], variant="hoover")
    with pytest.raises(ParameterError, match="OECD regional Gini counts each region once"):
        m.gini([1.0, 2.0], [1.0, 1.0], variant="oecd")
    with pytest.raises(ParameterError, match="epsilon"):
        m.atkinson([1.0, 2.0], -1)
    with pytest.raises(ParameterError, match="nan"):
        m.theil([1.0, 2.0], nan="ignore")
    with pytest.raises(ParameterError, match="population"):
        m.williamson([1.0, 2.0], None)
    with pytest.raises(m.MeasureInputError, match="2-D"):
        m.theil(np.ones((2, 2, 2)))


def test_inputs_are_not_modified():
    y = np.array([[3.0, 1.0], [1.0, 2.0], [2.0, 5.0]])
    w = np.array([1.0, 2.0, 3.0])
    before = y.copy(), w.copy()
    for f in (m.gini, m.theil, m.top_bottom_ratio):
        f(y), f(y, w), f(y[:, 0])
    m.theil_decomposition(y, [0, 0, 1], w)
    np.testing.assert_array_equal(y, before[0])
    np.testing.assert_array_equal(w, before[1])


# ---------------------------------------------------------------------------------------------
# Inference
# ---------------------------------------------------------------------------------------------


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    y, _ = _panel(3, n=60, k=3)
    w = np.random.default_rng(4).integers(1, 50, size=60)
    a = m.bootstrap_ci(m.theil, y, w, rng=np.random.default_rng(11), n=300)
    b = m.bootstrap_ci(m.theil, y, w, rng=11, n=300)
    np.testing.assert_array_equal(a.replicates, b.replicates)
    assert a.replicates.shape == (300, 3)
    assert np.all(a.low <= a.estimate) and np.all(a.estimate <= a.high) and np.all(a.low < a.high)
    # one replicate by hand: resampled regions keep their own weights
    draws = np.random.default_rng(11).integers(0, 60, size=(300, 60))
    np.testing.assert_allclose(a.replicates[5], m.theil(y[draws[5]], w[draws[5]]), rtol=1e-12)
    one = m.bootstrap_ci(m.gini, y[:, 0], rng=1, n=50, variant="oecd")
    assert isinstance(one.low, float) and one.replicates.shape == (50,)
    with pytest.raises(ParameterError, match="rng"):
        m.bootstrap_ci(m.theil, y, rng=None)


def test_between_share_permutation_test():
    rng = np.random.default_rng(5)
    groups = np.repeat(["a", "b", "c"], 10)
    separated = np.concatenate([rng.uniform(1, 1.1, 10), rng.uniform(5, 5.5, 10), rng.uniform(20, 22, 10)])
    t = m.between_share_test(separated, groups, rng=3, n=199)
    assert t.p_value == pytest.approx(1 / 200)  # no permutation does as well as the real grouping
    assert t.observed == pytest.approx(m.theil_decomposition(separated, groups).between_share)
    again = m.between_share_test(separated, groups, rng=np.random.default_rng(3), n=199)
    np.testing.assert_array_equal(t.simulated, again.simulated)
    # labels unrelated to the values: the p-value is not small
    mixed = m.between_share_test(rng.permutation(separated), groups, rng=4, n=199, measure="mld")
    assert mixed.p_value > 0.05 and 0 < mixed.p_value <= 1


# ---------------------------------------------------------------------------------------------
# Import stays light
# ---------------------------------------------------------------------------------------------


def test_importing_the_measures_does_not_import_spatial_libraries():
    code = (
        "import sys, lsg_analysis.imbalance, lsg_analysis.measures.convergence, lsg_analysis.measures.spatial; "
        "heavy = [m for m in ('esda', 'libpysal', 'giddy', 'geopandas', 'inequality', 'matplotlib') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_bootstrap_counts_draws_the_measure_cannot_take():
    # column 2 has only two regions with a value: some draws leave fewer than 2 → counted, not fatal
    y = np.array([[1.0, 2.0], [2.0, np.nan], [3.0, np.nan], [4.0, np.nan], [5.0, 7.0]])
    ci = m.bootstrap_ci(m.theil, y, rng=0, n=200, nan="drop")
    assert 0 < ci.failed < 200
    assert np.isnan(ci.replicates).any(axis=1).sum() == ci.failed
    assert np.all(np.isfinite(ci.low)) and np.all(ci.low <= ci.high)


def test_bad_weights_are_errors_even_when_missing_values_are_dropped():
    for nan in ("raise", "drop"):
        with pytest.raises(m.MeasureInputError, match="row 1: found 0.0; expected a finite weight > 0"):
            m.theil([1.0, 2.0, 3.0], [1.0, 0.0, 1.0], nan=nan)
        with pytest.raises(m.MeasureInputError, match="found -1.0"):
            m.gini([1.0, 2.0, 3.0], [1.0, -1.0, 1.0], nan=nan)
        with pytest.raises(m.MeasureInputError, match="found inf"):
            m.gini([1.0, 2.0, 3.0], [1.0, np.inf, 1.0], nan=nan)
    with pytest.raises(m.MeasureInputError, match="found nan.*nan='drop'"):
        m.theil([1.0, 2.0, 3.0], [1.0, np.nan, 1.0])


def test_labels_align_pandas_inputs_and_positions_align_arrays():
    y = pd.Series([1.0, 2.0, 4.0], index=["KG-B", "KG-J", "KG-T"])
    w = pd.Series([3.0, 1.0, 2.0], index=["KG-T", "KG-B", "KG-J"])
    assert m.theil(y, w) == pytest.approx(m.theil([1.0, 2.0, 4.0], [1.0, 2.0, 3.0]), rel=1e-14)
    # an unlabelled array takes weights and groups by position, whatever their index
    assert m.theil(y.to_numpy(), w) == pytest.approx(m.theil([1.0, 2.0, 4.0], [3.0, 1.0, 2.0]), rel=1e-14)
    with pytest.raises(m.MeasureInputError, match="'KG-B' twice in y"):
        m.theil(pd.Series([1.0, 2.0], index=["KG-B", "KG-B"]), pd.Series([1.0, 1.0], index=["KG-B", "KG-J"]))
    with pytest.raises(m.MeasureInputError, match="no group for region 'KG-T'"):
        m.theil_decomposition(y, pd.Series(["n", "s"], index=["KG-B", "KG-J"]))
    with pytest.raises(m.MeasureInputError, match="theil, column 1, row 0: found 0.0"):
        m.theil(np.array([[1.0, 0.0], [2.0, 3.0]]))


def test_empty_input_is_a_clear_error():
    with pytest.raises(m.MeasureInputError, match="empty table"):
        m.theil(pd.DataFrame(index=["KG-B", "KG-J"]), pd.Series([1.0, 2.0], index=["KG-B", "KG-J"]))
    with pytest.raises(m.MeasureInputError, match="empty table"):
        m.gini([])
