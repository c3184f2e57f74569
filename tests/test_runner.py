"""The runner: grid YAML → runs, validation before any kernel, failures isolated and logged, atomic outputs.

Execution tests use a tiny notebook registered as an extra notebook spec (no project data needed).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import nbformat
import pytest

from lsg_analysis.runs import kernel, params, runner
from lsg_analysis.core.errors import LsgError, ParameterError

import runner_fixture
from runner_fixture import TOY, clean_run, write_grid

toy = runner_fixture.toy  # the fixture


def test_grid_yaml_is_the_cartesian_product_with_fixed_parameters(toy):
    g = write_grid(
        toy / "g.yml", f"notebook: {TOY}\ngrid:\n  x: [0, 1, 3]\n  label: [a, b]\nparameters:\n  out_dir: ''\n"
    )
    runs = runner.read_grid(g)
    assert len(runs) == 6
    assert {(r.parameters["x"], r.parameters["label"]) for r in runs} == {(x, lab) for x in (0, 1, 3) for lab in "ab"}
    assert all(not r.default and r.parameters["out_dir"] == "" for r in runs)
    assert len({r.stem for r in runs}) == 6
    assert runs[0].stem.startswith(f"{TOY}__")


def test_grid_list_of_entries_and_list_parameters(tmp_path):
    text = (
        "- notebook: 03_consultations\n  grid:\n    by: [[year], [act_type, year]]\n"
        "- notebook: 03_consultations\n  grid:\n    scenario_days: [10, 20]\n"
    )
    runs = runner.read_grid(write_grid(tmp_path / "g.yml", text))
    assert [r.parameters for r in runs] == [{"by": ["year"]}, {"by": ["act_type", "year"]}, {"scenario_days": [10, 20]}]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("notebook: 99_nope\n", "99_nope"),
        ("- 3\n", "entry 1"),
        ("notebook: 01_imbalance\ngird: {}\n", "gird"),
        ("notebook: [\n", "valid YAML"),
    ],
)
def test_bad_grid_file_is_one_clear_error(tmp_path, text, expected):
    with pytest.raises(LsgError, match=expected):
        runner.read_grid(write_grid(tmp_path / "g.yml", text))


def test_bad_parameter_is_rejected_before_any_kernel_starts(toy, monkeypatch):
    monkeypatch.setattr(runner.worker, "process_worker", lambda *a: pytest.fail("a worker started"))
    g = write_grid(toy / "g.yml", f"notebook: {TOY}\ngrid:\n  label: [a, c]\n")
    with pytest.raises(ParameterError) as e:
        runner.execute(runner.read_grid(g), out=toy / "out", progress=False)
    assert str(e.value) == f"{TOY}: parameter \"label\": found 'c'; allowed: a, b"
    assert not (toy / "out").exists()
    with pytest.raises(ParameterError, match="a parameter of zz_toy: x, label, out_dir"):
        runner.execute([runner.Run(TOY, {"z": 1}, default=False)], out=toy / "out", progress=False)


def test_a_run_failing_the_data_checks_stops_the_started_workers(toy, monkeypatch):
    """The checks against the data run while the workers' kernels start: one failing is the same single error,
    nothing is written and every worker (which shuts its kernel down) has exited when execute returns."""
    import multiprocessing

    def data_check(values):
        if values["x"] == 3:
            raise ParameterError("x", 3, "a value the data has")

    monkeypatch.setitem(params._DYNAMIC, TOY, data_check)
    g = write_grid(toy / "g.yml", f"notebook: {TOY}\ngrid:\n  x: [1, 3]\n")
    with pytest.raises(ParameterError) as e:
        runner.execute(runner.read_grid(g), out=toy / "out", jobs=2, progress=False)
    assert str(e.value) == f'{TOY}: parameter "x": found 3; allowed: a value the data has'
    assert not (toy / "out").exists()
    assert multiprocessing.active_children() == []


def test_one_failing_run_keeps_the_others_outputs_and_is_logged(toy):
    out = toy / "out"
    g = write_grid(toy / "g.yml", f"notebook: {TOY}\ngrid:\n  x: [1, 2, 3]\n")
    runs = runner.read_grid(g)
    rows = runner.execute(runs, out=out, jobs=1, progress=False)
    status = {r["stem"]: r["status"] for r in rows}
    assert status == {f"{TOY}__x-1": "ok", f"{TOY}__x-2": "failed", f"{TOY}__x-3": "ok"}
    failed = next(r for r in rows if r["status"] == "failed")
    assert "ValueError: boom: x is 2" in failed["error"]
    for stem in status:  # every run keeps its executed notebook and HTML, the failed one too
        nb = nbformat.read(out / "notebooks" / f"{stem}.ipynb", as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and f"x = {stem[-1]}" in injected[0].source
        assert (out / "notebooks" / f"{stem}.html").stat().st_size > 1000
    # results of grid runs go next to their notebook; the kernel is reset between runs: run 3 saw no variable,
    # figure, seeded random state or working directory of run 1 (which left all four behind)
    for x in (1, 3):
        res = json.loads((out / "notebooks" / f"{TOY}__x-{x}" / "zz_toy.json").read_text())
        assert res == clean_run(x)
    assert not (out / "notebooks" / f"{TOY}__x-2").exists()
    assert not list(out.rglob("*.tmp"))
    with open(out / "run_log.csv", newline="", encoding="utf-8") as f:
        log = list(csv.DictReader(f))
    assert [r["status"] for r in log] == ["ok", "failed", "ok"]
    assert json.loads(log[0]["parameters"])["x"] == 1 and float(log[0]["duration_s"]) > 0


def test_cli_default_run_writes_results_folder_and_exit_status(toy, capfd):
    out = toy / "out"
    (toy / "p.yml").write_text("label: b\nx: 1\n", encoding="utf-8")
    args = argparse.Namespace(
        notebooks=[TOY],
        grid=None,
        jobs=1,
        out=str(out),
        no_html=True,
        parameters=[["x", "3"]],
        parameters_file=[str(toy / "p.yml")],
    )
    assert runner.run_cli(args) == 0
    assert json.loads((out / "results" / "zz_toy.json").read_text()) == clean_run(3, "b")  # -p wins over -f
    assert (out / "notebooks" / f"{TOY}.ipynb").exists() and not (out / "notebooks" / f"{TOY}.html").exists()
    printed = capfd.readouterr()  # file descriptors: the worker's and the kernel's output too
    assert f"lsg run: results of zz_toy in {out / 'results' / 'zz_toy.json'}\n" in printed.out
    assert "1 of 1 run(s) ok" in printed.out
    assert "without encryption" not in printed.err and "Warning" not in printed.err, printed.err
    with pytest.raises(ParameterError, match="allowed: a whole number of processes"):
        runner.run_cli(argparse.Namespace(notebooks=[], grid=None, jobs=0, out=None, no_html=True))


def test_cli_parameters_are_yaml_like_papermills_and_checked_before_any_kernel(toy, monkeypatch):
    monkeypatch.setattr(runner.worker, "process_worker", lambda *a: pytest.fail("a worker started"))
    (toy / "p.yml").write_text("by: [year]\nx: 2\n", encoding="utf-8")
    got = runner.cli_parameters(
        [
            ["x", "3"],
            ["weighted", "false"],
            ["by", "[year, act_type]"],
            ["label", "b"],
            ["register", ""],
            ["name", "a: b: c"],
        ],
        [str(toy / "p.yml")],
    )
    assert got == {
        "by": ["year", "act_type"],
        "x": 3,
        "weighted": False,
        "label": "b",
        "register": "",
        "name": "a: b: c",
    }
    for bad, expected in (("- 1\n", "a mapping parameter name"), ("x: [\n", "valid YAML")):
        (toy / "bad.yml").write_text(bad, encoding="utf-8")
        with pytest.raises(LsgError, match=expected):
            runner.cli_parameters(None, [str(toy / "bad.yml")])
    args = argparse.Namespace(
        notebooks=[TOY],
        grid=None,
        jobs=1,
        out=str(toy / "out"),
        no_html=True,
        parameters=[["z", "1"]],
        parameters_file=None,
    )
    with pytest.raises(ParameterError) as e:  # the same error as an unknown name in a grid
        runner.run_cli(args)
    assert str(e.value) == f'{TOY}: parameter "z": found 1; allowed: a parameter of zz_toy: x, label, out_dir'
    assert not (toy / "out").exists()
    # with parameters but no --out a run is laid out as a grid run: never over reports/results
    assert runner.plan([TOY], None, {"x": 3}) == [runner.Run(TOY, {"x": 3}, default=False)]
    assert runner.plan([TOY], None, {"x": 3}, out="o") == [runner.Run(TOY, {"x": 3}, default=True)]
    assert runner.plan([TOY], None, {}) == [runner.Run(TOY)]


def test_a_grids_out_dir_is_honoured_and_two_runs_on_one_file_are_refused(toy, monkeypatch):
    g = write_grid(toy / "g.yml", f"notebook: {TOY}\ngrid:\n  x: [1, 3]\nparameters:\n  out_dir: {toy / 'same'}\n")
    with pytest.raises(LsgError) as e:
        runner.prepare(runner.read_grid(g), toy / "out")
    stems = [r.stem for r in runner.read_grid(g)]
    assert str(e.value).startswith(f"runs {stems[0]} and {stems[1]} would both write {toy / 'same' / 'zz_toy.json'}")
    g = write_grid(
        toy / "g.yml",
        f"- notebook: {TOY}\n  parameters: {{x: 1, out_dir: {toy / 'b'}}}\n"
        f"- notebook: {TOY}\n  parameters: {{x: 3, out_dir: ''}}\n",
    )
    rows = runner.execute(runner.read_grid(g), out=toy / "out", jobs=1, progress=False, html=False)
    assert [r["results"] for r in rows] == [
        str(toy / "b" / "zz_toy.json"),
        str(toy / "out" / "notebooks" / f"{TOY}__out_dir-empty__x-3" / "zz_toy.json"),
    ]
    assert json.loads((toy / "b" / "zz_toy.json").read_text()) == clean_run(1)
    assert json.loads(Path(rows[1]["results"]).read_text()) == clean_run(3)


@pytest.mark.skipif(not (runner.paths.PROCESSED / "indicators.csv").exists(), reason="data/processed not built")
def test_the_grid_example_in_the_docs_is_valid(tmp_path):
    text = (runner.paths.ROOT / "docs" / "notebooks.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    runs = runner.read_grid(write_grid(tmp_path / "g.yml", example))
    assert len(runs) == 6 + 1 + 2
    prepared = runner.prepare(runs, tmp_path)
    assert [v["out_dir"] for _, v in prepared][0] == str(tmp_path / "notebooks" / runs[0].stem)


def test_one_kernel_name_in_notebooks_makefile_runner_and_docs():
    root = runner.paths.ROOT
    for nb in sorted(runner.paths.NOTEBOOKS.glob("*.ipynb")):
        assert nbformat.read(nb, as_version=4).metadata["kernelspec"]["name"] == runner.KERNEL_NAME, nb.name
    make = (root / "Makefile").read_text(encoding="utf-8")
    assert f"KERNEL := {runner.KERNEL_NAME}\n" in make and "ipykernel install --sys-prefix --name $(KERNEL)" in make
    assert f'kernel "{runner.KERNEL_NAME}"' in (root / "docs" / "notebooks.md").read_text(encoding="utf-8")


def test_the_project_kernel_is_this_interpreter_on_ipc_without_an_installed_spec():
    import sys

    spec = kernel.kernel_specs().get_kernel_spec(runner.KERNEL_NAME)
    assert spec.argv[0] == sys.executable and spec.argv[-4:] == ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert spec.display_name == kernel.KERNEL_DISPLAY_NAME
    km = kernel.manager(runner.KERNEL_NAME)
    assert km.transport == "ipc" and km.kernel_spec.argv[0] == sys.executable
