"""National external migration 2017–2021 transcribed from three NSC press releases (catalogue M01-03): the shipped
rows equal the published numbers (read here from the raw copy with the csv module, not through the loader), the
``transcribed`` flag reaches the processed table, the series and the results, 2021 keeps both tables' rows with
the open-data one used, the raw copy is the file of ../shared/data/migration, and bad input is a clear error."""

from __future__ import annotations

import csv
import json
import re

import pandas as pd
import pytest

from lsg_analysis import load_indicators
from lsg_analysis.analysis import migration as mig
from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError, DataErrors
from lsg_analysis.data import catalogue, sources, tidy
from lsg_analysis.outputs import flag_texts, headlines, i18n

RAW = paths.RAW / "nsc" / "releases" / "external_migration_national_2017_2021__nsc_releases_transcribed.csv"
#: sha256 and size of the file as ../shared/data/migration/SOURCES.md states them
SHARED_SHA256 = "3eb11250ab787fc821ec765c177c80953418f84bba82b9ace842d9c1120e2561"
SHARED_BYTES = 8887
KINDS = {
    "external_migration_arrivals": "migration_arrivals_external",
    "external_migration_departures": "migration_departures_external",
    "external_migration_net ": "net",
}


def published() -> dict[tuple[str, int], tuple[float, str]]:
    """(indicator, year) → (value in thousand persons, the release sentence), read with the csv module."""
    out = {}
    with RAW.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            kind = next((k for prefix, k in KINDS.items() if r["indicator"].startswith(prefix)), None)
            if kind is not None:
                assert r["unit"] == "thousand persons" and r["region_name_as_in_source"] == "Кыргыз Республикасы"
                out[(kind, int(r["year"]))] = (float(r["value"]), r["source_text"])
    return out


def test_raw_copy_is_the_shared_file_unchanged():
    assert sources.sha256(RAW) == SHARED_SHA256 and RAW.stat().st_size == SHARED_BYTES
    side = sources.read_sidecar(RAW)
    assert side["sha256"] == SHARED_SHA256 and side["bytes"] == SHARED_BYTES
    assert "TRANSCRIBED" in side["notes"] and "2026-12-02" in side["notes"]
    assert all(d in str(side["published"]) for d in ("13.05.2019", "28.05.2020", "14.06.2022"))


def test_published_numbers_are_in_the_release_sentences():
    pub = published()
    assert len(pub) == 15  # arrivals, departures and net for 2017–2021 (SOURCES.md: 15 rows)
    for (kind, year), (value, text) in pub.items():
        # the releases write a decimal comma; M02 drops the minus sign of nets in brackets, so match the magnitude
        assert f"{abs(value):.1f}".replace(".", ",") in text, (kind, year, value)


def test_processed_rows_equal_the_published_numbers_and_are_flagged_transcribed():
    pub = published()
    rows = load_indicators(source="M01-03")
    assert len(rows) == 10
    for r in rows.itertuples(index=False):
        assert r.code == "KG" and r.unit == "persons" and r.flag == "transcribed"
        assert r.value == pytest.approx(1000 * pub[(r.indicator, r.year)][0], abs=1e-9)
        assert r.default_series == ("no" if r.year == 2021 else "yes")  # 2021: S09 (open data) is the default
    s09 = load_indicators(source="S09").query("indicator.str.startswith('migration_')")
    assert (s09["flag"] == "").all() and (s09["default_series"] == "yes").all()


def test_2021_agrees_with_open_data_to_the_releases_rounding():
    both = load_indicators(source="all", years=2021).query("indicator.str.startswith('migration_')")
    wide = both.pivot_table(index="indicator", columns="source_id", values="value")
    assert ((wide["M01-03"] - wide["S09"]).abs() <= 50).all()  # rounded to 0.1 thousand
    assert wide.loc["migration_arrivals_external", "S09"] == 8229.0


def test_series_from_2017_net_equals_the_published_net_and_marks_transcribed_years():
    pub = published()
    s = mig.demographic_series(load_indicators(source="all"))
    used = s[s["used"] == "yes"].set_index("year")
    assert list(used.index) == list(range(2017, 2025))
    for year in range(2017, 2021):
        assert used.loc[year, "net_migration"] == pytest.approx(1000 * pub[("net", year)][0])
        assert used.loc[year, "source_id"] == "M01-03" and used.loc[year, "flag"] == "transcribed"
        assert pd.isna(used.loc[year, "net_migration_rate"])  # no population in the releases' table: no rate
    assert used.loc[2021, "source_id"] == "S09" and used.loc[2021, "net_migration"] == 8229 - 8998
    assert used.loc[2021, "flag"] == "" and "also in M01-03 -800" in used.loc[2021, "basis"]
    kept = s[(s["year"] == 2021) & (s["used"] == "no")].iloc[0]
    assert kept["source_id"] == "M01-03" and kept["net_migration"] == pytest.approx(1000 * pub[("net", 2021)][0])
    assert "not used: S09 is used for 2021" in kept["basis"]
    # the caller's order wins: the releases first takes 2021 from them
    first = mig.demographic_series(load_indicators(source="all"), prefer=["M01-03", "S09"])
    assert first.loc[(first["year"] == 2021) & (first["used"] == "yes"), "source_id"].item() == "M01-03"


