"""``lsg run``: execute the notebooks (all, or a parameter grid) in parallel, fast, and keep every output.

Design (why it is fast): a kernel start and the heavy imports (pandas, geopandas, matplotlib, esda) cost
seconds, the notebooks themselves much less. So ``--jobs`` worker processes each start ONE Jupyter kernel,
import the heavy libraries into it once, and then execute notebook after notebook in that kernel, with
the kernel reset between runs (:data:`~lsg_analysis.runs.kernel.RESET`: namespace, figures, working directory,
global random state; re-imports hit ``sys.modules``); the worker code is :mod:`lsg_analysis.runs.worker`, the same
for local processes and for Dask workers (``--dask``, :mod:`lsg_analysis.runs.dask_runner`). Execution goes through
papermill's own pieces (``parameterize_notebook`` injects the ``injected-parameters`` cell,
``PapermillNotebookClient`` runs the cells and records papermill metadata), so an executed notebook is the
same document ``papermill`` would write.

Before any notebook runs, every parameter set is checked with :func:`lsg_analysis.runs.params.check`: names,
types, allowed values and results files before any kernel starts, the checks against the data while the local
workers' kernels start and warm up (:class:`LocalWorkers`; a failure stops them and is the same one error).
Each run writes, atomically, ``<out>/notebooks/<stem>.ipynb`` (also when it fails: the error is in the
notebook) and, with HTML (default for default runs, ``--html`` for a grid), ``<out>/notebooks/<stem>.html``;
default runs write their results to ``<out>/results/<notebook>.json``, grid runs (and runs with ``-p``/``-f`` but
no ``--out``) to ``<out>/notebooks/<stem>/<notebook>.json``, a run naming an ``out_dir`` to that folder. One row per
run is appended to ``<out>/run_log.csv`` (notebook, parameters, start, duration, status, error).

Grid YAML: one mapping or a list of mappings ``{notebook: 01_imbalance, grid: {level: [oblast, rayon]},
parameters: {n_boot: 0}}`` — the cartesian product of the ``grid`` lists, each with the fixed
``parameters``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lsg_analysis.core import atomic, paths
from lsg_analysis.runs import params, worker
from lsg_analysis.runs.kernel import KERNEL_NAME
from lsg_analysis.core.errors import LsgError, ParameterError

LOG_COLUMNS = ("run_id", "notebook", "stem", "parameters", "start", "duration_s", "status", "error", "output")


@dataclass(frozen=True)
class Run:
    """One notebook execution: ``parameters`` are injected as given (the notebook resolves defaults)."""

    notebook: str
    parameters: dict[str, Any] = field(default_factory=dict)
    default: bool = True

    @property
    def stem(self) -> str:
        """Output name: the notebook name, plus ``__name-value`` pairs for a grid run."""
        if self.default:
            return self.notebook
        parts = [f"{k}-{_slug(v)}" for k, v in sorted(self.parameters.items())]
        stem = "__".join([self.notebook, *parts])
        if len(stem) > 120:
            digest = hashlib.sha1(json.dumps(self.parameters, sort_keys=True).encode()).hexdigest()[:10]
            stem = f"{stem[:100]}__{digest}"
        return stem


def _slug(value: Any) -> str:
    text = "+".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return re.sub(r"[^A-Za-z0-9_.+-]+", "_", text) or "empty"


def notebook_path(name: str) -> Path:
    return paths.NOTEBOOKS / f"{name}.ipynb"


def read_grid(path: str | Path) -> list[Run]:
    """Runs of a grid YAML file (see the module docstring); a malformed file is an :class:`LsgError`."""
    import yaml

    from lsg_analysis.core.errors import DataError

    where = paths.rel(path)
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(where, "no file", "a grid YAML file") from None
    except yaml.YAMLError as e:
        raise DataError(where, str(e).splitlines()[0], "valid YAML") from None
    entries = doc if isinstance(doc, list) else [doc]
    runs: list[Run] = []
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or "notebook" not in entry:
            raise DataError(where, entry, f"entry {i}: a mapping with keys notebook, grid, parameters")
        unknown = set(entry) - {"notebook", "grid", "parameters"}
        if unknown:
            raise DataError(where, ", ".join(sorted(unknown)), f"entry {i}: only keys notebook, grid, parameters")
        params.spec(entry["notebook"])
        grid = entry.get("grid") or {}
        fixed = entry.get("parameters") or {}
        if not isinstance(grid, dict) or not isinstance(fixed, dict):
            raise DataError(where, entry, f"entry {i}: grid and parameters as mappings name → value(s)")
        names = list(grid)
        # A scalar in the grid is one value; for a list-typed parameter a list of lists is its values.
        choices = [_grid_values(entry["notebook"], n, grid[n]) for n in names]
        for combo in itertools.product(*choices):
            runs.append(Run(entry["notebook"], {**fixed, **dict(zip(names, combo))}, default=False))
    return runs


def _grid_values(notebook: str, name: str, values: Any) -> list[Any]:
    kind = next((p.type for p in params.spec(notebook) if p.name == name), None)
    if not isinstance(values, list):
        return [values]
    if kind is list and not any(isinstance(v, list) for v in values):
        return [values]
    return values


def plan(
    notebooks: Sequence[str],
    grid: str | Path | None,
    parameters: dict[str, Any] | None = None,
    out: str | Path | None = None,
) -> list[Run]:
    """The runs of ``lsg run``: a grid file's runs (optionally only the named notebooks), or one run of each named
    notebook (all when none named) with ``parameters``. Runs with parameters but no ``out`` folder are laid out as
    grid runs (results next to their notebook), so they never overwrite the default results in reports/results."""
    for name in notebooks:
        params.spec(name)
    if grid:
        if parameters:
            raise LsgError("-p/-f and --grid together: put fixed values in the grid file's parameters")
        runs = read_grid(grid)
        return [r for r in runs if not notebooks or r.notebook in notebooks]
    default = not parameters or out is not None
    return [Run(name, dict(parameters or {}), default=default) for name in (notebooks or params.notebooks())]


def cli_parameters(pairs: Sequence[Sequence[str]] | None, files: Sequence[str] | None) -> dict[str, Any]:
    """Parameters of ``-f FILE`` (YAML mappings, in order) then ``-p NAME VALUE`` (each value parsed as YAML,
    as papermill does: ``-p n_boot 99`` is a number, ``-p by "[year]"`` a list); later ones win."""
    import yaml

    from lsg_analysis.core.errors import DataError

    values: dict[str, Any] = {}
    for path in files or ():
        try:
            doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DataError(paths.rel(path), "no file", "a YAML file of parameters") from None
        except yaml.YAMLError as e:
            raise DataError(paths.rel(path), str(e).splitlines()[0], "valid YAML") from None
        if doc is not None and not isinstance(doc, dict):
            raise DataError(paths.rel(path), doc, "a mapping parameter name → value")
        values.update(doc or {})
    for name, text in pairs or ():
        try:
            values[name] = yaml.safe_load(text) if text.strip() else ""
        except yaml.YAMLError:
            values[name] = text
    return values


def results_dir(run: Run, out: Path) -> Path:
    """Where a run's results go unless its parameters name an ``out_dir``: ``<out>/results`` for a default run,
    next to its notebook for a grid run."""
    return out / "results" if run.default else out / "notebooks" / run.stem


def results_file(values: dict[str, Any], run: Run) -> str:
    """The results file a prepared run writes (``<out_dir>/<notebook>.json``, as the notebook resolves it)."""
    return paths.rel(Path(params.out_folder(values["out_dir"], run.notebook)) / f"{run.notebook}.json")


def prepare(runs: Iterable[Run], out: Path, *, data: bool = True) -> list[tuple[Run, dict[str, Any]]]:
    """Check every run's parameters and set ``out_dir`` (the run's own when given, else :func:`results_dir`):
    each run with the parameters to inject. The first bad value raises one :class:`ParameterError` naming the
    notebook; two runs that would write the same results file are refused. ``data=False``: without the checks
    against the data (``params.check(data=False)``; :func:`check_data` does them)."""
    prepared = []
    writers: dict[str, str] = {}
    for run in runs:
        values = {**run.parameters}
        if not values.get("out_dir"):
            values["out_dir"] = paths.rel(results_dir(run, out))
        if not notebook_path(run.notebook).exists():
            raise LsgError(f"notebook {paths.rel(notebook_path(run.notebook))} not found")
        _check(run, values, data)
        target = results_file(values, run)
        if target in writers:
            raise LsgError(
                f"runs {writers[target]} and {run.stem} would both write {target}: give them different "
                "out_dir values (or leave out_dir out: each grid run then writes next to its notebook)"
            )
        writers[target] = run.stem
        prepared.append((run, values))
    return prepared


def check_data(prepared: Sequence[tuple[Run, dict[str, Any]]]) -> None:
    """The checks of :func:`prepare` against the data (indicator years, positive values, register file, countries),
    for runs prepared with ``data=False``."""
    for run, values in prepared:
        _check(run, values, True)


def _check(run: Run, values: dict[str, Any], data: bool) -> None:
    try:
        params.check(run.notebook, values, strict=True, data=data)
    except ParameterError as e:
        e.args = (f"{run.notebook}: {e}",)
        raise


# --------------------------------------------------------------------------------------------------
# Parent: queue the runs, show progress, write the log.


def execute(
    runs: Sequence[Run],
    *,
    out: str | Path | None = None,
    jobs: int | None = None,
    html: bool = True,
    progress: bool = True,
    kernel_name: str = KERNEL_NAME,
    dask: str | None = None,
) -> list[dict[str, Any]]:
    """Check then execute ``runs`` with ``jobs`` warm kernels (local processes, or the workers of the Dask
    scheduler at ``dask``); return one log row per run (also appended to ``<out>/run_log.csv``). A failed run is
    logged and its notebook kept; the others go on."""
    from tqdm import tqdm

    out_path = Path(out).resolve() if out else paths.REPORTS
    prepared = prepare(runs, out_path, data=False)  # names, types, allowed values, results files
    if not prepared:
        return []
    workers = None if dask else LocalWorkers(max(1, min(jobs or os.cpu_count() or 1, len(prepared))), kernel_name, html)
    try:  # the checks against the data run while the local kernels start and warm up
        check_data(prepared)
    except BaseException:
        if workers is not None:
            workers.close()
        raise
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    nb_dir = out_path / "notebooks"
    last = previous_durations(out_path / "run_log.csv")
    order = sorted(range(len(prepared)), key=lambda i: -last.get(prepared[i][0].stem, 0.0))
    rows: dict[int, dict[str, Any]] = {}
    for i, (run, values) in enumerate(prepared):
        rows[i] = {
            "run_id": run_id,
            "notebook": run.notebook,
            "stem": run.stem,
            "parameters": json.dumps(values, ensure_ascii=False, sort_keys=True),
            "output": paths.rel(nb_dir / f"{run.stem}.ipynb"),
            "results": results_file(values, run),
        }
    tasks = []  # the longest runs of the previous log first, so parallel workers finish together
    for i in order:
        ipynb = nb_dir / f"{prepared[i][0].stem}.ipynb"
        tasks.append(
            (
                i,
                str(notebook_path(prepared[i][0].notebook)),
                prepared[i][1],
                str(ipynb),
                str(ipynb.with_suffix(".html")) if html else "",
            )
        )
    if dask:
        from lsg_analysis.runs.dask_runner import dask_results

        done_iter = dask_results(dask, tasks, kernel_name, html)
    else:
        done_iter = workers.results(tasks)
    bar = tqdm(total=len(prepared), unit="run", desc="lsg run", disable=not progress, file=sys.stderr)
    try:
        for index, payload in done_iter:
            rows[index].update(payload)
            bar.update(1)
            if payload["status"] != "ok":
                bar.write(f"failed: {rows[index]['stem']}: {payload['error']}", file=sys.stderr)
    finally:
        done_iter.close()
        bar.close()
        ordered = [rows[i] for i in sorted(rows)]
        append_log(out_path / "run_log.csv", ordered)
    return ordered


class LocalWorkers:
    """``n`` local worker processes (:func:`lsg_analysis.runs.worker.process_worker`, one warm kernel each), started
    at once: their kernels start and warm up while the parent still checks the runs against the data."""

    def __init__(self, n: int, kernel_name: str, html: bool) -> None:
        import multiprocessing as mp

        self.ctx = mp.get_context("spawn")
        self.kernel_name, self.html = kernel_name, html
        self.tasks_q: Any = self.ctx.Queue()
        self.results_q: Any = self.ctx.Queue()
        self.workers = [self._spawn() for _ in range(n)]

    def _spawn(self) -> Any:
        w = self.ctx.Process(
            target=worker.process_worker, args=(self.tasks_q, self.results_q, self.kernel_name, self.html), daemon=True
        )
        w.start()
        return w

    def results(self, tasks: Sequence[Any]) -> Iterator[tuple[int, dict]]:
        """Execute ``tasks``; yield ``(index, log fields)`` as runs finish. A run whose worker died is failed and a
        new worker takes its place. The workers stop when the tasks are done (or the iterator is closed)."""
        import queue

        for task in tasks:
            self.tasks_q.put(task)
        for _ in self.workers:
            self.tasks_q.put(None)
        workers = self.workers
        current: dict[int, int] = {}  # worker pid → index of the run it is executing
        pending = {t[0] for t in tasks}
        try:
            while pending:
                try:
                    kind, index, payload = self.results_q.get(timeout=1.0)
                except queue.Empty:
                    for w in [w for w in workers if not w.is_alive()]:
                        workers.remove(w)
                        lost = current.pop(w.pid, None)
                        if lost is not None and lost in pending:
                            pending.discard(lost)
                            yield (
                                lost,
                                {
                                    "start": "",
                                    "duration_s": "",
                                    "status": "failed",
                                    "error": f"worker process died (exit code {w.exitcode})",
                                },
                            )
                            workers.append(self._spawn())
                            self.tasks_q.put(None)
                    if not workers:
                        for i in sorted(pending):
                            yield i, {"start": "", "duration_s": "", "status": "failed", "error": "no worker left"}
                        return
                    continue
                if kind == "start":
                    current[payload] = index
                else:
                    pending.discard(index)
                    current = {pid: i for pid, i in current.items() if i != index}
                    yield index, payload
        finally:
            self._join()

    def close(self) -> None:
        """Stop workers that got no tasks (a run failed its checks): each shuts its kernel down and exits."""
        for _ in self.workers:
            self.tasks_q.put(None)
        self._join()

    def _join(self) -> None:
        for w in self.workers:
            w.join(timeout=30)
            if w.is_alive():
                w.terminate()


def previous_durations(path: Path) -> dict[str, float]:
    """Last logged duration (s) of each run name in the run log (empty when there is none)."""
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {r["stem"]: float(r["duration_s"]) for r in csv.DictReader(f) if r.get("duration_s")}


def append_log(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    """Append ``rows`` to the CSV run log (rewritten atomically: old rows + new)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=LOG_COLUMNS, extrasaction="ignore", lineterminator="\n")
    if not old:
        writer.writeheader()
    writer.writerows(rows)
    atomic.write_text(path, old + buf.getvalue())


