"""What is a valid row of the consultation register? The 45-field schema as code, and the cell rules.

The fields, their types (string / enum / date / int), allowed values and the required flag are read from
``data/raw/consultations/consultation_register_schema.csv``; project extensions of an enum come from
``data/parameters/consultations/schema_extensions.csv``. The schema's ``rule`` column is prose, so the
conditional rules (``portal_draft_id`` required if published, proposals accepted <= made, date order, ...)
are written out below, one function each, and every one is tested (``tests/test_consultations.py``).

Two profiles:

* ``schema`` — a register in the full schema (the XLSX template or a CSV with its columns): strict.
* ``coded`` — the project's two coded registers (30 columns, see ``docs/consultations.md``). Their
  documented deviations are accepted *visibly*: partial dates keep their precision, free-text competence
  areas and association names go through ``value_crosswalk.csv`` with the original kept, a count of
  ``yes`` becomes "count unknown, some made", absent schema fields are ``unknown``.

Nothing is stripped or rewritten silently; a cell that breaks a rule becomes one
:class:`~lsg_analysis.core.errors.DataError` naming file, spreadsheet row, column, value and what is allowed.
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lsg_analysis.core.errors import DataError
from lsg_analysis.core.filekey import file_key
from lsg_analysis.core.paths import DATA, RAW

SCHEMA_CSV = RAW / "consultations" / "consultation_register_schema.csv"
CODED_REGISTERS = tuple(RAW / "consultations" / f"register_coded{s}.csv" for s in ("", "_2", "_3"))
PARAMETERS = DATA / "parameters" / "consultations"

#: Project-internal id pattern of the schema (``draft_id`` rule).
DRAFT_ID_PATTERN = re.compile(r"^KG-[0-9]{4}-[A-Z0-9]+-[0-9]{3,}$")
#: Dates the coded registers use: day, month or year precision (ISO 8601 reduced precision).
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
#: Day-first dotted dates as Excel writes them in a Russian / Kyrgyz locale; slash or dash forms (refused).
DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
SLASHED_DATE = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")
DATE_FORMS = "YYYY-MM-DD or DD.MM.YYYY"
#: C0/C1 control characters other than tab, line feed and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
UNKNOWN = "unknown"
YES = "yes"
#: Fields whose original text the coded profile keeps beside the schema value.
KEPT_ORIGINAL = (
    "lsg_competence_area",
    "lsg_association_name",
    "consultation_stage",
    "proposals_made",
    "proposals_accepted",
)
#: Columns ``usage_rates`` (and ``lsg consult rates --by``) can break the rates down by.
GROUPINGS = ("year", "drafting_body", "act_type", "lsg_competence_area", "legal_regime")
#: ``register_sampling`` values: how a register's drafts were chosen (a register-level field, declared in the
#: file's sidecar ``<file>.source.yml`` or in an XLSX ``metadata`` sheet, or by ``lsg consult rates --sampling``).
#: Wilson sampling intervals are computed only for :data:`SAMPLED` registers.
SAMPLING = ("census", "random_sample", "not_random", "unknown")
SAMPLED = ("census", "random_sample")
SAMPLING_FIELD = "register_sampling"
#: Extra columns of the coded registers (evidence), kept as plain text.
CODED_EXTRA = ("source_title", "source_date", "source_quote")


@dataclass(frozen=True)
class Field:
    """One schema field (a row of consultation_register_schema.csv)."""

    name: str
    type: str  # string | enum | date | int
    allowed: tuple[str, ...]
    required: str  # yes | no | conditional | derived
    requirement: str  # the schema's own wording of ``required``
    description_en: str
    description_ru: str
    rule: str
    source: str


Key = tuple[str, int, int]


def _key(path: Path) -> Key:
    return file_key(path, "a file of the consultation register schema")


def fields() -> tuple[Field, ...]:
    """The 45 fields in schema order, enums extended by ``schema_extensions.csv``. Like every reader here, cached
    on the files' path, mtime and size (:func:`lsg_analysis.core.filekey.file_key`)."""
    return _fields(_key(SCHEMA_CSV), _key(PARAMETERS / "schema_extensions.csv"))