def test_marker_reaches_the_recorded_results_and_the_brief_line(tmp_path):
    from lsg_analysis.runs import record
    from lsg_analysis.runs.results import Results

    demog = mig.demographic_series(load_indicators(source="all"))
    res = Results("02_migration_border", {})
    res.table("national_migration", demog, sources=sorted(set(demog["source_id"])))
    record.record_national_migration(res, demog)
    data = json.loads(res.save(tmp_path).read_text(encoding="utf-8"))  # checked against contract.yml
    m = data["metrics"]
    assert m["net_migration_national_first_year"]["value"] == 2017
    assert m["net_migration_national_transcribed_years"]["value"] == "2017;2018;2019;2020"
    assert m["net_migration_national_last"]["value"] == 11208 and m["net_migration_national_last"]["sources"] == ["S09"]
    series = headlines.national_migration(data)
    assert [(x.year, x.transcribed) for x in series][:5] == [(y, y < 2021) for y in range(2017, 2022)]
    # brief and dashboard line: the series, * after each transcribed value, the footnote in the reader's language
    en = flag_texts.migration_series_lines(data, "en")
    assert en[0].startswith("Net migration, Kyrgyz Republic, 2017–2024, persons: 2017:\u00a0-3,900*;")
    assert "2021:\u00a0-769;" in en[0] and en[0].count("*") == 4
    assert en[1] == "*\u00a0" + i18n.t("net_migration_transcribed", "en") and "press releases" in en[1]
    for lang in ("ru", "ky"):
        lines = flag_texts.migration_series_lines(data, lang)
        assert len(lines) == 2 and lines[0].count("*") == 4
        assert not re.search(r"[A-Za-z]", " ".join(lines)), lines  # no English (nor any Latin word) left


def test_dashboard_shows_the_series_with_the_marker_and_the_caveat():
    import dataclasses

    from dashboard_fixture import inputs

    from lsg_analysis.outputs.dashboard.texts import texts
    from lsg_analysis.runs.results import Results

    demog = mig.demographic_series(load_indicators(source="all"))
    res = Results("02_migration_border", {})
    res.table("national_migration", demog, sources=sorted(set(demog["source_id"])))
    base = inputs()
    mig_results = dict(
        base.results["02_migration_border"], tables={"national_migration": res.tables["national_migration"]}
    )
    page = dataclasses.replace(base, results=dict(base.results, **{"02_migration_border": mig_results}))
    for lang in ("ky", "ru", "en"):
        line = texts(page, lang)[0]["_border_migration"]
        assert line.count("*") == 5  # four transcribed years and the footnote's mark
        assert i18n.t("net_migration_transcribed", lang) in line and line.endswith(i18n.t("net_migration_caveat", lang))
    assert texts(base, "en")[0]["_border_migration"] == ""  # no series recorded: no line


def entry(**over) -> catalogue.Entry:
    """The shipped M01-03 catalogue entry, with ``over`` replacing its keys."""
    import yaml

    doc = yaml.safe_load(catalogue.data_file("catalogue.yml").read_text(encoding="utf-8"))
    raw = next(e for e in doc["sources"] if e["id"] == "M01-03")
    return catalogue._entry(raw | over, "data/catalogue.yml [M01-03]")


def tidy_rows(e: catalogue.Entry, raw_dir=None) -> pd.DataFrame:
    return tidy.tidy_table(
        e,
        raw_dir=raw_dir,
        corrections=catalogue.load_corrections(),
        indicator_defs=catalogue.load_indicator_defs(),
        resolve=tidy.registry_resolver(),
    )


def test_bad_input_is_a_clear_error(tmp_path):
    # a value filter matching nothing names the file, the column and what was expected
    bad = entry(values=[{"field": "value", "indicator": "migration_arrivals_external", "unit": "persons",
                         "filters": {"indicator": "no such label"}}])  # fmt: skip
    with pytest.raises(DataError, match=r'column "?indicator"?: found "no such rows"; expected rows matching'):
        tidy_rows(bad)
    with pytest.raises(DataError, match="transcribed: true or false"):
        entry(transcribed="yes")
    # a unit the file does not write: the row and the unit column are named
    text = RAW.read_text(encoding="utf-8").replace("2.0,thousand persons", "2.0,persons", 1)
    (tmp_path / "nsc" / "releases").mkdir(parents=True)
    (tmp_path / RAW.relative_to(paths.RAW)).write_text(text, encoding="utf-8")
    with pytest.raises(DataErrors, match=r'row 2, column "?unit"?: found "persons"; expected the unit "thousand'):
        tidy_rows(entry(), raw_dir=tmp_path)
    # a year the catalogue promises but the file lacks
    lines = RAW.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / RAW.relative_to(paths.RAW)).write_text(
        "".join(x for x in lines if not x.startswith("Кыргыз Республикасы,2019,")), encoding="utf-8"
    )
    with pytest.raises(DataErrors, match="no rows for migration_arrivals_external in 2019"):
        tidy_rows(entry(), raw_dir=tmp_path)
