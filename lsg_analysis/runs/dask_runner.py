"""``lsg run --dask ADDRESS``: the runs of a sweep on an existing Dask distributed cluster.

Dask's own API does the scheduling: ``distributed.Client(address).submit`` one task per run (the longest of the
previous log first, by priority) and ``as_completed`` as they finish. Each worker thread keeps one warm kernel for
all the runs it gets (:func:`lsg_analysis.runs.worker.dask_task`), so a sweep pays a kernel start per worker
thread, not per run. Workers need the project installed, the same ``data/`` and the output folder at the same
path (docs/notebooks.md, "On a Dask cluster"); the run log is written by the client, as for local processes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from lsg_analysis.core.errors import LsgError
from lsg_analysis.runs import worker


def connect(address: str, timeout: float = 30) -> Any:
    """A client of the scheduler at ``address``; an unreachable scheduler is one :class:`LsgError`."""
    from distributed import Client

    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise LsgError(f"--dask {address}: no Dask scheduler answered ({type(e).__name__}: {e})") from None


def dask_results(
    address: str, tasks: Sequence[worker.Task], kernel_name: str, html: bool
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Submit ``tasks`` to the cluster at ``address``; yield ``(index, log fields)`` as runs finish. A task Dask
    could not complete (its worker died more often than the scheduler allows) is a failed run, as a dead local
    worker is."""
    from distributed import as_completed

    client = connect(address)
    try:
        futures = {}
        for rank, task in enumerate(tasks):
            future = client.submit(worker.dask_task, task, kernel_name, html, priority=len(tasks) - rank, pure=False)
            futures[future] = task[0]
        for future in as_completed(list(futures), loop=client.loop):
            try:
                payload = dict(future.result())
                payload.pop("pid", None)
            except Exception as e:  # noqa: BLE001 — its worker lost too often, or the task failed to unpickle there
                payload = {
                    "start": "",
                    "duration_s": "",
                    "status": "failed",
                    "error": f"Dask task failed: {worker.error_text(e)}",
                }
            yield futures[future], payload
    finally:
        client.close()
