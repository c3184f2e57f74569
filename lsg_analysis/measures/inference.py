r"""How sure is a measured inequality? Percentile bootstrap intervals of any measure, from a caller's Generator or
seed (:mod:`lsg_analysis.core.rng`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from lsg_analysis.core.errors import ParameterError
from lsg_analysis.core.rng import generator
from lsg_analysis.measures.panel import MeasureInputError, Panel, as_matrix, as_weights


@dataclass(frozen=True)
class BootstrapCI:
    """Percentile bootstrap interval: ``estimate`` on the data, ``low``/``high`` at ``level``,
    ``replicates`` the bootstrap values (n × columns, or n for 1-D input; NaN for a failed draw) and
    ``failed`` the number of draws the measure could not take (e.g. fewer than 2 regions with a value
    left in some column under ``nan="drop"``); the interval uses the other draws."""

    estimate: Any
    low: Any
    high: Any
    level: float
    replicates: np.ndarray
    failed: int


def bootstrap_ci(
    measure: Callable[..., Any],
    y: Any,
    weights: Any = None,
    *,
    rng: Any,
    n: int = 1999,
    level: float = 0.95,
    **kwargs: Any,
) -> BootstrapCI:
    """Percentile bootstrap confidence interval for any measure of this module (Efron & Tibshirani 1993, ch. 13).

    Regions (rows) are resampled with replacement, each keeping its weight; every column uses the
    same draw. ``measure`` is called as ``measure(y_b, weights=w_b, **kwargs)`` (``weights`` left out
    when None), so it must depend on the regions' values and weights only (for a decomposition, resample
    the groups too in your own loop). Pass ``rng`` (a ``numpy.random.Generator`` or an integer seed).
    With few regions (e.g. 9 oblasts) the interval is wide and rough: report it as such.
    """
    gen = generator(rng)
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise ParameterError("n", n, "a positive number of bootstrap samples, e.g. 1999")
    if not (0 < level < 1):
        raise ParameterError("level", level, "a confidence level in (0, 1), e.g. 0.95")

    def call(a: Any, w: Any) -> np.ndarray:
        out = measure(a, **kwargs) if w is None else measure(a, weights=w, **kwargs)
        return np.asarray(out, dtype=float)

    estimate = measure(y, **kwargs) if weights is None else measure(y, weights=weights, **kwargs)
    Y, rows, columns, one_d = as_matrix(y, getattr(measure, "__name__", "measure"))
    W = None if weights is None else as_weights(weights, Y, rows, columns, "bootstrap_ci")
    draws = gen.integers(0, Y.shape[0], size=(n, Y.shape[0]))
    reps = np.full((n, Y.shape[1]), np.nan)
    failed = 0
    for b, d in enumerate(draws):
        try:  # the data themselves passed above: a failure here is this draw's, not the input's
            reps[b] = call(Y[d, 0] if one_d else Y[d], None if W is None else (W[d, 0] if W.shape[1] == 1 else W[d]))
        except MeasureInputError:
            failed += 1
    alpha = (1.0 - level) / 2.0
    if failed == n:
        low = high = np.full(Y.shape[1], np.nan)
    else:
        low, high = np.nanquantile(reps, [alpha, 1.0 - alpha], axis=0)
    wrap = Panel(Y, None, rows, columns, one_d).out
    return BootstrapCI(estimate, wrap(low), wrap(high), float(level), reps[:, 0] if one_d else reps, failed)


@dataclass(frozen=True)
class ChangeCI:
    """Paired percentile bootstrap interval of a change between two years: ``estimate`` = measure(second) −
    measure(first) on the ``n`` units with a value (and a positive weight) in both years, ``low``/``high`` at
    ``level``, ``replicates`` the bootstrap changes (NaN for a failed draw) and ``failed`` their number."""

    estimate: float
    low: float
    high: float
    level: float
    n: int
    replicates: np.ndarray
    failed: int

    @property
    def excludes_zero(self) -> bool:
        """Whether the interval lies wholly above or wholly below 0 (never for a missing bound)."""
        return bool(self.low > 0 or self.high < 0)


def change_ci(
    measure: Callable[..., Any],
    y: Any,
    weights: Any = None,
    *,
    rng: Any,
    n: int = 1999,
    level: float = 0.95,
    **kwargs: Any,
) -> ChangeCI:
    r"""Paired percentile bootstrap interval of the change :math:`\Delta = M(y_{\cdot b}) - M(y_{\cdot a})` of a
    measure between two years (the two columns of ``y``, regions × 2; ``weights`` the same shape, or 1-D).

    Only units with a finite value (and, weighted, a positive weight) in **both** years enter: the change is
    measured on the same units. Each draw resamples those units with replacement once and applies the draw to
    both years — unit *i* keeps its pair :math:`(y_{ia}, y_{ib})` and its weights —, so the dependence between the
    two years (the same regions measured twice) stays in every replicate:
    :math:`\Delta^*_b = M(y_{d_b, b}) - M(y_{d_b, a})`; the interval is the :math:`\alpha/2` and
    :math:`1-\alpha/2` quantiles of :math:`\Delta^*` (Efron & Tibshirani 1993, ch. 13; for inequality measures of
    dependent samples, Biewen 2002, J. Econometrics 108(2):317–342). The draws are those of :func:`bootstrap_ci`
    on the units × 2 table (one draw for both columns). With 9 oblasts the interval is rough: it says whether a
    change is larger than resampling the units explains, no more.

    >>> ci = change_ci(lambda a: a.max(axis=0) - a.min(axis=0), [[1.0, 1.0], [2.0, 4.0], [3.0, 7.0]], rng=1, n=199)
    >>> ci.estimate, ci.n, bool(ci.low >= 0)
    (4.0, 3, True)
    """
    Y, rows, _, one_d = as_matrix(y, getattr(measure, "__name__", "measure"))
    if one_d or Y.shape[1] != 2:
        raise ParameterError("y", f"a table of shape {Y.shape}", "regions × 2 (the first and the second year)")
    W = None if weights is None else as_weights(weights, Y, rows, None, "change_ci")
    keep = np.isfinite(Y).all(axis=1)
    if W is not None:
        keep &= (np.isfinite(W) & (W > 0)).all(axis=1)
    Y = Y[keep]
    W = None if W is None else W[keep]
    boot = bootstrap_ci(measure, Y, W, rng=rng, n=n, level=level, **kwargs)
    est = np.asarray(boot.estimate, dtype=float)
    reps = boot.replicates[:, 1] - boot.replicates[:, 0]
    alpha = (1.0 - level) / 2.0
    ok = reps[np.isfinite(reps)]
    low, high = np.quantile(ok, [alpha, 1.0 - alpha]) if len(ok) else (np.nan, np.nan)
    return ChangeCI(float(est[1] - est[0]), float(low), float(high), float(level), int(keep.sum()), reps, boot.failed)
