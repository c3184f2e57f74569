"""Was LSG consulted, and in time? Load and validate a consultation register; compute the usage indicators.

Public API (``lsg_analysis.analysis.consultations``):

* :func:`load_register` — a register (CSV or XLSX) -> validated DataFrame, or :class:`RegisterError` listing
  every bad cell at once (nothing half-imported).
* :func:`load_shipped_register` — the project's two coded registers (76 real rows), with a ``batch`` column.
* :func:`usage_rates` — the indicators of ``indicators.csv`` (I01–I11, C01) plus ``P01`` (public record of LSG
  consultation), overall or by year / drafting body / act type / LSG competence area, with Wilson 95 % CIs.
* :func:`write_template` — the XLSX entry template (see :mod:`lsg_analysis.analysis.register_template`).
* :func:`legal_regime`, :func:`legal_min_days`, :func:`portal_start_date`, :func:`wilson_interval`.

Rules that matter (indicators.csv): ``unknown`` is never ``no`` — it leaves numerator AND denominator; a rate is
suppressed when fewer than 10 rows are known or more than half are unknown. LSG bodies' own drafts
(``act_type = local_council_decision``) are excluded from every state-to-LSG rate. The legal minimum
public-discussion period is unverified, so timeliness against "the law" is not computed; the median length
and labelled scenarios are reported instead.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lsg_analysis.core.errors import DataError, ParameterError
from lsg_analysis.core.filekey import file_key
from lsg_analysis.core.paths import rel
from lsg_analysis.analysis.register_model import check_register_frame
from lsg_analysis.analysis.register_read import RegisterError, read_csv, read_xlsx
from lsg_analysis.analysis.register_schema import (
    BLANK_READ_AS_UNKNOWN,
    CODED_EXTRA,
    CODED_REGISTERS,
    CONTROL,
    GROUPINGS,
    KEPT_ORIGINAL,
    PARAMETERS,
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

__all__ = [
    "RegisterError",
    "load_register",
    "load_shipped_register",
    "usage_rates",
    "write_template",
    "legal_regime",
    "legal_min_days",
    "portal_start_date",
    "wilson_interval",
    "GROUPINGS",
    "NOT_RANDOM",
]

#: Critical value of the standard normal for a two-sided 95 % interval.
Z95 = 1.959963984540054
MIN_KNOWN = 10
MAX_UNKNOWN_SHARE = 0.5
SMALL_N = 30
LSG_OWN = "local_council_decision"
NOT_RANDOM = (
    "not a random sample: drafts coded from news and official pages (news-driven; administrative-"
    "territorial drafts over-represented)"
)


# ---------------------------------------------------------------- legal parameters (dated tables in data/)


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


# ---------------------------------------------------------------- reading


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


# ---------------------------------------------------------------- parsing into a frame


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


def load_register(path: str | Path) -> pd.DataFrame:
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
    parsed, errors = _parse_rows(header, body, profile, file)
    if errors:
        raise RegisterError(errors)
    df = check_register_frame(_frame(parsed, profile, file), file)  # a failure here is a parser bug
    df.attrs["read_as"] = read_as
    df.attrs["input_notes"] = _input_notes(parsed)
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
    """The two coded registers (``data/raw/consultations/register_coded*.csv``; 45 + 31 real rows) with a
    ``batch`` column (1, 2). Not a random sample (see the READMEs beside them)."""
    parts = [load_register(p).assign(batch=i) for i, p in enumerate(CODED_REGISTERS, start=1)]
    df = pd.concat(parts, ignore_index=True)
    dup = df["draft_id"][df["draft_id"].duplicated()]
    if len(dup):
        raise RegisterError(
            [DataError(rel(CODED_REGISTERS[1]), d, "a draft_id not already in batch 1", column="draft_id") for d in dup]
        )
    return df


# ---------------------------------------------------------------- indicators


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    r"""Wilson score interval for a proportion k/n (Wilson 1927, JASA 22:209–212), no continuity correction:

    .. math:: \frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    >>> tuple(round(x, 4) for x in wilson_interval(81, 263))   # Newcombe (1998) Stat Med 17:857, table I
    (0.2553, 0.3662)
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else centre - half  # exactly 0 / 1 at the ends (float rounding would leave ~1e-17)
    hi = 1.0 if k == n else centre + half
    return (lo, hi)


Mask = Callable[[pd.DataFrame], pd.Series]


def _eq(col: str, *values: str) -> Mask:
    return lambda d: d[col].isin(values).fillna(False).astype(bool)


def _known(col: str) -> Mask:
    return lambda d: (d[col].notna() & (d[col] != UNKNOWN)).fillna(False).astype(bool)


