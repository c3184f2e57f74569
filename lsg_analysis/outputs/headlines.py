"""Which numbers lead, and what may be said of them? The one place that picks the headline numbers of a run.

Brief, dashboard and recommendations show what this module picks from a run's results (``runs/results.py``):
language-neutral values with their unit, years, n and source ids. They only format and translate them. A rule of
choice lives here once: which Theil change a headline shows (the whole window, or its longest run without a
declared series break), whether it is a change at all (its paired bootstrap interval excludes 0), which region is
worst off (by the indicator's direction, ``higher_is_better``), whether the measures were population-weighted, what
β/σ convergence may be said (within one segment, only when p < :data:`SIGNIFICANCE`), which border comparison leads (the rural-rayon poverty gap when recorded, else the oblast growth gap), which
consultation rates are shown (null when the rules suppress them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lsg_analysis.runs.params import SAMPLED
from lsg_analysis.runs.results import metric, rows, value

#: The border vs interior comparisons notebook 02 records: metric prefix, level, decimals shown.
BORDER_COMPARISONS = (("growth", "oblast", 2), ("poverty", "oblast", 1), ("rayon_poverty", "rayon", 1))
#: The measure id of each comparison when the results do not name it (older files).
BORDER_MEASURES = {"growth": "population_growth", "poverty": "poverty_rate", "rayon_poverty": "rayon_poverty_rate"}


@dataclass(frozen=True)
class Change:
    """A change of Theil T in percent between two years; ``unbroken``: over the longest run of years without a
    declared series break, because the whole window spans one."""

    value: float | None
    first: int | None
    last: int | None
    unbroken: bool


def theil_change(results: dict[str, Any]) -> Change:
    """The Theil change a headline shows, from ``01_imbalance`` results: first → last year of the window
    (``theil_change_pct``) or, when a declared series break lies between them, over the window's longest
    unbroken run (``theil_change_pct_unbroken``, ``unbroken_year_first`` → ``unbroken_year_last``).

    >>> theil_change({"metrics": {"theil_change_pct": {"value": None}, "theil_change_pct_unbroken": {"value": 19.9},
    ...                           "unbroken_year_first": {"value": 2012}, "unbroken_year_last": {"value": 2018}}})
    Change(value=19.9, first=2012, last=2018, unbroken=True)
    """
    whole = value(results, "theil_change_pct")
    if whole is not None:
        return Change(whole, value(results, "year_first"), value(results, "year_last"), False)
    return Change(
        value(results, "theil_change_pct_unbroken"),
        value(results, "unbroken_year_first"),
        value(results, "unbroken_year_last"),
        True,
    )


def change_breaks(results: dict[str, Any]) -> list[tuple[int, int]]:
    """The declared series breaks inside the window, as (year before, year after) pairs (from the trend table)."""
    return [
        (int(r["year"]) - 1, int(r["year"]))
        for r in rows(results, "trend")
        if r.get("break") and r.get("year") is not None
    ]


@dataclass(frozen=True)
class Extremes:
    """Highest and lowest unit of the last year, and which of them is worst off by the indicator's direction
    (``higher_is_better`` yes: the lowest; no: the highest; neutral or unknown: neither)."""

    top_code: str | None
    top_value: float | None
    bottom_code: str | None
    bottom_value: float | None
    unit: str
    worst_code: str | None


def direction_sign(higher_is_better: str, kind: str = "") -> int:
    """The one direction rule of every claim: +1 when a higher value is better (``higher_is_better`` yes), -1 when
    lower is better (no), 0 when neither is (neutral, unknown) — and 0 for a count (``kind`` count: persons,
    million som), a sum over units whose gap to another unit or the country says nothing of being better off.

    >>> direction_sign("yes"), direction_sign("no"), direction_sign("neutral"), direction_sign("yes", "count")
    (1, -1, 0, 0)
    """
    return 0 if kind == "count" else {"yes": 1, "no": -1}.get(str(higher_is_better), 0)


def worst_and_best(highest: Any, lowest: Any, higher_is_better: str, kind: str = "") -> tuple[Any, Any]:
    """``(worst, best)`` of the unit with the highest and the one with the lowest value, by
    :func:`direction_sign`: poverty (lower is better) → (highest, lowest); income → (lowest, highest);
    neutral or a count → (None, None)."""
    s = direction_sign(higher_is_better, kind)
    return {1: (lowest, highest), -1: (highest, lowest)}.get(s, (None, None))


def better_than(value: float, reference: float | None, higher_is_better: str, kind: str = "") -> float | None:
    """``sign · (value − reference)`` (:func:`direction_sign`): positive = better off than the reference (the
    country), negative = worse; None when the indicator has no direction or there is no reference."""
    s = direction_sign(higher_is_better, kind)
    return None if reference is None or s == 0 else s * (value - reference)


def standing(rank: int, peers: int, higher_is_better: str, kind: str = "") -> str:
    """The word a rank among ``peers`` allows (rank 1 = best by the direction): ``best``, ``worst`` (the last
    rank), else ``""``; ``""`` always for an indicator without a direction or a single peer."""
    if direction_sign(higher_is_better, kind) == 0 or peers < 2:
        return ""
    return "best" if rank == 1 else "worst" if rank == peers else ""


def extremes(results: dict[str, Any], higher_is_better: str) -> Extremes:
    """The last year's extremes of ``01_imbalance`` results; ``higher_is_better`` from indicator_meta.csv."""
    top, bottom = value(results, "top_code"), value(results, "bottom_code")
    worst = worst_and_best(top, bottom, higher_is_better)[0]
    return Extremes(
        top,
        value(results, "top_value"),
        bottom,
        value(results, "bottom_value"),
        str(metric(results, "top_value").get("unit") or ""),
        worst,
    )


