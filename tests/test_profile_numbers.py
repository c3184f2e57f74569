"""Region profile numbers against an independent recomputation from data/processed/indicators.csv (csv module)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from lsg_analysis.core import paths
from lsg_analysis.outputs import profile_numbers as pn


def _rows() -> list[dict[str, str]]:
    with open(paths.PROCESSED / "indicators.csv", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["default_series"] == "yes" and r["value"] != ""]


def _hib() -> dict[str, str]:
    with open(paths.PROCESSED / "indicator_meta.csv", encoding="utf-8") as f:
        return {r["indicator"]: "neutral" if r["kind"] == "count" else r["higher_is_better"] for r in csv.DictReader(f)}


@pytest.mark.parametrize("code", ["KG-C", "KG-GB"])
def test_latest_rank_national_gap_recomputed(code: str) -> None:
    rows, hib = _rows(), _hib()
    oblast_codes = {r["code"] for r in rows if r["code"].startswith("KG-")}
    lines = {line.indicator: line for line in pn.default_lines(code)}
    mine = {r["indicator"] for r in rows if r["code"] == code}
    assert set(lines) == mine
    for ind, line in lines.items():
        year = max(int(r["year"]) for r in rows if r["code"] == code and r["indicator"] == ind)
        assert line.year == year
        cell = {r["code"]: float(r["value"]) for r in rows if r["indicator"] == ind and int(r["year"]) == year}
        assert line.value == pytest.approx(cell[code])
        peers = {c: v for c, v in cell.items() if c in oblast_codes}
        sign = -1 if hib[ind] == "no" else 1
        better = sum(1 for v in peers.values() if sign * v > sign * cell[code])
        assert (line.rank, line.peers) == (better + 1, len(peers))
        assert line.national == (pytest.approx(cell["KG"]) if "KG" in cell else None)
        if hib[ind] in ("yes", "no") and "KG" in cell:
            assert line.gap == pytest.approx(sign * (cell[code] - cell["KG"]))
        else:
            assert line.gap is None


def test_trend_stops_at_declared_break_and_keeps_gaps() -> None:
    data = pd.DataFrame(
        {
            "code": "KG-C",
            "indicator": "grp_per_capita",
            "year": [2018, 2019, 2021, 2023],
            "value": [1.0, 2.0, 3.0, 4.0],
            "source_id": "S",
            "vintage": "v",
            "boundaries": "b",
            "flag": "",
        }
    )
    breaks = pd.DataFrame(
        [
            {
                "indicator": "grp_per_capita",
                "source_id": "",
                "codes": "",
                "before": 2018,
                "after": 2019,
                "kind": "method",
                "description": "method",
            }
        ]
    )

    assert pn.latest_segment(data, breaks) == [
        (2019, 2.0),
        (2020, None),
        (2021, 3.0),
        (2022, None),
        (2023, 4.0),
    ]


def test_gap_is_direction_aware() -> None:
    assert pn.gap(10.0, 20.0, "no") == 10.0
    assert pn.gap(10.0, 20.0, "yes") == -10.0
    assert pn.gap(10.0, 20.0, "neutral") is None


def test_runs_split_at_gap_years() -> None:
    assert pn.runs([(2019, 2.0), (2020, None), (2021, 3.0), (2022, 4.0)]) == [[(2019, 2.0)], [(2021, 3.0), (2022, 4.0)]]


def test_border_km_from_the_table() -> None:
    from lsg_analysis.geo.border import read_border_metrics

    table = read_border_metrics()
    km = pn.border_km("KG-B", table)
    assert km is not None and km["total"] == pytest.approx(km["KAZ"] + km["UZB"] + km["TJK"] + km["CHN"])
    assert km["UZB"] > 0 and km["TJK"] > 0
    assert pn.border_km("KG", table) is None


def _population(years: list[int], sources: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": "KG-C",
            "indicator": "population_start_of_year",
            "year": years,
            "value": [100.0 + y - 2010 for y in years],
            "unit": "thousand people",
            "source_id": sources,
            "vintage": "v",
            "boundaries": "b",
            "flag": "",
        }
    )


def test_population_points_keep_gaps_and_segments() -> None:
    data = _population([2012, 2013, 2015, 2016, 2017], ["D01", "D01", "D01", "S01", "S01"])
    ind, pts = pn.population_points("KG-C", data, None)
    assert ind == "population_start_of_year"
    assert [(p.year, p.value, p.segment) for p in pts] == [
        (2012, 102.0, 0),
        (2013, 103.0, 0),
        (2014, None, None),
        (2015, 105.0, 0),
        (2016, 106.0, 1),
        (2017, 107.0, 1),
    ]
    assert pn.population_points("KG-T", data, None) == ("", [])


def test_population_chart_draws_nothing_across_a_gap_or_a_break() -> None:
    from lsg_analysis.outputs.profile.render import population_chart

    data = _population([2012, 2013, 2015, 2016, 2017], ["D01", "D01", "D01", "S01", "S01"])
    chart = population_chart(*pn.population_points("KG-C", data, None), "en")
    x = {round((y - 2012) / 5, 4): y for y in range(2012, 2018)}
    drawn = [[x[p[0]] for p in piece["points"]] for piece in chart["pieces"]]
    assert drawn == [[2012, 2013], [2015], [2016, 2017]]
    assert [piece["latest"] for piece in chart["pieces"]] == [False, False, True]
    assert chart["breaks"] == [round((2015.5 - 2012) / 5, 4)]
    assert [lab for _, lab in chart["y_labels"]] == ["107.0", "102.0"]
    assert "2016–2017" in chart["caption"] and "D01, S01" in chart["caption"]
