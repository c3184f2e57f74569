r"""Are border areas emptying faster? Border vs interior units on growth, net migration and poverty.

The statistics kernels are :mod:`lsg_analysis.measures.groups` (re-exported here): :func:`compare_groups`
(means, gap border − interior, medians, Cliff's delta, Mann–Whitney / permutation p) and :func:`rank_correlation`
(Spearman's rho of a measure with a continuous exposure: share of the perimeter on the border, distance from the
unit's representative point to the border). The n of each group is always stated; with 7 border and 2 interior
oblasts no test can be significant at 5 % (smallest exact two-sided p = 1/18 ≈ 0.056), so the binary comparison
is a city–oblast comparison and the rank correlation uses the variation among all units.

:func:`border_vs_interior` assembles the measures the shipped data allow and says, row by row, what is missing.
Each row carries a stable ``measure_id`` (:data:`MEASURES`; display text is translated from the message catalogue
key ``measure_<id>``), ``measure`` (English label) and, for rank correlations, the ``exposure``.
:func:`both_levels` runs it at oblast level (population growth, oblast poverty: the only level with a population
series) and at rayon level (poverty of the 40 rural rayons) into one table with a ``level`` column;
:func:`headline_metrics` picks the rows the results file records (growth and poverty, border/interior/gap/p/δ) and
:func:`comparison_metrics` all of notebook 02's comparison metrics (both levels, the interior units by code).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from lsg_analysis.core.levels import parse_level
from lsg_analysis.core.rng import generator
from lsg_analysis.data import catalogue, series
from lsg_analysis.measures.groups import (
    COLUMNS,
    GroupInputError,
    cliffs_delta,  # noqa: F401 (re-exported: lsg_analysis.analysis.border_interior.cliffs_delta)
    compare_groups,  # noqa: F401
    permutation_p,  # noqa: F401 (re-exported)
    rank_correlation,
)

#: continuous border exposure from :func:`lsg_analysis.geo.border.border_table` used for rank correlations
EXPOSURES = ("perimeter_share", "dist_km")
#: stable id of each measure compared → English label (display text: message key ``measure_<id>``)
MEASURES = {
    "population_growth": "population growth, % per year",
    "poverty_rate": "poverty_rate (%)",
    "rayon_poverty_rate": "rayon_poverty_rate (%)",
    "net_migration_rate": "net migration per 1000",
}


def _missing_row(measure_id: str, level: int, period: str, note: str) -> dict[str, Any]:
    return {
        "measure_id": measure_id,
        "measure": MEASURES[measure_id],
        "level": level,
        "period": period,
        "weighting": pd.NA,
        "n_border": 0,
        "n_interior": 0,
        "note": note,
    }


def border_vs_interior(
    level: int | str = 1,
    *,
    obs: pd.DataFrame | None = None,
    flags: pd.Series | None = None,
    windows: Sequence[tuple[int, int]] = ((2012, 2020), (2022, 2024), (2024, 2025)),
    poverty_year: int = 2022,
    rayon_poverty_year: int = 2020,
    n_perm: int = 9999,
    rng: np.random.Generator | int | None = None,
    breaks: pd.DataFrame | None = None,
    exposure: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Border vs interior units on what the data allow at ``level`` (1 = oblasts + 2 cities, 2 = rayons).

    Level 1: average annual population growth over each window (one series segment, see
    :func:`lsg_analysis.analysis.migration.window_change`; weights = population at the window's start) and the poverty rate
    of ``poverty_year`` (weights = population at the start of that year, same table preference). Level 2: the rayon
    poverty rate (WFP/MLSD, 40 rural rayons) of ``rayon_poverty_year`` weighted by the WFP 2021 rayon population.
    Net migration by unit and rayon growth have no data yet: their rows say so. ``flags`` (bool by code) defaults
    to ``border_table(level)["border"]`` and ``exposure`` (columns :data:`EXPOSURES`, for the rank correlations) to
    ``border_table(level)``; ``obs`` to the project's processed indicators (all sources), and then
    ``breaks`` to the project's ``series_breaks.csv`` (every declared break is honoured, also those written for the
    chained default series — hence the default windows end in 2020, before the census-revision step).
    """
    from lsg_analysis.geo import border
    from lsg_analysis.analysis.migration import window_change

    level = parse_level(level, allowed=(1, 2))
    if obs is None:
        obs = _project_obs()
        breaks = series.read_breaks() if breaks is None else breaks
    table = border.border_table(level) if exposure is None else exposure
    flags = table["border"] if flags is None else flags
    rows: list[pd.DataFrame | dict[str, Any]] = []
    units = set(flags.index)
    if level == 1:
        for start, end in windows:
            w = window_change(obs, start, end, codes=sorted(units), breaks=breaks)
            ok = w[w["status"] == "ok"].set_index("code")
            note = _dropped_note(w)
            if len(ok) and ok.index.isin(flags[flags].index).any() and ok.index.isin(flags[~flags].index).any():
                label = MEASURES["population_growth"]
                res = compare_groups(
                    ok["growth_pct_per_year"], flags, ok["pop_from"], measure=label, n_perm=n_perm, rng=rng
                )
                corr = _correlations(ok["growth_pct_per_year"], table, label, n_perm, rng)
                res = pd.concat([res, *corr], ignore_index=True)
                rows.append(
                    res.assign(
                        measure_id="population_growth",
                        level=level,
                        period=f"{start}-{end}",
                        note=f"sources {', '.join(sorted(ok['source_id'].unique()))}; {note}",
                    )
                )
            else:
                rows.append(_missing_row("population_growth", level, f"{start}-{end}", note))
        weights = POVERTY_WEIGHTS["poverty_rate"]
        rows.append(_poverty(obs, "poverty_rate", poverty_year, flags, level, n_perm, rng, weights, table))
        rows.append(
            _missing_row(
                "net_migration_rate",
                level,
                "-",
                "no migration or births/deaths by oblast in the shipped data (national only, S09)",
            )
        )
    else:
        rows.append(
            _poverty(
                obs,
                "rayon_poverty_rate",
                rayon_poverty_year,
                flags,
                level,
                n_perm,
                rng,
                POVERTY_WEIGHTS["rayon_poverty_rate"],
                table,
            )
        )
        rows.append(
            _missing_row(
                "population_growth",
                level,
                "-",
                "one rayon population point only (census 2022; WFP 2021 has another definition)",
            )
        )
        rows.append(_missing_row("net_migration_rate", level, "-", "no rayon migration data"))
    frames = [r if isinstance(r, pd.DataFrame) else pd.DataFrame([r]) for r in rows]
    return pd.concat([f.reindex(columns=COLUMNS) for f in frames], ignore_index=True)