def run_cli(args: argparse.Namespace) -> int:
    """``lsg run [notebooks...] [-p NAME VALUE] [-f YAML] [--grid YAML] [--jobs N] [--dask ADDRESS] [--out DIR]
    [--html/--no-html]``; prints where each results file went; exit 1 if a run failed."""
    if args.jobs is not None and args.jobs < 1:
        raise ParameterError("--jobs", args.jobs, "a whole number of processes, 1 or more")
    values = cli_parameters(getattr(args, "parameters", None), getattr(args, "parameters_file", None))
    runs = plan(args.notebooks, args.grid, values, args.out)
    if not runs:
        raise LsgError(f"no runs: the grid {args.grid} has no entry for {', '.join(args.notebooks)}")
    html = False if getattr(args, "no_html", False) else getattr(args, "html", None)
    html = (not args.grid) if html is None else html  # default: HTML for default runs, none for a sweep
    rows = execute(runs, out=args.out, jobs=args.jobs, html=html, dask=getattr(args, "dask", None))
    failed = [r for r in rows if r["status"] != "ok"]
    ok = len(rows) - len(failed)
    out = Path(args.out) if args.out else paths.REPORTS
    for r in rows:
        if r["status"] == "ok":
            print(f"lsg run: results of {r['stem']} in {r['results']}")
    print(
        f"lsg run: {ok} of {len(rows)} run(s) ok; notebooks in {paths.rel(out / 'notebooks')}, "
        f"log {paths.rel(out / 'run_log.csv')}"
    )
    for r in failed:
        print(f"lsg run: FAILED {r['stem']}: {r['error']} (see {r['output']})", file=sys.stderr)
    return 1 if failed else 0
