"""Brief, border section: the poverty gap and the national net migration come from notebook 02's recorded
metrics (SYNTHETIC fixture results in tests/fixtures/brief_results, values changed here by hand)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from lsg_analysis import brief

FIXTURES = Path(__file__).parent / "fixtures" / "brief_results"
DATE = dt.date(2026, 11, 25)


def _results(**metrics) -> dict:
    res = {nb: json.loads((FIXTURES / f"{nb}.json").read_text(encoding="utf-8")) for nb in brief.NOTEBOOKS}
    mig = res["02_migration_border"]["metrics"]
    for key, (value, year) in metrics.items():
        mig[key] = {"value": value, "unit": "", "year": year, "sources": ["S09"], "note": "synthetic"}
    return res


def test_poverty_row_shows_the_recorded_gap_not_a_dash():
    res = _results(poverty_border_pct=(33.05, "2022"), poverty_interior_pct=(33.50, "2022"),
                   poverty_gap_pp=(-0.45, "2022"), poverty_gap_p=(0.944, "2022"))
    rows = {lang: brief.brief_content(lang, res, DATE)["border_table"][1] for lang in ("en", "ru")}
    assert rows["en"][1:] == ["33.0", "33.5", "-0.5", "0.944"] and rows["ru"][1:] == ["33,0", "33,5", "-0,5", "0,944"]
    del res["02_migration_border"]["metrics"]["poverty_gap_pp"]  # a results file without the gap: says no data
    row = brief.brief_content("en", res, DATE)["border_table"][1]
    assert row[3] == brief.i18n.no_data("en") and row[3] != "—"


def test_net_migration_line_shows_the_recorded_number_and_year():
    res = _results(net_migration_national_last=(11208.0, 2024), net_migration_rate_national_last=(1.552, 2024))
    line = brief.brief_content("en", res, DATE)["border_lines"][1]
    assert line == "Net migration, Kyrgyz Republic, 2024: 11,208 persons (1.6 per 1,000 population; source S09)."