def _all(d: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=d.index)


def _sent_any(d: pd.DataFrame) -> pd.Series:
    return _eq("sent_to_lsg_bodies", YES)(d) | _eq("sent_to_lsg_association", YES)(d)


def _involved(d: pd.DataFrame) -> pd.Series:
    return _sent_any(d) | _eq("lsg_in_working_group", YES)(d)


def _all_three_no(d: pd.DataFrame) -> pd.Series:
    return (
        _eq("sent_to_lsg_bodies", "no")(d)
        & _eq("sent_to_lsg_association", "no")(d)
        & _eq("lsg_in_working_group", "no")(d)
    )


def _published(d: pd.DataFrame) -> pd.Series:
    channel = d["publication_channel"]
    return _eq("published_on_portal", YES)(d) | (channel.notna() & ~channel.isin(["none", UNKNOWN])).fillna(False)


def _publication_known(d: pd.DataFrame) -> pd.Series:
    return _eq("published_on_portal", YES)(d) | _known("publication_channel")(d)


def _bounds(d: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.Series, pd.Series]:
    """First and last possible day of the first filled date among ``columns`` (NaT when none)."""
    text = pd.Series(pd.NA, index=d.index, dtype="string")
    for c in columns:
        text = text.fillna(d[c])
    lo = pd.to_datetime(text.map(lambda s: None if pd.isna(s) else _pd(s).lo), errors="coerce")
    hi = pd.to_datetime(text.map(lambda s: None if pd.isna(s) else _pd(s).hi), errors="coerce")
    return lo, hi


def _pd(s: str) -> PartialDate:
    out = parse_partial_date(s)
    if out is None:  # the frame only holds validated dates: this is a bug, not a user error
        raise ValueError(f"unvalidated date {s!r} in a register frame")
    return out


