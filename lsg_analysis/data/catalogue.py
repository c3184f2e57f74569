"""Which source tables exist and what do they hold? Reads the hand-written data definitions in ``data/``.

- ``data/catalogue.yml``: one entry per source table (file, layout, indicator, unit, level, years, caveats…);
- ``data/indicators.yml``: one entry per indicator (names ky/ru/en, unit, higher_is_better, weight_by, sources);
- ``data/corrections.csv``: known errors in a source, fixed by code (source, file, row, field, published, corrected,
  evidence; an empty ``corrected`` withholds a published placeholder);
- ``data/series_breaks.csv``: breaks that must never be read (or plotted) as change (indicator, source_id, codes
  ``;``-separated, before, after, kind, description; an empty source_id or codes cell = every source / region).

Each reader checks its keys, so a typo in the catalogue is one clear :class:`~lsg_analysis.core.errors.DataError`,
not a silently ignored option. Pattern: PUDL keeps table metadata as data (``pudl/metadata/resources``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError

LAYOUTS = ("nsc_xlsx_trilingual", "nsc_opendata_json", "sdg_csv", "long_csv", "wide_csv", "json_records")
REQUIRED = ("id", "file", "layout", "level", "years", "table", "totals", "vintage", "boundaries", "caveats")
OPTIONAL = (
    "indicator",
    "unit",
    "values",
    "published_unit",
    "divide_by",
    "scale_by",
    "transcribed",
    "sheet",
    "name_field",
    "year_field",
    "value_field",
    "year_pattern",
    "filters",
    "fallback",
    "note_fields",
    "records_key",
    "region_map",
    "composite_field",
    "composite_ignore",
    "drop_names",
    "row_titles",
    "check_code_field",
    "osh_city_included",
    "missing_years",
    "empty_years",
    "kind",
)
VALUE_KEYS = ("field", "indicator", "unit", "year", "row", "years", "filters")
DERIVED_KEYS = ("id", "method", "indicator", "unit", "numerator", "denominator", "multiply_by", "years", "caveats")
INDICATOR_KEYS = (
    "name_en",
    "name_ru",
    "name_ky",
    "name_source",
    "unit",
    "kind",
    "description",
    "higher_is_better",
    "weight_by",
    "sources",
    "default",
)
HIGHER_IS_BETTER = ("yes", "no", "neutral")
KINDS = ("rate", "count", "money", "index")
CORRECTION_COLUMNS = ("source_id", "file", "row", "field", "published", "corrected", "evidence")
BREAK_COLUMNS = ("indicator", "source_id", "codes", "before", "after", "kind", "description")


def data_file(name: str, data_dir: str | Path | None = None) -> Path:
    """Path of a definition file in ``data/`` (or in ``data_dir``)."""
    return Path(data_dir if data_dir is not None else paths.DATA) / name


def year_range(text: object, where: str, key: str) -> tuple[int, int]:
    """``"2006-2022"`` (or a single year) → ``(2006, 2022)``."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", str(text))
    if not m:
        raise DataError(where, text, 'a year or a range "YYYY-YYYY"', column=key)
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if last < first:
        raise DataError(where, text, "a range whose last year is not before its first", column=key)
    return first, last


def by_year(spec: object, year: int, where: str, key: str) -> str:
    """A catalogue value that is either one text, or a map ``"first-last": text`` by year ("" outside every range)."""
    if isinstance(spec, dict):
        for span, text in spec.items():
            first, last = year_range(span, where, key)
            if first <= year <= last:
                return str(text)
        return ""
    return "" if spec is None else str(spec)


