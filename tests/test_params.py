"""Notebook parameters: one source of truth (params.py), listed by papermill with help, validated clearly."""

from __future__ import annotations

import nbformat
import papermill
import pytest

from lsg_analysis.analysis import consultations, context
from lsg_analysis.runs import params, runner
from lsg_analysis.core import paths
from lsg_analysis.core.errors import ParameterError

NOTEBOOKS = params.notebooks()
needs_data = pytest.mark.skipif(
    not (paths.PROCESSED / "indicators.csv").exists(), reason="data/processed not built (run `lsg data build`)"
)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_parameters_cell_is_generated_from_params_and_unique(name):
    nb = nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert tagged[0].source == params.cell_source(name)
    assert nb.metadata["kernelspec"]["name"] == runner.KERNEL_NAME


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_papermill_lists_every_parameter_with_type_default_and_help(name):
    listed = papermill.inspect_notebook(str(paths.NOTEBOOKS / f"{name}.ipynb"))
    specs = params.spec(name)
    assert list(listed) == [p.name for p in specs]
    for p in specs:
        got = listed[p.name]
        assert got["inferred_type_name"] == p.type.__name__
        assert got["help"] == p.help and got["help"]
        assert eval(got["default"]) == p.default  # noqa: S307 — our own literal, checks the round trip


def test_parameter_help_never_breaks_papermills_regex():
    for name in NOTEBOOKS:
        for p in params.spec(name):
            assert "=" not in p.help and "#" not in p.help and "\n" not in p.help, (name, p.name)
            assert p.type in (str, int, float, bool, list)


def test_context_sources_and_measures_are_those_of_the_module():
    assert params.CONTEXT_SOURCES == context.COMPARISON
    assert params.CONTEXT_MEASURES == tuple(context.MEASURES)


@needs_data
def test_context_year_and_highlight_are_checked_against_the_data():
    tl2 = (paths.RAW / "oecd" / "gdp_pop_tl2_00_20_imputed_l_CHL_PACHA.csv").read_text(encoding="latin-1")
    oecd_last = max(int(line.split(",")[1]) for line in tl2.splitlines()[1:])
    nsc = params._indicator_table()[1]
    nsc_last = int(nsc[(nsc["indicator"] == "grp_per_capita") & (nsc["level"] == 1)]["year"].max())
    assert params.check("04_context", {}).year == min(oecd_last, nsc_last) == 2020
    assert params.check("04_context", {"source": "gdl_shdi"}).year == 2022  # GDL SHDI 8.1 and the NSC: 2022
    assert params.check("04_context", {"year": 2015}).year == 2015
    with pytest.raises(ParameterError) as e:
        params.check("04_context", {"year": 2021})
    assert str(e.value) == (
        'parameter "year": found 2021; allowed: 2012 to 2020 (years both the NSC series and '
        "oecd_tl2 have), or 0 for the latest"
    )
    with pytest.raises(ParameterError) as e:
        params.check("04_context", {"highlight": ["KAZ", "kaz"]})
    assert str(e.value) == (
        "parameter \"highlight\": found 'kaz'; allowed: ISO 3166 alpha-3 codes (upper case) of "
        "countries in the comparison data, e.g. KAZ, UZB, TJK, RUS, CHN"
    )
    assert params.check("04_context", {"highlight": ["MEX"]}).highlight == ["MEX"]


def test_consultation_groupings_are_those_of_the_module():
    assert set(params.CONSULTATION_GROUPINGS) == set(consultations.GROUPINGS)


@pytest.mark.parametrize(
    "notebook, values, message",
    [
        ("01_imbalance", {"level": "district"}, "parameter \"level\": found 'district'; allowed: oblast, rayon"),
        ("01_imbalance", {"lang": "de"}, "parameter \"lang\": found 'de'; allowed: ky, ru, en"),
        ("01_imbalance", {"level": 2}, 'parameter "level": found 2; allowed: a value of type str'),
        ("01_imbalance", {"weighted": 1}, 'parameter "weighted": found 1; allowed: a value of type bool'),
        ("01_imbalance", {"n_boot": True}, 'parameter "n_boot": found True; allowed: a value of type int'),
        ("01_imbalance", {"n_boot": -5}, 'parameter "n_boot": found -5; allowed: 0 to 100000'),
        (
            "03_consultations",
            {"by": ["year", "colour"]},
            "parameter \"by\": found 'colour'; allowed: year, drafting_body, act_type, lsg_competence_area, legal_regime",
        ),
        ("03_consultations", {"by": "year"}, "parameter \"by\": found 'year'; allowed: a value of type list"),
        ("03_consultations", {"scenario_days": [15, 0]}, 'parameter "scenario_days": found 0; allowed: 1 to 365'),
        ("03_consultations", {"scenario_days": [15.5]}, "allowed: a list of int values"),
        ("03_consultations", {"register": "nope.csv"}, "allowed: an existing .csv or .xlsx file (not found)"),
        ("03_consultations", {"register": "README.md"}, "allowed: a .csv or .xlsx file"),
        ("03_consultations", {"out_dir": "data/raw"}, "allowed: a folder outside data/"),
        (
            "04_context",
            {"source": "kaz_grp"},
            "parameter \"source\": found 'kaz_grp'; allowed: oecd_tl2, oecd_tl3, gdl_gnic, gdl_shdi",
        ),
        ("04_context", {"measure": "mld"}, "parameter \"measure\": found 'mld'; allowed: theil, gini, cv, max_min"),
        ("04_context", {"highlight": "KAZ"}, "parameter \"highlight\": found 'KAZ'; allowed: a value of type list"),
        ("04_context", {"highlight": ["KAZ", 7]}, "allowed: a list of str values"),
        ("04_context", {"year": "2020"}, "parameter \"year\": found '2020'; allowed: a value of type int"),
    ],
)
def test_bad_value_is_one_clear_message_listing_the_allowed_values(notebook, values, message):
    with pytest.raises(ParameterError) as e:
        params.check(notebook, values)
    assert message in str(e.value)
    assert "\n" not in str(e.value)