#: headline metrics: results-file prefix → (measure ids in order of preference, unit of the group means)
HEADLINE = {
    "growth": (("population_growth",), "% per year"),
    "poverty": (("poverty_rate", "rayon_poverty_rate"), "percent"),
}
#: the rural-rayon comparison recorded beside the oblast-level one (:func:`comparison_metrics`)
RAYON_HEADLINE = {"rayon_poverty": (("rayon_poverty_rate",), "percent")}
#: level number of :func:`border_vs_interior` → its name in results files (``level`` metric and column)
LEVEL_NAMES = {1: "oblast", 2: "rayon"}
#: what the rayon poverty rate is, said in every rayon metric's note
RAYON_POVERTY_NOTE = (
    "rural rayons only (40 rayons with a value; cities and towns have none); poverty rate of the "
    "MLSD (administrative, via WFP PRISM), not comparable with the NSC survey poverty rate; "
    "all rural rayons with a value, not a sample"
)


def both_levels(
    *,
    obs: pd.DataFrame | None = None,
    breaks: pd.DataFrame | None = None,
    windows: Sequence[tuple[int, int]] = ((2012, 2020), (2022, 2024), (2024, 2025)),
    poverty_year: int = 2022,
    rayon_poverty_year: int = 2020,
    n_perm: int = 9999,
    rng: np.random.Generator | int | None = None,
    flags: dict[int, pd.Series] | None = None,
    exposure: dict[int, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """:func:`border_vs_interior` at oblast level (growth over ``windows``, poverty of ``poverty_year``) and at
    rayon level (rural-rayon poverty of ``rayon_poverty_year``), one table; ``level`` = "oblast" / "rayon".

    Each level gets its own random stream (``rng.spawn``), so the rayon p-values do not depend on how many oblast
    windows ran before them. ``flags`` / ``exposure``: by level number (1, 2), defaults as in
    :func:`border_vs_interior`; ``obs`` None loads the project's indicators and (then) its series breaks.
    """
    if obs is None:
        obs = _project_obs()
        breaks = series.read_breaks() if breaks is None else breaks
    gen = generator(rng)
    frames = [
        border_vs_interior(
            level,
            obs=obs,
            breaks=breaks,
            windows=windows,
            poverty_year=poverty_year,
            rayon_poverty_year=rayon_poverty_year,
            n_perm=n_perm,
            rng=g,
            flags=(flags or {}).get(level),
            exposure=(exposure or {}).get(level),
        )
        for level, g in zip((1, 2), gen.spawn(2))
    ]
    out = pd.concat(frames, ignore_index=True)
    return out.assign(level=out["level"].map(LEVEL_NAMES))


def comparison_metrics(
    bvi: pd.DataFrame, oblast_flags: pd.Series, weighting: str = "population"
) -> dict[str, dict[str, Any]]:
    """Notebook 02's comparison metrics from a :func:`both_levels` table, by key; each a dict ``value, unit, year,
    note, group`` (``group``: growth, poverty, rayon_poverty or interior — what the sources are).

    - oblast level: ``growth_*`` and ``poverty_*`` (:func:`headline_metrics`);
    - rayon level: ``rayon_poverty_*`` (same suffixes) and ``n_border_rayons``, ``n_interior_rayons`` — the rural
      rayons with a value in the row used (note: :data:`RAYON_POVERTY_NOTE`);
    - ``interior_units``: the codes (comma-separated, sorted) of the oblast-level interior units (``oblast_flags``
      False), named in the note — on the shipped data Bishkek city and Osh city.
    """
    from lsg_analysis.registry import regions

    out: dict[str, dict[str, Any]] = {}
    oblast = bvi[bvi["level"] == "oblast"]
    for key, m in headline_metrics(oblast, weighting).items():
        out[key] = {**m, "group": key.split("_")[0]}
    rayon = bvi[bvi["level"] == "rayon"]
    for key, m in headline_metrics(rayon, weighting, headline=RAYON_HEADLINE).items():
        out[key] = {**m, "note": f"{m['note']}; {RAYON_POVERTY_NOTE}", "group": "rayon_poverty"}
    row = _headline_row(rayon, RAYON_HEADLINE["rayon_poverty"][0], weighting)
    first = out["rayon_poverty_border_pct"]
    for key, col in (("n_border_rayons", "n_border"), ("n_interior_rayons", "n_interior")):
        out[key] = {
            "value": None if row is None else int(row[col]),
            "unit": "rayons",
            "year": first["year"],
            "note": "rural rayons with a rayon poverty rate in the comparison",
            "group": "rayon_poverty",
        }
    interior = sorted(str(c) for c in oblast_flags.index[~oblast_flags.astype(bool)])
    names = ", ".join(f"{c} {regions.name(c)}" for c in interior) or "none"
    out["interior_units"] = {
        "value": ",".join(interior) or None,
        "unit": "codes",
        "year": None,
        "note": f"interior units (no international border) of the oblast-level comparison: {names}",
        "group": "interior",
    }
    return out


def _headline_row(rows: pd.DataFrame, ids: Sequence[str], weighting: str) -> pd.Series | None:
    """The row of the first measure id of ``ids`` with data: the ``weighting`` row, else the unweighted one."""
    got = rows[rows["measure_id"].isin(ids) & rows["exposure"].isna() & rows["border"].notna()]
    if got.empty:
        return None
    got = got.assign(
        _id=got["measure_id"].map({m: i for i, m in enumerate(ids)}), _w=(got["weighting"] != weighting).astype(int)
    ).sort_values(["_id", "_w"])
    return got.iloc[0]


def headline_metrics(
    bvi: pd.DataFrame, weighting: str = "population", headline: dict[str, tuple[tuple[str, ...], str]] = HEADLINE
) -> dict[str, dict[str, Any]]:
    """Metrics of a :func:`border_vs_interior` table for the results file, by key.

    For each prefix of ``headline`` (default :data:`HEADLINE`: ``growth``: population growth; ``poverty``: the oblast
    poverty rate, at rayon level the rayon poverty rate): ``<prefix>_border_pct``, ``_interior_pct`` (group means),
    ``_gap_pp`` (border − interior, percentage points), ``_gap_p`` (p of the test), ``_effect_size`` (Cliff's delta),
    ``_measure`` (the measure id used) and ``_n_border``, ``_n_interior`` (units compared) — from the ``weighting`` row, else the unweighted one. Each value is a
    dict ``value, unit, year`` (the period) ``, note`` (weighting, test and n; or, when the measure has no data, why).
    """
    out: dict[str, dict[str, Any]] = {}
    for prefix, (ids, unit) in headline.items():
        rows = bvi[bvi["measure_id"].isin(ids) & bvi["exposure"].isna()]
        row = _headline_row(rows, ids, weighting)
        if row is not None:
            note = (
                f"{row['measure_id']}: {row['weighting']}, {row['test']}, n = {row['n_border']} border / "
                f"{row['n_interior']} interior"
            )
            vals = {
                "border_pct": row["border"],
                "interior_pct": row["interior"],
                "gap_pp": row["gap"],
                "gap_p": row["p"],
                "effect_size": row["cliffs_delta"],
                "measure": row["measure_id"],
                "n_border": int(row["n_border"]),
                "n_interior": int(row["n_interior"]),
            }
            year = str(row["period"])
        else:
            note = str(rows["note"].iloc[0]) if len(rows) else f"not measured ({', '.join(ids)})"
            vals = dict.fromkeys(
                ("border_pct", "interior_pct", "gap_pp", "gap_p", "effect_size", "measure", "n_border", "n_interior")
            )
            year = str(rows["period"].iloc[0]) if len(rows) else None
        units = {
            "border_pct": unit,
            "interior_pct": unit,
            "gap_pp": "percentage points",
            "gap_p": "p",
            "effect_size": "Cliff's delta",
            "measure": "id",
            "n_border": "units",
            "n_interior": "units",
        }
        for k, v in vals.items():
            value = None if v is None or (isinstance(v, float) and math.isnan(v)) else v
            out[f"{prefix}_{k}"] = {"value": value, "unit": units[k], "year": year, "note": note}
    return out


def _dropped_note(w: pd.DataFrame) -> str:
    bad = w[w["status"] != "ok"]
    if bad.empty:
        return "all units measured"
    return "not measured: " + "; ".join(f"{r.code} ({r.status})" for r in bad.itertuples())


def _correlations(values: pd.Series, table: pd.DataFrame, measure: str, n_perm: int, rng: Any) -> list[pd.DataFrame]:
    keep = values.index.intersection(table.index)
    return [
        rank_correlation(values[keep], table.loc[keep, e], measure=measure, exposure_name=e, n_perm=n_perm, rng=rng)
        for e in EXPOSURES
        if len(keep) >= 3
    ]


def _poverty(
    obs: pd.DataFrame,
    indicator: str,
    year: int,
    flags: pd.Series,
    level: int,
    n_perm: int,
    rng: Any,
    weight_indicator: str,
    table: pd.DataFrame,
) -> pd.DataFrame | dict[str, Any]:
    from lsg_analysis.analysis.migration import check_obs

    rows, wrows, wyear = poverty_inputs(check_obs(obs), indicator, year, weight_indicator)
    val = rows.set_index("code")["value"].astype(float)
    val = val[val.index.isin(flags.index)]
    wts = wrows.set_index("code")["value"].astype(float)
    measure = MEASURES[indicator]
    if val.empty:
        return _missing_row(indicator, level, str(year), f"no {indicator} for {year}")
    missing_w = sorted(set(val.index) - set(wts.index))
    note = f"n={len(val)} units with a value; weights {weight_indicator} {wyear}"
    if missing_w:
        note += f"; no weight for {missing_w} (left out of the weighted row)"
    res = compare_groups(val, flags, None, measure=measure, n_perm=n_perm, rng=rng)
    keep = val.index.difference(missing_w)
    if len(keep) and flags.reindex(keep).any() and not flags.reindex(keep).all():
        wres = compare_groups(val[keep], flags, wts[keep], measure=measure, n_perm=n_perm, rng=rng)
        res = pd.concat([res, wres[wres["weighting"] == "population"]], ignore_index=True)
    res = pd.concat([res] + _correlations(val, table, measure, n_perm, rng), ignore_index=True)
    return res.assign(measure_id=indicator, level=level, period=str(year), note=note)


def _one_source(df: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The row of each code from the indicator's first source (data/indicators.yml order) that has the unit-year."""
    order = {s: i for i, s in enumerate(catalogue.source_preference(indicator, None, df["source_id"].unique()))}
    df = df.assign(_r=df["source_id"].map(order)).sort_values(["code", "_r"]).drop_duplicates("code")
    return df.drop(columns="_r")


def poverty_inputs(
    df: pd.DataFrame, indicator: str, year: int, weight_indicator: str
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The observation rows a poverty comparison reads: ``indicator`` of ``year`` and its weights (one source each,
    :func:`_one_source`), and the weights' year — the same year for a start-of-year population, else the weight
    indicator's last year (the WFP 2021 rayon population)."""
    rows = _one_source(df[(df["indicator"] == indicator) & (df["year"] == year)], indicator)
    wdf = df[df["indicator"] == weight_indicator]
    wyear = year if weight_indicator.startswith("population_start") else int(wdf["year"].max()) if len(wdf) else year
    return rows, _one_source(wdf[wdf["year"] == wyear], weight_indicator), wyear


#: the comparisons notebook 02 records (:func:`comparison_metrics`): prefix → level, measure ids (preference order)
RECORDED = {
    "growth": ("oblast", HEADLINE["growth"][0]),
    "poverty": ("oblast", HEADLINE["poverty"][0]),
    "rayon_poverty": ("rayon", RAYON_HEADLINE["rayon_poverty"][0]),
}
#: the population each poverty comparison is weighted by (as :func:`border_vs_interior` passes it)
POVERTY_WEIGHTS = {"poverty_rate": "population_start_of_year", "rayon_poverty_rate": "population_rayon_2021"}


def input_cells(
    bvi: pd.DataFrame, *, obs: pd.DataFrame, breaks: pd.DataFrame | None = None, weighting: str = "population"
) -> pd.DataFrame:
    """The observation cells behind each recorded comparison of a :func:`both_levels` table (the row
    :func:`comparison_metrics` reads): ``comparison, code, year, indicator, source_id, value`` — the populations at
    both ends of a growth window; a poverty rate's values and, for the weighted row, its weights."""
    from lsg_analysis.analysis.migration import POPULATION, check_obs, window_change
    from lsg_analysis.geo import border

    df, out = check_obs(obs), []
    for prefix, (level, ids) in RECORDED.items():
        row = _headline_row(bvi[bvi["level"] == level], ids, weighting)
        if row is None:
            continue
        units = set(border.border_table(parse_level(level)).index)
        if row["measure_id"] == "population_growth":
            start, end = (int(y) for y in str(row["period"]).split("-"))
            w = window_change(df, start, end, codes=sorted(units), breaks=breaks)
            ok = w[w["status"] == "ok"]
            cells = pd.concat(
                [ok.assign(year=start, value=ok["pop_from"]), ok.assign(year=end, value=ok["pop_to"])]
            ).assign(indicator=POPULATION)
        else:
            rows, wrows, _ = poverty_inputs(
                df, row["measure_id"], int(row["period"]), POVERTY_WEIGHTS[row["measure_id"]]
            )
            rows = rows[rows["code"].isin(units)]
            weighted = row["weighting"] == "population"
            cells = pd.concat([rows, wrows[wrows["code"].isin(rows["code"])]] if weighted else [rows])
        out.append(cells.assign(comparison=prefix)[["comparison", "code", "year", "indicator", "source_id", "value"]])
    columns = ["comparison", "code", "year", "indicator", "source_id", "value"]
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=columns)


def _project_obs() -> pd.DataFrame:
    """All processed indicator rows (``data/processed/indicators.csv`` via :func:`lsg_analysis.load_indicators`)."""
    from lsg_analysis.data.load import load_indicators

    return load_indicators(source="all")


def border_population_share(populations: pd.Series, flags: pd.Series) -> pd.Series:
    """Share of the population living in border units, for populations given by unit or by composite code.

    A composite code (``A+B``, e.g. a census polygon summing a rayon and its city) is border in the ``upper``
    count if any member is, in the ``lower`` count only if all are: the two shares bracket the truth. Returns a
    Series ``lower, upper, total_population, n_units, n_composite``. A code whose members have no flag is an
    error.
    """
    from lsg_analysis.registry import regions

    lower = upper = 0.0
    n_comp = 0
    for code, pop in pd.Series(populations, dtype=float).items():
        members = regions.members(code)
        got = flags.reindex(members)
        if got.isna().any():
            raise GroupInputError(
                "border population share",
                list(got.index[got.isna()]),
                f"a border flag for every member of {code}",
                column="flags",
            )
        n_comp += len(members) > 1
        upper += pop if got.any() else 0.0
        lower += pop if got.all() else 0.0
    total = float(pd.Series(populations, dtype=float).sum())
    return pd.Series(
        {
            "lower": lower / total,
            "upper": upper / total,
            "total_population": total,
            "n_units": len(populations),
            "n_composite": n_comp,
        }
    )
