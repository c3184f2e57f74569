"""What does ``lsg consult rates`` show? The usage rates overall and by one grouping, as a table that fits a
100-column terminal, and as a file (CSV or XLSX) with every column.

The table prints, per indicator, a title line (id and name, wrapped) and one row per group, the overall row
(``all``) first: group (wrapped), n (known), value, an interval, unknown share, and a short status
(``suppressed: n_known = 5 < 10``, ``small n``, ``not computed``). Notes shared by every row (LSG-own drafts
excluded, "not a random sample") are printed once at the top; an indicator's own note under its title. The
full notes are in the file written with ``--out``. The interval is the Wilson 95 % CI only for a register
declared a census or a random sample (``register_sampling``, or ``--sampling``); otherwise it is the bounds the
unknowns allow (every unknown counted as no, and as yes), and the header says which.
"""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd

from lsg_analysis.analysis.consultations import SAMPLED, usage_rates
from lsg_analysis.analysis.register_read import describe, describe_notes
from lsg_analysis.core.atomic import atomic_path

WIDTH = 100
#: Column widths of a table row (group, n, value, CI, unknown share); the status takes the rest of WIDTH.
GROUP_W, N_W, VALUE_W, CI_W, UNKNOWN_W = 30, 5, 8, 13, 7
INDENT = "  "


def rates_with_overall(register: pd.DataFrame, by: str | None, sampling: str | None = None) -> pd.DataFrame:
    """``usage_rates`` overall (``by = all``, ``group = all``) and, when ``by`` is given, by that grouping;
    each indicator's overall row first, then its groups in order. ``sampling`` overrides the register's
    declared ``register_sampling`` (kept in ``.attrs``)."""
    overall = usage_rates(register, sampling=sampling).assign(by="all")
    if by is None:
        out = overall
    else:
        groups = usage_rates(register, by=by, sampling=sampling).assign(by=by)
        order = {ind: i for i, ind in enumerate(overall["indicator"])}
        out = pd.concat([overall, groups], ignore_index=True)
        out = out.assign(_o=out["indicator"].map(order), _g=(out["by"] != "all").astype(int))
        out = out.sort_values(["_o", "_g"], kind="stable").drop(columns=["_o", "_g"])
    cols = ["by", *[c for c in out.columns if c != "by"]]
    out = out[cols].reset_index(drop=True)
    out.attrs["register_sampling"] = overall.attrs["register_sampling"]
    return out


def _parts(note: Any) -> list[str]:
    return [p for p in str(note).split("; ") if p] if isinstance(note, str) else []


def _common(notes: list[list[str]]) -> list[str]:
    """Note parts present in every row, in the order of the first."""
    return [p for p in notes[0] if all(p in n for n in notes[1:])] if notes else []


def _status(r: pd.Series) -> str:
    note = str(r["note"]) if isinstance(r["note"], str) else ""
    if bool(r["suppressed"]):
        m = re.search(r"insufficient data \(([^)]*)\)", note)
        return f"suppressed: {m.group(1)}" if m else "not computed"
    return "small n" if "small n" in note else ""


def _value(v: Any, unit: str) -> str:
    if v is None or pd.isna(v):
        return "-"
    if unit == "share":
        return f"{100 * v:.1f} %"
    return f"{v:.1f} d" if unit == "days" else f"{v:.2f}"


def _interval(lo: Any, hi: Any, unit: str) -> str:
    if lo is None or pd.isna(lo) or pd.isna(hi) or unit != "share":
        return ""
    return f"{100 * lo:.1f}-{100 * hi:.1f} %"


def _cells(r: pd.Series, sampled: bool) -> list[str]:
    n = "" if pd.isna(r["n"]) else str(int(r["n"]))
    u = r["unknown_share"]
    unknown = "" if u is None or (isinstance(u, float) and math.isnan(u)) else f"{100 * u:.0f} %"
    lo, hi = (r["ci_low"], r["ci_high"]) if sampled else (r["bound_low"], r["bound_high"])
    return [n, _value(r["value"], r["unit"]), _interval(lo, hi, r["unit"]), unknown]


def _line(group: str, cells: list[str], status: str) -> str:
    n, value, ci, unknown = cells
    return (
        f"{INDENT}{group:<{GROUP_W}} {n:>{N_W}} {value:>{VALUE_W}} {ci:>{CI_W}} {unknown:>{UNKNOWN_W}}  {status}"
    ).rstrip()


STATUS_W = WIDTH - len(_line("", ["", "", "", ""], "x")) + 1


def _rows(block: pd.DataFrame, sampled: bool) -> list[str]:
    out = []
    for _, r in block.iterrows():
        group = textwrap.wrap(str(r["group"]), GROUP_W, break_long_words=True) or [""]
        status = textwrap.wrap(_status(r), STATUS_W) or [""]
        for i in range(max(len(group), len(status))):
            g = group[i] if i < len(group) else ""
            s = status[i] if i < len(status) else ""
            out.append(_line(g, _cells(r, sampled) if i == 0 else ["", "", "", ""], s))
    return out


def _wrapped(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def format_input(register: pd.DataFrame, name: str) -> str:
    """How the register was read and what was accepted with a note (blank cells, loose matches), wrapped."""
    lines = _wrapped(f"lsg consult rates: read {name} as {describe(register.attrs['read_as'])}; {len(register)} rows")
    for note in describe_notes(register.attrs.get("input_notes", {})):
        lines += _wrapped(note)
    return "\n".join(lines)


def format_rates(rates: pd.DataFrame) -> str:
    """The table of :func:`rates_with_overall` for a terminal: every line at most :data:`WIDTH` characters."""
    notes = [_parts(n) for n in rates["note"]]
    shared = _common(notes)
    lines = []
    if shared:
        lines += _wrapped("every rate: " + "; ".join(shared))
    by = [b for b in rates["by"].unique() if b != "all"]
    lines.append(
        f"by {by[0]}: the overall row (all) first, then each group (unknown is its own group)"
        if by
        else "overall (use --by to break down)"
    )
    sampled = rates.attrs.get("register_sampling") in SAMPLED
    lines.append(_line("group", ["n", "value", "95% CI" if sampled else "bounds", "unknown"], "status"))
    for ind, block in rates.groupby("indicator", sort=False):
        own = [
            p
            for p in _common([_parts(n) for n in block["note"]])
            if p not in shared and not p.startswith(("insufficient data", "small n"))
        ]
        lines += _wrapped(f"{ind}  {block['name'].iloc[0]}")
        if own:
            lines += _wrapped("note: " + "; ".join(own), INDENT)
        lines += _rows(block, sampled)
    return "\n".join(lines)


def write_rates(rates: pd.DataFrame, path: str | Path) -> Path:
    """Write the rates atomically: ``.xlsx`` (sheet ``rates``) or ``.csv`` (UTF-8 with BOM, so Excel shows
    Cyrillic group names)."""
    p = Path(path)
    with atomic_path(p) as tmp:
        if p.suffix.lower() == ".xlsx":
            rates.to_excel(tmp, index=False, sheet_name="rates", engine="openpyxl")
        else:
            rates.to_csv(tmp, index=False, encoding="utf-8-sig")
    return p
