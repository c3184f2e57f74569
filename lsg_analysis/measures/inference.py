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
