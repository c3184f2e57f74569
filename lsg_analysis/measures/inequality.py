r"""How unequal are the regions? Gini, Theil T, MLD, Atkinson, CV, Williamson and ratio measures of one
indicator across regions (1-D) or regions × years (2-D); input rules in :mod:`lsg_analysis.measures.panel`.

References: Theil (1967) *Economics and Information Theory*; Williamson (1965) Econ. Dev. Cult. Change
13(4):1–84; Atkinson (1970) J. Econ. Theory 2(3):244–263; OECD (2016) *Regions at a Glance*, Annex C, and OECD
(2024) *Regions and Cities at a Glance*, reader's guide.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lsg_analysis.core.errors import ParameterError
from lsg_analysis.measures.panel import (
    Nan,
    Panel,
    group_indicator,
    mean,
    no_zero_mean,
    population,
    prepare,
    sorted_rows,
    wdot,
    wsum,
)


def gini(y: Any, weights: Any = None, *, variant: str = "classic", nan: Nan = "raise") -> Any:
    r"""Gini coefficient: mean absolute difference over twice the mean.

    .. math:: G = \frac{\sum_i\sum_j p_i p_j |y_i - y_j|}{2 P^2 \mu}
              = 1 - \sum_{i} \frac{p_i}{P}\,(L_i + L_{i-1})

    with regions sorted by ``y`` and :math:`L_i` the cumulative share of :math:`p_i y_i` (the Lorenz
    curve); unweighted, :math:`G = \sum_i (2i - N - 1)\,y_{(i)} / (N \sum_i y_i)` (Gini 1912).
    ``variant="oecd"``: the OECD regional Gini (Regions at a Glance 2016, Annex C), unweighted only,
    :math:`G_{OECD} = \frac{2}{N-1}\sum_{i=1}^{N-1}(F_i - Q_i) = G\,N/(N-1)`, which reaches 1 when one
    region has everything. Values must be >= 0 with a positive mean.

    >>> round(gini([1, 2, 3, 4]), 6), round(gini([1, 2, 3, 4], variant="oecd"), 6)
    (0.25, 0.333333)
    """
    if variant not in ("classic", "oecd"):
        raise ParameterError("variant", variant, '"classic" or "oecd"')
    if variant == "oecd" and weights is not None:
        raise ParameterError(
            "weights",
            "population weights with variant='oecd'",
            "no weights: the OECD regional Gini counts each region once",
        )
    p = prepare(y, weights, nan=nan, domain="nonnegative", measure="gini")
    if p.w is None:
        s = p.y.T.copy(order="C")  # one row per column: sorting contiguous rows is the fastest layout
        s.sort(axis=1)
        n = s.shape[1]
        total = s.sum(axis=1)
        no_zero_mean(p, total, "gini")
        g = np.einsum("ij,j->i", s, np.arange(1 - n, n, 2, dtype=float)) / (n * total)
    else:
        ys, ws = sorted_rows(p)
        wy = ws * ys
        total = wy.sum(axis=1)
        no_zero_mean(p, total, "gini")
        lorenz = np.cumsum(wy, axis=1)
        lorenz /= total[:, None]
        # 1 - Σ (p_i/P)(L_i + L_{i-1}), with L_{i-1} = L_i - s_i
        g = 1.0 - np.einsum("ij,ij->i", ws, 2.0 * lorenz - wy / total[:, None]) / ws.sum(axis=1)
    if variant == "oecd":
        n = p.count()
        g = g * n / (n - 1)
    return p.out(g)


def theil(y: Any, weights: Any = None, *, nan: Nan = "raise") -> Any:
    r"""Theil T index, generalised entropy GE(1) (Theil 1967, ch. 4).

    .. math:: T = \sum_i s_i \ln\frac{s_i}{p_i/P} = \sum_i \frac{p_i}{P}\,\frac{y_i}{\mu}\ln\frac{y_i}{\mu},
              \qquad s_i = \frac{p_i y_i}{\sum_j p_j y_j}

    Unweighted (:math:`p_i = 1`): :math:`T = \frac1N \sum_i \frac{y_i}{\mu}\ln\frac{y_i}{\mu}`,
    0 ≤ T ≤ ln N. Values must be > 0.

    >>> round(theil([1, 1, 1, 5]), 6)
    0.312752
    """
    p = prepare(y, weights, nan=nan, domain="positive", measure="theil")
    return p.out(entropy_sums("theil", p)[0])


def entropy_sums(
    kind: str, p: Panel, codes: np.ndarray | None = None, n_groups: int = 0
) -> tuple[np.ndarray, np.ndarray | None]:
    """Theil T = Σ w_i y_i ln(y_i/μ) / (P μ) or MLD L = Σ w_i ln(μ/y_i) / P per column and, given group
    ``codes``, the group sums of w_i y_i ln y_i (Theil) or w_i ln y_i (MLD), shape (G, k).

    One pass over blocks of rows small enough to stay in the processor cache: the (n, k) temporaries
    of a whole-array version cost more (memory traffic, page faults) than the arithmetic."""
    n, k = p.y.shape
    mu = mean(p)
    log_mu = np.log(mu)
    rows = max(64, 65536 // k)
    log_y, dev = np.empty((min(rows, n), k)), np.empty((min(rows, n), k))
    total = np.zeros(k)
    groups = None if codes is None else np.zeros((n_groups, k))
    for start in range(0, n, rows):
        y = p.y[start : start + rows]
        w = None if p.w is None else p.w[start : start + rows]
        size = len(y)
        ln = np.log(y, out=log_y[:size])
        d = np.subtract(ln, log_mu, out=dev[:size])  # ln(y_i/μ)
        total += wdot(w, y, d) if kind == "theil" else wdot(w, d)
        if groups is not None:
            terms = np.multiply(ln, y, out=ln) if kind == "theil" else ln
            if w is not None:
                terms = np.multiply(terms, w, out=terms)
            groups += group_indicator(codes[start : start + rows], n_groups) @ terms
    total = total / (population(p) * mu) if kind == "theil" else -total / population(p)
    return total, groups


def mld(y: Any, weights: Any = None, *, nan: Nan = "raise") -> Any:
    r"""Mean log deviation, Theil L, generalised entropy GE(0) (Theil 1967; Shorrocks 1980).

    .. math:: L = \sum_i \frac{p_i}{P}\,\ln\frac{\mu}{y_i}

    Values must be > 0.

    >>> round(mld([1, 1, 1, 5]), 6)
    0.290788
    """
    p = prepare(y, weights, nan=nan, domain="positive", measure="mld")
    return p.out(entropy_sums("mld", p)[0])


def atkinson(y: Any, epsilon: float, weights: Any = None, *, nan: Nan = "raise") -> Any:
    r"""Atkinson index with inequality aversion :math:`\varepsilon \ge 0` (Atkinson 1970).

    .. math:: A_\varepsilon = 1 - \frac{1}{\mu}\Big(\sum_i \tfrac{p_i}{P}\, y_i^{1-\varepsilon}\Big)^{1/(1-\varepsilon)},
              \qquad A_1 = 1 - \frac{1}{\mu}\exp\Big(\sum_i \tfrac{p_i}{P}\ln y_i\Big)

    Values must be > 0.

    >>> round(atkinson([10, 20, 30, 40, 50], 0.5), 5), round(atkinson([10, 20, 30, 40, 50], 1), 5)
    (0.06315, 0.13161)
    """
    if not (np.isscalar(epsilon) and np.isfinite(epsilon) and epsilon >= 0):
        raise ParameterError("epsilon", epsilon, "a finite number >= 0 (inequality aversion)")
    p = prepare(y, weights, nan=nan, domain="positive", measure="atkinson")
    mu, pop = mean(p), population(p)
    if epsilon == 1:
        ede = np.exp(wsum(p, np.log(p.y)) / pop)
    else:
        ede = (wsum(p, p.y ** (1.0 - epsilon)) / pop) ** (1.0 / (1.0 - epsilon))
    return p.out(1.0 - ede / mu)


def cv(y: Any, weights: Any = None, *, nan: Nan = "raise") -> Any:
    r"""Coefficient of variation, :math:`CV = \sigma/\mu` with :math:`\sigma^2 = \sum_i \frac{p_i}{P}(y_i-\mu)^2`
    (population standard deviation, no degrees-of-freedom correction). Values must be >= 0.

    >>> round(cv([1, 2, 3, 4]), 6)
    0.447214
    """
    p = prepare(y, weights, nan=nan, domain="nonnegative", measure="cv")
    return p.out(_cv(p, "cv"))


def _cv(p: Panel, measure: str) -> np.ndarray:
    mu = mean(p)
    no_zero_mean(p, mu, measure)
    dev = p.y - mu
    return np.sqrt(wsum(p, dev, dev) / population(p)) / mu


def williamson(y: Any, weights: Any, *, nan: Nan = "raise") -> Any:
    r"""Williamson index: the population-weighted coefficient of variation (Williamson 1965).

    .. math:: V_w = \frac{1}{\bar y}\sqrt{\sum_i \frac{p_i}{P}\,(y_i - \bar y)^2},
              \qquad \bar y = \sum_i \frac{p_i}{P} y_i

    ``weights`` (population) are required; without them use :func:`cv`.

    >>> round(williamson([1, 3], [3, 1]), 6)
    0.57735
    """
    if weights is None:
        raise ParameterError("weights", None, "population per region (for an unweighted index use cv)")
    p = prepare(y, weights, nan=nan, domain="nonnegative", measure="williamson")
    return p.out(_cv(p, "williamson"))


def max_min_ratio(y: Any, *, nan: Nan = "raise") -> Any:
    """Ratio of the highest to the lowest regional value (OECD "regional range" as a ratio). Values > 0.

    >>> max_min_ratio([2, 5, 8])
    4.0
    """
    p = prepare(y, None, nan=nan, domain="positive", measure="max_min_ratio")
    if p.w is None:
        return p.out(p.y.max(axis=0) / p.y.min(axis=0))
    taking = np.broadcast_to(p.w > 0, p.y.shape)
    return p.out(np.where(taking, p.y, -np.inf).max(axis=0) / np.where(taking, p.y, np.inf).min(axis=0))


def top_bottom_ratio(y: Any, weights: Any = None, *, share: float = 0.2, nan: Nan = "raise") -> Any:
    r"""Top-20 % / bottom-20 % ratio by population share (OECD Regions and Cities at a Glance 2024).

    Regions are sorted by ``y``; the bottom group holds the poorest regions up to ``share`` of the
    population, the top group the richest up to ``share``; the region that straddles a boundary counts
    pro rata with the part of its population that falls inside. The ratio is the population-weighted
    mean of ``y`` in the top group over that in the bottom group. Unweighted, each region counts once
    (so with 10 regions the bottom 20 % are the two lowest). Values must be > 0.

    >>> round(top_bottom_ratio([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 6)
    6.333333
    """
    if not (np.isscalar(share) and 0 < share <= 0.5):
        raise ParameterError("share", share, "a population share in (0, 0.5], e.g. 0.2")
    p = prepare(y, weights, nan=nan, domain="positive", measure="top_bottom_ratio")
    ys, ws = sorted_rows(p)
    upper = np.cumsum(ws, axis=1)
    upper /= upper[:, -1:]  # cumulative population share F_i
    lower = upper - ws / ws.sum(axis=1, keepdims=True)  # F_{i-1}
    bottom = np.clip(np.minimum(upper, share) - lower, 0.0, None)  # part of region i in [0, share]
    top = np.clip(upper - np.maximum(lower, 1.0 - share), 0.0, None)  # part in [1 - share, 1]
    return p.out(np.einsum("ij,ij->i", top, ys) / np.einsum("ij,ij->i", bottom, ys))
