"""Dashboard without a browser: escaping, specs, page data, file size, determinism (SYNTHETIC fixture data)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lsg_analysis.core.levels import LANGS
from lsg_analysis.outputs import dashboard as dash
from lsg_analysis.outputs import i18n

from dashboard_fixture import HOSTILE_TITLE, inputs

FAKE_BUNDLE = "window.vegaEmbed = function () {};"


@pytest.fixture(scope="module")
def data():
    return dash.page_data(inputs())


@pytest.fixture(scope="module")
def page(data):
    return dash.render_html(data, bundle=FAKE_BUNDLE)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(), kids, max_size=4),
        max_leaves=20,
    )
)
def test_script_json_round_trips_and_never_contains_markup_characters(value):
    text = dash.script_json(value)
    assert json.loads(text) == value
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}


def test_script_json_escapes_a_closing_script_tag():
    text = dash.script_json({"title": "</script><script>alert(1)</script>"})
    assert "</script" not in text.lower()
    assert text == '{"title":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}'


def test_script_json_refuses_nan():
    with pytest.raises(ValueError):
        dash.script_json({"x": float("nan")})


def test_inline_script_refuses_a_bundle_that_would_end_the_script():
    with pytest.raises(ValueError, match="</script"):
        dash.inline_script("var s = '</SCRIPT>';", "test bundle")


def test_vega_bundle_is_made_once_per_version_and_then_read_from_the_cache(tmp_path, monkeypatch):
    import altair as alt
    import vl_convert as vlc

    from lsg_analysis.core import paths

    monkeypatch.setattr(paths, "CACHE", tmp_path)
    made = dash.vega_bundle()
    vega_lite = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])  # e.g. v6.4.1 → 6.4
    assert made == vlc.javascript_bundle(vl_version=vega_lite)
    (cached,) = tmp_path.iterdir()
    assert f"vl{vega_lite}_" in cached.name and vlc.__version__ in cached.name
    assert cached.read_text(encoding="utf-8") == made

    def refuse(**_: object) -> str:
        raise AssertionError("made again although cached")

    monkeypatch.setattr(vlc, "javascript_bundle", refuse)
    cached.write_text("window.cached = 1;", encoding="utf-8")
    assert dash.vega_bundle() == "window.cached = 1;"  # the cache's text, vl-convert not asked


def test_hostile_title_appears_only_escaped_in_the_page(page):
    assert HOSTILE_TITLE not in page
    assert page.lower().count("<script") == 3  # bundle, data, app: nothing injected
    blob = re.search(r'<script type="application/json" id="lsg-data">(.*?)</script>', page, re.S).group(1)
    drafts = json.loads(blob)["drafts"]
    assert HOSTILE_TITLE in drafts["data"][drafts["columns"].index("title")]


def test_csp_allows_exactly_the_two_inline_scripts_and_no_network(page):
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for s in scripts:
        assert dash.csp_hash(s) in csp
    assert "default-src 'none'" in csp and "connect-src data: blob:" in csp
    assert "http" not in csp.replace("http-equiv", "")


def test_every_spec_is_valid_vega_lite_and_compiles():
    import altair as alt
    import vl_convert as vlc
    from altair.utils.schemapi import validate_jsonschema

    schema = alt.vegalite.v6.schema.core.load_schema()
    version = "_".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    for lang in LANGS:
        for name, spec in dash.specs(lang).items():
            validate_jsonschema(spec, schema)
            vega = vlc.vegalite_to_vega(spec, vl_version=version)
            assert vega["marks"], (lang, name)


def test_specs_are_localised():
    ky, en = dash.specs("ky"), dash.specs("en")
    assert ky["rates"]["layer"][3]["encoding"]["text"]["value"] == "маалымат жетишсиз"
    assert en["rates"]["layer"][3]["encoding"]["text"]["value"] == "insufficient data"
    assert ky["map"]["layer"][1]["encoding"]["tooltip"][0]["field"] == "properties.name_ky"


def test_specs_keep_what_app_js_edits_and_name_their_data():
    """app.js trims layers by position and sets facet.row.header and layer[0].mark: the Altair specs keep that."""
    s = dash.specs("en")
    assert [lay["mark"]["type"] for lay in s["trend"]["layer"]] == ["area", "line", "rule", "text"]  # phone: [:3]
    assert [lay["data"] for lay in s["ranking"]["layer"]] == [{"name": "rank"}, {"name": "national"}]
    assert s["rates"]["layer"][0]["mark"] == {
        "type": "text",
        "align": "left",
        "baseline": "bottom",
        "dy": -8,
        "fontSize": 11,
        "color": "#1f2933",
    }
    assert s["border"]["facet"]["row"]["header"]["labelLimit"] == 0
    assert s["border"]["resolve"] == {"scale": {"x": "independent"}}
    assert {n: sp.get("data") for n, sp in s.items() if n != "ranking"} == {
        "map": {"name": "geo"},
        "trend": {"name": "trend"},
        "measures": {"name": "measures"},
        "border": {"name": "border"},
        "growth": {"name": "growth"},
        "rates": {"name": "rates"},
        "by_year": {"name": "by_year"},
        "context": {"name": "context"},
        "profile_trend": {"name": "spark"},
    }
    for name, spec in s.items():  # no inline rows and no Altair theme defaults (the page sizes every chart)
        assert "datasets" not in spec and "continuousWidth" not in json.dumps(spec), name
        assert spec["config"]["font"].startswith("DejaVu Sans"), name


def test_page_data_keeps_missing_values_missing(data):
    rates = {r["indicator"]: r for r in data["datasets"]["rates"]}
    assert rates["I03b"]["suppressed"] and rates["I03b"]["value"] is None
    assert rates["I03b"]["text_en"].startswith("insufficient data")
    assert "C01" not in rates  # only the share-type indicators are charted
    assert [k["value"] for k in data["kpis"]["en"]["trend"]][1] == "No data available"  # theil_change_pct null


def test_page_data_levels_and_names(data):
    meta = data["meta"]
    assert meta["grp_per_capita"]["levels"] == {"oblast": [2019, 2020, 2021], "rayon": []}
    assert meta["poverty_rate"]["levels"] == {"oblast": [2016], "rayon": [2016]}  # Bishkek is on both maps
    assert data["names"]["KG-GB"]["levels"] == ["oblast", "rayon"]  # Bishkek on both maps
    assert data["names"]["KG08203000000"]["ky"] == "Аламүдүн району"
    assert meta["poverty_rate"]["unit"] == {"ky": "%", "ru": "%", "en": "%"}
    assert meta["grp_per_capita"]["unit"]["ru"] == "тыс. сом на человека"


def test_map_title_says_the_level_once(data):
    """The map and ranking titles add the level ("— Districts and cities, 2016"): a name that states the level
    ("Poverty rate by rayon") loses it there (i18n.without_level, the brief's rule), in every language; the
    indicator list keeps the full name."""
    m = data["meta"]["poverty_rate"]
    assert m["name"]["en"] == "Poverty rate by rayon"
    assert m["title"]["rayon"] == {"en": "Poverty rate", "ru": "Уровень бедности", "ky": "Кедейчиликтин деңгээли"}
    assert m["title"]["oblast"]["en"] == "Poverty rate by rayon"  # another level: nothing taken out
    assert data["meta"]["grp_per_capita"]["title"]["oblast"]["ru"] == "ВРП на душу населения"


def test_year_spans_on_the_page_have_an_en_dash(data):
    """The recorded window "2012-2021" is printed 2012–2021 (i18n.span_text) in the border view's titles, cards
    and caption period, in every language; the CSV keeps the value as recorded."""
    import re

    assert data["views"]["border"]["period"] == "2012–2021"
    for lang in ("ky", "ru", "en"):
        shown = [data["messages"][lang][k] for k in ("_border_title", "_growth_title", "_trend_title")]
        shown += [k[f] for v in data["kpis"][lang].values() for k in v for f in ("label", "note", "value")]
        shown += [r[f"label_{lang}"] for r in data["datasets"]["border"]]
        assert not [t for t in shown if re.search(r"\d{4}-\d{4}", t)], lang
        assert "2012–2021" in data["messages"][lang]["_growth_title"], lang
    border_csv = data["csv"]["border"][0]["table"]
    assert "2012-2021" in border_csv["data"][border_csv["columns"].index("period")]


def test_context_labels_on_neighbouring_ranks_get_their_own_lanes():
    """CHN, UZB, RUS on ranks 32–34 of 60: each label in its own lane at the narrowest plot (200 px: 3.4 px a
    rank, a label 18.6 px wide), checked here in pixels; the labels far apart stay in lane 0."""
    from dashboard_fixture import context_results

    from lsg_analysis.outputs.dashboard import datasets

    rows = datasets.context_data(context_results(), "countries_gdl")
    lanes = {r["iso3"]: r["label_lane"] for r in rows if r["kind"] != "other"}
    assert lanes == {"CHN": 0, "UZB": 1, "RUS": 2, "KGZ": 0, "KAZ": 0}
    assert {r["label_lane"] for r in rows if r["kind"] == "other"} == {None}
    px = {r["iso3"]: (r["rank"] - 1) * 200 / 59 + 5 for r in rows if r["kind"] != "other"}  # label's left, px
    for a in px:  # one lane: 3 characters of 6.2 px never reach the next label
        assert all(px[b] - px[a] >= 18.6 for b in px if lanes[b] == lanes[a] and px[b] > px[a]), a


def test_trend_segments_split_at_series_breaks(data):
    trend = data["datasets"]["trend"]
    assert [r["segment"] for r in trend] == [0, 0, 1, 1, 1]
    assert [r["break_x"] for r in trend if r["break_x"] is not None] == [2018.5]


def test_caveat_states_the_sample_size_in_every_language(data):
    for lang in LANGS:
        assert "n = 42" in data["messages"][lang]["_consult_caveat"]
    assert "random sample" in data["messages"]["en"]["_consult_caveat"]


def test_consultation_shows_n_and_bounds_not_a_confidence_interval(data):
    kpi = data["kpis"]["en"]["consult"][0]
    assert kpi["note"] == "n = 40; bounds if unknowns are no / yes 25.0%–40.0%", kpi
    rates = {r["indicator"]: r for r in data["datasets"]["rates"]}
    assert rates["P01"]["text_en"].startswith("25.0%; bounds if unknowns are no / yes 25.0%–40.0%")
    assert (rates["P01"]["low"], rates["P01"]["high"]) == (0.25, 0.40)  # the whiskers are the bounds
    assert "confidence interval" not in rates["I02"]["text_en"] + kpi["note"]
    assert "границы, если неизвестные" in data["kpis"]["ru"]["consult"][0]["note"]
    caveat = data["messages"]["en"]["_consult_caveat"]
    assert "3 later dated, sourced facts (2 December 2026) update 2 coded drafts" in caveat, caveat


def test_javascript_url_of_a_source_is_kept_as_text_only(page):
    assert 'href="javascript' not in page  # links are made in the page only for http(s) URLs (app.js)


def test_unknown_indicator_unit_is_a_clear_error():
    from lsg_analysis.outputs.i18n import TranslationError

    with pytest.raises(TranslationError, match="unit_furlongs"):
        i18n.unit_label("furlongs", "ky")


def test_two_builds_are_byte_identical():
    a = dash.render_html(dash.page_data(inputs()), bundle=FAKE_BUNDLE)
    b = dash.render_html(dash.page_data(inputs()), bundle=FAKE_BUNDLE)
    assert a == b


def test_real_page_is_small_and_self_contained(tmp_path):
    html = dash.render_html(dash.page_data(inputs()))
    size = len(html.encode("utf-8"))
    assert size < 5_000_000
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing loaded from elsewhere


def test_geo_features_are_clockwise_rounded_and_keep_shared_borders():
    import geopandas as gpd
    import shapely
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame(
        {"code": ["A", "B"]}, geometry=[box(70, 40, 71.00012345, 41), box(71.00012345, 40, 72, 41)], crs="EPSG:4326"
    )
    feats = dash.geo_features(gdf)
    for f in feats:
        ring = f["geometry"]["coordinates"][0]
        assert not shapely.Polygon(ring).exterior.is_ccw
        assert all(round(x, 3) == x for pt in ring for x in pt)
    shared_a = {tuple(p) for p in feats[0]["geometry"]["coordinates"][0]}
    shared_b = {tuple(p) for p in feats[1]["geometry"]["coordinates"][0]}
    assert {(71.0, 40.0), (71.0, 41.0)} <= shared_a & shared_b


def test_build_dashboard_says_what_is_missing(tmp_path, monkeypatch):
    from lsg_analysis.core import paths
    from lsg_analysis.core.errors import DataError

    monkeypatch.setattr(paths, "RESULTS", tmp_path / "results")
    with pytest.raises(DataError, match="01_imbalance"):
        dash.build_dashboard(tmp_path / "d.html")
    assert not (tmp_path / "d.html").exists()


def test_blank_indicator_name_is_an_error_naming_the_cell():
    import dataclasses

    from lsg_analysis.core.errors import DataError

    good = inputs()
    meta = good.meta.copy()
    meta.loc[1, "name_ky"] = float("nan")
    with pytest.raises(DataError, match=r"indicator_meta.csv, row 3, column \"?name_ky"):
        dash.page_data(dataclasses.replace(good, meta=meta))


def test_border_measures_are_labelled_by_id_in_every_language(data):
    from lsg_analysis.analysis import border_interior
    from lsg_analysis.outputs import i18n

    for mid in border_interior.MEASURES:  # every measure notebook 02 can record has a label in ky, ru and en
        assert all(i18n.has(dash.MEASURE_KEY_PREFIX + mid, lang) for lang in LANGS), mid
    rows = {(r["measure"], r["group"]): r for r in data["datasets"]["border"]}
    assert rows[("poverty_rate", "border")]["label_ru"] == (
        "Уровень бедности, % (взвешено по численности населения) — по областям, 2022, n = 3 / 2"
    )
    assert rows[("population_growth", "interior")]["label_en"] == (
        "Mean annual population growth, % (unweighted) — by oblast, 2012–2021, n = 3 / 2"
    )


def test_border_view_shows_the_rural_rayon_poverty_comparison_with_n_and_level(data):
    """The rayon rows of notebook 02's table are drawn with level, year and n; the headline numbers carry them."""
    rows = {(r["measure"], r["group"]): r for r in data["datasets"]["border"]}
    b, i = rows[("rayon_poverty_rate", "border")], rows[("rayon_poverty_rate", "interior")]
    assert (b["value"], i["value"]) == (19.5, 36.25)
    assert b["label_en"] == ("Poverty rate of rural districts, % (population-weighted) — by district, 2020, n = 30 / 8")
    assert b["stat_en"] == "p = 0.003; n = 30" and i["stat_en"] == "p = 0.003; n = 8"
    kpi = data["kpis"]["en"]["border"][0]
    assert kpi["value"] == "-16.8\u00a0p.p." and kpi["label"].startswith("Poverty rate, border minus interior rural")
    assert "(n = 30)" in kpi["note"] and "(n = 8)" in kpi["note"] and "p = 0.003" in kpi["note"]
    growth = data["kpis"]["en"]["border"][3]["note"]
    assert "interior units: Bishkek city, Osh city" in growth
    assert "n = 7 border and 2 interior" in growth  # the growth comparison's own n, not the map level's units
    assert data["messages"]["ru"]["_border_title"].startswith("Приграничные и внутренние единицы: области и города")
    csv_rows = data["csv"]["border"][0]["table"]  # the view's CSV holds the rayon rows with their level
    assert "level" in csv_rows["columns"] and "rayon" in csv_rows["data"][csv_rows["columns"].index("level")]
    assert "rayon_poverty_rate" in csv_rows["data"][csv_rows["columns"].index("measure_id")]


def test_unknown_measure_id_is_an_error_naming_the_row():
    import dataclasses

    from lsg_analysis.core.errors import DataError

    good = inputs()
    mig = json.loads(json.dumps(good.results["02_migration_border"]))
    mig["tables"]["border_vs_interior"]["rows"][1][0] = "poverty rate (free text)"
    results = dict(good.results, **{"02_migration_border": mig})
    with pytest.raises(DataError, match=r'row 3, column "?measure_id"?: found "poverty rate \(free text\)"'):
        dash.page_data(dataclasses.replace(good, results=results))


def test_collect_reads_the_default_series_through_the_validated_loader(monkeypatch):
    from lsg_analysis.data import processed

    calls = []
    real = processed.load_indicators
    monkeypatch.setattr(processed, "load_indicators", lambda *a, **k: calls.append(k) or real(*a, **k))
    got = dash.collect(results_dir=Path(__file__).parent / "fixtures" / "brief_results")  # runs without `lsg run`
    assert calls and calls[0].get("source") is None  # default series, validated on read
    key = ["code", "year", "indicator"]
    assert not got.indicators.duplicated(key).any()
    assert got.indicators.set_index(key).loc[("KG", 2024, "migration_arrivals_external"), "value"] == 14669.0


def test_change_kpi_across_a_break_shows_the_longest_unbroken_run():
    src = inputs()
    metrics = src.results["01_imbalance"]["metrics"]
    for key, value in (
        ("theil_change_pct_unbroken", 10.0),
        ("unbroken_year_first", 2019),
        ("unbroken_year_last", 2021),
    ):
        metrics[key] = {"value": value, "unit": "", "year": "2019-2021", "sources": ["SYN1"], "note": ""}
    _, kpis = dash.texts(src, "ru")
    change = kpis["trend"][1]
    assert change["value"] == "+10,0\u00a0%" and "2019–2021" in change["label"]
    assert change["note"] == "Изменение не проверено: в этом расчёте нет его бутстреп-интервала."  # no interval
    for key, value in (("theil_change_ci_low", -0.01), ("theil_change_ci_high", 0.03)):
        metrics[key] = {"value": value, "unit": "index", "year": "2019-2021", "sources": ["SYN1"], "note": ""}
    note = dash.texts(src, "en")[1]["trend"][1]["note"]
    assert note.startswith("No change shown") and "[-0.010; +0.030]" in note  # the interval includes 0


def test_sources_block_speaks_the_readers_language():
    """Producer and title by the brief's rule (outputs/source_text), no raw: id, no link that is not http(s), only
    plain dates (localised); a derived series is its method sentence."""
    from lsg_analysis.outputs.dashboard import sources

    infos = {
        "S14": {
            "producer": "National Statistical Committee of the Kyrgyz Republic (NSC KR)",
            "title": "1010009 Gross regional product",
            "url": "https://stat.gov.kg/ru/statistics/nacionalnye-scheta/",
            "published": "2024-01-23 (workbook last-modified metadata)",
            "accessed": "2026-11-25",
        },
        "raw:consultations/register_coded_3.csv": {
            "producer": "lsg-analysis project coders",
            "title": "Register of draft acts, batch 3",
            "url": "shared/data/consultations/register_coded_3.csv",
            "published": "2026-12-02",
            "accessed": "2026-12-02",
        },
        "S14+S01": {
            "producer": "lsg-analysis (derived)",
            "title": "grp_per_capita = grp_current / mean population_start_of_year",
            "inputs": "S14;S01",
        },
        "S01": {"producer": "National Statistical Committee of the Kyrgyz Republic", "title": "Resident population"},
    }
    block = sources.sources_block(infos, {"S14+S01", "raw:consultations/register_coded_3.csv"})
    assert sorted(block) == ["S01", "S14", "S14+S01", "raw:consultations/register_coded_3.csv"]
    s14, reg, derived = block["S14"], block["raw:consultations/register_coded_3.csv"], block["S14+S01"]
    assert s14["producer"]["ru"] == "Национальный статистический комитет Кыргызской Республики (Нацстатком)"
    assert s14["title"] == {
        "ky": "Региондук дүң продукт (РДП) учурдагы баалар менен",
        "ru": "Валовой региональный продукт (ВРП) в текущих ценах",
        "en": "Gross regional product (GRP) at current prices (mln som)",
    }
    assert (s14["link"], s14["href"]) == ("stat.gov.kg/ru/statistics/nacionalnye-scheta/", infos["S14"]["url"])
    assert s14["dates"]["ru"] == "дата обращения 25 ноября 2026\u00a0г."  # the workbook metadata is no date shown
    assert reg["id"] == "" and (reg["link"], reg["href"]) == ("", "")
    assert reg["title"]["ky"].endswith("реестри, 3-бөлүк") and reg["title"]["en"] == "«Register of draft acts, batch 3»"
    assert reg["dates"]["en"] == "published 2 December 2026; accessed 2 December 2026"
    assert derived["producer"]["ru"] == "" and derived["inputs"] == ["S14", "S01"]
    assert derived["title"]["ru"].startswith("Рассчитано проектом: ") and "(S14)" in derived["title"]["ru"]
    assert "grp_current" not in derived["title"]["ky"] and not derived["title"]["ky"].endswith(".")


def test_profile_data_keeps_gaps_order_and_the_pdf_cells():
    """The profile view's rows: the PDF profile's cells per language, the trend one value a year with None for a
    missing year and not drawn there (drawing.pieces), units ordered oblasts first then by name, units the page
    cannot name left out."""
    import dataclasses

    from lsg_analysis.outputs import profile_numbers as pn
    from lsg_analysis.outputs.dashboard.datasets import profile_data, region_names
    from lsg_analysis.outputs.profile.render import profile_content

    good = inputs()
    line = pn.IndicatorLine(
        indicator="poverty_rate",
        value=12.0,
        year=2020,
        unit="percent",
        source_id="SYN1",
        rank=2,
        peers=5,
        national=None,
        gap=None,
        flagged=True,
        trend=[(2017, 13.0), (2018, 12.5), (2019, None), (2020, 12.0)],
    )
    rayon, oblast = "KG04220000000", "KG-C"
    other = dataclasses.replace(line, indicator="grp_per_capita", trend=[(2020, 1.0)])
    names = region_names(good.regions)
    from lsg_analysis.runs.results import Run

    run = Run(good.results, good.origins)
    data = profile_data({rayon: [line], oblast: [other], "KG-NOT-NAMED": [line]}, names, run)
    rows = [dict(zip(data["lines"]["columns"], r)) for r in zip(*data["lines"]["data"])]
    assert [r["code"] for r in rows] == [rayon, oblast]
    r = rows[0]
    assert r["trend_from"] == 2017 and r["trend"] == [13.0, 12.5, None, 12.0] and r["trend_piece"] == [0, 0, None, 1]
    for lang in LANGS:
        cells = profile_content(rayon, lang, [line], run)["rows"][0]
        assert (r[f"value_{lang}"], r[f"rank_{lang}"], r[f"national_{lang}"], r[f"gap_{lang}"]) == (
            cells[1],
            cells[3],
            cells[4],
            cells[5],
        )
        assert r[f"value_{lang}"].endswith(" (!)") and r[f"national_{lang}"] == i18n.no_data(lang)
        assert data["order"][lang] == [oblast, rayon]  # level 1 before level 2
    assert data["level_indicators"] == {"1": ["grp_per_capita"], "2": ["poverty_rate"]}
