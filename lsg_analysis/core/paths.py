"""Where the project's folders are. Nothing here touches the disk at import."""

from __future__ import annotations

import os
from pathlib import Path

#: Repository root (the package is used from a checkout, installed in editable mode).
ROOT = Path(os.environ.get("LSG_ROOT", Path(__file__).resolve().parents[2]))
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
REPORTS = ROOT / "reports"
RESULTS = REPORTS / "results"
#: Results of notebooks run by hand (JupyterLab, out_dir empty): ``SCRATCH/<notebook>/``, never over RESULTS.
SCRATCH = REPORTS / "scratch"
NOTEBOOKS = ROOT / "notebooks"


def rel(path: str | Path) -> str:
    """``path`` relative to the repository root when inside it (for messages), else as given."""
    p = Path(path)
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
