"""Where does a warm run spend its time? Each default notebook cell by cell, as a warm kernel of ``lsg run`` runs it.

Run with ``.venv/bin/python benchmarks/profile_notebooks.py [NOTEBOOK ...] [--repeat N] [--top K]``. In one
in-process IPython shell (what a warm kernel is) the warm imports and the warm data of
:mod:`lsg_analysis.runs.kernel` are done first; then every notebook is run ``--repeat`` times (default 2: the
first run as the first notebook of a warm kernel, the next ones as a sweep's later runs), its namespace reset
before each run as the runner resets it. Printed: the CPU seconds of each code cell in each run (of this process: steadier than wall time on a shared
machine) and, with ``--top``,
the functions with the most cumulative time of the last run (cProfile). Results go to a temporary folder.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lsg_analysis.core import paths
from lsg_analysis.runs import kernel, params


def code_cells(name: str) -> list[str]:
    """The code cells of a notebook, in order (the parameters cell included)."""
    nb = json.loads((paths.NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="*", help="notebooks to profile (default: the default run's)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each notebook (default 2)")
    ap.add_argument("--top", type=int, default=0, help="functions to list by cumulative time (last run)")
    ap.add_argument(
        "--inline",
        default="",
        help='inline figure options to try, as YAML, e.g. "{dpi: 50}" (InlineBackend.print_figure_kwargs)',
    )
    ap.add_argument("-p", nargs=2, action="append", metavar=("NAME", "VALUE"), help="a parameter (YAML value)")
    a = ap.parse_args(argv)
    import yaml

    injected = "".join(f"\n{name} = {yaml.safe_load(value)!r}" for name, value in a.p or ())
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    class Shell(InteractiveShell):
        def enable_gui(self, gui: str | None = None) -> None:  # ``%matplotlib inline`` needs no event loop
            pass

    shell = Shell.instance()
    t0 = time.perf_counter()
    for module in kernel.WARM_IMPORTS:
        __import__(module)
    shell.run_cell(kernel.WARM_DATA, silent=True)
    print(f"warm imports and data: {time.perf_counter() - t0:.2f} s")
    if a.inline:
        kwargs = {"bbox_inches": "tight", **yaml.safe_load(a.inline)}
        shell.run_cell("%matplotlib inline", silent=True)
        shell.run_cell(f"%config InlineBackend.print_figure_kwargs = {kwargs!r}", silent=True)
        print(f"inline figures: {kwargs}")
    out = Path(tempfile.mkdtemp(prefix="lsg-profile-"))
    for name in a.notebooks or params.notebooks():
        cells = code_cells(name)
        times: list[list[float]] = []
        prof = cProfile.Profile()
        for r in range(a.repeat):
            shell.run_cell(kernel.RESET.format(cwd=str(paths.NOTEBOOKS)), silent=True)
            row = []
            for i, code in enumerate(cells):
                if i == 0:  # the parameters cell, then papermill's injected out_dir
                    code += f"\nout_dir = {str(out / name)!r}" + injected
                last = r == a.repeat - 1 and a.top
                t = time.process_time()
                if last:
                    prof.enable()
                with capture_output():  # outputs are formatted (figures to PNG) as in a kernel, not printed
                    res = shell.run_cell(code, store_history=False)
                if last:
                    prof.disable()
                row.append(time.process_time() - t)
                if not res.success:
                    print(f"{name} cell {i} failed: {res.error_in_exec or res.error_before_exec}", file=sys.stderr)
                    return 1
            times.append(row)
        print(f"\n{name}: CPU seconds per code cell, run 1..{a.repeat}")
        for i, code in enumerate(cells):
            first = code.strip().splitlines()[0][:70] if code.strip() else ""
            print(f"  [{i:2d}] " + " ".join(f"{t[i]:6.3f}" for t in times) + f"  {first}")
        print("  total " + " ".join(f"{sum(t):6.3f}" for t in times))
        if a.top:
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(a.top)
            print("\n".join(line for line in buf.getvalue().splitlines() if line.strip())[:12000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
