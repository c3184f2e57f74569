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

from lsg_analysis.core.paths import ROOT
from lsg_analysis.outputs import brief, source_text
from lsg_analysis.outputs.brief import sources as brief_sources
from lsg_analysis.outputs.i18n import GLOSSARY

FIXTURES = Path(__file__).parent / "fixtures" / "brief_results"
ALLOWLIST = Path(__file__).parent / "fixtures" / "language" / "latin_allowlist.csv"
CATALOGUE = ROOT / "data" / "processed" / "sources.csv"
JARGON = ["copied_from", "raw:", "transcribed by", "third-party", "project's data gathering"]
CODES = ["KG-B", "KG-J", "KG-Y", "KG-N", "KG-O", "KG-T", "KG-C", "KG-GB", "KG-GO"]


def _catalogue() -> list[dict[str, str]]:
    with CATALOGUE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _allowed() -> set[str]:
    """Latin words allowed in ky/ru text: those of the glossary's ky/ru columns and of the allow-list (with reason)."""
    words: set[str] = set()
    with GLOSSARY.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            words |= set(re.findall(r"[A-Za-z]{2,}", f"{row['ky']} {row['ru']}"))
    with ALLOWLIST.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            assert row["reason"].strip(), f"{ALLOWLIST}: {row['word']!r} has no reason"
            words.add(row["word"])
    return words


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    """pdftotext of the three briefs, every catalogue source listed (the brief's cut at 14 lifted); ``-raw`` keeps
    the text in the order it is set, so the two columns of the sources box are not interleaved."""
    import geopandas as gpd
    from shapely.geometry import box

    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is missing: run scripts/setup-system.sh")
    results = tmp_path_factory.mktemp("results")
    rows = [r for r in _catalogue() if not r["inputs"]]
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


def _english_words(text: str) -> set[str]:
    """Latin words left after removing URLs/paths and quoted original titles of catalogued sources."""
    titles = {re.sub(r"\s+", " ", r["title"]).strip().rstrip(".") for r in _catalogue()}
    text = re.sub(
        r"«([^»]*)»",
        lambda m: "" if re.sub(r"-? ", "", m[1]) in {re.sub(r"-? ", "", t) for t in titles} else m[0],
        text,
    )
    text = re.sub(
        r"\S*/ (?=[a-z])\S*|\S*[/@]\S*|\b(?:[\w-]+- )?[\w-]+(?:\.[\w-]+)+\b|\bwww\b", " ", text
    )  # links, paths, domains
    text = re.sub(r"\b(?:%s)\b" % "|".join(re.escape(r["source_id"]) for r in _catalogue()), " ", text)  # ids
    text = re.sub(r"Synthetic draft[A-Za-z ]*", " ", text)  # the SYNTHETIC fixture's draft titles (test data)
    return set(re.findall(r"[A-Za-z]{2,}", text))


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_no_english_words_in_ky_ru_briefs(texts, lang):
    left = _english_words(texts[lang]) - _allowed()
    assert not left, f"English words in the {lang} brief: {sorted(left)}"


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_no_jargon_in_briefs(texts, lang):
    found = [j for j in JARGON if j.lower() in texts[lang].lower()]
    assert not found, f"jargon in the {lang} brief: {found}"


def test_every_catalogued_producer_has_names_in_three_languages():
    with source_text.PRODUCERS.open(encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    for row in _catalogue():
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
