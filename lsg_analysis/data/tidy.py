"""Raw file → tidy rows, driven by one catalogue entry: read the layout, apply the corrections table, resolve region
names to registry codes, parse numbers, add vintage/boundaries/flags, and check every promise the catalogue makes.

Every problem becomes a :class:`~lsg_analysis.core.errors.DataError` naming file, row, column, what was found and what
was expected; :func:`tidy_table` gathers all of a table's problems into one :class:`DataErrors`.

Flags (``flag`` column, ``;``-separated): ``corrected`` (value or key changed by data/corrections.csv),
``incl_osh_city`` (Osh oblast value includes Osh city), ``composite`` (code is a sum of units joined with ``+``),
``urban_row_as_total`` (a city's urban row taken as its total), ``derived`` (computed by the project),
``transcribed`` (the value was copied by hand from a release's text, not read from a producer's file: catalogue
``transcribed: true``).
A correction with an empty ``corrected`` cell withholds a published placeholder (e.g. 0.0 where the source had
no separate value): the row is marked ``withheld`` here and left out of the processed table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from lsg_analysis.data import layouts
from lsg_analysis.core import paths
from lsg_analysis.data.catalogue import Entry, by_year, year_range
from lsg_analysis.core.errors import DataError, DataErrors

TIDY_COLUMNS = ["code", "year", "indicator", "value", "unit", "source_id", "vintage", "boundaries", "flag", "note"]
NONNEGATIVE_KINDS = ("count", "money", "rate")
_FOOTNOTE = re.compile(r"^(.*?)\s*\(([^()]*\d{4}[^()]*)\)\s*$")

Resolver = Callable[..., str]


def registry_resolver() -> Resolver:
    """Name → code with the region registry (:func:`lsg_analysis.registry.regions.resolve`).

    The name is resolved at the table's level (and ``kind``, e.g. rural rayons only); a table's national or oblast
    rows (e.g. "Кыргызская Республика" in an oblast table, oblast totals in a rayon table) are accepted when the
    name alone means exactly one unit of a higher level. ``source`` switches on the registry's source-scoped
    aliases (e.g. GDL's "Osh").
    """
    from lsg_analysis.registry import regions

    cache: dict[tuple[str, int, str | None, str], str] = {}

    def resolve(name: str, level: int, kind: str | None = None, source: str = "") -> str:
        key = (name, level, kind, source)
        if key not in cache:
            try:
                cache[key] = regions.resolve(name, level=level, kind=kind, source=source or None)
            except ValueError as first:
                try:
                    code = regions.resolve(name, source=source or None)
                except ValueError:
                    raise first from None
                if _level(code, regions) >= level:
                    raise first from None
                cache[key] = code
        return cache[key]

    return resolve


def _level(code: str, regions_module: Any) -> int:
    table = regions_module.regions().set_index("code")["level"]
    return int(table.get(code, 9))


def composite_lookup() -> dict[frozenset[str], str]:
    """Registry composites by their member set and by the parts of their code (a sum reported as one figure → its
    registry code; "Suzak rayon + Jalal-Abad city" in the census is ``KG03220000000+KG03410000010``, whose members
    also list Kok-Jangak city, which the census counts inside Suzak rayon)."""
    from lsg_analysis.registry import regions

    reg = regions.regions()
    comp = reg[reg["kind"] == "composite"]
    out = {frozenset(c.split("+")): c for c in comp["code"] if "+" in c}
    out.update({frozenset(str(m).split(";")): c for c, m in zip(comp["code"], comp["members"])})
    return out


def apply_corrections(
    entry: Entry, records: pd.DataFrame, corrections: pd.DataFrame, where: str
) -> tuple[pd.DataFrame, set[tuple[int, str]], list[DataError]]:
    """Replace published values by corrected ones (data/corrections.csv rows of this source and file).

    A correction whose published value no longer matches the raw file is an error: the source changed and the
    correction must be re-checked, never applied blindly.
    """
    mine = corrections[(corrections["source_id"] == entry.id) & (corrections["file"] == entry.file)]
    records = records.copy()
    done: set[tuple[int, str]] = set()
    errors = []
    for _, c in mine.iterrows():
        hit = records.index[records["_row"] == c["row"]]
        if len(hit) != 1 or c["field"] not in records.columns:
            errors.append(
                DataError(
                    where,
                    f"no row {c['row']} / field {c['field']}",
                    "the row and field named by data/corrections.csv",
                    row=int(c["row"]),
                    column=c["field"],
                )
            )
            continue
        found = records.at[hit[0], c["field"]]
        if not _same(found, c["published"]):
            errors.append(
                DataError(
                    where,
                    found,
                    f"the published value {c['published']!r} that data/corrections.csv "
                    "corrects (the source changed: re-check the correction)",
                    row=int(c["row"]),
                    column=c["field"],
                )
            )
            continue
        records[c["field"]] = records[c["field"]].astype(object)
        records.at[hit[0], c["field"]] = c["corrected"]
        done.add((int(c["row"]), c["field"]))
    return records, done, errors


def _same(found: Any, published: str) -> bool:
    if str(found).strip() == published.strip():
        return True
    try:
        return float(found) == float(published)
    except (TypeError, ValueError):
        return False


def _blank(value: Any) -> bool:
    """An empty cell (None, NaN from an empty spreadsheet cell, or blank text)."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def parse_value(value: Any) -> float | None:
    """A published number as float; ``None`` if it is empty or not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?", text):
        return None
    return float(text.replace(",", "."))


def tidy_table(
    entry: Entry,
    *,
    raw_dir: str | Path | None = None,
    corrections: pd.DataFrame,
    indicator_defs: dict[str, dict[str, Any]],
    resolve: Resolver,
) -> pd.DataFrame:
    """One catalogue entry → tidy rows (TIDY_COLUMNS + ``_file``, ``_row``, ``_column`` for messages)."""
    raw = Path(raw_dir if raw_dir is not None else paths.RAW)
    path = raw / entry.file
    where = paths.rel(path)
    _check_specs(entry, indicator_defs)
    records = layouts.read_records(entry, path, where)
    records, corrected, errors = apply_corrections(entry, records, corrections, where)
    long = layouts.to_long(entry, records, where)
    region_map = {str(k): str(v) for k, v in (entry.opt("region_map") or {}).items()}
    row_titles = entry.opt("row_titles")
    if row_titles:
        long = long[long[layouts.NAME].isin(list(row_titles))]
        region_map.update({str(k): str(v) for k, v in row_titles.items()})
    long = long[~long[layouts.NAME].isin(entry.opt("drop_names", []))]
    rules = _RowRules(entry, where, region_map, corrected, indicator_defs, resolve)
    out = []
    for r in long.itertuples(index=False):
        row, row_errors = _tidy_row(r._asdict(), rules)
        errors += row_errors
        if row is not None:
            out.append(row)
    tidy = pd.DataFrame(out, columns=TIDY_COLUMNS + ["_file", "_row", "_column"])
    errors += check_table(entry, tidy, where)
    if errors:
        raise DataErrors(errors)
    return tidy


def _check_specs(entry: Entry, indicator_defs: dict[str, dict[str, Any]]) -> None:
    """Every value spec of the entry names an indicator of data/indicators.yml, in its unit; else DataErrors."""
    errors: list[DataError] = []
    for spec in entry.values:
        d = indicator_defs.get(spec.indicator)
        if d is None:
            errors.append(
                DataError(
                    entry.where, spec.indicator, "an indicator defined in data/indicators.yml", column="indicator"
                )
            )
        elif str(d["unit"]) != spec.unit:
            errors.append(
                DataError(
                    entry.where,
                    spec.unit,
                    f'the unit of {spec.indicator} in data/indicators.yml ("{d["unit"]}")',
                    column="unit",
                )
            )
    if errors:
        raise DataErrors(errors)


class _RowRules:
    """What :func:`_tidy_row` needs of one catalogue entry, read once per table."""

    def __init__(
        self,
        entry: Entry,
        where: str,
        region_map: dict[str, str],
        corrected: Any,
        indicator_defs: dict[str, dict[str, Any]],
        resolve: Resolver,
    ) -> None:
        self.entry, self.where, self.region_map, self.corrected = entry, where, region_map, corrected
        self.indicator_defs, self.resolve = indicator_defs, resolve
        self.name_field = entry.opt("name_field", layouts.DEFAULT_NAME[entry.layout])
        self.published_unit = str(entry.opt("published_unit", ""))
        self.divide_by = entry.opt("divide_by")
        self.scale_by = entry.opt("scale_by")
        self.transcribed = bool(entry.opt("transcribed", False))
        self.osh_years = (
            year_range(entry.opt("osh_city_included"), entry.where, "osh_city_included")
            if entry.opt("osh_city_included")
            else None
        )
        self.ignore = set(entry.opt("composite_ignore", []))
        self.empty_years = {int(y) for y in entry.opt("empty_years", [])}
        self.composites = composite_lookup() if entry.opt("composite_field") else {}


def _row_value(
    r: dict[str, Any], rules: _RowRules, row: int, column: str, year: int
) -> tuple[float | None, list[str], list[DataError]]:
    """The number of a long row, the flags it adds and its errors; ``None`` and no error: no row (empty year)."""
    where, entry = rules.where, rules.entry
    value, flags = parse_value(r[layouts.VALUE]), []
    if value is None and (row, column) in rules.corrected and _blank(r[layouts.VALUE]):
        value, flags = math.nan, ["withheld"]  # published placeholder, not a value (corrections.csv)
    elif value is None and _blank(r[layouts.VALUE]) and year in rules.empty_years:
        return None, [], []  # the source has no figure for this year yet (catalogue `empty_years`): no row
    elif value is None:
        if _blank(r[layouts.VALUE]):
            return (
                None,
                [],
                [
                    DataError(
                        where, "", "a value (missing values have no row, never an empty cell)", row=row, column=column
                    )
                ],
            )
        return None, [], [DataError(where, r[layouts.VALUE], "a number", row=row, column=column)]
    kind = rules.indicator_defs[r["indicator"]]["kind"]
    if value < 0 and kind in NONNEGATIVE_KINDS:
        return None, [], [DataError(where, r[layouts.VALUE], f"a non-negative {kind}", row=row, column=column)]
    if "published_unit" in r:  # the file has a unit column: it must say what the catalogue says
        expected_unit = rules.published_unit or r["unit"]
        if str(r["published_unit"]) != expected_unit:
            return (
                None,
                [],
                [
                    DataError(
                        where,
                        r["published_unit"],
                        f'the unit "{expected_unit}" that the catalogue entry {entry.id} promises',
                        row=row,
                        column="unit",
                    )
                ],
            )
    if rules.divide_by:
        value = value / float(rules.divide_by)
    if rules.scale_by:
        value = value * float(rules.scale_by)
    return value, flags, []


def _tidy_row(r: dict[str, Any], rules: _RowRules) -> tuple[dict[str, Any] | None, list[DataError]]:
    """One long row → its tidy row (or None) and its errors: year, registry code, value, flags and notes."""
    entry, where = rules.entry, rules.where
    row, column = int(r[layouts.ROW]), str(r[layouts.FIELD])
    flags = [f for f in [r[layouts.EXTRA]] if f]
    notes = [n for n in [str(r[layouts.NOTE] or "")] if n]
    year = parse_value(r[layouts.YEAR])
    if year is None or not float(year).is_integer():
        return None, [DataError(where, r[layouts.YEAR], "a year", row=row, column=entry.opt("year_field", "year"))]
    year = int(year)
    try:
        code, note = _code(r, entry, rules.region_map, rules.ignore, rules.resolve, rules.composites)
    except DataError as e:
        return None, [DataError(where, e.found, e.expected, row=row, column=e.column or rules.name_field)]
    if note:
        notes.append(note)
    if "+" in code or "_excl_" in code:
        flags.append("composite")
    value, more, errors = _row_value(r, rules, row, column, year)
    if value is None:
        return None, errors
    flags += more
    if (row, column) in rules.corrected or any(
        (row, f) in rules.corrected for f in (rules.name_field, entry.opt("check_code_field") or "")
    ):
        flags.append("corrected")
    if rules.osh_years and code == "KG-O" and rules.osh_years[0] <= year <= rules.osh_years[1]:
        flags.append("incl_osh_city")
    if rules.transcribed:
        flags.append("transcribed")
    return {
        "code": code,
        "year": year,
        "indicator": r["indicator"],
        "value": value,
        "unit": r["unit"],
        "source_id": entry.id,
        "vintage": by_year(entry.opt("vintage"), year, entry.where, "vintage"),
        "boundaries": by_year(entry.opt("boundaries"), year, entry.where, "boundaries"),
        "flag": ";".join(dict.fromkeys(flags)),
        "note": "; ".join(dict.fromkeys(notes)),
        "_file": where,
        "_row": row,
        "_column": column,
    }, []


def _code(
    r: dict[str, Any],
    entry: Entry,
    region_map: dict[str, str],
    ignore: set[str],
    resolve: Resolver,
    composites: dict[frozenset[str], str],
) -> tuple[str, str]:
    """Registry code of a long row (and the footnote in its name, if any)."""
    name = r[layouts.NAME]
    if name == layouts.NATIONAL:
        return "KG", ""
    name = "" if name is None else str(name).strip()
    composite = r.get("composite_field")
    if composite is not None and str(composite).strip() not in ignore:
        parts = [p.strip() for p in str(composite).split(";") if p.strip()]
        codes = {_one(p, entry, region_map, resolve)[0] for p in parts}
        if len(codes) == 1:
            return codes.pop(), ""
        if frozenset(codes) not in composites:
            raise DataError(
                "",
                composite,
                "a sum of units defined as a composite in lsg_analysis.registry.regions "
                f"(members {';'.join(sorted(codes))})",
                column=entry.opt("composite_field"),
            )
        return composites[frozenset(codes)], ""
    code, note = _one(name, entry, region_map, resolve)
    check = r.get("check_code_field")
    if check is not None and entry.level == 2 and not _soato_matches(code, str(check)):
        raise DataError(
            "",
            check,
            f"the SOATO code of {name!r} ({code} = 417{code[2:7]}): the name and the "
            "source's code disagree — fix the code in data/corrections.csv with evidence",
            column=entry.opt("check_code_field"),
        )
    return code, note


def _soato_matches(code: str, soato: str) -> bool:
    """HDX P-code ``KGooddd…`` ↔ 8-digit SOATO ``417ooddd`` (both from the SOATE classifier)."""
    return bool(re.fullmatch(r"KG\d{11}", code)) and soato.strip() == "417" + code[2:7]


def _one(name: str, entry: Entry, region_map: dict[str, str], resolve: Resolver) -> tuple[str, str]:
    if name in region_map:
        return region_map[name], ""
    if not name:
        raise DataError("", "", "a region name")
    m = _FOOTNOTE.match(name)  # NSC labels carry footnotes: "Ошская область  (до 2013 г.включая г. Ош)"
    note = m.group(2).strip() if m else ""
    try:
        return resolve(name, entry.level, entry.opt("kind"), f"{entry.id} {entry.file}"), note
    except ValueError as e:
        raise DataError("", name, f"a region name known to lsg_analysis.registry.regions ({e})") from None


def _promised(spec: Any, entry: Entry) -> set[int]:
    """Years one value of an entry promises: its fixed ``year``, its own ``years``, else the entry's ``years``."""
    if spec.year is not None and len(entry.values) > 1:
        return {int(spec.year)}
    first, last = spec.years or entry.years
    return set(range(first, last + 1))


def check_table(entry: Entry, tidy: pd.DataFrame, where: str) -> list[DataError]:
    """Catalogue promises: no duplicate region-year-indicator rows; every promised year present."""
    errors = []
    key = ["code", "year", "indicator", "source_id"]
    dup = tidy[tidy.duplicated(key, keep=False)]
    for _, g in dup.groupby(key, sort=True):
        rows = ", ".join(str(x) for x in g["_row"])
        errors.append(
            DataError(
                where,
                f"{len(g)} rows for {g['code'].iloc[0]} {g['year'].iloc[0]} {g['indicator'].iloc[0]} (rows {rows})",
                "one row per region, year and indicator",
                row=int(g["_row"].iloc[0]),
            )
        )
    first, last = entry.years
    allowed_gaps = set(entry.opt("missing_years", []))
    for ind in sorted({v.indicator for v in entry.values}):
        have = set(tidy.loc[tidy["indicator"] == ind, "year"])
        span = sorted(set().union(*(_promised(v, entry) for v in entry.values if v.indicator == ind)))
        text = f"{span[0]}–{span[-1]}" if span == list(range(span[0], span[-1] + 1)) else ", ".join(map(str, span))
        missing = [y for y in span if y not in have and y not in allowed_gaps]
        if missing:
            errors.append(
                DataError(
                    where,
                    f"no rows for {ind} in {', '.join(map(str, missing))}",
                    f"every year {text} promised by catalogue entry {entry.id}",
                )
            )
        outside = sorted(y for y in have if y not in span)
        if outside:
            errors.append(
                DataError(
                    where,
                    f"{ind} rows for {', '.join(map(str, outside))}",
                    f"years {text} as the catalogue entry {entry.id} says",
                )
            )
    return errors
