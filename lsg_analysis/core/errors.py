"""Errors a user sees: one clear message naming the file, row, column and what was expected.

Every loader and command raises a subclass of :class:`LsgError` (itself a ``ValueError``), and the
command line prints its message without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class LsgError(ValueError):
    """Base class of every error that is the user's input, not a bug."""


class DataError(LsgError):
    """A data file breaks a rule.

    ``row`` is the 1-based line of the file as a spreadsheet shows it (header = row 1, so pandas index
    ``i`` of a CSV read with one header line is row ``i + 2``); ``None`` when the problem is the whole file.

    >>> str(DataError("data/raw/nsc/x.csv", "Чуйская обл", "a region name", row=214, column="Территория"))
    'data/raw/nsc/x.csv, row 214, column "Территория": found "Чуйская обл"; expected a region name'
    """

    def __init__(
        self, file: str | Path, found: object, expected: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.file, self.found, self.expected, self.row, self.column = str(file), found, expected, row, column
        where = [self.file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f'column "{column}"')
        super().__init__(f'{", ".join(where)}: found "{found}"; expected {expected}')


class DataErrors(LsgError):
    """Several problems found at once (lazy validation): the message lists each on its own line."""

    def __init__(self, errors: list[DataError], *, limit: int = 50) -> None:
        self.errors = list(errors)
        lines = [str(e) for e in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"... and {len(self.errors) - limit} more")
        super().__init__(f"{len(self.errors)} problem(s):\n" + "\n".join(lines))


class ParameterError(LsgError):
    """A bad parameter of a notebook or command: names it and lists the allowed values."""

    def __init__(self, name: str, found: object, allowed: str) -> None:
        self.name, self.found, self.allowed = name, found, allowed
        super().__init__(f'parameter "{name}": found {found!r}; allowed: {allowed}')


class RegionError(LsgError):
    """A region name or code that the registry (:mod:`lsg_analysis.registry.regions`) does not know, or knows twice."""
