"""How is each usage indicator defined? Wilson intervals, the bounds the unknowns allow, the masks of known answers and the 21 indicator
specs of ``indicators.csv`` (plus P01, the public record of LSG consultation).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
import numpy as np
import pandas as pd
from lsg_analysis.analysis.register_schema import (
    UNKNOWN,
    YES,
    PartialDate,
    parse_partial_date,
)
from lsg_analysis.analysis.consultations.legal import portal_start_date
from lsg_analysis.analysis.consultations.register import PERIOD_DATE_ORDER


#: Critical value of the standard normal for a two-sided 95 % interval.
Z95 = 1.959963984540054


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    r"""Wilson score interval for a proportion k/n (Wilson 1927, JASA 22:209–212), no continuity correction:

    .. math:: \frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    >>> tuple(round(x, 4) for x in wilson_interval(81, 263))   # Newcombe (1998) Stat Med 17:857, table I
    (0.2553, 0.3662)
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else centre - half  # exactly 0 / 1 at the ends (float rounding would leave ~1e-17)
    hi = 1.0 if k == n else centre + half
    return (lo, hi)


def unknown_bounds(k: int, n_unknown: int, n: int) -> tuple[float, float]:
    r"""Bounds of a share that the unknown answers allow (worst-case bounds, Manski 2003, *Partial
    Identification of Probability Distributions*, ch. 1): every unknown counted as no, and as yes,

    .. math:: \left[\frac{k}{n},\ \frac{k + u}{n}\right]

    with ``k`` known yes, ``u`` unknown, ``n`` eligible rows (known + unknown).

    >>> unknown_bounds(15, 111, 126)
    (0.11904761904761904, 1.0)
    """
    if n <= 0:
        return (math.nan, math.nan)
    return (k / n, (k + n_unknown) / n)


Mask = Callable[[pd.DataFrame], pd.Series]


def _eq(col: str, *values: str) -> Mask:
    return lambda d: d[col].isin(values).fillna(False).astype(bool)


def _known(col: str) -> Mask:
    return lambda d: (d[col].notna() & (d[col] != UNKNOWN)).fillna(False).astype(bool)


def _all(d: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=d.index)


def _sent_any(d: pd.DataFrame) -> pd.Series:
    return _eq("sent_to_lsg_bodies", YES)(d) | _eq("sent_to_lsg_association", YES)(d)


def _involved(d: pd.DataFrame) -> pd.Series:
    return _sent_any(d) | _eq("lsg_in_working_group", YES)(d)


def _all_three_no(d: pd.DataFrame) -> pd.Series:
    return (
        _eq("sent_to_lsg_bodies", "no")(d)
        & _eq("sent_to_lsg_association", "no")(d)
        & _eq("lsg_in_working_group", "no")(d)
    )


def _published(d: pd.DataFrame) -> pd.Series:
    channel = d["publication_channel"]
    return _eq("published_on_portal", YES)(d) | (channel.notna() & ~channel.isin(["none", UNKNOWN])).fillna(False)


def _publication_known(d: pd.DataFrame) -> pd.Series:
    return _eq("published_on_portal", YES)(d) | _known("publication_channel")(d)


def _bounds(d: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.Series, pd.Series]:
    """First and last possible day of the first filled date among ``columns`` (NaT when none)."""
    text = pd.Series(pd.NA, index=d.index, dtype="string")
    for c in columns:
        text = text.fillna(d[c])
    lo = pd.to_datetime(text.map(lambda s: None if pd.isna(s) else _pd(s).lo), errors="coerce")
    hi = pd.to_datetime(text.map(lambda s: None if pd.isna(s) else _pd(s).hi), errors="coerce")
    return lo, hi


def _pd(s: str) -> PartialDate:
    out = parse_partial_date(s)
    if out is None:  # the frame only holds validated dates: this is a bug, not a user error
        raise ValueError(f"unvalidated date {s!r} in a register frame")
    return out


