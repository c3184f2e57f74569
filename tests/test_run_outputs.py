"""Every run a first-class input of the brief and the dashboard: ``load_run`` (a run's folder, fallbacks to the
default results, origins), the run stamps, the ``--results`` errors, and the institute's register end to end
(a register made from the template in tmp_path → ``lsg run --out`` → ``lsg brief/dashboard --results``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
from pathlib import Path

import openpyxl
import pytest
from test_consultations import ADOPTED, FIELDS, SENT, row

from lsg_analysis.cli import main
from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError, LsgError
from lsg_analysis.outputs import stamps
from lsg_analysis.runs import results
from lsg_analysis.runs.results import Origin, load_run

FIXTURES = Path(__file__).parent / "fixtures" / "brief_results"
NBS = ("01_imbalance", "02_migration_border", "03_consultations", "04_context")


def _tree(root: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in root.rglob("*")}


@pytest.fixture
def defaults(monkeypatch):
    """The default results are the synthetic fixtures (so the test does not depend on a `make run`)."""
    monkeypatch.setattr(paths, "RESULTS", FIXTURES)
    return FIXTURES


def _off_default_run(folder: Path, **parameters) -> Path:
    """``folder/results/01_imbalance.json``: the fixture with these parameters recorded (as `lsg run --out` writes)."""
    data = json.loads((FIXTURES / "01_imbalance.json").read_text(encoding="utf-8"))
    data["parameters"] = parameters
    out = folder / "results" / "01_imbalance.json"
    out.parent.mkdir(parents=True)
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


# ------------------------------------------------------------------ load_run


def test_a_run_folder_or_its_results_folder_with_the_rest_from_the_default_results(tmp_path, defaults):
    path = _off_default_run(
        tmp_path / "run", indicator="rayon_poverty_rate", level="rayon", weighted=False, n_boot=999, out_dir="/x"
    )
    stamp_time = dt.datetime(2025, 3, 4, 12, tzinfo=dt.timezone.utc).timestamp()
    os.utime(path, (stamp_time, stamp_time))
    for folder in (tmp_path / "run", tmp_path / "run" / "results"):
        run = load_run(folder)
        assert set(run.results) == set(NBS)
        own = run.origins["01_imbalance"]
        assert own == Origin(
            "01_imbalance",
            str(tmp_path / "run" / "results"),
            False,
            "2025-03-04",
            {"indicator": "rayon_poverty_rate", "level": "rayon", "weighted": False},
        )
        assert run.results["01_imbalance"]["parameters"]["level"] == "rayon"
        for nb in NBS[1:]:
            assert run.origins[nb].default and run.origins[nb].folder == paths.rel(FIXTURES)
            assert run.results[nb] == results.load(nb, FIXTURES)


def test_the_default_results_when_no_folder_is_given(defaults):
    run = load_run()
    assert all(o.default and o.changed == {} for o in run.origins.values())


def test_a_register_parameter_is_stamped_by_its_file_name(defaults):
    assert results.changed_parameters("03_consultations", {"register": "/home/x/my_register.xlsx", "lang": "en"}) == {
        "register": "my_register.xlsx"
    }


def test_a_missing_folder_is_one_clear_error(tmp_path, defaults):
    with pytest.raises(LsgError, match=f"results folder {tmp_path / 'nope'} does not exist"):
        load_run(tmp_path / "nope")


def test_a_folder_without_results_is_one_clear_error(tmp_path, defaults):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "notes.json").write_text("{}", encoding="utf-8")
    with pytest.raises(LsgError, match="has no results file .*01_imbalance.json.* in it or in its results/ folder"):
        load_run(tmp_path)


def test_corrupt_json_names_the_file(tmp_path, defaults):
    (tmp_path / "03_consultations.json").write_text('{"schema": ', encoding="utf-8")
    with pytest.raises(DataError, match=r"03_consultations\.json, row 1: found \"invalid JSON"):
        load_run(tmp_path)


def test_results_of_another_contract_version_name_the_file_and_the_schema(tmp_path, defaults):
    data = json.loads((FIXTURES / "02_migration_border.json").read_text(encoding="utf-8"))
    (tmp_path / "02_migration_border.json").write_text(json.dumps({**data, "schema": "lsg-results/0"}), "utf-8")
    with pytest.raises(
        DataError, match=r'02_migration_border\.json, column "schema": found "lsg-results/0".*run the notebook'
    ):
        load_run(tmp_path)


def test_a_notebook_missing_everywhere_says_run_lsg_run(tmp_path, monkeypatch):
    _off_default_run(tmp_path / "run")
    monkeypatch.setattr(paths, "RESULTS", tmp_path / "empty")
    with pytest.raises(DataError, match="02_migration_border.*run `lsg run` first"):
        load_run(tmp_path / "run")


# ------------------------------------------------------------------ stamps


def test_stamps_say_the_run_its_date_and_changed_parameters_in_each_language():
    own = Origin("01_imbalance", "/tmp/r/results", False, "2025-03-04", {"level": "rayon", "weighted": False})
    default = Origin("02_migration_border", "reports/results", True, "2025-03-01", {})
    origins = {"01_imbalance": own, "02_migration_border": default}
    en = stamps.section_stamps(origins, "en")
    assert en == {
        "imbalance": "Run of 4 March 2025: results in /tmp/r/results. "
        "Parameters changed from the defaults: level of units: by district; weighted by population: no.",
        "context": "",
        "border": "Default run of 1 March 2025: results in reports/results.",
        "consult": "",
    }
    ru, ky = stamps.section_stamps(origins, "ru"), stamps.section_stamps(origins, "ky")
    assert ru["imbalance"] == (
        "Запуск от 4 марта 2025\u00a0г.: итоги в /tmp/r/results. Параметры, изменённые относительно исходных: "
        "уровень единиц: по районам; взвешивание по населению: нет."
    )
    assert ky["border"].startswith("Негизги иштетүү") and "reports/results" in ky["border"]
    assert stamps.origin_lines(origins) == [  # the command line: the parameters as `-p NAME VALUE` takes them
        "imbalance: 01_imbalance from Run of 4 March 2025: results in /tmp/r/results. "
        "Parameters changed from the defaults: level = rayon, weighted = false.",
        "border: 02_migration_border from " + en["border"],
    ]


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_every_stamped_parameter_is_said_by_its_label_never_by_its_name(lang):
    """A stamp names each changed parameter by its catalogue label (``param_<name>``), in the stamp's language."""
    from lsg_analysis.runs import params
    from lsg_analysis.runs.results import NOT_STAMPED

    names = sorted({p.name for specs in params.SPECS.values() for p in specs} - set(NOT_STAMPED))
    for name in names:
        text = stamps.parameters_label_text({name: 1}, lang)
        assert not text.startswith(f"{name} ="), f"{name} has no label in {lang}"
    assert (
        stamps.parameters_label_text({"lang": "ru"}, lang)
        == {
            "ky": "аталыштардын жана белгилердин тили: орус тили",
            "ru": "язык названий и подписей: русский",
            "en": "language of names and labels: Russian",
        }[lang]
    )


