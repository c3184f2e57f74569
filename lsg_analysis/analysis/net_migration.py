r"""How much of a population change is births and deaths, how much migration? Natural increase, net migration
(residual and registered) and their rates per 1 000, every input from one table.

* natural increase :math:`NI_t = B_t - D_t`;
* net migration, residual method: :math:`M_t = (P_{t+1} - P_t) - NI_t` — computed **only** when the two
  populations and the births and deaths come from the same table, or carry identical vintage and boundaries
  labels; otherwise the residual would mix a census revision or a boundary change into "migration";
* registered net migration :math:`A_t - E_t` (total, internal, external) when an NSC migration table is present;
  :func:`demographic_summary` keeps both and uses the registered figure where it exists (for the republic:
  immigrants − emigrants of NSC open data 316 — internal moves cancel at national level);
* rates per 1 000 mean population :math:`\bar P_t = (P_t + P_{t+1})/2`: :math:`1000\,M_t/\bar P_t`;
* the series over every table (:func:`demographic_series`): each year from the first table in the indicator's
  source order (``data/indicators.yml``, :func:`lsg_analysis.data.catalogue.source_preference`) — counts of one
  year need no chaining, so tables may follow each other; a year held by two tables keeps both rows, ``used``
  says which one the series takes.

Every name here is also importable from :mod:`lsg_analysis.analysis.migration`. Reference: UN DESA (2017),
*Handbook on Measuring International Migration through Population Censuses*, ch. 2 (residual method).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lsg_analysis.analysis.observations import (
    ARRIVALS,
    BIRTHS,
    DEATHS,
    DEPARTURES,
    FLOW_SCOPES,
    POPULATION,
    check_obs,
    segment_rows,
)
from lsg_analysis.core.errors import DataError, ParameterError
from lsg_analysis.data import catalogue
from lsg_analysis.measures.demography import DemographyInputError, natural_increase, rate_per_1000

PERSONS_PER_UNIT = {"persons": 1.0, "thousand persons": 1000.0}
MigrationInputError = DemographyInputError


def _persons(df: pd.DataFrame, name: str) -> pd.Series:
    units = df["unit"].replace("", "persons")
    bad = ~units.isin(list(PERSONS_PER_UNIT))
    if bad.any():
        i = df.index[bad][0]
        raise DataError(
            name, df.at[i, "unit"], f"a unit of people: {', '.join(PERSONS_PER_UNIT)}", row=int(i) + 2, column="unit"
        )
    return df["value"] * units.map(PERSONS_PER_UNIT)


def demographic_balance(
    obs: pd.DataFrame, *, population: str = POPULATION, births: str = BIRTHS, deaths: str = DEATHS
) -> pd.DataFrame:
    """Population change split into natural increase and net migration (residual), per code and year.

    One row per code and year ``t`` that has births and deaths: ``pop_from`` (:math:`P_t`), ``pop_to``
    (:math:`P_{t+1}`), ``births``, ``deaths``, ``natural_increase``, ``net_migration_residual``, ``mean_pop``,
    ``natural_increase_rate``, ``net_migration_rate`` (per 1 000 mean population), all in persons, and ``basis``
    saying why the residual is or is not computed. The residual needs :math:`P_t` and :math:`P_{t+1}` from one
    segment of one table **and** the births and deaths from that same table, or with identical vintage and
    boundaries labels. Otherwise those columns are missing and ``basis`` says which condition failed.
    """
    df = check_obs(obs, counts=[population, births, deaths])
    pop = segment_rows(df, population)
    pop = pop.assign(persons=_persons(pop, "indicator table"))
    ev = {k: df[df["indicator"] == k] for k in (births, deaths)}
    rows = []
    keys = ev[births].merge(ev[deaths], on=["code", "year"], suffixes=("_b", "_d"))
    for r in keys.itertuples(index=False):
        code, t = r.code, int(r.year)
        ni = natural_increase(r.value_b, r.value_d)
        row: dict[str, Any] = {
            "code": code,
            "year": t,
            "births": r.value_b,
            "deaths": r.value_d,
            "natural_increase": ni,
            "pop_from": np.nan,
            "pop_to": np.nan,
            "net_migration_residual": np.nan,
            "mean_pop": np.nan,
            "natural_increase_rate": np.nan,
            "net_migration_rate": np.nan,
            "pop_source": pd.NA,
            "basis": "",
        }
        p = pop[pop["code"] == code]
        pairs = [
            (a, b)
            for _, a in p[p["year"] == t].iterrows()
            for _, b in p[p["year"] == t + 1].iterrows()
            if a["segment"] == b["segment"]
        ]
        if not pairs:
            row["basis"] = f"no population for {t} and {t + 1} in one series segment: net migration not computed"
            rows.append(row)
            continue
        same = [(a, b) for a, b in pairs if _same_basis(a, r)]
        a, b = (same or pairs)[0]
        row.update(
            pop_from=a["persons"],
            pop_to=b["persons"],
            pop_source=a["source_id"],
            mean_pop=(a["persons"] + b["persons"]) / 2,
        )
        row["natural_increase_rate"] = rate_per_1000(ni, a["persons"], b["persons"])
        if same:
            m = (b["persons"] - a["persons"]) - ni
            row.update(
                net_migration_residual=m,
                net_migration_rate=rate_per_1000(m, a["persons"], b["persons"]),
                basis=f"residual: population, births and deaths from {a['source_id']} (same table / "
                f"same vintage and boundaries)",
            )
        else:
            row["basis"] = (
                f"population ({a['source_id']}: {a['vintage']}, {a['boundaries']}) and events "
                f"({r.source_id_b}: {r.vintage_b}, {r.boundaries_b}) differ in table/vintage/"
                f"boundaries: net migration not computed"
            )
        rows.append(row)
    cols = [
        "code",
        "year",
        "pop_from",
        "pop_to",
        "births",
        "deaths",
        "natural_increase",
        "net_migration_residual",
        "mean_pop",
        "natural_increase_rate",
        "net_migration_rate",
        "pop_source",
        "basis",
    ]
    return pd.DataFrame(rows, columns=cols).sort_values(["code", "year"]).reset_index(drop=True)


def _same_basis(pop_row: pd.Series, ev: Any) -> bool:
    if pop_row["source_id"] == ev.source_id_b == ev.source_id_d:
        return True
    return (
        pop_row["vintage"] == ev.vintage_b == ev.vintage_d
        and pop_row["vintage"] != ""
        and pop_row["boundaries"] == ev.boundaries_b == ev.boundaries_d
        and pop_row["boundaries"] != ""
    )


def migration_flows(obs: pd.DataFrame, *, population: str = POPULATION) -> pd.DataFrame:
    """Registered migration from an NSC migration table: arrivals, departures and net, total / internal /
    external, per code and year, with the net rate per 1 000 mean population where :math:`P_t` and
    :math:`P_{t+1}` exist in one segment.

    Reads the indicators ``migration_arrivals``, ``migration_departures`` and their ``_internal`` /
    ``_external`` variants (persons). Columns: ``code, year`` and, for each scope present, ``arrivals{s},
    departures{s}, net{s}, net_rate{s}`` (``s`` = "", "_internal", "_external"). A scope with arrivals but no
    departures (or the reverse) is an error: a net from half a table is not a net.
    """
    flows = [f"{base}{s}" for s in FLOW_SCOPES for base in (ARRIVALS, DEPARTURES)]
    df = check_obs(obs, counts=flows + [population])
    out: pd.DataFrame | None = None
    for s in FLOW_SCOPES:
        a = df[df["indicator"] == f"{ARRIVALS}{s}"]
        d = df[df["indicator"] == f"{DEPARTURES}{s}"]
        if a.empty and d.empty:
            continue
        if a.empty or d.empty:
            raise MigrationInputError(
                f"migration flows{s or ' (total)'}: "
                f"{'arrivals' if a.empty else 'departures'} missing while "
                f"{'departures' if a.empty else 'arrivals'} are present; expected both"
            )
        a = a.assign(v=_persons(a, "indicator table"))[["code", "year", "v"]]
        d = d.assign(v=_persons(d, "indicator table"))[["code", "year", "v"]]
        m = a.merge(d, on=["code", "year"], how="outer", suffixes=("_a", "_d"))
        part = pd.DataFrame(
            {
                "code": m["code"],
                "year": m["year"],
                f"arrivals{s}": m["v_a"],
                f"departures{s}": m["v_d"],
                f"net{s}": m["v_a"] - m["v_d"],
            }
        )
        out = part if out is None else out.merge(part, on=["code", "year"], how="outer")
    if out is None:
        raise MigrationInputError(
            "migration flows: no rows of migration_arrivals / migration_departures "
            "(total, _internal or _external) in the input; no NSC migration table is loaded"
        )
    pop = segment_rows(df, population)
    pop = pop.assign(persons=_persons(pop, "indicator table"))
    mean = {}
    for (code, _seg), g in pop.groupby(["code", "segment"]):
        v = g.set_index("year")["persons"]
        for t in v.index:
            if t + 1 in v.index:
                mean.setdefault((code, int(t)), (v[t] + v[t + 1]) / 2)
    mp = pd.Series([mean.get((c, int(y)), np.nan) for c, y in zip(out["code"], out["year"])], index=out.index)
    for s in FLOW_SCOPES:
        if f"net{s}" in out.columns:
            out[f"net_rate{s}"] = 1000.0 * out[f"net{s}"] / mp
    out["mean_pop"] = mp
    return out.sort_values(["code", "year"]).reset_index(drop=True)


NATIONAL = "KG"
SUMMARY_COLUMNS = [
    "code",
    "year",
    "source_id",
    "births",
    "deaths",
    "natural_increase",
    "natural_increase_rate",
    "arrivals",
    "departures",
    "net_migration_registered",
    "net_migration_residual",
    "net_migration",
    "net_migration_rate",
    "mean_pop",
    "method",
    "basis",
]


def demographic_summary(obs: pd.DataFrame, *, code: str = NATIONAL, source: str | None = None) -> pd.DataFrame:
    """Natural increase and net migration of one unit per year, every input from ONE source table.

    Both estimates of net migration are kept: ``net_migration_registered`` = arrivals − departures as the table
    gives them (:func:`migration_flows`; the total scope, or for the republic the external one — internal moves
    cancel at national level) and ``net_migration_residual`` = :math:`(P_{t+1} - P_t) - (B_t - D_t)`
    (:func:`demographic_balance`, same table/vintage only). ``net_migration`` is the registered figure when it
    exists (the producer's own count, free of population revisions), else the residual; ``method`` says which
    (``registered`` | ``residual`` | empty) and ``basis`` why. The rate is per 1 000 mean population
    :math:`(P_t + P_{t+1})/2` of the same table; without :math:`P_{t+1}` it stays missing.

    ``source``: the table (default: the only one that has births, deaths, arrivals or departures for ``code``;
    several → :class:`ParameterError`, none → :class:`MigrationInputError`). Columns: :data:`SUMMARY_COLUMNS`,
    all counts in persons; one row per year with any event.
    """
    df = check_obs(obs)
    events = [BIRTHS, DEATHS, *(f"{b}{s}" for s in FLOW_SCOPES for b in (ARRIVALS, DEPARTURES))]
    source = _summary_source(df[(df["code"] == code) & df["indicator"].isin(events)], code, source)
    rows = df[(df["code"] == code) & (df["source_id"] == source)]
    out = pd.DataFrame({"year": sorted(rows.loc[rows["indicator"].isin(events), "year"].unique())})
    inds = set(rows["indicator"])
    if {BIRTHS, DEATHS} <= inds:
        bal = demographic_balance(rows)[
            [
                "year",
                "births",
                "deaths",
                "natural_increase",
                "natural_increase_rate",
                "net_migration_residual",
                "net_migration_rate",
                "mean_pop",
                "basis",
            ]
        ]
        out = out.merge(
            bal.rename(columns={"net_migration_rate": "_residual_rate", "basis": "_residual_basis"}),
            on="year",
            how="left",
        )
    scopes = ("", "_external") if code == NATIONAL else ("",)
    scope = next((sc for sc in scopes if {f"{ARRIVALS}{sc}", f"{DEPARTURES}{sc}"} <= inds), None)
    if scope is not None:
        flows = [f"{b}{sc}" for sc in FLOW_SCOPES for b in (ARRIVALS, DEPARTURES)]
        keep = [f"{ARRIVALS}{scope}", f"{DEPARTURES}{scope}"]
        fl = migration_flows(rows[~rows["indicator"].isin(set(flows) - set(keep))])
        fl = fl.rename(
            columns={
                f"arrivals{scope}": "arrivals",
                f"departures{scope}": "departures",
                f"net{scope}": "net_migration_registered",
                f"net_rate{scope}": "_registered_rate",
                "mean_pop": "_flow_mean_pop",
            }
        )
        out = out.merge(
            fl[["year", "arrivals", "departures", "net_migration_registered", "_registered_rate", "_flow_mean_pop"]],
            on="year",
            how="left",
        )
    numeric = [
        "births",
        "deaths",
        "natural_increase",
        "natural_increase_rate",
        "arrivals",
        "departures",
        "net_migration_registered",
        "net_migration_residual",
        "mean_pop",
        "_residual_rate",
        "_registered_rate",
        "_flow_mean_pop",
    ]
    out = out.reindex(columns=["year", *numeric, "_residual_basis"])
    out[numeric] = out[numeric].astype(float)
    out["_residual_basis"] = out["_residual_basis"].astype("string").fillna("")
    reg = out["net_migration_registered"].notna()
    res = ~reg & out["net_migration_residual"].notna()
    out["net_migration"] = out["net_migration_registered"].where(reg, out["net_migration_residual"])
    out["net_migration_rate"] = out["_registered_rate"].where(reg, out["_residual_rate"])
    out["mean_pop"] = out["mean_pop"].fillna(out["_flow_mean_pop"])
    out["method"] = np.where(reg, "registered", np.where(res, "residual", ""))
    flow_text = "immigrants − emigrants" if scope == "_external" else "arrivals − departures"
    out["basis"] = [_summary_basis(r, source, flow_text) for r in out.to_dict("records")]
    out["code"], out["source_id"] = code, source
    return out[SUMMARY_COLUMNS].sort_values("year").reset_index(drop=True)


SERIES_COLUMNS = [*SUMMARY_COLUMNS, "flag", "used"]


def demographic_series(obs: pd.DataFrame, *, code: str = NATIONAL, prefer: list[str] | None = None) -> pd.DataFrame:
    """:func:`demographic_summary` of every table with events for ``code``, one after another by year.

    Each table's rows are computed from that table alone (rates from its own population). A year is taken from
    the first table in ``prefer`` (default: the ``sources`` order of the unit's arrivals indicator in
    ``data/indicators.yml``, e.g. S09 before the transcribed releases M01-03) that has a net migration for it,
    else from the first with any event. Every table's row is kept: ``used`` = ``yes`` for the row the series
    takes, ``no`` for the others (their ``basis`` names the table used). ``flag``: the ``flag`` cells of the
    row's inputs (e.g. ``transcribed``), ``;``-joined. Columns: :data:`SERIES_COLUMNS`, sorted by year, the used
    row first.
    """
    df = check_obs(obs)
    events = [BIRTHS, DEATHS, *(f"{b}{s}" for s in FLOW_SCOPES for b in (ARRIVALS, DEPARTURES))]
    mine = df[(df["code"] == code) & df["indicator"].isin(events)]
    if mine.empty:
        _summary_source(mine, code, None)  # the one error for a unit without events
    ranking = f"{ARRIVALS}_external" if code == NATIONAL else ARRIVALS
    order = catalogue.source_preference(ranking, prefer, mine["source_id"].unique())
    order = [s for s in order if s in set(mine["source_id"])]
    parts = []
    for rank, src in enumerate(order):
        part = demographic_summary(df, code=code, source=src)
        flags = (
            mine[mine["source_id"] == src]
            .groupby("year")["flag"]
            .agg(lambda f: ";".join(dict.fromkeys(x for v in f for x in str(v).split(";") if x)))
        )
        parts.append(part.assign(flag=part["year"].map(flags).fillna(""), _rank=rank))
    out = pd.concat(parts, ignore_index=True)
    out["_has_net"] = out["net_migration"].notna()
    out = out.sort_values(["year", "_has_net", "_rank"], ascending=[True, False, True], kind="stable")
    first = ~out.duplicated("year")
    out["used"] = np.where(first, "yes", "no")
    used_source = out[first].set_index("year")["source_id"]
    others = out[~first]
    for i in others.index:
        r = out.loc[i]
        out.at[i, "basis"] = f"{r['basis']}; not used: {used_source[r['year']]} is used for {r['year']}"
    for i in out.index[first]:
        r = out.loc[i]
        also = others[others["year"] == r["year"]]
        if len(also):
            alt = "; ".join(
                f"{a['source_id']} {a['net_migration']:+,.0f}" if np.isfinite(a["net_migration"]) else a["source_id"]
                for _, a in also.iterrows()
            )
            out.at[i, "basis"] = f"{r['basis']}; also in {alt} (not used: source order of data/indicators.yml)"
    return out[SERIES_COLUMNS].reset_index(drop=True)


def _summary_source(events: pd.DataFrame, code: str, source: str | None) -> str:
    """The one table of :func:`demographic_summary`: ``source``, or the only table with events for ``code``."""
    have = sorted(events["source_id"].unique())
    if source is None:
        if not have:
            raise MigrationInputError(
                f"demographic summary of {code}: no births, deaths, arrivals or departures in "
                "the input (no such table is in the catalogue for this unit)"
            )
        if len(have) > 1:
            raise ParameterError("source", None, f"one of {', '.join(have)} (tables are never mixed)")
        return have[0]
    if source not in have:
        raise ParameterError("source", source, f"a table with demographic events for {code}: {', '.join(have)}")
    return source


def _summary_basis(r: dict[str, Any], source: str, flow_text: str) -> str:
    """The ``basis`` text of one :func:`demographic_summary` row: which estimate, and why a rate is missing."""
    parts = []
    if r["method"] == "registered":
        parts.append(f"registered: {flow_text} ({source})")
        if np.isfinite(r["net_migration_residual"]):
            parts.append(f"residual ΔP − (B − D) = {r['net_migration_residual']:+,.0f} kept for comparison")
    elif r["method"] == "residual":
        parts.append(f"{r['_residual_basis']} (no arrivals/departures in {source})")
    else:
        parts.append(f"net migration not computed: {r['_residual_basis'] or 'no arrivals/departures'}")
    if r["method"] and not np.isfinite(r["net_migration_rate"]):
        parts.append(f"no rate: no population for {r['year']} and {r['year'] + 1} in {source}")
    return "; ".join(parts)
