"""The dashboard in a real browser (Debian's Chromium via Playwright), from file://, on SYNTHETIC fixture data.

Without /usr/bin/chromium these tests skip with the reason — except when the environment variable CI is set,
where they fail (CI installs Chromium with scripts/setup-system.sh). The time from navigation to "interactive"
(all charts drawn) is measured and printed, never asserted (speed targets live in benchmarks/).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lsg_analysis.outputs import dashboard as dash

from dashboard_fixture import HOSTILE_TITLE, context_results, inputs

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHARTS = ("map", "ranking", "trend", "measures", "border", "growth", "rates", "by-year")
ALLOWED_SCHEMES = ("file:", "data:", "blob:")

pytestmark = pytest.mark.browser


def _need_chromium() -> None:
    missing = not (Path(CHROMIUM).exists() or shutil.which("chromium"))
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI is set but {CHROMIUM} is missing: scripts/setup-system.sh must install chromium")
    if missing:
        pytest.skip(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run the "
            "dashboard browser tests"
        )


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("dash") / "dashboard.html"
    path.write_text(dash.render_html(dash.page_data(inputs())), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Visit:
    """One page load with everything recorded: requests, console messages, page errors, dialogs."""

    def __init__(self, browser, url: str, width: int = 1366, height: int = 900):
        self.page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)
        self.page.wait_for_selector("html[data-ready]", timeout=20_000)
        self.ready = self.page.get_attribute("html", "data-ready")
        self.ready_ms = self.page.evaluate("window.lsgReadyMs")

    def errors(self) -> list[tuple[str, str]]:
        return [c for c in self.console if c[0] in ("error", "pageerror")]

    def marks(self, chart: str) -> int:
        return self.page.evaluate(
            "id => document.querySelectorAll('#chart-' + id + ' svg .mark-rect path, #chart-' + id + "
            "' svg .mark-shape path, #chart-' + id + ' svg .mark-line path, #chart-' + id + "
            "' svg .mark-symbol path, #chart-' + id + ' svg .mark-rule line, #chart-' + id + "
            "' svg .mark-area path, #chart-' + id + ' svg .mark-text text').length",
            chart,
        )


@pytest.fixture(scope="module")
def visit(browser, page_file):
    v = Visit(browser, page_file.as_uri() + "#lang=en")
    yield v
    v.page.close()


def test_loads_offline_without_any_request_or_console_error(visit):
    assert visit.ready == "1"
    assert [u for u in visit.requests if not u.startswith(ALLOWED_SCHEMES)] == []
    assert visit.errors() == []
    print(f"\ndashboard interactive after {visit.ready_ms:.0f} ms (navigation start → all charts drawn)")


@pytest.mark.parametrize("chart", CHARTS)
def test_each_view_renders_marks(visit, chart):
    assert visit.page.locator(f"#chart-{chart} svg").count() == 1
    assert visit.marks(chart) > 0


def test_map_draws_every_unit_and_greys_the_missing_ones(visit):
    n = visit.page.evaluate("document.querySelectorAll('#chart-map svg .mark-shape path').length")
    assert n == 2 * 9  # grey base layer + coloured layer, 9 oblast-level units with data in 2021


def test_language_switch_changes_all_texts(visit):
    page = visit.page
    assert "Regional imbalance" in page.inner_text("h1")
    page.click("button[data-lang=ky]")
    page.wait_for_function("document.documentElement.lang === 'ky'")
    page.wait_for_function("document.querySelector('#chart-rates svg') !== null")
    body = page.inner_text("body")
    assert "регионалдык дисбаланс" in page.inner_text("h1")
    assert any(ch in body for ch in "ңөү")
    assert "Жан башына РДП" in page.inner_text("#map .view-title")  # indicator name (synthetic meta) in ky
    page.wait_for_function("document.querySelector('#chart-rates').textContent.includes('маалымат жетишсиз')")
    assert "insufficient data" not in page.inner_text("#consult")
    page.click("button[data-lang=ru]")
    page.wait_for_function("document.documentElement.lang === 'ru'")
    assert "Региональные диспропорции" in page.inner_text("h1")
    page.click("button[data-lang=en]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.wait_for_function("document.querySelector('#chart-rates').textContent.includes('insufficient data')")
    assert visit.errors() == []


def test_number_format_follows_the_language(visit):
    page = visit.page
    page.click("button[data-lang=ru]")
    page.wait_for_function("document.documentElement.lang === 'ru'")
    assert "25,0" in page.inner_text("#kpis-consult")
    page.click("button[data-lang=en]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert "25.0%" in page.inner_text("#kpis-consult")


def test_hostile_title_is_shown_as_text_and_runs_nothing(visit):
    cell = visit.page.locator("#drafts td.title").first
    assert cell.text_content() == HOSTILE_TITLE
    assert visit.dialogs == []
    assert visit.page.locator("#drafts img, #drafts script").count() == 0


def test_sample_caveat_and_suppressed_rate_are_visible(visit):
    caveat = visit.page.inner_text("#consult-caveat")
    assert "not a random sample" in caveat.lower() and "n = 42" in caveat


def test_every_chart_states_source_and_data_date(visit):
    for view in ("map", "ranking", "trend", "border", "consult"):
        text = visit.page.inner_text(f"#{view} p.caption:not(.note)")
        assert "Source:" in text and "SYNTHETIC" in text, view
        assert "Data years:" in text and "accessed" in text, view


def test_csv_downloads_have_the_right_header(visit):
    page = visit.page
    expected = {
        "map": "code,name,indicator,year,value,unit,source_id,series_break",
        "ranking": "rank,code,name,indicator,year,value,unit,source_id,series_break",
        "trend": "year,theil,theil_ci_low,theil_ci_high,gini,williamson,cv,break",
        "border": "measure_id,measure,weighting,border,interior,gap,p,n_border,n_interior,level,period",
        "consult": "indicator,group,n,n_known,value,ci_low,ci_high,n_unknown,bound_low,bound_high,suppressed",
    }
    expected["population_change"] = "code,year_from,year_to,growth_pct_per_year,depopulating,border"
    expected["drafts"] = "draft_id,title,year,act_type,drafting_body,public_record"
    links = {"population_change": "#border a.csv >> nth=1", "drafts": "#consult a.csv >> nth=2"}
    assert page.locator("#consult a.csv").count() == 3
    for view, header in expected.items():
        link = page.locator(links.get(view, f"#{view} a.csv >> nth=0"))
        name = link.get_attribute("download")
        assert name.startswith("lsg-dashboard_") and name.endswith("_en.csv"), name
        with page.expect_download() as info:
            link.click()
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
        assert text.splitlines()[0] == header, view
        if view == "drafts":  # data text is quoted and cannot start a spreadsheet formula
            assert HOSTILE_TITLE.split("\u2028")[0] in text and "'=HYPERLINK" in text
    drafts_csv = page.evaluate("fetch(document.querySelector('#map a.csv').href).then(r => r.text())")
    assert "grp_per_capita" in drafts_csv


def test_controls_change_map_and_ranking(visit):
    page = visit.page
    page.select_option("#ctl-indicator", "poverty_rate")
    page.wait_for_function("document.querySelector('#map .view-title').textContent.includes('Poverty')")
    assert page.input_value("#ctl-year") == "2016"
    page.select_option("#ctl-level", "rayon")
    page.wait_for_function("document.querySelectorAll('#chart-ranking svg .mark-rect path').length === 6")
    title = page.inner_text("#map .view-title")  # the level said once (the name is "Poverty rate by rayon")
    assert title == "Poverty rate, % — Districts and cities, 2016" == page.inner_text("#ranking .view-title")
    assert "rayon" in page.locator("#map a.csv").get_attribute("download")
    assert visit.errors() == []


BOXES_JS = """sel => [...document.querySelectorAll(sel)].map(e => {
    const r = e.getBoundingClientRect();
    return {x0: r.left, x1: r.right, y0: r.top, y1: r.bottom, text: e.textContent, group: e.parentNode ? [...e.parentNode.parentNode.children].indexOf(e.parentNode) + ':' + e.parentNode.getAttribute('class') : ''};
}).filter(b => b.x1 > b.x0)"""


def _overlap(a, b) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]


def test_break_labels_overlap_neither_points_nor_each_other(visit):
    labels = visit.page.evaluate(BOXES_JS, "#chart-trend svg .mark-text text")
    points = visit.page.evaluate(BOXES_JS, "#chart-trend svg .mark-symbol path")
    assert labels and points
    for i, a in enumerate(labels):
        assert not any(_overlap(a, p) for p in points), a
        assert not any(_overlap(a, b) for b in labels[i + 1 :]), a


def test_map_labels_bishkek_and_osh_city_with_their_values(browser, page_file):
    v = Visit(browser, page_file.as_uri() + "#lang=en")  # a fresh page: the default level shows both cities
    try:
        texts = [b["text"] for b in v.page.evaluate(BOXES_JS, "#chart-map svg .mark-text text")]
    finally:
        v.page.close()
    assert any(t.startswith("Bishkek city ") for t in texts) and any(t.startswith("Osh city ") for t in texts), texts


@pytest.mark.parametrize("width", [375, 1280])
def test_axis_labels_do_not_run_together(browser, page_file, width):
    """At phone and desktop width no two tick labels of one axis touch (the "350400" of the trial)."""
    v = Visit(browser, page_file.as_uri() + "#lang=ru", width=width, height=844)
    try:
        boxes = v.page.evaluate(BOXES_JS, ".chart svg .role-axis-label text")
        assert boxes
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if a["group"] == b["group"]:
                    assert not _overlap(a, b), (width, a, b)
    finally:
        v.page.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_context_country_labels_do_not_overlap(browser, tmp_path, width):
    """CHN, UZB and RUS on ranks 32–34 (and KGZ, KAZ): no two country labels of the chart touch, on a phone and on
    a desktop (their lanes, datasets.context_data)."""
    data = inputs()
    data.results["04_context"] = context_results()
    path = tmp_path / "dashboard.html"
    path.write_text(dash.render_html(dash.page_data(data)), encoding="utf-8")
    v = Visit(browser, path.as_uri() + "#lang=ky", width=width, height=844)
    try:
        assert v.ready == "1" and v.errors() == []
        boxes = v.page.evaluate(BOXES_JS, "#chart-context-gdl svg .mark-text.role-mark text")
        assert sorted(b["text"] for b in boxes) == ["CHN", "KAZ", "KGZ", "RUS", "UZB"]
        for i, a in enumerate(boxes):
            assert not any(_overlap(a, b) for b in boxes[i + 1 :]), (width, boxes)
    finally:
        v.page.close()


def test_phone_width_has_no_horizontal_overflow(browser, page_file):
    v = Visit(browser, page_file.as_uri() + "#lang=ky", width=390, height=844)
    try:
        assert v.ready == "1" and v.errors() == []
        overflow = v.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        print(f"\nphone: interactive after {v.ready_ms:.0f} ms")
    finally:
        v.page.close()


def test_phone_charts_fit_their_containers(browser, page_file):
    """No chart is wider than its box at 390 px (a wider SVG would be shrunk until its text is unreadable)."""
    for lang in ("ky", "ru", "en"):
        v = Visit(browser, page_file.as_uri() + f"#lang={lang}", width=390, height=844)
        try:
            too_wide = v.page.evaluate("""() => [...document.querySelectorAll('.chart')].filter(c => {
                const svg = c.querySelector('svg');
                return svg && svg.width.baseVal.value > c.clientWidth + 1;
            }).map(c => c.id)""")
            assert too_wide == [], (lang, too_wide)
        finally:
            v.page.close()


def test_without_chromium_the_tests_skip_with_a_reason_but_fail_in_ci(monkeypatch):
    import test_dashboard_browser as me

    monkeypatch.setattr(me, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(me.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        me._need_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        me._need_chromium()
