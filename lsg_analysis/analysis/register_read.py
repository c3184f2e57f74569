"""How is a register file read? A CSV as Excel saves it, or an XLSX workbook, into a header and rows.

Excel in a Russian or Kyrgyz locale saves "CSV" with ``;`` between cells and in Windows-1251; "CSV UTF-8" with
a byte-order mark. So a CSV is decoded as UTF-8 (with or without BOM), else as Windows-1251 when that yields
Cyrillic words, else refused; the delimiter (``,`` or ``;``) is the one the header line uses. What was used is
returned as ``read_as`` (``load_register`` puts it in the frame's ``.attrs["read_as"]``).

In an XLSX file, a plain number in a date column is an Excel serial number (the workbook's date system) and
is read as that date when it falls on or after 1990-01-01 (the template's date validation); a smaller number
is left for the cell rules to refuse (``2023`` typed in a date cell is a year, not 1905-07-15).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from lsg_analysis.analysis.register_schema import field_map
from lsg_analysis.core.errors import DataError, DataErrors

BOM = b"\xef\xbb\xbf"
DELIMITERS = (",", ";")
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1251": "Windows-1251"}
#: A Cyrillic word (two letters or more) and a letter where Latin and Cyrillic touch (Latin-1 text read as
#: Windows-1251 turns accents into lone Cyrillic letters inside Latin words: "Zürich" -> "Zьrich").
CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]{2,}")
MIXED_SCRIPT = re.compile(r"[A-Za-z][А-Яа-яЁё]|[А-Яа-яЁё][A-Za-z]")
SAVE_AS_UTF8 = 'a UTF-8 CSV file (in Excel: "Save As" -> "CSV UTF-8 (Comma delimited)")'
#: Smallest Excel serial number read as a date: 1990-01-01 in the 1900 date system.
MIN_SERIAL_DATE = datetime(1990, 1, 1)

Rows = list[tuple[int, list[Any]]]


class RegisterError(DataErrors):
    """A register breaks the schema; the message lists every bad cell (file, row, column, value, allowed)."""

    def __init__(self, errors: list[DataError]) -> None:
        super().__init__(errors, limit=max(len(errors), 1))


def looks_cyrillic(text: str) -> bool:
    """True when ``text`` holds a Cyrillic word and no word mixing Latin and Cyrillic letters."""
    return bool(CYRILLIC_WORD.search(text)) and not MIXED_SCRIPT.search(text)


def decode_csv(data: bytes, file: str) -> tuple[str, str]:
    """(text, encoding) of a CSV file's bytes: ``utf-8-sig``, ``utf-8`` or ``cp1251``; else RegisterError."""
    if data.startswith(BOM):
        try:
            return data[len(BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise RegisterError(
                [DataError(file, f"byte {e.start + len(BOM)} not UTF-8 after a UTF-8 byte-order mark", SAVE_AS_UTF8)]
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        first_bad = e.start
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        text = ""
    if looks_cyrillic(text):
        return text, "cp1251"
    raise RegisterError([DataError(file, f"byte {first_bad} not UTF-8 (nor Windows-1251 Cyrillic text)", SAVE_AS_UTF8)])


def sniff_delimiter(text: str, file: str) -> str:
    """``,`` or ``;``: the one the header line uses (column names hold neither); ``,`` for a single column."""
    header = text.splitlines()[0] if text else ""
    counts = {d: header.count(d) for d in DELIMITERS}
    if counts[","] == counts[";"] and counts[","]:
        raise RegisterError(
            [
                DataError(
                    file,
                    f"a header line with {counts[',']} ',' and {counts[';']} ';'",
                    "a header line whose column names are separated by commas or by semicolons",
                    row=1,
                )
            ]
        )
    return ";" if counts[";"] > counts[","] else ","


def read_csv(path: Path, file: str) -> tuple[list[str], Rows, dict[str, str]]:
    """Header, (spreadsheet row, cells) and ``read_as`` (format, delimiter, encoding) of a CSV register."""
    text, encoding = decode_csv(path.read_bytes(), file)
    delimiter = sniff_delimiter(text, file)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise RegisterError([DataError(file, str(e), "a CSV file with standard quoting")]) from None
    if not rows or not any(rows[0]):
        raise RegisterError([DataError(file, "an empty file", "a header row with the schema's column names", row=1)])
    read_as = {"format": "csv", "delimiter": delimiter, "encoding": encoding}
    return rows[0], [(i, r) for i, r in enumerate(rows[1:], start=2)], read_as


def describe(read_as: dict[str, str]) -> str:
    """``read_as`` for a person: ``CSV, delimiter ';', encoding Windows-1251``."""
    if read_as.get("format") == "xlsx":
        return f"XLSX, sheet '{read_as['sheet']}'"
    return f"CSV, delimiter '{read_as['delimiter']}', encoding {ENCODING_NAMES[read_as['encoding']]}"


def describe_notes(notes: dict[str, Any]) -> list[str]:
    """``load_register``'s ``.attrs["input_notes"]`` as at most two lines for a person."""
    out = []
    blank = notes.get("blank_read_as_unknown", {})
    if blank:
        n = sum(blank.values())
        cols = sorted(blank.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{c} {k}" for c, k in cols[:4]) + (", ..." if len(cols) > 4 else "")
        out.append(f"{n} blank cell{'s' if n != 1 else ''} read as unknown ({shown})")
    loose = notes.get("matched_loosely", [])
    if loose:
        shown = "; ".join(f'row {r}, column "{c}": "{found}" -> "{value}"' for r, c, found, value in loose[:2])
        out.append(
            f"{len(loose)} value{'s' if len(loose) != 1 else ''} matched ignoring case and spacing "
            f"({shown}{'; ...' if len(loose) > 2 else ''})"
        )
    return out


def _serial_to_date(value: Any, epoch: datetime) -> Any:
    """An Excel serial number in a date column -> datetime (kept as the number when before 1990)."""
    from openpyxl.utils.datetime import from_excel

    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    try:
        as_date = from_excel(value, epoch)
    except (ValueError, OverflowError):
        return value
    return as_date if isinstance(as_date, datetime) and as_date >= MIN_SERIAL_DATE else value


def read_xlsx(path: Path, file: str) -> tuple[list[str], Rows, dict[str, str]]:
    """Header, (spreadsheet row, cells) and ``read_as`` of the ``register`` sheet (else the first sheet).
    Formula cells are refused (their cached value may be stale)."""
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as e:  # a broken file
        raise RegisterError([DataError(file, type(e).__name__, "an XLSX workbook")]) from None
    ws = wb["register"] if "register" in wb.sheetnames else wb.worksheets[0]
    header: list[str] = []
    body: Rows = []
    formulas: list[tuple[int, int, Any]] = []
    dates: set[int] = set()
    for i, cells in enumerate(ws.iter_rows(), start=1):
        values = []
        for j, cell in enumerate(cells):
            if cell.data_type == "f":
                formulas.append((i, j, cell.value))
            values.append(_serial_to_date(cell.value, wb.epoch) if j in dates else cell.value)
        if i == 1:
            header = ["" if v is None else str(v) for v in values]
            dates = {j for j, h in enumerate(header) if h in field_map() and field_map()[h].type == "date"}
        else:
            body.append((i, values))
    read_as = {"format": "xlsx", "sheet": ws.title}
    wb.close()
    if formulas:
        raise RegisterError(
            [
                DataError(
                    file,
                    v,
                    "a typed value, not a formula (to enter text that starts with '=', type an apostrophe first)",
                    row=i,
                    column=header[j] if j < len(header) and header[j] else f"column {j + 1}",
                )
                for i, j, v in formulas
            ]
        )
    return header, body, read_as
