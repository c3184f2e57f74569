r"""Are two groups of regions different? Means, medians, Cliff's delta and permutation p-values of two groups of
units (border / interior), and the rank correlation of a measure with a continuous exposure.

:func:`compare_groups` takes one value per unit, a group flag and optional population weights. It reports means
(weighted or not), the gap group − rest, medians, Cliff's delta

.. math:: \delta = \frac{\sum_{i \in B}\sum_{j \in I} w_i w_j\,\operatorname{sign}(x_i - x_j)}
                        {\sum_{i \in B} w_i \sum_{j \in I} w_j}

(unweighted: all :math:`w = 1`, so :math:`\delta = 2U/(n_B n_I) - 1` with Mann–Whitney :math:`U`; Cliff 1993,
Psychological Bulletin 114(3):494–509), and a two-sided p-value: Mann–Whitney U (scipy) for the unweighted row, a
permutation test of the weighted mean gap for the weighted row (exact over all relabellings when there are at most
``n_perm`` of them, otherwise ``n_perm`` random relabellings from a seeded ``numpy.random.Generator``; p =
(1 + #{|gap*| ≥ |gap|}) / (1 + n_perm)). :func:`rank_correlation`: Spearman's rho with a permutation p.
The assembly on the project's data is :mod:`lsg_analysis.analysis.border_interior`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lsg_analysis.core.rng import generator, permutations
from lsg_analysis.measures.panel import MeasureInputError

#: columns of every comparison row (:func:`compare_groups`, :func:`rank_correlation`, and the assembled tables)
COLUMNS = [
    "measure_id",
    "measure",
    "exposure",
    "level",
    "period",
    "weighting",
    "border",
    "interior",
    "gap",
    "median_border",
    "median_interior",
    "cliffs_delta",
    "rho",
    "p",
    "test",
    "n_border",
    "n_interior",
    "note",
]


class GroupInputError(MeasureInputError):
    """Two groups that cannot be compared: names the measure, the input (``column``), what was found (e.g. the
    units without a value) and what was expected.

    >>> str(GroupInputError("growth", ["KG-B"], "a border flag for every unit", column="is_border"))
    "growth, column 'is_border': found ['KG-B']; expected a border flag for every unit"
    """

    def __init__(self, measure: str, found: object, expected: str, *, column: str | None = None) -> None:
        super().__init__(measure or "measure", found, expected, column=column)


def cliffs_delta(
    x: Sequence[float], y: Sequence[float], wx: Sequence[float] | None = None, wy: Sequence[float] | None = None
) -> float:
    """Cliff's delta of ``x`` over ``y`` (optionally weighted): +1 every x above every y, −1 the reverse.

    >>> cliffs_delta([3, 4], [1, 2])
    1.0
    >>> cliffs_delta([1, 3], [2, 2])
    0.0
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    wx = np.ones_like(x) if wx is None else np.asarray(wx, float)
    wy = np.ones_like(y) if wy is None else np.asarray(wy, float)
    s = np.sign(x[:, None] - y[None, :])
    return float((wx[:, None] * wy[None, :] * s).sum() / (wx.sum() * wy.sum()))


def _wmean(v: np.ndarray, w: np.ndarray) -> float:
    return float((v * w).sum() / w.sum())


def permutation_p(
    values: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    *,
    n_perm: int = 9999,
    rng: np.random.Generator | int | None = None,
) -> tuple[float, str]:
    """Two-sided p of the weighted mean gap (label True − label False) under random relabelling.

    Exact (all relabellings keeping the group sizes) when there are at most ``n_perm`` of them; otherwise Monte
    Carlo with ``n_perm`` draws from ``rng`` (a Generator or a seed: :mod:`lsg_analysis.core.rng`, no default).
    Returns (p, description of the test).
    """
    n, k = len(values), int(labels.sum())
    obs = abs(_wmean(values[labels], weights[labels]) - _wmean(values[~labels], weights[~labels]))
    tol = 1e-12 * max(1.0, obs)
    if math.comb(n, k) <= n_perm:
        count = total = 0
        for idx in itertools.combinations(range(n), k):
            lab = np.zeros(n, bool)
            lab[list(idx)] = True
            gap = abs(_wmean(values[lab], weights[lab]) - _wmean(values[~lab], weights[~lab]))
            count += gap >= obs - tol
            total += 1
        return count / total, f"exact permutation ({total} relabellings)"
    count = 0
    for order in permutations(generator(rng), n, n_perm):
        lab = labels[order]
        gap = abs(_wmean(values[lab], weights[lab]) - _wmean(values[~lab], weights[~lab]))
        count += gap >= obs - tol
    return (1 + count) / (1 + n_perm), f"permutation ({n_perm} random relabellings)"


