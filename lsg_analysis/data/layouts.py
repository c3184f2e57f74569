"""How is a raw file laid out? One reader per known layout turns it into *records* (one row per source row, the
source's own field names, a ``_row`` column = the row a user finds in the file), and :func:`to_long` turns records
into long rows (name, year, raw value, row, field). Reshape only — no harmonising here (OWID "meadow" step).

Row numbers: CSV header = row 1 (pandas index ``i`` → row ``i + 2``); xlsx = the worksheet row; JSON = the
1-based position of the record in its list.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from lsg_analysis.data.catalogue import Entry
from lsg_analysis.core.errors import DataError

NAME, YEAR, VALUE, ROW, FIELD, NOTE, EXTRA = "name", "year", "value", "row", "field", "note", "extra_flag"
SDG_FIXED = ("Year", "Value", "Территория", "GeoCode")
NATIONAL = "\x00KG"  # marker name: the SDG platform leaves Территория empty for the national total


def _csv(path: Path, where: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as e:
        raise DataError(where, type(e).__name__, f"a UTF-8 comma-separated file ({e})") from None
    return frame.assign(_row=range(2, len(frame) + 2))


def _need(frame: pd.DataFrame, columns: list[str], where: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(where, ", ".join(missing) + " missing", f"the columns {', '.join(columns)}", row=1)


def _filter(frame: pd.DataFrame, filters: dict[str, Any], where: str) -> pd.DataFrame:
    """The rows whose every ``filters`` column holds its value (or one of its values, given a list or tuple)."""
    _need(frame, list(filters), where)
    keep = pd.Series(True, index=frame.index)
    for col, val in filters.items():
        keep &= frame[col].isin([str(v) for v in val] if isinstance(val, (list, tuple)) else [str(val)])
    return frame[keep]


def read_nsc_xlsx_trilingual(entry: Entry, path: Path, where: str) -> pd.DataFrame:
    """NSC trilingual table: columns ky | ru | en | one column per year; the header row holds the years."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = entry.opt("sheet")
    if sheet is not None and sheet not in wb.sheetnames:
        raise DataError(where, sheet, f"a sheet named one of {wb.sheetnames}", column="sheet")
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    header_at, years = None, {}
    for i, r in enumerate(rows):
        found = {
            j: int(v)
            for j, v in enumerate(r)
            if j >= 3 and isinstance(v, (int, float)) and 1900 <= v <= 2100 and float(v).is_integer()
        }
        if len(found) >= 2:
            header_at, years = i, found
            break
    if header_at is None:
        raise DataError(where, "no header row", "a row with the years in columns D onwards (NSC trilingual layout)")
    records = []
    for i in range(header_at + 1, len(rows)):
        r = rows[i]
        names = [None if c is None else str(c).strip() for c in r[:3]]
        cells = {str(y): (r[j] if j < len(r) else None) for j, y in years.items()}
        if not any(names) or all(v is None for v in cells.values()):
            continue  # blank separator or footnote line
        records.append({"ky": names[0], "ru": names[1], "en": names[2], **cells, "_row": i + 1})
    return pd.DataFrame(records)


def read_nsc_opendata_json(entry: Entry, path: Path, where: str) -> pd.DataFrame:
    """NSC open-data response: ``{"title", "units", "data": [{"title_ru", "title_kg", "title_en", "values": [{key, value}]}]}``."""
    doc = _json(path, where)
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise DataError(where, type(doc).__name__, 'an NSC open-data object with a "data" list')
    records = []
    for n, item in enumerate(doc["data"], start=1):
        if "values" not in item or "title_ru" not in item:
            raise DataError(where, ", ".join(item), "title_ru/title_kg/title_en and values", row=n)
        rec = {k: item.get(k) for k in ("title_ru", "title_kg", "title_en")}
        for v in item["values"]:
            rec[str(v.get("key"))] = v.get("value")
        records.append({**rec, "_row": n})
    return pd.DataFrame(records)


def read_sdg_csv(entry: Entry, path: Path, where: str) -> pd.DataFrame:
    """SDG-platform CSV: Year, breakdown columns, optional GeoCode, Value; an empty breakdown cell = total."""
    frame = _csv(path, where)
    _need(frame, ["Year", "Value", "Территория"], where)
    notes = list(entry.opt("note_fields", []))
    filters = {k: str(v) for k, v in (entry.opt("filters") or {}).items()}
    breakdowns = [c for c in frame.columns if c not in SDG_FIXED and c not in notes and c != "_row"]
    _need(frame, notes + list(filters), where)

    def matching(wanted: dict[str, str]) -> pd.Series:
        keep = pd.Series(True, index=frame.index)
        for c in breakdowns:
            keep &= frame[c] == wanted.get(c, "")
        return keep

    kept = frame[matching(filters)].assign(**{EXTRA: ""})
    fallback = entry.opt("fallback")
    if fallback:
        alt = frame[matching({**filters, **{k: str(v) for k, v in fallback.items()}})]
        alt = alt[~alt["Территория"].isin(set(kept["Территория"]))]
        kept = pd.concat([kept, alt.assign(**{EXTRA: "urban_row_as_total"})])
    kept = kept.assign(Территория=kept["Территория"].where(kept["Территория"] != "", NATIONAL))
    return kept.sort_values("_row", kind="stable")


def read_long_csv(entry: Entry, path: Path, where: str) -> pd.DataFrame:
    """A long table: one row per region and year (e.g. the gathered tidy CSVs, GDL's long file)."""
    frame = _csv(path, where)
    return _filter(frame, entry.opt("filters") or {}, where)