def _portal_era(d: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(certainly on/after portal start, certainly before) by date_first_published else date_adopted."""
    start = pd.Timestamp(portal_start_date())
    lo, hi = _bounds(d, PERIOD_DATE_ORDER)
    return (lo >= start).fillna(False).astype(bool), (hi < start).fillna(False).astype(bool)


def _days(col_from: str, col_to: str) -> Callable[[pd.DataFrame], pd.Series]:
    """Calendar days between two day-precise dates (NaN otherwise)."""

    def f(d: pd.DataFrame) -> pd.Series:
        ok = (d[f"{col_from}_precision"] == "day") & (d[f"{col_to}_precision"] == "day")
        a = pd.to_datetime(d[col_from].where(ok), errors="coerce")
        b = pd.to_datetime(d[col_to].where(ok), errors="coerce")
        return (b - a).dt.days.astype("float64")

    return f


def _discussion(d: pd.DataFrame) -> pd.Series:
    return d["discussion_days"].astype("Float64").astype("float64")


@dataclass(frozen=True)
class Spec:
    """One indicator: who is eligible, who is known among them, who counts in the numerator (or a statistic)."""

    id: str
    name: str
    eligible: Mask
    known: Mask
    success: Mask | None = None
    statistic: Callable[[pd.DataFrame], float] | None = None  # for medians / means (no CI)
    counts: Callable[[pd.DataFrame], tuple[int, int]] | None = None  # (k, n) when not one row = one unit
    unit: str = "share"
    note: str = ""
    ci: bool = True
    settled: Mask | None = None  # rows whose answer is settled, for the bounds (default: ``known``)


def _median(values: Callable[[pd.DataFrame], pd.Series]) -> Callable[[pd.DataFrame], float]:
    return lambda d: float(np.median(values(d).dropna())) if values(d).notna().any() else math.nan


def _adopted_yes(d: pd.DataFrame) -> pd.Series:
    return _eq("final_act_adopted", YES)(d)


def _scenario(days: int) -> Spec:
    return Spec(
        f"I04_scenario_{days}d",
        f"Discussion lasted at least {days} days — SCENARIO, not the legal minimum",
        _all,
        lambda d: _discussion(d).notna(),
        lambda d: _discussion(d) >= days,
        note=f"scenario threshold of {days} days; the legal minimum is unverified "
        "(data/parameters/consultations/legal_min_days.csv is empty)",
    )


def _pooled(d: pd.DataFrame) -> tuple[int, int]:
    made = d["proposals_made"].astype("float64")
    acc = d["proposals_accepted"].astype("float64")
    return int(acc.sum()), int(made.sum())


def _mean_ratio(d: pd.DataFrame) -> float:
    made = d["proposals_made"].astype("float64")
    acc = d["proposals_accepted"].astype("float64")
    ok = made > 0
    return float((acc[ok] / made[ok]).mean()) if ok.any() else math.nan


def specs(scenarios: Sequence[int]) -> list[Spec]:
    """The indicators of indicators.csv in its order, plus P01, Q01 and the labelled timeliness scenarios."""
    both_counts = lambda d: (
        d["proposals_made"].notna()  # noqa: E731  (none accepted of none made)
        & (d["proposals_accepted"].notna() | (d["proposals_made"] == 0))
    ).fillna(False)
    return [
        Spec(
            "P01",
            "Public record of LSG consultation (NOT the consultation rate)",
            _all,
            _all,
            _involved,
            note="share of drafts touching LSG for which a public record of LSG consultation exists; "
            "unknown = no public record",
            settled=lambda d: _involved(d) | _all_three_no(d),
        ),
        Spec(
            "I01",
            "Publication rate",
            _eq("final_act_adopted", YES, "pending", "withdrawn"),
            _publication_known,
            _published,
        ),
        Spec(
            "I01b",
            "Portal (koomtalkuu) publication rate",
            lambda d: _eq("final_act_adopted", YES, "pending", "withdrawn")(d) & ~_portal_era(d)[1],
            lambda d: _portal_era(d)[0] & _known("published_on_portal")(d),
            _eq("published_on_portal", YES),
            note=f"drafts dated on/after portal_start_date {portal_start_date()} (EWMI; decree not read)",
        ),
        Spec("I02", "LSG consultation rate", _all, _known("sent_to_lsg_bodies"), _eq("sent_to_lsg_bodies", YES)),
        Spec(
            "I03",
            "LSG association consultation rate",
            _all,
            _known("sent_to_lsg_association"),
            _eq("sent_to_lsg_association", YES),
        ),
        Spec("I03b", "Any-LSG consultation rate", _all, lambda d: _involved(d) | _all_three_no(d), _involved),
        Spec(
            "I04",
            "Timeliness vs legal minimum discussion period",
            _all,
            lambda d: _discussion(d).notna() & d["legal_min_days_applicable"].notna().astype(bool),
            lambda d: _discussion(d) >= d["legal_min_days_applicable"].astype("float64"),
        ),
        *[_scenario(s) for s in scenarios],
        Spec(
            "I04b",
            "Median public-discussion length",
            _all,
            lambda d: _discussion(d).notna(),
            statistic=_median(_discussion),
            unit="days",
            ci=False,
        ),
        Spec(
            "I04c",
            "Median time available to LSG before adoption",
            _sent_any,
            lambda d: _days("date_sent_to_lsg", "date_adopted")(d).notna(),
            statistic=_median(_days("date_sent_to_lsg", "date_adopted")),
            unit="days",
            ci=False,
        ),
        Spec(
            "I05",
            "Early-consultation share",
            _eq("consultation_stage", "early", "draft"),
            _all,
            _eq("consultation_stage", "early"),
            note="among drafts where LSG were consulted (stage early or draft)",
        ),
        Spec(
            "I05_all",
            "Early-consultation share (all eligible drafts)",
            _all,
            _known("consultation_stage"),
            _eq("consultation_stage", "early"),
        ),
        Spec("I06", "LSG response rate", _sent_any, _known("lsg_response_received"), _eq("lsg_response_received", YES)),
        Spec(
            "I07",
            "Proposal uptake rate (pooled)",
            _eq("lsg_response_received", YES),
            both_counts,
            counts=_pooled,
            note="pooled sum(accepted)/sum(made); the CI treats proposals as independent",
        ),
        Spec(
            "I07_mean",
            "Proposal uptake rate (mean of per-draft ratios)",
            _eq("lsg_response_received", YES),
            both_counts,
            statistic=_mean_ratio,
            ci=False,
            note="drafts with proposals_made = 0 left out of the mean",
        ),
        Spec(
            "I08",
            "Reflection of LSG position in final act",
            lambda d: (
                _adopted_yes(d)
                & _eq("lsg_response_received", YES)(d)
                & ~_eq("final_act_reflects_lsg_position", "not_applicable")(d)
            ),
            _known("final_act_reflects_lsg_position"),
            _eq("final_act_reflects_lsg_position", YES),
        ),
        Spec(
            "I08_partly",
            "LSG position partly reflected in final act",
            lambda d: (
                _adopted_yes(d)
                & _eq("lsg_response_received", YES)(d)
                & ~_eq("final_act_reflects_lsg_position", "not_applicable")(d)
            ),
            _known("final_act_reflects_lsg_position"),
            _eq("final_act_reflects_lsg_position", "partly"),
        ),
        Spec(
            "I09",
            "Feedback transparency",
            lambda d: _eq("published_on_portal", YES)(d) | _sent_any(d),
            _known("feedback_published"),
            _eq("feedback_published", YES),
        ),
        Spec(
            "I09_partly",
            "Feedback partly published",
            lambda d: _eq("published_on_portal", YES)(d) | _sent_any(d),
            _known("feedback_published"),
            _eq("feedback_published", "partly"),
        ),
        Spec(
            "I10",
            "Impact-analysis coverage",
            lambda d: ~_eq("impact_analysis_done", "not_required")(d),
            _known("impact_analysis_done"),
            _eq("impact_analysis_done", YES),
        ),
        Spec(
            "I10b", "Impact on LSG assessed", _all, _known("impact_on_lsg_assessed"), _eq("impact_on_lsg_assessed", YES)
        ),
        Spec(
            "I11",
            "Ex-post review rate",
            lambda d: _adopted_yes(d) & ~_eq("ex_post_review_done", "not_yet_due")(d),
            _known("ex_post_review_done"),
            _eq("ex_post_review_done", YES),
        ),
        Spec(
            "Q01",
            "Double-coded rows (quality control)",
            _all,
            _known("verification_status"),
            _eq("verification_status", "double_coded_agree", "double_coded_resolved"),
        ),
    ]
