"""The results contract: which Theil change a headline shows."""
from __future__ import annotations

from lsg_analysis.runs.results import Change, theil_change


def _res(**values) -> dict:
    return {"metrics": {k: {"value": v} for k, v in values.items()}}


def test_whole_window_when_no_break_lies_inside():
    res = _res(theil_change_pct=5.0, year_first=2012, year_last=2022, theil_change_pct_unbroken=5.0,
               unbroken_year_first=2012, unbroken_year_last=2022)
    assert theil_change(res) == Change(5.0, 2012, 2022, False)


def test_longest_unbroken_run_across_a_break():
    res = _res(theil_change_pct=None, year_first=2012, year_last=2022, theil_change_pct_unbroken=19.9,
               unbroken_year_first=2012, unbroken_year_last=2018)
    assert theil_change(res) == Change(19.9, 2012, 2018, True)


def test_nothing_recorded_is_missing_not_zero():
    assert theil_change({}) == Change(None, None, None, True)
