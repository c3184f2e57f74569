"""Doubtful source values: flagged, never changed, never hidden (``lsg_analysis.quality``).

Five documented rules find cells of ``data/processed/indicators.csv`` (default series and every source) that
cannot be right; the thresholds are data (``data/quality_rules.csv``: rule, parameter, value, reason):

- ``spike``: a value differs from BOTH neighbouring years of its series (code × indicator × source, within one
  segment of :func:`lsg_analysis.data.series.segments`, so never across a declared break) by more than
  ``min_log_ratio`` in log ratio, in the same direction, while the neighbours agree within
  ``max_neighbour_log_ratio`` (a spike or dip that reverts);
- ``range``: a rate, count or money amount below ``min``, or a share (unit ``percent…``) above ``percent_max``;
- ``peer_outlier``: the robust z-score 0.6745 (ln x − median) / max(MAD, ``min_mad``) among the units of the same
  level, indicator, source and year exceeds ``min_robust_z`` (at least ``min_units`` positive values) in a year
  when the same unit lies within ``max_neighbour_z`` of its peers in the comparable neighbouring year(s) (at
  least one of them must have a score);
- ``parts_vs_total``: for counts, the level-1 rows (7 oblasts + Bishkek + Osh city, composites and
  "Osh oblast incl. Osh city" expanded, each unit exactly once) differ from the republic row of the same source
  and year by more than ``max_relative_gap`` (relative to the total); the republic row is flagged;
- ``last_year``: the last value of a series (within its last segment) differs by more than ``min_log_ratio`` in
  log ratio, in the same direction, from the year before AND from the series' recent level (the median of the
  ``level_years`` values before it, so a return from a one-year dip is not a jump), and its change from the year
  before is far outside the series' own earlier year-on-year changes: the robust z-score
  0.6745 (Δ − median) / max(MAD, ``min_mad``) among the earlier changes (at least ``min_changes``; a change to or
  from zero counts as infinite, zero to zero as none) exceeds ``min_robust_z`` — a jump ``spike`` cannot test
  because no later year shows whether it reverts (SDG 3.6.1 2022: Chui 17.3 → 0.9).

A flag is a question for a reader, not a correction: values change only through ``data/corrections.csv``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError, DataErrors, ParameterError
from lsg_analysis.core.levels import parse_level
from lsg_analysis.data import series

__all__ = [
    "FLAG_COLUMNS",
    "LEVEL1_PARTITION",
    "RULES",
    "RULE_COLUMNS",
    "RULES_FILE",
    "describe",
    "find_flags",
    "flags",
    "read_rules",
    "registry_levels",
]

RULES_FILE = "quality_rules.csv"
RULE_COLUMNS = ["rule", "parameter", "value", "reason"]
#: rule → parameter → (lowest, highest) allowed value (None = unbounded); every pair must have one row.
RULES: dict[str, dict[str, tuple[float | None, float | None]]] = {
    "spike": {"min_log_ratio": (0.0, None), "max_neighbour_log_ratio": (0.0, None), "max_year_gap": (1.0, 10.0)},
    "range": {"min": (None, None), "percent_max": (0.0, None)},
    "peer_outlier": {
        "min_robust_z": (0.0, None),
        "max_neighbour_z": (0.0, None),
        "min_units": (3.0, None),
        "min_mad": (0.0, None),
    },
    "parts_vs_total": {"max_relative_gap": (0.0, 1.0)},
    "last_year": {
        "min_log_ratio": (0.0, None),
        "min_robust_z": (0.0, None),
        "min_mad": (0.0, None),
        "min_changes": (2.0, None),
        "level_years": (1.0, 10.0),
        "max_year_gap": (1.0, 10.0),
    },
}
FLAG_COLUMNS = ["code", "year", "indicator", "value", "rule", "note", "source_id", "level", "unit", "default_series"]
#: Level-1 units that partition the republic (before the 2024 reform as after it).
LEVEL1_PARTITION = ("KG-B", "KG-C", "KG-GB", "KG-GO", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y")
MAD_TO_SD = 0.6745


def _rule_row(r: pd.Series, row: int, where: str, seen: set[tuple[str, str]]) -> tuple[str, str, float]:
    """One row of the rules table checked (adds its rule and parameter to ``seen``); a DataError otherwise."""
    rule, param = r["rule"].strip(), r["parameter"].strip()
    if rule not in RULES:
        raise DataError(where, rule, "one of " + ", ".join(RULES), row=row, column="rule")
    if param not in RULES[rule]:
        raise DataError(where, param, f"a parameter of {rule}: " + ", ".join(RULES[rule]), row=row, column="parameter")
    if (rule, param) in seen:
        raise DataError(where, f"{rule},{param}", "each rule and parameter once", row=row, column="parameter")
    seen.add((rule, param))
    lo, hi = RULES[rule][param]
    try:
        value = float(r["value"])
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or (lo is not None and value < lo) or (hi is not None and value > hi):
        span = f"{'-inf' if lo is None else f'{lo:g}'}..{'inf' if hi is None else f'{hi:g}'}"
        raise DataError(where, r["value"], f"a number in {span}", row=row, column="value")
    if not r["reason"].strip():
        raise DataError(where, "", "the reason for this threshold", row=row, column="reason")
    return rule, param, value


def read_rules(path: str | Path | None = None) -> dict[str, dict[str, float]]:
    """``data/quality_rules.csv`` validated: rule → parameter → value. Every bad row is a DataError naming the row
    and column; all problems are raised together (DataErrors)."""
    p = Path(path) if path is not None else paths.DATA / RULES_FILE
    where = paths.rel(p)
    if not p.is_file():
        raise DataError(where, "no file", "the quality rules (rule, parameter, value, reason)")
    frame = pd.read_csv(p, dtype=str, keep_default_na=False)
    if list(frame.columns) != RULE_COLUMNS:
        raise DataError(where, ",".join(frame.columns), "the columns " + ",".join(RULE_COLUMNS), row=1)
    errors: list[DataError] = []
    out: dict[str, dict[str, float]] = {}
    seen: set[tuple[str, str]] = set()
    for i, r in frame.iterrows():
        try:
            rule, param, value = _rule_row(r, int(i) + 2, where, seen)
        except DataError as e:
            errors.append(e)
            continue
        out.setdefault(rule, {})[param] = value
    errors += [
        DataError(where, "no row", f"a row for rule {rule}, parameter {param}", column="parameter")
        for rule, params in RULES.items()
        for param in params
        if (rule, param) not in seen
    ]
    if errors:
        raise DataErrors(errors)
    return out


def _log(values: pd.Series | np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(np.asarray(values, dtype=float))


def _spike_candidates(ind: pd.DataFrame, p: Mapping[str, float]) -> pd.DataFrame:
    """Rows whose value jumps away from both agreeing adjacent years of the same code, indicator and source
    (segments not yet checked), with the neighbours' years, values and log ratios."""
    s = ind.sort_values(["code", "indicator", "source_id", "year"], kind="stable")
    g = s.groupby(["code", "indicator", "source_id"], sort=False)
    ln = pd.Series(_log(s["value"]), index=s.index)
    c = s.assign(y0=g["year"].shift(1), y1=g["year"].shift(-1), v0=g["value"].shift(1), v1=g["value"].shift(-1))
    before = ln.groupby([s["code"], s["indicator"], s["source_id"]]).shift(1)
    after = ln.groupby([s["code"], s["indicator"], s["source_id"]]).shift(-1)
    with np.errstate(invalid="ignore"):
        c = c.assign(up=ln - before, down=ln - after, across=before - after)
    t, gap = p["min_log_ratio"], p["max_year_gap"]
    keep = (
        (c["year"] - c["y0"] <= gap)
        & (c["y1"] - c["year"] <= gap)
        & (c["up"].abs() > t)
        & (c["down"].abs() > t)
        & (np.sign(c["up"]) == np.sign(c["down"]))
        & (c["across"].abs() <= p["max_neighbour_log_ratio"])
    )
    return c[keep]


