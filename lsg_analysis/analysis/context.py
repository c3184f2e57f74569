"""Kyrgyzstan in context: how unequal are its regions beside other countries' regions?

:func:`country_inequality` computes one measure of regional dispersion per country and year from a comparison
source (OECD TL2/TL3 GDP per capita, GDL subnational GNI per capita and SHDI, Kazakhstan's BNS GRP per capita) or
from the suite's own NSC GRP per capita by oblast (``kgz``), with the number of regions beside every value.

Definitions: the OECD's published regional Theil index of GDP per capita (Regional Outlook 2023 working data) is
**unweighted** — every region counts once. Computed on the OECD TL2 panel it gives Türkiye 2019 = 0.06557, the
published 0.0656; the population-weighted Theil gives 0.0836 (tests/test_context.py). Every measure here is
therefore unweighted, the same for every source, so Kyrgyzstan is computed exactly as the comparators: Theil T,
the OECD regional Gini (``gini(..., variant="oecd")`` = G·N/(N−1), Regions at a Glance 2016 Annex C), the
coefficient of variation (population standard deviation / mean) and the max/min ratio.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from lsg_analysis.core.errors import ParameterError
from lsg_analysis.data import compare
from lsg_analysis.data.load import load_indicators
from lsg_analysis.data.processed import parse_years
from lsg_analysis.measures import inequality

COLUMNS = ["source", "iso3", "year", "n_regions", "value", "measure", "definition", "variable", "note"]

#: source → (reader, variable and unit, regions, note on every row)
SOURCES: dict[str, tuple[Callable[[], pd.DataFrame], str, str, str]] = {
    "oecd_tl2": (compare.read_oecd_tl2, "GDP per capita, US$ at constant 2015 prices and PPP", "OECD TL2 regions",
                 "OECD Regional Outlook 2023 working data (imputed), data/raw/oecd"),
    "oecd_tl3": (compare.read_oecd_tl3, "GDP per capita, US$ at constant 2015 prices and PPP",
                 "OECD TL3 regions (aggregated within FUAs)",
                 "OECD Regional Outlook 2023 working data (imputed), data/raw/oecd"),
    "gdl_gnic": (compare.read_gdl_gnic, "GNI per capita, 2017 PPP US$ (modelled)", "GDL survey regions",
                 "GDL SHDI 5.0 (Gapminder DDF), data/raw/gdl; modelled from survey ratios, not regional accounts"),
    "gdl_shdi": (compare.read_gdl_shdi, "Subnational Human Development Index", "GDL survey regions",
                 "GDL SHDI 8.1 table, data/raw/gdl"),
    "kaz_grp": (compare.read_kaz_grp, "GRP per capita, thousand tenge (current prices)",
                "Kazakhstan oblasts and cities of republican significance",
                "BNS, data/raw/kaz_stat; boundary breaks 2018 (Shymkent, Turkestan) and 2022 (Abay, Zhetisu, Ulytau)"),
    "kgz": (lambda: _kgz_values(), "GRP per capita, thousand som per person (current prices)",
            "Kyrgyzstan oblasts and the cities of Bishkek and Osh (NSC)", ""),
}

#: measure → (kernel on one country-year, definition)
MEASURES: dict[str, tuple[Callable[[np.ndarray], float], str]] = {
    "theil": (lambda y: float(inequality.theil(y)),
              "Theil T (GE(1)), unweighted: (1/N) Σ (y_i/μ) ln(y_i/μ), μ the mean over regions — the OECD regional "
              "Theil index (reproduces Türkiye TL2 2019 = 0.0656)"),
    "gini": (lambda y: float(inequality.gini(y, variant="oecd")),
             "OECD regional Gini, unweighted: G·N/(N−1), G = Σ(2i−N−1) y_(i) / (N Σy) (Regions at a Glance 2016, "
             "Annex C)"),
    "cv": (lambda y: float(inequality.cv(y)),
           "coefficient of variation, unweighted: population standard deviation / mean over regions"),
    "max_min": (lambda y: float(inequality.max_min_ratio(y)), "ratio of the highest to the lowest regional value"),
}


def _kgz_values() -> pd.DataFrame:
    """The suite's NSC GRP per capita by oblast and city (default series), as ``iso3, region, year, value, note``."""
    rows = load_indicators("grp_per_capita", level="oblast")
    out = pd.DataFrame({"iso3": "KGZ", "region": rows["code"], "year": rows["year"].astype(int),
                        "value": rows["value"].astype(float),
                        "note": "NSC via the suite: sources " + rows["source_id"] + "; " + rows["vintage"] + "; "
                                + rows["boundaries"]})
    return out[out["value"].notna()].reset_index(drop=True)


