r"""Are border areas emptying faster? Border vs interior units on growth, net migration and poverty.

:func:`compare_groups` is the kernel: two groups of units (border / interior), one value per unit, optional
population weights. It reports means (weighted or not), the gap border − interior, medians, Cliff's delta

.. math:: \delta = \frac{\sum_{i \in B}\sum_{j \in I} w_i w_j\,\operatorname{sign}(x_i - x_j)}
                        {\sum_{i \in B} w_i \sum_{j \in I} w_j}

(unweighted: all :math:`w = 1`, so :math:`\delta = 2U/(n_B n_I) - 1` with Mann–Whitney :math:`U`; Cliff 1993,
Psychological Bulletin 114(3):494–509), and a two-sided p-value: Mann–Whitney U (scipy) for the unweighted row, a
permutation test of the weighted mean gap for the weighted row (exact over all relabellings when there are at most
``n_perm`` of them, otherwise ``n_perm`` random relabellings from a seeded ``numpy.random.Generator``; p =
(1 + #{|gap*| ≥ |gap|}) / (1 + n_perm)). The n of each group is always stated; with 7 border and 2 interior
oblasts no test can be significant at 5 % (smallest exact two-sided p = 1/18 ≈ 0.056).

:func:`rank_correlation` relates a measure to a continuous exposure (share of the perimeter on the border, distance
from the unit's representative point to the border): Spearman's rho with a permutation p. With only two interior
oblasts the binary comparison is a city–oblast comparison; the rank correlation uses the variation among all units.

:func:`border_vs_interior` assembles the measures the shipped data allow and says, row by row, what is missing.
Each row carries a stable ``measure_id`` (:data:`MEASURES`; display text is translated from the message catalogue
key ``measure_<id>``), ``measure`` (English label) and, for rank correlations, the ``exposure``.
:func:`both_levels` runs it at oblast level (population growth, oblast poverty: the only level with a population
series) and at rayon level (poverty of the 40 rural rayons) into one table with a ``level`` column;
:func:`headline_metrics` picks the rows the results file records (growth and poverty, border/interior/gap/p/δ) and
:func:`comparison_metrics` all of notebook 02's comparison metrics (both levels, the interior units by code).
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from lsg_analysis.analysis.migration import MigrationInputError
from lsg_analysis.core.levels import parse_level
from lsg_analysis.core.rng import generator
from lsg_analysis.data import catalogue, series

COLUMNS = ["measure_id", "measure", "exposure", "level", "period", "weighting", "border", "interior", "gap", "median_border",
           "median_interior", "cliffs_delta", "rho", "p", "test", "n_border", "n_interior", "note"]
#: continuous border exposure from :func:`lsg_analysis.geo.border.border_table` used for rank correlations
EXPOSURES = ("perimeter_share", "dist_km")
#: stable id of each measure compared → English label (display text: message key ``measure_<id>``)
MEASURES = {"population_growth": "population growth, % per year", "poverty_rate": "poverty_rate (%)",
            "rayon_poverty_rate": "rayon_poverty_rate (%)", "net_migration_rate": "net migration per 1000"}


def cliffs_delta(x: Sequence[float], y: Sequence[float], wx: Sequence[float] | None = None,
                 wy: Sequence[float] | None = None) -> float:
    """Cliff's delta of ``x`` over ``y`` (optionally weighted): +1 every x above every y, −1 the reverse.

    >>> cliffs_delta([3, 4], [1, 2])
    1.0
    >>> cliffs_delta([1, 3], [2, 2])
    0.0
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    wx = np.ones_like(x) if wx is None else np.asarray(wx, float)
    wy = np.ones_like(y) if wy is None else np.asarray(wy, float)
    s = np.sign(x[:, None] - y[None, :])
    return float((wx[:, None] * wy[None, :] * s).sum() / (wx.sum() * wy.sum()))


