"""Are these tidy indicator rows usable? The one check of the rows every demographic measure reads
(``code, year, indicator, value`` and the optional ``unit, source_id, vintage, boundaries, flag``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lsg_analysis.core.errors import DataError
from lsg_analysis.data import series

REQUIRED = ("code", "year", "indicator", "value")
#: indicator ids of the demographic tables
POPULATION = "population_start_of_year"
BIRTHS = "births"
DEATHS = "deaths"
ARRIVALS = "migration_arrivals"
DEPARTURES = "migration_departures"
#: flow indicator ids: total, internal (between oblasts/rayons) and external (international) variants
FLOW_SCOPES = ("", "_internal", "_external")


def check_obs(obs: pd.DataFrame, *, name: str = "indicator table", counts: Sequence[str] = ()) -> pd.DataFrame:
    """Validate tidy rows and return a copy with defaults for the optional columns.

    Errors (one :class:`DataError` naming the table, row = index + 2 as in the CSV, and column): a required
    column missing; a year that is not an integer; a value that is not a number; a negative value of an
    indicator in ``counts``; a code unknown to :mod:`lsg_analysis.registry.regions`; two rows for one
    (code, year, indicator, source_id).
    """
    from lsg_analysis.registry import regions

    missing = [c for c in REQUIRED if c not in obs.columns]
    if missing:
        raise DataError(
            name, ", ".join(map(str, obs.columns)), f"the columns {', '.join(REQUIRED)}", row=1, column=missing[0]
        )
    df = obs.reset_index(drop=True).copy()
    for col, default in (("unit", ""), ("source_id", ""), ("vintage", ""), ("boundaries", ""), ("flag", "")):
        if col not in df.columns:
            df[col] = default
        df[col] = df[col].astype("string").fillna("")
    years = pd.to_numeric(df["year"], errors="coerce")
    bad = years.isna() | (years % 1 != 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(name, df.at[i, "year"], "a year (integer)", row=i + 2, column="year")
    df["year"] = years.astype(int)
    values = pd.to_numeric(df["value"], errors="coerce")
    if values.isna().any():
        i = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise DataError(name, df.at[i, "value"], "a number (a missing value has no row)", row=i + 2, column="value")
    df["value"] = values.astype(float)
    neg = df["indicator"].isin(list(counts)) & (df["value"] < 0)
    if neg.any():
        i = int(np.flatnonzero(neg.to_numpy())[0])
        raise DataError(
            name, df.at[i, "value"], f"a non-negative count of {df.at[i, 'indicator']}", row=i + 2, column="value"
        )
    known = set(regions.regions()["code"])
    unknown = ~df["code"].isin(known)
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DataError(
            name,
            df.at[i, "code"],
            "a region code of lsg_analysis.registry.regions (e.g. KG-B)",
            row=i + 2,
            column="code",
        )
    dup = df.duplicated(["code", "year", "indicator", "source_id"], keep=False)
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(
            name,
            f"{df.at[i, 'code']} {df.at[i, 'year']} {df.at[i, 'indicator']} twice",
            "one row per code, year, indicator and source_id",
            row=i + 2,
            column="code",
        )
    return df


def segment_rows(df: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The rows of ``indicator`` with their series ``segment`` (:func:`lsg_analysis.data.series.segment_labels`)."""
    out = df[df["indicator"] == indicator].copy()
    out["segment"] = series.segment_labels(out)
    return out
