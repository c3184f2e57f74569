r"""How unequal are the regions? Inequality measures for regions and region × year panels.

Every measure takes ``y`` (an indicator per region, e.g. GDP per capita) and optional ``weights``
(population per region):

* 1-D ``y`` (list, numpy array, Series) → a ``float``;
* 2-D ``y`` of regions × years (numpy array, or DataFrame with years as columns) → one value per
  column: a numpy array, or a Series indexed by the DataFrame's columns;
* ``weights`` 1-D (the same every year) or 2-D (one per region and year); Series/DataFrame weights
  are aligned to ``y`` by index (and columns), a missing region is an error;
* ``nan="raise"`` (default) stops at the first missing value with its row and column;
  ``nan="drop"`` leaves the region out of that column only (value and weight), explicitly;
* values outside a measure's domain (zero or negative where a logarithm or ratio needs positive
  values) raise :class:`MeasureInputError`; nothing is nudged by a tiny number.

Weighted measures treat region *i* as ``p_i`` people who all have the value ``y_i``: the national
mean is :math:`\mu = \sum_i p_i y_i / P`, population shares are :math:`p_i/P`, "income" shares
:math:`s_i = p_i y_i / \sum_j p_j y_j`. Unweighted measures give each region the weight 1.

References: Theil (1967) *Economics and Information Theory*; Shorrocks (1980) Econometrica 48(3):613–625;
Williamson (1965) Econ. Dev. Cult. Change 13(4):1–84; Atkinson (1970) J. Econ. Theory 2(3):244–263;
OECD (2016) *Regions at a Glance*, Annex C, and OECD (2024) *Regions and Cities at a Glance*, reader's guide.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal

import numpy as np
import pandas as pd

from .errors import LsgError, ParameterError

__all__ = [
    "MeasureInputError", "gini", "theil", "mld", "atkinson", "williamson", "cv", "max_min_ratio",
    "top_bottom_ratio", "Decomposition", "theil_decomposition", "mld_decomposition",
    "BootstrapCI", "bootstrap_ci", "PermutationTest", "between_share_test",
]

Nan = Literal["raise", "drop"]


class MeasureInputError(LsgError):
    """Input that a measure cannot take: names the measure, column, row and what was expected."""

    def __init__(self, measure: str, found: object, expected: str, *, row: object = None,
                 column: object = None) -> None:
        self.measure, self.found, self.expected, self.row, self.column = measure, found, expected, row, column
        where = [measure]
        if column is not None:
            where.append(f"column {column!r}")
        if row is not None:
            where.append(f"row {row!r}")
        super().__init__(f"{', '.join(where)}: found {found!r}; expected {expected}")


# ---------------------------------------------------------------------------------------------
# Input: one place that turns y/weights into float matrices and checks them
# ---------------------------------------------------------------------------------------------

_DOMAINS = {
    "positive": (lambda v: v > 0, "a value > 0"),
    "nonnegative": (lambda v: v >= 0, "a value >= 0"),
}


@dataclass(frozen=True)
class _Panel:
    """``y`` as an (n, k) float matrix; ``w`` None (equal weights, nothing dropped) or (n, 1)/(n, k)
    weights that are 0 where a value was dropped (the dropped values themselves are set to 1.0)."""

    y: np.ndarray
    w: np.ndarray | None
    rows: pd.Index | None
    columns: pd.Index | None
    one_d: bool

    def out(self, values: np.ndarray) -> Any:
        values = np.asarray(values, dtype=float).reshape(-1)
        if self.one_d:
            return float(values[0])
        if self.columns is not None:
            return pd.Series(values, index=self.columns)
        return values

    def count(self) -> np.ndarray:
        """Regions that take part, per column."""
        if self.w is None:
            return np.full(self.y.shape[1], self.y.shape[0])
        return np.broadcast_to(self.w > 0, self.y.shape).sum(axis=0)


def _matrix(y: Any, measure: str) -> tuple[np.ndarray, pd.Index | None, pd.Index | None, bool]:
    """``y`` as (n, k) floats, its row labels (None for an unlabelled array: then weights and groups go
    by position) and column labels, and whether it was 1-D."""
    if isinstance(y, pd.DataFrame):
        rows, columns = y.index, y.columns
        y = y.to_numpy(dtype=float, na_value=np.nan)
    elif isinstance(y, pd.Series):
        rows, columns = y.index, None
        y = y.to_numpy(dtype=float, na_value=np.nan)
    else:
        columns = None
        try:
            y = np.asarray(y, dtype=float)
        except (TypeError, ValueError) as e:
            raise MeasureInputError(measure, type(y).__name__, f"numbers ({e})") from None
        rows = None
    if y.ndim not in (1, 2):
        raise MeasureInputError(measure, f"an array with {y.ndim} dimensions",
                                "1-D (regions) or 2-D (regions × years)")
    one_d = y.ndim == 1
    return (y[:, None] if one_d else y), rows, columns, one_d


def _align(obj: Any, rows: pd.Index, what: str, measure: str) -> Any:
    """``obj`` (Series/DataFrame) reordered to the region labels of ``y``; unique labels required."""
    for labels, whose in ((rows, "y"), (obj.index, f"the {what}s")):
        if labels.has_duplicates:
            raise MeasureInputError(measure, f"region {labels[labels.duplicated()][0]!r} twice in {whose}",
                                    f"unique region labels (the {what}s are matched to y by label)")
    missing = rows.difference(obj.index)
    if len(missing):
        raise MeasureInputError(measure, f"no {what} for region {missing[0]!r}",
                                f"a {what} for every region of y (matched by label)")
    return obj.reindex(rows)


def _weights(weights: Any, y: np.ndarray, rows: pd.Index | None, columns: pd.Index | None,
             measure: str) -> np.ndarray:
    if isinstance(weights, (pd.Series, pd.DataFrame)) and rows is not None:
        weights = _align(weights, rows, "weight", measure)
        if isinstance(weights, pd.DataFrame) and columns is not None:
            gone = columns.difference(weights.columns)
            if len(gone):
                raise MeasureInputError(measure, f"no weights for column {gone[0]!r}",
                                        "weights for every column of y")
            weights = weights[columns]
    if isinstance(weights, (pd.Series, pd.DataFrame)):
        weights = weights.to_numpy(dtype=float, na_value=np.nan)
    w = np.asarray(weights, dtype=float)
    if w.ndim == 1:
        w = w[:, None]
    if w.ndim != 2 or w.shape[0] != y.shape[0] or w.shape[1] not in (1, y.shape[1]):
        raise MeasureInputError(measure, f"weights of shape {np.shape(weights)}",
                                f"weights of shape ({y.shape[0]},) or {y.shape}")
    return w


def _first(bad: np.ndarray, values: np.ndarray, rows: pd.Index | None, columns: pd.Index | None,
           one_d: bool) -> tuple[object, object, float]:
    """Row label (or position), column label (or position) and value of the first True of ``bad``."""
    i, j = np.argwhere(bad)[0]
    column = None if one_d else (columns[j] if columns is not None else int(j))
    return (rows[i] if rows is not None else int(i)), column, float(values[i, j if values.shape[1] > 1 else 0])


def _prepare(y: Any, weights: Any, *, nan: str, domain: str, measure: str) -> _Panel:
    """Validate and convert; raise at the first bad cell, naming its row and column."""
    if nan not in ("raise", "drop"):
        raise ParameterError("nan", nan, '"raise" (default) or "drop"')
    Y, rows, columns, one_d = _matrix(y, measure)
    if Y.shape[0] == 0 or Y.shape[1] == 0:
        raise MeasureInputError(measure, f"an empty table of shape {Y.shape[:1] if one_d else Y.shape}",
                                "at least 2 regions (rows) and 1 year (column)")
    W = None if weights is None else _weights(weights, Y, rows, columns, measure)
    ok, expected = _DOMAINS[domain]
    if W is not None and not (W.min() > 0 and W.max() < np.inf):  # find the first bad weight, if any
        bad = ~(W > 0) | np.isinf(W)
        if nan == "drop":
            bad &= ~np.isnan(W)  # a missing weight is dropped like a missing value
        if bad.any():
            row, column, found = _first(bad, W, rows, columns, one_d)
            hint = " (use nan='drop' to leave it out explicitly)" if np.isnan(found) else ""
            raise MeasureInputError(measure, found, f"a finite weight > 0 (e.g. population){hint}",
                                    row=row, column=column)
    if nan == "drop":
        missing = np.isnan(Y) if W is None else np.isnan(Y) | np.isnan(W)
        if missing.any():
            W = np.where(missing, 0.0, 1.0 if W is None else W)
            Y = np.where(missing, 1.0, Y)
    # fast path: a global min/max per matrix; the slow search below only runs when something is wrong
    if not (ok(Y.min()) and Y.max() < np.inf):
        bad = np.isnan(Y)
        what = "a number (use nan='drop' to leave missing values out explicitly)"
        if not bad.any():
            bad, what = ~(ok(Y) & np.isfinite(Y)), f"a finite number, {expected}"
        row, column, found = _first(bad, Y, rows, columns, one_d)
        raise MeasureInputError(measure, found, what, row=row, column=column)
    panel = _Panel(Y, W, rows, columns, one_d)
    too_few = panel.count() < 2
    if too_few.any():
        j = int(np.argmax(too_few))
        column = None if one_d else (columns[j] if columns is not None else j)
        raise MeasureInputError(measure, f"{int(panel.count()[j])} region(s)", "at least 2 regions with a value",
                                column=column)
    return panel


def _wdot(w: np.ndarray | None, a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """Per column :math:`\\sum_i w_i a_{ij}` (or :math:`\\sum_i w_i a_{ij} b_{ij}`), shape (k,); ``w`` None,
    (n, 1) or (n, k). ``einsum`` makes one pass without (n, k) temporaries and, unlike a BLAS product,
    starts no threads (which stall when the other cores are busy)."""
    operands = [a] if b is None else [a, b]
    if w is None:
        spec = ",".join(["ij"] * len(operands))
    elif w.shape[1] == 1:
        spec, operands = ",".join(["i"] + ["ij"] * len(operands)), [w[:, 0], *operands]
    else:
        spec, operands = ",".join(["ij"] * (len(operands) + 1)), [w, *operands]
    return np.einsum(spec + "->j", *operands)


def _wsum(p: _Panel, a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """:func:`_wdot` with the panel's weights."""
    return _wdot(p.w, a, b)


