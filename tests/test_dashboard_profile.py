"""The dashboard's region-profile view in a real browser (Debian's Chromium via Playwright), from file://.

The page is the SYNTHETIC dashboard fixture (map, charts) with the REAL region profiles of the shipped processed
data (``inputs.profile_inputs``, as ``lsg dashboard`` builds them); every value the view shows is checked against
the profile numbers (``profile_numbers.default_lines``) and, for value and year, against ``indicators.csv`` read
with the csv module. Without /usr/bin/chromium these tests skip with the reason, except when CI is set.
"""

from __future__ import annotations

import csv
import dataclasses

import pytest

from lsg_analysis.core import paths
from lsg_analysis.outputs import dashboard as dash
from lsg_analysis.outputs import i18n
from lsg_analysis.outputs import profile_numbers as pn
from lsg_analysis.outputs.dashboard.inputs import profile_inputs

from dashboard_fixture import OBLASTS, inputs
from test_dashboard_browser import CHROMIUM, Visit, _need_chromium  # noqa: F401  (one browser setup)

pytestmark = pytest.mark.browser

#: a rayon on the fixture's rayon map whose profile lacks one rayon-level indicator (the 2022 census count) and
#: whose poverty trend has a missing year (2019): two pieces
RAYON = "KG02205000000"
CELLS_JS = """ind => [...document.querySelectorAll('#profile-table tr[data-indicator="' + ind + '"] td')]
    .map(td => td.firstChild && td.firstChild.nodeType === 3 ? td.firstChild.textContent : td.textContent)"""


def _csv_rows() -> list[dict[str, str]]:
    with open(paths.PROCESSED / "indicators.csv", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["default_series"] == "yes" and r["value"] != ""]


