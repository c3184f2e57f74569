"""``load_indicators`` is strict: a wrong type, an unknown name or a selection without values is a ParameterError
naming the parameter, what was found and what is allowed — never an empty frame."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

import lsg_analysis
from lsg_analysis.core import paths
from lsg_analysis.core.errors import ParameterError

ALLOWED = "a year (2015), a (first, last) tuple such as (2015, 2020), range(first, last + 1) or None"


def _rows(**match: str) -> list[dict[str, str]]:
    """Rows of data/processed/indicators.csv read with the csv module (not through the loader under test)."""
    with (paths.PROCESSED / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if all(r[k] == v for k, v in match.items())]


def _message(**kwargs) -> str:
    with pytest.raises(ParameterError) as e:
        lsg_analysis.load_indicators(**kwargs)
    return str(e.value)


@pytest.mark.parametrize(
    "years", ["2020", ("2015", "2020"), (2015,), (2015, 2020, 2022), range(2020, 2020), 2020.0, True]
)
def test_years_of_a_wrong_type_are_refused(years):
    assert _message(years=years) == f'parameter "years": found {years!r}; allowed: {ALLOWED}'


def test_a_list_of_years_is_refused_naming_the_accepted_forms():
    assert _message(indicator="poverty_rate", years=[2015, 2020]) == (
        f'parameter "years": found [2015, 2020]; allowed: {ALLOWED}; not a list (two years, or the years '
        "between?): pass (first, last) for first to last, or range(first, last + 1, step) for every step-th year"
    )


def test_years_without_data_name_the_years_with_data():
    years = sorted({int(r["year"]) for r in _rows(indicator="poverty_rate", default_series="yes")})
    assert years == list(range(years[0], years[-1] + 1))  # one span, as the message below writes it
    assert _message(indicator="poverty_rate", years=(2030, 2035)) == (
        f"parameter \"years\": found (2030, 2035); allowed: years with data for indicator='poverty_rate': "
        f"{years[0]}-{years[-1]}"
    )
    s06 = sorted({int(r["year"]) for r in _rows(indicator="poverty_rate", source_id="S06")})
    assert min(s06) > 2010
    assert _message(indicator="poverty_rate", source="S06", years=(2007, 2010)) == (
        f"parameter \"years\": found (2007, 2010); allowed: years with data for indicator='poverty_rate', "
        f"source='S06': {s06[0]}-{s06[-1]}"
    )


def test_a_level_without_data_names_the_levels_with_data():
    assert _message(indicator="poverty_rate", level="rayon") == (
        "parameter \"level\": found 'rayon'; allowed: levels with data for indicator='poverty_rate': "
        "0 (republic), 1 (oblast)"
    )


def test_year_forms_agree():
    tup = lsg_analysis.load_indicators("poverty_rate", level="oblast", years=(2010, 2012))
    rng = lsg_analysis.load_indicators("poverty_rate", level="oblast", years=range(2010, 2013))
    nps = lsg_analysis.load_indicators("poverty_rate", level="oblast", years=(np.int64(2010), np.int64(2012)))
    pd.testing.assert_frame_equal(tup, rng)
    pd.testing.assert_frame_equal(tup, nps)
    assert sorted(set(tup["year"])) == [2010, 2011, 2012]
    step = lsg_analysis.load_indicators("poverty_rate", level="oblast", years=range(2010, 2013, 2))
    assert sorted(set(step["year"])) == [2010, 2012]
    one = lsg_analysis.load_indicators("poverty_rate", level="oblast", years=np.int64(2011))
    pd.testing.assert_frame_equal(one, tup[tup["year"] == 2011].reset_index(drop=True))


def test_codes_take_region_names():
    by_code = lsg_analysis.load_indicators("poverty_rate", codes=["KG-N", "KG-T"], years=2015)
    by_name = lsg_analysis.load_indicators("poverty_rate", codes=["Нарын облусу", "Talas oblast", "KG-N"], years=2015)
    pd.testing.assert_frame_equal(by_code, by_name)
    raw = {r["code"]: float(r["value"]) for r in _rows(indicator="poverty_rate", year="2015", default_series="yes")}
    assert dict(zip(by_name["code"], by_name["value"])) == {"KG-N": raw["KG-N"], "KG-T": raw["KG-T"]}
    kyrgyz_typed = lsg_analysis.load_indicators("poverty_rate", codes="Ысык-Кол облусу", years=2015)
    assert kyrgyz_typed["code"].tolist() == ["KG-Y"]


def test_an_unknown_region_gets_the_closest_names_not_every_code():
    msg = _message(indicator="poverty_rate", codes=["KG-C", "Bishkekk"])
    assert msg == (
        "parameter \"codes\": found 'Bishkekk'; allowed: a region code or name; region name "
        "'Bishkekk': not known to lsg_analysis.registry.regions (closest: 'Bishkek', 'Bishkek city')"
    )
    msg = _message(codes=["KG-XX"])
    assert msg.startswith(
        "parameter \"codes\": found 'KG-XX'; allowed: a region code or name; region name "
        "'KG-XX': not known to lsg_analysis.registry.regions (closest: "
    )
    assert msg.count("KG") <= 7 and "KG08203000000" not in msg


def test_an_ambiguous_region_name_lists_the_candidates():
    assert _message(codes="Osh") == (
        "parameter \"codes\": found 'Osh'; allowed: a region code or name; region name 'Osh' is ambiguous: "
        "it may be Osh city (KG-GO, level 1); Osh oblast (KG-O, level 1). Pass level=, kind= or parent=, or write "
        "e.g. 'Naryn oblast', 'г. Нарын', 'Naryn (city)'"
    )


@pytest.mark.parametrize(
    "codes, found, allowed",
    [
        (5, 5, "a region code or name, or a list of them"),
        ([5], 5, "a region code or name (a str), or a list of them"),
        ([], [], "at least one region code or name"),
    ],
)
def test_codes_of_a_wrong_type_are_refused(codes, found, allowed):
    assert _message(codes=codes) == f'parameter "codes": found {found!r}; allowed: {allowed}'


def test_codes_without_data_name_the_codes_with_data():
    have = sorted({r["code"] for r in _rows(indicator="rayon_poverty_rate", default_series="yes")})
    assert len(have) > 20 and "KG-N" not in have
    assert _message(indicator="rayon_poverty_rate", codes="Нарын облусу") == (
        "parameter \"codes\": found 'Нарын облусу'; allowed: codes with data for indicator='rayon_poverty_rate': "
        f"{', '.join(have[:20])}, … ({len(have)} in all)"
    )
