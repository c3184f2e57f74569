"""Docs that point at files point at files that exist (the cookiecutter lesson in ../shared/STYLE.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md"), ROOT / "data" / "README.md"])
#: a repository path written in backticks or a markdown link: lsg_analysis/…, docs/…, data/…, notebooks/…, …
PATH = re.compile(r"(?:`|\]\()((?:lsg_analysis|docs|data|notebooks|tests|benchmarks|scripts)/[\w./-]*\w)[`)#]")


def _cited(doc: Path) -> list[str]:
    return sorted(set(PATH.findall(doc.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_paths_cited_in_docs_exist(doc):
    # module paths in the README's table and docs/architecture.md are relative to the package folder
    missing = [
        p
        for p in _cited(doc)
        if "*" not in p and "<" not in p and not (ROOT / p).exists() and not (ROOT / "lsg_analysis" / p).exists()
    ]
    assert not missing, f"{doc.relative_to(ROOT)} cites paths that do not exist: {missing}"


def test_the_scan_finds_paths():
    assert "data/series.py" in _cited(ROOT / "README.md") and "docs/architecture.md" in _cited(ROOT / "README.md")


#: a path of somebody's machine: the project names files relative to itself (or ../shared beside it)
MACHINE_PATH = re.compile(r"(?<![\w.])/(work|home|root|tmp|Users)/")


def test_no_tracked_file_names_a_path_of_a_developer_machine():
    import subprocess

    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    hits = []
    for name in files:
        path = ROOT / name
        raw_copy = name.startswith("data/raw/") and not name.endswith(".source.yml")  # byte copies, never edited
        if name.startswith("tests/") or raw_copy or path.suffix in (".geojson", ".xlsx") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        hits += [f"{name}:{i}" for i, line in enumerate(text.splitlines(), 1) if MACHINE_PATH.search(line)]
    assert not hits, f"absolute machine paths: {hits[:20]}"
    assert MACHINE_PATH.search("see /work/shared/x") and not MACHINE_PATH.search("../shared/x")