def _wmean(v: np.ndarray, w: np.ndarray) -> float:
    return float((v * w).sum() / w.sum())


def permutation_p(values: np.ndarray, labels: np.ndarray, weights: np.ndarray, *, n_perm: int = 9999,
                  rng: np.random.Generator | int | None = None) -> tuple[float, str]:
    """Two-sided p of the weighted mean gap (label True − label False) under random relabelling.

    Exact (all relabellings keeping the group sizes) when there are at most ``n_perm`` of them; otherwise Monte
    Carlo with ``n_perm`` draws from ``rng`` (a Generator or a seed: :mod:`lsg_analysis.core.rng`, no default).
    Returns (p, description of the test).
    """
    n, k = len(values), int(labels.sum())
    obs = abs(_wmean(values[labels], weights[labels]) - _wmean(values[~labels], weights[~labels]))
    tol = 1e-12 * max(1.0, obs)
    if math.comb(n, k) <= n_perm:
        count = total = 0
        for idx in itertools.combinations(range(n), k):
            lab = np.zeros(n, bool)
            lab[list(idx)] = True
            gap = abs(_wmean(values[lab], weights[lab]) - _wmean(values[~lab], weights[~lab]))
            count += gap >= obs - tol
            total += 1
        return count / total, f"exact permutation ({total} relabellings)"
    gen = generator(rng)
    count = 0
    for _ in range(n_perm):
        lab = gen.permutation(labels)
        gap = abs(_wmean(values[lab], weights[lab]) - _wmean(values[~lab], weights[~lab]))
        count += gap >= obs - tol
    return (1 + count) / (1 + n_perm), f"permutation ({n_perm} random relabellings)"


def compare_groups(values: pd.Series, is_border: pd.Series, weights: pd.Series | None = None, *,
                   measure: str = "", n_perm: int = 9999, rng: np.random.Generator | int | None = None
                   ) -> pd.DataFrame:
    """Border vs interior on one measure: an ``unweighted`` row and, with ``weights``, a ``population`` row.

    ``values``, ``is_border`` (bool) and ``weights`` are Series indexed by unit code; every unit of ``values``
    needs a flag and (if given) a positive weight, every value must be a number — otherwise
    :class:`~lsg_analysis.analysis.migration.MigrationInputError` names the units. Columns: see :data:`COLUMNS`.
    """
    from scipy import stats

    v = pd.Series(values, dtype=float)
    if v.isna().any():
        raise MigrationInputError(f"{measure or 'measure'}: no value for {list(v.index[v.isna()])}; drop units "
                                  "without a value before comparing (and state it)")
    flags = pd.Series(is_border).reindex(v.index)
    if flags.isna().any():
        raise MigrationInputError(f"{measure or 'measure'}: no border flag for {list(v.index[flags.isna()])}")
    b = flags.astype(bool).to_numpy()
    if b.all() or not b.any():
        raise MigrationInputError(f"{measure or 'measure'}: needs at least one border and one interior unit; "
                                  f"found {int(b.sum())} border and {int((~b).sum())} interior")
    x = v.to_numpy()
    rows = []
    mw = stats.mannwhitneyu(x[b], x[~b], alternative="two-sided")
    rows.append({"weighting": "unweighted", "border": float(x[b].mean()), "interior": float(x[~b].mean()),
                 "median_border": float(np.median(x[b])), "median_interior": float(np.median(x[~b])),
                 "cliffs_delta": cliffs_delta(x[b], x[~b]), "p": float(mw.pvalue), "test": "Mann-Whitney U"})
    if weights is not None:
        w = pd.Series(weights, dtype=float).reindex(v.index)
        if w.isna().any() or (w <= 0).any():
            bad = list(w.index[w.isna() | (w <= 0)])
            raise MigrationInputError(f"{measure or 'measure'}: missing or non-positive weight for {bad}")
        wa = w.to_numpy()
        p, test = permutation_p(x, b, wa, n_perm=n_perm, rng=rng)
        rows.append({"weighting": "population", "border": _wmean(x[b], wa[b]), "interior": _wmean(x[~b], wa[~b]),
                     "median_border": np.nan, "median_interior": np.nan,
                     "cliffs_delta": cliffs_delta(x[b], x[~b], wa[b], wa[~b]), "p": p, "test": test})
    out = pd.DataFrame(rows)
    out["gap"] = out["border"] - out["interior"]
    out["measure"], out["n_border"], out["n_interior"] = measure, int(b.sum()), int((~b).sum())
    return out.reindex(columns=COLUMNS)