def regional_values(source: str) -> pd.DataFrame:
    """One row per region and year with a value (``iso3, region, year, value``) of a comparison source."""
    if source not in SOURCES:
        raise ParameterError("source", source, ", ".join(SOURCES))
    return SOURCES[source][0]()


def country_inequality(source: str, measure: str = "theil",
                       years: int | Sequence[int] | range | None = None) -> pd.DataFrame:
    """Regional dispersion per country and year: ``source, iso3, year, n_regions, value, measure, definition,
    variable, note``.

    ``source``: oecd_tl2, oecd_tl3, gdl_gnic, gdl_shdi, kaz_grp or kgz; ``measure``: theil, gini, cv, max_min
    (definitions in the module docstring and the ``definition`` column); ``years``: a year, ``(first, last)``, a
    range or a list (None = all). ``n_regions`` counts the regions with a value; a country-year with fewer than two
    has no row (missing stays missing).
    """
    if measure not in MEASURES:
        raise ParameterError("measure", measure, ", ".join(MEASURES))
    values = regional_values(source)
    values = values[values["value"].notna()]
    wanted = parse_years(years)
    if wanted is not None:
        values = values[values["year"].isin(wanted)]
    kernel, definition = MEASURES[measure]
    _, variable, units, note = SOURCES[source]
    rows = []
    for (iso3, year), group in values.groupby(["iso3", "year"], sort=True):
        if len(group) < 2:
            continue
        row_note = "; ".join(sorted(set(group["note"]))) if "note" in group else note
        rows.append({"source": source, "iso3": iso3, "year": int(year), "n_regions": len(group),
                     "value": kernel(group["value"].to_numpy(float)), "measure": measure,
                     "definition": f"{definition}; across {units}", "variable": variable, "note": row_note})
    return pd.DataFrame(rows, columns=COLUMNS).astype({"year": int, "n_regions": int, "value": float})


def ranking(source: str, measure: str = "theil", year: int | None = None, *, add: str | None = "kgz",
            iso3: str = "KGZ") -> pd.DataFrame:
    """Countries of ``source`` in one year, most unequal first (``rank`` 1 of ``of``), with country ``iso3`` taken
    from the ``add`` source instead (default: Kyrgyzstan from the NSC; its row keeps ``source`` = ``add``); ``year``
    defaults to the latest year both have. ``add=None``: the source alone (for GDL, Kyrgyzstan like-for-like)."""
    table = country_inequality(source, measure)
    extra = country_inequality(add, measure) if add else table.iloc[:0]
    extra = extra[extra["iso3"] == iso3]
    if year is None:
        common = set(table["year"]) & set(extra["year"]) if add else set(table["year"])
        if not common:
            raise ParameterError("year", None, f"a year that {source} and {add} both cover")
        year = max(common)
    if add:
        table = table[table["iso3"] != iso3]
    if year not in set(table["year"]) or (add and year not in set(extra["year"])):
        both = set(table["year"]) & set(extra["year"]) if add else set(table["year"])
        raise ParameterError("year", year, ", ".join(str(y) for y in sorted(both)))
    out = pd.concat([table[table["year"] == year], extra[extra["year"] == year]], ignore_index=True)
    out = out.sort_values(["value", "iso3"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out["of"] = len(out)
    return out


def describe(frame: pd.DataFrame) -> str:
    """One line per row: ``rank iso3 (source) value n_regions`` (for reports and the command line)."""
    return "\n".join(f"{r.rank:>3} {r.iso3} ({r.source}) {r.value:.4f} n={r.n_regions}" for r in frame.itertuples())
