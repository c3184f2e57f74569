r"""Are the gaps between regions closing? Sigma and beta convergence on a region × year panel.

Input is a regions × years table: a DataFrame whose columns are the years (integers), or a 2-D array
with ``years`` given; optional ``weights`` (population), 1-D or regions × years, as in
:mod:`lsg_analysis.measures.panel` (same checks, same ``nan="raise"|"drop"``).

* **Sigma convergence**: the dispersion across regions falls over time. We report the dispersion for
  every year (coefficient of variation, population-weighted = Williamson index, or the standard
  deviation of logs) and the OLS trend of dispersion on year (slope per year, its standard error and
  two-sided p-value). Barro & Sala-i-Martin (1992) J. Polit. Econ. 100(2):223–251; Sala-i-Martin (1996)
  Econ. J. 106(437):1019–1036.
* **Beta convergence**: poorer regions grow faster. OLS (or population-weighted least squares) of the
  annualised log growth :math:`g_i = \ln(y_{i,T}/y_{i,0})/T` on :math:`\ln y_{i,0}`:
  :math:`g_i = a + b \ln y_{i,0} + e_i`. With :math:`b < 0` the implied speed of convergence is
  :math:`\lambda = -\ln(1 + bT)/T` and the half-life :math:`\ln 2/\lambda` years (Barro & Sala-i-Martin
  1992, eq. 13); with :math:`b \ge 0` (or :math:`1 + bT \le 0`) there is no convergence and both are None.

Few regions (9 oblasts) give wide standard errors; the p-values assume independent, normal errors,
which neighbouring regions rarely satisfy — read them as descriptive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lsg_analysis.core.errors import ParameterError
from lsg_analysis.measures.panel import MeasureInputError, Nan, Panel, population, prepare, wsum

__all__ = ["SigmaConvergence", "sigma_convergence", "BetaConvergence", "beta_convergence"]


def _years(p: Panel, years: Any, measure: str) -> np.ndarray:
    if p.one_d:
        raise MeasureInputError(measure, "a 1-D array", "a regions × years table (2-D)")
    if years is None:
        if p.columns is None:
            raise ParameterError("years", None, "the year of each column (or a DataFrame whose columns are years)")
        years = p.columns
    try:
        out = np.asarray(pd.to_numeric(pd.Index(years)), dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("years", list(years), "numbers (the year of each column)") from None
    if len(out) != p.y.shape[1] or not np.all(np.diff(out) > 0):
        raise ParameterError("years", list(years), f"{p.y.shape[1]} increasing years, one per column")
    return out


@dataclass(frozen=True)
class SigmaConvergence:
    """Dispersion per year and its linear trend (negative slope = gaps closing)."""

    measure: str
    dispersion: pd.Series
    slope: float
    slope_se: float | None
    p_value: float | None


def sigma_convergence(
    y: Any, weights: Any = None, *, measure: str = "cv", years: Any = None, nan: Nan = "raise"
) -> SigmaConvergence:
    r"""Dispersion across regions each year and its OLS trend on year.

    ``measure="cv"``: :math:`\sigma_t/\mu_t` (population-weighted with ``weights``: the Williamson
    index); ``"sd_log"``: standard deviation of :math:`\ln y` (Barro & Sala-i-Martin 1992), weighted
    with ``weights``. ``slope_se``/``p_value`` are None with only two years.

    >>> s = sigma_convergence(pd.DataFrame({2000: [1.0, 3.0], 2001: [1.5, 2.5], 2002: [2.0, 2.0]}))
    >>> s.dispersion.round(3).tolist(), round(s.slope, 3)
    ([0.5, 0.25, 0.0], -0.25)
    """
    if measure not in ("cv", "sd_log"):
        raise ParameterError("measure", measure, '"cv" or "sd_log"')
    p = prepare(
        y, weights, nan=nan, domain="positive" if measure == "sd_log" else "nonnegative", measure="sigma_convergence"
    )
    t = _years(p, years, "sigma_convergence")
    pop = population(p)
    x = np.log(p.y) if measure == "sd_log" else p.y
    mean = wsum(p, x) / pop
    dev = x - mean
    sd = np.sqrt(wsum(p, dev, dev) / pop)
    dispersion = sd / mean if measure == "cv" else sd
    series = pd.Series(dispersion, index=pd.Index(p.columns if p.columns is not None else t, name="year"), name=measure)
    from scipy import stats

    fit = stats.linregress(t, dispersion)
    if len(t) < 3:
        return SigmaConvergence(measure, series, float(fit.slope), None, None)
    return SigmaConvergence(measure, series, float(fit.slope), float(fit.stderr), float(fit.pvalue))


def _first_and_last(y: Any, weights: Any, years: Any) -> tuple[Any, Any, Any]:
    """Only the first and last year enter beta convergence: gaps in between are no error."""

    def ends(a: Any) -> Any:
        if isinstance(a, pd.DataFrame):
            return a.iloc[:, [0, -1]]
        arr = np.asarray(a)
        return arr[:, [0, -1]] if arr.ndim == 2 and arr.shape[1] > 1 else a

    if weights is not None and np.ndim(weights) == 2:
        weights = ends(weights)
    if years is not None:
        years = [list(years)[0], list(years)[-1]]
    return ends(y), weights, years


@dataclass(frozen=True)
class BetaConvergence:
    """Growth-on-initial-level regression. ``slope`` is b; ``speed`` λ and ``half_life`` (years) are
    None without convergence; ``n`` regions over ``period`` = end − start years."""

    slope: float
    slope_se: float
    p_value: float
    intercept: float
    r2: float
    n: int
    start: float
    end: float
    period: float
    weighted: bool
    speed: float | None
    half_life: float | None


def beta_convergence(y: Any, weights: Any = None, *, years: Any = None, nan: Nan = "raise") -> BetaConvergence:
    r"""Absolute beta convergence between the first and the last column of ``y``.

    .. math:: \frac{1}{T}\ln\frac{y_{i,T}}{y_{i,0}} = a + b\,\ln y_{i,0} + e_i,
              \qquad \lambda = -\frac{\ln(1 + bT)}{T}, \qquad t_{1/2} = \frac{\ln 2}{\lambda}

    With ``weights`` (population; a regions × years table uses its first column) the fit is weighted
    least squares, :math:`\hat\sigma^2 = \sum_i w_i e_i^2/(n-2)`, standard error from
    :math:`\hat\sigma^2 (X'WX)^{-1}`. Needs at least 3 regions. With ``nan="drop"`` a region missing
    in the first or last year is left out (``n`` says how many remain).
    """
    y, weights, years = _first_and_last(y, weights, years)
    p = prepare(y, weights, nan=nan, domain="positive", measure="beta_convergence")
    t = _years(p, years, "beta_convergence")
    period = float(t[-1] - t[0])
    x = np.log(p.y[:, 0])
    g = np.log(p.y[:, -1] / p.y[:, 0]) / period
    w = np.ones_like(x) if p.w is None else p.w[:, 0].copy()
    if p.w is not None and p.w.shape[1] > 1:
        w = np.where(p.w[:, -1] > 0, w, 0.0)  # a region dropped in the last year is out
    keep = w > 0
    x, g, w = x[keep], g[keep], w[keep]
    n = len(x)
    if n < 3:
        raise MeasureInputError(
            "beta_convergence", f"{n} region(s) with a first and a last value", "at least 3 regions"
        )
    X = np.column_stack([np.ones(n), x])
    xtwx = X.T @ (w[:, None] * X)
    coef = np.linalg.solve(xtwx, X.T @ (w * g))
    resid = g - X @ coef
    sigma2 = float(w @ resid**2) / (n - 2)
    se = math.sqrt(sigma2 * np.linalg.inv(xtwx)[1, 1])
    g_mean = float(w @ g / w.sum())
    r2 = 1.0 - float(w @ resid**2) / float(w @ (g - g_mean) ** 2)
    from scipy import stats

    b = float(coef[1])
    p_value = float(2 * stats.t.sf(abs(b / se), n - 2)) if se > 0 else 0.0
    speed = -math.log(1 + b * period) / period if (b < 0 and 1 + b * period > 0) else None
    return BetaConvergence(
        slope=b,
        slope_se=se,
        p_value=p_value,
        intercept=float(coef[0]),
        r2=r2,
        n=n,
        start=float(t[0]),
        end=float(t[-1]),
        period=period,
        weighted=weights is not None,
        speed=speed,
        half_life=(math.log(2) / speed) if speed else None,
    )