def rank_correlation(values: pd.Series, exposure: pd.Series, *, measure: str = "", exposure_name: str = "",
                     n_perm: int = 9999, rng: np.random.Generator | int | None = None) -> pd.DataFrame:
    """Spearman's rank correlation of ``values`` with a continuous border exposure (e.g. share of the perimeter
    on the border, distance to the border), with a permutation p (exact over all orderings when there are at most
    ``n_perm`` of them, else seeded Monte Carlo). One row in the layout of :data:`COLUMNS` (``rho``, ``p``; ``n``
    in ``n_border``, ``n_interior`` = 0). Units without a value or an exposure are an error.
    """
    from scipy import stats

    v = pd.Series(values, dtype=float)
    e = pd.Series(exposure, dtype=float).reindex(v.index)
    bad = list(v.index[v.isna() | e.isna()])
    if bad:
        raise MigrationInputError(f"{measure or 'measure'}: no value or no {exposure_name or 'exposure'} for {bad}")
    if len(v) < 3:
        raise MigrationInputError(f"{measure or 'measure'}: rank correlation needs at least 3 units, got {len(v)}")
    x, y = stats.rankdata(v.to_numpy()), stats.rankdata(e.to_numpy())
    rho = float(np.corrcoef(x, y)[0, 1])
    n = len(x)
    if math.factorial(n) <= n_perm:
        perms = (np.array(p) for p in itertools.permutations(range(n)))
        total = math.factorial(n)
        test = f"exact permutation ({total} orderings)"
    else:
        gen = generator(rng)
        perms = (gen.permutation(n) for _ in range(n_perm))
        total = n_perm
        test = f"permutation ({n_perm} random orderings)"
    count = sum(abs(np.corrcoef(x[p], y)[0, 1]) >= abs(rho) - 1e-12 for p in perms)
    p = count / total if test.startswith("exact") else (1 + count) / (1 + total)
    return pd.DataFrame([{"measure": f"{measure} vs {exposure_name}", "exposure": exposure_name or pd.NA,
                          "weighting": "rank correlation", "rho": rho,
                          "p": float(p), "test": f"Spearman, {test}", "n_border": n, "n_interior": 0}]
                        ).reindex(columns=COLUMNS)


def _missing_row(measure_id: str, level: int, period: str, note: str) -> dict[str, Any]:
    return {"measure_id": measure_id, "measure": MEASURES[measure_id], "level": level, "period": period, "weighting": pd.NA, "n_border": 0,
            "n_interior": 0, "note": note}


