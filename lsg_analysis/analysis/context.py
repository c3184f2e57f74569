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

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lsg_analysis.core.errors import ParameterError
from lsg_analysis.data import compare
from lsg_analysis.data.sources import RAW_PREFIX
from lsg_analysis.data.load import load_indicators
from lsg_analysis.data.processed import parse_years
from lsg_analysis.measures import inequality

COLUMNS = ["source", "iso3", "year", "n_regions", "value", "measure", "definition", "variable", "note"]

#: source → (reader, variable and unit, regions, note on every row)
SOURCES: dict[str, tuple[Callable[[], pd.DataFrame], str, str, str]] = {
    "oecd_tl2": (
        compare.read_oecd_tl2,
        "GDP per capita, US$ at constant 2015 prices and PPP",
        "OECD TL2 regions",
        "OECD Regional Outlook 2023 working data (imputed), data/raw/oecd",
    ),
    "oecd_tl3": (
        compare.read_oecd_tl3,
        "GDP per capita, US$ at constant 2015 prices and PPP",
        "OECD TL3 regions (aggregated within FUAs)",
        "OECD Regional Outlook 2023 working data (imputed), data/raw/oecd",
    ),
    "gdl_gnic": (
        compare.read_gdl_gnic,
        "GNI per capita, 2017 PPP US$ (modelled)",
        "GDL survey regions",
        "GDL SHDI 5.0 (Gapminder DDF), data/raw/gdl; modelled from survey ratios, not regional accounts",
    ),
    "gdl_shdi": (
        compare.read_gdl_shdi,
        "Subnational Human Development Index",
        "GDL survey regions",
        "GDL SHDI 8.1 table, data/raw/gdl",
    ),
    "kaz_grp": (
        compare.read_kaz_grp,
        "GRP per capita, thousand tenge (current prices)",
        "Kazakhstan oblasts and cities of republican significance",
        "BNS, data/raw/kaz_stat; boundary breaks 2018 (Shymkent, Turkestan) and 2022 (Abay, Zhetisu, Ulytau)",
    ),
    "kgz": (
        lambda: _kgz_values(),
        "GRP per capita, thousand som per person (current prices)",
        "Kyrgyzstan oblasts and the cities of Bishkek and Osh (NSC)",
        "",
    ),
}

#: measure → (kernel on one country-year, definition)
MEASURES: dict[str, tuple[Callable[[np.ndarray], float], str]] = {
    "theil": (
        lambda y: float(inequality.theil(y)),
        "Theil T (GE(1)), unweighted: (1/N) Σ (y_i/μ) ln(y_i/μ), μ the mean over regions — the OECD regional "
        "Theil index (reproduces Türkiye TL2 2019 = 0.0656)",
    ),
    "gini": (
        lambda y: float(inequality.gini(y, variant="oecd")),
        "OECD regional Gini, unweighted: G·N/(N−1), G = Σ(2i−N−1) y_(i) / (N Σy) (Regions at a Glance 2016, Annex C)",
    ),
    "cv": (
        lambda y: float(inequality.cv(y)),
        "coefficient of variation, unweighted: population standard deviation / mean over regions",
    ),
    "max_min": (lambda y: float(inequality.max_min_ratio(y)), "ratio of the highest to the lowest regional value"),
}


def _kgz_values() -> pd.DataFrame:
    """The suite's NSC GRP per capita by oblast and city (default series), as ``iso3, region, year, value, note``."""
    rows = load_indicators("grp_per_capita", level="oblast")
    out = pd.DataFrame(
        {
            "iso3": "KGZ",
            "region": rows["code"],
            "year": rows["year"].astype(int),
            "value": rows["value"].astype(float),
            "note": "NSC via the suite: sources "
            + rows["source_id"]
            + "; "
            + rows["vintage"]
            + "; "
            + rows["boundaries"],
        }
    )
    return out[out["value"].notna()].reset_index(drop=True)


def regional_values(source: str) -> pd.DataFrame:
    """One row per region and year with a value (``iso3, region, year, value``) of a comparison source."""
    if source not in SOURCES:
        raise ParameterError("source", source, ", ".join(SOURCES))
    return SOURCES[source][0]()


