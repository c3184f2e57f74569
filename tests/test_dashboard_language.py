"""Every word of the dashboard in the reader's language: the ky and ru pages, as a reader sees them in Chromium
(every view, every indicator and level on the map and ranking, the sources list opened), carry no English words
outside proper names, URLs, catalogue ids and original-language titles quoted «…», and no internal jargon — the
same checker as the briefs' (tests/language_check.py).

Built from the SYNTHETIC fixture results (tests/fixtures/brief_results) and the real processed data, with every
catalogued source named by the trend table (so every source line of the catalogue is rendered) and every
notebook parameter changed from its default (so every parameter is worded in the run stamps).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from lsg_analysis.outputs import dashboard as dash
from lsg_analysis.runs import params
from lsg_analysis.runs.results import Origin

import language_check
from test_dashboard_browser import ARGS, CHROMIUM, _need_chromium

FIXTURES = Path(__file__).parent / "fixtures" / "brief_results"
#: one changed value per parameter a reader can meet in a stamp (not lang/out_dir: a run's plumbing)
CHANGED = {
    "01_imbalance": {
        "indicator": "rayon_poverty_rate",
        "level": "rayon",
        "year_from": 2011,
        "year_to": 2018,
        "weighted": False,
        "n_boot": 99,
        "seed": 1,
    },
    "02_migration_border": {"level": "rayon", "year_from": 2014, "year_to": 2019, "n_perm": 999, "seed": 1},
    "03_consultations": {
        "register": "my_register.xlsx",
        "by": ["lsg_competence_area", "legal_regime"],
        "scenario_days": [10],
        "sampling": "census",
    },
    "04_context": {"source": "gdl_shdi", "measure": "max_min", "year": 2019, "highlight": ["KAZ", "UZB"]},
}
pytestmark = pytest.mark.browser

WALK_JS = """async () => {
    const wait = () => new Promise(r => setTimeout(r, 60));
    const seen = [];
    const grab = () => {
        // the register's own text (draft titles, drafting bodies as coded) is data shown as written
        document.querySelectorAll('#drafts td.title, #drafts td:nth-child(5)').forEach(td => { td.textContent = ''; });
        seen.push(document.body.innerText);
        document.querySelectorAll('svg text').forEach(t => seen.push(t.textContent));
    };
    document.querySelectorAll('details').forEach(d => { d.open = true; });
    grab();
    const ind = document.getElementById('ctl-indicator'), lvl = document.getElementById('ctl-level');
    for (const value of [...ind.options].map(o => o.value)) {
        ind.value = value; ind.dispatchEvent(new Event('change'));
        await wait();
        for (const level of [...lvl.options].map(o => o.value)) {
            lvl.value = level; lvl.dispatchEvent(new Event('change'));
            await new Promise(r => setTimeout(r, 150));
            grab();
        }
    }
    return seen.join('\\n');
}"""


def test_every_catalogued_parameter_is_changed_here():
    """The test changes every parameter a stamp can name (a new parameter must be added to CHANGED)."""
    for nb, specs in params.SPECS.items():
        names = {p.name for p in specs} - {"lang", "out_dir"}
        assert names == set(CHANGED[nb]), nb
        for p in specs:  # allowed values, so the stamps word real values
            value = CHANGED[nb].get(p.name)
            if p.choices and value is not None:
                assert set(value if isinstance(value, list) else [value]) <= set(p.choices), (nb, p.name)


def _country_codes() -> set[str]:
    """The ISO 3166 alpha-3 codes the comparison charts label their dots with (and the stamps' highlight)."""
    ctx = json.loads((FIXTURES / "04_context.json").read_text(encoding="utf-8"))
    codes = {CHANGED["04_context"]["highlight"][i] for i in range(2)}
    for key in ("countries", "countries_gdl"):
        table = ctx["tables"].get(key)
        if table:
            codes |= {str(r[table["columns"].index("iso3")]) for r in table["rows"]}
    return codes


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    base = dash.collect(results_dir=FIXTURES)
    rows = {r["source_id"]: r for r in language_check.catalogue()}
    res = json.loads(json.dumps(base.results))
    drafts = res["03_consultations"]["tables"]["drafts"]
    act = drafts["columns"].index("act_type")
    for row in drafts["rows"]:  # the fixture's "resolution" is no act type of the register schema
        row[act] = {"resolution": "cabinet_resolution"}.get(row[act], row[act])
    trend = res["01_imbalance"]["tables"]["trend"]
    trend["sources"] = sorted({*trend.get("sources", []), *rows})
    sources = {**rows, **base.sources}
    origins = {
        nb: Origin(nb, "reports/runs/grid/0001", False, "2026-11-30", dict(changed)) for nb, changed in CHANGED.items()
    }
    inputs = dataclasses.replace(base, results=res, sources=sources, origins=origins)
    path = tmp_path_factory.mktemp("dash") / "dashboard.html"
    path.write_text(dash.render_html(dash.page_data(inputs)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seen(page_file):
    """The visible text of the ky and the ru page (every indicator × level walked, the sources opened)."""
    _need_chromium()
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for lang in ("ky", "ru", "en"):
                page = b.new_page(viewport={"width": 1280, "height": 900})
                page.goto(page_file.as_uri() + f"#lang={lang}")
                page.wait_for_selector("html[data-ready]", timeout=30_000)
                assert page.get_attribute("html", "data-ready") == "1", lang
                out[lang] = page.evaluate(WALK_JS)
                page.close()
        finally:
            b.close()
    return out


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_no_english_words_in_ky_ru_dashboard(seen, lang):
    left = language_check.not_in_language(seen[lang], _country_codes())
    assert not left, f"English words in the {lang} dashboard: {left}"


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_no_jargon_in_the_dashboard(seen, lang):
    assert not language_check.jargon(seen[lang]), lang


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_the_walk_saw_the_sources_and_the_stamps(seen, lang):
    """The text checked is the full page: the sources list (a NSC table title), the charts' SVG text and the stamps."""
    text = seen[lang]
    assert "Валовой региональный продукт" in text or "Региондук дүң продукт" in text
    assert "reports/runs/grid/0001" in text
    assert "weighted" not in text and "n_boot" not in text
