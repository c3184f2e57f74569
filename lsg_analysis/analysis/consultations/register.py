"""What does a register hold? Loading a register (CSV or XLSX) into a validated frame: header, cell rules,
derived columns (state draft, year and its basis, legal regime), and the shipped coded registers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
import pandas as pd
from lsg_analysis.core.errors import DataError
from lsg_analysis.core.paths import rel
from lsg_analysis.analysis.register_model import check_register_frame
from lsg_analysis.analysis.register_read import RegisterError, read_csv, read_xlsx
from lsg_analysis.analysis.register_schema import (
    BLANK_READ_AS_UNKNOWN,
    CODED_EXTRA,
    CODED_REGISTERS,
    CONTROL,
    KEPT_ORIGINAL,
    SAMPLING,
    SAMPLING_FIELD,
    UNKNOWN,
    YES,
    PartialDate,
    check_row,
    coded_header,
    field_map,
    fields,
    parse_cell,
    parse_partial_date,
)
from lsg_analysis.analysis.consultations.legal import legal_min_days, legal_regime
from lsg_analysis.analysis.consultations.updates import Update, apply_updates, read_updates


LSG_OWN = "local_council_decision"


def check_sampling(value: object, file: str) -> str:
    """``value`` if it is one of :data:`SAMPLING`, else a :class:`RegisterError` naming the file and the field."""
    if value not in SAMPLING:
        raise RegisterError([DataError(file, value, "one of: " + ", ".join(SAMPLING), column=SAMPLING_FIELD)])
    return str(value)


def declared_sampling(path: Path, file: str) -> str:
    """The register's ``register_sampling``: from an XLSX ``metadata`` sheet (rows ``field, value``), else from
    the file's sidecar ``<file>.source.yml``, else ``unknown`` (not declared)."""
    import yaml

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            if "metadata" in wb.sheetnames:
                for cells in wb["metadata"].iter_rows(values_only=True):
                    if cells and cells[0] == SAMPLING_FIELD:
                        declared = cells[1] if len(cells) > 1 and cells[1] not in (None, "") else "unknown"
                        return check_sampling(declared, f"{file} (sheet metadata)")
        finally:
            wb.close()
    side = path.with_name(path.name + ".source.yml")
    meta = yaml.safe_load(side.read_text(encoding="utf-8")) if side.is_file() else None
    if isinstance(meta, dict) and SAMPLING_FIELD in meta:
        return check_sampling(meta[SAMPLING_FIELD], rel(side))
    return "unknown"


def _check_header(header: list[str], file: str) -> tuple[str, list[DataError]]:
    """Profile (``coded`` for the shipped 30-column layout, else ``schema``) and header problems.
    Empty header cells after the last named column (spreadsheet formatting) are ignored."""
    while header and header[-1] == "":
        header.pop()
    if tuple(header) == coded_header():
        return "coded", []
    errs = []
    seen: set[str] = set()
    known = field_map()
    for h in header:
        if h in seen:
            errs.append(DataError(file, h, "each column once", row=1, column=h))
        seen.add(h)
        if h not in known:
            errs.append(
                DataError(file, h, "a column of the register schema (see the template's fields sheet)", row=1, column=h)
            )
    for f in fields():
        if f.name not in seen and f.required in ("yes", "conditional"):
            errs.append(
                DataError(file, "(column missing)", f'a column "{f.name}" ({f.requirement})', row=1, column=f.name)
            )
    return "schema", errs


def _trim_row(values: list[Any], n: int) -> list[Any]:
    """Cells beyond the header must be empty (a spreadsheet can carry empty trailing cells)."""
    return list(values[:n]) + [None] * (n - len(values))