def direction(results: dict[str, Any]) -> str:
    """``higher_is_better`` (yes, no, neutral) of the run's indicator, from the processed indicator metadata."""
    from lsg_analysis.data.processed import read_indicator_meta

    indicator = value(results, "indicator")
    meta = read_indicator_meta().set_index("indicator")
    return str(meta.at[indicator, "higher_is_better"]) if indicator in meta.index else "neutral"


#: The significance level of every claim read from a p-value (β/σ convergence; the p-thresholds of the rules in
#: ``rules/recommendations.csv`` are the same, a test checks).
SIGNIFICANCE = 0.05
#: The directions an indicator can have (indicator_meta.csv ``higher_is_better``).
DIRECTIONS = ("yes", "no", "neutral")


def weighted(results: dict[str, Any]) -> bool:
    """Were the measures of ``01_imbalance`` results population-weighted? The recorded ``weighted`` metric (the
    parameter AND a weighting population); for older results the ``weighted`` parameter (default true) and the
    indicator's ``weight_by`` (none → unweighted)."""
    recorded = value(results, "weighted")
    if isinstance(recorded, bool):
        return recorded
    from lsg_analysis.data.processed import read_indicator_meta

    meta = read_indicator_meta().set_index("indicator")
    indicator = value(results, "indicator")
    by = str(meta.at[indicator, "weight_by"]) if indicator in meta.index else "none"
    return bool(results.get("parameters", {}).get("weighted", True)) and by not in ("", "none", "nan")


@dataclass(frozen=True)
class ChangeTest:
    """The Theil change's test: T(last) − T(first) of the segment ``first``–``last`` on ``n`` units with its 95 %
    paired bootstrap interval; ``verdict`` ``up``/``down`` (the interval lies above/below 0), ``none`` (it includes
    0: no change shown) or ``untested`` (no interval recorded)."""

    diff: float | None
    low: float | None
    high: float | None
    n: Any
    first: int | None
    last: int | None
    verdict: str

    @property
    def claimed(self) -> bool:
        """A change is claimed (and its size shown as a finding) only when its interval excludes 0."""
        return self.verdict in ("up", "down")

    @property
    def label_note(self) -> str:
        """The catalogue key that labels the change's size as an estimate when no change is claimed, else ``""``."""
        return "" if self.claimed else "f_change_estimate"

    @property
    def message(self) -> str:
        """The catalogue key of the sentence this test allows (fields ``low``, ``high`` when tested)."""
        return {"up": "f_change_up_ci", "down": "f_change_down_ci", "none": "f_change_ns"}.get(
            self.verdict, "f_change_untested"
        )


