r"""Who loses people? Population change, natural increase and net migration that respect series breaks.

Input everywhere: tidy rows of ``data/processed/indicators.csv`` (``code, year, indicator, value, unit, source_id,
vintage, boundaries, flag``), e.g. from :func:`lsg_analysis.load_indicators`. Nothing is interpolated or padded: a
unit-year that is not in the input stays missing and shows up in :func:`coverage`.

**Series segments.** A change is computed only between two years of ONE source table whose rows carry the same
``vintage`` and ``boundaries`` labels and the same Osh-city flag (``incl_osh_city``), and with no declared break
(``data/series_breaks.csv``) between them. So the 2021→2022 census revision (D01 ``vintage`` changes), the
2023→2024 reform (S01 ``boundaries`` changes; affects KG-C, KG-GB, KG-O, KG-GO) and Osh city inside Osh oblast
are never read as growth. Different tables are never chained.

Growth over :math:`t_0 \to t_1` (start-of-year population :math:`P_t`): :math:`r = (P_{t_1}/P_{t_0})^{1/(t_1-t_0)}
- 1` (× 100, %; :func:`lsg_analysis.measures.demography.growth_rate`). Where the rest lives (every name is
re-exported here): the pure formulas in :mod:`lsg_analysis.measures.demography`, the check of the rows in
:mod:`lsg_analysis.analysis.observations`, natural increase and net migration (residual and registered:
:func:`demographic_balance`, :func:`migration_flows`, :func:`demographic_summary`, :func:`demographic_series`) in
:mod:`lsg_analysis.analysis.net_migration`.

Reference: Preston, Heuveline & Guillot (2001), *Demography*, ch. 1 (growth rates).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from lsg_analysis.core.errors import ParameterError
from lsg_analysis.analysis.net_migration import (  # noqa: F401  (re-exported: the components of change)
    NATIONAL,
    PERSONS_PER_UNIT,
    SERIES_COLUMNS,
    SUMMARY_COLUMNS,
    demographic_balance,
    demographic_series,
    demographic_summary,
    migration_flows,
)
from lsg_analysis.analysis.observations import (  # noqa: F401  (re-exported)
    ARRIVALS,
    BIRTHS,
    DEATHS,
    DEPARTURES,
    FLOW_SCOPES,
    POPULATION,
    REQUIRED,
    check_obs,
    segment_rows,
)
from lsg_analysis.data import catalogue, series
from lsg_analysis.measures.demography import (  # noqa: F401  (re-exported)
    DemographyInputError,
    growth_rate,
    natural_increase,
    rate_per_1000,
)

OSH_FLAG = series.OSH_FLAG


#: Input that a demographic measure cannot take: says what, where and what was expected (one class with
#: :class:`lsg_analysis.measures.demography.DemographyInputError`).
MigrationInputError = DemographyInputError


def _declared_break(
    breaks: pd.DataFrame | None, indicator: str, source: str, code: str, y0: int, y1: int
) -> str | None:
    """The first declared break of the series between ``y0`` and ``y1`` (:mod:`lsg_analysis.data.series`);
    ``breaks=None``: the caller declares none (synthetic data)."""
    found = [] if breaks is None else series.breaks_between(breaks, indicator, source, code, y0, y1)
    return found[0] if found else None


# --------------------------------------------------------------------------------------------- change
def population_change(
    obs: pd.DataFrame, *, indicator: str = POPULATION, breaks: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Change between consecutive available years of each series segment (see module docstring).

    One row per code, source and pair of consecutive years present in the same segment: ``code, source_id,
    vintage, boundaries, year_from, year_to, pop_from, pop_to, change, growth_pct_per_year`` (geometric average
    if years are missing in between). Pairs split by a declared break are left out.
    """
    df = segment_rows(check_obs(obs, counts=[indicator]), indicator)
    rows = []
    for (code, seg), g in df.sort_values("year").groupby(["code", "segment"], sort=True):
        g = g.reset_index(drop=True)
        for i in range(len(g) - 1):
            a, b = g.iloc[i], g.iloc[i + 1]
            if _declared_break(breaks, indicator, a["source_id"], code, int(a["year"]), int(b["year"])):
                continue
            rows.append(_change_row(code, a, b))
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