def border_vs_interior(level: int | str = 1, *, obs: pd.DataFrame | None = None, flags: pd.Series | None = None,
                       windows: Sequence[tuple[int, int]] = ((2012, 2020), (2022, 2024), (2024, 2025)),
                       poverty_year: int = 2022, rayon_poverty_year: int = 2020, n_perm: int = 9999,
                       rng: np.random.Generator | int | None = None, breaks: pd.DataFrame | None = None,
                       exposure: pd.DataFrame | None = None) -> pd.DataFrame:
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
    from lsg_analysis.analysis.migration import POPULATION, window_change

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
                res = compare_groups(ok["growth_pct_per_year"], flags, ok["pop_from"], measure=label, n_perm=n_perm,
                                     rng=rng)
                corr = _correlations(ok["growth_pct_per_year"], table, label, n_perm, rng)
                res = pd.concat([res, *corr], ignore_index=True)
                rows.append(res.assign(measure_id="population_growth", level=level, period=f"{start}-{end}",
                                       note=f"sources {', '.join(sorted(ok['source_id'].unique()))}; {note}"))
            else:
                rows.append(_missing_row("population_growth", level, f"{start}-{end}", note))
        rows.append(_poverty(obs, "poverty_rate", poverty_year, flags, level, n_perm, rng, POPULATION, table))
        rows.append(_missing_row("net_migration_rate", level, "-",
                                 "no migration or births/deaths by oblast in the shipped data (national only, S09)"))
    else:
        rows.append(_poverty(obs, "rayon_poverty_rate", rayon_poverty_year, flags, level, n_perm, rng,
                             "population_rayon_2021", table))
        rows.append(_missing_row("population_growth", level, "-",
                                 "one rayon population point only (census 2022; WFP 2021 has another definition)"))
        rows.append(_missing_row("net_migration_rate", level, "-", "no rayon migration data"))
    frames = [r if isinstance(r, pd.DataFrame) else pd.DataFrame([r]) for r in rows]
    return pd.concat([f.reindex(columns=COLUMNS) for f in frames], ignore_index=True)


#: headline metrics: results-file prefix → (measure ids in order of preference, unit of the group means)
HEADLINE = {"growth": (("population_growth",), "% per year"),
            "poverty": (("poverty_rate", "rayon_poverty_rate"), "percent")}
#: the rural-rayon comparison recorded beside the oblast-level one (:func:`comparison_metrics`)
RAYON_HEADLINE = {"rayon_poverty": (("rayon_poverty_rate",), "percent")}
#: level number of :func:`border_vs_interior` → its name in results files (``level`` metric and column)
LEVEL_NAMES = {1: "oblast", 2: "rayon"}
#: what the rayon poverty rate is, said in every rayon metric's note
RAYON_POVERTY_NOTE = ("rural rayons only (40 rayons with a value; cities and towns have none); poverty rate of the "
                      "MLSD (administrative, via WFP PRISM), not comparable with the NSC survey poverty rate; "
                      "all rural rayons with a value, not a sample")


