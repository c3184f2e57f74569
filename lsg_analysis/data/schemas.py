"""What is a valid processed table? One pandera schema per file of ``data/processed`` (indicators, indicator
metadata, sources, corrections, series breaks, border metrics, flags), plus the checks a schema cannot express (codes
known to the registry, units equal to the metadata). Every reader of a processed CSV goes through
:func:`read_csv` and :func:`validate` here (the loaders are in :mod:`lsg_analysis.data.processed`).

:func:`validate` runs a schema lazily and turns every failure case into a
:class:`~lsg_analysis.core.errors.DataError` with the file row (header = row 1, so index ``i`` → row ``i + 2``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from lsg_analysis.core.errors import DataError, DataErrors
from lsg_analysis.data.quality import RULES

FLAGS = (
    "corrected",
    "incl_osh_city",
    "composite",
    "urban_row_as_total",
    "derived",
    "transcribed",
)  # "withheld" rows are never written
FLAG_PATTERN = rf"^(({'|'.join(FLAGS)})(;({'|'.join(FLAGS)}))*)?$"
CODE_PATTERN = r"^KG[A-Za-z0-9_+\-]*$"


def table(name: str, doc: str, columns: dict[str, pa.Column], **options: object) -> pa.DataFrameSchema:
    """A processed table's schema: pandera's object API (``DataFrameSchema``), strict, coerced from the CSV's text,
    columns in file order. The object API rather than ``DataFrameModel`` classes: building a model's schema makes
    pandera probe for dask, modin and pyspark (``pandera.typing.get_index_types``), an import of ``dask.dataframe``
    that costs about half a second in every process that validates a table."""
    return pa.DataFrameSchema(columns, name=name, description=doc, strict=True, coerce=True, ordered=True, **options)


def text(*checks: pa.Check, **options: object) -> pa.Column:
    """A text column (never missing unless ``nullable=True``)."""
    return pa.Column(str, list(checks), **options)


NON_EMPTY = pa.Check.str_length(min_value=1)
IDENTIFIER = r"^[a-z][a-z0-9_]*$"


Indicators = table(
    "Indicators",
    "``data/processed/indicators.csv``: one value per region, year, indicator and source.",
    {
        "code": text(pa.Check.str_matches(CODE_PATTERN)),
        "year": pa.Column(int, [pa.Check.ge(1990), pa.Check.le(2030)]),
        "indicator": text(pa.Check.str_matches(IDENTIFIER)),
        "value": pa.Column(float),
        "unit": text(NON_EMPTY),
        "source_id": text(NON_EMPTY),
        "vintage": text(),
        "boundaries": text(),
        "flag": text(pa.Check.str_matches(FLAG_PATTERN)),
        "note": text(),
        "default_series": text(pa.Check.isin(["yes", "no"])),
    },
    unique=["code", "year", "indicator", "source_id"],
)

IndicatorMeta = table(
    "IndicatorMeta",
    "``data/processed/indicator_meta.csv``: one row per indicator.",
    {
        "indicator": text(pa.Check.str_matches(IDENTIFIER), unique=True),
        "name_en": text(NON_EMPTY),
        "name_ru": text(NON_EMPTY),
        "name_ky": text(NON_EMPTY),
        "name_source": text(),
        "unit": text(NON_EMPTY),
        "kind": text(pa.Check.isin(["rate", "count", "money", "index"])),
        "description": text(),
        "higher_is_better": text(pa.Check.isin(["yes", "no", "neutral"])),
        "higher_is_better_source": text(),
        "weight_by": text(),
        "levels": text(pa.Check.str_matches(r"^[012](;[012])*$")),
        "sources": text(NON_EMPTY),
        "default_source": text(NON_EMPTY),
        "first_year": pa.Column(int),
        "last_year": pa.Column(int),
        "caveats": text(),
    },
)

SeriesBreaks = table(
    "SeriesBreaks",
    "``data/processed/series_breaks.csv``: one declared break per row (empty source_id/codes = every source/unit); "
    "the rule that reads it is :mod:`lsg_analysis.data.series`.",
    {
        "indicator": text(pa.Check.str_matches(IDENTIFIER)),
        "source_id": text(),
        "codes": text(pa.Check.str_matches(r"^(KG[A-Za-z0-9_\-]*(;KG[A-Za-z0-9_\-]*)*)?$")),
        "before": pa.Column(int, [pa.Check.ge(1990), pa.Check.le(2030)]),
        "after": pa.Column(int, [pa.Check.ge(1990), pa.Check.le(2031)]),
        "kind": text(NON_EMPTY),
        "description": text(NON_EMPTY),
    },
    checks=[pa.Check(lambda df: df["after"] > df["before"], name="after_follows_before")],
)

SOURCE_ID = r"^[A-Za-z0-9_\-]+(\+[A-Za-z0-9_\-]+)*$"

Sources = table(
    "Sources",
    "``data/processed/sources.csv``: one row per source id (derived ids ``S14+D01`` list their ``inputs``).",
    {
        "source_id": text(pa.Check.str_matches(SOURCE_ID), unique=True),
        "producer": text(NON_EMPTY),
        "title": text(NON_EMPTY),
        "table": text(NON_EMPTY),
        "url": text(),
        "file": text(NON_EMPTY),
        "licence": text(NON_EMPTY),
        "published": text(),
        "accessed": text(pa.Check.str_matches(r"^(\d{4}-\d{2}-\d{2})?$")),
        "copied_from": text(),
        "totals": text(),
        "caveats": text(),
        "inputs": text(pa.Check.str_matches(r"^([A-Za-z0-9_\-]+(;[A-Za-z0-9_\-]+)*)?$")),
    },
)

Corrections = table(
    "Corrections",
    "``data/processed/corrections.csv``: ``data/corrections.csv`` as applied, with the rows each changed "
    "(``affects``).",
    {
        "source_id": text(pa.Check.str_matches(SOURCE_ID)),
        "file": text(NON_EMPTY),
        "row": pa.Column(int, pa.Check.ge(1)),
        "field": text(NON_EMPTY),
        "published": text(),
        "corrected": text(),
        "evidence": text(NON_EMPTY),
        "affects": text(NON_EMPTY),
    },
    unique=["source_id", "file", "row", "field"],
)

BOOL_TEXT = ["True", "False"]
KM = pa.Check.ge(0)

BorderMetrics = table(
    "BorderMetrics",
    "``data/processed/border_metrics.csv``: :func:`lsg_analysis.geo.border.unit_metrics` of both levels (column "
    "``level``); flags as the text ``True``/``False``, km and shares never negative.",
    {
        "level": pa.Column(int, pa.Check.isin([1, 2])),
        "code": text(pa.Check.str_matches(CODE_PATTERN)),
        **{country: pa.Column(float, KM) for country in ("KAZ", "UZB", "TJK", "CHN")},
        "total_km": pa.Column(float, KM),
        "perimeter_km": pa.Column(float, pa.Check.gt(0)),
        "perimeter_share": pa.Column(float, [pa.Check.ge(0), pa.Check.le(1)]),
        "border": text(pa.Check.isin(BOOL_TEXT)),
        "core_km": pa.Column(float, KM),
        "border_core": text(pa.Check.isin(BOOL_TEXT)),
        "dist_km": pa.Column(float, KM),
        "enclave_km": pa.Column(float, KM),
        "enclaves": text(),
        "enclave_adjacent": text(pa.Check.isin(BOOL_TEXT)),
    },
    unique=["level", "code"],
)

Flags = table(
    "Flags",
    "``data/processed/flags.csv``: one doubtful cell per row and rule (:mod:`lsg_analysis.data.quality`); the "
    "value is the published one, never changed.",
    {
        "code": text(pa.Check.str_matches(CODE_PATTERN)),
        "year": pa.Column(int, [pa.Check.ge(1990), pa.Check.le(2030)]),
        "indicator": text(pa.Check.str_matches(IDENTIFIER)),
        "value": pa.Column(float),
        "rule": text(pa.Check.isin(list(RULES))),
        "note": text(NON_EMPTY),
        "source_id": text(NON_EMPTY),
        "level": pa.Column(int, pa.Check.isin([0, 1, 2])),
        "unit": text(NON_EMPTY),
        "default_series": text(pa.Check.isin(["yes", "no"])),
    },
    unique=["rule", "code", "year", "indicator", "source_id"],
)


def read_csv(path: str | Path) -> pd.DataFrame:
    """A processed CSV read as text (empty cells stay ""), so the schema sees what the file holds."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str, *, file_rows: bool = True) -> pd.DataFrame:
    """Validate lazily; every failure → one DataError (file, row, column, found, expected). ``file_rows``: the
    frame's rows are a CSV's lines (index ``i`` → row ``i + 2``); else (a JSON block) no row is named."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataErrors(failure_errors(exc.failure_cases, schema, file, file_rows)) from None


def failure_errors(
    cases: pd.DataFrame, schema: pa.DataFrameSchema, file: str, file_rows: bool = True
) -> list[DataError]:
    """pandera failure cases → DataErrors: a missing or extra column names the column (row 1, the header); a value
    that cannot be coerced is reported once (not again by the checks that then fail on it)."""
    columns = ", ".join(schema.columns)
    uncoerced = set(cases.loc[cases["check"].astype(str).str.startswith("coerce_dtype"), "column"].astype(str))
    errors = []
    for c in cases.itertuples(index=False):
        check, idx = str(c.check), getattr(c, "index", None)
        if check == "column_in_dataframe":
            errors.append(DataError(file, "no column", f"the columns {columns}", row=1, column=str(c.failure_case)))
            continue
        if check == "column_in_schema":
            errors.append(
                DataError(file, "an extra column", f"only the columns {columns}", row=1, column=str(c.failure_case))
            )
            continue
        column = None if pd.isna(c.column) else str(c.column)
        if column in uncoerced and not check.startswith("coerce_dtype"):
            continue
        row = int(idx) + 2 if file_rows and idx is not None and not pd.isna(idx) else None
        errors.append(DataError(file, c.failure_case, f"a value passing {check}", row=row, column=column))
    return errors


def check_codes(frame: pd.DataFrame, file: str, known: set[str]) -> list[DataError]:
    """Every code (or every part of a ``+`` composite) is in the region registry."""
    errors = []
    for i, code in frame["code"].items():
        if str(code) not in known:
            errors.append(
                DataError(
                    file,
                    code,
                    "a region code of lsg_analysis.registry.regions.regions()",
                    row=int(i) + 2,
                    column="code",
                )
            )
    return errors


def check_units(frame: pd.DataFrame, file: str, units: dict[str, str]) -> list[DataError]:
    """Every row's indicator is defined and its unit equals the metadata's unit."""
    expected = frame["indicator"].map(units)
    errors = []
    for i in frame.index[expected.isna() | (frame["unit"] != expected)]:
        indicator, unit = frame.at[i, "indicator"], frame.at[i, "unit"]
        if indicator not in units:
            errors.append(
                DataError(file, indicator, "an indicator of indicator_meta.csv", row=int(i) + 2, column="indicator")
            )
        else:
            errors.append(
                DataError(
                    file,
                    unit,
                    f'the unit of {indicator} in indicator_meta.csv ("{units[indicator]}")',
                    row=int(i) + 2,
                    column="unit",
                )
            )
    return errors


def check_signs(frame: pd.DataFrame, file: str, kinds: dict[str, str]) -> list[DataError]:
    """Counts, money amounts and rates are never negative."""
    values = pd.to_numeric(frame["value"], errors="coerce")
    bad = frame.index[(values < 0) & frame["indicator"].map(kinds).isin(["count", "money", "rate"])]
    return [
        DataError(
            file,
            frame.at[i, "value"],
            f"a non-negative {kinds[frame.at[i, 'indicator']]}",
            row=int(i) + 2,
            column="value",
        )
        for i in bad
    ]


def validate_indicators(
    frame: pd.DataFrame, file: str, *, known_codes: set[str], units: dict[str, str], kinds: dict[str, str] | None = None
) -> pd.DataFrame:
    """Schema + registry codes + units (+ signs, given the kinds) of a processed indicators table; raises
    DataErrors with every problem."""
    errors: list[DataError] = []
    try:
        out = validate(frame, Indicators, file)
    except DataErrors as e:
        errors += e.errors
        out = frame
    errors += check_codes(frame, file, known_codes) + check_units(frame, file, units)
    if kinds is not None:
        errors += check_signs(frame, file, kinds)
    if errors:
        raise DataErrors(errors)
    return out
