"""Which cells behind a run's numbers are flagged as doubtful, and what would the numbers be without them?

Flags (``data/processed/flags.csv``, :mod:`lsg_analysis.data.quality`, rules in ``data/quality_rules.csv``) are
questions, not corrections: every analysis uses the published values. This module finds the flagged cells a
notebook reads and computes the same measures once more with those cells left out (missing, never filled in), so
a reader sees how much a headline rests on them (docs/data.md, "Doubtful values (flags)"):

- notebook 01, :func:`panel_sensitivity`: Theil T of every year and the last year's max/min ratio without the
  flagged cells of the panel (same weights; a year left with fewer than :data:`MINIMUM` units has no value);
- notebook 02, :func:`border_sensitivity`: the recorded border vs interior comparisons run again on the
  observations without the flagged cells they read (:func:`lsg_analysis.analysis.border_interior.input_cells`).

Whether two values differ materially is decided where headlines are chosen
(:func:`lsg_analysis.outputs.headlines.sensitivity`), not here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

#: columns of the ``flagged`` results tables (one row per cell and rule; the value is the published one)
CELL_COLUMNS = ["code", "year", "indicator", "source_id", "value", "rule", "note"]
#: fewest units a year must keep for its Theil T (as :func:`lsg_analysis.analysis.imbalance_panel.usable`)
MINIMUM = 3


def cell_flags(cells: pd.DataFrame, flags: pd.DataFrame | None = None) -> pd.DataFrame:
    """The flags of ``cells`` (columns ``code, year, indicator, source_id`` and any others, kept in front):
    one row per cell and rule, :data:`CELL_COLUMNS` after the cells' own extra columns. ``flags`` defaults to the
    shipped ``data/processed/flags.csv``."""
    from lsg_analysis.data import processed

    flags = processed.read_flags() if flags is None else flags
    keys = ["code", "year", "indicator", "source_id"]
    extra = [c for c in cells.columns if c not in CELL_COLUMNS]
    got = cells[[*extra, *keys]].astype({"year": int}).merge(flags[[*CELL_COLUMNS]], on=keys, how="inner")
    return (
        got[[*extra, *CELL_COLUMNS]].sort_values([*extra, "year", "code", "rule"], kind="stable").reset_index(drop=True)
    )


@dataclass(frozen=True)
class PanelSensitivity:
    """The flagged cells of an imbalance panel and its headline measures without them."""

    cells: Any  # DataFrame, CELL_COLUMNS: the flagged cells the panel's measures use
    theil: Any  # Series year → Theil T without the flagged cells (NaN: fewer than MINIMUM units left)
    max_min_last: float | None  # last year's max/min ratio without the flagged cells
    names: Any  # Series code → name, for the notebook's lines and chart notes

    @property
    def n_cells(self) -> int:
        """Distinct flagged cells (code × year) the measures use."""
        return int(len(self.cells[["code", "year"]].drop_duplicates()))


def panel_sensitivity(panel: Any, flags: pd.DataFrame | None = None) -> PanelSensitivity:
    """:class:`PanelSensitivity` of a :func:`~lsg_analysis.analysis.imbalance_panel.usable` panel: its cells with a
    value (the default series of its indicator) that carry a flag, and Theil T (same weights, as
    :func:`~lsg_analysis.analysis.imbalance_panel.imbalance_trend` computes it) and the last year's max/min ratio
    with those cells left out."""
    from lsg_analysis.data import processed
    from lsg_analysis.measures import inequality

    v = panel.values
    used = v.stack().rename("value").reset_index()
    used.columns = ["code", "year", "value"]
    flags = processed.read_flags() if flags is None else flags
    mine = flags[(flags["indicator"] == panel.indicator) & (flags["default_series"] == "yes")]
    cells = mine.merge(used[["code", "year"]].astype({"year": int}), on=["code", "year"], how="inner")
    cells = cells[CELL_COLUMNS].sort_values(["year", "code", "rule"], kind="stable").reset_index(drop=True)
    masked = v.copy()
    for code, year in cells[["code", "year"]].drop_duplicates().itertuples(index=False):
        masked.at[code, year] = np.nan
    theil = pd.Series(np.asarray(inequality.theil(masked, panel.weights, nan="drop"), dtype=float), index=v.columns)
    theil = theil.where(masked.notna().sum() >= MINIMUM)
    last = masked[[v.columns[-1]]]
    ratio = float(np.ravel(inequality.max_min_ratio(last, nan="drop"))[0]) if last.notna().sum().iloc[0] >= 2 else None
    return PanelSensitivity(cells, theil, ratio, panel.names)


def _cell_text(rows: pd.DataFrame, names: Mapping[str, str] | Any, indicator: bool = False) -> str:
    """``Kara-Kulja 2012 (spike, peer_outlier)`` for the rows of one or more cells (``indicator``: named first)."""
    parts = []
    for (ind, code, year), g in rows.groupby(["indicator", "code", "year"], sort=False):
        what = f"{ind} " if indicator else ""
        parts.append(f"{what}{names.get(code, code)} {int(year)} ({', '.join(dict.fromkeys(g['rule']))})")
    return "; ".join(parts)


def trend_marks(sens: PanelSensitivity) -> dict[int, str]:
    """Year → its flagged cells as text, for the years whose Theil T uses a flagged cell (hollow points)."""
    return {int(y): _cell_text(g, sens.names) for y, g in sens.cells.groupby("year", sort=True)}


def map_marks(sens: PanelSensitivity, year: int) -> dict[str, str]:
    """Code → its flagged cell as text, for the units whose value of ``year`` is flagged (hollow markers)."""
    rows = sens.cells[sens.cells["year"] == int(year)]
    return {str(c): _cell_text(g, sens.names) for c, g in rows.groupby("code", sort=True)}


def describe_panel_sensitivity(sens: PanelSensitivity, trend: Any) -> str:
    """The notebook's lines: the flagged cells the measures use and Theil T of the last year with and without them
    (or that no cell is flagged)."""
    if sens.cells.empty:
        return "no value of this panel is flagged as doubtful (data/processed/flags.csv)"
    t = trend.set_index("year")["theil"]
    last = int(t.index.max())
    lines = [
        f"{sens.n_cells} flagged cell(s) used as published (docs/data.md, 'Doubtful values'): "
        + _cell_text(sens.cells, sens.names),
        f"Theil T {last}: {t.at[last]:.4f} with them, {sens.theil.get(last, np.nan):.4f} without them",
    ]
    changed = [int(y) for y in t.index if not np.isclose(t.at[y], sens.theil.get(y, np.nan))]
    if changed:
        lines.append("years whose Theil T uses a flagged cell: " + ", ".join(map(str, changed)))
    return "\n".join(lines)


@dataclass(frozen=True)
class BorderSensitivity:
    """The flagged cells the recorded border vs interior comparisons read, and their gaps without them."""

    cells: Any  # DataFrame: comparison + CELL_COLUMNS
    gaps: dict[str, float | None]  # comparison prefix → gap (border − interior, p.p.) without the flagged cells
    recorded: dict[str, float | None]  # comparison prefix → the gap with every cell, as recorded


def border_sensitivity(
    bvi: pd.DataFrame,
    *,
    obs: pd.DataFrame,
    breaks: pd.DataFrame | None,
    windows: Sequence[tuple[int, int]],
    n_perm: int,
    rng: Any,
    flags: pd.DataFrame | None = None,
) -> BorderSensitivity:
    """:class:`BorderSensitivity` of a :func:`~lsg_analysis.analysis.border_interior.both_levels` table: the flagged
    cells among each recorded comparison's inputs and, when there are any, every comparison run again (same
    windows, permutations and seed) on ``obs`` without those unit-years (of every source, so that no other source's
    value takes their place); with none, the gaps are the recorded ones."""
    from lsg_analysis.analysis import border_interior
    from lsg_analysis.geo import border

    def gaps(table: pd.DataFrame) -> dict[str, float | None]:
        metrics = border_interior.comparison_metrics(table, border.border_table(1)["border"])
        return {prefix: metrics[f"{prefix}_gap_pp"]["value"] for prefix in border_interior.RECORDED}

    cells = cell_flags(border_interior.input_cells(bvi, obs=obs, breaks=breaks).drop(columns="value"), flags)
    again = bvi
    if not cells.empty:  # the unit-year leaves the comparison: no other source's value takes its place
        keys = ["code", "year", "indicator"]
        drop = obs[keys].astype({"year": int}).merge(cells[keys].drop_duplicates(), how="left", indicator=True)
        kept = obs[(drop["_merge"] == "left_only").to_numpy()]
        again = border_interior.both_levels(obs=kept, breaks=breaks, windows=windows, n_perm=n_perm, rng=rng)
    return BorderSensitivity(cells, gaps(again), gaps(bvi))


def describe_border_sensitivity(sens: BorderSensitivity) -> str:
    """The notebook's lines: which comparison reads a flagged cell, with its gap with and without it (or that none
    does)."""
    if sens.cells.empty:
        return "no comparison reads a value flagged as doubtful (data/processed/flags.csv)"
    lines = []
    for prefix, g in sens.cells.groupby("comparison", sort=False):
        gaps = [sens.recorded[prefix], sens.gaps[prefix]]
        with_, without = ("none" if x is None else f"{x:+.2f}" for x in gaps)
        lines.append(f"{prefix}: reads {_cell_text(g, {}, indicator=True)}; gap {with_} p.p. with, {without} without")
    return "\n".join(lines)