def country_inequality(
    source: str, measure: str = "theil", years: int | Sequence[int] | range | None = None
) -> pd.DataFrame:
    """Regional dispersion per country and year: ``source, iso3, year, n_regions, value, measure, definition,
    variable, note``.

    ``source``: oecd_tl2, oecd_tl3, gdl_gnic, gdl_shdi, kaz_grp or kgz; ``measure``: theil, gini, cv, max_min
    (definitions in the module docstring and the ``definition`` column); ``years``: a year, ``(first, last)``, a
    range or a list (None = all). ``n_regions`` counts the regions with a value; a country-year with fewer than two
    has no row (missing stays missing).
    """
    if measure not in MEASURES:
        raise ParameterError("measure", measure, ", ".join(MEASURES))
    if source not in SOURCES:
        raise ParameterError("source", source, ", ".join(SOURCES))
    wanted = parse_years(years)
    rows = _country_rows(source, SOURCES[source][0], measure, tuple(_input_key(p) for p in _inputs(source)))
    if wanted is not None:
        rows = [r for r in rows if r["year"] in wanted]
    return pd.DataFrame(rows, columns=COLUMNS).astype({"year": int, "n_regions": int, "value": float})


def _inputs(source: str) -> list[Path]:
    """The files a source's values are read from: its raw files, or for ``kgz`` the processed tables."""
    from lsg_analysis.core import paths

    if source == "kgz":
        return [paths.PROCESSED / "indicators.csv", paths.PROCESSED / "indicator_meta.csv"]
    return [paths.RAW / f for f in RAW_FILES.get(source, [])]


def _input_key(path: Path) -> tuple[str, int, int] | tuple[str, None, None]:
    """The file's :func:`~lsg_analysis.core.filekey.file_key`; a missing file keys as missing (its reader then
    raises its own error, which is never cached)."""
    from lsg_analysis.core.filekey import file_key

    return file_key(path) if path.is_file() else (str(path), None, None)


@lru_cache(maxsize=32)
def _country_rows(source: str, reader: Callable[[], pd.DataFrame], measure: str, inputs: tuple) -> list[dict]:
    """The rows of :func:`country_inequality` for every year, computed once per process and version of the input
    files (``inputs``: their file keys; ``reader`` in the key so a replaced reader is read anew). Each row depends
    on its own country-year only, so the rows of some years are these rows filtered; callers build a new frame."""
    values = reader()
    keep = values["value"].notna() & values["iso3"].notna() & values["year"].notna()  # as a groupby drops NaN keys
    values = values[keep].sort_values(["iso3", "year"], kind="stable")
    kernel, definition = MEASURES[measure]
    _, variable, units, note = SOURCES[source]
    iso3s, years, numbers = values["iso3"].to_numpy(), values["year"].to_numpy(), values["value"].to_numpy(float)
    notes = values["note"].to_numpy() if "note" in values else None
    new_group = np.r_[True, (iso3s[1:] != iso3s[:-1]) | (years[1:] != years[:-1])]
    starts = np.flatnonzero(new_group)
    rows = []
    for a, b in zip(starts, [*starts[1:], len(values)]):  # one country-year: rows a..b-1
        if b - a < 2:
            continue
        rows.append(
            {
                "source": source,
                "iso3": iso3s[a],
                "year": int(years[a]),
                "n_regions": int(b - a),
                "value": kernel(numbers[a:b]),
                "measure": measure,
                "definition": f"{definition}; across {units}",
                "variable": variable,
                "note": "; ".join(sorted(set(notes[a:b]))) if notes is not None else note,
            }
        )
    return rows


def ranking(
    source: str, measure: str = "theil", year: int | None = None, *, add: str | None = "kgz", iso3: str = "KGZ"
) -> pd.DataFrame:
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


