r"""Who loses people? Population change, natural increase and net migration that respect series breaks.

Input everywhere: tidy rows of ``data/processed/indicators.csv`` (``code, year, indicator, value, unit, source_id,
vintage, boundaries, flag``), e.g. from :func:`lsg_analysis.load_indicators`. Nothing is interpolated or padded: a
unit-year that is not in the input stays missing and shows up in :func:`coverage`.

**Series segments.** A change is computed only between two years of ONE source table whose rows carry the same
``vintage`` and ``boundaries`` labels and the same Osh-city flag (``incl_osh_city``), and with no declared break
(``data/series_breaks.csv``) between them. So the 2021→2022 census revision (D01 ``vintage`` changes), the
2023→2024 reform (S01 ``boundaries`` changes; affects KG-C, KG-GB, KG-O, KG-GO) and Osh city inside Osh oblast
are never read as growth. Different tables are never chained.

Formulas (start-of-year population :math:`P_t`, events of calendar year :math:`t`: births :math:`B_t`, deaths
:math:`D_t`, arrivals :math:`A_t`, departures :math:`E_t`):

* average annual growth over :math:`t_0 \to t_1`: :math:`r = (P_{t_1}/P_{t_0})^{1/(t_1-t_0)} - 1` (× 100, %);
* natural increase :math:`NI_t = B_t - D_t`;
* net migration, residual method: :math:`M_t = (P_{t+1} - P_t) - NI_t` — computed **only** when the two
  populations and the births and deaths come from the same table, or carry identical vintage and boundaries
  labels; otherwise the residual would mix a census revision or a boundary change into "migration";
* registered net migration :math:`A_t - E_t` (total, internal, external) when an NSC migration table is present;
  :func:`demographic_summary` keeps both and uses the registered figure where it exists (for the republic:
  immigrants − emigrants of NSC open data 316 — internal moves cancel at national level);
* rates per 1 000 mean population :math:`\bar P_t = (P_t + P_{t+1})/2`: :math:`1000\,M_t/\bar P_t`.

Reference: UN DESA (2017), *Handbook on Measuring International Migration through Population Censuses*,
ch. 2 (residual method); Preston, Heuveline & Guillot (2001), *Demography*, ch. 1 (growth rates, crude rates).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from lsg_analysis.core.errors import DataError, ParameterError
from lsg_analysis.analysis.observations import REQUIRED, check_obs  # noqa: F401  (re-exported)
from lsg_analysis.data import catalogue, series
from lsg_analysis.measures.demography import DemographyInputError, growth_rate, natural_increase, rate_per_1000

POPULATION = "population_start_of_year"
BIRTHS = "births"
DEATHS = "deaths"
ARRIVALS = "migration_arrivals"
DEPARTURES = "migration_departures"
#: flow indicator ids: total, internal (between oblasts/rayons) and external (international) variants
FLOW_SCOPES = ("", "_internal", "_external")
PERSONS_PER_UNIT = {"persons": 1.0, "thousand persons": 1000.0}
OSH_FLAG = series.OSH_FLAG


#: Input that a demographic measure cannot take: says what, where and what was expected (one class with
#: :class:`lsg_analysis.measures.demography.DemographyInputError`).
MigrationInputError = DemographyInputError


def _select(df: pd.DataFrame, indicator: str) -> pd.DataFrame:
    out = df[df["indicator"] == indicator].copy()
    out["segment"] = series.segment_labels(out)
    return out


def _declared_break(breaks: pd.DataFrame | None, indicator: str, source: str, code: str, y0: int,
                    y1: int) -> str | None:
    """The first declared break of the series between ``y0`` and ``y1`` (:mod:`lsg_analysis.data.series`);
    ``breaks=None``: the caller declares none (synthetic data)."""
    found = [] if breaks is None else series.breaks_between(breaks, indicator, source, code, y0, y1)
    return found[0] if found else None


# --------------------------------------------------------------------------------------------- change
def population_change(obs: pd.DataFrame, *, indicator: str = POPULATION, breaks: pd.DataFrame | None = None
                      ) -> pd.DataFrame:
    """Change between consecutive available years of each series segment (see module docstring).

    One row per code, source and pair of consecutive years present in the same segment: ``code, source_id,
    vintage, boundaries, year_from, year_to, pop_from, pop_to, change, growth_pct_per_year`` (geometric average
    if years are missing in between). Pairs split by a declared break are left out.
    """
    df = _select(check_obs(obs, counts=[indicator]), indicator)
    rows = []
    for (code, seg), g in df.sort_values("year").groupby(["code", "segment"], sort=True):
        g = g.reset_index(drop=True)
        for i in range(len(g) - 1):
            a, b = g.iloc[i], g.iloc[i + 1]
            if _declared_break(breaks, indicator, a["source_id"], code, int(a["year"]), int(b["year"])):
                continue
            rows.append(_change_row(code, a, b))
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


CHANGE_COLUMNS = ["code", "source_id", "vintage", "boundaries", "year_from", "year_to", "pop_from", "pop_to",
                  "change", "growth_pct_per_year"]


def _change_row(code: str, a: pd.Series, b: pd.Series) -> dict[str, Any]:
    years = int(b["year"]) - int(a["year"])
    return {"code": code, "source_id": a["source_id"], "vintage": a["vintage"], "boundaries": a["boundaries"],
            "year_from": int(a["year"]), "year_to": int(b["year"]), "pop_from": a["value"], "pop_to": b["value"],
            "change": b["value"] - a["value"], "growth_pct_per_year": growth_rate(a["value"], b["value"], years)}


def annual_change(obs: pd.DataFrame, *, indicator: str = POPULATION, prefer: Sequence[str] | None = None,
                  breaks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Year-on-year change (``year_to = year_from + 1``), one row per code and year: the first source in
    ``prefer`` (default: the indicator's ``sources`` order in data/indicators.yml) that has both years in one
    segment. Columns as :func:`population_change`."""
    ch = population_change(obs, indicator=indicator, breaks=breaks)
    ch = ch[ch["year_to"] == ch["year_from"] + 1]
    order = {s: i for i, s in enumerate(catalogue.source_preference(indicator, prefer, ch["source_id"].unique()))}
    ch = ch.assign(_rank=ch["source_id"].map(order)).sort_values(["code", "year_from", "_rank"])
    return ch.drop_duplicates(["code", "year_from"]).drop(columns="_rank").reset_index(drop=True)


