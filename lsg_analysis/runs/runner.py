"""``lsg run``: execute the notebooks (all, or a parameter grid) in parallel, fast, and keep every output.

Design (why it is fast): a kernel start and the heavy imports (pandas, geopandas, matplotlib, esda) cost
seconds, the notebooks themselves much less. So ``--jobs`` worker processes each start ONE Jupyter kernel,
import the heavy libraries into it once, and then execute notebook after notebook in that kernel, with
the namespace reset between runs (``%reset -f``; re-imports hit ``sys.modules``). Execution goes through
papermill's own pieces (``parameterize_notebook`` injects the ``injected-parameters`` cell,
``PapermillNotebookClient`` runs the cells and records papermill metadata), so an executed notebook is the
same document ``papermill`` would write.

Before any kernel starts, every parameter set is checked with :func:`lsg_analysis.runs.params.check`.
Each run writes, atomically, ``<out>/notebooks/<stem>.ipynb`` (also when it fails: the error is in the
notebook) and ``<out>/notebooks/<stem>.html``; default runs write their results to
``<out>/results/<notebook>.json``, grid runs to ``<out>/notebooks/<stem>/<notebook>.json``. One row per
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
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lsg_analysis.core import atomic, paths
from lsg_analysis.runs import params
from lsg_analysis.runs.kernel import KERNEL_NAME, RESET, WarmKernel
from lsg_analysis.core.errors import LsgError, ParameterError

#: Seconds a single cell may run.
CELL_TIMEOUT = 900
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


def plan(notebooks: Sequence[str], grid: str | Path | None) -> list[Run]:
    """The runs of ``lsg run``: a grid file's runs (optionally only the named notebooks), or the default
    run of each named notebook (all when none named)."""
    for name in notebooks:
        params.spec(name)
    if grid:
        runs = read_grid(grid)
        return [r for r in runs if not notebooks or r.notebook in notebooks]
    return [Run(name) for name in (notebooks or params.notebooks())]


def results_dir(run: Run, out: Path) -> Path:
    return out / "results" if run.default else out / "notebooks" / run.stem


def prepare(runs: Iterable[Run], out: Path) -> list[tuple[Run, dict[str, Any]]]:
    """Check every run's parameters (before any kernel starts) and add ``out_dir``: each run with the
    parameters to inject. The first bad value raises one :class:`ParameterError` naming the notebook."""
    prepared = []
    for run in runs:
        values = {**run.parameters, "out_dir": paths.rel(results_dir(run, out))}
        if not notebook_path(run.notebook).exists():
            raise LsgError(f"notebook {paths.rel(notebook_path(run.notebook))} not found")
        try:
            params.check(run.notebook, values, strict=True)
        except ParameterError as e:
            e.args = (f"{run.notebook}: {e}",)
            raise
        prepared.append((run, values))
    return prepared


# --------------------------------------------------------------------------------------------------
# Worker process: one warm kernel, many notebooks.

def _execute(kernel: WarmKernel, nb_path: Path, parameters: dict[str, Any], output: Path) -> Any:
    """Parameterise and execute one notebook in the warm kernel, as papermill does; returns the notebook
    (with outputs, also on error) and the error or None."""
    import atexit

    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NotebookExecutionManager
    from papermill.execute import prepare_notebook_metadata, raise_for_execution_errors, remove_error_markers
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(nb_path))
    nb = parameterize_notebook(nb, parameters, kernel_name=kernel.kernel_name)
    nb = prepare_notebook_metadata(nb, str(nb_path), str(output))
    nb = remove_error_markers(nb)
    nb_man = NotebookExecutionManager(nb, output_path=None, progress_bar=False, autosave_cell_every=0)
    error: BaseException | None = None
    kernel.run_code(RESET)
    nb_man.notebook_start()
    client = PapermillNotebookClient(nb_man, km=kernel.km, kernel_name=kernel.kernel_name,
                                     timeout=CELL_TIMEOUT, startup_timeout=120)
    client.kc = kernel.kc
    try:
        client.execute()
    except Exception as e:  # noqa: BLE001 — a dead kernel or timeout: reported as this run's error
        error = e
    finally:
        atexit.unregister(client._cleanup_kernel)
        nb_man.cleanup_pbar()
        nb_man.notebook_complete()
    nb = nb_man.nb
    if error is None:
        try:  # adds papermill's "An Exception was encountered" cell in place (output path None: no write)
            raise_for_execution_errors(nb, None)
        except Exception as e:  # noqa: BLE001
            error = e
    return nb, error


def _error_text(error: BaseException) -> str:
    """One line for the run log: the notebook's exception name and message."""
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    text = f"{ename}: {evalue}" if ename else f"{type(error).__name__}: {error}"
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return " ".join(text.split())[:500]


def _worker(tasks: Any, results: Any, kernel_name: str, html: bool) -> None:
    """Worker loop: start a warm kernel, then execute tasks until ``None``."""
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    import nbformat

    kernel = WarmKernel(kernel_name, paths.NOTEBOOKS)
    import papermill.execute  # noqa: F401 — imported while the kernel warms up

    exporter = None
    if html:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(template_name="lab")
    try:
        while (task := tasks.get()) is not None:
            index, nb_path, parameters, out_ipynb, out_html = task
            results.put(("start", index, os.getpid()))
            start = datetime.now(timezone.utc)
            t0 = time.perf_counter()
            error: BaseException | None = None
            try:
                nb, error = _execute(kernel, Path(nb_path), parameters, Path(out_ipynb))
                atomic.write_text(out_ipynb, nbformat.writes(nb))
                if exporter is not None:
                    body, _ = exporter.from_notebook_node(nb)
                    atomic.write_text(out_html, body)
            except Exception as e:  # noqa: BLE001 — one failing run must not stop the others
                error = error or e
                traceback.print_exc(file=sys.stderr)
            if error is not None and not kernel.alive():
                kernel.restart()
            results.put(("done", index, {"start": start.isoformat(timespec="seconds"),
                                         "duration_s": round(time.perf_counter() - t0, 3),
                                         "status": "ok" if error is None else "failed",
                                         "error": "" if error is None else _error_text(error)}))
    finally:
        kernel.shutdown()


