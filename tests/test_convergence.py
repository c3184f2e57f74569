"""Sigma and beta convergence: against scipy's OLS, exact synthetic paths, weights, missing values."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lsg_analysis.measures import convergence as c
from lsg_analysis import imbalance as m
from lsg_analysis.core.errors import ParameterError


def _noisy_panel(seed=1, n=40, b=-0.02, period=10):
    rng = np.random.default_rng(seed)
    y0 = rng.lognormal(8, 0.5, n)
    growth = 0.03 + b * np.log(y0) + rng.normal(0, 0.002, n)
    return pd.DataFrame({2010: y0, 2015: y0 * np.exp(growth * 5), 2010 + period: y0 * np.exp(growth * period)})


def test_beta_matches_scipy_linregress():
    df = _noisy_panel()
    r = c.beta_convergence(df)
    ref = stats.linregress(np.log(df[2010]), np.log(df[2020] / df[2010]) / 10)
    assert r.slope == pytest.approx(ref.slope, rel=1e-10)
    assert r.intercept == pytest.approx(ref.intercept, rel=1e-10)
    assert r.slope_se == pytest.approx(ref.stderr, rel=1e-8)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-6)
    assert r.r2 == pytest.approx(ref.rvalue**2, rel=1e-10)
    assert (r.n, r.start, r.end, r.period, r.weighted) == (40, 2010.0, 2020.0, 10.0, False)


def test_beta_exact_path_gives_speed_and_half_life():
    y0 = np.array([100.0, 200.0, 400.0, 800.0, 1600.0])
    b, a, period = -0.02, 0.2, 10
    yT = y0 * np.exp((a + b * np.log(y0)) * period)
    r = c.beta_convergence(pd.DataFrame({2000: y0, 2010: yT}))
    assert r.slope == pytest.approx(b, rel=1e-10) and r.r2 == pytest.approx(1.0)
    assert r.speed == pytest.approx(-math.log(1 + b * period) / period, rel=1e-10)  # = 0.02231
    assert r.half_life == pytest.approx(math.log(2) / r.speed, rel=1e-12)
    # diverging regions: no speed, no half-life
    diverging = c.beta_convergence(pd.DataFrame({2000: y0, 2010: y0 * np.exp((a + 0.01 * np.log(y0)) * period)}))
    assert diverging.slope == pytest.approx(0.01, rel=1e-10)
    assert diverging.speed is None and diverging.half_life is None


def test_beta_weighted_is_replication_of_regions():
    df = _noisy_panel(seed=3, n=12)
    w = np.random.default_rng(4).integers(1, 6, size=12)
    weighted = c.beta_convergence(df, w)
    replicated = c.beta_convergence(df.loc[df.index.repeat(w)].reset_index(drop=True))
    assert weighted.weighted and weighted.slope == pytest.approx(replicated.slope, rel=1e-10)
    assert weighted.intercept == pytest.approx(replicated.intercept, rel=1e-10)
    assert weighted.r2 == pytest.approx(replicated.r2, rel=1e-10)


def test_beta_uses_only_the_first_and_last_year_and_handles_missing_explicitly():
    df = _noisy_panel(n=10)
    df.loc[3, 2015] = np.nan  # a gap in a middle year is no problem
    full = c.beta_convergence(df)
    df.loc[4, 2020] = np.nan
    with pytest.raises(m.MeasureInputError, match="beta_convergence, column 2020, row 4"):
        c.beta_convergence(df)
    dropped = c.beta_convergence(df, nan="drop")
    assert dropped.n == 9 and full.n == 10
    assert dropped.slope == pytest.approx(c.beta_convergence(df.drop(index=4)).slope, rel=1e-12)


def test_sigma_convergence_per_year_and_trend():
    df = _noisy_panel(n=30)
    w = np.random.default_rng(5).integers(1, 100, size=30).astype(float)
    s = c.sigma_convergence(df)
    np.testing.assert_allclose(s.dispersion.to_numpy(), m.cv(df).to_numpy(), rtol=1e-12)
    assert list(s.dispersion.index) == [2010, 2015, 2020]
    ref = stats.linregress([2010, 2015, 2020], s.dispersion.to_numpy())
    assert s.slope == pytest.approx(ref.slope, rel=1e-10) and s.slope_se == pytest.approx(ref.stderr, rel=1e-8)
    assert s.slope < 0  # the synthetic regions converge
    sw = c.sigma_convergence(df, w)
    np.testing.assert_allclose(sw.dispersion.to_numpy(), m.williamson(df, w).to_numpy(), rtol=1e-12)
    sd = c.sigma_convergence(df, measure="sd_log")
    np.testing.assert_allclose(sd.dispersion.to_numpy(), np.log(df).std(ddof=0).to_numpy(), rtol=1e-12)
    two = c.sigma_convergence(df[[2010, 2020]])
    assert two.slope_se is None and two.p_value is None


def test_convergence_parameter_errors():
    y = np.ones((4, 3))
    with pytest.raises(ParameterError, match="years"):
        c.sigma_convergence(y)
    with pytest.raises(ParameterError, match="increasing"):
        c.sigma_convergence(y, years=[2000, 2000, 2001])
    with pytest.raises(ParameterError, match="measure"):
        c.sigma_convergence(y, years=[1, 2, 3], measure="range")
    with pytest.raises(m.MeasureInputError, match="2-D"):
        c.beta_convergence([1.0, 2.0, 3.0], years=[2000])
    with pytest.raises(m.MeasureInputError, match="at least 3 regions"):
        c.beta_convergence(pd.DataFrame({2000: [1.0, 2.0], 2010: [2.0, 3.0]}))
