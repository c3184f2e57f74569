"""Layers you can see: every import inside ``lsg_analysis`` points down the layer order of docs/architecture.md,
and no module reaches into another module's private (``_name``) attributes.

The scan reads the source with ``ast`` (top-level and function-level imports alike), as a reviewer would.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "lsg_analysis"
NOTEBOOKS = PKG.parent / "notebooks"

#: What each layer may import (besides itself). The order and the reasons are in docs/architecture.md.
MAY_IMPORT = {
    "core": set(),
    "registry": {"core"},
    "measures": {"core"},
    "data": {"core", "registry"},
    "geo": {"core", "registry", "data"},
    "pipeline": {"core", "registry", "data", "geo"},
    "analysis": {"core", "registry", "data", "geo", "measures"},
    "runs": {"core", "registry", "data", "geo", "measures", "analysis"},
    "outputs": {"core", "registry", "data", "geo", "runs"},
}
#: The top: the command line and the stable public paths (façades) may import any layer.
TOP = {"cli", "__init__", "regions", "imbalance", "consultations", "border", "quality"}


def _layer(module: str) -> str | None:
    """``lsg_analysis.data.load`` → ``data``; a top-level module → its own name."""
    parts = module.split(".")
    return parts[1] if parts[0] == "lsg_analysis" and len(parts) > 1 else None


def _module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _imports(tree: ast.AST, module: str, is_pkg: bool) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, names) of every lsg_analysis import, relative ones resolved."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("lsg_analysis")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: len(module.split(".")) - node.level + (1 if is_pkg else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("lsg_analysis"):
                out.append((node.lineno, target, [a.name for a in node.names]))
    return out


def _package_files() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts)


def _sideways(path: Path) -> list[str]:
    module = _module_name(path)
    mine = _layer(module) if "." in module else None
    if mine is None or mine in TOP or (mine not in MAY_IMPORT and path.parent == PKG):
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for line, target, names in _imports(tree, module, path.name == "__init__.py"):
        layer = _layer(target)
        # "from lsg_analysis import x" names a layer or a façade: judge by the name imported
        layers = [layer] if layer else [n if n in MAY_IMPORT else "__init__" for n in names]
        for lay in layers:
            if lay != mine and lay not in MAY_IMPORT[mine]:
                bad.append(f"{path.relative_to(PKG.parent)}:{line} ({mine}) imports {target} ({lay})")
    return bad


def test_every_module_belongs_to_a_layer():
    stray = [p.name for p in PKG.glob("*.py") if p.stem not in TOP]
    assert not stray, f"top-level modules outside the layers: {stray} (put them in a layer, docs/architecture.md)"
    assert {p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(MAY_IMPORT)


@pytest.mark.parametrize("path", _package_files(), ids=lambda p: p.relative_to(PKG).as_posix())
def test_imports_point_down_the_layers(path):
    assert not _sideways(path)


def _private_uses(source: str, where: str) -> list[str]:
    """Imports of ``_name`` from lsg_analysis modules, and ``module._name`` on an imported lsg_analysis module."""
    tree = ast.parse(source)
    modules: set[str] = set()
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("lsg_analysis")):
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    bad.append(f"{where}:{node.lineno} imports private {a.name}")
                modules.add(a.asname or a.name)
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name.split(".")[0] for a in node.names if a.name.startswith("lsg_analysis"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
        ):
            bad.append(f"{where}:{node.lineno} uses private {node.value.id}.{node.attr}")
    return bad


def _notebook_code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = ("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return "\n".join("\n".join("pass" if line.startswith("%") else line for line in c.split("\n")) for c in code)


def test_no_private_names_across_modules():
    bad = [b for p in _package_files() for b in _private_uses(p.read_text(encoding="utf-8"), p.name)]
    bad += [b for p in sorted(NOTEBOOKS.glob("*.ipynb")) for b in _private_uses(_notebook_code(p), p.name)]
    assert not bad, "\n".join(bad)


def test_the_scan_sees_a_violation():
    """The scan itself can fail: an upward import and a private import are reported."""
    assert _private_uses("from lsg_analysis.data import series\nseries._rule()\nfrom .x import _y", "m.py") == [
        "m.py:3 imports private _y",
        "m.py:2 uses private series._rule",
    ]
    assert _layer("lsg_analysis.outputs.brief") == "outputs" and "analysis" not in MAY_IMPORT["outputs"]
