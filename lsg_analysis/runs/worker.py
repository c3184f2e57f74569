"""One run in a warm kernel: what a worker of ``lsg run`` does, whether a local process or a Dask worker.

A task is ``(index, notebook path, parameters, output .ipynb, output .html or "")``; :func:`run_task` executes
it as papermill does (``parameterize_notebook`` injects the ``injected-parameters`` cell,
``PapermillNotebookClient`` runs the cells), writes the executed notebook (also when it fails) and returns the
run-log fields ``start, duration_s, status, error``.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lsg_analysis.core import atomic, paths
from lsg_analysis.runs.kernel import WarmKernel

#: Seconds a single cell may run.
CELL_TIMEOUT = 900

Task = tuple[int, str, dict[str, Any], str, str]


def execute_notebook(kernel: WarmKernel, nb_path: Path, parameters: dict[str, Any], output: Path) -> Any:
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
    kernel.reset()
    nb_man.notebook_start()
    client = PapermillNotebookClient(
        nb_man, km=kernel.km, kernel_name=kernel.kernel_name, timeout=CELL_TIMEOUT, startup_timeout=120
    )
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


def error_text(error: BaseException) -> str:
    """One line for the run log: the notebook's exception name and message."""
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    text = f"{ename}: {evalue}" if ename else f"{type(error).__name__}: {error}"
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return " ".join(text.split())[:500]


def html_exporter() -> Any:
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab")


def run_task(kernel: WarmKernel, task: Task, exporter: Any = None) -> dict[str, Any]:
    """Execute one task in ``kernel``; write its notebook (and HTML when ``exporter`` and an HTML path are given);
    the run-log fields. One failing run never raises: its error is returned (and the kernel restarted if dead)."""
    import nbformat

    _, nb_path, parameters, out_ipynb, out_html = task
    start = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    error: BaseException | None = None
    try:
        nb, error = execute_notebook(kernel, Path(nb_path), parameters, Path(out_ipynb))
        atomic.write_text(out_ipynb, nbformat.writes(nb))
        if exporter is not None and out_html:
            body, _ = exporter.from_notebook_node(nb)
            atomic.write_text(out_html, body)
    except Exception as e:  # noqa: BLE001 — one failing run must not stop the others
        error = error or e
        traceback.print_exc(file=sys.stderr)
    if error is not None and not kernel.alive():
        kernel.restart()
    return {
        "start": start.isoformat(timespec="seconds"),
        "duration_s": round(time.perf_counter() - t0, 3),
        "status": "ok" if error is None else "failed",
        "error": "" if error is None else error_text(error),
    }


def process_worker(tasks: Any, results: Any, kernel_name: str, html: bool) -> None:
    """Local worker process: start a warm kernel, then execute tasks from ``tasks`` until ``None``."""
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    kernel = WarmKernel(kernel_name, paths.NOTEBOOKS)
    import nbformat  # noqa: F401 — imported while the kernel warms up
    import papermill.execute  # noqa: F401

    exporter = html_exporter() if html else None
    try:
        while (task := tasks.get()) is not None:
            results.put(("start", task[0], os.getpid()))
            results.put(("done", task[0], run_task(kernel, task, exporter)))
    finally:
        kernel.shutdown()


# --------------------------------------------------------------------------------------------------
# Dask worker: one warm kernel per worker thread, kept for every task the thread runs.

_LOCAL = threading.local()


def dask_task(task: Task, kernel_name: str, html: bool) -> dict[str, Any]:
    """A task on a Dask worker (``Client.submit``): the thread's warm kernel is started on its first task and
    reused by the next ones; shut down when the worker process exits."""
    import atexit

    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    kernel = getattr(_LOCAL, "kernel", None)
    if kernel is None or kernel.kernel_name != kernel_name:
        kernel = _LOCAL.kernel = WarmKernel(kernel_name, paths.NOTEBOOKS)
        atexit.register(kernel.shutdown)
    if html and getattr(_LOCAL, "exporter", None) is None:
        _LOCAL.exporter = html_exporter()
    payload = run_task(kernel, task, getattr(_LOCAL, "exporter", None) if html else None)
    return {**payload, "pid": os.getpid()}
