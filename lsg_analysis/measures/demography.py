r"""How fast does a population change? The pure demographic formulas: growth rate, natural increase and crude
rates per 1 000 (numbers in, a number out; no tables, no series rules — those are in
:mod:`lsg_analysis.analysis.migration`).

* average annual growth over :math:`t_0 \to t_1`: :math:`r = (P_{t_1}/P_{t_0})^{1/(t_1-t_0)} - 1` (× 100, %);
* natural increase :math:`NI_t = B_t - D_t`;
* crude rate per 1 000 mean population :math:`\bar P_t = (P_t + P_{t+1})/2`: :math:`1000\,x/\bar P_t`.

Reference: Preston, Heuveline & Guillot (2001), *Demography*, ch. 1 (growth rates, crude rates).
"""

from __future__ import annotations

import numpy as np

from lsg_analysis.core.errors import LsgError, ParameterError


class DemographyInputError(LsgError):
    """Input that a demographic measure cannot take: says what, where and what was expected
    (``lsg_analysis.analysis.migration.MigrationInputError`` is this class)."""


def growth_rate(p0: float, p1: float, years: int) -> float:
    """Average annual growth in %: :math:`((p_1/p_0)^{1/years} - 1) \\times 100`.

    >>> round(growth_rate(100.0, 121.0, 2), 6)
    10.0
    """
    if years <= 0:
        raise ParameterError("years", years, "a positive number of years")
    for label, p in (("p0", p0), ("p1", p1)):
        if p is None or not np.isfinite(p) or p <= 0:
            raise DemographyInputError(
                f"growth rate: population {label} = {p!r}; expected a positive number "
                f"(a missing population cannot give a rate)"
            )
    return ((p1 / p0) ** (1.0 / years) - 1.0) * 100.0


def rate_per_1000(events: float, pop_from: float, pop_to: float) -> float:
    r"""Crude rate per 1 000 mean population: :math:`1000\,x / ((P_t + P_{t+1})/2)` (all in persons).

    >>> rate_per_1000(-50.0, 9_900.0, 10_100.0)
    -5.0
    """
    for label, p in (("pop_from", pop_from), ("pop_to", pop_to)):
        if p is None or not np.isfinite(p) or p <= 0:
            raise DemographyInputError(
                f"rate per 1000: {label} = {p!r}; expected a positive population "
                f"(persons) — a missing population cannot give a rate"
            )
    return 1000.0 * events / ((pop_from + pop_to) / 2.0)


def natural_increase(births: float, deaths: float) -> float:
    """:math:`B - D`; negative counts are an error.

    >>> natural_increase(150_164, 38_875)
    111289
    """
    for label, x in (("births", births), ("deaths", deaths)):
        if x is None or not np.isfinite(x) or x < 0:
            raise DemographyInputError(f"natural increase: {label} = {x!r}; expected a non-negative count")
    return births - deaths