def _population(p: _Panel) -> np.ndarray:
    """Total weight per column, shape (k,)."""
    if p.w is None:
        return np.full(p.y.shape[1], float(p.y.shape[0]))
    return np.broadcast_to(p.w.sum(axis=0), (p.y.shape[1],))


def _mean(p: _Panel) -> np.ndarray:
    """(Weighted) mean per column, shape (k,)."""
    return _wsum(p, p.y) / _population(p)


def _sorted_rows(p: _Panel) -> tuple[np.ndarray, np.ndarray]:
    """Values and weights sorted by value within each column, transposed to (k, n): one contiguous row
    per column, the fastest layout for sorting and cumulative sums."""
    yt = p.y.T.copy(order="C")
    order = np.argsort(yt, axis=1)
    ys = np.take_along_axis(yt, order, axis=1)
    if p.w is None:
        return ys, np.ones_like(ys)
    if p.w.shape[1] == 1:
        return ys, p.w[:, 0][order]
    return ys, np.take_along_axis(p.w.T, order, axis=1)


def _no_zero_mean(p: _Panel, mean: np.ndarray, measure: str) -> None:
    if np.any(mean <= 0):
        j = int(np.argmax(mean <= 0))
        column = None if p.one_d else (p.columns[j] if p.columns is not None else j)
        raise MeasureInputError(measure, "all values 0", "at least one value > 0", column=column)