def spike_flags(ind: pd.DataFrame, breaks: pd.DataFrame | None, p: Mapping[str, float]) -> list[dict]:
    """Rule ``spike``: one year that jumps away from both agreeing neighbours of its segment and comes back."""
    out = []
    for i, r in _spike_candidates(ind, p).iterrows():
        rows = ind[
            (ind["code"] == r["code"]) & (ind["indicator"] == r["indicator"]) & (ind["source_id"] == r["source_id"])
        ]
        seg = series.segments(rows, breaks)
        by_year = dict(zip(rows.loc[seg.index, "year"], seg))
        if not by_year[int(r["y0"])] == by_year[r["year"]] == by_year[int(r["y1"])]:
            continue
        what = "spike" if r["up"] > 0 else "dip"
        note = (
            f"{what}: {r['value']:.4g} in {r['year']} between {r['v0']:.4g} ({int(r['y0'])}) and "
            f"{r['v1']:.4g} ({int(r['y1'])}); |ln ratio| {min(abs(r['up']), abs(r['down'])):.2f} > "
            f"{p['min_log_ratio']:g}, neighbours within {abs(r['across']):.2f}"
        )
        out.append({**ind.loc[i].to_dict(), "rule": "spike", "note": note})
    return out


def range_flags(ind: pd.DataFrame, meta: pd.DataFrame, p: Mapping[str, float]) -> list[dict]:
    """Rule ``range``: negative rates/counts/money, shares above ``percent_max``."""
    kind = ind["indicator"].map(dict(zip(meta["indicator"], meta["kind"])))
    unit = ind["indicator"].map(dict(zip(meta["indicator"], meta["unit"]))).astype(str)
    low = kind.isin(["rate", "count", "money"]) & (ind["value"] < p["min"])
    high = (kind == "rate") & unit.str.startswith("percent") & (ind["value"] > p["percent_max"])
    out = []
    for i in ind.index[low | high]:
        r = ind.loc[i]
        bound = (
            f"below {p['min']:g} (a {kind[i]} cannot be negative)"
            if low[i]
            else f"above {p['percent_max']:g} (a share of {unit[i]})"
        )
        out.append({**r.to_dict(), "rule": "range", "note": f"{r['value']:.6g} is {bound}"})
    return out