def window_change(obs: pd.DataFrame, start: int, end: int, *, indicator: str = POPULATION,
                  prefer: Sequence[str] | None = None, breaks: pd.DataFrame | None = None,
                  codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Change from ``start`` to ``end`` (start-of-year populations) per code, within one segment of one source.

    Columns: ``code, year_from, year_to, source_id, vintage, boundaries, pop_from, pop_to, change,
    growth_pct_per_year, depopulating`` (``pop_to < pop_from``), ``status`` (``ok`` | ``missing`` | ``break``),
    ``reason``. Every code of ``codes`` (default: every code with the indicator) gets a row; when no source has
    both years in one segment the numbers are missing and ``reason`` says why.
    """
    if not end > start:
        raise ParameterError("window", f"{start}-{end}", "two years, the first before the second")
    df = _select(check_obs(obs, counts=[indicator]), indicator)
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
                why.append(f"{src}: {start} and {end} differ in vintage/boundaries/Osh-city flag "
                           f"({a['vintage']}, {a['boundaries']} vs {b['vintage']}, {b['boundaries']})")
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
            reason = "; ".join(why) if why else (f"no source has both {start} and {end} in one table "
                                                 f"(years present: {_years_text(d)})")
            row = {c: pd.NA for c in CHANGE_COLUMNS} | {"code": code, "year_from": start, "year_to": end,
                                                       "depopulating": pd.NA, "status": status, "reason": reason}
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


def coverage(obs: pd.DataFrame, *, indicator: str = POPULATION, codes: Sequence[str] | None = None,
             years: Sequence[int] | None = None) -> pd.DataFrame:
    """Which unit-years exist: one row per code × year of the grid (``codes`` × ``years``, default: those
    present), with ``n_sources``, ``sources`` (``;``-separated, with vintage and boundaries) and ``missing``.
    Nothing is filled in: a missing cell is reported as missing."""
    df = _select(check_obs(obs), indicator)
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


# --------------------------------------------------------------------------------------------- components
def _persons(df: pd.DataFrame, name: str) -> pd.Series:
    units = df["unit"].replace("", "persons")
    bad = ~units.isin(list(PERSONS_PER_UNIT))
    if bad.any():
        i = df.index[bad][0]
        raise DataError(name, df.at[i, "unit"], f"a unit of people: {', '.join(PERSONS_PER_UNIT)}", row=int(i) + 2,
                        column="unit")
    return df["value"] * units.map(PERSONS_PER_UNIT)


def demographic_balance(obs: pd.DataFrame, *, population: str = POPULATION, births: str = BIRTHS,
                        deaths: str = DEATHS) -> pd.DataFrame:
    """Population change split into natural increase and net migration (residual), per code and year.

    One row per code and year ``t`` that has births and deaths: ``pop_from`` (:math:`P_t`), ``pop_to``
    (:math:`P_{t+1}`), ``births``, ``deaths``, ``natural_increase``, ``net_migration_residual``, ``mean_pop``,
    ``natural_increase_rate``, ``net_migration_rate`` (per 1 000 mean population), all in persons, and ``basis``
    saying why the residual is or is not computed. The residual needs :math:`P_t` and :math:`P_{t+1}` from one
    segment of one table **and** the births and deaths from that same table, or with identical vintage and
    boundaries labels. Otherwise those columns are missing and ``basis`` says which condition failed.
    """
    df = check_obs(obs, counts=[population, births, deaths])
    pop = _select(df, population)
    pop = pop.assign(persons=_persons(pop, "indicator table"))
    ev = {k: df[df["indicator"] == k] for k in (births, deaths)}
    rows = []
    keys = ev[births].merge(ev[deaths], on=["code", "year"], suffixes=("_b", "_d"))
    for r in keys.itertuples(index=False):
        code, t = r.code, int(r.year)
        ni = natural_increase(r.value_b, r.value_d)
        row: dict[str, Any] = {"code": code, "year": t, "births": r.value_b, "deaths": r.value_d,
                               "natural_increase": ni, "pop_from": np.nan, "pop_to": np.nan,
                               "net_migration_residual": np.nan, "mean_pop": np.nan, "natural_increase_rate": np.nan,
                               "net_migration_rate": np.nan, "pop_source": pd.NA, "basis": ""}
        p = pop[pop["code"] == code]
        pairs = [(a, b) for _, a in p[p["year"] == t].iterrows() for _, b in p[p["year"] == t + 1].iterrows()
                 if a["segment"] == b["segment"]]
        if not pairs:
            row["basis"] = (f"no population for {t} and {t + 1} in one series segment: net migration not computed")
            rows.append(row)
            continue
        same = [(a, b) for a, b in pairs if _same_basis(a, r)]
        a, b = (same or pairs)[0]
        row.update(pop_from=a["persons"], pop_to=b["persons"], pop_source=a["source_id"],
                   mean_pop=(a["persons"] + b["persons"]) / 2)
        row["natural_increase_rate"] = rate_per_1000(ni, a["persons"], b["persons"])
        if same:
            m = (b["persons"] - a["persons"]) - ni
            row.update(net_migration_residual=m, net_migration_rate=rate_per_1000(m, a["persons"], b["persons"]),
                       basis=f"residual: population, births and deaths from {a['source_id']} (same table / "
                             f"same vintage and boundaries)")
        else:
            row["basis"] = (f"population ({a['source_id']}: {a['vintage']}, {a['boundaries']}) and events "
                            f"({r.source_id_b}: {r.vintage_b}, {r.boundaries_b}) differ in table/vintage/"
                            f"boundaries: net migration not computed")
        rows.append(row)
    cols = ["code", "year", "pop_from", "pop_to", "births", "deaths", "natural_increase", "net_migration_residual",
            "mean_pop", "natural_increase_rate", "net_migration_rate", "pop_source", "basis"]
    return pd.DataFrame(rows, columns=cols).sort_values(["code", "year"]).reset_index(drop=True)


def _same_basis(pop_row: pd.Series, ev: Any) -> bool:
    if pop_row["source_id"] == ev.source_id_b == ev.source_id_d:
        return True
    return (pop_row["vintage"] == ev.vintage_b == ev.vintage_d and pop_row["vintage"] != ""
            and pop_row["boundaries"] == ev.boundaries_b == ev.boundaries_d and pop_row["boundaries"] != "")


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
            raise MigrationInputError(f"migration flows{s or ' (total)'}: "
                                      f"{'arrivals' if a.empty else 'departures'} missing while "
                                      f"{'departures' if a.empty else 'arrivals'} are present; expected both")
        a = a.assign(v=_persons(a, "indicator table"))[["code", "year", "v"]]
        d = d.assign(v=_persons(d, "indicator table"))[["code", "year", "v"]]
        m = a.merge(d, on=["code", "year"], how="outer", suffixes=("_a", "_d"))
        part = pd.DataFrame({"code": m["code"], "year": m["year"], f"arrivals{s}": m["v_a"],
                             f"departures{s}": m["v_d"], f"net{s}": m["v_a"] - m["v_d"]})
        out = part if out is None else out.merge(part, on=["code", "year"], how="outer")
    if out is None:
        raise MigrationInputError("migration flows: no rows of migration_arrivals / migration_departures "
                                  "(total, _internal or _external) in the input; no NSC migration table is loaded")
    pop = _select(df, population)
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
SUMMARY_COLUMNS = ["code", "year", "source_id", "births", "deaths", "natural_increase", "natural_increase_rate",
                   "arrivals", "departures", "net_migration_registered", "net_migration_residual", "net_migration",
                   "net_migration_rate", "mean_pop", "method", "basis"]


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
        bal = demographic_balance(rows)[["year", "births", "deaths", "natural_increase", "natural_increase_rate",
                                         "net_migration_residual", "net_migration_rate", "mean_pop", "basis"]]
        out = out.merge(bal.rename(columns={"net_migration_rate": "_residual_rate", "basis": "_residual_basis"}),
                        on="year", how="left")
    scopes = ("", "_external") if code == NATIONAL else ("",)
    scope = next((sc for sc in scopes if {f"{ARRIVALS}{sc}", f"{DEPARTURES}{sc}"} <= inds), None)
    if scope is not None:
        flows = [f"{b}{sc}" for sc in FLOW_SCOPES for b in (ARRIVALS, DEPARTURES)]
        keep = [f"{ARRIVALS}{scope}", f"{DEPARTURES}{scope}"]
        fl = migration_flows(rows[~rows["indicator"].isin(set(flows) - set(keep))])
        fl = fl.rename(columns={f"arrivals{scope}": "arrivals", f"departures{scope}": "departures",
                                f"net{scope}": "net_migration_registered", f"net_rate{scope}": "_registered_rate",
                                "mean_pop": "_flow_mean_pop"})
        out = out.merge(fl[["year", "arrivals", "departures", "net_migration_registered", "_registered_rate",
                            "_flow_mean_pop"]], on="year", how="left")
    numeric = ["births", "deaths", "natural_increase", "natural_increase_rate", "arrivals", "departures",
               "net_migration_registered", "net_migration_residual", "mean_pop", "_residual_rate", "_registered_rate",
               "_flow_mean_pop"]
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


def _summary_source(events: pd.DataFrame, code: str, source: str | None) -> str:
    """The one table of :func:`demographic_summary`: ``source``, or the only table with events for ``code``."""
    have = sorted(events["source_id"].unique())
    if source is None:
        if not have:
            raise MigrationInputError(f"demographic summary of {code}: no births, deaths, arrivals or departures in "
                                      "the input (no such table is in the catalogue for this unit)")
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
