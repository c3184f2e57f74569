"""Every word in the reader's language: the ky and ru briefs carry no English words outside proper names, URLs and
original-language titles quoted «…», and no brief carries internal jargon. Built from the SYNTHETIC fixture results
(tests/fixtures/brief_results) with the sources block replaced by the real catalogue (data/processed/sources.csv),
so that every source line of the catalogue is rendered; checked through the text pdftotext extracts."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lsg_analysis.outputs import brief, source_text
from lsg_analysis.outputs.brief import sources as brief_sources

import language_check

FIXTURES = Path(__file__).parent / "fixtures" / "brief_results"
CODES = ["KG-B", "KG-J", "KG-Y", "KG-N", "KG-O", "KG-T", "KG-C", "KG-GB", "KG-GO"]


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    """pdftotext of the three briefs, every catalogue source listed (the brief's cut at 14 lifted); ``-raw`` keeps
    the text in the order it is set, so the two columns of the sources box are not interleaved."""
    import geopandas as gpd
    from shapely.geometry import box

    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is missing: run scripts/setup-system.sh")
    results = tmp_path_factory.mktemp("results")
    rows = [r for r in language_check.catalogue() if not r["inputs"]]
    for i, f in enumerate(sorted(FIXTURES.glob("*.json"))):
        data = json.loads(f.read_text(encoding="utf-8"))
        data["sources"] = {r["source_id"]: r for r in rows[i::4]}
        (results / f.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    bounds = gpd.GeoDataFrame(
        {"code": CODES, "geometry": [box(70 + i, 40, 71 + i, 41) for i in range(9)]}, crs="EPSG:4326"
    )
    out = tmp_path_factory.mktemp("briefs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(brief_sources, "MAX_SOURCES", len(rows))
        paths = brief.build_briefs("all", out, results_dir=results, boundaries=bounds)
    return {
        p.stem.split("_")[1]: re.sub(
            r"\s+",
            " ",
            subprocess.run(["pdftotext", "-raw", str(p), "-"], check=True, capture_output=True).stdout.decode(),
        )
        for p in paths
    }


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_no_english_words_in_ky_ru_briefs(texts, lang):
    left = language_check.not_in_language(texts[lang])
    assert not left, f"English words in the {lang} brief: {sorted(left)}"


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_no_jargon_in_briefs(texts, lang):
    found = language_check.jargon(texts[lang])
    assert not found, f"jargon in the {lang} brief: {found}"


def test_every_catalogued_producer_has_names_in_three_languages():
    with source_text.PRODUCERS.open(encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    for row in language_check.catalogue():
        if row["inputs"]:  # derived by the project: not a source line
            continue
        match = [p for p in table if p["match"] in row["producer"]]
        assert match, f"{row['source_id']}: no row of data/producers.csv matches {row['producer']!r}"
        assert all(match[0][lang].strip() for lang in ("ky", "ru", "en")), f"{row['source_id']}: a blank name"
        assert source_text.producer_name(row["producer"], "ru") == match[0]["ru"]


def test_title_kept_in_original_language_without_published_translation():
    assert source_text.source_title("S14", "ignored", "ky") == "Региондук дүң продукт (РДП) учурдагы баалар менен"
    assert source_text.source_title("S12", "Poverty rate by rural rayon.", "ru") == "«Poverty rate by rural rayon»"
    assert source_text.link("shared/data/x.csv") == ("", "")
    assert source_text.link("https://stat.gov.kg/ru/ (xlsx)") == ("stat.gov.kg/ru/", "https://stat.gov.kg/ru/")
    assert source_text.shown_id("raw:gdl/x.csv") == "" and source_text.shown_id("S14") == "S14"


def test_a_title_without_one_in_the_readers_language_is_the_producers_original_quoted():
    # ky reader, NSC's Russian title (data/source_titles.csv S05 ru): quoted, never the project's "category 112" wording
    assert source_text.source_title("S05", "NSC open data category 112: Среднемесячная", "ky") == (
        "«Среднемесячная заработная плата»"
    )
    assert source_text.source_title("S05", "ignored", "ru") == "Среднемесячная заработная плата"
    assert source_text.source_title("S11", "GRP per capita 2020", "ru").startswith("«2020-жылда регионалдык")
    sdg = "SDG 1-2-1: Доля населения / Proportion of population"
    assert source_text.source_title("S03", sdg, "ky") == "ТӨМ 1-2-1: «Доля населения»"  # the Russian original
    assert source_text.source_title("S03", sdg, "ru") == "ЦУР 1-2-1: Доля населения"
    assert source_text.source_title("S03", sdg, "en") == "SDG 1-2-1: Proportion of population"


#: The profiles checked: an oblast, the capital city and two rayons (the one with most indicators and a mountain one).
PROFILE_REGIONS = ["Batken oblast", "Bishkek", "Sokuluk district", "At-Bashy district"]


@pytest.fixture(scope="module")
def profile_texts(default_runs, tmp_path_factory):
    """pdftotext ``-raw`` of the ky and ru profiles of :data:`PROFILE_REGIONS`, read from this session's default run
    (a profile takes border status and population change from its 02_migration_border results)."""
    from lsg_analysis.core import paths
    from lsg_analysis.outputs.profile import build_profiles

    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is missing: run scripts/setup-system.sh")
    out = tmp_path_factory.mktemp("profiles")
    texts = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paths, "RESULTS", default_runs[0] / "results")
        for region in PROFILE_REGIONS:
            for lang in ("ky", "ru"):
                (pdf,) = build_profiles(region, lang, out)
                raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True).stdout
                texts[region, lang] = re.sub(r"\s+", " ", raw.decode())
    return texts


@pytest.mark.parametrize("region", PROFILE_REGIONS)
@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_no_english_words_in_ky_ru_profiles(profile_texts, region, lang):
    text = profile_texts[region, lang]
    assert len(text) > 500, f"the {lang} profile of {region} has almost no text: {text!r}"
    left = language_check.not_in_language(text)
    assert not left, f"English words in the {lang} profile of {region}: {sorted(left)}"
    found = language_check.jargon(text)
    assert not found, f"jargon in the {lang} profile of {region}: {found}"
