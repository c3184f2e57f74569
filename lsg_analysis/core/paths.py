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
#: Per-user cache of what is slow to make and depends only on installed package versions (the dashboard's Vega
#: bundle, keyed by those versions): ``$LSG_CACHE``, else ``$XDG_CACHE_HOME/lsg-analysis`` (``~/.cache/...``).
#: Deleting it is always safe; nothing in it is data.
CACHE = Path(
    os.environ.get("LSG_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lsg-analysis"
)


def rel(path: str | Path) -> str:
    """``path`` relative to the repository root when inside it (for messages), else as given."""
    p = Path(path)
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