def _robust_z(ind: pd.DataFrame, min_units: float, min_mad: float) -> pd.Series:
    """Robust z of ln value within level × indicator × source × year, the MAD at least ``min_mad`` (NaN where not
    computable)."""
    z = pd.Series(np.nan, index=ind.index)
    positive = ind[ind["value"] > 0]
    for _, g in positive.groupby(["level", "indicator", "source_id", "year"], sort=False):
        if len(g) < min_units:
            continue
        x = _log(g["value"])
        med = float(np.median(x))
        mad = max(float(np.median(np.abs(x - med))), min_mad)
        if mad > 0:
            z[g.index] = MAD_TO_SD * (x - med) / mad
    return z


def peer_flags(ind: pd.DataFrame, breaks: pd.DataFrame | None, p: Mapping[str, float]) -> list[dict]:
    """Rule ``peer_outlier``: a unit far from its peers in one year only."""
    z = _robust_z(ind, p["min_units"], p["min_mad"])
    n = ind["value"].gt(0).groupby([ind["level"], ind["indicator"], ind["source_id"], ind["year"]]).transform("sum")
    key = dict(zip(zip(ind["code"], ind["indicator"], ind["source_id"], ind["year"]), z))
    out = []
    for i in ind.index[z.abs() > p["min_robust_z"]]:
        r = ind.loc[i]
        near = {}
        for y in (r["year"] - 1, r["year"] + 1):
            zy = key.get((r["code"], r["indicator"], r["source_id"], y), np.nan)
            ok = breaks is None or series.comparable(breaks, r["indicator"], r["source_id"], r["code"], r["year"], y)
            if ok and not np.isnan(zy):
                near[y] = zy
        if not near or any(abs(v) > p["max_neighbour_z"] for v in near.values()):
            continue
        others = ", ".join(f"{v:+.1f} in {y}" for y, v in sorted(near.items()))
        out.append(
            {
                **r.to_dict(),
                "rule": "peer_outlier",
                "note": f"robust z {z[i]:+.1f} among {int(n[i])} level-{r['level']} units (> "
                f"{p['min_robust_z']:g}); {others} (within {p['max_neighbour_z']:g})",
            }
        )
    return out


