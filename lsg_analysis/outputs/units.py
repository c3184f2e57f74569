"""How is a number of this unit written? One rule for every output: the kind of a recorded unit.

Kinds: ``percent`` (the value is already in per cent: "percent", "%", "% per year"), ``fraction`` (a share 0–1,
written as per cent), ``bare`` (an index, ratio, id or count: the number alone) and ``named`` (any other unit, whose
words come from the translation catalogue, e.g. "thousand som per person").

>>> [kind(u) for u in ("percent", "% per year", "share", "index", "", "thousand som per person")]
['percent', 'percent', 'fraction', 'bare', 'bare', 'named']
"""

from __future__ import annotations

BARE = ("", "index", "ratio", "id", "count", "code", "year", "p")
FRACTION = ("share",)


def kind(unit: str | None) -> str:
    """The kind of ``unit`` (see the module docstring)."""
    u = (unit or "").strip().lower()
    if u in ("%", "pct") or u.startswith("percent") or u.startswith("%"):
        return "percent"
    if u in FRACTION:
        return "fraction"
    if u in BARE or u.startswith("index"):
        return "bare"
    return "named"


def is_fraction(unit: str | None) -> bool:
    """Is a value of ``unit`` a share 0–1 (written × 100 as per cent)?"""
    return kind(unit) == "fraction"


def shows_unit(unit: str | None) -> bool:
    """Does a title or legend name ``unit`` (per cent and named units), or is the number enough (bare, fraction)?"""
    return kind(unit) in ("percent", "named")
