"""The numbers of a region profile, computed in one place from ``data/processed/indicators.csv`` (default series).

For one unit and each indicator with data for it: the latest value, its year, unit and source id; the rank among
the peers of the same level in that year (1 = best by the indicator's ``higher_is_better``; neutral indicators are
ranked from the highest); the national value of that year; the direction-aware gap ``(x - x_KG)`` signed so that
positive means better than the country (none for neutral indicators and counts); and the trend within
the latest unbroken segment (:func:`lsg_analysis.data.series.segments`: no line across a declared break; years
without a value stay gaps).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from lsg_analysis.outputs import headlines

NATIONAL = "KG"


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the profile; ``trend`` is ``(year, value)`` of the latest segment, None for a gap year."""

    indicator: str
    value: float
    year: int
    unit: str
    source_id: str
    rank: int
    peers: int
    national: float | None
    gap: float | None
    flagged: bool
    trend: list[tuple[int, float | None]] = field(default_factory=list)
    #: ``best``/``worst`` among its peers by the indicator's direction (:func:`~lsg_analysis.outputs.headlines.standing`)
    standing: str = ""


def rank(values: pd.Series, code: str, higher_is_better: str) -> int:
    """Rank of ``code`` among ``values`` (indexed by code): 1 = best; neutral indicators ranked from the highest.
    Ties share the best rank (``method="min"``)."""
    ascending = headlines.direction_sign(higher_is_better) == -1
    return int(values.rank(ascending=ascending, method="min")[code])


def gap(value: float, national: float | None, higher_is_better: str) -> float | None:
    """``sign · (value − national)``: positive = better than the country; None when neutral or no national value
    (:func:`lsg_analysis.outputs.headlines.better_than`)."""
    return headlines.better_than(value, national, higher_is_better)


def latest_segment(series: pd.DataFrame, breaks: pd.DataFrame | None) -> list[tuple[int, float | None]]:
    """``(year, value)`` of the latest unbroken segment of one unit's series, every year from its first to its last;
    a year without a value is ``None`` (a gap, never filled)."""
    from lsg_analysis.data.series import segments

    rows = series.sort_values("year")
    seg = segments(rows, breaks)
    last = rows[seg == seg.iloc[-1]]
    values = dict(zip(last["year"].astype(int), last["value"].astype(float)))
    return [(y, values.get(y)) for y in range(min(values), max(values) + 1)]


def profile_lines(
    code: str,
    data: pd.DataFrame,
    meta: pd.DataFrame,
    breaks: pd.DataFrame | None,
    flags: pd.DataFrame | None = None,
) -> list[IndicatorLine]:
    """Every indicator with a value for ``code`` in ``data`` (default series rows of indicators.csv), sorted by
    indicator name. ``meta`` is indicator_meta.csv, ``breaks`` series_breaks.csv, ``flags`` flags.csv."""
    from lsg_analysis.registry.regions import regions

    registry = regions()
    level = dict(zip(registry["code"], registry["level"].astype(int)))
    # a count (persons, million som) has no direction (headlines.direction_sign): no gap, ranked from the highest
    hib = {
        i: "neutral" if headlines.direction_sign(h, k) == 0 else h
        for i, h, k in zip(meta["indicator"], meta["higher_is_better"].astype(str), meta["kind"].astype(str))
    }
    flagged = set() if flags is None else set(zip(flags["code"], flags["indicator"], flags["year"].astype(int)))
    data = data.dropna(subset=["value"])
    # the columns as arrays: the peers and national value of each line are found with array masks, not table filters
    codes, indicators = data["code"].to_numpy(), data["indicator"].to_numpy()
    years, values = data["year"].to_numpy(), data["value"].to_numpy(float)
    mine = data[codes == code]
    if mine.empty:
        return []
    peer = np.array([level.get(c) == level[code] for c in codes], dtype=bool)
    national_rows = codes == NATIONAL
    out = []
    for ind, rows in mine.groupby("indicator", sort=True):
        last = rows.sort_values("year").iloc[-1]
        year = int(last["year"])
        same = (indicators == ind) & (years == year)
        peers = pd.Series(values[same & peer], index=codes[same & peer])
        nat = values[same & national_rows]
        national = float(nat[0]) if len(nat) and code != NATIONAL else None
        r = rank(peers, code, hib.get(ind, "neutral"))
        out.append(
            IndicatorLine(
                indicator=str(ind),
                value=float(last["value"]),
                year=year,
                unit=str(last["unit"]),
                source_id=str(last["source_id"]),
                rank=r,
                peers=len(peers),
                national=national,
                gap=gap(float(last["value"]), national, hib.get(ind, "neutral")),
                flagged=(code, ind, year) in flagged,
                trend=latest_segment(rows, breaks),
                standing=headlines.standing(r, len(peers), hib.get(ind, "neutral")),
            )
        )
    return out


def default_lines(code: str) -> list[IndicatorLine]:
    """:func:`profile_lines` on the shipped processed data (default series)."""
    from lsg_analysis.data.processed import read_flags, read_indicator_meta, read_indicators
    from lsg_analysis.data.series import read_breaks

    data = read_indicators()
    return profile_lines(
        code, data[data["default_series"] == "yes"], read_indicator_meta(), read_breaks(), read_flags()
    )


def border_km(code: str, table: pd.DataFrame) -> dict[str, float] | None:
    """State-border length of ``code`` in km, total and by neighbour (KAZ, UZB, TJK, CHN), from
    ``border_metrics.csv``; None when the unit is not measured (the republic, a unit without boundaries)."""
    row = table[table["code"] == code]
    if row.empty:
        return None
    r = row.iloc[0]
    return {"total": float(r["total_km"]), **{c: float(r[c]) for c in ("KAZ", "UZB", "TJK", "CHN")}}


