"""The notebooks: committed without outputs, and each default run writes the results docs/results.md promises."""

from __future__ import annotations

import ast

import json
import re

import nbformat
import pytest

from lsg_analysis.runs import params, results
from lsg_analysis.core import paths

NOTEBOOKS = params.notebooks()
needs_data = pytest.mark.skipif(
    not (paths.PROCESSED / "indicators.csv").exists(), reason="data/processed not built (run `lsg data build`)"
)


def test_the_contract_covers_every_notebook_and_docs_explain_every_key():
    c = results.contract()
    assert set(c) == set(NOTEBOOKS) >= set(results.NOTEBOOKS)  # 04_context: contract yes, briefs not yet
    assert "04_context" in NOTEBOOKS
    assert c["01_imbalance"]["tables"]["decomposition"] == ["year", "total", "between", "within"]
    docs = (paths.ROOT / "docs" / "results.md").read_text(encoding="utf-8")
    sections = dict(zip(re.findall(r"^## (\d\d_\w+)", docs, re.M), re.split(r"^## \d\d_\w+", docs, flags=re.M)[1:]))
    for nb, spec in c.items():
        unexplained = [k for k in [*spec["metrics"], *spec["tables"]] if f"`{k}`" not in sections[nb]]
        assert not unexplained, f"docs/results.md, section {nb}: explain {unexplained}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_in_git_has_no_outputs(name):
    nb = nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    assert "papermill" not in nb.metadata
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_thin_and_validates_its_parameters_first(name):
    nb = nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = next(i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", []))
    assert f'params.check("{name}", locals())' in code[tagged + 1].source
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= 4  # the story is told
    for i, cell in enumerate(code):
        assert _code_lines(cell.source) <= MAX_CELL_LINES, f"{name} code cell {i}: move the logic into lsg_analysis"
        assert not _logic(cell.source), f"{name} code cell {i} defines or branches: {_logic(cell.source)}"


#: A notebook's code cell stays short: it calls lsg_analysis, prints and draws (docs/notebooks.md).
MAX_CELL_LINES = 12
#: What a notebook must not do itself: define functions, branch, loop or compare data (that is package code).
LOGIC = (
    ast.FunctionDef,
    ast.Lambda,
    ast.If,
    ast.IfExp,
    ast.For,
    ast.While,
    ast.ListComp,
    ast.DictComp,
    ast.SetComp,
    ast.GeneratorExp,
    ast.Compare,
    ast.BoolOp,
)


def _code_lines(source: str) -> int:
    return sum(1 for line in source.splitlines() if line.strip() and not line.strip().startswith("#"))


def _logic(source: str) -> list[str]:
    tree = ast.parse("\n".join("pass" if line.startswith("%") else line for line in source.splitlines()))
    return sorted({type(n).__name__ for n in ast.walk(tree) if isinstance(n, LOGIC)})


def test_the_thinness_check_can_fail():
    assert _logic("x = [a for a in b]\nif x:\n    pass") == ["If", "ListComp"]
    assert _logic("%matplotlib inline\nplots.bars(frame)") == []
    assert _code_lines("a = 1\n# note\n\nb = 2") == 2


@needs_data
@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_default_run_succeeds_and_writes_the_promised_results(default_runs, name):
    out, rows = default_runs
    assert rows[name]["status"] == "ok", rows[name]["error"]
    res = json.loads((out / "results" / f"{name}.json").read_text(encoding="utf-8"))
    assert res["schema"] == "lsg-results/1" and res["notebook"] == name
    results.validate(res, name, complete=True)  # every metric and table of the contract, units and columns
    for key, m in {**res["metrics"], **res["tables"]}.items():
        assert m["sources"] and set(m["sources"]) <= set(res["sources"]), key
    # the parameters recorded are the checked defaults (what the run really used)
    assert res["parameters"] == {**params.check(name, {"out_dir": str(out / "results")})}
    nb = nbformat.read(out / "notebooks" / f"{name}.ipynb", as_version=4)
    assert nb.metadata["papermill"]["parameters"] == {"out_dir": paths.rel(out / "results")}
    assert not any(o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