def change_test(results: dict[str, Any]) -> ChangeTest:
    """The test of the Theil change of ``01_imbalance`` results (``theil_change_diff``, ``_ci_low``, ``_ci_high``)."""
    low, high = value(results, "theil_change_ci_low"), value(results, "theil_change_ci_high")
    verdict = "untested" if low is None or high is None else "up" if low > 0 else "down" if high < 0 else "none"
    return ChangeTest(
        value(results, "theil_change_diff"),
        low,
        high,
        value(results, "theil_change_n_units"),
        value(results, "unbroken_year_first"),
        value(results, "unbroken_year_last"),
        verdict,
    )


@dataclass(frozen=True)
class Convergence:
    """What may be said of β or σ convergence: ``verdict`` ``converging`` (slope < 0) or ``diverging`` (slope > 0)
    only when p < :data:`SIGNIFICANCE`, else ``not_significant``; ``not_measured`` when no slope or p was recorded.
    ``first``–``last``: the segment it was measured in (never across a declared series break)."""

    kind: str
    verdict: str
    slope: float | None
    p: float | None
    n: Any
    first: int | None
    last: int | None
    half_life: float | None

    def message(self, direction: str) -> str:
        """The catalogue key of the sentence this verdict allows; a direction of change only when significant, worded
        for the indicator's ``direction`` (β; σ's spread needs no direction)."""
        if self.verdict in ("not_measured", "not_significant"):
            return f"f_{self.kind}_{self.verdict}"
        return f"f_beta_{self.verdict}_{direction}" if self.kind == "beta" else f"f_sigma_{self.verdict}"


def _verdict(slope: float | None, p: float | None) -> str:
    if slope is None or p is None:
        return "not_measured"
    if p >= SIGNIFICANCE or slope == 0:
        return "not_significant"
    return "converging" if slope < 0 else "diverging"


def convergence(results: dict[str, Any], kind: str = "beta") -> Convergence:
    """β (``kind="beta"``) or σ (``"sigma"``) convergence of ``01_imbalance`` results, with its segment
    (``convergence_year_first``/``_last``; older results: the ``year`` of the slope, "2012-2018")."""
    slope, p = value(results, f"{kind}_slope"), value(results, f"{kind}_p")
    first, last = value(results, "convergence_year_first"), value(results, "convergence_year_last")
    if first is None and slope is not None:
        period = str(metric(results, f"{kind}_slope").get("year") or "")
        first, last = (int(y) for y in period.split("-")) if period.count("-") == 1 else (None, None)
    return Convergence(
        kind,
        _verdict(slope, p),
        slope,
        p,
        value(results, "beta_n") if kind == "beta" else None,
        first,
        last,
        value(results, "beta_half_life_years") if kind == "beta" else None,
    )


@dataclass(frozen=True)
class Segment:
    """The years every measure of change uses (``first``–``last``) within the window ``window_first``–
    ``window_last``; ``breaks`` the declared series breaks inside the window; ``cut`` whether the segment is shorter
    than the window because of them (then every claim says which segment was used)."""

    first: int | None
    last: int | None
    window_first: int | None
    window_last: int | None
    breaks: list[tuple[int, int]]
    cut: bool