# ------------------------------------------------------------------ notebook 04_context
#: Sources that compare countries (kaz_grp and kgz hold one country each).
COMPARISON = ("oecd_tl2", "oecd_tl3", "gdl_gnic", "gdl_shdi")
#: Raw files (under data/raw) behind each source, named as ``raw:<path>`` source ids; kgz: the catalogue ids.
RAW_FILES = {
    "oecd_tl2": [compare.OECD_TL2],
    "oecd_tl3": [compare.OECD_TL3],
    "gdl_gnic": [compare.GDL_GNIC, compare.GDL_SUBNAT, compare.GDL_NATIONAL],
    "gdl_shdi": [compare.GDL_SHDI],
    "kaz_grp": [compare.KAZ_GRP],
}
#: "Similar number of regions": n_regions within ±50 % of Kyrgyzstan's (9 NSC units → 5 to 13). The measures grow
#: with the number and heterogeneity of units, so a rank among all countries mixes two- or three-region countries
#: (one gap) with 30–50-region federations; ±50 % keeps a group large enough to rank (about half of the OECD TL2
#: countries) while leaving both extremes out.
SIMILAR_N = 0.5


def source_ids(source: str, year: int | None = None) -> list[str]:
    """Source ids of a source's values: ``raw:<path>`` of its raw files, or for ``kgz`` the catalogue ids of the
    NSC GRP per capita rows used (as notebook 01 records them; of ``year`` only when given)."""
    if source == "kgz":
        rows = load_indicators("grp_per_capita", level="oblast", years=year)
        return sorted(set(rows.loc[rows["value"].notna(), "source_id"].astype(str)))
    if source not in RAW_FILES:
        raise ParameterError("source", source, ", ".join(SOURCES))
    return [RAW_PREFIX + Path(f).as_posix() for f in RAW_FILES[source]]


def similar_range(n: int, share: float = SIMILAR_N) -> tuple[int, int]:
    """Inclusive n_regions range counted as "similar" to ``n``: ``ceil(n·(1−share))`` to ``floor(n·(1+share))``."""
    return math.ceil(n * (1 - share) - 1e-9), math.floor(n * (1 + share) + 1e-9)


def nsc_add(source: str) -> str | None:
    """Where Kyrgyzstan's value comes from when ranked among ``source``'s countries: the NSC's GRP per capita
    (``kgz``) beside the income sources (GDP, modelled GNI); None (its own GDL regions) for ``gdl_shdi``, a
    variable the NSC does not compute — an SHDI dispersion is never ranked against a GRP dispersion."""
    return None if source == "gdl_shdi" else "kgz"


def companion(source: str) -> str:
    """The GDL source on which Kyrgyzstan is compared like for like (its own GDL regions): gdl_shdi for SHDI runs,
    else gdl_gnic."""
    return "gdl_shdi" if source == "gdl_shdi" else "gdl_gnic"


def common_years(source: str, measure: str = "theil", add: str | None = "kgz") -> list[int]:
    """Years in which ``source`` has countries and Kyrgyzstan has a value (from ``add``, or from the source)."""
    table = country_inequality(source, measure)
    kgz = country_inequality(add, measure) if add else table
    return sorted(set(table.loc[table["iso3"] != "KGZ", "year"]) & set(kgz.loc[kgz["iso3"] == "KGZ", "year"]))


def resolve_year(source: str, measure: str, year: int) -> int:
    """``year`` (0 = the latest year both Kyrgyzstan's NSC series and ``source`` have), checked."""
    years = common_years(source, measure)
    if not year:
        return years[-1]
    if year not in years:
        raise ParameterError(
            "year",
            year,
            f"{years[0]} to {years[-1]} (years both the NSC series and {source} have), or 0 for the latest",
        )
    return year


def known_countries() -> list[str]:
    """ISO 3166 alpha-3 codes of the countries in the comparison data (GDL entity table, OECD TL2 and TL3); read
    once per process and version of those files."""
    from lsg_analysis.core import paths

    files = (compare.GDL_NATIONAL, compare.OECD_TL2, compare.OECD_TL3)
    return list(_known_countries(tuple(_input_key(paths.RAW / f) for f in files)))