def runs(trend: list[tuple[int, float | None]]) -> list[list[tuple[int, float]]]:
    """The trend split at its gap years: each run is drawn as one line, nothing joined across a missing year
    (:func:`lsg_analysis.outputs.drawing.pieces`, the one drawing rule)."""
    from lsg_analysis.outputs import drawing

    years = [y for y, _ in trend]
    values = [v for _, v in trend]
    return [[(years[i], float(values[i])) for i in run] for run in drawing.runs(years, drawing.pieces(years, [values]))]


#: The population series a profile charts, first with data for the unit: the yearly start-of-year estimates
#: (oblasts, cities), else the one-year district figures (census 2022, WFP PRISM 2021).
POPULATION_INDICATORS = ("population_start_of_year", "population_census_2022", "population_rayon_2021")


@dataclass(frozen=True)
class PopulationPoint:
    """One year of the population chart: ``value`` None for a year without one (a gap, never filled);
    ``segment``: the series segment of the year (:func:`lsg_analysis.data.series.segments`, None for a gap)."""

    year: int
    value: float | None
    segment: int | None
    source_id: str


def population_points(code: str, data: pd.DataFrame, breaks: pd.DataFrame | None) -> tuple[str, list[PopulationPoint]]:
    """``(indicator, points)``: every year of the unit's population series (:data:`POPULATION_INDICATORS`, first
    with data) from its first to its last year, with the segment of each (a new one at a declared break or a
    change of source, vintage or boundaries); ``("", [])`` when the unit has none."""
    from lsg_analysis.data.series import segments

    data = data.dropna(subset=["value"])
    for ind in POPULATION_INDICATORS:
        rows = data[(data["code"] == code) & (data["indicator"] == ind)].sort_values("year")
        if rows.empty:
            continue
        seg = segments(rows, breaks)
        by_year = {int(r["year"]): (float(r["value"]), int(seg[i]), str(r["source_id"])) for i, r in rows.iterrows()}
        years = range(min(by_year), max(by_year) + 1)
        return ind, [
            PopulationPoint(y, *by_year[y]) if y in by_year else PopulationPoint(y, None, None, "") for y in years
        ]
    return "", []


def default_population(code: str) -> tuple[str, list[PopulationPoint]]:
    """:func:`population_points` on the shipped processed data (default series); computed once per unit and
    version of the tables it reads (a profile in three languages, the dashboard's 62 units × 3)."""
    from lsg_analysis.core import paths
    from lsg_analysis.core.filekey import file_key

    tables = ("indicators.csv", "indicator_meta.csv", "series_breaks.csv")
    title, points = _default_population(code, tuple(file_key(paths.PROCESSED / t) for t in tables))
    return title, list(points)


@lru_cache(maxsize=256)
def _default_population(code: str, keys: tuple[tuple[str, int, int], ...]) -> tuple[str, tuple[PopulationPoint, ...]]:
    from lsg_analysis.data.processed import read_indicators
    from lsg_analysis.data.series import read_breaks

    data = read_indicators()
    title, points = population_points(code, data[data["default_series"] == "yes"], read_breaks())
    return title, tuple(points)


#: The notebook whose run a profile reads: border status and population change of its level and window.
RUN_NOTEBOOK = "02_migration_border"


@dataclass(frozen=True)
class RunStanding:
    """What one run of ``02_migration_border`` says of a unit: the run's ``level`` and population window, and —
    when the unit is one of the run's units (``measured``) — its border status (``border``: on the state border),
    km by neighbour, distance from its representative point to the border (``dist_km``) and its population change
    over the window (``growth``: % per year; ``status``/``reason`` when it could not be measured, e.g. a series
    break inside the window)."""

    level: str
    window: str
    measured: bool
    border: bool | None = None
    km: dict[str, float] | None = None
    dist_km: float | None = None
    year_from: int | None = None
    year_to: int | None = None
    growth: float | None = None
    depopulating: bool | None = None
    status: str = ""
    reason: str = ""


def run_standing(code: str, results: dict) -> RunStanding:
    """The unit's rows of the run's ``border_lengths`` and ``population_change`` tables (results of
    ``02_migration_border``, :func:`lsg_analysis.runs.results.load_run`); ``measured`` False when the run's level
    is not the unit's (nothing is taken from another level)."""
    from lsg_analysis.runs.results import rows, value

    level, window = str(value(results, "level") or ""), str(value(results, "window") or "")
    lengths = {str(r["code"]): r for r in rows(results, "border_lengths")}
    change = {str(r["code"]): r for r in rows(results, "population_change")}
    if code not in lengths and code not in change:
        return RunStanding(level, window, False)
    b, c = lengths.get(code, {}), change.get(code, {})
    km = (
        {"total": float(b["total_km"]), **{n: float(b[n]) for n in ("KAZ", "UZB", "TJK", "CHN")}}
        if b.get("total_km") is not None
        else None
    )
    border = b.get("border", c.get("border"))
    return RunStanding(
        level,
        window,
        True,
        border=None if border is None else bool(border),
        km=km,
        dist_km=None if b.get("dist_km") is None else float(b["dist_km"]),
        year_from=c.get("year_from"),
        year_to=c.get("year_to"),
        growth=None if c.get("growth_pct_per_year") is None else float(c["growth_pct_per_year"]),
        depopulating=c.get("depopulating"),
        status=str(c.get("status") or ""),
        reason=str(c.get("reason") or ""),
    )