def segment(results: dict[str, Any]) -> Segment:
    """The segment of ``01_imbalance`` results (``unbroken_year_first``/``_last``) and the window's breaks."""
    first, last = value(results, "unbroken_year_first"), value(results, "unbroken_year_last")
    w0, w1 = value(results, "year_first"), value(results, "year_last")
    breaks = change_breaks(results)
    return Segment(first, last, w0, w1, breaks, bool(breaks) and (first, last) != (w0, w1))


@dataclass(frozen=True)
class Comparison:
    """One recorded border vs interior comparison (``<prefix>_*`` metrics of ``02_migration_border``)."""

    prefix: str
    level: str
    decimals: int
    measure: str
    year: Any
    border: float | None
    interior: float | None
    gap: float | None
    p: float | None
    n_border: Any
    n_interior: Any


def border_comparisons(results: dict[str, Any]) -> list[Comparison]:
    """The comparisons recorded in ``02_migration_border`` results, oblast level first (the rural-rayon poverty
    comparison only when recorded). ``year``: the poverty year, else the window."""
    out = []
    for prefix, level, decimals in BORDER_COMPARISONS:
        if prefix == "rayon_poverty" and f"{prefix}_gap_pp" not in results.get("metrics", {}):
            continue
        gap = metric(results, f"{prefix}_gap_pp")
        year = gap.get("year") or (value(results, "window") if prefix == "growth" else None)
        out.append(
            Comparison(
                prefix,
                level,
                decimals,
                value(results, f"{prefix}_measure") or BORDER_MEASURES[prefix],
                year,
                value(results, f"{prefix}_border_pct"),
                value(results, f"{prefix}_interior_pct"),
                gap.get("value"),
                value(results, f"{prefix}_gap_p"),
                value(results, f"{prefix}_n_border"),
                value(results, f"{prefix}_n_interior"),
            )
        )
    return out


def border_headline(results: dict[str, Any]) -> str:
    """Which comparison leads: ``rayon_poverty`` (all rural rayons with a value, n stated: the stronger evidence)
    when it has a gap, else ``growth`` (oblast level, whose interior group is only the two cities)."""
    return "rayon_poverty" if value(results, "rayon_poverty_gap_pp") is not None else "growth"


def interior_units(results: dict[str, Any]) -> list[str]:
    """Codes of the oblast-level interior units (``interior_units``: comma-separated), [] when not recorded."""
    return [c.strip() for c in str(value(results, "interior_units") or "").split(",") if c.strip()]


def measured_units(results: dict[str, Any]) -> Any:
    """Units measured in the population window (rows ``ok`` of ``population_change``), else border + interior."""
    change = rows(results, "population_change")
    if change:
        return sum(row.get("status", "ok") == "ok" for row in change)
    return sum(x for x in (value(results, "n_border_units"), value(results, "n_interior_units")) if isinstance(x, int))


#: the flag of a value copied by hand from a release's text (``data/processed/indicators.csv``, column ``flag``)
TRANSCRIBED = "transcribed"


@dataclass(frozen=True)
class MigrationYear:
    """One year of the national net migration series: the value the series uses, its source table, and whether
    it is transcribed from a press release (flag ``transcribed``)."""

    year: int
    net: float
    source_id: str
    transcribed: bool


def national_migration(results: dict[str, Any]) -> list[MigrationYear]:
    """The national net migration by year from ``02_migration_border`` results (table ``national_migration``):
    the rows the series uses (``used`` = yes; older files without the column: every row) that have a value,
    sorted by year."""
    out = []
    for row in rows(results, "national_migration"):
        if row.get("used", "yes") != "yes" or not isinstance(row.get("net_migration"), (int, float)):
            continue
        flags = str(row.get("flag") or "").split(";")
        out.append(
            MigrationYear(int(row["year"]), float(row["net_migration"]), str(row["source_id"]), TRANSCRIBED in flags)
        )
    return sorted(out, key=lambda m: m.year)