@lru_cache(maxsize=4)
def _known_countries(inputs: tuple) -> tuple[str, ...]:
    oecd = [compare.read_oecd_tl2()["iso3"], compare.read_oecd_tl3()["iso3"]]
    return tuple(sorted(set(compare.read_gdl_countries()).union(*map(set, oecd))))


@dataclass(frozen=True)
class Comparison:
    """Kyrgyzstan among the countries of one source and year. ``table``: the :func:`ranking` with ``highlighted``
    and ``similar_n``; ``kgz``: its row; ``similar``: the n_regions range; medians over the other countries."""

    source: str
    measure: str
    year: int
    add: str | None
    table: pd.DataFrame
    kgz: pd.Series
    similar: tuple[int, int]
    rank_similar: int
    of_similar: int
    median: float
    median_similar: float
    sources: list[str]


def comparison(
    source: str, measure: str, year: int, highlight: Sequence[str], *, add: str | None = "kgz"
) -> Comparison:
    """Kyrgyzstan (from ``add``; None = from the source itself, like for like) among the countries of ``source``
    in ``year``: ranks among all and among countries with a similar number of regions (:data:`SIMILAR_N`)."""
    table = ranking(source, measure, year, add=add)
    kgz = table[table["iso3"] == "KGZ"].iloc[0]
    low, high = similar_range(int(kgz["n_regions"]))
    table = table.assign(
        highlighted=table["iso3"].isin(list(highlight)), similar_n=table["n_regions"].between(low, high)
    )
    similar = table[table["similar_n"]].reset_index(drop=True)
    others = table[table["iso3"] != "KGZ"]
    return Comparison(
        source,
        measure,
        int(year),
        add,
        table,
        kgz,
        (low, high),
        int(similar.index[similar["iso3"] == "KGZ"][0]) + 1,
        len(similar),
        float(others["value"].median()),
        float(others.loc[others["similar_n"], "value"].median()),
        sorted({*source_ids(source), *(source_ids(add, int(year)) if add else [])}),
    )


def companion_comparison(source: str, measure: str, year: int, highlight: Sequence[str]) -> Comparison:
    """Kyrgyzstan from its own GDL regions among the GDL countries (:func:`companion`), in ``year`` when GDL has it,
    else GDL's latest year with Kyrgyzstan."""
    gdl = companion(source)
    years = common_years(gdl, measure, add=None)
    return comparison(gdl, measure, year if year in years else years[-1], highlight, add=None)


TREND_COLUMNS = ["year", "series", "iso3", "source", "n_regions", "n_countries", "value"]


def trend(
    source: str, measure: str, highlight: Sequence[str], *, since: int = 2000, add: str | None = "kgz"
) -> pd.DataFrame:
    """The measure per year since ``since``: the median over the source's countries other than Kyrgyzstan
    (``n_countries``; ``n_regions`` = their median count), each highlighted country and Kyrgyzstan in the source,
    and with ``add``: Kyrgyzstan from the NSC and, when KAZ is highlighted, Kazakhstan from the BNS (oblasts and
    cities, the national-statistics pair). Columns :data:`TREND_COLUMNS`."""
    table = country_inequality(source, measure, years=(since, 2100))
    others = table[table["iso3"] != "KGZ"].groupby("year")
    median = pd.DataFrame(
        {
            "year": others["value"].median().index,
            "series": f"median ({source})",
            "iso3": "",
            "source": source,
            "n_regions": others["n_regions"].median().to_numpy(),
            "n_countries": others.size().to_numpy(),
            "value": others["value"].median().to_numpy(),
        }
    )
    marked = table[table["iso3"].isin(["KGZ", *highlight])]
    extra = [country_inequality(add, measure, years=(since, 2100))] if add else []
    if add and "KAZ" in highlight:
        extra.append(country_inequality("kaz_grp", measure, years=(since, 2100)))
    rows = pd.concat([marked, *extra], ignore_index=True)
    rows = rows.assign(series=rows["iso3"] + " (" + rows["source"] + ")", n_countries=1)
    out = pd.concat([median, rows[TREND_COLUMNS]], ignore_index=True)
    return out.sort_values(["series", "year"], kind="stable").reset_index(drop=True)[TREND_COLUMNS]


