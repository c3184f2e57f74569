"""A tiny notebook registered as an extra notebook spec, for the runner's execution tests (no project data).

Its last cell leaves things behind on purpose (a variable, an open figure, seeded global random generators, another
working directory), and the cell before records what a run found, so a test can see whether a run saw the previous
run's state: ``leak``, ``figures``, ``np_seed7``/``py_seed7`` (the first draw equals that after ``seed(7)``), ``cwd``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from lsg_analysis.runs import kernel, params, runner

TOY = "zz_toy"
TOY_SPEC = (
    params.Param("x", int, 1, "a number; 2 makes the notebook fail", bounds=(0, 10)),
    params.Param("label", str, "a", "a label: a or b", choices=("a", "b")),
    params.Param("out_dir", str, "", "results folder"),
)
TOY_CELLS = [
    "import json, os, pathlib, random\nimport numpy as np\nimport matplotlib.pyplot as plt",
    'x: int = 1  # a number\nlabel: str = "a"  # a label\nout_dir: str = ""  # folder',
    "if x == 2:\n    raise ValueError('boom: x is 2')\nprint('x is', x)",
    "seen = {'x': x, 'label': label, 'leak': 'y' in dir(), 'figures': len(plt.get_fignums()),\n"
    "        'np_seed7': float(np.random.random()) == float(np.random.RandomState(7).random_sample()),\n"
    "        'py_seed7': random.random() == random.Random(7).random(), 'cwd': os.getcwd()}\n"
    "pathlib.Path(out_dir).mkdir(parents=True, exist_ok=True)\n"
    "(pathlib.Path(out_dir) / 'zz_toy.json').write_text(json.dumps(seen))",
    "y = 1\nplt.figure()\nnp.random.seed(7)\nrandom.seed(7)\nos.chdir(out_dir)",
]


def clean_run(x: int, label: str = "a") -> dict:
    """What a run of the toy records when nothing of a previous run is left."""
    return {
        "x": x,
        "label": label,
        "leak": False,
        "figures": 0,
        "np_seed7": False,
        "py_seed7": False,
        "cwd": str(runner.paths.NOTEBOOKS),
    }


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """Register the toy notebook (parent process only: workers get the notebook path in the task)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": runner.KERNEL_NAME,
        "display_name": kernel.KERNEL_DISPLAY_NAME,
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(src) for src in TOY_CELLS]
    nb.cells[1].metadata["tags"] = ["parameters"]
    folder = tmp_path / "nbs"
    folder.mkdir()
    nbformat.write(nb, folder / f"{TOY}.ipynb")
    monkeypatch.setitem(params.SPECS, TOY, TOY_SPEC)
    monkeypatch.setitem(params._DYNAMIC, TOY, lambda v: None)
    real = runner.notebook_path
    monkeypatch.setattr(runner, "notebook_path", lambda name: folder / f"{name}.ipynb" if name == TOY else real(name))
    return tmp_path


def write_grid(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
