"""How often was LSG consulted? The usage rates of a register, overall or by a grouping, with the rules
that suppress a rate (too few known answers, too many unknown) and the C01 composite.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
import numpy as np
import pandas as pd
from lsg_analysis.core.errors import ParameterError
from lsg_analysis.analysis.register_schema import (
    GROUPINGS,
    SAMPLED,
    SAMPLING,
    SAMPLING_FIELD,
    UNKNOWN,
)
from lsg_analysis.analysis.consultations.register import LSG_OWN, state_drafts
from lsg_analysis.analysis.consultations.indicators import Spec, specs, unknown_bounds, wilson_interval


MIN_KNOWN = 10


MAX_UNKNOWN_SHARE = 0.5


SMALL_N = 30


NO_SAMPLING_CI = (
    "no sampling interval: the register is not declared a census or a random sample of drafts "
    "(register_sampling = {sampling}); bounds: every unknown counted as no, and as yes"
)
SAMPLING_CI = "Wilson 95 % interval: the register is declared a {sampling} of drafts (register_sampling)"


NOT_RANDOM = (
    "not a random sample: drafts coded from news and official pages (news-driven; administrative-"
    "territorial drafts over-represented)"
)


@dataclass(frozen=True)
class Masks:
    """A spec's row-wise masks on a register's state drafts (boolean arrays, one value per row): ``eligible``,
    ``known`` and ``settled`` (both among the eligible) and ``success`` (None for a statistic). Every mask of
    :mod:`~lsg_analysis.analysis.consultations.indicators` depends on its own row only, so the masks of a group are
    those of the whole register restricted to the group's rows (:meth:`within`): computed once, not per group."""

    eligible: np.ndarray
    known: np.ndarray
    settled: np.ndarray
    success: np.ndarray | None

    @classmethod
    def of(cls, spec: Spec, d: pd.DataFrame) -> Masks:
        elig = spec.eligible(d).astype(bool).to_numpy()
        known = elig & spec.known(d).astype(bool).to_numpy()
        settled = known if spec.settled is None else elig & spec.settled(d).astype(bool).to_numpy()
        success = None if spec.success is None else spec.success(d).astype(bool).to_numpy()
        return cls(elig, known, settled, success)

    def within(self, rows: np.ndarray) -> Masks:
        """The masks of the rows selected by the boolean array ``rows`` (the others false; ``success`` is only read
        among the known or settled rows)."""
        return Masks(self.eligible & rows, self.known & rows, self.settled & rows, self.success)


def _bounds(spec: Spec, m: Masks) -> tuple[int, float, float]:
    """(unknown rows, lower, upper bound) of a one-row-one-unit share among the eligible rows (NaN otherwise)."""
    if m.success is None or spec.statistic is not None or spec.counts is not None or spec.unit != "share":
        return 0, math.nan, math.nan
    k = int((m.settled & m.success).sum())
    u = int((m.eligible & ~m.settled).sum())
    return (u, *unknown_bounds(k, u, int(m.eligible.sum())))


def _row(spec: Spec, d: pd.DataFrame, rows: np.ndarray, m: Masks, group: str, sampled: bool) -> dict[str, Any]:
    """Numerator/denominator by the unknown rule on the group's ``rows`` of ``d`` (the spec's masks within them:
    ``m``); suppression; bounds from the unknowns; a Wilson CI only when ``sampled`` (the register is a census or a
    random sample)."""
    n_elig, n_known = int(m.eligible.sum()), int(m.known.sum())
    unknown_share = (n_elig - n_known) / n_elig if n_elig else math.nan
    n_unknown, bound_low, bound_high = _bounds(spec, m)
    out: dict[str, Any] = {
        "indicator": spec.id,
        "name": spec.name,
        "group": group,
        "n": n_known,
        "value": math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "unit": spec.unit,
        "n_eligible": n_elig,
        "n_known": n_known,
        "unknown_share": unknown_share,
        "n_unknown": n_unknown,
        "bound_low": bound_low,
        "bound_high": bound_high,
        "suppressed": True,
    }
    notes = [spec.note] if spec.note else []
    if spec.id == "I04" and not d["legal_min_days_applicable"][rows].notna().any():
        notes.append(
            "not computed: the legal minimum discussion period is not verified "
            "(legal_min_days.csv is empty); see I04b and the labelled scenarios"
        )
    elif n_known < MIN_KNOWN or unknown_share > MAX_UNKNOWN_SHARE:
        why = (
            f"n_known = {n_known} < {MIN_KNOWN}"
            if n_known < MIN_KNOWN
            else f"unknown share {unknown_share:.0%} > {MAX_UNKNOWN_SHARE:.0%}"
        )
        notes.append(f"insufficient data ({why})")
    else:
        out["suppressed"] = False
        if spec.statistic is not None:
            out["value"] = spec.statistic(d[m.known])
        else:
            k, n = spec.counts(d[m.known]) if spec.counts else (int((m.success & m.known).sum()), n_known)
            out["value"] = k / n if n else math.nan
            if spec.ci and n and sampled:
                out["ci_low"], out["ci_high"] = wilson_interval(k, n)
        if n_known < SMALL_N and sampled:
            notes.append(f"small n ({n_known}): wide interval, read with care")
    out["note"] = "; ".join(notes)
    return out