@dataclass(frozen=True)
class ValueSpec:
    """One value column (or, with ``row``, one titled row) of a source table and the indicator it feeds.

    ``year``: the fixed year of a flat record's field; ``row``: the row title in tables whose rows are indicators
    (NSC open data 316); ``years``: the years this value promises when they differ from the entry's ``years``;
    ``filters``: ``{column: value or list of values}`` choosing the records of this value in a long table whose
    rows hold several indicators (e.g. the transcribed migration releases).
    """

    field: str | None
    indicator: str
    unit: str
    year: int | None = None
    row: str | None = None
    years: tuple[int, int] | None = None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Entry:
    """One source table of the catalogue."""

    id: str
    file: str
    layout: str
    level: int
    years: tuple[int, int]
    values: tuple[ValueSpec, ...]
    options: dict[str, Any] = field(default_factory=dict)
    where: str = "data/catalogue.yml"

    def opt(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


def _entry(raw: dict[str, Any], where: str) -> Entry:
    if not isinstance(raw, dict) or "id" not in raw:
        raise DataError(where, raw, "a mapping with an `id` key")
    here = f"{where} [{raw['id']}]"
    bad_keys = _section_keys_error(raw, "sources", here)
    if bad_keys:
        raise bad_keys
    if raw["layout"] not in LAYOUTS:
        raise DataError(here, raw["layout"], f"a layout from: {', '.join(LAYOUTS)}", column="layout")
    if raw["level"] not in (0, 1, 2):
        raise DataError(here, raw["level"], "level 0, 1 or 2", column="level")
    if "values" in raw:
        if "indicator" in raw:
            raise DataError(here, "both indicator and values", "either `indicator` + `unit` or `values`")
        values = tuple(_value_spec(v, here) for v in raw["values"])
    elif "indicator" in raw and "unit" in raw:
        values = (ValueSpec(raw.get("value_field"), raw["indicator"], str(raw["unit"])),)
    else:
        raise DataError(here, "no indicator", "`indicator` + `unit`, or `values`")
    if not isinstance(raw.get("transcribed", False), bool):
        raise DataError(here, raw["transcribed"], "transcribed: true or false", column="transcribed")
    options = {
        k: v for k, v in raw.items() if k in OPTIONAL or k in ("table", "totals", "vintage", "boundaries", "caveats")
    }
    return Entry(
        str(raw["id"]),
        str(raw["file"]),
        raw["layout"],
        int(raw["level"]),
        year_range(raw["years"], here, "years"),
        values,
        options,
        here,
    )


#: Keys of the catalogue's two sections: (allowed, required, what an entry there is).
SECTIONS = {
    "sources": (REQUIRED + OPTIONAL, REQUIRED, "a source entry"),
    "derived": (DERIVED_KEYS, DERIVED_KEYS, "a derived entry"),
}


def _section_keys_error(raw: dict[str, Any], section: str, here: str) -> DataError | None:
    """None if ``raw`` has the keys of its ``section``; else an error that says where an entry with these keys
    belongs (when they fit the other section) or lists only the missing and the unexpected keys."""
    allowed, required, kind = SECTIONS[section]
    missing = [k for k in required if k not in raw]
    unexpected = [str(k) for k in raw if k not in allowed]
    if not missing and not unexpected:
        return None
    other = next(s for s in SECTIONS if s != section)
    other_allowed, other_required, other_kind = SECTIONS[other]
    telling = [k for k in other_allowed if k in raw and k not in allowed]
    if telling and set(raw) <= set(other_allowed):
        shown = ", ".join(telling[:3]) + (", …" if len(telling) > 3 else "")
        still = [k for k in other_required if k not in raw]
        return DataError(
            here,
            f"the keys of {other_kind} ({shown})",
            f'this entry under "{other}:" (move it there)'
            + (f"; there it also needs: {', '.join(still)}" if still else ""),
        )
    found = "; ".join(
        f"{label}: {', '.join(keys)}" for label, keys in (("missing", missing), ("unexpected", unexpected)) if keys
    )
    return DataError(here, found, f'the keys of {kind} (docs/data.md, "How to add a table")')


def _value_spec(raw: Any, where: str) -> ValueSpec:
    """One item of an entry's ``values`` list, keys checked."""
    if not isinstance(raw, dict) or not {"indicator", "unit"} <= set(raw):
        raise DataError(where, raw, "a `values` item with at least `indicator` and `unit`", column="values")
    unknown = sorted(set(raw) - set(VALUE_KEYS))
    if unknown:
        raise DataError(where, ", ".join(unknown), f"`values` keys from: {', '.join(VALUE_KEYS)}", column="values")
    years = year_range(raw["years"], where, "years") if "years" in raw else None
    row = None if raw.get("row") is None else str(raw["row"])
    filters = raw.get("filters") or {}
    if not isinstance(filters, dict):
        raise DataError(where, filters, "`filters` as {column: value or list of values}", column="values")
    chosen = tuple(
        (str(col), tuple(str(v) for v in (val if isinstance(val, list) else [val]))) for col, val in filters.items()
    )
    return ValueSpec(raw.get("field"), raw["indicator"], str(raw["unit"]), raw.get("year"), row, years, chosen)


def load_catalogue(data_dir: str | Path | None = None) -> tuple[list[Entry], list[dict[str, Any]]]:
    """The catalogue's source-table entries and derived-indicator entries, checked."""
    import yaml

    path = data_file("catalogue.yml", data_dir)
    where = paths.rel(path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = [_entry(e, where) for e in doc.get("sources", [])]
    derived = doc.get("derived", []) or []
    for d in derived:
        if not isinstance(d, dict) or "id" not in d:
            raise DataError(f"{where} [derived]", d, "a mapping with an `id` key")
        bad_keys = _section_keys_error(d, "derived", f"{where} [derived {d['id']}]")
        if bad_keys:
            raise bad_keys
        year_range(d["years"], where, "years")
    ids = [e.id for e in entries] + [d["id"] for d in derived]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise DataError(where, ", ".join(dup), "unique source ids")
    return entries, derived


def load_indicator_defs(data_dir: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """``data/indicators.yml``: indicator id → definition, every key present and valid. Parsed and checked once per
    process and file version (cached on :func:`lsg_analysis.core.filekey.file_key`: path, mtime, size); each call
    gets its own copy."""
    import copy

    from lsg_analysis.core.filekey import file_key

    path = data_file("indicators.yml", data_dir)
    return copy.deepcopy(_indicator_defs(*file_key(path, "the indicator definitions data/indicators.yml")))


@lru_cache(maxsize=4)
def _indicator_defs(file: str, mtime: int, size: int) -> dict[str, dict[str, Any]]:
    import yaml

    path = Path(file)
    where = paths.rel(path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for ind, d in doc.items():
        keys = set(d)
        if keys != set(INDICATOR_KEYS):
            raise DataError(
                f"{where} [{ind}]",
                ", ".join(sorted(keys ^ set(INDICATOR_KEYS))),
                f"exactly the keys {', '.join(INDICATOR_KEYS)}",
            )
        d["higher_is_better"] = str(d["higher_is_better"]).lower() if d["higher_is_better"] is not True else "yes"
        if d["higher_is_better"] not in HIGHER_IS_BETTER:
            raise DataError(f"{where} [{ind}]", d["higher_is_better"], "yes, no or neutral", column="higher_is_better")
        if d["kind"] not in KINDS:
            raise DataError(f"{where} [{ind}]", d["kind"], f"one of {', '.join(KINDS)}", column="kind")
        d["default"] = {
            str(s): year_range(y, f"{where} [{ind}]", "default") if y not in (None, "all") else None
            for s, y in (
                d["default"].items() if isinstance(d["default"], dict) else ((s, None) for s in d["default"] or [])
            )
        }
        if not d["default"] or set(d["default"]) - set(d["sources"]):
            raise DataError(
                f"{where} [{ind}]", d["default"], "default sources listed under `sources`", column="default"
            )
        if d["weight_by"] != "none" and d["weight_by"] not in doc:
            raise DataError(f"{where} [{ind}]", d["weight_by"], "none or a defined indicator", column="weight_by")
    return doc


def _read_table(name: str, columns: tuple[str, ...], data_dir: str | Path | None) -> "Any":
    import pandas as pd

    path = data_file(name, data_dir)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if tuple(frame.columns) != columns:
        raise DataError(paths.rel(path), ", ".join(frame.columns), f"the columns {', '.join(columns)}", row=1)
    return frame


def load_corrections(data_dir: str | Path | None = None):
    """``data/corrections.csv`` as a DataFrame of strings (row as int)."""
    frame = _read_table("corrections.csv", CORRECTION_COLUMNS, data_dir)
    where = paths.rel(data_file("corrections.csv", data_dir))
    for i, r in frame.iterrows():
        if not r["row"].isdigit():
            raise DataError(where, r["row"], "a positive row number", row=i + 2, column="row")
        if not r["evidence"].strip():
            raise DataError(where, "", "the evidence for the correction", row=i + 2, column="evidence")
    return frame.assign(row=frame["row"].astype(int))


def load_series_breaks(data_dir: str | Path | None = None):
    """``data/series_breaks.csv`` as a DataFrame (before/after as int years)."""
    frame = _read_table("series_breaks.csv", BREAK_COLUMNS, data_dir)
    where = paths.rel(data_file("series_breaks.csv", data_dir))
    for col in ("before", "after"):
        for i, v in frame[col].items():
            if not v.isdigit():
                raise DataError(where, v, "a year", row=i + 2, column=col)
    return frame.assign(before=frame["before"].astype(int), after=frame["after"].astype(int))


def source_preference(indicator: str, prefer: Sequence[str] | None, available: Iterable[str]) -> list[str]:
    """Sources of ``indicator`` in the order to use them: ``prefer`` when given, else the indicator's declared
    ``sources`` (``data/indicators.yml``; an indicator the catalogue does not define, e.g. synthetic test data,
    declares none), then the other ``available`` ones alphabetically. A missing or invalid ``indicators.yml`` is
    an error, never an alphabetical default."""
    if prefer is None:
        defs = load_indicator_defs()
        prefer = list(defs[indicator]["sources"]) if indicator in defs else []
    return list(prefer) + sorted(s for s in available if s not in prefer)