@pytest.mark.parametrize("command", ["brief", "dashboard"])
def test_results_option_errors_exit_2_with_one_line(tmp_path, capsys, command):
    assert main([command, "--results", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert (
        err == f"lsg: error: results folder {tmp_path / 'nope'} does not exist (give the --out folder of `lsg run`)\n"
    )
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ the institute's register end to end


def _register(path: Path) -> Path:
    """The template (`lsg consult template`) filled with four test rows, as a coder would in Excel."""
    assert main(["consult", "template", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["register"]
    for r, values in enumerate([row(1, **ADOPTED), row(2, **SENT), row(3), row(4, **SENT, **ADOPTED)], start=2):
        for col, name in enumerate(FIELDS, start=1):
            if values.get(name, "") != "":
                ws.cell(row=r, column=col, value=values[name])
    wb.save(path)
    return path


def test_the_institutes_register_end_to_end(tmp_path, capsys, monkeypatch, default_runs):
    folder, rows = default_runs
    assert all(rows[nb]["status"] == "ok" for nb in NBS), rows
    monkeypatch.setattr(paths, "RESULTS", folder / "results")  # the default results of this session's default run
    raw_before = _tree(paths.RAW)
    reg = _register(tmp_path / "my_register.xlsx")
    sha = hashlib.sha256(reg.read_bytes()).hexdigest()
    run_dir = tmp_path / "run"
    assert main(["run", "03_consultations", "-p", "register", str(reg), "--out", str(run_dir), "--no-html"]) == 0
    out = capsys.readouterr().out
    assert f"results of 03_consultations in {run_dir / 'results' / '03_consultations.json'}" in out

    recorded = json.loads((run_dir / "results" / "03_consultations.json").read_text(encoding="utf-8"))
    assert recorded["metrics"]["n_rows"]["value"] == 4
    assert recorded["metrics"]["n_rows"]["sources"] == ["file:my_register.xlsx"]
    info = recorded["sources"]["file:my_register.xlsx"]
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert (info["file"], info["sha256"], info["rows"], info["read"]) == ("my_register.xlsx", sha, 4, today)

    assert main(["brief", "--results", str(run_dir / "results"), "--lang", "en", "--out", str(tmp_path / "b")]) == 0
    printed = capsys.readouterr().out
    assert "lsg brief: consult: 03_consultations from Run of " in printed
    assert f"results in {run_dir / 'results'}. Parameters changed from the defaults: register = my_register.xlsx." in (
        printed
    )
    assert "lsg brief: imbalance: 01_imbalance from Default run of " in printed
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(tmp_path / "b" / "brief_en.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Parameters changed from the defaults: register file: my_register.xlsx." in text
    assert "my_register.xlsx: the user's register file: 4 rows, read" in text
    assert sha[:20] in text.replace(" ", "")

    page = tmp_path / "d.html"
    assert main(["dashboard", "--results", str(run_dir), "--out", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert f'"en":"sha256 {sha}"' in html and "the user's register file: 4 rows, read" in html
    assert "register file: my_register.xlsx" in html and "реестр файлы: my_register.xlsx" in html
    assert _tree(paths.RAW) == raw_before  # nothing copied into data/raw


# ------------------------------------------------------------------ words of an off-default run


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Poverty rate (MLSD via WFP PRISM)"),
        ("ru", "Уровень бедности (МТСР, через ВПП PRISM)"),
        ("ky", "Кедейчиликтин деңгээли (ЭСӨМ, БУУ ДАТП PRISM аркылуу)"),
    ],
)
def test_the_level_is_said_once(lang, expected):
    from lsg_analysis.outputs import i18n

    name = i18n.indicator_name("rayon_poverty_rate", lang)
    assert i18n.without_level(name, "rayon", lang) == expected
    assert i18n.without_level(name, "oblast", lang) == name  # another level: the name as it is
    grp = i18n.indicator_name("grp_per_capita", lang)
    assert i18n.without_level(grp, "oblast", lang) == grp


@pytest.mark.parametrize(("low", "labelled"), [(0.0041, False), (-0.001, True)])
def test_the_change_card_is_labelled_an_estimate_when_no_change_is_claimed(low, labelled):
    from lsg_analysis.outputs.brief import brief_content

    res = {nb: results.load(nb, FIXTURES) for nb in NBS}
    res["01_imbalance"]["metrics"]["theil_change_ci_low"]["value"] = low
    content = brief_content("en", res, dt.date(2026, 1, 1))
    card = next(f for f in content["findings"] if f["label"].startswith("Change of the Theil index"))
    assert card["value"] == "+25.0%"
    assert card["label"].endswith("(estimate only: no change shown)") is labelled
    assert card["detail"].startswith("No change shown") is labelled
