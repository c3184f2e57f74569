"""The results layer: the contract every results file obeys (lsg_analysis/runs/contract.yml)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from lsg_analysis.core.errors import DataError, DataErrors
from lsg_analysis.runs import results


# ---------------------------------------------------------------- the contract (lsg_analysis/runs/contract.yml)

FIXTURES = Path(__file__).parent / "fixtures" / "brief_results"


@pytest.fixture()
def fixture_01() -> dict:
    return json.loads((FIXTURES / "01_imbalance.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("notebook", results.NOTEBOOKS)
def test_every_fixture_obeys_the_contract(notebook):
    data = json.loads((FIXTURES / f"{notebook}.json").read_text(encoding="utf-8"))
    assert results.validate(data, notebook) is data


def test_an_undocumented_metric_a_wrong_unit_and_wrong_columns_are_named(fixture_01):
    bad = copy.deepcopy(fixture_01)
    bad["metrics"]["theil_lsat"] = {**bad["metrics"]["theil_last"]}
    bad["metrics"]["gini_last"]["unit"] = "percent"
    bad["tables"]["trend"]["columns"] = ["year", "theil"]
    bad["tables"]["trend"]["rows"] = [[2020, 0.1]]
    with pytest.raises(DataErrors) as e:
        results.validate(bad, "x.json")
    msg = str(e.value)
    assert 'x.json, column "metrics": found "theil_lsat"; expected a metric of the contract' in msg
    assert "found \"gini_last: 'percent'\"; expected the unit 'index'" in msg
    assert "found \"trend: ['year', 'theil']\"; expected the columns ['year', 'theil', 'theil_ci_low'" in msg


def test_a_metric_without_sources_and_a_ragged_table_fail_the_pandera_models(fixture_01):
    bad = copy.deepcopy(fixture_01)
    bad["metrics"]["theil_last"]["sources"] = []
    bad["tables"]["trend"]["rows"][0] = bad["tables"]["trend"]["rows"][0][:2]
    with pytest.raises(DataErrors) as e:
        results.validate(bad, "x.json")
    assert 'x.json [metrics], column "sources": found "[]"' in str(e.value)
    assert 'x.json [tables], column "ragged": found "1"' in str(e.value)


def test_a_complete_run_must_hold_every_key(fixture_01):
    part = copy.deepcopy(fixture_01)
    del part["metrics"]["moran_i"]
    results.validate(part, "x.json")  # a hand-made file may leave keys out
    with pytest.raises(DataErrors, match='found "missing"; expected metric moran_i'):
        results.validate(part, "x.json", complete=True)


def test_saving_refuses_a_key_outside_the_contract_and_writes_nothing(tmp_path):
    res = results.Results("01_imbalance", {})
    res.metric("theil_lsat", 0.2, "index", sources=["S14"])
    with pytest.raises(DataErrors, match="theil_lsat"):
        res.save(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_broken_results_file_is_named(tmp_path):
    (tmp_path / "01_imbalance.json").write_text('{"schema": "lsg-results/1", ', encoding="utf-8")
    with pytest.raises(DataError, match='01_imbalance.json, row 1: found "invalid JSON'):
        results.load("01_imbalance", tmp_path)
    (tmp_path / "01_imbalance.json").write_text('{"schema": "lsg-results/0"}', encoding="utf-8")
    with pytest.raises(DataError, match='column "schema": found "lsg-results/0"'):
        results.load("01_imbalance", tmp_path)


def test_context_results_record_the_comparisons_and_resolve_raw_sources(tmp_path):
    from lsg_analysis.analysis import context
    from lsg_analysis.runs import params, record

    p = params.check("04_context", {"source": "gdl_gnic", "measure": "cv", "out_dir": str(tmp_path)})
    main = context.comparison(p.source, p.measure, p.year, p.highlight)
    gdl = context.companion_comparison(p.source, p.measure, p.year, p.highlight)
    suite = context.suite_theil(p.year)
    trend = context.trend_table(context.trend(gdl.source, p.measure, ["KAZ"], since=2015, add=None))
    saved = record.record_context(p, main, gdl, suite, trend).save(tmp_path)
    data = results.validate(json.loads(saved.read_text(encoding="utf-8")), "x.json", complete=True)
    v = {k: m["value"] for k, m in data["metrics"].items()}
    assert (v["year"], v["gdl_year"]) == (2019, 2019)  # GDL GNI ends in 2019, the NSC series covers it
    assert (v["kgz_n_regions"], v["gdl_kgz_n_regions"], v["kgz_theil_n_regions"]) == (9, 8, 9)
    rows = results.rows(data, "countries")
    assert [r["iso3"] for r in rows if r["rank"] == v["kgz_rank"]] == ["KGZ"] and len(rows) == v["n_ranked"]
    similar = [r for r in rows if v["similar_n_low"] <= r["n_regions"] <= v["similar_n_high"]]
    assert [r["iso3"] for r in similar].index("KGZ") + 1 == v["kgz_rank_similar"]
    assert len(similar) == v["n_ranked_similar"] and (v["similar_n_low"], v["similar_n_high"]) == (5, 13)
    gdl_rows = results.rows(data, "countries_gdl")
    kgz_gdl = next(r for r in gdl_rows if r["iso3"] == "KGZ")
    assert kgz_gdl["source"] == "gdl_gnic" and kgz_gdl["value"] == v["gdl_kgz_value"]
    assert next(r for r in rows if r["iso3"] == "KGZ")["source"] == "kgz"
    others = sorted(r["value"] for r in gdl_rows if r["iso3"] != "KGZ")
    assert v["gdl_median"] == pytest.approx((others[len(others) // 2] + others[(len(others) - 1) // 2]) / 2)
    assert data["metrics"]["kgz_value"]["unit"] == "index"
    raw = data["sources"]["raw:gdl/ddf--datapoints--gnic--by--subnat--year.csv"]
    assert raw["file"] == "data/raw/gdl/ddf--datapoints--gnic--by--subnat--year.csv" and raw["producer"]
    assert set(data["metrics"]["kgz_theil_weighted"]["sources"]) <= set(data["sources"])


def test_results_of_an_older_column_list_say_to_run_the_notebook_again(tmp_path, capsys):
    """A results file from before a table gained a column (population_change without ``reason``): the reader names
    the file and table and says what to do; the CLI exits 2 without a traceback."""
    from lsg_analysis.cli import main

    data = json.loads((FIXTURES / "02_migration_border.json").read_text(encoding="utf-8"))
    old = results.contract()["02_migration_border"]["tables"]["population_change"][:-1]
    assert old[-1] == "status"
    data["tables"]["population_change"] = {
        "columns": old,
        "rows": [["KG-C", 2012, 2020, 1.9, False, True, "ok"]],
        "sources": ["S01"],
        "note": "",
    }
    (tmp_path / "02_migration_border.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataErrors) as e:
        results.load("02_migration_border", tmp_path)
    msg = str(e.value)
    assert "02_migration_border.json" in msg and "population_change: [" in msg
    assert "results written by an older version: run `lsg run 02_migration_border` again" in msg
    assert main(["profile", "Chui", "--results", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "run `lsg run 02_migration_border` again" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()
