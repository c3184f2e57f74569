"""Warm kernels give the results a fresh kernel gives, and a Dask cluster gives the results local processes give.

1. Every notebook of the default run (``params.notebooks()``), fresh (papermill's own ``execute_notebook``, a new
   kernel each) and warm (the runner, one kernel for all, after the toy notebook left state behind): the results
   JSON files are byte-identical.
2. A 3-run grid of the toy notebook (one run fails) on a local Dask cluster (scheduler and 2 worker processes on
   127.0.0.1, started here) and with local processes: the same results files, statuses and errors.
"""

from __future__ import annotations

import csv
import json
import shutil

import papermill
import pytest

import runner_fixture
from runner_fixture import TOY, clean_run, write_grid
from lsg_analysis.runs import params, runner

toy = runner_fixture.toy  # the fixture
needs_data = pytest.mark.skipif(
    not (runner.paths.PROCESSED / "indicators.csv").exists(), reason="data/processed not built (run `lsg data build`)"
)
#: Quick parameters (seeded; fewer replicates than the defaults), the same for both ways of running; every notebook
#: of the default run is run, with its defaults where none is given here.
QUICK = {name: {} for name in params.notebooks()} | {
    "01_imbalance": {"n_boot": 49},
    "02_migration_border": {"n_perm": 99},
}


@needs_data
def test_warm_runs_write_the_results_of_fresh_kernels_byte_for_byte(toy):
    out = toy / "out"
    results = out / "results"
    fresh = {}
    for name, values in QUICK.items():  # fresh: papermill's execute_notebook, a new kernel per notebook
        papermill.execute_notebook(
            str(runner.notebook_path(name)),
            str(toy / f"{name}.ipynb"),
            parameters={**values, "out_dir": str(results)},
            kernel_name="python3",
            cwd=str(runner.paths.NOTEBOOKS),
            progress_bar=False,
        )
        fresh[name] = (results / f"{name}.json").read_bytes()
    shutil.rmtree(results)
    # warm: one kernel; the toy runs first and leaves a variable, a figure, seeded generators and another cwd
    runs = [runner.Run(TOY, {"x": 1}), *(runner.Run(name, values) for name, values in QUICK.items())]
    rows = runner.execute(runs, out=out, jobs=1, progress=False, html=False)
    assert [r["status"] for r in rows] == ["ok"] * len(runs), rows
    for name in QUICK:
        assert (results / f"{name}.json").read_bytes() == fresh[name], name


def read_log(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [{k: r[k] for k in ("stem", "status", "error", "parameters")} for r in csv.DictReader(f)]


def test_a_sweep_on_a_dask_cluster_matches_local_processes(toy):
    distributed = pytest.importorskip("distributed")
    grid = write_grid(toy / "g.yml", f"notebook: {TOY}\ngrid:\n  x: [1, 2, 3]\n  label: [b]\n")
    runs = runner.read_grid(grid)
    out = toy / "out"
    local = runner.execute(runs, out=out, jobs=2, progress=False, html=False)
    want = {r.stem: (out / "notebooks" / r.stem / "zz_toy.json").read_bytes() for r in runs if r.parameters["x"] != 2}
    assert want == {f"{TOY}__label-b__x-{x}": json.dumps(clean_run(x, "b")).encode() for x in (1, 3)}
    shutil.rmtree(out)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        remote = runner.execute(runs, out=out, progress=False, html=False, dask=cluster.scheduler_address)
    got = {r.stem: (out / "notebooks" / r.stem / "zz_toy.json").read_bytes() for r in runs if r.parameters["x"] != 2}
    assert got == want
    strip = [{k: r[k] for k in ("stem", "status", "error", "parameters", "results")} for r in local]
    assert [{k: r[k] for k in ("stem", "status", "error", "parameters", "results")} for r in remote] == strip
    assert [r["status"] for r in remote] == ["ok", "failed", "ok"] and "ValueError: boom: x is 2" in remote[1]["error"]
    assert read_log(out / "run_log.csv") == [
        {k: r[k] for k in ("stem", "status", "error", "parameters")} for r in local
    ]
    assert (out / "notebooks" / f"{TOY}__label-b__x-2.ipynb").exists()  # the failed run keeps its notebook


def test_an_unreachable_scheduler_is_one_clear_error(toy):
    pytest.importorskip("distributed")
    from lsg_analysis.core.errors import LsgError
    from lsg_analysis.runs import dask_runner

    with pytest.raises(LsgError, match="--dask tcp://127.0.0.1:9: no Dask scheduler answered"):
        dask_runner.connect("tcp://127.0.0.1:9", timeout=2)
