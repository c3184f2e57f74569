"""Which legal regime and minimum discussion period were in force on a date? The dated tables of
``data/parameters/consultations`` (regimes, periods, portal start).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from datetime import date
from lsg_analysis.core.filekey import file_key
from lsg_analysis.analysis.register_schema import (
    PARAMETERS,
    UNKNOWN,
    PartialDate,
)


def _table(name: str) -> tuple[dict[str, str], ...]:
    """A dated parameter table of ``data/parameters/consultations``, cached on its path, mtime and size."""
    return _rows(file_key(PARAMETERS / name, "a legal parameter table of data/parameters/consultations"))


@functools.lru_cache(maxsize=8)
def _rows(key: tuple[str, int, int]) -> tuple[dict[str, str], ...]:
    with open(key[0], encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def _in_force(rows: Iterable[dict[str, str]], d: PartialDate | None) -> dict[str, str] | None:
    """The row whose [in_force_from, in_force_to) holds the whole of ``d`` (None if unknown or straddling)."""
    if d is None:
        return None
    for r in rows:
        lo = date.fromisoformat(r["in_force_from"])
        hi = date.fromisoformat(r["in_force_to"]) if r["in_force_to"] else date.max
        if lo <= d.lo and d.hi < hi:
            return r
    return None


def legal_regime(d: PartialDate | None) -> str:
    """Regime id from ``legal_regimes.csv`` applying on ``d`` (Law 101/2011 art. 9; as amended by Law 115/2019;
    Law 123/2021 from 2021-10-21). ``unknown`` when the date is unknown, before 2011-07-15, or a partial date
    straddles a change of regime."""
    r = _in_force(_table("legal_regimes.csv"), d)
    return r["regime"] if r else UNKNOWN


def legal_min_days(d: PartialDate | None) -> int | None:
    """Legal minimum public-discussion days applying on ``d`` from ``legal_min_days.csv``; None while the value is
    unverified (the table's ``min_days`` is empty) — never a guess."""
    r = _in_force(_table("legal_min_days.csv"), d)
    return int(r["min_days"]) if r and r["min_days"] else None


def portal_start_date() -> date:
    """Start of the unified public-discussion portal (2020-08-17, EWMI; ``parameters.csv``)."""
    row = next(r for r in _table("parameters.csv") if r["name"] == "portal_start_date")
    return date.fromisoformat(row["value"])
