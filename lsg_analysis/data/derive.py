"""Indicators the project computes from catalogued tables (never filled in, never across vintages)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lsg_analysis.data.catalogue import year_range
from lsg_analysis.core.errors import DataError, DataErrors
from lsg_analysis.data.tidy import TIDY_COLUMNS


def per_capita_mean_population(tidy: pd.DataFrame, spec: dict[str, Any], where: str) -> pd.DataFrame:
    r"""Value per person with the year's mean population from start-of-year figures of ONE source and vintage.

    .. math:: y_{r,t} = k \cdot \frac{X_{r,t}}{(P_{r,t} + P_{r,t+1}) / 2}

    where :math:`X` is the numerator (e.g. GRP, million som), :math:`P` the start-of-year population (thousand
    persons) and :math:`k` = ``multiply_by``. A year is computed only when :math:`P_{r,t}` and :math:`P_{r,t+1}`
    exist in the same source with the same vintage and boundaries; otherwise it is missing (no row). This is the
    usual annual-average approximation (NSC computes per-capita values on the mean annual population).
    """
    num = _select(tidy, spec["numerator"])
    den = _select(tidy, spec["denominator"]).set_index(["code", "year"])
    first, last = year_range(spec["years"], where, "years")
    rows = []
    for r in num.itertuples(index=False):
        if not first <= r.year <= last or (r.code, r.year) not in den.index or (r.code, r.year + 1) not in den.index:
            continue
        p0, p1 = den.loc[(r.code, r.year)], den.loc[(r.code, r.year + 1)]
        if (p0["vintage"], p0["boundaries"]) != (p1["vintage"], p1["boundaries"]):
            continue  # never average two vintages
        value = float(spec["multiply_by"]) * r.value / ((p0["value"] + p1["value"]) / 2)
        flags = ["derived"] + [f for f in f"{r.flag};{p0['flag']};{p1['flag']}".split(";") if f and f != "derived"]
        note = (
            f"{spec['numerator']['indicator']} {spec['numerator']['source']} {r.year} / mean of "
            f"{spec['denominator']['indicator']} {spec['denominator']['source']} {r.year} and {r.year + 1}"
        )
        rows.append(
            {
                "code": r.code,
                "year": r.year,
                "indicator": spec["indicator"],
                "value": value,
                "unit": spec["unit"],
                "source_id": spec["id"],
                "vintage": f"population: {p0['vintage']}",
                "boundaries": p0["boundaries"],
                "flag": ";".join(dict.fromkeys(flags)),
                "note": note,
                "_file": where,
                "_row": 0,
                "_column": spec["id"],
            }
        )
    out = pd.DataFrame(rows, columns=TIDY_COLUMNS + ["_file", "_row", "_column"])
    missing = [y for y in range(first, last + 1) if y not in set(out["year"])]
    if missing:
        raise DataErrors(
            [
                DataError(
                    where,
                    f"no {spec['indicator']} for {', '.join(map(str, missing))}",
                    f"the years {first}–{last} promised by derived entry {spec['id']} (inputs with "
                    "one population vintage for t and t+1)",
                )
            ]
        )
    return out


def _select(tidy: pd.DataFrame, ref: dict[str, str]) -> pd.DataFrame:
    return tidy[(tidy["indicator"] == ref["indicator"]) & (tidy["source_id"] == ref["source"])]


METHODS = {"per_capita_mean_population": per_capita_mean_population}


def derive(tidy: pd.DataFrame, specs: list[dict[str, Any]], where: str) -> pd.DataFrame:
    """All derived entries of the catalogue, computed from the tidy source rows."""
    parts = []
    for spec in specs:
        if spec["method"] not in METHODS:
            raise DataError(where, spec["method"], f"a method from {', '.join(METHODS)}", column="method")
        parts.append(METHODS[spec["method"]](tidy, spec, where))
    return pd.concat(parts, ignore_index=True) if parts else tidy.iloc[0:0]
