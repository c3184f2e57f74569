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


def test_consultation_interval_is_the_bounds_unless_the_register_is_a_sample():
    base = dict(
        public_record_share=0.12,
        public_record_share_ci_low=0.07,
        public_record_share_ci_high=0.19,
        public_record_share_bound_low=0.12,
        public_record_share_bound_high=1.0,
        public_record_n_unknown=111,
    )
    c = headlines.consultation(_res(**base, register_sampling="not_random"))
    assert not c.sampled and (c.ci_low, c.ci_high) == (None, None)  # a CI recorded anyway is not shown
    assert (c.bound_low, c.bound_high, c.n_unknown) == (0.12, 1.0, 111)
    c = headlines.consultation(_res(**base, register_sampling="random_sample"))
    assert c.sampled and (c.ci_low, c.ci_high) == (0.07, 0.19)
    updates = {"columns": ["draft_id", "date"], "rows": [["A", "2026-12-02"], ["A", "2026-12-02"], ["B", "2026-11-30"]]}
    c = headlines.consultation({**_res(**base), "tables": {"updates": updates}})
    assert (c.n_updates, c.n_updated_drafts, c.updates_date) == (3, 2, "2026-12-02")


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


@pytest.mark.parametrize(
    "low, high, verdict, key",
    [
        (0.002, 0.07, "up", "f_change_up_ci"),
        (-0.05, -0.01, "down", "f_change_down_ci"),
        (-0.05, 0.05, "none", "f_change_ns"),
        (None, None, "untested", "f_change_untested"),
    ],
)
def test_a_change_is_claimed_only_when_its_interval_excludes_zero(low, high, verdict, key):
    test = headlines.change_test(_res(theil_change_ci_low=low, theil_change_ci_high=high, theil_change_diff=0.01))
    assert (test.verdict, test.message) == (verdict, key)


@pytest.mark.parametrize(
    "slope, p, verdict",
    [
        (-0.05, 0.01, "converging"),
        (0.02, 0.03, "diverging"),
        (0.009, 0.167, "not_significant"),
        (-0.09, 0.052, "not_significant"),
        (None, None, "not_measured"),
    ],
)
def test_convergence_is_read_only_when_significant(slope, p, verdict):
    c = headlines.convergence(_res(beta_slope=slope, beta_p=p, convergence_year_first=2012, convergence_year_last=2018))
    assert c.verdict == verdict and (c.first, c.last) == (2012, 2018)


def test_the_beta_sentence_follows_the_indicator_direction():
    c = headlines.convergence(_res(beta_slope=0.02, beta_p=0.01), "beta")
    assert [c.message(d) for d in headlines.DIRECTIONS] == [
        "f_beta_diverging_yes",
        "f_beta_diverging_no",
        "f_beta_diverging_neutral",
    ]
    assert (
        headlines.convergence(_res(sigma_slope=0.02, sigma_p=0.3), "sigma").message("no") == "f_sigma_not_significant"
    )


def test_weighting_is_the_recorded_one_else_the_parameter_and_the_indicator():
    assert headlines.weighted(_res(weighted=False)) is False
    assert headlines.weighted({**_res(indicator="poverty_rate"), "parameters": {"weighted": False}}) is False
    assert headlines.weighted({**_res(indicator="poverty_rate"), "parameters": {"weighted": True}}) is True
    assert headlines.weighted({**_res(indicator="births"), "parameters": {"weighted": True}}) is False  # weight_by none


def test_the_segment_is_said_only_when_breaks_cut_the_window():
    res = _res(unbroken_year_first=2012, unbroken_year_last=2018, year_first=2012, year_last=2022)
    res["tables"] = {"trend": {"columns": ["year", "break"], "rows": [[2018, None], [2019, "SNA"], [2021, "census"]]}}
    seg = headlines.segment(res)
    assert seg.cut and seg.breaks == [(2018, 2019), (2020, 2021)]
    res["tables"]["trend"]["rows"] = [[2018, None]]
    assert not headlines.segment(res).cut


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Poverty rate (national poverty line)", "poverty rate (national poverty line)"),
        ("GRP per capita at current prices", "GRP per capita at current prices"),
        ("Under-5 mortality rate", "under-5 mortality rate"),
        ("DTP3 immunisation coverage", "DTP3 immunisation coverage"),
        ("Уровень бедности", "уровень бедности"),
        ("ВРП на душу населения", "ВРП на душу населения"),
        ("Subnational Human Development Index", "Subnational Human Development Index"),
    ],
)
def test_an_indicator_name_inside_a_sentence_keeps_abbreviations_and_titles(name, expected):
    from lsg_analysis.outputs import i18n

    assert i18n.in_sentence(name) == expected