@dataclass(frozen=True)
class Consultation:
    """The consultation numbers shown: the public-record share (P01) with n and the bounds its unknowns allow —
    and a Wilson interval only when the register is declared a census or a random sample (``sampled``; ``ci_*``
    None otherwise) —, the rates the suppression rules let through (None = suppressed or not recorded), and the
    dated updates applied to coded rows."""

    public_record: float | None
    ci_low: float | None
    ci_high: float | None
    n_state_drafts: Any
    rate: float | None
    n_known: Any
    unknown_share: float | None
    median_days: float | None
    portal_share: float | None
    bound_low: float | None
    bound_high: float | None
    n_unknown: Any
    sampled: bool
    n_updates: int
    n_updated_drafts: int
    updates_date: str


def consultation(results: dict[str, Any]) -> Consultation:
    """The consultation headline numbers of ``03_consultations`` results. The interval shown is the Wilson
    interval when the register is declared a census or a random sample and the interval was recorded, else the
    bounds (every unknown counted as no, and as yes)."""
    values = [
        value(results, k)
        for k in (
            "public_record_share",
            "public_record_share_ci_low",
            "public_record_share_ci_high",
            "n_state_drafts",
            "consultation_rate",
            "consultation_rate_n_known",
            "consultation_rate_unknown_share",
            "median_discussion_days",
            "portal_share",
            "public_record_share_bound_low",
            "public_record_share_bound_high",
            "public_record_n_unknown",
        )
    ]
    sampled = value(results, "register_sampling") in SAMPLED and values[1] is not None and values[2] is not None
    if not sampled:
        values[1] = values[2] = None
    updates = rows(results, "updates")
    dates = sorted(str(u.get("date")) for u in updates if u.get("date"))
    return Consultation(
        *values,
        sampled=sampled,
        n_updates=len(updates),
        n_updated_drafts=len({u.get("draft_id") for u in updates}),
        updates_date=dates[-1] if dates else "",
    )


@dataclass(frozen=True)
class Context:
    """Kyrgyzstan among other countries (``04_context``): its value, n_regions and rank under the comparison's own
    definition (OECD-style: unweighted over regions), and the like-for-like rank from its Global Data Lab regions."""

    source: str
    measure: str
    year: Any
    value: float | None
    n_regions: Any
    rank: Any
    n_ranked: Any
    median: float | None
    gdl_year: Any
    gdl_value: float | None
    gdl_n_regions: Any
    gdl_rank: Any
    gdl_n_ranked: Any


def context(results: dict[str, Any]) -> Context:
    """The context headline of ``04_context`` results."""
    return Context(
        *(
            value(results, k)
            for k in (
                "source",
                "measure",
                "year",
                "kgz_value",
                "kgz_n_regions",
                "kgz_rank",
                "n_ranked",
                "median",
                "gdl_year",
                "gdl_kgz_value",
                "gdl_kgz_n_regions",
                "gdl_kgz_rank",
                "gdl_n_ranked",
            )
        )
    )


def context_points(results: dict[str, Any]) -> list[tuple[str, float, bool]]:
    """``(iso3, value, highlighted)`` of every ranked country of the comparison, Kyrgyzstan's row included."""
    return [
        (str(r["iso3"]), float(r["value"]), bool(r.get("highlighted")) or r.get("iso3") == "KGZ")
        for r in rows(results, "countries")
        if r.get("value") is not None
    ]


# ------------------------------------------------------------------ sensitivity to flagged cells
#: Two values of a headline differ materially when they are more than 10 % apart (relative to the value with every
#: cell: |without / with − 1| > MATERIAL; for a change in percent, of the factors 1 + change/100) or a change has
#: another sign. Then briefs and dashboard show both; otherwise the value with every cell and a note.
MATERIAL = 0.10