def _parse_rows(
    header: list[str], body: list[tuple[int, list[Any]]], profile: str, file: str
) -> tuple[list[dict[str, Any]], list[DataError]]:
    errors: list[DataError] = []
    parsed: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    absent = frozenset(f.name for f in fields() if f.name not in header)
    for row_no, values in body:
        if all(v is None or v == "" for v in values):
            continue  # blank line / empty spreadsheet row
        if len(values) > len(header) and any(v not in (None, "") for v in values[len(header) :]):
            errors.append(
                DataError(
                    file, f"{len(values)} cells", f"at most {len(header)} cells (one per header column)", row=row_no
                )
            )
            continue
        cells = dict(zip(header, _trim_row(values, len(header)), strict=True))
        r: dict[str, Any] = {"row": row_no}
        bad: set[str] = set()
        for f in fields():
            if f.name not in cells:
                r[f.name] = UNKNOWN if (profile == "coded" and UNKNOWN in f.allowed) else None
                continue
            raw = cells[f.name]
            c = parse_cell(f, raw, profile)
            r[f.name] = c.value
            r[f"{f.name}__raw"] = raw
            if c.original is not None:
                r[f"{f.name}__original"] = c.original
            if c.note:
                r[f"{f.name}__note"] = (c.note, raw)
            if c.expected:
                bad.add(f.name)
                errors.append(DataError(file, _printable(raw), c.expected, row=row_no, column=f.name))
            elif c.value is None and f.required == "yes" and not (profile == "coded" and raw == UNKNOWN):
                need = "one of: " + ", ".join(f.allowed) if f.type == "enum" else "a value (required)"
                errors.append(DataError(file, "" if raw is None else raw, need, row=row_no, column=f.name))
        for extra in CODED_EXTRA:
            r[extra] = cells.get(extra) or None
        if r["draft_id"] is not None:
            if r["draft_id"] in ids:
                errors.append(
                    DataError(
                        file,
                        r["draft_id"],
                        f"a unique draft_id (also in row {ids[r['draft_id']]})",
                        row=row_no,
                        column="draft_id",
                    )
                )
            ids.setdefault(r["draft_id"], row_no)
        _coded_stage(r, profile)
        errors += check_row(r, profile, file, row_no, absent | bad)
        errors += _check_derived(r, file, row_no)
        parsed.append(r)
    return parsed, errors