def compare_groups(
    values: pd.Series,
    is_border: pd.Series,
    weights: pd.Series | None = None,
    *,
    measure: str = "",
    n_perm: int = 9999,
    rng: np.random.Generator | int | None = None,
) -> pd.DataFrame:
    """Border vs interior on one measure: an ``unweighted`` row and, with ``weights``, a ``population`` row.

    ``values``, ``is_border`` (bool) and ``weights`` are Series indexed by unit code; every unit of ``values``
    needs a flag and (if given) a positive weight, every value must be a number — otherwise
    :class:`GroupInputError` names the units. Columns: see :data:`COLUMNS`.
    """
    from scipy import stats

    v = pd.Series(values, dtype=float)
    if v.isna().any():
        raise GroupInputError(
            measure,
            list(v.index[v.isna()]),
            "a value for every unit (drop units without a value before comparing, and state it)",
            column="values",
        )
    flags = pd.Series(is_border).reindex(v.index)
    if flags.isna().any():
        raise GroupInputError(measure, list(v.index[flags.isna()]), "a border flag for every unit", column="is_border")
    b = flags.astype(bool).to_numpy()
    if b.all() or not b.any():
        raise GroupInputError(
            measure,
            f"{int(b.sum())} border and {int((~b).sum())} interior",
            "at least one border and one interior unit",
            column="is_border",
        )
    x = v.to_numpy()
    rows = []
    mw = stats.mannwhitneyu(x[b], x[~b], alternative="two-sided")
    rows.append(
        {
            "weighting": "unweighted",
            "border": float(x[b].mean()),
            "interior": float(x[~b].mean()),
            "median_border": float(np.median(x[b])),
            "median_interior": float(np.median(x[~b])),
            "cliffs_delta": cliffs_delta(x[b], x[~b]),
            "p": float(mw.pvalue),
            "test": "Mann-Whitney U",
        }
    )
    if weights is not None:
        w = pd.Series(weights, dtype=float).reindex(v.index)
        if w.isna().any() or (w <= 0).any():
            bad = list(w.index[w.isna() | (w <= 0)])
            raise GroupInputError(measure, bad, "a positive weight for every unit", column="weights")
        wa = w.to_numpy()
        p, test = permutation_p(x, b, wa, n_perm=n_perm, rng=rng)
        rows.append(
            {
                "weighting": "population",
                "border": _wmean(x[b], wa[b]),
                "interior": _wmean(x[~b], wa[~b]),
                "median_border": np.nan,
                "median_interior": np.nan,
                "cliffs_delta": cliffs_delta(x[b], x[~b], wa[b], wa[~b]),
                "p": p,
                "test": test,
            }
        )
    out = pd.DataFrame(rows)
    out["gap"] = out["border"] - out["interior"]
    out["measure"], out["n_border"], out["n_interior"] = measure, int(b.sum()), int((~b).sum())
    return out.reindex(columns=COLUMNS)


def permuted_correlations(x: np.ndarray, y: np.ndarray, perms: np.ndarray) -> np.ndarray:
    r"""Pearson's r of ``x[p]`` with ``y`` for every row ``p`` of ``perms`` (orderings × n), computed as
    ``np.corrcoef(x[p], y)[0, 1]`` computes it — centre on the mean, :math:`c = \sum_i x_i y_i \cdot \frac{1}{n-1}`,
    :math:`r = c / s_x / s_y` with :math:`s = \sqrt{\sum_i x_i^2 \cdot \frac{1}{n-1}}`, clipped to [−1, 1] — in one
    matrix product instead of one ``corrcoef`` per ordering. For ranks (what :func:`rank_correlation` passes) the
    centred values are multiples of 1/2, so every sum is exact in any order and the values equal ``corrcoef``'s bit
    for bit (a test checks it)."""
    fact = np.true_divide(1, len(x) - 1)
    xc, yc = x - x.mean(), y - y.mean()
    sx, sy = np.sqrt((xc @ xc) * fact), np.sqrt((yc @ yc) * fact)
    with np.errstate(invalid="ignore", divide="ignore"):  # constant ranks: NaN, as corrcoef gives
        r = (xc[perms] @ yc) * fact / sx / sy
    return np.clip(r, -1, 1)


def rank_correlation(
    values: pd.Series,
    exposure: pd.Series,
    *,
    measure: str = "",
    exposure_name: str = "",
    n_perm: int = 9999,
    rng: np.random.Generator | int | None = None,
) -> pd.DataFrame:
    """Spearman's rank correlation of ``values`` with a continuous border exposure (e.g. share of the perimeter
    on the border, distance to the border), with a permutation p (exact over all orderings when there are at most
    ``n_perm`` of them, else seeded Monte Carlo). One row in the layout of :data:`COLUMNS` (``rho``, ``p``; ``n``
    in ``n_border``, ``n_interior`` = 0). Units without a value or an exposure are an error.
    """
    from scipy import stats

    v = pd.Series(values, dtype=float)
    e = pd.Series(exposure, dtype=float).reindex(v.index)
    bad = list(v.index[v.isna() | e.isna()])
    if bad:
        raise GroupInputError(
            measure, bad, f"a value and an {exposure_name or 'exposure'} for every unit", column="values"
        )
    if len(v) < 3:
        raise GroupInputError(measure, f"{len(v)} units", "at least 3 units for a rank correlation", column="values")
    x, y = stats.rankdata(v.to_numpy()), stats.rankdata(e.to_numpy())
    rho = float(np.corrcoef(x, y)[0, 1])
    n = len(x)
    if math.factorial(n) <= n_perm:
        perms = np.array(list(itertools.permutations(range(n))), dtype=np.intp).reshape(-1, n)
        total = math.factorial(n)
        test = f"exact permutation ({total} orderings)"
    else:
        gen = generator(rng)
        perms = permutations(gen, n, n_perm)
        total = n_perm
        test = f"permutation ({n_perm} random orderings)"
    count = int((np.abs(permuted_correlations(x, y, perms)) >= abs(rho) - 1e-12).sum())
    p = count / total if test.startswith("exact") else (1 + count) / (1 + total)
    return pd.DataFrame(
        [
            {
                "measure": f"{measure} vs {exposure_name}",
                "exposure": exposure_name or pd.NA,
                "weighting": "rank correlation",
                "rho": rho,
                "p": float(p),
                "test": f"Spearman, {test}",
                "n_border": n,
                "n_interior": 0,
            }
        ]
    ).reindex(columns=COLUMNS)