def both_levels(*, obs: pd.DataFrame | None = None, breaks: pd.DataFrame | None = None,
                windows: Sequence[tuple[int, int]] = ((2012, 2020), (2022, 2024), (2024, 2025)),
                poverty_year: int = 2022, rayon_poverty_year: int = 2020, n_perm: int = 9999,
                rng: np.random.Generator | int | None = None,
                flags: dict[int, pd.Series] | None = None, exposure: dict[int, pd.DataFrame] | None = None
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
    frames = [border_vs_interior(level, obs=obs, breaks=breaks, windows=windows, poverty_year=poverty_year,
                                 rayon_poverty_year=rayon_poverty_year, n_perm=n_perm, rng=g,
                                 flags=(flags or {}).get(level), exposure=(exposure or {}).get(level))
              for level, g in zip((1, 2), gen.spawn(2))]
    out = pd.concat(frames, ignore_index=True)
    return out.assign(level=out["level"].map(LEVEL_NAMES))


def comparison_metrics(bvi: pd.DataFrame, oblast_flags: pd.Series,
                       weighting: str = "population") -> dict[str, dict[str, Any]]:
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
        out[key] = {"value": None if row is None else int(row[col]), "unit": "rayons", "year": first["year"],
                    "note": "rural rayons with a rayon poverty rate in the comparison", "group": "rayon_poverty"}
    interior = sorted(str(c) for c in oblast_flags.index[~oblast_flags.astype(bool)])
    names = ", ".join(f"{c} {regions.name(c)}" for c in interior) or "none"
    out["interior_units"] = {"value": ",".join(interior) or None, "unit": "codes", "year": None,
                             "note": f"interior units (no international border) of the oblast-level comparison: "
                                     f"{names}", "group": "interior"}
    return out


def _headline_row(rows: pd.DataFrame, ids: Sequence[str], weighting: str) -> pd.Series | None:
    """The row of the first measure id of ``ids`` with data: the ``weighting`` row, else the unweighted one."""
    got = rows[rows["measure_id"].isin(ids) & rows["exposure"].isna() & rows["border"].notna()]
    if got.empty:
        return None
    got = got.assign(_id=got["measure_id"].map({m: i for i, m in enumerate(ids)}),
                     _w=(got["weighting"] != weighting).astype(int)).sort_values(["_id", "_w"])
    return got.iloc[0]


def headline_metrics(bvi: pd.DataFrame, weighting: str = "population",
                     headline: dict[str, tuple[tuple[str, ...], str]] = HEADLINE) -> dict[str, dict[str, Any]]:
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
            note = (f"{row['measure_id']}: {row['weighting']}, {row['test']}, n = {row['n_border']} border / "
                    f"{row['n_interior']} interior")
            vals = {"border_pct": row["border"], "interior_pct": row["interior"], "gap_pp": row["gap"],
                    "gap_p": row["p"], "effect_size": row["cliffs_delta"], "measure": row["measure_id"],
                    "n_border": int(row["n_border"]), "n_interior": int(row["n_interior"])}
            year = str(row["period"])
        else:
            note = str(rows["note"].iloc[0]) if len(rows) else f"not measured ({', '.join(ids)})"
            vals = dict.fromkeys(("border_pct", "interior_pct", "gap_pp", "gap_p", "effect_size", "measure",
                                  "n_border", "n_interior"))
            year = str(rows["period"].iloc[0]) if len(rows) else None
        units = {"border_pct": unit, "interior_pct": unit, "gap_pp": "percentage points", "gap_p": "p",
                 "effect_size": "Cliff's delta", "measure": "id", "n_border": "units", "n_interior": "units"}
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
    return [rank_correlation(values[keep], table.loc[keep, e], measure=measure, exposure_name=e, n_perm=n_perm,
                             rng=rng) for e in EXPOSURES if len(keep) >= 3]


def _poverty(obs: pd.DataFrame, indicator: str, year: int, flags: pd.Series, level: int, n_perm: int,
             rng: Any, weight_indicator: str, table: pd.DataFrame) -> pd.DataFrame | dict[str, Any]:
    from lsg_analysis.analysis.migration import check_obs

    df = check_obs(obs)
    val = _one_source(df[(df["indicator"] == indicator) & (df["year"] == year)], indicator)
    val = val[val.index.isin(flags.index)]
    wdf = df[df["indicator"] == weight_indicator]
    wyear = year if weight_indicator.startswith("population_start") else int(wdf["year"].max()) if len(wdf) else year
    wts = _one_source(wdf[wdf["year"] == wyear], weight_indicator)
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


def _one_source(df: pd.DataFrame, indicator: str) -> pd.Series:
    """value by code from the indicator's first source (data/indicators.yml order) that has the unit-year."""
    order = {s: i for i, s in enumerate(catalogue.source_preference(indicator, None, df["source_id"].unique()))}
    df = df.assign(_r=df["source_id"].map(order)).sort_values(["code", "_r"]).drop_duplicates("code")
    return df.set_index("code")["value"].astype(float)


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
            raise MigrationInputError(f"border population share: no border flag for {list(got.index[got.isna()])} "
                                      f"(member of {code})")
        n_comp += len(members) > 1
        upper += pop if got.any() else 0.0
        lower += pop if got.all() else 0.0
    total = float(pd.Series(populations, dtype=float).sum())
    return pd.Series({"lower": lower / total, "upper": upper / total, "total_population": total,
                      "n_units": len(populations), "n_composite": n_comp})
