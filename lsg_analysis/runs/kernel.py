"""The runner's Jupyter kernels: the project kernel's name and spec, and a kernel kept warm for many notebooks.

A worker of :mod:`lsg_analysis.runs.runner` starts one :class:`WarmKernel` (on IPC sockets, see :func:`manager`),
imports the heavy libraries into it once and then executes notebook after notebook in it, resetting the
namespace (:data:`RESET`) between runs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

#: Kernel every notebook is written for and run with: the project's environment (notebook metadata, ``make lab``'s
#: ``ipykernel install --name`` and the runner all use this one name; the runner needs no installed spec, see
#: :func:`kernel_specs`).
KERNEL_NAME = "lsg-analysis"
KERNEL_DISPLAY_NAME = "lsg-analysis (.venv)"
#: Imported into each warm kernel once, before its first notebook (missing ones are skipped).
WARM_IMPORTS = (
    "numpy",
    "pandas",
    "scipy.stats",
    "matplotlib",
    "matplotlib.pyplot",
    "shapely",
    "geopandas",
    "pyogrio",
    "libpysal",
    "esda",
    "lsg_analysis",
    "lsg_analysis.runs.params",
    "lsg_analysis.runs.results",
    "lsg_analysis.data.load",
    "lsg_analysis.registry.regions",
    "lsg_analysis.imbalance",
    "lsg_analysis.geo.border",
    "lsg_analysis.analysis.migration",
    "lsg_analysis.analysis.border_interior",
    "lsg_analysis.measures.convergence",
    "lsg_analysis.measures.spatial",
    "lsg_analysis.data.processed",
    "lsg_analysis.analysis.consultations",
    "lsg_analysis.outputs.plots",
    "lsg_analysis.analysis.imbalance_panel",
    "lsg_analysis.analysis.migration_views",
    "lsg_analysis.analysis.consultation_views",
)
#: Run in each warm kernel after the imports: fills the validated processed-table caches every notebook reads,
#: then moves everything alive so far into the garbage collector's permanent generation (``gc.freeze``, meant for
#: exactly this: a warm-up whose objects live for the whole process). Without it every run's ``%reset -f`` and
#: figure clean-up walks the whole warm heap in ``gc.collect()`` (about 0.3 s a run); objects a run creates are
#: still collected as in a fresh kernel.
WARM_DATA = (
    "import lsg_analysis.data.processed as _p\ntry:\n    _p.read_indicators()\nexcept Exception:\n    pass\ndel _p\n"
    "import gc as _gc\n_gc.collect()\n_gc.freeze()\ndel _gc\n"
)
#: Run before each notebook (``{cwd}``: the kernel's folder): what a previous run left is gone — its variables
#: (``%reset -f``), figures, working directory, and the state of the global random generators (reseeded from the
#: OS, as in a fresh kernel; the notebooks draw from generators seeded by their ``seed`` parameter anyway).
RESET = (
    "%reset -f\nimport os as _os, random as _random, sys as _sys\n_os.chdir({cwd!r})\n_random.seed()\n"
    "if 'numpy' in _sys.modules:\n    _sys.modules['numpy'].random.seed()\n"
    "if 'matplotlib.pyplot' in _sys.modules:\n    _sys.modules['matplotlib.pyplot'].close('all')\n"
    "del _os, _random, _sys\n"
)


def kernel_specs() -> Any:
    """Kernel specs where :data:`KERNEL_NAME` is always this interpreter's ipykernel (the environment the runner
    runs in, as ``make lab`` installs it), whether or not a spec of that name is installed; other names as usual."""
    from ipykernel.kernelspec import make_ipkernel_cmd
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    class ProjectSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            if kernel_name == KERNEL_NAME:
                return KernelSpec(
                    argv=make_ipkernel_cmd(executable=sys.executable),
                    display_name=KERNEL_DISPLAY_NAME,
                    language="python",
                    metadata={"debugger": True},
                )
            return super().get_kernel_spec(kernel_name)

    return ProjectSpecs()


def manager(kernel_name: str) -> Any:
    """A kernel manager on local IPC sockets (no TCP ports; sockets in the Jupyter runtime folder). IPC is also why
    a run prints no "Kernel is running over TCP without encryption" warning: ipykernel gives it for TCP only."""
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.paths import jupyter_runtime_dir

    folder = Path(jupyter_runtime_dir())
    folder.mkdir(parents=True, exist_ok=True)
    return AsyncKernelManager(
        kernel_name=kernel_name,
        kernel_spec_manager=kernel_specs(),
        transport="ipc",
        ip=str(folder / f"lsg-{uuid.uuid4().hex[:12]}"),
    )


class WarmKernel:
    """A Jupyter kernel kept warm for many notebooks (lives in one worker process)."""

    def __init__(self, kernel_name: str, cwd: Path) -> None:
        self.kernel_name, self.cwd = kernel_name, cwd
        self.km = manager(kernel_name)
        self.kc: Any = None
        self.start()

    def start(self) -> None:
        """Start the kernel and send the warm-up imports without waiting: the kernel imports while the worker
        imports papermill and nbconvert; the first notebook queues behind the warm-up on the shell channel."""
        from jupyter_core.utils import run_sync

        run_sync(self.km.start_kernel)(cwd=str(self.cwd))
        self.kc = self.km.client()
        self.kc.allow_stdin = False
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=120)
        code = (
            "import importlib\nfor _m in %r:\n    try:\n        importlib.import_module(_m)\n"
            "    except Exception:\n        pass\ndel importlib, _m\n"
        ) % (WARM_IMPORTS,)
        self.kc.execute(code + WARM_DATA, silent=True, store_history=False)

    def run_code(self, code: str, timeout: float = 300) -> None:
        """Execute ``code`` silently and wait for its reply."""
        from jupyter_core.utils import run_sync

        msg_id = self.kc.execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + timeout
        while True:
            reply = run_sync(self.kc.get_shell_msg)(timeout=max(1.0, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return

    def reset(self) -> None:
        """Clear what the previous notebook left (:data:`RESET`) before the next one."""
        self.run_code(RESET.format(cwd=str(self.cwd)))

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return bool(run_sync(self.km.is_alive)())

    def restart(self) -> None:
        self.shutdown()
        self.km = manager(self.kernel_name)
        self.start()

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            if self.kc is not None:
                self.kc.stop_channels()
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 — best effort at exit; the kernel may be gone already
            pass