def _partition(rows: pd.DataFrame, members: Mapping[str, list[str]]) -> list[str]:
    """The level-1 units the rows cover, each as often as it is covered."""
    covered = []
    for code, flag in zip(rows["code"], rows["flag"].astype(str)):
        covered += members.get(code, [code])
        if code == "KG-O" and series.OSH_FLAG in flag:
            covered.append("KG-GO")
    return sorted(covered)


def total_flags(
    ind: pd.DataFrame, meta: pd.DataFrame, members: Mapping[str, list[str]], p: Mapping[str, float]
) -> list[dict]:
    """Rule ``parts_vs_total``: level-1 parts that do not add up to the republic row (counts only)."""
    counts = set(meta.loc[meta["kind"] == "count", "indicator"])
    out = []
    for _, g in ind[ind["indicator"].isin(counts)].groupby(["indicator", "source_id", "year"], sort=True):
        total, parts = g[g["level"] == 0], g[g["level"] == 1]
        if len(total) != 1 or _partition(parts, members) != sorted(LEVEL1_PARTITION):
            continue
        t, s = float(total["value"].iloc[0]), float(parts["value"].sum())
        gap = (s - t) / t if t else math.inf
        if abs(gap) > p["max_relative_gap"]:
            note = (
                f"the {len(parts)} level-1 rows sum to {s:.6g}, {gap:+.2%} of the republic row {t:.6g} "
                f"(tolerance {p['max_relative_gap']:.2%})"
            )
            out.append({**total.iloc[0].to_dict(), "rule": "parts_vs_total", "note": note})
    return out


