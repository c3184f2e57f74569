"""Speed of the pipeline: the main job, the default run and a parameter sweep, ours vs the papermill command line.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_pipeline.py``). In one run it times:

1. the main job (the ``lsg`` commands of the Makefile's ``run`` target: data build, figures, notebooks, briefs,
   dashboard) — once to warm the file cache, then measured (issue target: under 20 s warm on 2 cores);
2. the default ``lsg run`` (every notebook of ``params.notebooks()``, HTML included, into a temporary ``--out``) vs
   the same notebooks one by one with the papermill command line (target: at least 3×); and ``lsg run --no-html``,
   which does the same work as the papermill command line (no HTML either side);
3. a parameter sweep of ``01_imbalance`` (``--runs``, default 100: every indicator with oblast data × weighted
   yes/no × bootstrap 0/99 replicates, the first 100 valid combinations) with our runner (``lsg run --grid``,
   ``--jobs`` warm kernels; no HTML, the sweep default, and with ``--html``) vs the same runs one by one with the
   papermill command line (``papermill in.ipynb out.ipynb -y {...}``, a fresh kernel each; target: at least 15×);
4. the same sweep on a local Dask cluster (``distributed.LocalCluster``, ``--jobs`` worker processes of one thread
   on 127.0.0.1, started here) with ``lsg run --grid --dask ADDRESS`` vs ``--jobs`` local processes: Dask's
   overhead.

``--baseline-runs N`` times only the first N papermill runs and extrapolates to all runs (said so in the
output); the default runs them all. Outputs go to a temporary folder; nothing in ``reports/`` is touched except
by the main job itself.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from lsg_analysis.runs import params, runner
from lsg_analysis.core import paths
from lsg_analysis.core.errors import ParameterError


#: Kernel of the papermill CLI runs: the project's (``make kernel``, which ``make bench`` runs first), or --papermill-kernel.
PAPERMILL_KERNEL = [runner.KERNEL_NAME]


def timed(cmd: list[str], **kw) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def make_run_steps() -> dict[str, list[str]]:
    """The ``lsg`` commands of the Makefile's ``run`` target, in order (so the benchmark times what ``make run``
    runs after its set-up step)."""
    steps, inside = {}, False
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("run:"):
            inside = True
        elif inside and line.startswith("\t$(BIN)/lsg "):
            args = line.split()[1:]
            steps["lsg " + " ".join(args)] = [str(BIN / "lsg"), *args]
        elif inside and not line.startswith("\t"):
            break
    return steps


def main_job() -> dict[str, float]:
    steps = make_run_steps()
    for cmd in steps.values():  # warm-up: file cache, __pycache__, fonts
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {name: timed(cmd) for name, cmd in steps.items()}


def sweep(n: int) -> list[dict]:
    """The first ``n`` valid parameter sets of 01_imbalance (checked as the runner checks them)."""
    cov = params.indicator_coverage(level="oblast")
    runs = []
    for indicator, weighted, n_boot in itertools.product(sorted(cov["indicator"]), (True, False), (0, 99)):
        values = {"indicator": indicator, "level": "oblast", "weighted": weighted, "n_boot": n_boot}
        try:
            params.check("01_imbalance", values, strict=True)
        except ParameterError:
            continue
        runs.append(values)
    return runs[:n]


#: Mean time of one run inside its warm kernel (run_log.csv duration_s) of the last :func:`lsg_run`.
LAST_MEAN_RUN = [0.0]


def lsg_run(args: list[str], out: Path) -> tuple[float, int]:
    """Time ``lsg run ARGS --out OUT``; the number of ok runs in its log (their mean duration: LAST_MEAN_RUN)."""
    import csv

    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    subprocess.run(
        [str(BIN / "lsg"), "run", *args, "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - t0
    with open(out / "run_log.csv", newline="", encoding="utf-8") as f:
        ok = [float(r["duration_s"]) for r in csv.DictReader(f) if r["status"] == "ok"]
    LAST_MEAN_RUN[0] = sum(ok) / len(ok) if ok else 0.0
    return elapsed, len(ok)


def ours(runs: list[dict], out: Path, jobs: int, html: bool, dask: str | None = None) -> tuple[float, int]:
    import yaml

    out.mkdir(parents=True, exist_ok=True)
    grid = out / "grid.yml"
    grid.write_text(yaml.safe_dump([{"notebook": "01_imbalance", "parameters": r} for r in runs]), encoding="utf-8")
    where = ["--dask", dask] if dask else ["--jobs", str(jobs)]
    return lsg_run(["01_imbalance", "--grid", str(grid), *where, "--html" if html else "--no-html"], out)


def papermill_cli(runs: list[tuple[str, dict]], out: Path) -> tuple[float, int]:
    """``(notebook, parameters)`` runs one by one with the papermill command line (a fresh kernel each)."""
    out.mkdir(parents=True, exist_ok=True)
    ok = 0
    t0 = time.perf_counter()
    for i, (name, r) in enumerate(runs):
        values = {**r, "out_dir": str(out / f"run{i:03d}")}
        done = subprocess.run(
            [
                str(BIN / "papermill"),
                str(paths.NOTEBOOKS / f"{name}.ipynb"),
                str(out / f"run{i:03d}.ipynb"),
                "-y",
                json.dumps(values),
                "-k",
                PAPERMILL_KERNEL[0],
                "--cwd",
                str(paths.NOTEBOOKS),
                "--no-progress-bar",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        ok += done.returncode == 0
    return time.perf_counter() - t0, ok


def default_run(tmp: Path) -> None:
    """The default ``lsg run`` (all notebooks, HTML) vs the same notebooks one by one with the papermill CLI; and,
    like for like (the papermill CLI writes no HTML), ``lsg run --no-html``."""
    jobs = str(os.cpu_count() or 2)
    t_ours, ok = lsg_run(["--jobs", jobs], tmp / "default")
    n = len(params.notebooks())
    print(f"default   lsg run ({n} notebooks, HTML)            {t_ours:7.1f} s  ({ok} ok)")
    t_bare, ok_bare = lsg_run(["--jobs", jobs, "--no-html"], tmp / "default_no_html")
    print(f"default   lsg run --no-html                     {t_bare:7.1f} s  ({ok_bare} ok)")
    t_pm, ok_pm = papermill_cli([(name, {}) for name in params.notebooks()], tmp / "default_papermill")
    print(f"default   papermill CLI one by one              {t_pm:7.1f} s  ({ok_pm} ok)")
    print(
        f"ratio papermill CLI / lsg run (default):  {t_pm / t_ours:5.1f}x   target >= 3x: "
        f"{'met' if t_pm / t_ours >= 3 else 'NOT met'}"
    )
    print(f"ratio papermill CLI / lsg run --no-html (the same work, no HTML either side):  {t_pm / t_bare:5.1f}x")


def dask_sweep(runs: list[dict], tmp: Path, jobs: int, t_local: float) -> None:
    """The sweep on a local Dask cluster of ``jobs`` one-thread worker processes vs ``jobs`` local processes."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None, silence_logs=40
    ) as cluster:
        t_dask, ok = ours(runs, tmp / "dask", jobs, html=False, dask=cluster.scheduler_address)
    print(
        f"dask      lsg run --grid --dask (LocalCluster, {jobs} workers)  {t_dask:7.1f} s  ({ok} ok; local "
        f"--jobs {jobs}: {t_local:.1f} s, Dask overhead {t_dask - t_local:+.1f} s, {t_dask / t_local:.2f}x)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=100, help="runs in the sweep (default 100)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="our runner's workers (default: cores)")
    ap.add_argument("--baseline-runs", type=int, default=None, help="papermill CLI runs to time (default: all)")
    ap.add_argument("--skip-main", action="store_true", help="skip the main-job timing")
    ap.add_argument("--skip-default", action="store_true", help="skip the default run vs papermill CLI timing")
    ap.add_argument("--skip-dask", action="store_true", help="skip the sweep on a local Dask cluster")
    ap.add_argument("--html", action="store_true", help="also time the sweep with HTML export")
    ap.add_argument(
        "--papermill-kernel",
        default=runner.KERNEL_NAME,
        help="kernel name for the papermill CLI runs (default: the project's, as `make kernel` installs it)",
    )
    a = ap.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    if not a.skip_main:
        steps = main_job()
        for name, s in steps.items():
            print(f"main job  {name:<22} {s:6.2f} s")
        total = sum(steps.values())
        print(
            f"main job  total (warm)             {total:6.2f} s   target < 20 s: {'met' if total < 20 else 'NOT met'}"
        )
    PAPERMILL_KERNEL[0] = a.papermill_kernel
    runs = sweep(a.runs)
    tmp = Path(tempfile.mkdtemp(prefix="lsg-bench-"))
    try:
        if not a.skip_default:
            default_run(tmp)
        print(f"sweep: {len(runs)} runs of 01_imbalance (indicators with oblast data × weighted × n_boot 0/99)")
        t_ours, ok_ours = ours(runs, tmp / "ours", a.jobs, html=False)
        in_kernel = LAST_MEAN_RUN[0]
        print(
            f"ours      lsg run --grid --jobs {a.jobs} (no HTML)  {t_ours:7.1f} s  ({t_ours / len(runs):.2f} s/run, "
            f"{ok_ours} ok; one run inside its warm kernel: {in_kernel:.2f} s)"
        )
        if a.html:
            t_html, ok_html = ours(runs, tmp / "ours_html", a.jobs, html=True)
            print(
                f"ours      lsg run --grid --jobs {a.jobs} --html     {t_html:7.1f} s  "
                f"({t_html / len(runs):.2f} s/run, {ok_html} ok)"
            )
        base = runs if a.baseline_runs is None else runs[: a.baseline_runs]
        t_pm, ok_pm = papermill_cli([("01_imbalance", r) for r in base], tmp / "papermill")
        per_run = t_pm / len(base)
        t_pm_all = per_run * len(runs)
        note = "" if len(base) == len(runs) else f" (timed {len(base)} runs, extrapolated to {len(runs)})"
        print(
            f"papermill CLI one by one               {t_pm_all:7.1f} s  ({per_run:.2f} s/run, {ok_pm} of "
            f"{len(base)} ok){note}"
        )
        print(
            f"ratio papermill CLI / ours (no HTML):  {t_pm_all / t_ours:5.1f}x   target >= 15x: "
            f"{'met' if t_pm_all / t_ours >= 15 else 'NOT met'}"
        )
        if a.html:
            print(f"ratio papermill CLI / ours (HTML):     {t_pm_all / t_html:5.1f}x")
        if in_kernel:  # the most any runner can gain: the notebook's own compute is left, split over the jobs
            print(f"ceiling papermill CLI / (in-kernel run / jobs):  {per_run / (in_kernel / a.jobs):5.1f}x")
        if not a.skip_dask:
            dask_sweep(runs, tmp, a.jobs, t_ours)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
