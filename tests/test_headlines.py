"""The headlines layer: which numbers lead, by rules stated once (lsg_analysis/outputs/headlines.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lsg_analysis.outputs import headlines
from lsg_analysis.outputs.headlines import Change, theil_change

FIXTURES = Path(__file__).parent / "fixtures" / "brief_results"


def _res(**values) -> dict:
    return {"metrics": {k: {"value": v, "unit": "x"} for k, v in values.items()}}


def test_whole_window_when_no_break_lies_inside():
    res = _res(
        theil_change_pct=5.0,
        year_first=2012,
        year_last=2022,
        theil_change_pct_unbroken=5.0,
        unbroken_year_first=2012,
        unbroken_year_last=2022,
    )
    assert theil_change(res) == Change(5.0, 2012, 2022, False)


def test_longest_unbroken_run_across_a_break():
    res = _res(
        theil_change_pct=None,
        year_first=2012,
        year_last=2022,
        theil_change_pct_unbroken=19.9,
        unbroken_year_first=2012,
        unbroken_year_last=2018,
    )
    assert theil_change(res) == Change(19.9, 2012, 2018, True)


def test_nothing_recorded_is_missing_not_zero():
    assert theil_change({}) == Change(None, None, None, True)


@pytest.mark.parametrize("higher_is_better,worst", [("yes", "KG-B"), ("no", "KG-GB"), ("neutral", None)])
def test_the_worst_off_unit_follows_the_indicator_direction(higher_is_better, worst):
    """Poverty (higher is worse): the worst off is the HIGHEST unit; income: the lowest; neutral: none."""
    res = _res(top_code="KG-GB", top_value=9.0, bottom_code="KG-B", bottom_value=1.0)
    assert headlines.extremes(res, higher_is_better).worst_code == worst


def test_the_direction_comes_from_the_indicator_metadata():
    assert headlines.direction(_res(indicator="grp_per_capita")) == "yes"
    assert headlines.direction(_res(indicator="poverty_rate")) == "no"


def test_the_rural_rayon_comparison_leads_when_recorded_else_the_growth_gap():
    both = _res(rayon_poverty_gap_pp=-18.1, growth_gap_pp=-0.5)
    assert headlines.border_headline(both) == "rayon_poverty"
    assert headlines.border_headline(_res(rayon_poverty_gap_pp=None, growth_gap_pp=-0.5)) == "growth"


def test_border_comparisons_of_the_fixture_list_each_recorded_level():
    mig = json.loads((FIXTURES / "02_migration_border.json").read_text(encoding="utf-8"))
    got = headlines.border_comparisons(mig)
    assert [c.prefix for c in got] == ["growth", "poverty", "rayon_poverty"][: len(got)]
    growth = got[0]
    assert (growth.gap, growth.n_border) == (
        mig["metrics"]["growth_gap_pp"]["value"],
        mig["metrics"]["growth_n_border"]["value"],
    )
    assert growth.year == mig["metrics"]["growth_gap_pp"]["year"] or growth.year == mig["metrics"]["window"]["value"]


def test_suppressed_consultation_rates_are_none():
    con = _res(public_record_share=0.11, consultation_rate=None, median_discussion_days=None)
    c = headlines.consultation(con)
    assert (c.public_record, c.rate, c.median_days) == (0.11, None, None)


def test_context_headline_and_points_come_from_the_recorded_comparison():
    ctx = json.loads((FIXTURES / "04_context.json").read_text(encoding="utf-8"))
    c = headlines.context(ctx)
    m = {k: v["value"] for k, v in ctx["metrics"].items()}
    assert (c.value, c.n_regions, c.rank, c.n_ranked) == (
        m["kgz_value"],
        m["kgz_n_regions"],
        m["kgz_rank"],
        m["n_ranked"],
    )
    points = headlines.context_points(ctx)
    assert len(points) == len(ctx["tables"]["countries"]["rows"])
    assert [p for p in points if p[0] == "KGZ"][0][2] is True  # Kyrgyzstan always marked


def test_the_brief_states_the_rank_n_and_year_of_the_comparison():
    import datetime as dt

    from lsg_analysis.outputs import brief

    res = {nb: json.loads((FIXTURES / f"{nb}.json").read_text(encoding="utf-8")) for nb in brief.NOTEBOOKS}
    m = {k: v["value"] for k, v in res["04_context"]["metrics"].items()}
    text = " ".join(brief.brief_content("en", res, dt.date(2026, 12, 2))["context"])
    assert f"rank {m['kgz_rank']} of {m['n_ranked']}" in text and f"{m['kgz_n_regions']} oblasts" in text
    assert f"in {m['year']}" in text and f"rank {m['gdl_kgz_rank']} of {m['gdl_n_ranked']}" in text


def test_the_dashboard_marks_kyrgyzstan_and_the_neighbours():
    from lsg_analysis.outputs.dashboard import datasets

    ctx = json.loads((FIXTURES / "04_context.json").read_text(encoding="utf-8"))
    rows = datasets.context_data(ctx)
    kinds = {r["iso3"]: r["kind"] for r in rows}
    highlighted = {r[1] for r in ctx["tables"]["countries"]["rows"] if r[6]}
    assert kinds["KGZ"] == "kgz" and all(kinds[i] == "highlighted" for i in highlighted - {"KGZ"})
    assert all("n = " in r["text_ky"] for r in rows)  # n_regions beside every value


def test_r1_directs_transfers_to_the_worst_off_unit_by_the_indicator_direction():
    """Poverty (higher is worse): the recommendation names the HIGHEST unit, and says "worst-off", not "lowest"."""
    import datetime as dt

    from lsg_analysis.outputs import brief, i18n

    res = {nb: json.loads((FIXTURES / f"{nb}.json").read_text(encoding="utf-8")) for nb in brief.NOTEBOOKS}
    m = res["01_imbalance"]["metrics"]
    m["indicator"]["value"] = "poverty_rate"
    m["theil_change_pct_unbroken"]["value"] = 12.0
    recs = " ".join(x["text"] for x in brief.brief_content("en", res, dt.date(2026, 12, 2))["recommendations"])
    top, bottom = i18n.region_name(m["top_code"]["value"], "en"), i18n.region_name(m["bottom_code"]["value"], "en")
    assert f"worst-off region by this indicator ({top})" in recs and f"({bottom})" not in recs
