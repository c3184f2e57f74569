"""Policy briefs: built from SYNTHETIC fixture results (tests/fixtures/brief_results, invented values marked as
such) and synthetic square boundaries; checked through the text pdftotext extracts from the PDFs."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lsg_analysis.core import paths
from lsg_analysis.core.levels import LANGS
from lsg_analysis.outputs import brief, recommend
from lsg_analysis.outputs.brief import render as brief_render
from lsg_analysis.core.errors import DataError, LsgError, ParameterError

FIXTURES = Path(__file__).parent / "fixtures" / "brief_results"
DATE = dt.date(2026, 11, 25)
CODES = ["KG-B", "KG-J", "KG-Y", "KG-N", "KG-O", "KG-T", "KG-C", "KG-GB", "KG-GO"]


def _need_poppler() -> None:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) is missing in CI: run scripts/setup-system.sh")
        pytest.skip("pdftotext (poppler-utils) not installed: cannot read the PDFs' text")


def _text(pdf: Path, *, layout: bool = False) -> str:
    cmd = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    out = subprocess.run(cmd, check=True, capture_output=True).stdout
    return re.sub(r"\s+", " ", out.decode("utf-8"))  # no-break spaces and line ends → one space


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


@pytest.fixture(scope="module")
def boundaries():
    """SYNTHETIC boundaries: one square per level-1 code (tests only)."""
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame(
        {"code": CODES, "geometry": [box(70 + i, 40, 71 + i, 41) for i in range(9)]}, crs="EPSG:4326"
    )


@pytest.fixture(scope="module")
def briefs(tmp_path_factory, boundaries):
    out = tmp_path_factory.mktemp("briefs")
    paths = brief.build_briefs("all", out, results_dir=FIXTURES, boundaries=boundaries, date=DATE)
    return {p.stem.split("_")[1]: p for p in paths}


def test_three_briefs_of_two_to_four_pages(briefs):
    assert sorted(briefs) == ["en", "ky", "ru"]
    for pdf in briefs.values():
        assert pdf.read_bytes().startswith(b"%PDF")
        assert 2 <= _pages(pdf) <= 4


EXPECTED = {  # the fixture's numbers as each language must print them
    "ky": [
        "0,123",
        "0,101–0,146",
        "+25,0%",
        "27,1 эсе",
        "1 234,5",
        "-12,3 пайыздык пункт",
        "-1,77",
        "31,2%",
        "87,5%",
        "p = 0,012",
        "< 0,001",
        "4 512 км",
        "2026-жылдын 25-ноябры",
        "2026-жылдын 21-ноябры",
        "Тейл индекси, 2022-ж.",
    ],
    "ru": [
        "0,123",
        "+25,0 %",
        "27,1×",
        "1 234,5",
        "-12,3 п.п.",
        "-1,77",
        "31,2 %",
        "87,5 %",
        "p = 0,012",
        "< 0,001",
        "4 512 км",
        "25 ноября 2026 г.",
        "Индекс Тейла, 2022 г.",
    ],
    "en": [
        "0.123",
        "+25.0%",
        "27.1×",
        "1,234.5",
        "-12.3 p.p.",
        "-1.77",
        "31.2%",
        "87.5%",
        "p = 0.012",
        "< 0.001",
        "4,512 km",
        "25 November 2026",
        "Theil index, 2022",
    ],
}


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_numbers_formatted_per_language(briefs, lang):
    _need_poppler()
    text = _text(briefs[lang])
    for s in EXPECTED[lang]:
        assert re.sub(r"\s+", " ", s) in text, f"{lang}: {s!r} not in the PDF text"


def test_kyrgyz_letters_render_and_languages_do_not_mix(briefs):
    _need_poppler()
    ky, ru, en = (_text(briefs[x]) for x in ("ky", "ru", "en"))
    for ch in "ңөү":
        assert ch in ky
    assert "Ысык-Көл облусу" in ky and "Чүй облусу" in ky  # region names from the registry, in Kyrgyz
    assert not set("ңөүҢӨҮ") & set(ru), "Kyrgyz letters in the Russian brief"
    assert not re.search("[А-Яа-яЁё]", en), "Cyrillic in the English brief (a ky/ru fallback?)"


def test_missing_value_is_shown_as_no_data(briefs):
    _need_poppler()
    # Osh city has no value in the fixture; median discussion days is null
    en = _text(briefs["en"], layout=True)
    assert "Osh city No data available" in en
    assert "Synthetic draft on aiyl aimaks unknown No" in en  # register year "unknown" shown as unknown
    assert "Synthetic draft law on pastures 2021 Yes" in en  # year written as text "2021"
    assert "Срок общественного обсуждения, медиана (дней) Нет данных" in _text(briefs["ru"], layout=True)


def test_consultation_shows_bounds_not_a_confidence_interval(briefs):
    _need_poppler()
    en = _text(briefs["en"])
    assert "for 5 LSG involvement is unknown, so the share lies between 31.2% (unknown = no) and 46.9% (unknown" in en
    assert "Not a random sample, so no confidence interval" in en
    assert "2 later dated, sourced facts (2 December 2026) update 2 coded drafts" in en
    assert "Test: even if every draft whose LSG involvement is unknown had a public record" in en
    ru, ky = _text(briefs["ru"]), _text(briefs["ky"])
    assert "между 31,2 % (неизвестно = «нет») и 46,9 % (неизвестно = «да»)" in ru
    assert "31,2% (белгисиз = «жок») менен 46,9% (белгисиз = «ооба») ортосунда" in ky


def test_recommendations_follow_thresholds_and_state_their_test_in_a_footnote(briefs):
    _need_poppler()
    text = _text(briefs["en"])
    assert "(rule R" not in text  # no rule ids for a minister to read
    assert text.count("Test: ") == 7  # one footnote per fired rule
    assert "grew by 25.0% in 2012–2022" in text
    assert (
        "Test: the 95% paired bootstrap interval of the change of the Theil index 2012–2022, [+0.004; +0.045]" in text
    )


def test_byte_identical_rebuild(tmp_path, boundaries, briefs):
    again = brief.build_briefs("ky", tmp_path, results_dir=FIXTURES, boundaries=boundaries, date=DATE)[0]
    assert again.read_bytes() == briefs["ky"].read_bytes()


HOSTILE = [
    "#set page(width: 3cm) *bold* _it_ [x] $x^2$ \\ #pagebreak() </script>",
    '"); #panic("boom") // ]] #{ 1 + 1 } @ref <label> `raw`',
]


def test_hostile_titles_render_literally(tmp_path, boundaries, briefs):
    _need_poppler()
    folder = tmp_path / "results"
    shutil.copytree(FIXTURES, folder)
    path = folder / "03_consultations.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["tables"]["drafts"]["rows"][0][1] = HOSTILE[0]
    data["tables"]["drafts"]["rows"][1][1] = HOSTILE[1]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for other in folder.glob("*.json"):  # the source T2 as every results file records it
        res = json.loads(other.read_text(encoding="utf-8"))
        if "T2" in res["sources"]:
            res["sources"]["T2"].update(
                title="Source *with* #emph[markup] $pi$", url="https://example.org/a?b=[c]#d (xlsx, table 1)"
            )
            other.write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")
    pdf = brief.build_briefs("en", tmp_path / "out", results_dir=folder, boundaries=boundaries, date=DATE)[0]
    text = _text(pdf)
    for title in HOSTILE:
        assert re.sub(r"\s+", " ", title) in text
    assert "Source *with* #emph[markup] $pi$" in text
    # printed without the scheme (the link keeps it), without the catalogue's English remark after the URL (the
    # data sources table keeps it); a long URL may wrap in the two-column source list
    assert "example.org/a?b=[c]#d" in text.replace(" ", "") and "(xlsx,table1)" not in text.replace(" ", "")
    assert _pages(pdf) == _pages(briefs["en"])  # no #pagebreak, no page-size change took effect
    sizes = {m for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf.read_bytes())}
    assert len(sizes) == 1


def test_missing_results_file_says_run_lsg_run(tmp_path, boundaries, monkeypatch):
    """A notebook missing from the run's folder and from the default results: one clear error."""
    shutil.copy(FIXTURES / "01_imbalance.json", tmp_path)
    monkeypatch.setattr(paths, "RESULTS", tmp_path / "no_default_results")
    with pytest.raises(DataError, match="run `lsg run` first"):
        brief.build_briefs("en", tmp_path / "out", results_dir=tmp_path, boundaries=boundaries, date=DATE)
    assert not (tmp_path / "out").exists()


