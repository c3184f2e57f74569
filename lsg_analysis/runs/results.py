"""Key results of a notebook run, written as JSON for the briefs and the dashboard.

The notebooks are the only place a headline number is computed; briefs and dashboard read it from
``reports/results/<notebook>.json``, so they never disagree. Layout (``schema`` = ``lsg-results/1``)::

    {"schema": "lsg-results/1", "notebook": "01_imbalance", "parameters": {...},
     "metrics": {"<key>": {"value": 0.12, "unit": "index", "year": 2022, "sources": ["S14"], "note": ""}},
     "tables":  {"<key>": {"columns": ["year", "value"], "rows": [[2010, 0.1]], "sources": ["S14"]}},
     "sources": {"S14": {"producer": ..., "title": ..., "url": ..., "file": ...}}}

A missing value is ``null`` (never a made-up number); NaN is written as ``null`` too.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsg_analysis.core import atomic, paths

SCHEMA = "lsg-results/1"


def clean(value: Any) -> Any:
    """JSON-safe copy: numpy scalars to Python, NaN/inf to None, tuples to lists."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            value = value.item()
        except (AttributeError, ValueError):
            pass
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if value is not None and not isinstance(value, (str, int, float, bool)):
        try:
            import pandas as pd

            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
        return str(value)
    return value


@dataclass
class Results:
    """Collects a notebook's key numbers; :meth:`save` writes them atomically."""

    notebook: str
    parameters: dict[str, Any]
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def metric(self, key: str, value: float | int | str | None, unit: str, *, sources: list[str],
               year: int | str | None = None, note: str = "") -> None:
        """Record one headline number with its unit, reference year and source ids."""
        if not sources:
            raise ValueError(f"metric {key!r}: every number needs at least one source id")
        self.metrics[key] = clean({"value": value, "unit": unit, "year": year,
                                    "sources": list(sources), "note": note})

    def table(self, key: str, frame: Any, *, sources: list[str], note: str = "") -> None:
        """Record a small table (a DataFrame) with the source ids of its numbers."""
        if not sources:
            raise ValueError(f"table {key!r}: every table needs at least one source id")
        self.tables[key] = clean({"columns": [str(c) for c in frame.columns],
                                   "rows": frame.astype(object).values.tolist(),
                                   "sources": list(sources), "note": note})

    def to_dict(self) -> dict[str, Any]:
        from lsg_analysis.data.sources import source_info

        ids = sorted({s for m in [*self.metrics.values(), *self.tables.values()] for s in m["sources"]})
        return {"schema": SCHEMA, "notebook": self.notebook, "parameters": clean(self.parameters),
                "metrics": self.metrics, "tables": self.tables,
                "sources": {i: source_info(i) for i in ids}}

    def save(self, folder: str | Path | None = None) -> Path:
        """Write ``<folder>/<notebook>.json`` (default ``reports/results``) atomically."""
        out = Path(folder) if folder is not None else paths.RESULTS
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1, allow_nan=False, sort_keys=False)
        return atomic.write_text(out / f"{self.notebook}.json", text + "\n")


def load(notebook: str, folder: str | Path | None = None) -> dict[str, Any]:
    """Read the results a notebook recorded; a clear error if the notebook has not been run."""
    from lsg_analysis.core.errors import DataError

    path = (Path(folder) if folder is not None else paths.RESULTS) / f"{notebook}.json"
    if not path.exists():
        raise DataError(paths.rel(path), "no file", f"results of notebook {notebook!r}: run `lsg run` first")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise DataError(paths.rel(path), data.get("schema"), f'schema "{SCHEMA}"', column="schema")
    return data


def table_frame(results: dict[str, Any], key: str):
    """A recorded table back as a DataFrame."""
    import pandas as pd

    t = results["tables"][key]
    return pd.DataFrame(t["rows"], columns=t["columns"])


@dataclass(frozen=True)
class Change:
    """A change of Theil T in percent between two years; ``unbroken``: over the longest run of years without a
    declared series break, because the whole window spans one."""

    value: float | None
    first: int | None
    last: int | None
    unbroken: bool


def theil_change(results: dict[str, Any]) -> Change:
    """The Theil change a headline shows, from ``01_imbalance`` results: first → last year of the window
    (``theil_change_pct``) or, when a declared series break lies between them, over the window's longest
    unbroken run (``theil_change_pct_unbroken``, ``unbroken_year_first`` → ``unbroken_year_last``)."""
    metrics = results.get("metrics", {})

    def value(key: str) -> Any:
        return (metrics.get(key) or {}).get("value")

    whole = value("theil_change_pct")
    if whole is not None:
        return Change(whole, value("year_first"), value("year_last"), False)
    return Change(value("theil_change_pct_unbroken"), value("unbroken_year_first"), value("unbroken_year_last"), True)
