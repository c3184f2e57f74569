"""Which later facts change a coded row? Dated, sourced updates to the coded registers, applied in code.

``data/raw/consultations/register_3_updates.csv`` (``draft_id, field, value, source_url, source_quote``) holds
facts found while coding batch 3 that resolve unknowns of batch-1/2 rows (REGISTER_3_README.md). The raw
registers are never edited: :func:`apply_updates` changes the cells of the rows as read, before they are parsed
and checked, so every rule of the register applies to the updated row. ``field = notes`` is appended to the old
note; every other field replaces the old value. An update is dated by its file's sidecar (``published``: the day
the facts were coded) and each applied update is listed with its old value, date and source.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsg_analysis.core.errors import DataError
from lsg_analysis.core.paths import RAW, rel
from lsg_analysis.data.sources import read_sidecar
from lsg_analysis.analysis.register_schema import coded_header, valid_url

UPDATES_CSV = RAW / "consultations" / "register_3_updates.csv"
UPDATE_COLUMNS = ("draft_id", "field", "value", "source_url", "source_quote")
APPENDED = "notes"


@dataclass(frozen=True)
class Update:
    """One dated, sourced fact about one cell of a coded row (``row``: its line in the updates file)."""

    draft_id: str
    field: str
    value: str
    source_url: str
    source_quote: str
    date: str
    file: str
    row: int


def read_updates(path: str | Path = UPDATES_CSV) -> tuple[Update, ...]:
    """The updates of ``path``, dated by its sidecar's ``published``. A row with an unknown column of the coded
    layout, an empty value, a repeated replacement of one cell or a source that is not an http(s) URL is one
    :class:`DataError` naming file, row and column."""
    p = Path(path)
    file = rel(p)
    date = str(read_sidecar(p)["published"])
    with open(p, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != UPDATE_COLUMNS:
            raise DataError(file, ",".join(reader.fieldnames or ()), "the columns " + ",".join(UPDATE_COLUMNS), row=1)
        rows = list(reader)
    out: list[Update] = []
    seen: dict[tuple[str, str], int] = {}
    columns = coded_header()
    for i, r in enumerate(rows, start=2):
        if r["field"] not in columns or r["field"] == "draft_id":
            raise DataError(
                file, r["field"], "a column of the coded register other than draft_id", row=i, column="field"
            )
        for col in ("draft_id", "value", "source_quote"):
            if not (r[col] or "").strip():
                raise DataError(file, r[col], "a value", row=i, column=col)
        if not valid_url(r["source_url"]):
            raise DataError(file, r["source_url"], "an http(s) URL", row=i, column="source_url")
        key = (r["draft_id"], r["field"])
        if key in seen and r["field"] != APPENDED:
            raise DataError(
                file, r["field"], f"one replacement per cell (also in row {seen[key]})", row=i, column="field"
            )
        seen.setdefault(key, i)
        out.append(Update(r["draft_id"], r["field"], r["value"], r["source_url"], r["source_quote"], date, file, i))
    return tuple(out)


def apply_updates(
    header: Sequence[str], body: list[tuple[int, list[Any]]], updates: Sequence[Update]
) -> tuple[list[tuple[int, list[Any]]], list[dict[str, Any]]]:
    """``body`` (rows as read, ``(row number, cells)``) with ``updates`` applied to the rows of their draft_id,
    and one record per applied update: ``draft_id, field, old, new, date, source_url, source_quote, file``. A note is
    appended as ``<old note> | update <date> (<source_url>): <value>``. Updates for drafts not in ``body`` are
    left for the caller to report."""
    col = {h: i for i, h in enumerate(header)}
    by_id: dict[str, list[Update]] = {}
    for u in updates:
        by_id.setdefault(u.draft_id, []).append(u)
    out, applied = [], []
    for row_no, cells in body:
        cells = list(cells) + [None] * (len(header) - len(cells))
        draft = cells[col["draft_id"]] if "draft_id" in col else None
        for u in by_id.get(str(draft), ()):
            old = cells[col[u.field]]
            if u.field == APPENDED:
                new = f"{old} | update {u.date} ({u.source_url}): {u.value}" if old else u.value
            else:
                new = u.value
            cells[col[u.field]] = new
            applied.append(
                {
                    "draft_id": u.draft_id,
                    "field": u.field,
                    "old": old,
                    "new": u.value,
                    "date": u.date,
                    "source_url": u.source_url,
                    "source_quote": u.source_quote,
                    "file": u.file,
                }
            )
        out.append((row_no, cells))
    return out, applied
