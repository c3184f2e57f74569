"""Brief, border section: the poverty gap and the national net migration come from notebook 02's recorded
metrics (SYNTHETIC fixture results in tests/fixtures/brief_results, values changed here by hand)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from lsg_analysis.outputs import brief, i18n

FIXTURES = Path(__file__).parent / "fixtures" / "brief_results"
DATE = dt.date(2026, 11, 25)


def _results(**metrics) -> dict:
    res = {nb: json.loads((FIXTURES / f"{nb}.json").read_text(encoding="utf-8")) for nb in brief.NOTEBOOKS}
    mig = res["02_migration_border"]["metrics"]
    for key, (value, year) in metrics.items():
        mig[key] = {"value": value, "unit": "", "year": year, "sources": ["S09"], "note": "synthetic"}
    return res


def test_poverty_row_shows_the_recorded_gap_not_a_dash():
    res = _results(
        poverty_border_pct=(33.05, "2022"),
        poverty_interior_pct=(33.50, "2022"),
        poverty_gap_pp=(-0.45, "2022"),
        poverty_gap_p=(0.944, "2022"),
    )
    rows = {lang: brief.brief_content(lang, res, DATE)["border_table"][1] for lang in ("en", "ru")}
    assert rows["en"][1:5] == ["33.0", "33.5", "-0.5", "0.944"] and rows["ru"][1:5] == ["33,0", "33,5", "-0,5", "0,944"]
    del res["02_migration_border"]["metrics"]["poverty_gap_pp"]  # a results file without the gap: says no data
    row = brief.brief_content("en", res, DATE)["border_table"][1]
    assert row[3] == i18n.no_data("en") and row[3] != "—"


def test_net_migration_line_shows_the_recorded_number_and_year():
    res = _results(net_migration_national_last=(11208.0, 2024), net_migration_rate_national_last=(1.552, 2024))
    *_, line, caveat = brief.brief_content("en", res, DATE)["border_lines"]
    assert line == "Net migration, Kyrgyz Republic, 2024: 11,208 persons (1.6 per 1,000 population; source S09)."
    assert caveat.startswith("Net migration counts only moves registered for permanent residence")


# ---------------------------------------------------------------- rural-rayon poverty and the interior units
NB = "\u00a0"


def test_rayon_poverty_row_has_level_year_and_n_in_every_language():
    res = _results()  # the fixture's SYNTHETIC rayon metrics: 18.44 vs 30.71, gap −12.27, p 0.0123, n 31 / 9
    rows = {lang: brief.brief_content(lang, res, DATE)["border_table"] for lang in ("en", "ru", "ky")}
    assert rows["en"][2] == [
        "Poverty rate of rural districts, % (by district, 2020)",
        "18.4",
        "30.7",
        "-12.3",
        "0.012",
        f"31{NB}/{NB}9",
    ]
    assert rows["ru"][2] == [
        "Уровень бедности в сельских районах, % (по районам, 2020)",
        "18,4",
        "30,7",
        "-12,3",
        "0,012",
        f"31{NB}/{NB}9",
    ]
    assert rows["ky"][2][0] == "Айылдык райондордогу кедейчиликтин деңгээли, % (райондор боюнча, 2020)"
    # the oblast rows say their level and period too; n is the comparison's own (growth_n_border / _n_interior)
    assert rows["en"][0][0] == "Mean annual population growth, % (by oblast, 2012–2021)"
    assert rows["en"][0][-1] == f"27{NB}/{NB}26"
    res["02_migration_border"]["metrics"]["growth_n_border"]["value"] = 7
    res["02_migration_border"]["metrics"]["growth_n_interior"]["value"] = 2
    assert brief.brief_content("en", res, DATE)["border_table"][0][-1] == f"7{NB}/{NB}2"
    res["02_migration_border"]["metrics"]["growth_n_interior"]["value"] = None  # missing stays missing
    assert brief.brief_content("en", res, DATE)["border_table"][0][-1] == f"7{NB}/{NB}No data available"


def test_border_finding_is_the_rural_rayon_comparison_with_n_p_and_year():
    res = _results()
    card = brief.brief_content("en", res, DATE)["findings"][3]
    assert card["value"] == f"-12.3{NB}p.p."
    assert card["label"] == "Poverty rate, border minus interior rural districts, 2020"
    assert "border districts 18.4% (n = 31), interior 30.7% (n = 9)" in card["detail"]
    assert f"p{NB}={NB}0.012" in card["detail"] and "not a sample" in card["detail"]
    ru = brief.brief_content("ru", res, DATE)["findings"][3]
    assert ru["value"] == f"-12,3{NB}п.п." and "(n = 31)" in ru["detail"]


def test_without_rayon_metrics_the_finding_is_the_oblast_growth_gap_and_no_rayon_row():
    res = _results()
    for key in [
        k
        for k in res["02_migration_border"]["metrics"]
        if k.startswith(("rayon_poverty", "n_border_rayons", "n_interior_rayons"))
    ]:
        del res["02_migration_border"]["metrics"][key]
    content = brief.brief_content("en", res, DATE)
    assert content["findings"][3]["label"] == "Population growth, border minus interior areas, 2012–2021"
    assert len(content["border_table"]) == 2


def test_interior_units_line_names_the_recorded_units():
    res = _results()
    lines = {lang: brief.brief_content(lang, res, DATE)["border_lines"][0] for lang in ("en", "ru", "ky")}
    assert lines["en"] == (
        "At oblast level the only interior units (without a state border) are Bishkek city and "
        "Osh city. Population fell in 7 of 53 units over 2012–2021."
    )
    assert "только г. Бишкек и г. Ош." in lines["ru"]
    assert "Бишкек ш. жана Ош ш. гана." in lines["ky"]
    res = _results(interior_units=("KG-N", None))  # from the recorded metric, not a fixed text
    assert "are Naryn oblast." in brief.brief_content("en", res, DATE)["border_lines"][0]
    res = _results(interior_units=(None, None))  # not recorded (an older results file): no line
    assert brief.brief_content("en", res, DATE)["border_lines"][0].startswith("Length of the state border")
