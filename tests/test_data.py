"""Shipped data: provenance, rebuild, published reference values, corrections, and the catalogue-driven build.

Synthetic tables here are made in ``tmp_path`` only; every number asserted about the shipped data is a published
value (NSC xlsx 1010009, SDG 1.2.1, NSC open data 112) or an invariant computed here from the raw file.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from lsg_analysis.core import paths
from lsg_analysis.data import processed
from lsg_analysis.pipeline.build import build_processed, build_tables, to_csv_bytes
from lsg_analysis.data.catalogue import load_catalogue
from lsg_analysis.core.errors import DataError, DataErrors, ParameterError
from lsg_analysis.data.sources import raw_files, sha256, source_info, verify_sidecars

RAW = paths.RAW
TABLES = ("indicators", "indicator_meta", "sources", "corrections", "series_breaks")


@pytest.fixture(scope="module")
def built() -> dict[str, pd.DataFrame]:
    return build_tables()


@pytest.fixture(scope="module")
def ind() -> pd.DataFrame:
    return processed.read_indicators()


def value(ind: pd.DataFrame, code: str, year: int, indicator: str, source: str) -> float:
    sel = ind[
        (ind["code"] == code) & (ind["year"] == year) & (ind["indicator"] == indicator) & (ind["source_id"] == source)
    ]
    assert len(sel) == 1, (code, year, indicator, source)
    return float(sel["value"].iloc[0])


# ------------------------------------------------------------------------------------------ provenance
def test_every_raw_file_has_a_sidecar_whose_checksum_holds():
    n = verify_sidecars()
    assert n == len(raw_files()) >= 45
    entries, _ = load_catalogue()
    for e in entries:  # every catalogued file is a raw copy with a sidecar
        assert (RAW / e.file).exists(), e.file


def test_verify_sidecars_reports_a_changed_file_and_a_missing_sidecar(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "nsc" / "opendata", raw / "nsc")
    (raw / "nsc" / "112_wage.json").write_bytes(b'{"data": []}')
    (raw / "nsc" / "stray.csv").write_text("a,b\n1,2\n")
    with pytest.raises(DataErrors) as e:
        verify_sidecars(raw)
    msg = str(e.value)
    assert "112_wage.json" in msg and "sha256" in msg
    assert "stray.csv.source.yml" in msg and "no sidecar" in msg


def test_source_info_names_producer_file_and_url():
    info = source_info("S14")
    assert info["file"] == "data/raw/nsc/nsc_1010009_grp_current_prices.xlsx"
    assert "National Statistical Committee" in info["producer"]
    assert info["url"].startswith("https://") and info["licence"] and info["accessed"] == "2026-11-25"
    assert source_info("S14+D01")["inputs"] == ["S14", "D01"]
    assert source_info("raw:wfp/prism_poverty.json")["file"] == "data/raw/wfp/prism_poverty.json"
    with pytest.raises(ParameterError):
        source_info("S99")


# ------------------------------------------------------------------------------------------ rebuild
def test_committed_processed_data_equals_a_rebuild(built):
    for name in TABLES:
        assert to_csv_bytes(built[name]) == (paths.PROCESSED / f"{name}.csv").read_bytes(), name


def test_build_never_modifies_raw_and_is_deterministic(tmp_path):
    before = {p: sha256(p) for p in raw_files()}
    build_processed(tmp_path / "a", boundaries=False)
    build_processed(tmp_path / "b", boundaries=False)
    assert {p: sha256(p) for p in raw_files()} == before
    for name in TABLES:
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == (tmp_path / "b" / f"{name}.csv").read_bytes()


# ------------------------------------------------------------------------------------------ reference values
def test_published_reference_values(ind):
    assert value(ind, "KG-B", 2022, "grp_current", "S14") == 36864.5  # xlsx cell T8
    assert value(ind, "KG-GB", 2010, "grp_current", "S14") == 79638.5  # xlsx cell H15
    assert value(ind, "KG-N", 2010, "poverty_rate", "S03") == 53.531335  # SDG 1.2.1 raw row
    assert value(ind, "KG-N", 2024, "wage_nominal", "S05") == 35205.0  # NSC open data 112
    assert value(ind, "KG-B", 2021, "extreme_poverty_rate", "S02") == 10.0642
    assert value(ind, "KG-J", 2021, "unemployment_rate", "S04") == 11.8


@pytest.mark.parametrize("year", [2010, 2019, 2022])
def test_nine_grp_territories_sum_to_the_national_total(ind, year):
    grp = ind[(ind["indicator"] == "grp_current") & (ind["year"] == year)]
    nine = grp[grp["code"] != "KG"]
    assert sorted(nine["code"]) == sorted(["KG-B", "KG-J", "KG-Y", "KG-N", "KG-O", "KG-T", "KG-C", "KG-GB", "KG-GO"])
    assert nine["value"].sum() == pytest.approx(grp.loc[grp["code"] == "KG", "value"].iloc[0], abs=1e-6)


def test_poverty_sources_agree_after_rounding(ind):
    s03 = ind[(ind["indicator"] == "poverty_rate") & (ind["source_id"] == "S03")].set_index(["code", "year"])
    s06 = ind[(ind["indicator"] == "poverty_rate") & (ind["source_id"] == "S06")].set_index(["code", "year"])
    both = s03[["value"]].join(s06[["value"]], how="inner", suffixes=("_03", "_06"))
    assert len(both) == 40
    assert ((both["value_03"] - both["value_06"]).abs() <= 0.05 + 1e-9).all()


# ------------------------------------------------------------------------------------------ corrections
def test_osh_city_2016_correction_follows_from_the_source_national_total(ind):
    with open(RAW / "nsc_secondary" / "tachibana_population_thousands.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for year in range(2012, 2025):
        nat = next(float(r[f"pop{year}"]) for r in rows if r["oblast"] == "0")
        parts = sum(float(r[f"pop{year}"]) for r in rows if r["oblast"] != "0")
        if year != 2016:
            assert parts == pytest.approx(nat, abs=1e-6)
    osh = next(r for r in rows if r["oblast_name"] == "Osh city")
    assert osh["pop2016"] == osh["pop2015"] == "270.3"  # the published repeat
    others = sum(float(r["pop2016"]) for r in rows if r["oblast"] not in ("0", "21"))
    nat = next(float(r["pop2016"]) for r in rows if r["oblast"] == "0")
    assert value(ind, "KG-GO", 2016, "population_start_of_year", "D01") == pytest.approx(nat - others, abs=1e-9)
    row = ind[(ind["code"] == "KG-GO") & (ind["year"] == 2016) & (ind["source_id"] == "D01")]
    assert "corrected" in row["flag"].iloc[0]
    shown = pd.read_csv(paths.PROCESSED / "corrections.csv", dtype=str)
    assert "KG-GO population_start_of_year 2016" in set(shown["affects"])


def test_rayon_poverty_joined_by_name_with_corrected_codes(ind):
    alay, alamudun = "KG06207000000", "KG08203000000"
    assert value(ind, alay, 2020, "rayon_poverty_rate", "S12") == 47.0
    assert value(ind, alamudun, 2020, "rayon_poverty_rate", "S12") == 8.9
    # S13 is keyed by code with the two rows' data swapped: after the correction both sources agree
    assert value(ind, alay, 2020, "rayon_poverty_rate", "S13") == 47.0
    assert value(ind, alay, 2021, "population_rayon_2021", "S13") == 87400.0
    s12 = ind[(ind["source_id"] == "S12") & (ind["year"] == 2020)].set_index("code")["value"]
    s13 = ind[(ind["source_id"] == "S13") & (ind["indicator"] == "rayon_poverty_rate")].set_index("code")["value"]
    assert (s12.sort_index() == s13.sort_index()).all() and len(s12) == 40


# ------------------------------------------------------------------------------------------ derived and breaks
def test_grp_per_capita_uses_one_population_vintage_per_year(ind):
    pc = ind[ind["indicator"] == "grp_per_capita"]
    d01 = pc[pc["source_id"] == "S14+D01"]
    assert d01["year"].between(2012, 2020).all() and (d01["vintage"] == "population: pre-2022-census estimate").all()
    s01 = pc[pc["source_id"] == "S14+S01"]
    assert set(s01["year"]) == {2021, 2022} and (s01["vintage"] == "population: post-2022-census revision").all()
    grp = value(ind, "KG-B", 2015, "grp_current", "S14")
    p0, p1 = (value(ind, "KG-B", y, "population_start_of_year", "D01") for y in (2015, 2016))
    assert value(ind, "KG-B", 2015, "grp_per_capita", "S14+D01") == pytest.approx(grp / ((p0 + p1) / 2), rel=1e-12)
    default = processed.load_indicators("grp_per_capita")
    assert not default.duplicated(["code", "year"]).any() and set(default["year"]) == set(range(2012, 2023))


def test_default_series_has_one_value_per_region_and_year():
    data = processed.load_indicators()
    assert not data.duplicated(["indicator", "code", "year"]).any()
    assert set(data.loc[data["indicator"] == "poverty_rate", "source_id"]) == {"S03"}
    assert set(processed.load_indicators("poverty_rate", source="all")["source_id"]) == {"S03", "S06"}


# ------------------------------------------------------------------------------------------ loader
def test_load_indicators_filters_and_names():
    d = processed.load_indicators("poverty_rate", level="oblast", years=(2010, 2012), lang="ky")
    assert set(d["year"]) == {2010, 2011, 2012} and (d["level"] == 1).all()
    assert "Нарын облусу" in set(d["name"])
    assert list(d.columns) == processed.COLUMNS
    one = processed.load_indicators("grp_current", codes=["KG-GB"], years=2010)
    assert one["value"].tolist() == [79638.5]


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"indicator": "gdp"}, "indicator"),
        ({"level": 3}, "level"),
        ({"lang": "de"}, "lang"),
        ({"source": "S99"}, "source"),
        ({"codes": ["KG-X"]}, "codes"),
        ({"years": (2022, 2010)}, "years"),
    ],
)
def test_load_indicators_bad_parameters(kwargs, name):
    with pytest.raises(ParameterError) as e:
        processed.load_indicators(**kwargs)
    assert e.value.name == name and "allowed" in str(e.value)


# ------------------------------------------------------------------------------------------ load-time validation
@pytest.fixture()
def processed_copy(tmp_path) -> tuple[Path, Path, pd.DataFrame]:
    for name in ("indicators.csv", "indicator_meta.csv"):
        shutil.copy(paths.PROCESSED / name, tmp_path / name)
    return (
        tmp_path / "indicators.csv",
        tmp_path / "indicator_meta.csv",
        pd.read_csv(tmp_path / "indicators.csv", dtype=str, keep_default_na=False),
    )


@pytest.mark.parametrize(
    "change, column, found",
    [
        ({"code": "KG-ZZ"}, "code", "KG-ZZ"),
        ({"value": "n/a"}, "value", "n/a"),
        ({"value": ""}, "value", ""),
        ({"unit": "thousand som"}, "unit", "thousand som"),
        ({"value": "-24.4"}, "value", "-24.4"),
    ],
)
def test_processed_file_errors_name_file_row_and_column(processed_copy, change, column, found):
    path, meta, frame = processed_copy
    for k, v in change.items():
        frame.loc[5, k] = v
    frame.to_csv(path, index=False)
    with pytest.raises(DataErrors) as e:
        processed.read_indicators(path, meta)
    assert f'row 7, column "{column}"' in str(e.value) and f'found "{found}"' in str(e.value)
    assert str(path.name) in str(e.value)


def test_processed_file_duplicate_rows_are_an_error(processed_copy):
    path, meta, frame = processed_copy
    pd.concat([frame, frame.iloc[[3]]]).to_csv(path, index=False)
    with pytest.raises(DataErrors) as e:
        processed.read_indicators(path, meta)
    assert "unique" in str(e.value) or "duplicate" in str(e.value)


# ------------------------------------------------------------------------------------------ the catalogue drives the build
INDICATORS = {
    "grp_test": {
        "name_en": "GRP",
        "name_ru": "ВРП",
        "name_ky": "РДП",
        "name_source": "own",
        "unit": "million som",
        "kind": "count",
        "description": "test",
        "higher_is_better": "yes",
        "weight_by": "none",
        "sources": ["T1"],
        "default": ["T1"],
    },
    "rate_test": {
        "name_en": "Rate",
        "name_ru": "Доля",
        "name_ky": "Үлүш",
        "name_source": "own",
        "unit": "percent",
        "kind": "rate",
        "description": "test",
        "higher_is_better": "no",
        "weight_by": "none",
        "sources": ["T2"],
        "default": ["T2"],
    },
}
INDICATORS["births_test"] = INDICATORS["grp_test"] | {
    "name_en": "Births",
    "unit": "persons",
    "sources": ["T3"],
    "default": ["T3"],
}
INDICATORS["pop_test"] = INDICATORS["births_test"] | {"name_en": "Population", "unit": "thousand persons"}
COMMON = {
    "level": 1,
    "table": "test table",
    "totals": "all rows",
    "vintage": "test",
    "boundaries": "test",
    "caveats": "",
}
SIDECAR = {
    "producer": "test",
    "title": "test",
    "url": "https://example.org/",
    "licence": "test",
    "published": "2026-01-01",
    "accessed": "2026-11-25",
    "copied_from": "tmp_path",
}


def write_raw(raw: Path, rel: str, data: bytes) -> None:
    path = raw / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    side = dict(SIDECAR, sha256=hashlib.sha256(data).hexdigest())
    path.with_name(path.name + ".source.yml").write_text(yaml.safe_dump(side), encoding="utf-8")


def xlsx_bytes(tmp_path: Path, rows: list[tuple]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "T"
    for r in rows:
        ws.append(list(r))
    out = tmp_path / "t.xlsx"
    wb.save(out)
    return out.read_bytes()


def make_project(tmp_path: Path, entries: list[dict], files: dict[str, bytes], *, corrections: str = "") -> Path:
    data = tmp_path / "data"
    for rel, blob in files.items():
        write_raw(data / "raw", rel, blob)
    (data / "catalogue.yml").write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
    used = {e["indicator"] for e in entries if "indicator" in e} | {
        v["indicator"] for e in entries for v in e.get("values", [])
    }
    (data / "indicators.yml").write_text(
        yaml.safe_dump({k: v for k, v in INDICATORS.items() if k in used}, allow_unicode=True), encoding="utf-8"
    )
    (data / "corrections.csv").write_text(
        "source_id,file,row,field,published,corrected,evidence\n" + corrections, encoding="utf-8"
    )
    (data / "series_breaks.csv").write_text(
        "indicator,source_id,codes,before,after,kind,description\n", encoding="utf-8"
    )
    shutil.copyfile(paths.DATA / "quality_rules.csv", data / "quality_rules.csv")
    return data


def xlsx_table(tmp_path: Path, batken_2023: object = 20.5) -> bytes:
    return xlsx_bytes(
        tmp_path,
        [
            ("Региондук дүң продукт", "Валовой региональный продукт", "Gross regional product"),
            (),
            ("Көрсөткүчтөр", "Наименование показателей", "Items", 2022, 2023),
            (),
            ("Кыргыз Республикасы", "Кыргызская Республика", "Kyrgyz Republic", 100.0, 110.5),
            ("Баткен облусу", "Баткенская область", "Batken oblast", 10.25, batken_2023),
            ("Бишкек ш.", "г.Бишкек", "Bishkek сity", 30.0, 31.0),
            (),
            ("1 эскертүү", "1 Примечание", "1 Note"),
        ],
    )


def grp_entry(**extra) -> dict:
    return (
        dict(
            COMMON,
            id="T1",
            file="nsc/t1.xlsx",
            layout="nsc_xlsx_trilingual",
            sheet="T",
            indicator="grp_test",
            unit="million som",
            years="2022-2023",
        )
        | extra
    )


SDG_CSV = (
    "Year,Территория,Пол,GeoCode,Value\n2021,,,,20.5\n2021,Нарынская область,,KG04,30.25\n"
    "2021,Нарынская область,Женщины,KG04,31.0\n2021,г. Ош,,KG21,10.0\n"
)


def sdg_entry(**extra) -> dict:
    return (
        dict(COMMON, id="T2", file="nsc/t2.csv", layout="sdg_csv", indicator="rate_test", unit="percent", years="2021")
        | extra
    )


def test_a_new_table_of_a_known_layout_is_only_a_catalogue_entry(tmp_path):
    data = make_project(
        tmp_path, [grp_entry(), sdg_entry()], {"nsc/t1.xlsx": xlsx_table(tmp_path), "nsc/t2.csv": SDG_CSV.encode()}
    )
    out = tmp_path / "processed"
    build_processed(out, data_dir=data, boundaries=False)
    got = pd.read_csv(out / "indicators.csv", dtype={"value": float})
    grp = got[got["indicator"] == "grp_test"].set_index(["code", "year"])["value"]
    assert grp[("KG-B", 2022)] == 10.25 and grp[("KG", 2023)] == 110.5 and grp[("KG-GB", 2023)] == 31.0
    assert len(grp) == 6  # the footnote row and blank rows are not data
    rate = got[got["indicator"] == "rate_test"].set_index("code")["value"]
    assert rate.to_dict() == {"KG": 20.5, "KG-GO": 10.0, "KG-N": 30.25}  # the sex breakdown is dropped
    meta = pd.read_csv(out / "indicator_meta.csv")
    assert set(meta["indicator"]) == {"grp_test", "rate_test"}
    assert pd.read_csv(out / "sources.csv")["file"].tolist() == ["data/raw/nsc/t1.xlsx", "data/raw/nsc/t2.csv"]


def build_error(tmp_path: Path, entries: list[dict], files: dict[str, bytes], **kw) -> str:
    data = make_project(tmp_path, entries, files, **kw)
    with pytest.raises((DataErrors, DataError)) as e:
        build_tables(data_dir=data)
    return str(e.value)


def test_unknown_region_names_file_row_and_column(tmp_path):
    msg = build_error(tmp_path, [sdg_entry()], {"nsc/t2.csv": SDG_CSV.replace("г. Ош", "Атлантида").encode()})
    assert 'nsc/t2.csv, row 5, column "Территория": found "Атлантида"' in msg and "lsg_analysis.registry.regions" in msg


def test_duplicate_region_year_rows(tmp_path):
    msg = build_error(tmp_path, [sdg_entry()], {"nsc/t2.csv": (SDG_CSV + "2021,г. Ош,,KG21,11.0\n").encode()})
    assert "2 rows for KG-GO 2021 rate_test (rows 5, 6)" in msg


@pytest.mark.parametrize(
    "cell, expected",
    [("", "expected a value"), ("n/a", 'found "n/a"; expected a number'), ("-3", "expected a non-negative count")],
)
def test_missing_non_numeric_and_negative_values(tmp_path, cell, expected):
    msg = build_error(tmp_path, [grp_entry()], {"nsc/t1.xlsx": xlsx_table(tmp_path, batken_2023=cell or None)})
    assert 'nsc/t1.xlsx, row 6, column "2023"' in msg and expected in msg


def test_unit_that_does_not_match_the_metadata(tmp_path):
    msg = build_error(tmp_path, [grp_entry() | {"unit": "billion som"}], {"nsc/t1.xlsx": xlsx_table(tmp_path)})
    assert 'found "billion som"; expected the unit of grp_test' in msg


def test_missing_promised_year(tmp_path):
    msg = build_error(tmp_path, [sdg_entry(years="2020-2021")], {"nsc/t2.csv": SDG_CSV.encode()})
    assert "no rows for rate_test in 2020" in msg


def test_stale_correction_is_an_error_not_applied(tmp_path):
    msg = build_error(
        tmp_path,
        [sdg_entry()],
        {"nsc/t2.csv": SDG_CSV.encode()},
        corrections="T2,nsc/t2.csv,3,Value,99.9,30.0,test evidence\n",
    )
    assert 'row 3, column "Value": found "30.25"; expected the published value \'99.9\'' in msg


def test_correction_is_applied_and_flagged(tmp_path):
    data = make_project(
        tmp_path,
        [sdg_entry()],
        {"nsc/t2.csv": SDG_CSV.encode()},
        corrections="T2,nsc/t2.csv,3,Value,30.25,30.5,test evidence\n",
    )
    t = build_tables(data_dir=data)
    row = t["indicators"][t["indicators"]["code"] == "KG-N"].iloc[0]
    assert row["value"] == 30.5 and row["flag"] == "corrected"
    assert t["corrections"]["affects"].tolist() == ["KG-N rate_test 2021"]


def test_catalogue_typo_is_an_error(tmp_path):
    msg = build_error(tmp_path, [sdg_entry(filterz={"Пол": ""})], {"nsc/t2.csv": SDG_CSV.encode()})
    assert msg.endswith(
        '[T2]: found "unexpected: filterz"; expected the keys of a source entry (docs/data.md, "How to add a table")'
    )


DERIVED = {
    "id": "T2+T4",
    "method": "per_capita_mean_population",
    "indicator": "rate_test",
    "unit": "percent",
    "numerator": {"indicator": "grp_test", "source": "T1"},
    "denominator": {"indicator": "pop_test", "source": "T4"},
    "multiply_by": 1,
    "years": "2021",
    "caveats": "",
}


def catalogue_error(tmp_path: Path, doc: dict) -> str:
    (tmp_path / "catalogue.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_catalogue(tmp_path)
    return str(e.value).replace(paths.rel(tmp_path / "catalogue.yml"), "CAT")


@pytest.mark.parametrize(
    "doc,message",
    [
        (
            {"derived": [sdg_entry()]},
            'CAT [derived T2]: found "the keys of a source entry (file, layout, level, …)"; '
            'expected this entry under "sources:" (move it there)',
        ),
        (
            {"derived": [{k: v for k, v in sdg_entry().items() if k != "totals"}]},
            'CAT [derived T2]: found "the keys of a source entry (file, layout, level, …)"; expected this entry under '
            '"sources:" (move it there); there it also needs: totals',
        ),
        (
            {"sources": [DERIVED]},
            'CAT [T2+T4]: found "the keys of a derived entry (method, numerator, denominator, …)"; '
            'expected this entry under "derived:" (move it there)',
        ),
        (
            {"derived": [dict(DERIVED, multiply=1)]},
            'CAT [derived T2+T4]: found "unexpected: multiply"; expected the '
            'keys of a derived entry (docs/data.md, "How to add a table")',
        ),
        (
            {"derived": [{k: v for k, v in DERIVED.items() if k not in ("caveats", "years")} | {"file": "x.csv"}]},
            'CAT [derived T2+T4]: found "missing: years, caveats; unexpected: file"; expected the keys of a derived '
            'entry (docs/data.md, "How to add a table")',
        ),
        (
            {"sources": [{k: v for k, v in sdg_entry().items() if k != "vintage"}]},
            'CAT [T2]: found "missing: vintage"; expected the keys of a source entry (docs/data.md, "How to add a '
            'table")',
        ),
    ],
)
def test_catalogue_entry_in_the_wrong_section_or_with_wrong_keys(tmp_path, doc, message):
    assert catalogue_error(tmp_path, doc) == message


def test_opendata_json_layout(tmp_path):
    doc = {
        "title": "t",
        "units": "в процентах",
        "data": [
            {
                "pk": 1,
                "title_ru": "Кыргызская Республика",
                "title_kg": "",
                "title_en": "",
                "values": [{"key": 2021, "value": 5.5}],
            },
            {
                "pk": 2,
                "title_ru": "Ошская область  (до 2013 г.включая г. Ош)",
                "title_kg": "",
                "title_en": "",
                "values": [{"key": 2021, "value": 7.0}],
            },
        ],
    }
    data = make_project(
        tmp_path,
        [sdg_entry(layout="nsc_opendata_json", file="nsc/t.json")],
        {"nsc/t.json": json.dumps(doc, ensure_ascii=False).encode()},
    )
    got = build_tables(data_dir=data)["indicators"].set_index("code")
    assert got.loc["KG-O", "value"] == 7.0 and got.loc["KG-O", "note"] == "до 2013 г.включая г. Ош"


def demog_json(births_2025: object = None, births_2023: object = 145977.0) -> bytes:
    """A table in the layout of NSC open data 316: rows are indicators, the current year's cells empty (null)."""
    rows = [
        ("Численность населения на начало года,  всего: тыс. человек", {2025: 7281.8, 2024: 7161.9, 2023: 7037.6}),
        ("Число родившихся", {2025: births_2025, 2024: 140419.0, 2023: births_2023}),
        ("Административно-территориальные преобразования", {2025: None, 2024: None, 2023: None}),
    ]
    doc = {
        "title": "Динамика постоянного населения",
        "units": "человек",
        "data": [
            {
                "pk": i,
                "title_ru": t,
                "title_kg": "",
                "title_en": "",
                "values": [{"key": y, "value": v} for y, v in vals.items()],
            }
            for i, (t, vals) in enumerate(rows, start=1)
        ],
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def demog_entry(**extra) -> dict:
    pop = "Численность населения на начало года,  всего: тыс. человек"
    return (
        dict(
            COMMON,
            id="T3",
            file="nsc/d.json",
            layout="nsc_opendata_json",
            level=0,
            years="2023-2025",
            values=[
                {"row": pop, "indicator": "pop_test", "unit": "thousand persons"},
                {"row": "Число родившихся", "indicator": "births_test", "unit": "persons", "years": "2023-2024"},
            ],
            row_titles={pop: "KG", "Число родившихся": "KG"},
            empty_years=[2025],
        )
        | extra
    )


def test_rows_as_indicators_and_a_year_the_source_has_not_filled_yet(tmp_path):
    data = make_project(tmp_path, [demog_entry()], {"nsc/d.json": demog_json()})
    got = build_tables(data_dir=data)["indicators"]
    births = got[got["indicator"] == "births_test"].set_index("year")["value"]
    assert births.to_dict() == {2023: 145977.0, 2024: 140419.0}  # 2025 empty in the source: no row, no zero
    pop = got[got["indicator"] == "pop_test"].set_index("year")["value"]
    assert pop.to_dict() == {2023: 7037.6, 2024: 7161.9, 2025: 7281.8} and set(got["code"]) == {"KG"}


@pytest.mark.parametrize(
    "extra, json_kw, expected",
    [
        (
            {},
            {"births_2023": None},
            'nsc/d.json, row 2, column "2023": found ""; expected a value',
        ),  # not an empty year
        ({"empty_years": []}, {}, 'nsc/d.json, row 2, column "2025": found ""; expected a value'),
        (
            {},
            {"births_2025": 139000.0},
            "births_test rows for 2025",
        ),  # the source filled the year: update the catalogue
    ],
)
def test_empty_cells_outside_the_declared_years_are_errors(tmp_path, extra, json_kw, expected):
    msg = build_error(tmp_path, [demog_entry(**extra)], {"nsc/d.json": demog_json(**json_kw)})
    assert expected in msg


def test_values_item_with_an_unknown_key_or_row_is_an_error(tmp_path):
    bad = demog_entry()
    bad["values"][1] = bad["values"][1] | {"rows": "x"}
    assert 'found "rows"; expected `values` keys' in build_error(tmp_path, [bad], {"nsc/d.json": demog_json()})
    bad = demog_entry()
    bad["values"][1] = bad["values"][1] | {"row": "Число умерших"}
    assert 'expected a row titled "Число умерших"' in build_error(tmp_path / "2", [bad], {"nsc/d.json": demog_json()})


def test_national_demographic_balance_rows_of_nsc_316(ind):
    s09 = ind[ind["source_id"] == "S09"]
    got = {i: g.set_index("year")["value"].to_dict() for i, g in s09.groupby("indicator")}
    assert got["births"] == {2021: 150164.0, 2022: 150225.0, 2023: 145977.0, 2024: 140419.0}  # NSC 316 as published
    assert got["deaths"][2021] == 38875.0 and got["migration_departures_external"][2024] == 3461.0
    assert got["migration_arrivals_external"] == {2021: 8229.0, 2022: 12444.0, 2023: 14453.0, 2024: 14669.0}
    assert 2025 in got["population_start_of_year"] and all(
        2025 not in v for k, v in got.items() if k != "population_start_of_year"
    )


def test_population_sources_add_up(ind):
    pop = ind[ind["indicator"] == "population_start_of_year"]
    s01 = pop[pop["source_id"] == "S01"].groupby("year")["value"].sum()
    s09 = pop[pop["source_id"] == "S09"].set_index("year")["value"]
    assert (s01 - s09).abs().max() < 0.051  # nine territories = national total (thousand, 1 decimal)
    s16 = pop[(pop["source_id"] == "S16") & (pop["year"] == 2026)]
    assert s16.loc[s16["code"] != "KG", "value"].sum() == pytest.approx(s16.loc[s16["code"] == "KG", "value"].iloc[0])
    census = ind[ind["indicator"] == "population_census_2022"]
    from lsg_analysis.registry import regions

    level = census["code"].map(regions.regions().set_index("code")["level"])
    assert (
        census.loc[level == 2, "value"].sum() == census.loc[level == 1, "value"].sum() == 6_936_156
    )  # NSC: 6 936 thousand