CHANGE_COLUMNS = [
    "code",
    "source_id",
    "vintage",
    "boundaries",
    "year_from",
    "year_to",
    "pop_from",
    "pop_to",
    "change",
    "growth_pct_per_year",
]


def _change_row(code: str, a: pd.Series, b: pd.Series) -> dict[str, Any]:
    years = int(b["year"]) - int(a["year"])
    return {
        "code": code,
        "source_id": a["source_id"],
        "vintage": a["vintage"],
        "boundaries": a["boundaries"],
        "year_from": int(a["year"]),
        "year_to": int(b["year"]),
        "pop_from": a["value"],
        "pop_to": b["value"],
        "change": b["value"] - a["value"],
        "growth_pct_per_year": growth_rate(a["value"], b["value"], years),
    }


def annual_change(
    obs: pd.DataFrame,
    *,
    indicator: str = POPULATION,
    prefer: Sequence[str] | None = None,
    breaks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Year-on-year change (``year_to = year_from + 1``), one row per code and year: the first source in
    ``prefer`` (default: the indicator's ``sources`` order in data/indicators.yml) that has both years in one
    segment. Columns as :func:`population_change`."""
    ch = population_change(obs, indicator=indicator, breaks=breaks)
    ch = ch[ch["year_to"] == ch["year_from"] + 1]
    order = {s: i for i, s in enumerate(catalogue.source_preference(indicator, prefer, ch["source_id"].unique()))}
    ch = ch.assign(_rank=ch["source_id"].map(order)).sort_values(["code", "year_from", "_rank"])
    return ch.drop_duplicates(["code", "year_from"]).drop(columns="_rank").reset_index(drop=True)


def window_change(
    obs: pd.DataFrame,
    start: int,
    end: int,
    *,
    indicator: str = POPULATION,
    prefer: Sequence[str] | None = None,
    breaks: pd.DataFrame | None = None,
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Change from ``start`` to ``end`` (start-of-year populations) per code, within one segment of one source.

    Columns: ``code, year_from, year_to, source_id, vintage, boundaries, pop_from, pop_to, change,
    growth_pct_per_year, depopulating`` (``pop_to < pop_from``), ``status`` (``ok`` | ``missing`` | ``break``),
    ``reason``. Every code of ``codes`` (default: every code with the indicator) gets a row; when no source has
    both years in one segment the numbers are missing and ``reason`` says why.
    """
    if not end > start:
        raise ParameterError("window", f"{start}-{end}", "two years, the first before the second")
    df = segment_rows(check_obs(obs, counts=[indicator]), indicator)
    codes = list(df["code"].unique()) if codes is None else list(codes)
    order = catalogue.source_preference(indicator, prefer, df["source_id"].unique())
    rows = []
    for code in codes:
        d = df[df["code"] == code]
        found, why = None, []
        for src in order:
            s = d[d["source_id"] == src]
            a, b = s[s["year"] == start], s[s["year"] == end]
            if a.empty or b.empty:
                continue
            a, b = a.iloc[0], b.iloc[0]
            if a["segment"] != b["segment"]:
                why.append(
                    f"{src}: {start} and {end} differ in vintage/boundaries/Osh-city flag "
                    f"({a['vintage']}, {a['boundaries']} vs {b['vintage']}, {b['boundaries']})"
                )
                continue
            brk = _declared_break(breaks, indicator, src, code, start, end)
            if brk:
                why.append(f"{src}: declared break ({brk})")
                continue
            found = (src, a, b)
            break
        if found:
            src, a, b = found
            row = _change_row(code, a, b)
            row.update(depopulating=bool(b["value"] < a["value"]), status="ok", reason="")
        else:
            status = "break" if why else "missing"
            reason = (
                "; ".join(why)
                if why
                else (f"no source has both {start} and {end} in one table (years present: {_years_text(d)})")
            )
            row = {c: pd.NA for c in CHANGE_COLUMNS} | {
                "code": code,
                "year_from": start,
                "year_to": end,
                "depopulating": pd.NA,
                "status": status,
                "reason": reason,
            }
        rows.append(row)
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS + ["depopulating", "status", "reason"])
    out["depopulating"] = out["depopulating"].astype("boolean")
    for c in ("pop_from", "pop_to", "change", "growth_pct_per_year"):
        out[c] = pd.to_numeric(out[c]).astype(float)
    return out


def _years_text(d: pd.DataFrame) -> str:
    """'D01 2012–2024, S16 2026' — the years each source has, as ranges."""
    if d.empty:
        return "none"
    parts = []
    for src, g in d.groupby("source_id"):
        ys = sorted(int(y) for y in g["year"].unique())
        runs, first = [], ys[0]
        for a, b in zip(ys, ys[1:] + [None]):
            if b != a + 1:
                runs.append(f"{first}–{a}" if a != first else str(a))
                first = b
        parts.append(f"{src} {', '.join(runs)}")
    return "; ".join(parts)


def depopulation(obs: pd.DataFrame, start: int, end: int, **kw: Any) -> pd.Series:
    """Depopulation flag over a window: True when the population at ``end`` is below that at ``start`` (same
    segment); ``<NA>`` when the window cannot be measured (see :func:`window_change` for the reason)."""
    w = window_change(obs, start, end, **kw)
    return w.set_index("code")["depopulating"].rename(f"depopulating_{start}_{end}")


def coverage(
    obs: pd.DataFrame,
    *,
    indicator: str = POPULATION,
    codes: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Which unit-years exist: one row per code × year of the grid (``codes`` × ``years``, default: those
    present), with ``n_sources``, ``sources`` (``;``-separated, with vintage and boundaries) and ``missing``.
    Nothing is filled in: a missing cell is reported as missing."""
    df = segment_rows(check_obs(obs), indicator)
    codes = sorted(df["code"].unique()) if codes is None else list(codes)
    years = sorted(df["year"].unique()) if years is None else list(years)
    desc = (df["source_id"] + " (" + df["vintage"] + "; " + df["boundaries"] + ")").rename("src")
    got = df.assign(src=desc).groupby(["code", "year"])["src"].agg(lambda s: "; ".join(sorted(s)))
    n = df.groupby(["code", "year"]).size()
    grid = pd.MultiIndex.from_product([codes, years], names=["code", "year"])
    out = pd.DataFrame({"n_sources": n.reindex(grid, fill_value=0), "sources": got.reindex(grid)}).reset_index()
    out["sources"] = out["sources"].astype("string")
    out["missing"] = out["n_sources"] == 0
    return out


RAYON_LEVELS = ("population_census_2022", "population_rayon_2021")


def population_levels(obs: pd.DataFrame, indicators: Sequence[str] = RAYON_LEVELS) -> pd.DataFrame:
    """Population levels side by side, one row per code, one column per indicator — never a growth rate.

    For rayons the shipped data hold one census point (2022, 41 district polygons, 13 of them a rayon plus its
    city: composite codes with ``+``) and the WFP PRISM 2021 table (40 rural rayons, rounded to hundreds, reference
    date and producer not stated). Different definitions and dates: a change between them is not growth, so none
    is computed. Columns: ``code``, one column per indicator, ``composite`` (the registry's kind: a sum of units).
    """
    from lsg_analysis.registry import regions

    df = check_obs(obs, counts=list(indicators))
    df = df[df["indicator"].isin(list(indicators))]
    wide = df.pivot_table(index="code", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(indicators))
    wide.columns.name = None
    out = wide.reset_index()
    kind = regions.regions().set_index("code")["kind"]
    out["composite"] = out["code"].map(kind).eq("composite")
    return out
