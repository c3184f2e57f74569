"""The change of Theil T and its paired bootstrap interval (measures.inference.change_ci), and the one segment every
measure of change uses (imbalance_panel.segment): checked against a loop written here, invariants of the Theil
index, and synthetic panels. SYNTHETIC numbers only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lsg_analysis.analysis import imbalance_panel
from lsg_analysis.core.errors import ParameterError
from lsg_analysis.measures import inequality, inference


def _theil(y: np.ndarray, w: np.ndarray | None) -> float:
    """Theil T written out: Σ (w_i/W)(y_i/μ) ln(y_i/μ), μ the weighted mean (Theil 1967)."""
    w = np.ones_like(y) if w is None else w
    mu = (w * y).sum() / w.sum()
    return float(((w / w.sum()) * (y / mu) * np.log(y / mu)).sum())


@pytest.mark.parametrize("weighted", [False, True])
def test_the_interval_is_the_paired_resampling_of_units_present_in_both_years(weighted):
    rng = np.random.default_rng(5)
    y = pd.DataFrame({2012: rng.uniform(10, 100, 12), 2018: rng.uniform(10, 150, 12)})
    w = pd.DataFrame({2012: rng.uniform(1, 9, 12), 2018: rng.uniform(1, 9, 12)}) if weighted else None
    y.iloc[3, 1] = np.nan  # unit 3 has no last value: out of both years
    ci = inference.change_ci(inequality.theil, y, w, rng=42, n=300)
    keep = y.notna().all(axis=1).to_numpy()
    ya, wa = y.to_numpy()[keep], None if w is None else w.to_numpy()[keep]
    draws = np.random.default_rng(42).integers(0, len(ya), size=(300, len(ya)))
    delta = [
        _theil(ya[d, 1], None if wa is None else wa[d, 1]) - _theil(ya[d, 0], None if wa is None else wa[d, 0])
        for d in draws
    ]
    assert ci.n == 11 and ci.failed == 0
    col = (lambda j: None) if wa is None else (lambda j: wa[:, j])
    assert ci.estimate == pytest.approx(_theil(ya[:, 1], col(1)) - _theil(ya[:, 0], col(0)), rel=1e-12)
    assert ci.replicates == pytest.approx(np.array(delta), rel=1e-10)
    assert (ci.low, ci.high) == pytest.approx(tuple(np.quantile(delta, [0.025, 0.975])), rel=1e-10)


def test_no_change_gives_an_interval_of_zero_that_does_not_exclude_it():
    """Theil T is scale invariant: every unit doubling leaves T unchanged in every draw."""
    y = pd.DataFrame({2012: [10.0, 20.0, 35.0, 80.0], 2013: [20.0, 40.0, 70.0, 160.0]})
    ci = inference.change_ci(inequality.theil, y, rng=1, n=99)
    assert ci.low == pytest.approx(0, abs=1e-12) and ci.high == pytest.approx(0, abs=1e-12)
    assert not ci.excludes_zero


def test_a_change_shared_by_every_unit_excludes_zero():
    """Every unit moves away from the mean: T rises in every resample with two distinct units."""
    first = np.array([40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0])
    last = 60.0 + (first - 60.0) * 2
    ci = inference.change_ci(inequality.theil, np.column_stack([first, last]), rng=3, n=499)
    assert ci.estimate > 0 and ci.low > 0 and ci.excludes_zero


def test_change_ci_needs_two_columns_and_a_seed():
    with pytest.raises(ParameterError, match="regions × 2"):
        inference.change_ci(inequality.theil, [[1.0, 2.0, 3.0]] * 3, rng=1, n=9)
    with pytest.raises(ParameterError, match="rng"):
        inference.change_ci(inequality.theil, [[1.0, 2.0]] * 3, rng=None, n=9)


def _panel(values: pd.DataFrame, breaks: dict[int, str], population: pd.DataFrame | None = None):
    codes = values.index
    return imbalance_panel.Panel(
        "x",
        "oblast",
        "X",
        "index",
        values,
        population,
        population is not None,
        "",
        ["SYN"],
        breaks,
        pd.Series(list(codes), index=codes),
        pd.Series(["a"] * len(codes), index=codes),
        "",
    )


YEARS = list(range(2012, 2023))


def _values(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.uniform(10, 100, (9, len(YEARS))), index=[f"U{i}" for i in range(9)], columns=YEARS)


def test_convergence_and_the_change_stay_within_one_segment():
    """Breaks before 2019 and 2021 (as grp_per_capita): both measured 2012–2018, never across a break."""
    from lsg_analysis.measures import convergence

    v = _values()
    panel = _panel(v, {2019: "method", 2021: "vintage"})
    conv = imbalance_panel.convergence_tests(panel)
    assert (conv.first, conv.last) == (2012, 2018) == imbalance_panel.segment(panel)
    assert conv.beta.slope == pytest.approx(convergence.beta_convergence(v[[2012, 2018]]).slope, rel=1e-12)
    assert conv.sigma.dispersion.index.tolist() == list(range(2012, 2019))
    test = imbalance_panel.theil_change_test(panel, n_boot=49, seed=7)
    assert (test.first, test.last) == (2012, 2018)
    assert test.ci.estimate == pytest.approx(inequality.theil(v[2018]) - inequality.theil(v[2012]), rel=1e-12)
    again = imbalance_panel.theil_change_test(panel, n_boot=49, seed=7)
    assert np.array_equal(again.ci.replicates, test.ci.replicates)  # seeded
    growth = imbalance_panel.growth_table(panel, conv)
    assert growth["growth"].to_numpy() == pytest.approx(np.log(v[2018] / v[2012]).to_numpy() / 6)


def test_without_a_segment_nothing_is_measured_and_the_reason_is_given():
    v = _values()[[2012, 2013, 2014]]
    panel = _panel(v, {2013: "a", 2014: "b"})
    conv, test = imbalance_panel.convergence_tests(panel), imbalance_panel.theil_change_test(panel, n_boot=9, seed=1)
    assert conv.beta is None and conv.sigma is None and conv.first is None and "series breaks" in conv.why
    assert test.ci is None and "series breaks" in test.why
    assert imbalance_panel.theil_change_test(_panel(_values(), {}), n_boot=0, seed=1).why.startswith("n_boot = 0")
