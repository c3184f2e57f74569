"""Which group is a region in? Named groupings of region codes, kept as data in ``registry/groups.csv``.

One row per grouping and unit: ``grouping, code, group, note``. The only grouping today is ``north_south`` at
oblast level (the 7 oblasts and the two cities: Bishkek in the north, Osh city in the south).

>>> grouping("north_south")["KG-GO"]
'south'
>>> members("north_south", "north")
('KG-C', 'KG-Y', 'KG-N', 'KG-T', 'KG-GB')
"""

from __future__ import annotations

import csv
import functools
from importlib import resources

from lsg_analysis.core.errors import DataError, ParameterError

FILE = "lsg_analysis/registry/groups.csv"
COLUMNS = ("grouping", "code", "group", "note")


@functools.lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str, str], ...]:
    """(grouping, code, group) of every row, checked: known columns and codes, one group per grouping and code."""
    from lsg_analysis.registry import regions

    with resources.files(__package__).joinpath("groups.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise DataError(FILE, ",".join(reader.fieldnames or ()), "the columns " + ",".join(COLUMNS), row=1)
        rows = list(reader)
    known, seen, out = set(regions.regions()["code"]), set(), []
    for i, r in enumerate(rows, start=2):
        if r["code"] not in known:
            raise DataError(FILE, r["code"], "a code of registry/regions.csv", row=i, column="code")
        if (r["grouping"], r["code"]) in seen:
            raise DataError(FILE, r["code"], f"one row per code in grouping {r['grouping']}", row=i, column="code")
        seen.add((r["grouping"], r["code"]))
        out.append((r["grouping"], r["code"], r["group"]))
    return tuple(out)


def grouping(name: str) -> dict[str, str]:
    """Code → group of the grouping ``name``, in file order; an unknown grouping is a :class:`ParameterError`."""
    out = {code: group for g, code, group in _rows() if g == name}
    if not out:
        raise ParameterError("grouping", name, ", ".join(sorted({g for g, _, _ in _rows()})))
    return out


def members(name: str, group: str) -> tuple[str, ...]:
    """Codes of ``group`` in the grouping ``name``, in file order."""
    return tuple(code for code, g in grouping(name).items() if g == group)
