r"""What may a measure take? The one input layer of every inequality measure: ``y`` and ``weights`` as checked
float matrices (:class:`Panel`), with the weighted sums the measures share.

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
from typing import Any, Literal

import numpy as np
import pandas as pd

from lsg_analysis.core.errors import LsgError, ParameterError

Nan = Literal["raise", "drop"]


class MeasureInputError(LsgError):
    """Input that a measure cannot take: names the measure, column, row and what was expected."""

    def __init__(
        self, measure: str, found: object, expected: str, *, row: object = None, column: object = None
    ) -> None:
        self.measure, self.found, self.expected, self.row, self.column = measure, found, expected, row, column
        where = [measure]
        if column is not None:
            where.append(f"column {column!r}")
        if row is not None:
            where.append(f"row {row!r}")
        super().__init__(f"{', '.join(where)}: found {found!r}; expected {expected}")


_DOMAINS = {
    "positive": (lambda v: v > 0, "a value > 0"),
    "nonnegative": (lambda v: v >= 0, "a value >= 0"),
}


@dataclass(frozen=True)
class Panel:
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


def as_matrix(y: Any, measure: str) -> tuple[np.ndarray, pd.Index | None, pd.Index | None, bool]:
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
        raise MeasureInputError(measure, f"an array with {y.ndim} dimensions", "1-D (regions) or 2-D (regions × years)")
    one_d = y.ndim == 1
    return (y[:, None] if one_d else y), rows, columns, one_d


def align(obj: Any, rows: pd.Index, what: str, measure: str) -> Any:
    """``obj`` (Series/DataFrame) reordered to the region labels of ``y``; unique labels required."""
    for labels, whose in ((rows, "y"), (obj.index, f"the {what}s")):
        if labels.has_duplicates:
            raise MeasureInputError(
                measure,
                f"region {labels[labels.duplicated()][0]!r} twice in {whose}",
                f"unique region labels (the {what}s are matched to y by label)",
            )
    missing = rows.difference(obj.index)
    if len(missing):
        raise MeasureInputError(
            measure, f"no {what} for region {missing[0]!r}", f"a {what} for every region of y (matched by label)"
        )
    return obj.reindex(rows)


def as_weights(
    weights: Any, y: np.ndarray, rows: pd.Index | None, columns: pd.Index | None, measure: str
) -> np.ndarray:
    if isinstance(weights, (pd.Series, pd.DataFrame)) and rows is not None:
        weights = align(weights, rows, "weight", measure)
        if isinstance(weights, pd.DataFrame) and columns is not None:
            gone = columns.difference(weights.columns)
            if len(gone):
                raise MeasureInputError(measure, f"no weights for column {gone[0]!r}", "weights for every column of y")
            weights = weights[columns]
    if isinstance(weights, (pd.Series, pd.DataFrame)):
        weights = weights.to_numpy(dtype=float, na_value=np.nan)
    w = np.asarray(weights, dtype=float)
    if w.ndim == 1:
        w = w[:, None]
    if w.ndim != 2 or w.shape[0] != y.shape[0] or w.shape[1] not in (1, y.shape[1]):
        raise MeasureInputError(
            measure, f"weights of shape {np.shape(weights)}", f"weights of shape ({y.shape[0]},) or {y.shape}"
        )
    return w


def _first(
    bad: np.ndarray, values: np.ndarray, rows: pd.Index | None, columns: pd.Index | None, one_d: bool
) -> tuple[object, object, float]:
    """Row label (or position), column label (or position) and value of the first True of ``bad``."""
    i, j = np.argwhere(bad)[0]
    column = None if one_d else (columns[j] if columns is not None else int(j))
    return (rows[i] if rows is not None else int(i)), column, float(values[i, j if values.shape[1] > 1 else 0])


def prepare(y: Any, weights: Any, *, nan: str, domain: str, measure: str) -> Panel:
    """Validate and convert; raise at the first bad cell, naming its row and column."""
    if nan not in ("raise", "drop"):
        raise ParameterError("nan", nan, '"raise" (default) or "drop"')
    Y, rows, columns, one_d = as_matrix(y, measure)
    if Y.shape[0] == 0 or Y.shape[1] == 0:
        raise MeasureInputError(
            measure,
            f"an empty table of shape {Y.shape[:1] if one_d else Y.shape}",
            "at least 2 regions (rows) and 1 year (column)",
        )
    W = None if weights is None else as_weights(weights, Y, rows, columns, measure)
    ok, expected = _DOMAINS[domain]
    if W is not None and not (W.min() > 0 and W.max() < np.inf):  # find the first bad weight, if any
        bad = ~(W > 0) | np.isinf(W)
        if nan == "drop":
            bad &= ~np.isnan(W)  # a missing weight is dropped like a missing value
        if bad.any():
            row, column, found = _first(bad, W, rows, columns, one_d)
            hint = " (use nan='drop' to leave it out explicitly)" if np.isnan(found) else ""
            raise MeasureInputError(
                measure, found, f"a finite weight > 0 (e.g. population){hint}", row=row, column=column
            )
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
    panel = Panel(Y, W, rows, columns, one_d)
    too_few = panel.count() < 2
    if too_few.any():
        j = int(np.argmax(too_few))
        column = None if one_d else (columns[j] if columns is not None else j)
        raise MeasureInputError(
            measure, f"{int(panel.count()[j])} region(s)", "at least 2 regions with a value", column=column
        )
    return panel


def wdot(w: np.ndarray | None, a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
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


def wsum(p: Panel, a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """:func:`wdot` with the panel's weights."""
    return wdot(p.w, a, b)


def population(p: Panel) -> np.ndarray:
    """Total weight per column, shape (k,)."""
    if p.w is None:
        return np.full(p.y.shape[1], float(p.y.shape[0]))
    return np.broadcast_to(p.w.sum(axis=0), (p.y.shape[1],))


def mean(p: Panel) -> np.ndarray:
    """(Weighted) mean per column, shape (k,)."""
    return wsum(p, p.y) / population(p)


def sorted_rows(p: Panel) -> tuple[np.ndarray, np.ndarray]:
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


def no_zero_mean(p: Panel, mean: np.ndarray, measure: str) -> None:
    if np.any(mean <= 0):
        j = int(np.argmax(mean <= 0))
        column = None if p.one_d else (p.columns[j] if p.columns is not None else j)
        raise MeasureInputError(measure, "all values 0", "at least one value > 0", column=column)


def group_indicator(codes: np.ndarray, n_groups: int) -> Any:
    """Sparse (groups × regions) 0/1 matrix: ``group_indicator(c, G) @ x`` sums the rows of ``x`` per group."""
    from scipy import sparse

    n = len(codes)  # column j holds a single 1 in row codes[j]: CSC arrays written directly, no conversion
    return sparse.csc_matrix((np.ones(n), codes, np.arange(n + 1)), shape=(n_groups, n))