def read_wide_csv(entry: Entry, path: Path, where: str) -> pd.DataFrame:
    """A wide table: one row per region, one column per year (matched by ``year_pattern``)."""
    return _filter(_csv(path, where), entry.opt("filters") or {}, where)


def read_json_records(entry: Entry, path: Path, where: str) -> pd.DataFrame:
    """A JSON list of flat records (``records_key`` names the list), e.g. WFP PRISM tables."""
    doc = _json(path, where)
    key = entry.opt("records_key")
    items = doc.get(key) if isinstance(doc, dict) and key else doc
    if not isinstance(items, list):
        raise DataError(where, type(items).__name__, f'a list of records under "{key}"')
    return pd.DataFrame([{**{k: v for k, v in r.items()}, "_row": n} for n, r in enumerate(items, start=1)])


def _json(path: Path, where: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DataError(where, type(e).__name__, f"valid UTF-8 JSON ({e})") from None


READERS = {
    "nsc_xlsx_trilingual": read_nsc_xlsx_trilingual,
    "nsc_opendata_json": read_nsc_opendata_json,
    "sdg_csv": read_sdg_csv,
    "long_csv": read_long_csv,
    "wide_csv": read_wide_csv,
    "json_records": read_json_records,
}

#: name and year fields each layout uses unless the catalogue entry says otherwise
DEFAULT_NAME = {
    "nsc_xlsx_trilingual": "ru",
    "nsc_opendata_json": "title_ru",
    "sdg_csv": "Территория",
    "long_csv": "region_name_as_in_source",
    "wide_csv": "name",
    "json_records": "name",
}
WIDE = ("nsc_xlsx_trilingual", "nsc_opendata_json", "wide_csv", "json_records")


def read_records(entry: Entry, path: Path, where: str) -> pd.DataFrame:
    """The raw file of ``entry`` as records (object columns + ``_row``)."""
    if not path.exists():
        raise DataError(where, "no such file", f"the raw file named by catalogue entry {entry.id}")
    return READERS[entry.layout](entry, path, where).reset_index(drop=True)


def year_columns(entry: Entry, records: pd.DataFrame) -> dict[str, int]:
    """Wide layouts: field name → year."""
    pattern = entry.opt("year_pattern", r"(\d{4})")
    out = {}
    for c in records.columns:
        m = re.fullmatch(pattern, str(c))
        if m:
            out[str(c)] = int(m.group(1))
    return out


def to_long(entry: Entry, records: pd.DataFrame, where: str) -> pd.DataFrame:
    """Records → long rows: name, year, value (as published), row, field, indicator, unit, note, extra_flag."""
    name_field = entry.opt("name_field", DEFAULT_NAME[entry.layout])
    _need(records, [name_field], where)
    notes = list(entry.opt("note_fields", []))
    base_extra = records[EXTRA] if EXTRA in records.columns else pd.Series("", index=records.index)
    note = (
        records[notes].astype(str).agg("; ".join, axis=1).str.strip("; ")
        if notes
        else pd.Series("", index=records.index)
    )
    parts = []
    for spec in entry.values:
        if entry.layout in WIDE and spec.year is None:
            cols = year_columns(entry, records)
            if not cols:
                raise DataError(where, ", ".join(map(str, records.columns)), "year columns", row=1)
            mine = records.index if spec.row is None else records.index[records[name_field] == spec.row]
            if not len(mine):
                raise DataError(
                    where,
                    "no such row",
                    f'a row titled "{spec.row}" (catalogue entry {entry.id}, values: row)',
                    column=name_field,
                )
            for col, year in cols.items():
                parts.append(
                    pd.DataFrame(
                        {
                            NAME: records.loc[mine, name_field],
                            YEAR: year,
                            VALUE: records.loc[mine, col],
                            ROW: records.loc[mine, "_row"],
                            FIELD: col,
                            NOTE: note[mine],
                            EXTRA: base_extra[mine],
                            "indicator": spec.indicator,
                            "unit": spec.unit,
                        }
                    )
                )
        else:
            vfield = spec.field or ("Value" if entry.layout == "sdg_csv" else "value")
            _need(records, [vfield], where)
            mine = _filter(records, dict(spec.filters), where).index
            if spec.filters and not len(mine):
                raise DataError(
                    where,
                    "no such rows",
                    f"rows matching {dict(spec.filters)} (catalogue entry {entry.id}, values: filters)",
                    column=spec.filters[0][0],
                )
            if spec.year is not None:
                years: Any = spec.year
            else:
                yfield = entry.opt("year_field", "Year" if entry.layout == "sdg_csv" else "year")
                _need(records, [yfield], where)
                years = records.loc[mine, yfield]
            parts.append(
                pd.DataFrame(
                    {
                        NAME: records.loc[mine, name_field],
                        YEAR: years,
                        VALUE: records.loc[mine, vfield],
                        ROW: records.loc[mine, "_row"],
                        FIELD: vfield,
                        NOTE: note[mine],
                        EXTRA: base_extra[mine],
                        "indicator": spec.indicator,
                        "unit": spec.unit,
                    }
                )
            )
    long = pd.concat(parts, ignore_index=True)
    for key in ("composite_field", "check_code_field"):
        col = entry.opt(key)
        if col:
            _need(records, [col], where)
            long[key] = long[ROW].map(dict(zip(records["_row"], records[col])))
    if "unit" in records.columns and entry.layout == "long_csv":
        long["published_unit"] = long[ROW].map(dict(zip(records["_row"], records["unit"])))
    return long