def test_unknown_notebook_and_unknown_parameter():
    with pytest.raises(ParameterError, match="allowed: 01_imbalance, 02_migration_border, 03_consultations"):
        params.check("04_nope", {})
    with pytest.raises(ParameterError, match="allowed: a parameter of 03_consultations: register, by"):
        params.check("03_consultations", {"regster": "x.csv"}, strict=True)
    # a notebook passes locals(): other names are ignored
    p = params.check("03_consultations", {"In": [], "params": params, "register": ""})
    assert p.register == "" and p["by"] == ["year", "drafting_body", "act_type"]


def test_out_dir_resolves_to_an_absolute_folder(tmp_path):
    # empty: a run by hand (lsg run always passes out_dir) writes to its scratch folder, never reports/results
    assert params.check("03_consultations", {}).out_dir == str(
        (paths.ROOT / "reports/scratch/03_consultations").resolve()
    )
    assert params.check("01_imbalance", {"out_dir": ""}, strict=True).out_dir.endswith("reports/scratch/01_imbalance")
    assert params.check("03_consultations", {"out_dir": "reports/results"}).out_dir == str(paths.RESULTS.resolve())
    assert params.check("03_consultations", {"out_dir": str(tmp_path / "x")}).out_dir == str(tmp_path / "x")
    (tmp_path / "f").write_text("")
    with pytest.raises(ParameterError, match="this path is a file"):
        params.check("03_consultations", {"out_dir": str(tmp_path / "f")})


@needs_data
def test_indicator_and_years_are_checked_against_the_processed_data():
    cov = params.indicator_coverage()
    ind = params.defaults("01_imbalance")["indicator"]
    first, last = (int(v) for v in cov[(cov.indicator == ind) & (cov.level == 1)][["min", "max"]].iloc[0])
    p = params.check("01_imbalance", {})
    assert (p.year_from, p.year_to) == (first, last)
    with pytest.raises(ParameterError, match=f'parameter "year_from": found 1900; allowed: {first} to {last}'):
        params.check("01_imbalance", {"year_from": 1900})
    with pytest.raises(ParameterError, match="year_to"):
        params.check("01_imbalance", {"year_from": last, "year_to": first})
    with pytest.raises(
        ParameterError, match=r"parameter \"indicator\": found 'gdp_on_mars'; allowed: .*grp_per_capita"
    ):
        params.check("01_imbalance", {"indicator": "gdp_on_mars"})
    only_oblast = set(cov[cov.level == 1].indicator) - set(cov[cov.level == 2].indicator)
    if only_oblast:
        name = sorted(only_oblast)[0]
        with pytest.raises(ParameterError, match="allowed: an indicator with rayon data"):
            params.check("01_imbalance", {"indicator": name, "level": "rayon"})


@needs_data
def test_every_default_parameter_set_is_valid():
    for name in NOTEBOOKS:
        p = params.check(name, params.defaults(name), strict=True)
        assert set(p) == {q.name for q in params.spec(name)}


def test_docs_list_every_parameter():
    text = (paths.ROOT / "docs" / "notebooks.md").read_text(encoding="utf-8")
    for name in NOTEBOOKS:
        for p in params.spec(name):
            assert f"| `{p.name}` | {p.type.__name__} | `{params._literal(p.default)}` |" in text, (name, p.name)


@needs_data
def test_indicator_with_zero_values_is_refused_before_the_run():
    data = params._indicator_table()[1]
    zero = data[(data["level"] == 1) & (data["value"] <= 0)]
    if zero.empty:
        pytest.skip("no oblast indicator with a zero value in the shipped data")
    name, year = zero.iloc[0]["indicator"], int(zero.iloc[0]["year"])
    with pytest.raises(ParameterError, match=f"found '{name}'; allowed: an indicator with positive values"):
        params.check("01_imbalance", {"indicator": name, "year_from": year, "year_to": year})