@functools.lru_cache(maxsize=2)
def _fields(schema: Key, extensions: Key) -> tuple[Field, ...]:
    extra: dict[str, list[str]] = {}
    with open(extensions[0], encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            extra.setdefault(r["field"], []).append(r["value"])
    out = []
    with open(schema[0], encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            allowed = [v for v in r["allowed_values"].split("|") if v]
            allowed += [v for v in extra.get(r["field"], []) if v not in allowed]
            req = r["required"].split(":")[0].strip()
            out.append(
                Field(
                    r["field"],
                    r["type"],
                    tuple(allowed),
                    req,
                    r["required"],
                    r["description_en"],
                    r["description_ru"],
                    r["rule"],
                    r["methodology_source"],
                )
            )
    return tuple(out)


def field_map() -> dict[str, Field]:
    return _field_map(_key(SCHEMA_CSV), _key(PARAMETERS / "schema_extensions.csv"))


@functools.lru_cache(maxsize=2)
def _field_map(schema: Key, extensions: Key) -> dict[str, Field]:
    return {f.name: f for f in _fields(schema, extensions)}


def coded_header() -> tuple[str, ...]:
    """The 30 columns shared by the two shipped coded registers (read from batch 1)."""
    return _coded_header(_key(CODED_REGISTERS[0]))


@functools.lru_cache(maxsize=2)
def _coded_header(register: Key) -> tuple[str, ...]:
    with open(register[0], encoding="utf-8", newline="") as f:
        return tuple(next(csv.reader(f)))


def crosswalk() -> dict[tuple[str, str], str]:
    """(field, original free text) -> schema value, from ``value_crosswalk.csv``."""
    return _crosswalk(_key(PARAMETERS / "value_crosswalk.csv"))


@functools.lru_cache(maxsize=2)
def _crosswalk(table: Key) -> dict[tuple[str, str], str]:
    with open(table[0], encoding="utf-8", newline="") as f:
        return {(r["field"], r["original"]): r["schema_value"] for r in csv.DictReader(f)}


# ---------------------------------------------------------------- dates with precision


@dataclass(frozen=True)
class PartialDate:
    """An ISO date of day, month or year precision; ``lo``/``hi`` are its first and last possible day."""

    text: str
    precision: str  # day | month | year
    lo: date
    hi: date


def parse_partial_date(text: str) -> PartialDate | None:
    """``"2021-07"`` -> PartialDate(month precision, 2021-07-01..2021-07-31); None if not an ISO (partial) date."""
    m = PARTIAL_DATE.match(text)
    if not m:
        return None
    y, mo, d = m.groups()
    try:
        if d:
            day = date(int(y), int(mo), int(d))
            return PartialDate(text, "day", day, day)
        if mo:
            lo = date(int(y), int(mo), 1)
            nxt = date(lo.year + (lo.month == 12), lo.month % 12 + 1, 1)
            return PartialDate(text, "month", lo, nxt - timedelta(days=1))
        return PartialDate(text, "year", date(int(y), 1, 1), date(int(y), 12, 31))
    except ValueError:
        return None


# ---------------------------------------------------------------- cell parsing


def _as_text(value: Any) -> str:
    """A spreadsheet cell as text without changing it (numbers typed into text columns become digits)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    return str(value)


@dataclass
class Cell:
    """Parsed value of one cell, or the reason it is bad (``expected``)."""

    value: Any
    expected: str | None = None
    original: str | None = None  # coded profile: text kept when the value was mapped
    note: str | None = None  # BLANK_READ_AS_UNKNOWN or MATCHED_LOOSELY: accepted, counted in the load's notes


BLANK_READ_AS_UNKNOWN = "blank read as unknown"
MATCHED_LOOSELY = "matched ignoring case and spacing"


def parse_cell(field: Field, raw: Any, profile: str) -> Cell:
    """Parse one cell by the field's type. Empty -> None (not filled), except an enum that allows ``unknown``,
    where a blank cell means ``unknown`` (noted). Text is never stripped or rewritten silently: an enum value
    that matches only ignoring case and spacing is accepted with a note."""
    text = _as_text(raw)
    if CONTROL.search(text):
        pos = CONTROL.search(text).start()
        return Cell(None, f"text without control characters (found U+{ord(text[pos]):04X} at position {pos + 1})")
    if field.type == "enum" and text.strip() == "":
        return Cell(UNKNOWN, note=BLANK_READ_AS_UNKNOWN) if UNKNOWN in field.allowed else Cell(None)
    if text == "":
        return Cell(None)
    if field.type == "string":
        return Cell(text)
    if field.type == "enum":
        return _parse_enum(field, text, profile)
    if text != text.strip():
        return Cell(None, "a value without leading or trailing spaces")
    if field.type == "date":
        return _parse_date(raw, text, profile)
    if field.type == "int":
        return _parse_int(raw, text, profile)
    raise AssertionError(f"schema type {field.type!r} not handled")  # schema file itself is broken


def _parse_enum(field: Field, text: str, profile: str) -> Cell:
    if text in field.allowed:
        return Cell(text)
    if profile == "coded" and (field.name, text) in crosswalk():
        return Cell(crosswalk()[(field.name, text)], original=text)
    if profile == "coded" and field.name in ("lsg_competence_area", "lsg_association_name"):
        return Cell(UNKNOWN, original=text)  # free text not in the crosswalk: kept, schema value unknown
    key = loose_key(text)
    loose = [v for v in field.allowed if loose_key(v) == key]
    if loose:
        return Cell(loose[0], note=MATCHED_LOOSELY)
    close = difflib.get_close_matches(key, field.allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return Cell(None, "one of: " + ", ".join(field.allowed) + hint)


def loose_key(text: str) -> str:
    """An enum value compared ignoring case and spacing: ``" Not applicable"`` -> ``"not_applicable"``."""
    return re.sub(r"[\s_]+", "_", text.strip().casefold())


def parse_day_date(text: str) -> date | str | None:
    """``DD.MM.YYYY`` (Excel in a Russian / Kyrgyz locale) -> the date; a slash or dash form D/M/YYYY that reads
    as two different dates -> an explanation; anything else -> None (not this form)."""
    m = DOTTED_DATE.match(text)
    if m:
        d, mo, y = (int(x) for x in m.groups())
        try:
            return date(y, mo, d)
        except ValueError:
            return None
    m = SLASHED_DATE.match(text)
    if m:
        a, b, y = (int(x) for x in m.groups())
        readings = []
        for d, mo in ((a, b), (b, a)):
            try:
                readings.append(date(y, mo, d))
            except ValueError:
                pass
        if len(set(readings)) == 2:
            return f"{text} is ambiguous ({readings[0].isoformat()} or {readings[1].isoformat()}?)"
    return None


def _parse_date(raw: Any, text: str, profile: str) -> Cell:
    if isinstance(raw, datetime):
        if raw.time() != datetime.min.time():
            return Cell(None, "a date without a time of day")
        d = raw.date()
        return Cell(PartialDate(d.isoformat(), "day", d, d))
    if isinstance(raw, date):
        return Cell(PartialDate(raw.isoformat(), "day", raw, raw))
    forms = (
        "an ISO date YYYY-MM-DD, YYYY-MM or YYYY, a date DD.MM.YYYY, or unknown"
        if profile == "coded"
        else f"a date {DATE_FORMS} (leave the cell empty when not known)"
    )
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Cell(
            None, f"{forms}; a number in a date column is read as an Excel serial date only from 1990-01-01 (32874) on"
        )
    if profile == "coded" and text == UNKNOWN:
        return Cell(None)
    day = parse_day_date(text)
    if isinstance(day, date):
        return Cell(PartialDate(day.isoformat(), "day", day, day))
    if isinstance(day, str):
        return Cell(None, f"{forms}; {day}")
    pd_ = parse_partial_date(text)
    if pd_ is None or (profile != "coded" and pd_.precision != "day"):
        return Cell(None, forms)
    return Cell(pd_)


def _parse_int(raw: Any, text: str, profile: str) -> Cell:
    if isinstance(raw, bool):
        return Cell(None, "a whole number >= 0")
    if isinstance(raw, int | float) and float(raw).is_integer() and raw >= 0:
        return Cell(int(raw))
    if re.fullmatch(r"\d+", text):
        return Cell(int(text))
    if profile == "coded" and text == UNKNOWN:
        return Cell(None)
    if profile == "coded" and text == YES:
        return Cell(None, original=text)  # count unknown, but some were made (see *_some columns)
    allowed = "a whole number >= 0" + (", unknown or yes (count not stated)" if profile == "coded" else "")
    return Cell(None, allowed)


def valid_url(text: str) -> bool:
    """http(s) URL with a host."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


# ---------------------------------------------------------------- row rules
# Each rule takes the parsed row (column -> value; None = empty/not known) and returns
# [(column, found, expected)] for the cells that break it.

Row = dict[str, Any]
Problem = tuple[str, Any, str]


def _sent(r: Row) -> bool:
    return YES in (r.get("sent_to_lsg_bodies"), r.get("sent_to_lsg_association"))


def _shown(v: Any) -> Any:
    return v.text if isinstance(v, PartialDate) else ("" if v is None else v)


def _required_if(r: Row, column: str, condition: bool, why: str, profile: str) -> list[Problem]:
    """``column`` must be filled when ``condition``; in the coded profile a recorded ``unknown`` counts."""
    if not condition or r.get(column) is not None:
        return []
    if profile == "coded" and r.get(f"{column}__raw") in (UNKNOWN, YES):
        return []
    return [(column, _shown(r.get(column)), f"a value (required because {why})")]


def _order(r: Row, early: str, late: str, strict: bool = False) -> list[Problem]:
    """``early`` <= ``late`` (or <), flagged only when certainly broken (partial dates compared as intervals)."""
    a, b = r.get(early), r.get(late)
    if not isinstance(a, PartialDate) or not isinstance(b, PartialDate):
        return []
    broken = a.lo >= b.hi if strict else a.lo > b.hi
    word = "after" if strict else "on or after"
    return [(late, b.text, f"a date {word} {early} ({a.text})")] if broken else []


def rule_conditional_required(r: Row, profile: str) -> list[Problem]:
    """Conditional requirements of the schema's ``required`` column."""
    adopted = r.get("final_act_adopted") == YES
    published = r.get("published_on_portal") == YES or r.get("publication_channel") not in (None, UNKNOWN, "none")
    out = _required_if(r, "portal_draft_id", r.get("published_on_portal") == YES, "published_on_portal = yes", profile)
    out += _required_if(r, "date_first_published", published, "the draft was published", profile)
    out += _required_if(
        r,
        "public_discussion_end",
        r.get("public_discussion_start") is not None,
        "public_discussion_start is filled",
        profile,
    )
    out += _required_if(r, "n_lsg_bodies_sent", r.get("sent_to_lsg_bodies") == YES, "sent_to_lsg_bodies = yes", profile)
    out += _required_if(
        r, "lsg_association_name", r.get("sent_to_lsg_association") == YES, "sent_to_lsg_association = yes", profile
    )
    for col in ("date_sent_to_lsg", "lsg_response_received"):
        out += _required_if(r, col, _sent(r), "the draft was sent to LSG bodies or an LSG association", profile)
    out += _required_if(
        r, "date_lsg_response", r.get("lsg_response_received") == YES, "lsg_response_received = yes", profile
    )
    out += _required_if(
        r, "proposals_made", r.get("lsg_response_received") == YES, "lsg_response_received = yes", profile
    )
    out += _required_if(
        r, "proposals_accepted", r.get("proposals_made") not in (None, 0), "proposals_made is filled and not 0", profile
    )
    for col in ("date_adopted", "final_act_number", "final_act_reflects_lsg_position", "ex_post_review_done"):
        out += _required_if(r, col, adopted, "final_act_adopted = yes", profile)
    return out


def rule_only_if(r: Row, profile: str) -> list[Problem]:
    """Fields that must stay empty unless their condition holds."""
    out: list[Problem] = []
    if r.get("date_lsg_response") is not None and r.get("lsg_response_received") != YES:
        out.append(
            ("date_lsg_response", _shown(r["date_lsg_response"]), "an empty cell unless lsg_response_received = yes")
        )
    if r.get("date_adopted") is not None and r.get("final_act_adopted") not in (YES, UNKNOWN):
        out.append(("date_adopted", _shown(r["date_adopted"]), "an empty cell unless final_act_adopted = yes"))
    return out


def rule_counts(r: Row, profile: str) -> list[Problem]:
    """n_lsg_bodies_sent >= 1 if sent (0 if not); proposals 0 if no response; accepted <= made."""
    out: list[Problem] = []
    n_sent = r.get("n_lsg_bodies_sent")
    if n_sent is not None:
        if r.get("sent_to_lsg_bodies") == YES and n_sent < 1:
            out.append(("n_lsg_bodies_sent", n_sent, "a number >= 1 because sent_to_lsg_bodies = yes"))
        if r.get("sent_to_lsg_bodies") == "no" and n_sent != 0:
            out.append(("n_lsg_bodies_sent", n_sent, "0 or empty because sent_to_lsg_bodies = no"))
    made, accepted = r.get("proposals_made"), r.get("proposals_accepted")
    if r.get("lsg_response_received") == "no" and made not in (None, 0):
        out.append(("proposals_made", made, "0 or empty because lsg_response_received = no"))
    if made is not None and accepted is not None and accepted > made:
        out.append(("proposals_accepted", accepted, f"a number <= proposals_made ({made})"))
    return out


def rule_dates(r: Row, profile: str) -> list[Problem]:
    """Date order of the schema: published <= start < end <= adopted; sent <= response <= adopted; ..."""
    return (
        _order(r, "date_first_published", "public_discussion_start")
        + _order(r, "public_discussion_start", "public_discussion_end", strict=True)
        + _order(r, "date_first_published", "date_adopted")
        + _order(r, "public_discussion_end", "date_adopted")
        + _order(r, "date_sent_to_lsg", "date_lsg_response")
        + _order(r, "date_sent_to_lsg", "lsg_response_deadline")
        + _order(r, "date_sent_to_lsg", "date_adopted")
        + _order(r, "date_lsg_response", "date_adopted")
        + _order(r, "date_first_published", "coded_on")
    )


def rule_consistency(r: Row, profile: str) -> list[Problem]:
    """publication_channel vs portal; consultation_stage vs sent_*; reflection only after an LSG response."""
    out: list[Problem] = []
    if r.get("published_on_portal") == YES and r.get("publication_channel") not in (None, "koomtalkuu"):
        out.append(("publication_channel", r["publication_channel"], "koomtalkuu because published_on_portal = yes"))
    involved = [r.get(c) for c in ("sent_to_lsg_bodies", "sent_to_lsg_association", "lsg_in_working_group")]
    stage = r.get("consultation_stage")
    if all(v == "no" for v in involved) and stage not in (None, "none", UNKNOWN):
        out.append(
            (
                "consultation_stage",
                stage,
                "none or unknown because LSG were not sent the draft nor in the working group",
            )
        )
    if YES in involved and stage == "none":
        out.append(
            (
                "consultation_stage",
                stage,
                "early, draft or unknown because LSG were consulted "
                "(a sent_to_lsg_* or lsg_in_working_group field = yes)",
            )
        )
    reflects = r.get("final_act_reflects_lsg_position")
    if reflects not in (None, "not_applicable", UNKNOWN) and r.get("lsg_response_received") != YES:
        out.append(
            (
                "final_act_reflects_lsg_position",
                reflects,
                "not_applicable or unknown because lsg_response_received is not yes",
            )
        )
    return out


def rule_strict_text(r: Row, profile: str) -> list[Problem]:
    """Schema profile only: draft_id pattern and URLs."""
    out: list[Problem] = []
    if profile == "schema" and r.get("draft_id") is not None and not DRAFT_ID_PATTERN.match(r["draft_id"]):
        out.append(("draft_id", r["draft_id"], f"an id like KG-2024-MOJ-001 (pattern {DRAFT_ID_PATTERN.pattern})"))
    if r.get("source_url") is not None and not valid_url(r["source_url"]):
        out.append(("source_url", r["source_url"], "an http(s) URL"))
    other = r.get("evidence_urls_other")
    if profile == "schema" and other is not None:
        bad = [u for u in other.split(" | ") if not valid_url(u)]
        if bad:
            out.append(("evidence_urls_other", other, f"http(s) URLs separated by ' | ' (bad: {bad[0]!r})"))
    return out


RULES = (rule_conditional_required, rule_only_if, rule_counts, rule_dates, rule_consistency, rule_strict_text)


def check_row(r: Row, profile: str, file: str, row: int, absent: frozenset[str] = frozenset()) -> list[DataError]:
    """Every rule on one parsed row; one DataError per broken cell. A column ``absent`` from the file (coded
    registers: the schema fields they do not use, all ``unknown``) cannot hold a bad cell, and a cell already
    reported as unreadable is not reported twice."""
    return [
        DataError(file, found, expected, row=row, column=col)
        for rule in RULES
        for col, found, expected in rule(r, profile)
        if col not in absent
    ]