def suite_theil(year: int) -> dict[str, Any]:
    """Notebook 01's headline Theil T for ``year``: GRP per capita of the 9 NSC units, population-weighted
    (``imbalance_panel.imbalance_panel`` defaults), beside the unweighted, OECD-style Theil of the same units.
    Returns ``weighted, unweighted, n_regions, weight_note, sources``."""
    from lsg_analysis.analysis import imbalance_panel as ip

    panel = ip.usable(ip.imbalance_panel("grp_per_capita", "oblast", 1990, 2100))  # notebook 01's panel
    if year not in panel.values.columns:
        raise ParameterError("year", year, ", ".join(map(str, panel.values.columns)))
    trend_01 = ip.imbalance_trend(panel, n_boot=0, seed=0).set_index("year")
    weighted = trend_01.at[year, "theil"]
    unweighted = float(inequality.theil(panel.values[year].dropna().to_numpy(float)))
    return {
        "weighted": float(weighted),
        "unweighted": unweighted,
        "n_regions": int(panel.values[year].notna().sum()),
        "weight_note": panel.weight_note,
        "sources": _suite_sources(year),
    }


def _suite_sources(year: int) -> list[str]:
    """Catalogue ids of the year's NSC GRP per capita and of its weighting population (indicator_meta weight_by)."""
    from lsg_analysis.data.load import load_indicator_meta

    weight_by = str(load_indicator_meta("grp_per_capita")["weight_by"].iloc[0])
    pop = load_indicators(weight_by, level="oblast", years=year)
    return sorted({*source_ids("kgz", year), *pop.loc[pop["value"].notna(), "source_id"].astype(str)})


def describe_comparison(c: Comparison) -> str:
    """Kyrgyzstan's value, n_regions and ranks, and the medians, in words."""
    k, (low, high) = c.kgz, c.similar
    origin = "its own GDL regions (like for like)" if c.add is None else f"the {c.add} source ({SOURCES[c.add][2]})"
    return "\n".join(
        [
            f"{c.measure} across regions, {c.source}, {c.year}; Kyrgyzstan from {origin}:",
            f"  Kyrgyzstan {k['value']:.4f} (n_regions = {k['n_regions']}): rank {k['rank']} of {k['of']} "
            "(1 = most unequal)",
            f"  among countries with {low}–{high} regions (±{SIMILAR_N:.0%} of Kyrgyzstan's {k['n_regions']}): rank "
            f"{c.rank_similar} of {c.of_similar}",
            f"  median of the other countries: {c.median:.4f} (all), {c.median_similar:.4f} ({low}–{high} regions)",
        ]
    )


def describe_marked(c: Comparison) -> pd.DataFrame:
    """Kyrgyzstan and the highlighted countries of a comparison (those the source has), with n_regions beside
    each value."""
    marked = c.table[c.table["highlighted"] | (c.table["iso3"] == "KGZ")]
    return marked[["rank", "iso3", "source", "year", "n_regions", "value", "similar_n"]].reset_index(drop=True)


def describe_suite(s: dict[str, Any], year: int) -> str:
    """The two Theil T definitions for Kyrgyzstan side by side, saying which is which."""
    return (
        f"Kyrgyzstan {year}, GRP per capita, {s['n_regions']} NSC units (7 oblasts, Bishkek, Osh city):\n"
        f"  Theil T population-weighted (the suite's headline, notebook 01; {s['weight_note']}): "
        f"{s['weighted']:.4f}\n"
        f"  Theil T unweighted (the OECD's regional Theil, each unit counts once; used for the ranking): "
        f"{s['unweighted']:.4f}"
    )


def trend_table(*trends: pd.DataFrame) -> pd.DataFrame:
    """Trend frames of several sources as one table (a series both hold kept once)."""
    out = pd.concat(trends, ignore_index=True).drop_duplicates(["year", "series"])
    return out.sort_values(["source", "series", "year"], kind="stable").reset_index(drop=True)