def test_bad_language_is_a_parameter_error(boundaries):
    with pytest.raises(ParameterError, match="lang"):
        brief.build_briefs("de", results_dir=FIXTURES, boundaries=boundaries)


def test_fonts_are_typst_bundled_and_embedded(briefs):
    _need_poppler()
    out = subprocess.run(["pdffonts", str(briefs["ky"])], capture_output=True, text=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows and all("LibertinusSerif" in r[0] for r in rows), out
    assert all("yes" == r[-5] for r in rows), out  # emb column


# ---------------------------------------------------------------- recommendation rules


def _results() -> dict:
    return {nb: json.loads((FIXTURES / f"{nb}.json").read_text(encoding="utf-8")) for nb in brief.NOTEBOOKS}


def test_rules_fire_on_thresholds():
    res = _results()
    assert [r.rule for r in recommend.fired(res)] == ["R1", "R2", "R3", "R4", "R5", "R6", "R7"]
    con = res["03_consultations"]["metrics"]
    con["public_record_share_bound_high"]["value"] = 0.5  # share 31 % < 50 %, but the unknowns allow 50 %: no R6
    assert "R6" not in [r.rule for r in recommend.fired(res)]
    con["public_record_share_bound_high"]["value"] = 0.46875
    res["02_migration_border"]["metrics"]["growth_gap_p"]["value"] = 0.2  # gap no longer significant
    res["01_imbalance"]["metrics"]["max_min_ratio_last"]["value"] = 2.99  # just under the threshold 3
    assert "R4" not in [r.rule for r in recommend.fired(res)]
    assert "R2" not in [r.rule for r in recommend.fired(res)]


def test_missing_metric_never_triggers_a_rule():
    res = _results()
    for nb in res.values():
        for m in nb["metrics"].values():
            m["value"] = None
    assert recommend.fired(res) == []


def test_bad_rule_file_names_row_and_column(tmp_path):
    bad = tmp_path / "rules.csv"
    bad.write_text(
        "rule,notebook,metric,op,threshold,message,why\nR1,01_imbalance,x,=>,0,rec_none,\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r'row 2, column "op"'):
        recommend.load_rules(bad)


def test_every_rule_message_exists_in_all_languages():
    from lsg_analysis.outputs import i18n

    for rule in recommend.load_rules():
        for lang in LANGS:
            for direction in rule.applies_to or ("yes", "no", "neutral"):
                assert i18n.has(rule.message_key(direction), lang), (rule.rule, direction, lang)
            assert i18n.has(rule.test, lang), (rule.rule, lang)


def test_p_thresholds_of_the_rules_are_the_significance_level_of_the_claims():
    from lsg_analysis.outputs import headlines

    ps = {c.threshold for rule in recommend.load_rules() for c in rule.conditions if c.metric.endswith("_p")}
    assert ps == {headlines.SIGNIFICANCE}


def test_rules_need_evidence_not_a_sign():
    """R1: a rise whose interval includes 0 is no evidence; R3: a positive β slope with p = 0.167 is none either."""
    res = _results()
    res["01_imbalance"]["metrics"]["theil_change_ci_low"]["value"] = -0.001
    res["01_imbalance"]["metrics"]["beta_p"]["value"] = 0.167
    assert [r.rule for r in recommend.fired(res)] == ["R2", "R4", "R5", "R6", "R7"]
    res["01_imbalance"]["metrics"]["theil_change_ci_low"]["value"] = None  # not tested (n_boot = 0)
    assert "R1" not in [r.rule for r in recommend.fired(res)]


def test_rules_for_the_lagging_regions_do_not_fire_for_a_neutral_indicator():
    res = _results()
    res["01_imbalance"]["metrics"]["indicator"]["value"] = "population_start_of_year"  # higher_is_better: neutral
    assert [r.rule for r in recommend.fired(res)] == ["R4", "R5", "R6", "R7"]


def test_missing_boundaries_loader_is_a_clear_error(monkeypatch):

    def boom(level):
        raise ImportError("no module lsg_analysis.data.load")

    monkeypatch.setattr("lsg_analysis.geo.boundaries.load_boundaries", boom)
    with pytest.raises(LsgError, match="lsg data build"):
        brief.build_briefs("en", results_dir=FIXTURES)


def test_long_ranking_keeps_top_and_bottom():
    res = _results()
    codes = [f"KG-{c}" for c in ("B", "J", "Y", "N", "O", "T", "C")] * 3  # 21 SYNTHETIC rows
    res["01_imbalance"]["tables"]["by_region"]["rows"] = [[c, 2022, float(i), 1.0, "ns"] for i, c in enumerate(codes)]
    res["01_imbalance"]["metrics"]["top_code"]["value"] = "KG-B"
    rows = brief.brief_content("en", res, DATE)["ranking"]
    assert len(rows) == 2 * brief.RANKING_ENDS + 1 and rows[brief.RANKING_ENDS] == ["…", "…"]
    assert rows[0][1] == "20.0" and rows[-1][1] == "0.0"


def test_missing_border_and_migration_numbers_say_no_data():
    res = _results()
    res["02_migration_border"]["metrics"]["net_migration_national_last"]["value"] = None
    res["02_migration_border"]["metrics"]["border_km_total"]["value"] = None
    lines = brief.brief_content("ky", res, DATE)["border_lines"][1:]  # [0]: the interior units (test_brief_border)
    assert lines == [
        "Мамлекеттик чек аранын узундугу: Маалыматтар жеткиликтүү эмес.",
        "Миграциянын сальдосу, Кыргыз Республикасы: Маалыматтар жеткиликтүү эмес.",
    ]


# ---------------------------------------------------------------- change across a series break; sources


def _metric(value, unit, year=None) -> dict:
    return {"value": value, "unit": unit, "year": year, "sources": ["T1"], "note": ""}


def _with_breaks(res: dict, unbroken: float | None = 19.86) -> dict:
    """SYNTHETIC: series breaks before 2019 and 2021, so only 2012–2018 is comparable."""
    imb = res["01_imbalance"]
    cols = imb["tables"]["trend"]["columns"]
    for row in imb["tables"]["trend"]["rows"]:
        row[cols.index("break")] = {2019: "method", 2021: "population vintage"}.get(row[0])
    span = (2012, 2018) if unbroken is not None else (None, None)
    imb["metrics"].update(
        theil_change_pct=_metric(None, "percent", "2012-2022"),
        theil_change_pct_unbroken=_metric(unbroken, "percent", "2012-2018" if unbroken is not None else None),
        unbroken_year_first=_metric(span[0], "year"),
        unbroken_year_last=_metric(span[1], "year"),
        theil_unbroken_first=_metric(0.2025 if unbroken is not None else None, "index", span[0]),
        theil_unbroken_last=_metric(0.2427 if unbroken is not None else None, "index", span[1]),
    )
    return res


@pytest.mark.parametrize(
    "lang, value, label, detail",
    [
        (
            "en",
            "+19.9%",
            "Change of the Theil index, 2012–2018, the longest period without a series break",
            "Theil index 0.203 in 2012, 0.243 in 2018. Not measured over 2012–2022: series breaks 2018→2019, 2020→2021.",
        ),
        (
            "ru",
            "+19,9\u00a0%",
            "Изменение индекса Тейла за 2012–2018 гг. — самый длинный период без разрыва ряда",
            "За 2012–2022 гг. не рассчитано: разрывы ряда 2018→2019, 2020→2021.",
        ),
        (
            "ky",
            "+19,9%",
            "Тейл индексинин өзгөрүшү, 2012–2018-жж. — катардын үзүлүшү жок эң узак мезгил",
            "2012–2022-жж. үчүн эсептелген жок: катардын үзүлүштөрү 2018→2019, 2020→2021.",
        ),
    ],
)
def test_change_across_a_break_shows_the_longest_unbroken_period(lang, value, label, detail):
    finding = brief.brief_content(lang, _with_breaks(_results()), DATE)["findings"][1]
    assert finding["value"] == value and finding["label"] == label
    assert detail in finding["detail"]


def test_change_without_any_comparable_period_says_no_data():
    finding = brief.brief_content("en", _with_breaks(_results(), unbroken=None), DATE)["findings"][1]
    assert finding["value"] == "No data available" and finding["missing"]
    assert finding["label"] == "Change of the Theil index, 2012–2022"
    assert "series breaks 2018→2019, 2020→2021 leave no two comparable years" in finding["detail"]


def test_change_without_a_break_is_the_whole_window():
    finding = brief.brief_content("en", _results(), DATE)["findings"][1]
    assert finding["value"] == "+25.0%" and finding["label"] == "Change of the Theil index, 2012–2022"


def _with_derived_source(res: dict) -> dict:
    """SYNTHETIC: the indicator computed by the project from T1 and T3 (T3 only in the catalogue entry)."""
    derived = {
        "source_id": "T1+T3",
        "producer": "lsg-analysis (derived)",
        "url": "",
        "accessed": "",
        "title": "grp_per_capita = grp_current / mean population_start_of_year",
        "inputs": ["T1", "T3"],
    }
    res["01_imbalance"]["sources"]["T1+T3"] = derived
    res["01_imbalance"]["sources"]["T3"] = {
        "source_id": "T3",
        "producer": "SYNTHETIC producer three",
        "title": "Synthetic population table",
        "url": "https://example.org/t3",
    }
    return res


def test_derived_source_lists_its_input_tables_and_its_formula():
    content = brief.brief_content("ru", _with_derived_source(_results()), DATE)
    listed = [s["id"] for col in content["sources"] for s in col]
    assert listed == ["T1", "T2", "T3"]  # every producer table once, the derived id not as a source
    assert any(
        s["url"] == "example.org/t3" and s["href"] == "https://example.org/t3"
        for col in content["sources"]
        for s in col
    )
    formula = [m for m in content["method"] if m.startswith("Рассчитано проектом")]
    assert formula == [
        "Рассчитано проектом: ВРП на душу населения в текущих ценах = Валовой региональный продукт "
        "(ВРП) в текущих ценах (T1) / среднее значений показателя «Численность постоянного населения "
        "на начало года» на начало года и на начало следующего года (T3)."
    ]


def test_a_derived_input_missing_from_the_results_comes_from_the_catalogue():
    res = _results()
    res["01_imbalance"]["sources"]["S14+D01"] = {
        "source_id": "S14+D01",
        "inputs": ["S14", "D01"],
        "title": "grp_per_capita = grp_current / mean population_start_of_year",
    }
    items = {s["id"]: s for col in brief.brief_content("en", res, DATE)["sources"] for s in col}
    assert {"S14", "D01"} <= set(items) and "S14+D01" not in items
    assert "Gross regional product" in items["S14"]["text"] and "stat.gov.kg" in items["S14"]["url"]


def test_repeated_producer_names_are_spelt_out_once():
    assert brief.short_producers(["Long Office (LO) (figures)", "Long Office (LO), platform", "Other (Admin-0 x)"]) == [
        "Long Office (LO) (figures)",
        "LO, platform",
        "Other (Admin-0 x)",
    ]


def _last_page_lines(pdf: Path) -> int:
    n = _pages(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return sum(1 for line in out.splitlines() if line.strip()) - 1  # minus the footer


def test_no_near_empty_last_page_as_the_sources_grow(tmp_path, boundaries, monkeypatch):
    """The bug: a third page holding two lines of the sources list. SYNTHETIC source titles grow step by step across
    the end of page 2: a brief that would spill a few lines is set slightly denser (and keeps two pages); one that
    spills more keeps its third page, with real content on it."""
    _need_poppler()
    renders = []
    compile_ = brief_render.compile_brief

    def spy(root, lang, content, *, dense, roomy=False):
        pdf, end = compile_(root, lang, content, dense=dense, roomy=roomy)
        (roomier if roomy else renders).append((words, dense, end["page"]))
        return pdf, end

    roomier = []

    monkeypatch.setattr(brief_render, "compile_brief", spy)
    res = _results()
    for row in res["03_consultations"]["tables"]["drafts"]["rows"]:
        row[1] = "Synthetic draft " + "title " * 76
    for words in (*range(0, 10, 2), *range(10, 80, 10)):
        for i in range(3, 15):
            res["01_imbalance"]["sources"][f"T{i}"] = {
                "source_id": f"T{i}",
                "producer": "SYNTHETIC producer",
                "title": "Synthetic table " + "word " * words,
                "url": f"https://example.org/{i}.csv",
            }
        pdf = tmp_path / f"brief_{words}.pdf"
        pdf.write_bytes(brief.render_pdf("en", res, boundaries, DATE))
        assert 2 <= _pages(pdf) <= 4
        assert _pages(pdf) == 2 or _last_page_lines(pdf) >= 8, f"{words} words: last page nearly empty"
        # larger source type only when it keeps the page count of the normal layout
        normal = next(page for w, dense, page in renders if w == words and not dense)
        assert _pages(pdf) in (normal, *(page for w, dense, page in renders if w == words and dense))
        if any(w == words and page == normal for w, _, page in roomier):
            assert _pages(pdf) == normal
    assert roomier, "the larger source type is never tried"
    saved = {w for w, dense, page in renders if dense and page == 2}
    assert saved, f"the sweep no longer crosses the end of page 2 (adjust it): {renders}"
    assert any(not dense and page == 3 and w in saved for w, dense, page in renders)


def test_ranking_names_its_unit_and_year():
    res = _results()
    assert brief.brief_content("ky", res, DATE)["text"]["ranking"] == "Рейтинг, миң сом (адам башына), 2022-ж."
    res["01_imbalance"]["metrics"]["top_value"]["unit"] = "index"
    assert brief.brief_content("en", res, DATE)["text"]["ranking"] == "Ranking, 2022"