def _portal_era(d: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(certainly on/after portal start, certainly before) by date_first_published else date_adopted."""
    start = pd.Timestamp(portal_start_date())
    lo, hi = _bounds(d, PERIOD_DATE_ORDER)
    return (lo >= start).fillna(False).astype(bool), (hi < start).fillna(False).astype(bool)


def _days(col_from: str, col_to: str) -> Callable[[pd.DataFrame], pd.Series]:
    """Calendar days between two day-precise dates (NaN otherwise)."""

    def f(d: pd.DataFrame) -> pd.Series:
        ok = (d[f"{col_from}_precision"] == "day") & (d[f"{col_to}_precision"] == "day")
        a = pd.to_datetime(d[col_from].where(ok), errors="coerce")
        b = pd.to_datetime(d[col_to].where(ok), errors="coerce")
        return (b - a).dt.days.astype("float64")

    return f


def _discussion(d: pd.DataFrame) -> pd.Series:
    return d["discussion_days"].astype("Float64").astype("float64")


@dataclass(frozen=True)
class Spec:
    """One indicator: who is eligible, who is known among them, who counts in the numerator (or a statistic)."""

    id: str
    name: str
    eligible: Mask
    known: Mask
    success: Mask | None = None
    statistic: Callable[[pd.DataFrame], float] | None = None  # for medians / means (no CI)
    counts: Callable[[pd.DataFrame], tuple[int, int]] | None = None  # (k, n) when not one row = one unit
    unit: str = "share"
    note: str = ""
    ci: bool = True


def _median(values: Callable[[pd.DataFrame], pd.Series]) -> Callable[[pd.DataFrame], float]:
    return lambda d: float(np.median(values(d).dropna())) if values(d).notna().any() else math.nan


def _adopted_yes(d: pd.DataFrame) -> pd.Series:
    return _eq("final_act_adopted", YES)(d)


def _scenario(days: int) -> Spec:
    return Spec(
        f"I04_scenario_{days}d",
        f"Discussion lasted at least {days} days — SCENARIO, not the legal minimum",
        _all,
        lambda d: _discussion(d).notna(),
        lambda d: _discussion(d) >= days,
        note=f"scenario threshold of {days} days; the legal minimum is unverified "
        "(data/parameters/consultations/legal_min_days.csv is empty)",
    )


def _pooled(d: pd.DataFrame) -> tuple[int, int]:
    made = d["proposals_made"].astype("float64")
    acc = d["proposals_accepted"].astype("float64")
    return int(acc.sum()), int(made.sum())


def _mean_ratio(d: pd.DataFrame) -> float:
    made = d["proposals_made"].astype("float64")
    acc = d["proposals_accepted"].astype("float64")
    ok = made > 0
    return float((acc[ok] / made[ok]).mean()) if ok.any() else math.nan


def specs(scenarios: Sequence[int]) -> list[Spec]:
    """The indicators of indicators.csv in its order, plus P01, Q01 and the labelled timeliness scenarios."""
    both_counts = lambda d: (
        d["proposals_made"].notna()  # noqa: E731  (none accepted of none made)
        & (d["proposals_accepted"].notna() | (d["proposals_made"] == 0))
    ).fillna(False)
    return [
        Spec(
            "P01",
            "Public record of LSG consultation (NOT the consultation rate)",
            _all,
            _all,
            _involved,
            note="share of drafts touching LSG for which a public record of LSG consultation exists; "
            "unknown = no public record",
        ),
        Spec(
            "I01",
            "Publication rate",
            _eq("final_act_adopted", YES, "pending", "withdrawn"),
            _publication_known,
            _published,
        ),
        Spec(
            "I01b",
            "Portal (koomtalkuu) publication rate",
            lambda d: _eq("final_act_adopted", YES, "pending", "withdrawn")(d) & ~_portal_era(d)[1],
            lambda d: _portal_era(d)[0] & _known("published_on_portal")(d),
            _eq("published_on_portal", YES),
            note=f"drafts dated on/after portal_start_date {portal_start_date()} (EWMI; decree not read)",
        ),
        Spec("I02", "LSG consultation rate", _all, _known("sent_to_lsg_bodies"), _eq("sent_to_lsg_bodies", YES)),
        Spec(
            "I03",
            "LSG association consultation rate",
            _all,
            _known("sent_to_lsg_association"),
            _eq("sent_to_lsg_association", YES),
        ),
        Spec("I03b", "Any-LSG consultation rate", _all, lambda d: _involved(d) | _all_three_no(d), _involved),
        Spec(
            "I04",
            "Timeliness vs legal minimum discussion period",
            _all,
            lambda d: _discussion(d).notna() & d["legal_min_days_applicable"].notna().astype(bool),
            lambda d: _discussion(d) >= d["legal_min_days_applicable"].astype("float64"),
        ),
        *[_scenario(s) for s in scenarios],
        Spec(
            "I04b",
            "Median public-discussion length",
            _all,
            lambda d: _discussion(d).notna(),
            statistic=_median(_discussion),
            unit="days",
            ci=False,
        ),
        Spec(
            "I04c",
            "Median time available to LSG before adoption",
            _sent_any,
            lambda d: _days("date_sent_to_lsg", "date_adopted")(d).notna(),
            statistic=_median(_days("date_sent_to_lsg", "date_adopted")),
            unit="days",
            ci=False,
        ),
        Spec(
            "I05",
            "Early-consultation share",
            _eq("consultation_stage", "early", "draft"),
            _all,
            _eq("consultation_stage", "early"),
            note="among drafts where LSG were consulted (stage early or draft)",
        ),
        Spec(
            "I05_all",
            "Early-consultation share (all eligible drafts)",
            _all,
            _known("consultation_stage"),
            _eq("consultation_stage", "early"),
        ),
        Spec("I06", "LSG response rate", _sent_any, _known("lsg_response_received"), _eq("lsg_response_received", YES)),
        Spec(
            "I07",
            "Proposal uptake rate (pooled)",
            _eq("lsg_response_received", YES),
            both_counts,
            counts=_pooled,
            note="pooled sum(accepted)/sum(made); the CI treats proposals as independent",
        ),
        Spec(
            "I07_mean",
            "Proposal uptake rate (mean of per-draft ratios)",
            _eq("lsg_response_received", YES),
            both_counts,
            statistic=_mean_ratio,
            ci=False,
            note="drafts with proposals_made = 0 left out of the mean",
        ),
        Spec(
            "I08",
            "Reflection of LSG position in final act",
            lambda d: (
                _adopted_yes(d)
                & _eq("lsg_response_received", YES)(d)
                & ~_eq("final_act_reflects_lsg_position", "not_applicable")(d)
            ),
            _known("final_act_reflects_lsg_position"),
            _eq("final_act_reflects_lsg_position", YES),
        ),
        Spec(
            "I08_partly",
            "LSG position partly reflected in final act",
            lambda d: (
                _adopted_yes(d)
                & _eq("lsg_response_received", YES)(d)
                & ~_eq("final_act_reflects_lsg_position", "not_applicable")(d)
            ),
            _known("final_act_reflects_lsg_position"),
            _eq("final_act_reflects_lsg_position", "partly"),
        ),
        Spec(
            "I09",
            "Feedback transparency",
            lambda d: _eq("published_on_portal", YES)(d) | _sent_any(d),
            _known("feedback_published"),
            _eq("feedback_published", YES),
        ),
        Spec(
            "I09_partly",
            "Feedback partly published",
            lambda d: _eq("published_on_portal", YES)(d) | _sent_any(d),
            _known("feedback_published"),
            _eq("feedback_published", "partly"),
        ),
        Spec(
            "I10",
            "Impact-analysis coverage",
            lambda d: ~_eq("impact_analysis_done", "not_required")(d),
            _known("impact_analysis_done"),
            _eq("impact_analysis_done", YES),
        ),
        Spec(
            "I10b", "Impact on LSG assessed", _all, _known("impact_on_lsg_assessed"), _eq("impact_on_lsg_assessed", YES)
        ),
        Spec(
            "I11",
            "Ex-post review rate",
            lambda d: _adopted_yes(d) & ~_eq("ex_post_review_done", "not_yet_due")(d),
            _known("ex_post_review_done"),
            _eq("ex_post_review_done", YES),
        ),
        Spec(
            "Q01",
            "Double-coded rows (quality control)",
            _all,
            _known("verification_status"),
            _eq("verification_status", "double_coded_agree", "double_coded_resolved"),
        ),
    ]


def _row(spec: Spec, d: pd.DataFrame, group: str) -> dict[str, Any]:
    """Numerator/denominator by the unknown rule; suppression; Wilson CI."""
    elig = spec.eligible(d).astype(bool)
    known = elig & spec.known(d).astype(bool)
    n_elig, n_known = int(elig.sum()), int(known.sum())
    unknown_share = (n_elig - n_known) / n_elig if n_elig else math.nan
    out: dict[str, Any] = {
        "indicator": spec.id,
        "name": spec.name,
        "group": group,
        "n": n_known,
        "value": math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "unit": spec.unit,
        "n_eligible": n_elig,
        "n_known": n_known,
        "unknown_share": unknown_share,
        "suppressed": True,
    }
    notes = [spec.note] if spec.note else []
    if spec.id == "I04" and not d["legal_min_days_applicable"].notna().any():
        notes.append(
            "not computed: the legal minimum discussion period is not verified "
            "(legal_min_days.csv is empty); see I04b and the labelled scenarios"
        )
    elif n_known < MIN_KNOWN or unknown_share > MAX_UNKNOWN_SHARE:
        why = (
            f"n_known = {n_known} < {MIN_KNOWN}"
            if n_known < MIN_KNOWN
            else f"unknown share {unknown_share:.0%} > {MAX_UNKNOWN_SHARE:.0%}"
        )
        notes.append(f"insufficient data ({why})")
    else:
        sub = d[known]
        out["suppressed"] = False
        if spec.statistic is not None:
            out["value"] = spec.statistic(sub)
        else:
            k, n = spec.counts(sub) if spec.counts else (int(spec.success(sub).astype(bool).sum()), n_known)
            out["value"] = k / n if n else math.nan
            if spec.ci and n:
                out["ci_low"], out["ci_high"] = wilson_interval(k, n)
        if n_known < SMALL_N:
            notes.append(f"small n ({n_known}): wide interval, read with care")
    out["note"] = "; ".join(notes)
    return out


#: C01 categories (indicators.csv): sub-indicator ids, equal weights; I09 scored with 'partly' = 0.5.
C01_CATEGORIES = {"A": ("I02", "I03"), "B": ("I04", "I05", "I10b"), "C": ("I11", "Q01"), "D": ("I01", "I09_score")}
C01_NAMES = {"A": "Systematic adoption", "B": "Methodology", "C": "Oversight & quality control", "D": "Transparency"}


def _composite(rows: dict[str, dict[str, Any]], group: str) -> list[dict[str, Any]]:
    """iREG-style C01 (0–4): a category = mean of its available sub-indicators if at least half are available;
    C01 = sum of the four categories only if all four exist. Never imputes 0."""
    yes, partly = rows["I09"], rows["I09_partly"]
    i09_score = math.nan if yes["suppressed"] else yes["value"] + 0.5 * partly["value"]
    values = {k: (math.nan if r["suppressed"] else r["value"]) for k, r in rows.items()} | {"I09_score": i09_score}
    out = []
    cats: dict[str, float] = {}
    for cat, subs in C01_CATEGORIES.items():
        have = [s for s in subs if not math.isnan(values[s])]
        ok = len(have) >= len(subs) / 2
        cats[cat] = float(np.mean([values[s] for s in have])) if ok else math.nan
        dropped = [s for s in subs if s not in have]
        note = (
            f"mean of {', '.join(have)}" if ok else "not computed: fewer than half of the sub-indicators available"
        ) + (f"; unavailable: {', '.join(dropped)}" if dropped else "")
        out.append(_composite_row(f"C01_{cat}", f"C01 {C01_NAMES[cat]} (0-1)", group, cats[cat], note))
    total = sum(cats.values()) if all(not math.isnan(v) for v in cats.values()) else math.nan
    missing = [c for c, v in cats.items() if math.isnan(v)]
    out.append(
        _composite_row(
            "C01",
            "iREG-style LSG consultation composite (0-4)",
            group,
            total,
            "sum of categories A-D" if not missing else f"not computed: categories {', '.join(missing)} unavailable",
        )
    )
    return out


def _composite_row(ind: str, name: str, group: str, value: float, note: str) -> dict[str, Any]:
    return {
        "indicator": ind,
        "name": name,
        "group": group,
        "n": pd.NA,
        "value": value,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "unit": "index points",
        "n_eligible": pd.NA,
        "n_known": pd.NA,
        "unknown_share": math.nan,
        "suppressed": math.isnan(value),
        "note": note,
    }


def usage_rates(register: pd.DataFrame, by: str | None = None, scenarios: Sequence[int] = (15, 30)) -> pd.DataFrame:
    """Usage indicators of ``indicators.csv`` for a validated register, overall (group ``all``) or ``by`` one of
    :data:`GROUPINGS` (``unknown`` is its own group).

    Columns: indicator, name, group, n (= n_known, the rate's denominator), value, ci_low, ci_high (Wilson 95 %),
    unit, n_eligible, n_known, unknown_share, suppressed, note. Only state drafts count (LSG bodies' own drafts,
    ``act_type = local_council_decision``, are excluded). ``scenarios`` are illustrative day thresholds for
    timeliness while the legal minimum is unverified (15 = the 2022 proposed cut; 30 = "a month", practice
    claimed by the JK press service in 2020) — never the law.
    """
    if by is not None and by not in GROUPINGS:
        raise ParameterError("by", by, ", ".join(GROUPINGS))
    bad = [s for s in scenarios if not isinstance(s, int | np.integer) or isinstance(s, bool) or s <= 0]
    if bad:
        raise ParameterError("scenarios", bad[0], "positive whole numbers of days, e.g. (15, 30)")
    state = state_drafts(register)
    n_own = len(register) - len(state)
    keys = ["all"] if by is None else sorted(state[by].fillna(UNKNOWN).astype(str).unique())
    out = []
    for g in keys:
        d = state if by is None else state[state[by].fillna(UNKNOWN).astype(str) == g]
        rows = {s.id: _row(s, d, g) for s in specs(list(scenarios))}
        out += list(rows.values()) + _composite(rows, g)
    df = pd.DataFrame(out)
    extra = []
    if n_own:
        extra.append(f"{n_own} LSG-own draft(s) (act_type = {LSG_OWN}) excluded")
    if (register["register_profile"] == "coded").any():
        extra.append(NOT_RANDOM)
    if extra:
        df["note"] = [("; ".join([n, *extra]) if n else "; ".join(extra)) for n in df["note"]]
    if by == "year":
        df["note"] = _source_dated_notes(state, df)
    for c in ("n", "n_eligible", "n_known"):
        df[c] = df[c].astype("Int64")
    df["suppressed"] = df["suppressed"].astype(bool)
    return df


def _source_dated_notes(state: pd.DataFrame, rates: pd.DataFrame) -> list[str]:
    """Rates by year: each row's note says how many of the year's drafts take their year from the source date."""
    basis = state["year_basis"] if "year_basis" in state else pd.Series(UNKNOWN, index=state.index)
    counts = (
        state.assign(_g=state["year"].fillna(UNKNOWN).astype(str), _s=basis.eq("source_date").fillna(False))
        .groupby("_g")["_s"]
        .agg(["sum", "size"])
    )
    out = []
    for g, note in zip(rates["group"], rates["note"]):
        k, n = int(counts.loc[g, "sum"]), int(counts.loc[g, "size"])
        add = f"year from source_date for {k} of {n} draft(s)" if k else ""
        out.append("; ".join(x for x in (note, add) if x))
    return out


def write_template(path: str | Path) -> Path:
    """Write the XLSX entry template (see :func:`lsg_analysis.analysis.register_template.write_template`)."""
    from lsg_analysis.analysis.register_template import write_template as _write

    return _write(path)


def state_drafts(register: pd.DataFrame) -> pd.DataFrame:
    """The state's drafts of a register: every row but LSG bodies' own drafts (``state_draft`` false); an unknown
    ``state_draft`` counts as a state draft (the register holds drafts that touch LSG)."""
    return register[register["state_draft"].fillna(True).astype(bool)]
