r"""How much of the inequality lies between groups of regions (north/south, oblasts) and how much within them?
Theil T and MLD decompositions; within is summed group by group, never taken as total − between.

Reference: Shorrocks (1980) Econometrica 48(3):613–625.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lsg_analysis.measures.inequality import entropy_sums
from lsg_analysis.core.errors import ParameterError
from lsg_analysis.core.rng import generator
from lsg_analysis.measures.panel import MeasureInputError, Nan, Panel, align, group_indicator, prepare


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


def _codes(groups: Any, p: Panel, measure: str) -> tuple[np.ndarray, pd.Index]:
    if isinstance(groups, pd.Series) and p.rows is not None:
        groups = align(groups, p.rows, "group", measure)
    labels = groups.to_numpy() if isinstance(groups, pd.Series) else np.asarray(groups).reshape(-1)
    if len(labels) != p.y.shape[0]:
        raise MeasureInputError(measure, f"{len(labels)} group labels", f"{p.y.shape[0]} (one per region)")
    codes, uniques = pd.factorize(labels, sort=True)
    if (codes < 0).any():
        i = int(np.argmax(codes < 0))
        raise MeasureInputError(
            measure, "a missing group label", "a group for every region", row=p.rows[i] if p.rows is not None else i
        )
    return codes, pd.Index(uniques, name="group")


def _group_parts(p: Panel, member: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    p = prepare(y, weights, nan=nan, domain="positive", measure=measure)
    codes, labels = _codes(groups, p, measure)
    member = group_indicator(codes, len(labels))
    weight, amount, mean = _group_parts(p, member)
    # total: all regions around the overall mean μ. Within each group g: the group's own regions around
    # the group's own mean μ_g (never total − between):
    #   Theil T_g = Σ_{i∈g} w_i y_i ln y_i / S_g − ln μ_g        MLD L_g = ln μ_g − Σ_{i∈g} w_i ln y_i / P_g
    total, sums = entropy_sums(kind, p, codes, len(labels))
    present = weight > 0
    per_group = np.divide(sums, amount if kind == "theil" else weight, out=np.zeros(weight.shape), where=present)
    inside = np.where(present, per_group - np.log(mean) if kind == "theil" else np.log(mean) - per_group, np.nan)
    pop_share, inc_share = weight / weight.sum(axis=0), amount / amount.sum(axis=0)
    contribution = np.where(present, (inc_share if kind == "theil" else pop_share) * np.nan_to_num(inside), 0.0)
    between_terms = np.where(present, _between(kind, weight, amount, mean), 0.0)
    table = pd.DataFrame(
        {
            "group": np.repeat(labels.to_numpy(), p.y.shape[1]),
            "population_share": pop_share.reshape(-1),
            "income_share": inc_share.reshape(-1),
            "mean": np.where(present, mean, np.nan).reshape(-1),
            "within": inside.reshape(-1),
            "contribution": contribution.reshape(-1),
            "between_term": between_terms.reshape(-1),
        }
    )
    if not p.one_d:
        columns = p.columns if p.columns is not None else pd.RangeIndex(p.y.shape[1])
        table.insert(1, "column", np.tile(columns.to_numpy(), len(labels)))
    return Decomposition(kind, p.out(total), p.out(between_terms.sum(axis=0)), p.out(contribution.sum(axis=0)), table)


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


@dataclass(frozen=True)
class PermutationTest:
    """Observed between-group share, its permutation p-value (:math:`(1 + \\#\\{b \\ge b_{obs}\\})/(n + 1)`)
    and the permuted shares."""

    observed: Any
    p_value: Any
    permutations: int
    simulated: np.ndarray


def between_share_test(
    y: Any, groups: Any, weights: Any = None, *, rng: Any, n: int = 999, measure: str = "theil", nan: Nan = "raise"
) -> PermutationTest:
    """Is the between-group share larger than if regions were assigned to groups at random?

    Group labels are permuted over the regions (each region keeps its value and weight, so the total
    index is unchanged); the one-sided p-value counts permutations with a share at least as large as
    observed, plus one (Rey & Sastré-Gutiérrez 2010 use the same test with global seeding; here the
    ``rng`` Generator or seed is required). With ``nan="drop"`` a region missing in one column stays
    out of that column in every permutation.
    """
    if measure not in ("theil", "mld"):
        raise ParameterError("measure", measure, '"theil" or "mld"')
    gen = generator(rng)
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise ParameterError("n", n, "a positive number of permutations, e.g. 999")
    d = _decompose(measure, y, groups, weights, nan)
    p = prepare(y, weights, nan=nan, domain="positive", measure="between_share_test")
    codes, labels = _codes(groups, p, "between_share_test")
    total = np.asarray(d.total, dtype=float).reshape(-1)
    observed = np.asarray(d.between, dtype=float).reshape(-1) / total
    sims = np.empty((n, p.y.shape[1]))
    for b in range(n):
        parts = _group_parts(p, group_indicator(gen.permutation(codes), len(labels)))
        sims[b] = _between(measure, *parts).sum(axis=0) / total
    # a tolerance so that permutations equal to the observed split up to rounding count as "as large"
    hits = (sims >= observed - 1e-12 * np.abs(observed)).sum(axis=0)
    wrap = p.out
    return PermutationTest(wrap(observed), wrap((hits + 1.0) / (n + 1.0)), int(n), sims[:, 0] if p.one_d else sims)
