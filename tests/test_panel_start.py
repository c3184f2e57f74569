"""imbalance_panel.usable / describe_panel: a panel that starts later than the first year with data says why
(weights that begin later, or too few units). Shipped data for the weights case; synthetic panels otherwise."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lsg_analysis.analysis import imbalance_panel as ip
from lsg_analysis.core.paths import PROCESSED
from lsg_analysis.runs import params


def first_year(indicator: str, codes: list[str]) -> int:
    d = pd.read_csv(PROCESSED / "indicators.csv", dtype={"code": str})
    return int(d[(d["indicator"] == indicator) & d["code"].isin(codes) & d["value"].notna()]["year"].min())


def notebook_panel(**kw) -> ip.Panel:
    p = params.check("01_imbalance", kw)
    return ip.usable(ip.imbalance_panel(p.indicator, p.level, p.year_from, p.year_to, weighted=p.weighted))


def test_weights_that_begin_later_are_named():
    oblasts = ip.map_codes("oblast")
    data_start, pop_start = first_year("poverty_rate", oblasts), first_year("population_start_of_year", oblasts)
    assert (data_start, pop_start) == (2007, 2012)  # the shipped data: the case to test
    panel = notebook_panel(indicator="poverty_rate", weighted=True, year_from=0)
    assert panel.years[0] == pop_start
    assert ip.describe_panel(panel).splitlines()[1] == (
        "starts in 2012, not 2007: population weights (population_start_of_year) begin in 2012"
    )
    unweighted = notebook_panel(indicator="poverty_rate", weighted=False, year_from=0)
    assert unweighted.years[0] == data_start and unweighted.start_note == ""
    assert "starts in" not in ip.describe_panel(notebook_panel(indicator="grp_per_capita", year_from=0))


def synthetic(values: dict[int, list[float]], population: dict[int, list[float]] | None) -> ip.Panel:
    codes = ["A", "B", "C", "D"]
    frame = lambda d: pd.DataFrame(d, index=codes)  # noqa: E731
    return ip.Panel(
        "x",
        "oblast",
        "X",
        "percent",
        frame(values),
        None if population is None else frame(population),
        population is not None,
        "",
        ["T"],
        {},
        pd.Series(codes, index=codes),
        pd.Series(["g"] * 4, index=codes),
        "",
        "pop_x",
    )


NAN = math.nan


@pytest.mark.parametrize(
    "population, note",
    [
        (None, "starts in 2011, not 2010: before 2011 fewer than 3 units a year have a value"),
        (
            {2010: [1.0, NAN, NAN, NAN], 2011: [1.0] * 4},
            "starts in 2011, not 2010: before 2011 fewer than 3 units a year have both a value and a population weight "
            "(pop_x)",
        ),
        ({2010: [NAN] * 4, 2011: [1.0] * 4}, "starts in 2011, not 2010: population weights (pop_x) begin in 2011"),
    ],
)
def test_dropped_first_years_say_why(population, note):
    values = {2010: [1.0, 2.0, 3.0 if population else NAN, NAN], 2011: [1.0, 2.0, 3.0, 4.0]}
    panel = ip.usable(synthetic(values, population))
    assert panel.years == [2011] and panel.start_note == note
    assert ip.describe_panel(panel).splitlines()[1] == note


def test_no_note_when_the_first_year_is_kept():
    panel = ip.usable(synthetic({2010: [1.0, 2.0, 3.0, NAN], 2011: [1.0, 2.0, NAN, NAN]}, None))
    assert panel.years == [2010] and panel.start_note == ""
