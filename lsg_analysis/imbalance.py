"""Stable public path ``lsg_analysis.imbalance``: the inequality measures, their decomposition and inference
(:mod:`lsg_analysis.measures.inequality`, ``.decomposition``, ``.inference``; docs/architecture.md, "Public API")."""

from lsg_analysis.measures.decomposition import (
    Decomposition,
    PermutationTest,
    between_share_test,
    mld_decomposition,
    theil_decomposition,
)
from lsg_analysis.measures.inequality import atkinson, cv, gini, max_min_ratio, mld, theil, top_bottom_ratio, williamson
from lsg_analysis.measures.inference import BootstrapCI, bootstrap_ci
from lsg_analysis.measures.panel import MeasureInputError

__all__ = [
    "MeasureInputError",
    "gini",
    "theil",
    "mld",
    "atkinson",
    "williamson",
    "cv",
    "max_min_ratio",
    "top_bottom_ratio",
    "Decomposition",
    "theil_decomposition",
    "mld_decomposition",
    "BootstrapCI",
    "bootstrap_ci",
    "PermutationTest",
    "between_share_test",
]
