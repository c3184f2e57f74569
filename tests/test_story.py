"""imbalance_panel (was story.py): the change of Theil T over the window and over its longest run without a declared
series break, the north/south grouping read from registry/groups.csv, and the sources block that lists the inputs of
derived source ids. SYNTHETIC numbers only."""

from __future__ import annotations

import pandas as pd
import pytest

from lsg_analysis.core.errors import ParameterError
from lsg_analysis.registry import groups

from lsg_analysis.analysis import imbalance_panel
from lsg_analysis.runs import record
from lsg_analysis.runs.results import Results

YEARS = list(range(2012, 2023))
BREAKS = {2019: "method", 2021: "population vintage"}  # first year after each break (as in series_breaks.csv)


@pytest.mark.parametrize(
    "years, breaks, expected",
    [
        (YEARS, BREAKS, (2012, 2018)),  # runs 2012–2018, 2019–2020, 2021–2022
        (YEARS, {}, (2012, 2022)),  # no break: the whole window
        (YEARS, {2015: "x"}, (2015, 2022)),  # 2012–2014 vs 2015–2022
        ([2012, 2013, 2014, 2015], {2014: "x"}, (2014, 2015)),  # two runs of one year span each: the latest
        ([2012, 2014, 2016], {2015: "x"}, (2012, 2014)),  # a missing year is not a break
        ([2012, 2013, 2014], {2013: "x", 2014: "y"}, None),  # no two years between the same breaks
        ([2012], {}, None),
        (YEARS, {2030: "outside"}, (2012, 2022)),  # a break after the window does not cut it
    ],
)
def test_unbroken_span(years, breaks, expected):
    assert imbalance_panel.unbroken_span(years, breaks) == expected


def test_north_south_is_registry_data():
    """The nine level-1 units split 5 north / 4 south as the notebooks always stated: Bishkek north, Osh city south."""
    ns = imbalance_panel.north_south(["KG-GB", "KG-GO", "KG-C", "KG-B"])
    assert list(ns) == ["north", "south", "north", "south"]
    assert groups.members("north_south", "north") == ("KG-C", "KG-Y", "KG-N", "KG-T", "KG-GB")
    assert groups.members("north_south", "south") == ("KG-O", "KG-J", "KG-B", "KG-GO")
    with pytest.raises(
        ParameterError,
        match=r'parameter "code": found \'KG02220000000\'; allowed: an oblast or city '
        r"code: KG-C, KG-Y, KG-N, KG-T, KG-GB, KG-O, KG-J, KG-B, KG-GO",
    ):
        imbalance_panel.north_south(["KG-C", "KG02220000000"])
    with pytest.raises(ParameterError, match="parameter \"grouping\": found 'east_west'; allowed: north_south"):
        groups.grouping("east_west")


def _res() -> Results:
    return Results("01_imbalance", {})


def _trend(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"year": YEARS[: len(values)], "theil": values})


def test_change_over_the_unbroken_run_is_recorded_beside_the_null_change():
    theil = [0.20, 0.21, 0.22, 0.23, 0.24, 0.25, 0.30, 0.50, 0.40, 0.90, 0.80]
    res = _res()
    record.record_theil_change(res, _trend(theil), BREAKS, ["SYN"])
    m = res.metrics
    assert m["theil_change_pct"]["value"] is None and m["theil_change_pct"]["year"] == "2012-2022"
    assert m["theil_change_pct_unbroken"]["value"] == pytest.approx((0.30 - 0.20) / 0.20 * 100)  # 2012 → 2018
    assert m["theil_change_pct_unbroken"]["year"] == "2012-2018"
    assert (m["unbroken_year_first"]["value"], m["unbroken_year_last"]["value"]) == (2012, 2018)
    assert (m["theil_unbroken_first"]["value"], m["theil_unbroken_last"]["value"]) == (0.20, 0.30)
    assert "2019, 2021" in m["theil_change_pct_unbroken"]["note"]
    assert all(v["sources"] == ["SYN"] for v in m.values())


def test_without_a_break_both_changes_are_the_whole_window():
    theil = [0.2, 0.3, 0.25]
    res = _res()
    record.record_theil_change(res, _trend(theil), {}, ["SYN"])
    whole, unbroken = res.metrics["theil_change_pct"], res.metrics["theil_change_pct_unbroken"]
    assert whole["value"] == pytest.approx(25.0) and unbroken["value"] == pytest.approx(25.0)
    assert unbroken["year"] == whole["year"] == "2012-2014"


def test_no_comparable_pair_of_years_records_null_with_the_reason():
    res = _res()
    record.record_theil_change(res, _trend([0.2, 0.3, 0.4]), {2013: "a", 2014: "b"}, ["SYN"])
    keys = [
        "theil_change_pct",
        "theil_change_pct_unbroken",
        "unbroken_year_first",
        "unbroken_year_last",
        "theil_unbroken_first",
        "theil_unbroken_last",
    ]
    assert all(res.metrics[k]["value"] is None for k in keys)
    assert "no two years" in res.metrics["theil_change_pct_unbroken"]["note"]


def test_sources_block_lists_the_inputs_of_derived_ids(monkeypatch):
    catalogue = {
        "A+B": {"source_id": "A+B", "title": "x = a / mean b", "inputs": ["A", "B"]},
        "A+C": {"source_id": "A+C", "title": "x = a / mean b", "inputs": ["A", "C"]},
        "A": {"source_id": "A", "title": "table A"},
        "B": {"source_id": "B", "title": "table B"},
        "C": {"source_id": "C", "title": "table C"},
    }
    monkeypatch.setattr("lsg_analysis.data.sources.source_info", lambda i: catalogue[i])
    res = Results("01_imbalance", {})
    res.metric("x", 1.0, "index", sources=["A+B", "A+C", "C"])
    assert list(res.to_dict()["sources"]) == ["A", "A+B", "A+C", "B", "C"]


def test_a_raw_source_renders_its_copy_in_one_line_not_a_dict():
    """One renderer of provenance (data.sources): the HDX boundaries' copy is "repository commit path"."""
    from lsg_analysis.data.sources import read_sidecar, source_info
    from lsg_analysis.core.paths import RAW

    raw_id = "raw:hdx/kgz_admbnda_adm2_moes_20181119.json"
    cf = read_sidecar(RAW / "hdx/kgz_admbnda_adm2_moes_20181119.json")["copied_from"]
    res = Results("02_migration_border", {})
    res.metric("border_km_total", 4586.5, "km", sources=[raw_id])
    shown = res.to_dict()["sources"][raw_id]["copied_from"]
    assert shown == source_info(raw_id)["copied_from"] == f"{cf['repository']} {cf['commit']} {cf['path']}"