# ---------------------------------------------------------------------------------------------
# Measures
# ---------------------------------------------------------------------------------------------

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
        raise ParameterError("weights", "population weights with variant='oecd'",
                             "no weights: the OECD regional Gini counts each region once")
    p = _prepare(y, weights, nan=nan, domain="nonnegative", measure="gini")
    if p.w is None:
        s = p.y.T.copy(order="C")  # one row per column: sorting contiguous rows is the fastest layout
        s.sort(axis=1)
        n = s.shape[1]
        total = s.sum(axis=1)
        _no_zero_mean(p, total, "gini")
        g = np.einsum("ij,j->i", s, np.arange(1 - n, n, 2, dtype=float)) / (n * total)
    else:
        ys, ws = _sorted_rows(p)
        wy = ws * ys
        total = wy.sum(axis=1)
        _no_zero_mean(p, total, "gini")
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
    p = _prepare(y, weights, nan=nan, domain="positive", measure="theil")
    return p.out(_entropy("theil", p)[0])


def _entropy(kind: str, p: _Panel, codes: np.ndarray | None = None,
             n_groups: int = 0) -> tuple[np.ndarray, np.ndarray | None]:
    """Theil T = Σ w_i y_i ln(y_i/μ) / (P μ) or MLD L = Σ w_i ln(μ/y_i) / P per column and, given group
    ``codes``, the group sums of w_i y_i ln y_i (Theil) or w_i ln y_i (MLD), shape (G, k).

    One pass over blocks of rows small enough to stay in the processor cache: the (n, k) temporaries
    of a whole-array version cost more (memory traffic, page faults) than the arithmetic."""
    n, k = p.y.shape
    mu = _mean(p)
    log_mu = np.log(mu)
    rows = max(64, 65536 // k)
    log_y, dev = np.empty((min(rows, n), k)), np.empty((min(rows, n), k))
    total = np.zeros(k)
    groups = None if codes is None else np.zeros((n_groups, k))
    for start in range(0, n, rows):
        y = p.y[start:start + rows]
        w = None if p.w is None else p.w[start:start + rows]
        size = len(y)
        ln = np.log(y, out=log_y[:size])
        d = np.subtract(ln, log_mu, out=dev[:size])  # ln(y_i/μ)
        total += _wdot(w, y, d) if kind == "theil" else _wdot(w, d)
        if groups is not None:
            terms = np.multiply(ln, y, out=ln) if kind == "theil" else ln
            if w is not None:
                terms = np.multiply(terms, w, out=terms)
            groups += _indicator(codes[start:start + rows], n_groups) @ terms
    total = total / (_population(p) * mu) if kind == "theil" else -total / _population(p)
    return total, groups


def mld(y: Any, weights: Any = None, *, nan: Nan = "raise") -> Any:
    r"""Mean log deviation, Theil L, generalised entropy GE(0) (Theil 1967; Shorrocks 1980).

    .. math:: L = \sum_i \frac{p_i}{P}\,\ln\frac{\mu}{y_i}

    Values must be > 0.

    >>> round(mld([1, 1, 1, 5]), 6)
    0.290788
    """
    p = _prepare(y, weights, nan=nan, domain="positive", measure="mld")
    return p.out(_entropy("mld", p)[0])


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
    p = _prepare(y, weights, nan=nan, domain="positive", measure="atkinson")
    mu, pop = _mean(p), _population(p)
    if epsilon == 1:
        ede = np.exp(_wsum(p, np.log(p.y)) / pop)
    else:
        ede = (_wsum(p, p.y ** (1.0 - epsilon)) / pop) ** (1.0 / (1.0 - epsilon))
    return p.out(1.0 - ede / mu)


def cv(y: Any, weights: Any = None, *, nan: Nan = "raise") -> Any:
    r"""Coefficient of variation, :math:`CV = \sigma/\mu` with :math:`\sigma^2 = \sum_i \frac{p_i}{P}(y_i-\mu)^2`
    (population standard deviation, no degrees-of-freedom correction). Values must be >= 0.

    >>> round(cv([1, 2, 3, 4]), 6)
    0.447214
    """
    p = _prepare(y, weights, nan=nan, domain="nonnegative", measure="cv")
    return p.out(_cv(p, "cv"))


def _cv(p: _Panel, measure: str) -> np.ndarray:
    mu = _mean(p)
    _no_zero_mean(p, mu, measure)
    dev = p.y - mu
    return np.sqrt(_wsum(p, dev, dev) / _population(p)) / mu


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
    p = _prepare(y, weights, nan=nan, domain="nonnegative", measure="williamson")
    return p.out(_cv(p, "williamson"))


def max_min_ratio(y: Any, *, nan: Nan = "raise") -> Any:
    """Ratio of the highest to the lowest regional value (OECD "regional range" as a ratio). Values > 0.

    >>> max_min_ratio([2, 5, 8])
    4.0
    """
    p = _prepare(y, None, nan=nan, domain="positive", measure="max_min_ratio")
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
    p = _prepare(y, weights, nan=nan, domain="positive", measure="top_bottom_ratio")
    ys, ws = _sorted_rows(p)
    upper = np.cumsum(ws, axis=1)
    upper /= upper[:, -1:]  # cumulative population share F_i
    lower = upper - ws / ws.sum(axis=1, keepdims=True)  # F_{i-1}
    bottom = np.clip(np.minimum(upper, share) - lower, 0.0, None)  # part of region i in [0, share]
    top = np.clip(upper - np.maximum(lower, 1.0 - share), 0.0, None)  # part in [1 - share, 1]
    return p.out(np.einsum("ij,ij->i", top, ys) / np.einsum("ij,ij->i", bottom, ys))


# ---------------------------------------------------------------------------------------------
# Decomposition by groups (Shorrocks 1980)
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decomposition:
    """Between/within decomposition of a generalised-entropy index.

    ``total``, ``between``, ``within``: floats for 1-D input, one value per column otherwise.
    ``groups``: one row per group (and column): ``group``, ``population_share`` :math:`P_g`,
    ``income_share`` :math:`S_g` (share of :math:`\\sum p_i y_i`), ``mean`` (group mean),
    ``within`` (the index computed inside the group alone), ``contribution`` (its weighted part of
    ``within``: :math:`S_g T_g` for Theil, :math:`P_g L_g` for MLD) and ``between_term`` (the group's
    term of ``between``).
    """

    measure: str
    total: Any
    between: Any
    within: Any
    groups: pd.DataFrame

    @property
    def between_share(self) -> Any:
        """Between-group part as a share of the total."""
        return self.between / self.total


def _codes(groups: Any, p: _Panel, measure: str) -> tuple[np.ndarray, pd.Index]:
    if isinstance(groups, pd.Series) and p.rows is not None:
        groups = _align(groups, p.rows, "group", measure)
    labels = groups.to_numpy() if isinstance(groups, pd.Series) else np.asarray(groups).reshape(-1)
    if len(labels) != p.y.shape[0]:
        raise MeasureInputError(measure, f"{len(labels)} group labels", f"{p.y.shape[0]} (one per region)")
    codes, uniques = pd.factorize(labels, sort=True)
    if (codes < 0).any():
        i = int(np.argmax(codes < 0))
        raise MeasureInputError(measure, "a missing group label", "a group for every region",
                                row=p.rows[i] if p.rows is not None else i)
    return codes, pd.Index(uniques, name="group")


def _indicator(codes: np.ndarray, n_groups: int) -> Any:
    """Sparse (groups × regions) 0/1 matrix: ``_indicator(c, G) @ x`` sums the rows of ``x`` per group."""
    from scipy import sparse

    n = len(codes)  # column j holds a single 1 in row codes[j]: CSC arrays written directly, no conversion
    return sparse.csc_matrix((np.ones(n), codes, np.arange(n + 1)), shape=(n_groups, n))


def _group_parts(p: _Panel, member: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group population P_g, group total S_g = Σ p_i y_i (both (G, k)) and the group means μ_g
    (1.0 for a group with no region in a column, which then carries zero weight)."""
    if p.w is None:
        weight, amount = np.asarray(member.sum(axis=1)), member @ p.y
    else:
        weight, amount = member @ p.w, member @ (p.w * p.y)
    weight = np.broadcast_to(weight, amount.shape)
    mean = np.divide(amount, weight, out=np.ones_like(amount), where=weight > 0)
    return weight, amount, mean


def _between(kind: str, weight: np.ndarray, amount: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Per-group between terms (G, k): Theil :math:`S_g\\ln(\\mu_g/\\mu)`, MLD :math:`P_g\\ln(\\mu/\\mu_g)`."""
    pop, inc = weight / weight.sum(axis=0), amount / amount.sum(axis=0)
    log_ratio = np.log(mean / (amount.sum(axis=0) / weight.sum(axis=0)))
    return inc * log_ratio if kind == "theil" else -pop * log_ratio


def _decompose(kind: str, y: Any, groups: Any, weights: Any, nan: str) -> Decomposition:
    measure = f"{kind}_decomposition"
    p = _prepare(y, weights, nan=nan, domain="positive", measure=measure)
    codes, labels = _codes(groups, p, measure)
    member = _indicator(codes, len(labels))
    weight, amount, mean = _group_parts(p, member)
    # total: all regions around the overall mean μ. Within each group g: the group's own regions around
    # the group's own mean μ_g (never total − between):
    #   Theil T_g = Σ_{i∈g} w_i y_i ln y_i / S_g − ln μ_g        MLD L_g = ln μ_g − Σ_{i∈g} w_i ln y_i / P_g
    total, sums = _entropy(kind, p, codes, len(labels))
    present = weight > 0
    per_group = np.divide(sums, amount if kind == "theil" else weight, out=np.zeros(weight.shape), where=present)
    inside = np.where(present, per_group - np.log(mean) if kind == "theil" else np.log(mean) - per_group, np.nan)
    pop_share, inc_share = weight / weight.sum(axis=0), amount / amount.sum(axis=0)
    contribution = np.where(present, (inc_share if kind == "theil" else pop_share) * np.nan_to_num(inside), 0.0)
    between_terms = np.where(present, _between(kind, weight, amount, mean), 0.0)
    table = pd.DataFrame({
        "group": np.repeat(labels.to_numpy(), p.y.shape[1]),
        "population_share": pop_share.reshape(-1), "income_share": inc_share.reshape(-1),
        "mean": np.where(present, mean, np.nan).reshape(-1), "within": inside.reshape(-1),
        "contribution": contribution.reshape(-1), "between_term": between_terms.reshape(-1),
    })
    if not p.one_d:
        columns = p.columns if p.columns is not None else pd.RangeIndex(p.y.shape[1])
        table.insert(1, "column", np.tile(columns.to_numpy(), len(labels)))
    return Decomposition(kind, p.out(total), p.out(between_terms.sum(axis=0)),
                         p.out(contribution.sum(axis=0)), table)


def theil_decomposition(y: Any, groups: Any, weights: Any = None, *, nan: Nan = "raise") -> Decomposition:
    r"""Theil T split into between- and within-group parts (Theil 1967; Shorrocks 1980).

    .. math:: T = \underbrace{\sum_g S_g \ln\frac{S_g}{P_g}}_{\text{between}}
              + \underbrace{\sum_g S_g T_g}_{\text{within}}

    :math:`P_g` is group *g*'s population share, :math:`S_g` its share of :math:`\sum p_i y_i`, and
    :math:`T_g` the Theil index of the group's own regions around the group mean, computed region by
    region within each group (``within`` is never ``total - between``; the tests check the sum against
    the total and each :math:`T_g` against :func:`theil` of that group alone).
    ``groups``: one label per region (array or Series aligned by index), e.g. the oblast of each rayon.

    >>> d = theil_decomposition([1, 1, 4, 4], ["a", "a", "b", "b"])
    >>> round(d.between, 6), abs(d.within) < 1e-15
    (0.192745, True)
    """
    return _decompose("theil", y, groups, weights, nan)


def mld_decomposition(y: Any, groups: Any, weights: Any = None, *, nan: Nan = "raise") -> Decomposition:
    r"""Mean log deviation split into between- and within-group parts (Shorrocks 1980).

    .. math:: L = \sum_g P_g \ln\frac{\mu}{\mu_g} + \sum_g P_g L_g

    Same conventions as :func:`theil_decomposition`; contributions are :math:`P_g L_g`.
    """
    return _decompose("mld", y, groups, weights, nan)


# ---------------------------------------------------------------------------------------------
# Inference
# ---------------------------------------------------------------------------------------------

def _generator(rng: Any) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise ParameterError("rng", rng, "a numpy.random.Generator or an integer seed (results must be reproducible)")


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


def bootstrap_ci(measure: Callable[..., Any], y: Any, weights: Any = None, *, rng: Any, n: int = 1999,
                 level: float = 0.95, **kwargs: Any) -> BootstrapCI:
    """Percentile bootstrap confidence interval for any measure of this module (Efron & Tibshirani 1993, ch. 13).

    Regions (rows) are resampled with replacement, each keeping its weight; every column uses the
    same draw. ``measure`` is called as ``measure(y_b, weights=w_b, **kwargs)`` (``weights`` left out
    when None), so it must depend on the regions' values and weights only (for a decomposition, resample
    the groups too in your own loop). Pass ``rng`` (a ``numpy.random.Generator`` or an integer seed).
    With few regions (e.g. 9 oblasts) the interval is wide and rough: report it as such.
    """
    gen = _generator(rng)
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise ParameterError("n", n, "a positive number of bootstrap samples, e.g. 1999")
    if not (0 < level < 1):
        raise ParameterError("level", level, "a confidence level in (0, 1), e.g. 0.95")

    def call(a: Any, w: Any) -> np.ndarray:
        out = measure(a, **kwargs) if w is None else measure(a, weights=w, **kwargs)
        return np.asarray(out, dtype=float)

    estimate = measure(y, **kwargs) if weights is None else measure(y, weights=weights, **kwargs)
    Y, rows, columns, one_d = _matrix(y, getattr(measure, "__name__", "measure"))
    W = None if weights is None else _weights(weights, Y, rows, columns, "bootstrap_ci")
    draws = gen.integers(0, Y.shape[0], size=(n, Y.shape[0]))
    reps = np.full((n, Y.shape[1]), np.nan)
    failed = 0
    for b, d in enumerate(draws):
        try:  # the data themselves passed above: a failure here is this draw's, not the input's
            reps[b] = call(Y[d, 0] if one_d else Y[d],
                           None if W is None else (W[d, 0] if W.shape[1] == 1 else W[d]))
        except MeasureInputError:
            failed += 1
    alpha = (1.0 - level) / 2.0
    if failed == n:
        low = high = np.full(Y.shape[1], np.nan)
    else:
        low, high = np.nanquantile(reps, [alpha, 1.0 - alpha], axis=0)
    wrap = _Panel(Y, None, rows, columns, one_d).out
    return BootstrapCI(estimate, wrap(low), wrap(high), float(level), reps[:, 0] if one_d else reps, failed)


@dataclass(frozen=True)
class PermutationTest:
    """Observed between-group share, its permutation p-value (:math:`(1 + \\#\\{b \\ge b_{obs}\\})/(n + 1)`)
    and the permuted shares."""

    observed: Any
    p_value: Any
    permutations: int
    simulated: np.ndarray


def between_share_test(y: Any, groups: Any, weights: Any = None, *, rng: Any, n: int = 999,
                       measure: str = "theil", nan: Nan = "raise") -> PermutationTest:
    """Is the between-group share larger than if regions were assigned to groups at random?

    Group labels are permuted over the regions (each region keeps its value and weight, so the total
    index is unchanged); the one-sided p-value counts permutations with a share at least as large as
    observed, plus one (Rey & Sastré-Gutiérrez 2010 use the same test with global seeding; here the
    ``rng`` Generator or seed is required). With ``nan="drop"`` a region missing in one column stays
    out of that column in every permutation.
    """
    if measure not in ("theil", "mld"):
        raise ParameterError("measure", measure, '"theil" or "mld"')
    gen = _generator(rng)
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise ParameterError("n", n, "a positive number of permutations, e.g. 999")
    d = _decompose(measure, y, groups, weights, nan)
    p = _prepare(y, weights, nan=nan, domain="positive", measure="between_share_test")
    codes, labels = _codes(groups, p, "between_share_test")
    total = np.asarray(d.total, dtype=float).reshape(-1)
    observed = np.asarray(d.between, dtype=float).reshape(-1) / total
    sims = np.empty((n, p.y.shape[1]))
    for b in range(n):
        parts = _group_parts(p, _indicator(gen.permutation(codes), len(labels)))
        sims[b] = _between(measure, *parts).sum(axis=0) / total
    # a tolerance so that permutations equal to the observed split up to rounding count as "as large"
    hits = (sims >= observed - 1e-12 * np.abs(observed)).sum(axis=0)
    wrap = p.out
    return PermutationTest(wrap(observed), wrap((hits + 1.0) / (n + 1.0)), int(n), sims[:, 0] if p.one_d else sims)
