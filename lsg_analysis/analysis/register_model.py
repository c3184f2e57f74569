"""What does a loaded consultation register look like? :data:`RegisterFrame`, the pandera schema of the frame
:func:`lsg_analysis.analysis.consultations.load_register` returns.

Columns in order: ``file, row, register_profile``; the 45 schema fields (:func:`register_schema.fields`, a date
followed by its ``<date>_precision``); the coded registers' evidence columns; the originals of mapped values; the
derived ``proposals_made_some, proposals_accepted_some, state_draft, year, year_basis, legal_regime,
legal_regime_date_field, deviations``. Dtypes: text as pandas ``string``, counts ``Int64``, flags ``boolean``,
``row`` ``int64``. An enum field is one of its allowed values, and never empty when it allows ``unknown`` (a
blank cell is read as ``unknown``); a date is ISO text of day, month or year precision.

The columns and allowed values come from the schema file, so the schema is made on first use (module attribute
``RegisterFrame``, or :func:`register_frame`). A frame that fails it is a bug of the parser, not a user error:
:func:`check_register_frame` raises :class:`RegisterFrameBug`.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lsg_analysis.analysis.register_schema import (
    CODED_EXTRA,
    KEPT_ORIGINAL,
    PARAMETERS,
    PARTIAL_DATE,
    UNKNOWN,
    Field,
    fields,
)
from lsg_analysis.core.filekey import file_key

PROFILES = ["schema", "coded"]
PRECISIONS = ["day", "month", "year"]
#: where a draft's ``year`` comes from (:func:`lsg_analysis.analysis.consultations.load_register`)
YEAR_BASES = ["draft_date", "source_date", "unknown"]
#: the date fields the legal regime is read from, in order (consultations.REGIME_DATE_ORDER)
REGIME_DATE_FIELDS = ["date_first_published", "public_discussion_start", "date_sent_to_lsg", "date_adopted"]


class RegisterFrameBug(RuntimeError):
    """The frame built by the register parser breaks :data:`RegisterFrame`: a bug of the parser."""


def _regimes(path: str) -> list[str]:
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        return [r["regime"] for r in csv.DictReader(f)] + [UNKNOWN]


def _text(nullable: bool = True, *checks: pa.Check) -> pa.Column:
    return pa.Column(pd.StringDtype(), list(checks), nullable=nullable)


def _columns(spec: tuple[Field, ...], regimes: str) -> dict[str, pa.Column]:
    """Column name → pandera column, in frame order."""
    cols: dict[str, pa.Column] = {
        "file": _text(False, pa.Check.str_length(min_value=1)),
        "row": pa.Column(np.int64, pa.Check.ge(2)),
        "register_profile": _text(False, pa.Check.isin(PROFILES)),
    }
    for f in spec:
        if f.type == "int":
            cols[f.name] = pa.Column(pd.Int64Dtype(), pa.Check.ge(0), nullable=True)
        elif f.type == "date":
            cols[f.name] = _text(True, pa.Check.str_matches(PARTIAL_DATE.pattern))
            cols[f"{f.name}_precision"] = _text(True, pa.Check.isin(PRECISIONS))
        elif f.type == "enum":
            cols[f.name] = _text(UNKNOWN not in f.allowed, pa.Check.isin(list(f.allowed)))
        else:
            cols[f.name] = _text()
    for name in (*CODED_EXTRA, *(f"{k}_original" for k in KEPT_ORIGINAL)):
        cols[name] = _text()
    cols["proposals_made_some"] = pa.Column(pd.BooleanDtype(), nullable=True)
    cols["proposals_accepted_some"] = pa.Column(pd.BooleanDtype(), nullable=True)
    cols["state_draft"] = pa.Column(pd.BooleanDtype(), nullable=False)
    cols["year"] = _text(False, pa.Check.str_matches(rf"^(\d{{4}}|{UNKNOWN})$"))
    cols["year_basis"] = _text(False, pa.Check.isin(YEAR_BASES))
    cols["legal_regime"] = _text(False, pa.Check.isin(_regimes(regimes)))
    cols["legal_regime_date_field"] = _text(True, pa.Check.isin(REGIME_DATE_FIELDS))
    cols["deviations"] = _text()
    return cols


def register_frame() -> pa.DataFrameSchema:
    """The pandera schema ``RegisterFrame`` (strict, ordered, no coercion: the parser must give these dtypes);
    made again when the schema files or ``legal_regimes.csv`` change (cached on their path, mtime and size). Built
    with pandera's object API, as :mod:`lsg_analysis.data.schemas` explains."""
    return _schema(fields(), file_key(PARAMETERS / "legal_regimes.csv", "the legal regimes table"))


@functools.lru_cache(maxsize=2)
def _schema(spec: tuple[Field, ...], regimes: tuple[str, int, int]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        _columns(spec, regimes[0]),
        name="RegisterFrame",
        description=__doc__.split("\n\n")[0],
        strict=True,
        ordered=True,
        coerce=False,
    )


def __getattr__(name: str) -> Any:
    if name == "RegisterFrame":
        return register_frame()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_register_frame(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """``frame`` if it passes :data:`RegisterFrame`; else :class:`RegisterFrameBug` listing every failure
    (spreadsheet row from the frame's ``row`` column, column, found, expected)."""
    from lsg_analysis.data.schemas import failure_errors

    schema = register_frame()
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.copy()
        if "row" in frame.columns:  # the frame index → the spreadsheet row it came from (row = index + 2 below)
            rows = frame["row"]
            cases["index"] = cases["index"].map(
                lambda i: i if pd.isna(i) or i not in rows.index else int(rows.loc[i]) - 2
            )
        errors = failure_errors(cases, schema, file)
        raise RegisterFrameBug(
            "the register parser built a frame that breaks RegisterFrame (a bug): " + "; ".join(str(e) for e in errors)
        ) from None
