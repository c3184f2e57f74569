"""What is a valid processed table? One pandera model per file of ``data/processed`` (indicators, indicator
metadata, sources, corrections, series breaks, border metrics, flags), plus the checks a schema cannot express (codes
known to the registry, units equal to the metadata). Every reader of a processed CSV goes through
:func:`read_csv` and :func:`validate` here (the loaders are in :mod:`lsg_analysis.data.processed`).

:func:`validate` runs a model lazily and turns every failure case into a
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


class Indicators(pa.DataFrameModel):
    """``data/processed/indicators.csv``: one value per region, year, indicator and source."""

    code: str = pa.Field(str_matches=CODE_PATTERN)
    year: int = pa.Field(ge=1990, le=2030)
    indicator: str = pa.Field(str_matches=r"^[a-z][a-z0-9_]*$")
    value: float = pa.Field(nullable=False)
    unit: str = pa.Field(str_length={"min_value": 1})
    source_id: str = pa.Field(str_length={"min_value": 1})
    vintage: str = pa.Field(nullable=False)
    boundaries: str = pa.Field(nullable=False)
    flag: str = pa.Field(str_matches=FLAG_PATTERN)
    note: str = pa.Field(nullable=False)
    default_series: str = pa.Field(isin=["yes", "no"])

    class Config:
        strict = True
        coerce = True
        ordered = True
        unique = ["code", "year", "indicator", "source_id"]


class IndicatorMeta(pa.DataFrameModel):
    """``data/processed/indicator_meta.csv``: one row per indicator."""

    indicator: str = pa.Field(unique=True, str_matches=r"^[a-z][a-z0-9_]*$")
    name_en: str = pa.Field(str_length={"min_value": 1})
    name_ru: str = pa.Field(str_length={"min_value": 1})
    name_ky: str = pa.Field(str_length={"min_value": 1})
    name_source: str
    unit: str = pa.Field(str_length={"min_value": 1})
    kind: str = pa.Field(isin=["rate", "count", "money", "index"])
    description: str
    higher_is_better: str = pa.Field(isin=["yes", "no", "neutral"])
    higher_is_better_source: str
    weight_by: str
    levels: str = pa.Field(str_matches=r"^[012](;[012])*$")
    sources: str = pa.Field(str_length={"min_value": 1})
    default_source: str = pa.Field(str_length={"min_value": 1})
    first_year: int
    last_year: int
    caveats: str

    class Config:
        strict = True
        coerce = True
        ordered = True


class SeriesBreaks(pa.DataFrameModel):
    """``data/processed/series_breaks.csv``: one declared break per row (empty source_id/codes = every source/unit);
    the rule that reads it is :mod:`lsg_analysis.data.series`."""

    indicator: str = pa.Field(str_matches=r"^[a-z][a-z0-9_]*$")
    source_id: str
    codes: str = pa.Field(str_matches=r"^(KG[A-Za-z0-9_\-]*(;KG[A-Za-z0-9_\-]*)*)?$")
    before: int = pa.Field(ge=1990, le=2030)
    after: int = pa.Field(ge=1990, le=2031)
    kind: str = pa.Field(str_length={"min_value": 1})
    description: str = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True
        ordered = True

    @pa.dataframe_check
    def after_follows_before(cls, df: pd.DataFrame) -> pd.Series:
        return df["after"] > df["before"]


SOURCE_ID = r"^[A-Za-z0-9_\-]+(\+[A-Za-z0-9_\-]+)*$"


class Sources(pa.DataFrameModel):
    """``data/processed/sources.csv``: one row per source id (derived ids ``S14+D01`` list their ``inputs``)."""

    source_id: str = pa.Field(unique=True, str_matches=SOURCE_ID)
    producer: str = pa.Field(str_length={"min_value": 1})
    title: str = pa.Field(str_length={"min_value": 1})
    table: str = pa.Field(str_length={"min_value": 1})
    url: str
    file: str = pa.Field(str_length={"min_value": 1})
    licence: str = pa.Field(str_length={"min_value": 1})
    published: str
    accessed: str = pa.Field(str_matches=r"^(\d{4}-\d{2}-\d{2})?$")
    copied_from: str
    totals: str
    caveats: str
    inputs: str = pa.Field(str_matches=r"^([A-Za-z0-9_\-]+(;[A-Za-z0-9_\-]+)*)?$")

    class Config:
        strict = True
        coerce = True
        ordered = True


class Corrections(pa.DataFrameModel):
    """``data/processed/corrections.csv``: ``data/corrections.csv`` as applied, with the rows each changed
    (``affects``)."""

    source_id: str = pa.Field(str_matches=SOURCE_ID)
    file: str = pa.Field(str_length={"min_value": 1})
    row: int = pa.Field(ge=1)
    field: str = pa.Field(str_length={"min_value": 1})
    published: str
    corrected: str
    evidence: str = pa.Field(str_length={"min_value": 1})
    affects: str = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True
        ordered = True
        unique = ["source_id", "file", "row", "field"]


BOOL_TEXT = ["True", "False"]


class BorderMetrics(pa.DataFrameModel):
    """``data/processed/border_metrics.csv``: :func:`lsg_analysis.geo.border.unit_metrics` of both levels (column
    ``level``); flags as the text ``True``/``False``, km and shares never negative."""

    level: int = pa.Field(isin=[1, 2])
    code: str = pa.Field(str_matches=CODE_PATTERN)
    KAZ: float = pa.Field(ge=0)
    UZB: float = pa.Field(ge=0)
    TJK: float = pa.Field(ge=0)
    CHN: float = pa.Field(ge=0)
    total_km: float = pa.Field(ge=0)
    perimeter_km: float = pa.Field(gt=0)
    perimeter_share: float = pa.Field(ge=0, le=1)
    border: str = pa.Field(isin=BOOL_TEXT)
    core_km: float = pa.Field(ge=0)
    border_core: str = pa.Field(isin=BOOL_TEXT)
    dist_km: float = pa.Field(ge=0)
    enclave_km: float = pa.Field(ge=0)
    enclaves: str
    enclave_adjacent: str = pa.Field(isin=BOOL_TEXT)

    class Config:
        strict = True
        coerce = True
        ordered = True
        unique = ["level", "code"]


class Flags(pa.DataFrameModel):
    """``data/processed/flags.csv``: one doubtful cell per row and rule (:mod:`lsg_analysis.data.quality`); the
    value is the published one, never changed."""

    code: str = pa.Field(str_matches=CODE_PATTERN)
    year: int = pa.Field(ge=1990, le=2030)
    indicator: str = pa.Field(str_matches=r"^[a-z][a-z0-9_]*$")
    value: float = pa.Field(nullable=False)
    rule: str = pa.Field(isin=list(RULES))
    note: str = pa.Field(str_length={"min_value": 1})
    source_id: str = pa.Field(str_length={"min_value": 1})
    level: int = pa.Field(isin=[0, 1, 2])
    unit: str = pa.Field(str_length={"min_value": 1})
    default_series: str = pa.Field(isin=["yes", "no"])

    class Config:
        strict = True
        coerce = True
        ordered = True
        unique = ["rule", "code", "year", "indicator", "source_id"]


def read_csv(path: str | Path) -> pd.DataFrame:
    """A processed CSV read as text (empty cells stay ""), so the schema sees what the file holds."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def validate(frame: pd.DataFrame, model: type[pa.DataFrameModel], file: str, *, file_rows: bool = True) -> pd.DataFrame:
    """Validate lazily; every failure → one DataError (file, row, column, found, expected). ``file_rows``: the
    frame's rows are a CSV's lines (index ``i`` → row ``i + 2``); else (a JSON block) no row is named."""
    try:
        return model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataErrors(failure_errors(exc.failure_cases, model, file, file_rows)) from None


def failure_errors(
    cases: pd.DataFrame, model: type[pa.DataFrameModel], file: str, file_rows: bool = True
) -> list[DataError]:
    """pandera failure cases → DataErrors: a missing or extra column names the column (row 1, the header); a value
    that cannot be coerced is reported once (not again by the checks that then fail on it)."""
    columns = ", ".join(model.to_schema().columns)
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
    errors = []
    for i, r in frame[["indicator", "unit"]].iterrows():
        if r["indicator"] not in units:
            errors.append(
                DataError(
                    file, r["indicator"], "an indicator of indicator_meta.csv", row=int(i) + 2, column="indicator"
                )
            )
        elif r["unit"] != units[r["indicator"]]:
            errors.append(
                DataError(
                    file,
                    r["unit"],
                    f'the unit of {r["indicator"]} in indicator_meta.csv ("{units[r["indicator"]]}")',
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