# --------------------------------------------------------------------------------------------------
# Parent: queue the runs, show progress, write the log.

def execute(runs: Sequence[Run], *, out: str | Path | None = None, jobs: int | None = None, html: bool = True,
            progress: bool = True, kernel_name: str = KERNEL_NAME) -> list[dict[str, Any]]:
    """Check then execute ``runs`` with ``jobs`` warm kernels; return one log row per run (also appended
    to ``<out>/run_log.csv``). A failed run is logged and its notebook kept; the others go on."""
    import multiprocessing as mp
    import queue

    from tqdm import tqdm

    out_path = Path(out).resolve() if out else paths.REPORTS
    prepared = prepare(runs, out_path)
    if not prepared:
        return []
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    nb_dir = out_path / "notebooks"
    last = previous_durations(out_path / "run_log.csv")
    order = sorted(range(len(prepared)), key=lambda i: -last.get(prepared[i][0].stem, 0.0))
    tasks_q: Any = mp.get_context("spawn").Queue()
    results_q: Any = mp.get_context("spawn").Queue()
    rows: dict[int, dict[str, Any]] = {}
    for i, (run, values) in enumerate(prepared):
        ipynb = nb_dir / f"{run.stem}.ipynb"
        rows[i] = {"run_id": run_id, "notebook": run.notebook, "stem": run.stem,
                   "parameters": json.dumps(values, ensure_ascii=False, sort_keys=True),
                   "output": paths.rel(ipynb)}
    for i in order:  # the longest runs of the previous log first, so parallel workers finish together
        ipynb = nb_dir / f"{prepared[i][0].stem}.ipynb"
        tasks_q.put((i, str(notebook_path(prepared[i][0].notebook)), prepared[i][1], str(ipynb),
                     str(ipynb.with_suffix(".html"))))
    n_workers = max(1, min(jobs or os.cpu_count() or 1, len(prepared)))
    ctx = mp.get_context("spawn")

    def spawn() -> Any:
        w = ctx.Process(target=_worker, args=(tasks_q, results_q, kernel_name, html), daemon=True)
        w.start()
        return w

    workers = [spawn() for _ in range(n_workers)]
    for _ in workers:
        tasks_q.put(None)
    current: dict[int, int] = {}  # worker pid → index of the run it is executing
    done: set[int] = set()
    bar = tqdm(total=len(prepared), unit="run", desc="lsg run", disable=not progress, file=sys.stderr)
    try:
        while len(done) < len(prepared):
            try:
                kind, index, payload = results_q.get(timeout=1.0)
            except queue.Empty:
                for w in list(workers):
                    if w.is_alive():
                        continue
                    workers.remove(w)
                    lost = current.pop(w.pid, None)
                    if lost is not None and lost not in done:
                        rows[lost].update(start="", duration_s="", status="failed",
                                          error=f"worker process died (exit code {w.exitcode})")
                        done.add(lost)
                        bar.update(1)
                        workers.append(spawn())
                        tasks_q.put(None)
                if not workers and len(done) < len(prepared):
                    for i in set(rows) - done:
                        rows[i].update(start="", duration_s="", status="failed", error="no worker left")
                    break
                continue
            if kind == "start":
                current[payload] = index
            else:
                rows[index].update(payload)
                done.add(index)
                current = {pid: i for pid, i in current.items() if i != index}
                bar.update(1)
                if payload["status"] != "ok":
                    bar.write(f"failed: {rows[index]['stem']}: {payload['error']}", file=sys.stderr)
    finally:
        bar.close()
        for w in workers:
            w.join(timeout=30)
            if w.is_alive():
                w.terminate()
        ordered = [rows[i] for i in sorted(rows)]
        append_log(out_path / "run_log.csv", ordered)
    return ordered


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
    """``lsg run [notebooks...] [--grid YAML] [--jobs N] [--out DIR] [--no-html]``; exit 1 if a run failed."""
    if args.jobs is not None and args.jobs < 1:
        raise ParameterError("--jobs", args.jobs, "a whole number of processes, 1 or more")
    runs = plan(args.notebooks, args.grid)
    if not runs:
        raise LsgError(f"no runs: the grid {args.grid} has no entry for {', '.join(args.notebooks)}")
    rows = execute(runs, out=args.out, jobs=args.jobs, html=not args.no_html)
    failed = [r for r in rows if r["status"] != "ok"]
    ok = len(rows) - len(failed)
    out = Path(args.out) if args.out else paths.REPORTS
    print(f"lsg run: {ok} of {len(rows)} run(s) ok; notebooks in {paths.rel(out / 'notebooks')}, "
          f"log {paths.rel(out / 'run_log.csv')}")
    for r in failed:
        print(f"lsg run: FAILED {r['stem']}: {r['error']} (see {r['output']})", file=sys.stderr)
    return 1 if failed else 0