def _log_change(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """ln(after / before): ±inf to or from zero, 0 from zero to zero."""
    before, after = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = _log(after) - _log(before)
    return np.where((before == 0) & (after == 0), 0.0, d)


def _last_year_candidates(ind: pd.DataFrame, p: Mapping[str, float]) -> pd.DataFrame:
    """The last row of every series (code × indicator × source) that moves by more than ``min_log_ratio`` from the
    year before, at most ``max_year_gap`` earlier, with enough rows for the history (segments not yet checked)."""
    s = ind.sort_values(["code", "indicator", "source_id", "year"], kind="stable")
    g = s.groupby(["code", "indicator", "source_id"], sort=False)
    c = s.assign(y0=g["year"].shift(1), v0=g["value"].shift(1), n=g["year"].transform("size"))
    c = c[g.cumcount(ascending=False) == 0]
    step = pd.Series(_log_change(c["v0"], c["value"]), index=c.index)
    keep = (c["year"] - c["y0"] <= p["max_year_gap"]) & (step.abs() > p["min_log_ratio"])
    return c[keep & (c["n"] >= p["min_changes"] + 2)]


def last_year_flags(ind: pd.DataFrame, breaks: pd.DataFrame | None, p: Mapping[str, float]) -> list[dict]:
    """Rule ``last_year``: the last value of a series jumps away from the year before far beyond the series' own
    year-on-year changes (robust z of the last change among the earlier ones of its last segment)."""
    out = []
    for i, r in _last_year_candidates(ind, p).iterrows():
        rows = ind[
            (ind["code"] == r["code"]) & (ind["indicator"] == r["indicator"]) & (ind["source_id"] == r["source_id"])
        ].sort_values("year")
        seg = series.segments(rows, breaks)
        rows = rows[seg == seg.loc[i]]
        years, values = rows["year"].to_numpy(), rows["value"].to_numpy(dtype=float)
        if len(years) < 2 or years[-2] != r["y0"]:
            continue  # a declared break or a new segment just before the last year: nothing to compare
        d = _log_change(values[:-1], values[1:])
        near = np.diff(years) <= p["max_year_gap"]
        history = d[:-1][near[:-1]]
        k = int(p["level_years"])
        level = float(np.median(values[-k - 1 : -1]))
        away = _log_change(np.array([level]), values[-1:])[0]
        if len(history) < p["min_changes"] or not (abs(away) > p["min_log_ratio"] and np.sign(away) == np.sign(d[-1])):
            continue  # too short a history, or back at the recent level (a return from a one-year dip)
        with np.errstate(invalid="ignore"):
            med = float(np.median(history))
            mad = max(float(np.median(np.abs(history - med))), p["min_mad"])
            z = MAD_TO_SD * (d[-1] - med) / mad
        if not abs(z) > p["min_robust_z"]:
            continue  # within the series' own changes (or not computable: a series that jumps to zero and back)
        what = "collapse" if d[-1] < 0 else "jump"
        note = (
            f"last year {what}: {r['value']:.4g} in {r['year']} after {r['v0']:.4g} ({int(r['y0'])}), recent level "
            f"{level:.4g} (median {int(years[-k - 1])}–{int(years[-2])}); |ln ratio| {min(abs(d[-1]), abs(away)):.2f} "
            f"> {p['min_log_ratio']:g} and robust z {z:+.1f} against the {len(history)} earlier changes of the series "
            f"(median {med:+.2f}, MAD {mad:.2f}; > {p['min_robust_z']:g}); no later year shows whether it reverts"
        )
        out.append({**ind.loc[i].to_dict(), "rule": "last_year", "note": note})
    return out


def find_flags(
    ind: pd.DataFrame,
    meta: pd.DataFrame,
    breaks: pd.DataFrame | None,
    rules: Mapping[str, Mapping[str, float]],
    levels: Mapping[str, int],
    members: Mapping[str, list[str]] | None = None,
) -> pd.DataFrame:
    """Every flag of the indicator rows ``ind`` (code, year, indicator, value, source_id, vintage, boundaries, flag,
    default_series): FLAG_COLUMNS, sorted by rule, indicator, source, code, year. ``levels``: code → level;
    ``members``: composite code → level-1 member codes; ``breaks=None``: no declared breaks (tests)."""
    ind = ind.assign(
        value=ind["value"].astype(float), year=ind["year"].astype(int), level=ind["code"].map(levels)
    ).reset_index(drop=True)
    found = (
        spike_flags(ind, breaks, rules["spike"])
        + range_flags(ind, meta, rules["range"])
        + peer_flags(ind, breaks, rules["peer_outlier"])
        + total_flags(ind, meta, members or {}, rules["parts_vs_total"])
        + last_year_flags(ind, breaks, rules["last_year"])
    )
    frame = pd.DataFrame(found, columns=[*(c for c in ind.columns if c != "note"), "rule", "note"])
    frame["unit"] = frame["indicator"].map(dict(zip(meta["indicator"], meta["unit"])))
    order = list(RULES)
    frame = frame.assign(_r=frame["rule"].map(order.index)).sort_values(
        ["_r", "indicator", "source_id", "code", "year"], kind="stable"
    )
    return frame[FLAG_COLUMNS].astype({"year": int, "level": int}).reset_index(drop=True)


def registry_levels() -> tuple[dict[str, int], dict[str, list[str]]]:
    """code → level and composite → member codes, from the region registry."""
    from lsg_analysis.registry import regions

    reg = regions.regions()
    levels = dict(zip(reg["code"], reg["level"].astype(int)))
    members = {c: m.split(";") for c, m in zip(reg["code"], reg["members"]) if m}
    return levels, members


def flags(indicator: str | None = None, level: int | str | None = None) -> pd.DataFrame:
    """The flags of the shipped ``data/processed/indicators.csv`` (default series and every source), computed
    with ``data/quality_rules.csv``; ``indicator`` and ``level`` narrow the result (an empty frame means no flag)."""
    from lsg_analysis.data import processed

    lvl = None if level is None else parse_level(level)
    meta = processed.read_indicator_meta()
    ind = processed.read_indicators()
    if indicator is not None and indicator not in set(meta["indicator"]):
        raise ParameterError("indicator", indicator, ", ".join(sorted(meta["indicator"])))
    levels, members = registry_levels()
    out = find_flags(ind, meta, series.read_breaks(), read_rules(), levels, members)
    if indicator is not None:
        out = out[out["indicator"] == indicator]
    if lvl is not None:
        out = out[out["level"] == lvl]
    return out.reset_index(drop=True)


def describe(flag: Mapping[str, object]) -> str:
    """One line per flag: ``spike rayon_poverty_rate S12 KG… 2015 = 3.1: dip: …``."""
    return (
        f"{flag['rule']} {flag['indicator']} {flag['source_id']} {flag['code']} {flag['year']} = "
        f"{float(flag['value']):.6g}: {flag['note']}"
    )