#: C01 categories (indicators.csv): sub-indicator ids, equal weights; I09 scored with 'partly' = 0.5.
C01_CATEGORIES = {"A": ("I02", "I03"), "B": ("I04", "I05", "I10b"), "C": ("I11", "Q01"), "D": ("I01", "I09_score")}


#: Sub-indicators that reach this value by construction of a register: I01 (publication rate) is 100 % when only
#: published drafts enter it. A C01 category whose only available sub-indicator is one of these is not credited.
BY_CONSTRUCTION = {"I01": 1.0}
BUILT_NOTE = "by construction when only published drafts enter the register, so the category is not credited"


C01_NAMES = {"A": "Systematic adoption", "B": "Methodology", "C": "Oversight & quality control", "D": "Transparency"}


def _composite(rows: dict[str, dict[str, Any]], group: str) -> list[dict[str, Any]]:
    """iREG-style C01 (0–4): a category = mean of its available sub-indicators if at least half are available,
    unless its only available sub-indicator is at its :data:`BY_CONSTRUCTION` value (then left out, said in the
    note); C01 = sum of the four categories only if all four exist. Never imputes 0."""
    yes, partly = rows["I09"], rows["I09_partly"]
    i09_score = math.nan if yes["suppressed"] else yes["value"] + 0.5 * partly["value"]
    values = {k: (math.nan if r["suppressed"] else r["value"]) for k, r in rows.items()} | {"I09_score": i09_score}
    out = []
    cats: dict[str, float] = {}
    for cat, subs in C01_CATEGORIES.items():
        have = [s for s in subs if not math.isnan(values[s])]
        ok = len(have) >= len(subs) / 2
        built = len(have) == 1 and BY_CONSTRUCTION.get(have[0]) == values[have[0]]
        cats[cat] = float(np.mean([values[s] for s in have])) if ok and not built else math.nan
        dropped = [s for s in subs if s not in have]
        if built:
            note = (
                f"not computed: {have[0]} is its only sub-indicator and is {100 * values[have[0]]:.0f} % {BUILT_NOTE}"
            )
        elif ok:
            note = f"mean of {', '.join(have)}"
        else:
            note = "not computed: fewer than half of the sub-indicators available"
        note += f"; unavailable: {', '.join(dropped)}" if dropped else ""
        out.append(_composite_row(f"C01_{cat}", f"C01 {C01_NAMES[cat]} (0-1)", group, cats[cat], note))
    total = sum(cats.values()) if all(not math.isnan(v) for v in cats.values()) else math.nan
    missing = [c for c, v in cats.items() if math.isnan(v)]
    out.append(
        _composite_row(
            "C01",
            "iREG-style LSG consultation composite (0-4)",
            group,
            total,
            "sum of categories A-D" if not missing else f"not computed: categories {', '.join(missing)} unavailable",
        )
    )
    return out


def _composite_row(ind: str, name: str, group: str, value: float, note: str) -> dict[str, Any]:
    return {
        "indicator": ind,
        "name": name,
        "group": group,
        "n": pd.NA,
        "value": value,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "unit": "index points",
        "n_eligible": pd.NA,
        "n_known": pd.NA,
        "unknown_share": math.nan,
        "n_unknown": 0,
        "bound_low": math.nan,
        "bound_high": math.nan,
        "suppressed": math.isnan(value),
        "note": note,
    }