def _printable(raw: Any) -> Any:
    """A found value for a message: control characters shown as \\xNN escapes, never emitted raw."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", raw) if isinstance(raw, str) else raw


def _coded_stage(r: dict[str, Any], profile: str) -> None:
    """Coded registers use consultation_stage for the stage of the *public discussion* when no LSG involvement is
    recorded (REGISTER_2_README.md). The schema means the stage of LSG consultation, so such values become
    ``unknown`` with the original kept."""
    involved = YES in (r.get("sent_to_lsg_bodies"), r.get("sent_to_lsg_association"), r.get("lsg_in_working_group"))
    if profile == "coded" and r.get("consultation_stage") in ("early", "draft") and not involved:
        r["consultation_stage__original"] = r["consultation_stage"]
        r["consultation_stage"] = UNKNOWN


def _discussion_days(r: dict[str, Any]) -> int | None:
    """discussion_days = public_discussion_end - public_discussion_start (calendar days; both day-precise)."""
    a, b = r.get("public_discussion_start"), r.get("public_discussion_end")
    if isinstance(a, PartialDate) and isinstance(b, PartialDate) and a.precision == b.precision == "day":
        return (b.lo - a.lo).days
    return None


def _check_derived(r: dict[str, Any], file: str, row: int) -> list[DataError]:
    """Derived columns are computed; a filled cell must equal the computed value."""
    computed = {
        "discussion_days": _discussion_days(r),
        "legal_min_days_applicable": legal_min_days(r.get("public_discussion_start")),
    }
    out = []
    for col, value in computed.items():
        typed = r.get(col)
        if typed is not None and typed != value:
            out.append(
                DataError(
                    file, typed, f"an empty cell (computed: {'empty' if value is None else value})", row=row, column=col
                )
            )
        r[col] = value
    return out


def _first_date(r: dict[str, Any], columns: Sequence[str]) -> tuple[PartialDate | None, str | None]:
    for c in columns:
        if isinstance(r.get(c), PartialDate):
            return r[c], c
    return None, None


REGIME_DATE_ORDER = ("date_first_published", "public_discussion_start", "date_sent_to_lsg", "date_adopted")


PERIOD_DATE_ORDER = ("date_first_published", "date_adopted")  # indicators.csv: reporting period


def _year(r: dict[str, Any]) -> tuple[str, str]:
    """``(year, year_basis)``: the year of the reporting-period date (``draft_date``); else, for coded
    registers, the year of the register's own ``source_date`` column (``source_date``; an ISO (partial) date,
    never a date read from a URL); else ``("unknown", "unknown")``."""
    period, _ = _first_date(r, PERIOD_DATE_ORDER)
    if period:
        return str(period.lo.year), "draft_date"
    source = parse_partial_date(str(r.get("source_date") or "").strip())
    if source:
        return str(source.lo.year), "source_date"
    return UNKNOWN, UNKNOWN


def _frame(parsed: list[dict[str, Any]], profile: str, file: str) -> pd.DataFrame:
    """Parsed rows -> typed DataFrame (schema order, then provenance, precision, originals, derived)."""
    cols: dict[str, list[Any]] = {"file": [], "row": [], "register_profile": []}
    spec = fields()
    for f in spec:
        cols[f.name] = []
        if f.type == "date":
            cols[f"{f.name}_precision"] = []
    for name in (
        *CODED_EXTRA,
        *(f"{k}_original" for k in KEPT_ORIGINAL),
        "proposals_made_some",
        "proposals_accepted_some",
        "state_draft",
        "year",
        "year_basis",
        "legal_regime",
        "legal_regime_date_field",
        "deviations",
    ):
        cols[name] = []
    for r in parsed:
        cols["file"].append(file)
        cols["row"].append(r["row"])
        cols["register_profile"].append(profile)
        for f in spec:
            v = r.get(f.name)
            if f.type == "date":
                cols[f.name].append(v.text if v else None)
                cols[f"{f.name}_precision"].append(v.precision if v else None)
            else:
                cols[f.name].append(v)
        for e in CODED_EXTRA:
            cols[e].append(r.get(e))
        dev = []
        for k in KEPT_ORIGINAL:
            orig = r.get(f"{k}__original")
            cols[f"{k}_original"].append(orig)
            if orig is not None:
                dev.append(f"{k}: {orig!r} -> {r.get(k) if r.get(k) is not None else 'count unknown'}")
        for k in ("proposals_made", "proposals_accepted"):
            v = r.get(k)
            cols[f"{k}_some"].append(True if r.get(f"{k}__original") == YES else (None if v is None else v > 0))
        partial = [f.name for f in spec if isinstance(r.get(f.name), PartialDate) and r[f.name].precision != "day"]
        if partial:
            dev.append("partial dates: " + ", ".join(partial))
        cols["state_draft"].append(r.get("act_type") != LSG_OWN)
        year, basis = _year(r)
        cols["year"].append(year)
        cols["year_basis"].append(basis)
        d, field_used = _first_date(r, REGIME_DATE_ORDER)
        cols["legal_regime"].append(legal_regime(d))
        cols["legal_regime_date_field"].append(field_used)
        cols["deviations"].append("; ".join(dev) or None)
    df = pd.DataFrame(cols)
    for f in spec:
        df[f.name] = df[f.name].astype("Int64" if f.type == "int" else "string")
    for c in ("proposals_made_some", "proposals_accepted_some", "state_draft"):
        df[c] = df[c].astype("boolean")
    df["row"] = df["row"].astype("int64")
    text_cols = [
        c
        for c in df.columns
        if c not in [f.name for f in spec if f.type == "int"]
        and c not in ("row", "proposals_made_some", "proposals_accepted_some", "state_draft")
    ]
    df[text_cols] = df[text_cols].astype("string")
    return df


def load_register(path: str | Path, updates: Sequence[Update] = ()) -> pd.DataFrame:
    """Read a register (CSV or XLSX, full schema; or the project's coded 30-column layout) and validate it.

    Returns one row per draft with the 45 schema columns (dates as ISO text with a ``<date>_precision``
    column; counts as Int64; derived ``discussion_days`` and ``legal_min_days_applicable``) plus ``file``,
    ``row`` (spreadsheet row), ``register_profile``, ``state_draft``, ``year`` (with ``year_basis``:
    ``draft_date`` | ``source_date`` | ``unknown``, see :func:`_year`), ``legal_regime`` and, for
    coded registers, the original text of every mapped value and a ``deviations`` note.

    The frame is checked against :data:`lsg_analysis.analysis.register_model.RegisterFrame` (columns, dtypes,
    allowed values, nullable). ``.attrs["input_notes"]`` counts what was accepted with a note (see :func:`_input_notes`);
    ``.attrs["read_as"]`` says how the file was read: ``{"format": "csv", "delimiter": ";", "encoding":
    "cp1251"}`` (encodings ``utf-8``, ``utf-8-sig``, ``cp1251``) or ``{"format": "xlsx", "sheet": "register"}``.

    Raises :class:`RegisterError` listing every bad cell (file, row, column, value, what is allowed);
    nothing is returned half-validated.

    ``updates`` (see :mod:`lsg_analysis.analysis.consultations.updates`) are applied to the rows as read, before
    any rule; ``.attrs["updates_applied"]`` lists each applied one (draft_id, field, old, new, date, source).
    ``.attrs["register_sampling"]`` is the declared sampling (see :func:`declared_sampling`).
    """
    p = Path(path)
    file = rel(p)
    if not p.is_file():
        raise RegisterError([DataError(file, "no such file", "an existing CSV or XLSX register")])
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise RegisterError([DataError(file, p.suffix or "(no extension)", "a .csv or .xlsx file")])
    header, body, read_as = read_csv(p, file) if suffix == ".csv" else read_xlsx(p, file)
    profile, header_errors = _check_header(header, file)
    if header_errors:
        raise RegisterError(header_errors)
    body, applied = apply_updates(header, body, updates)
    parsed, errors = _parse_rows(header, body, profile, file)
    if errors:
        raise RegisterError(errors)
    df = check_register_frame(_frame(parsed, profile, file), file)  # a failure here is a parser bug
    df.attrs["read_as"] = read_as
    df.attrs["input_notes"] = _input_notes(parsed)
    df.attrs["updates_applied"] = applied
    df.attrs[SAMPLING_FIELD] = declared_sampling(p, file)
    return df


def _input_notes(parsed: list[dict[str, Any]]) -> dict[str, Any]:
    """Cells accepted with a note: blank enum cells read as unknown (count per column) and enum values matched
    ignoring case and spacing ([row, column, found, value] each)."""
    blank: dict[str, int] = {}
    loose: list[list[Any]] = []
    for r in parsed:
        for f in fields():
            note = r.get(f"{f.name}__note")
            if note and note[0] == BLANK_READ_AS_UNKNOWN:
                blank[f.name] = blank.get(f.name, 0) + 1
            elif note:
                loose.append([r["row"], f.name, note[1], r[f.name]])
    return {"blank_read_as_unknown": blank, "matched_loosely": loose}


def load_shipped_register() -> pd.DataFrame:
    """The three coded registers (``data/raw/consultations/register_coded*.csv``; 45 + 31 + 53 real rows) with a
    ``batch`` column (1, 2, 3) and the dated, sourced updates of ``register_3_updates.csv`` applied (listed in
    ``.attrs["updates_applied"]``; an update whose draft is in no batch is an error). Not a random sample (see
    the READMEs beside them)."""
    updates = read_updates()
    parts = [load_register(p, updates).assign(batch=i) for i, p in enumerate(CODED_REGISTERS, start=1)]
    applied = [u for part in parts for u in part.attrs["updates_applied"]]
    df = pd.concat(parts, ignore_index=True)
    dup = df["draft_id"][df["draft_id"].duplicated()]
    if len(dup):
        raise RegisterError(
            [
                DataError(rel(CODED_REGISTERS[-1]), d, "a draft_id not already in an earlier batch", column="draft_id")
                for d in dup
            ]
        )
    unmatched = [u for u in updates if u.draft_id not in set(df["draft_id"].dropna())]
    if unmatched:
        raise RegisterError(
            [
                DataError(u.file, u.draft_id, "a draft_id of a coded register", row=u.row, column="draft_id")
                for u in unmatched
            ]
        )
    df.attrs["updates_applied"] = applied
    declared = {part.attrs[SAMPLING_FIELD] for part in parts}
    df.attrs[SAMPLING_FIELD] = declared.pop() if len(declared) == 1 else "unknown"
    return df


def state_drafts(register: pd.DataFrame) -> pd.DataFrame:
    """The state's drafts of a register: every row but LSG bodies' own drafts (``state_draft`` false); an unknown
    ``state_draft`` counts as a state draft (the register holds drafts that touch LSG)."""
    return register[register["state_draft"].fillna(True).astype(bool)]