def _registry() -> dict[str, dict[str, str]]:
    with open(paths.ROOT / "lsg_analysis/registry/regions.csv", encoding="utf-8") as f:
        return {r["code"]: r for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("dash-profile") / "dashboard.html"
    data = dash.page_data(dataclasses.replace(inputs(), profiles=profile_inputs()))
    path.write_text(dash.render_html(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _open(browser, page_file, fragment: str, width: int = 1280) -> Visit:
    v = Visit(browser, page_file.as_uri() + "#" + fragment, width=width)
    assert v.ready == "1" and v.errors() == [], v.console
    return v


def _value(x: float, unit: str, lang: str) -> str:
    """The profile's value cell: the number alone for a named unit (persons, som…: its words stand under the
    indicator's name), else as ``fmt_value`` writes it (per cent, shares)."""
    from lsg_analysis.outputs import units

    return i18n.fmt_number(x, lang, 1) if units.kind(unit) == "named" else i18n.fmt_value(x, unit, lang)


def _cells(v: Visit, indicator: str) -> list[str]:
    return v.page.evaluate(CELLS_JS, indicator)


@pytest.mark.parametrize("lang", ["en", "ky"])
def test_hash_opens_a_rayon_with_its_profile_numbers(browser, page_file, lang):
    reg, rows = _registry(), _csv_rows()
    v = _open(browser, page_file, f"lang={lang}&profile={RAYON}")
    try:
        page = v.page
        assert page.inner_text("#profile-title") == reg[RAYON][f"name_{lang}"]
        assert page.input_value("#ctl-profile") == RAYON
        assert page.evaluate("document.getElementById('profile').getBoundingClientRect().top") < 200  # scrolled to
        km = next(r for r in csv.DictReader(open(paths.PROCESSED / "border_metrics.csv")) if r["code"] == RAYON)
        assert i18n.fmt_number(float(km["total_km"]), lang, 0) in page.inner_text("#profile-border")
        lines = pn.default_lines(RAYON)
        assert lines
        for line in lines:
            mine = [r for r in rows if r["code"] == RAYON and r["indicator"] == line.indicator]
            latest = max(mine, key=lambda r: int(r["year"]))  # independently: the csv's latest row
            cells = _cells(v, line.indicator)
            assert cells[0] == i18n.indicator_name(line.indicator, lang)
            assert cells[1] == _value(float(latest["value"]), latest["unit"], lang) + (" (!)" if line.flagged else "")
            assert cells[2] == latest["year"] == str(line.year)
            assert cells[3] == i18n.t("profile_rank_of", lang, rank=line.rank, n=line.peers)
            nat = i18n.no_data(lang) if line.national is None else _value(line.national, line.unit, lang)
            assert cells[4] == nat
            assert cells[5] == ("" if line.gap is None else i18n.fmt_number(line.gap, lang, 1, sign=True))
            assert cells[6] == line.source_id == latest["source_id"]
            # the trend: one line per run of consecutive years (none across the missing year), a point a value
            row = f'#profile-table tr[data-indicator="{line.indicator}"]'
            n_runs = len(pn.runs(line.trend))
            n_values = sum(1 for _, x in line.trend if x is not None)
            assert page.locator(f"{row} .mark-line path").count() == n_runs
            assert page.locator(f"{row} .mark-symbol path").count() == n_values
            assert cells[7] == (f"{line.trend[0][0]}–{line.trend[-1][0]}" if len(line.trend) > 1 else str(line.year))
        assert any(len(pn.runs(line.trend)) == 2 for line in lines)  # the 2019 gap is really exercised
    finally:
        v.page.close()


def test_an_indicator_the_unit_lacks_shows_no_data(browser, page_file):
    reg, rows = _registry(), _csv_rows()
    rayons = {c for c, r in reg.items() if r["level"] == "2" and r["kind"] != "composite"}
    at_level = {r["indicator"] for r in rows if r["code"] in rayons}
    lacking = sorted(at_level - {r["indicator"] for r in rows if r["code"] == RAYON})
    assert lacking  # the chosen rayon has no 2022 census count
    v = _open(browser, page_file, f"lang=ru&profile={RAYON}")
    try:
        shown = v.page.evaluate(
            "[...document.querySelectorAll('#profile-table tbody tr')].map(r => r.dataset.indicator)"
        )
        assert sorted(shown) == sorted(at_level)
        for ind in lacking:
            cells = _cells(v, ind)
            assert cells[1] == i18n.no_data("ru") and cells[2:] == [""] * 6, cells
    finally:
        v.page.close()


def test_map_click_and_the_list_open_a_profile(browser, page_file):
    reg = _registry()
    v = _open(browser, page_file, "lang=en")
    try:
        page = v.page
        first = page.inner_text("#profile-title")
        code = "KG-C"
        box = page.locator("#chart-map svg .mark-shape path").nth(OBLASTS.index(code)).bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function(f"document.getElementById('profile-title').textContent === {reg[code]['name_en']!r}")
        assert first != reg[code]["name_en"]
        assert f"profile={code}" in page.evaluate("location.hash")
        assert page.input_value("#ctl-profile") == code
        assert len(pn.default_lines(code)) == page.locator("#profile-table tbody tr td.rank").count()
        page.select_option("#ctl-profile", RAYON)
        page.wait_for_function(f"document.getElementById('profile-title').textContent === {reg[RAYON]['name_en']!r}")
        assert f"profile={RAYON}" in page.evaluate("location.hash")
        assert v.errors() == []
    finally:
        v.page.close()


def test_language_switch_changes_names_and_words(browser, page_file):
    reg = _registry()
    v = _open(browser, page_file, "lang=en&profile=KG-N")
    try:
        page = v.page
        options_en = page.evaluate("[...document.querySelectorAll('#ctl-profile option')].map(o => o.textContent)")
        assert reg["KG-N"]["name_en"] == page.inner_text("#profile-title")
        page.click("button[data-lang=ky]")
        page.wait_for_function(f"document.getElementById('profile-title').textContent === {reg['KG-N']['name_ky']!r}")
        options_ky = page.evaluate("[...document.querySelectorAll('#ctl-profile option')].map(o => o.textContent)")
        assert reg[RAYON]["name_ky"] in options_ky and reg[RAYON]["name_en"] not in options_ky
        assert len(options_ky) == len(options_en)
        head = page.evaluate("[...document.querySelectorAll('#profile-table th')].map(t => t.textContent)")
        assert head[0] == i18n.t("profile_col_indicator", "ky") and head[3] == i18n.t("profile_col_rank", "ky")
        line = pn.default_lines("KG-N")[0]
        assert _cells(v, line.indicator)[1].startswith(i18n.fmt_value(line.value, line.unit, "ky"))
        assert page.inner_text("#profile h2") == i18n.t("profile_kicker", "ky")
        assert "profile=KG-N" in page.evaluate("location.hash") and "lang=ky" in page.evaluate("location.hash")
        assert v.errors() == []
    finally:
        v.page.close()


def test_phone_width_profile_fits(browser, page_file):
    v = _open(browser, page_file, f"lang=ky&profile={RAYON}", width=375)
    try:
        assert v.page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        wide = v.page.evaluate(
            "[...document.querySelectorAll('#profile-table tr')].filter(r => r.getBoundingClientRect().right >"
            " window.innerWidth).length"
        )
        assert wide == 0
    finally:
        v.page.close()


OUTLINE_JS = """color => [...document.querySelectorAll('#chart-map svg .mark-shape path')]
    .filter(p => p.getAttribute('stroke') === color).map(p => {
        const r = p.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })"""


def test_the_open_profiles_unit_is_outlined_on_the_map(browser, page_file):
    """No outline before a profile is opened; a click on Chui oblast outlines Chui (the outline's box is the unit's
    shape's box); a rayon, not on the oblast map, outlines nothing there; #profile=CODE outlines it at load."""
    from lsg_analysis.outputs.dashboard.specs import SELECTED_COLOR

    v = _open(browser, page_file, "lang=en")
    try:
        page = v.page
        assert page.evaluate(OUTLINE_JS, SELECTED_COLOR) == []
        shape = page.locator("#chart-map svg .mark-shape path").nth(OBLASTS.index("KG-C")).bounding_box()
        page.mouse.click(shape["x"] + shape["width"] / 2, shape["y"] + shape["height"] / 2)
        page.wait_for_function(f"({OUTLINE_JS})({SELECTED_COLOR!r}).length === 1")
        outline, chui = page.evaluate(  # the outline and Chui's shape in the redrawn map, measured together
            f"[({OUTLINE_JS})({SELECTED_COLOR!r})[0], [...document.querySelectorAll('#chart-map svg "
            f".layer_0_marks path')].map(p => p.getBoundingClientRect())[{OBLASTS.index('KG-C')}]]"
        )
        assert [round(c) for c in outline] == [round(chui[k]) for k in ("left", "top", "width", "height")]
        page.select_option("#ctl-profile", RAYON)
        page.wait_for_function(f"({OUTLINE_JS})({SELECTED_COLOR!r}).length === 0")
        assert v.errors() == []
    finally:
        v.page.close()
    v = _open(browser, page_file, "lang=ky&profile=KG-N")
    try:
        assert len(v.page.evaluate(OUTLINE_JS, SELECTED_COLOR)) == 1
    finally:
        v.page.close()
