"""Was LSG consulted, and in time? Load and validate a consultation register; compute the usage indicators.

Public API (``lsg_analysis.analysis.consultations``):

* :func:`load_register` — a register (CSV or XLSX) -> validated DataFrame, or :class:`RegisterError` listing
  every bad cell at once (nothing half-imported).
* :func:`load_shipped_register` — the project's three coded registers (129 real rows), with a ``batch`` column and
  the dated, sourced updates of ``register_3_updates.csv`` applied (:func:`read_updates`, :func:`apply_updates`).
* :func:`usage_rates` — the indicators of ``indicators.csv`` (I01–I11, C01) plus ``P01`` (public record of LSG
  consultation), overall or by year / drafting body / act type / LSG competence area, with n, the share and the
  bounds the unknowns allow (:func:`unknown_bounds`); Wilson 95 % CIs only for a register declared a census or a
  random sample (``register_sampling``, :func:`declared_sampling`).
* :func:`write_template` — the XLSX entry template (see :mod:`lsg_analysis.analysis.register_template`).
* :func:`legal_regime`, :func:`legal_min_days`, :func:`portal_start_date`, :func:`wilson_interval`.

Rules that matter (indicators.csv): ``unknown`` is never ``no`` — it leaves numerator AND denominator; a rate is
suppressed when fewer than 10 rows are known or more than half are unknown. LSG bodies' own drafts
(``act_type = local_council_decision``) are excluded from every state-to-LSG rate. The legal minimum
public-discussion period is unverified, so timeliness against "the law" is not computed; the median length
and labelled scenarios are reported instead.
"""

from __future__ import annotations

from pathlib import Path

from lsg_analysis.analysis.register_read import RegisterError
from lsg_analysis.analysis.register_schema import GROUPINGS, SAMPLED, SAMPLING
from lsg_analysis.analysis.consultations.indicators import Mask, Spec, Z95, specs, unknown_bounds, wilson_interval
from lsg_analysis.analysis.consultations.updates import Update, apply_updates, read_updates
from lsg_analysis.analysis.consultations.legal import legal_min_days, legal_regime, portal_start_date
from lsg_analysis.analysis.consultations.rates import (
    C01_CATEGORIES,
    C01_NAMES,
    MAX_UNKNOWN_SHARE,
    MIN_KNOWN,
    NOT_RANDOM,
    SMALL_N,
    usage_rates,
)
from lsg_analysis.analysis.consultations.register import (
    LSG_OWN,
    PERIOD_DATE_ORDER,
    REGIME_DATE_ORDER,
    declared_sampling,
    load_register,
    load_shipped_register,
    state_drafts,
)

__all__ = [
    "C01_CATEGORIES",
    "C01_NAMES",
    "GROUPINGS",
    "LSG_OWN",
    "MAX_UNKNOWN_SHARE",
    "MIN_KNOWN",
    "Mask",
    "NOT_RANDOM",
    "PERIOD_DATE_ORDER",
    "REGIME_DATE_ORDER",
    "RegisterError",
    "SAMPLED",
    "SAMPLING",
    "SMALL_N",
    "Spec",
    "Update",
    "Z95",
    "apply_updates",
    "declared_sampling",
    "legal_min_days",
    "legal_regime",
    "load_register",
    "load_shipped_register",
    "portal_start_date",
    "read_updates",
    "specs",
    "state_drafts",
    "unknown_bounds",
    "usage_rates",
    "wilson_interval",
    "write_template",
]


def write_template(path: str | Path) -> Path:
    """Write the XLSX entry template (see :func:`lsg_analysis.analysis.register_template.write_template`)."""
    from lsg_analysis.analysis.register_template import write_template as _write

    return _write(path)