def usage_rates(
    register: pd.DataFrame, by: str | None = None, scenarios: Sequence[int] = (15, 30), sampling: str | None = None
) -> pd.DataFrame:
    """Usage indicators of ``indicators.csv`` for a validated register, overall (group ``all``) or ``by`` one of
    :data:`GROUPINGS` (``unknown`` is its own group).

    Columns: indicator, name, group, n (= n_known, the rate's denominator), value, ci_low, ci_high (Wilson 95 %,
    only when ``sampling`` — default the register's declared ``register_sampling`` — is a census or a random
    sample), unit, n_eligible, n_known, unknown_share, n_unknown, bound_low, bound_high (every unknown counted as
    no, and as yes; :func:`~lsg_analysis.analysis.consultations.indicators.unknown_bounds`), suppressed, note. Only state drafts count (LSG bodies' own drafts,
    ``act_type = local_council_decision``, are excluded). ``scenarios`` are illustrative day thresholds for
    timeliness while the legal minimum is unverified (15 = the 2022 proposed cut; 30 = "a month", practice
    claimed by the JK press service in 2020) — never the law.
    """
    if by is not None and by not in GROUPINGS:
        raise ParameterError("by", by, ", ".join(GROUPINGS))
    bad = [s for s in scenarios if not isinstance(s, int | np.integer) or isinstance(s, bool) or s <= 0]
    if bad:
        raise ParameterError("scenarios", bad[0], "positive whole numbers of days, e.g. (15, 30)")
    sampling = sampling or register.attrs.get(SAMPLING_FIELD, "unknown")  # None or "": as the register declares
    if sampling not in SAMPLING:
        raise ParameterError("sampling", sampling, ", ".join(SAMPLING))
    sampled = sampling in SAMPLED
    state = _bare(state_drafts(register))
    n_own = len(register) - len(state)
    labels = None if by is None else state[by].fillna(UNKNOWN).astype(str).to_numpy()
    keys = ["all"] if labels is None else sorted(set(labels))
    all_specs = specs(list(scenarios))
    masks = {s.id: Masks.of(s, state) for s in all_specs}
    out = []
    for g in keys:
        in_g = np.ones(len(state), dtype=bool) if labels is None else labels == g
        rows = {s.id: _row(s, state, in_g, masks[s.id].within(in_g), g, sampled) for s in all_specs}
        out += list(rows.values()) + _composite(rows, g)
    df = pd.DataFrame(out)
    extra = []
    if n_own:
        extra.append(f"{n_own} LSG-own draft(s) (act_type = {LSG_OWN}) excluded")
    if (register["register_profile"] == "coded").any() and not sampled:
        extra.append(NOT_RANDOM)
    extra.append((SAMPLING_CI if sampled else NO_SAMPLING_CI).format(sampling=sampling.replace("_", " ")))
    if extra:
        df["note"] = [("; ".join([n, *extra]) if n else "; ".join(extra)) for n in df["note"]]
    if by == "year":
        df["note"] = _source_dated_notes(state, df)
    df.attrs[SAMPLING_FIELD] = sampling
    for c in ("n", "n_eligible", "n_known", "n_unknown"):
        df[c] = df[c].astype("Int64")
    df["suppressed"] = df["suppressed"].astype(bool)
    return df


def _bare(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without its ``.attrs`` (a shallow copy): pandas deep-copies a frame's attrs into the result of every
    operation on it, and the indicator masks run thousands of operations on the groups of a register (the
    register's attrs — updates applied, sampling — are read from the register itself, never from these groups)."""
    out = frame.copy(deep=False)
    out.attrs = {}
    return out


def _source_dated_notes(state: pd.DataFrame, rates: pd.DataFrame) -> list[str]:
    """Rates by year: each row's note says how many of the year's drafts take their year from the source date."""
    basis = state["year_basis"] if "year_basis" in state else pd.Series(UNKNOWN, index=state.index)
    counts = (
        state.assign(_g=state["year"].fillna(UNKNOWN).astype(str), _s=basis.eq("source_date").fillna(False))
        .groupby("_g")["_s"]
        .agg(["sum", "size"])
    )
    out = []
    for g, note in zip(rates["group"], rates["note"]):
        k, n = int(counts.loc[g, "sum"]), int(counts.loc[g, "size"])
        add = f"year from source_date for {k} of {n} draft(s)" if k else ""
        out.append("; ".join(x for x in (note, add) if x))
    return out