def differs(value: float | None, unflagged: float | None, *, change: bool = False) -> bool:
    """Do the headline ``value`` and its value without the flagged cells differ materially (:data:`MATERIAL`)?
    One of them missing and not the other is material too. ``change``: the values are changes in percent.

    >>> differs(0.158, 0.127), differs(0.158, 0.150), differs(10.1, 37.5, change=True), differs(2.0, -1.0, change=True)
    (True, False, True, True)
    """
    if value is None or unflagged is None:
        return (value is None) != (unflagged is None)
    if change and (value > 0) != (unflagged > 0) and value != unflagged:
        return True
    a, b = (1 + value / 100, 1 + unflagged / 100) if change else (value, unflagged)
    return abs(b - a) > MATERIAL * abs(a)


@dataclass(frozen=True)
class Sensitive:
    """One headline number with every cell (``value``) and without the flagged cells (``unflagged``)."""

    value: float | None
    unflagged: float | None
    material: bool


@dataclass(frozen=True)
class FlaggedCell:
    """A flagged cell a run used: unit, year, indicator and the rules that flag it (``comparison``: notebook 02's
    comparison that reads it, else "")."""

    code: str
    year: int
    indicator: str
    rules: tuple[str, ...]
    comparison: str = ""


def flagged_cells(results: dict[str, Any]) -> list[FlaggedCell]:
    """The flagged cells of a run's ``flagged`` table (01 or 02), one per cell (its rules together), in order."""
    cells: dict[tuple[str, str, int, str], list[str]] = {}
    for r in rows(results, "flagged"):
        key = (str(r.get("comparison") or ""), str(r["code"]), int(r["year"]), str(r["indicator"]))
        cells.setdefault(key, []).append(str(r["rule"]))
    return [
        FlaggedCell(code, year, ind, tuple(dict.fromkeys(rules)), comp)
        for (comp, code, year, ind), rules in cells.items()
    ]


@dataclass(frozen=True)
class Sensitivity:
    """Notebook 01's headlines with and without the flagged cells: Theil T of the last year, the Theil change the
    headline shows (:func:`theil_change`), the last year's max/min ratio; ``recorded``: False for results written
    before sensitivity was recorded (nothing to say)."""

    cells: list[FlaggedCell]
    theil_last: Sensitive
    change: Sensitive
    ratio: Sensitive
    recorded: bool

    @property
    def material(self) -> bool:
        return any(s.material for s in (self.theil_last, self.change, self.ratio))


def sensitivity(results: dict[str, Any]) -> Sensitivity:
    """The sensitivity of ``01_imbalance`` results to their flagged cells; the change is taken over the same years
    as the headline's (the whole window, or its longest unbroken run)."""
    change = theil_change(results)
    key = "theil_change_pct_unbroken_unflagged" if change.unbroken else "theil_change_pct_unflagged"
    recorded = "n_flagged_cells" in results.get("metrics", {})

    def pair(a: Any, b: Any, pct: bool = False) -> Sensitive:
        return Sensitive(a, b, recorded and differs(a, b, change=pct))

    return Sensitivity(
        flagged_cells(results),
        pair(value(results, "theil_last"), value(results, "theil_last_unflagged")),
        pair(change.value, value(results, key), True),
        pair(value(results, "max_min_ratio_last"), value(results, "max_min_ratio_last_unflagged")),
        recorded,
    )


@dataclass(frozen=True)
class BorderSensitive:
    """A recorded border vs interior gap (p.p.) with and without the flagged cells its comparison reads."""

    prefix: str
    gap: float | None
    unflagged: float | None
    material: bool
    cells: list[FlaggedCell]


def border_sensitivity(results: dict[str, Any]) -> list[BorderSensitive]:
    """For each comparison of ``02_migration_border`` results that reads a flagged cell: its gap with and without
    them (material by :func:`differs`); [] when none does or the results predate the record."""
    cells = flagged_cells(results)
    out = []
    for c in border_comparisons(results):
        mine = [f for f in cells if f.comparison == c.prefix]
        if mine:
            unflagged = value(results, f"{c.prefix}_gap_pp_unflagged")
            out.append(BorderSensitive(c.prefix, c.gap, unflagged, differs(c.gap, unflagged), mine))
    return out
