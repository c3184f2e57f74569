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

import pandera.pandas as pa

from lsg_analysis.core import atomic, paths
from lsg_analysis.core.errors import DataError, DataErrors

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
    #: provenance of sources that are the user's own files (``file:<name>``), recorded from the file by the run
    own_sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def metric(
        self,
        key: str,
        value: float | int | str | None,
        unit: str,
        *,
        sources: list[str],
        year: int | str | None = None,
        note: str = "",
    ) -> None:
        """Record one headline number with its unit, reference year and source ids."""
        if not sources:
            raise ValueError(f"metric {key!r}: every number needs at least one source id")
        self.metrics[key] = clean({"value": value, "unit": unit, "year": year, "sources": list(sources), "note": note})

    def table(self, key: str, frame: Any, *, sources: list[str], note: str = "") -> None:
        """Record a small table (a DataFrame) with the source ids of its numbers."""
        if not sources:
            raise ValueError(f"table {key!r}: every table needs at least one source id")
        self.tables[key] = clean(
            {
                "columns": [str(c) for c in frame.columns],
                "rows": frame.astype(object).values.tolist(),
                "sources": list(sources),
                "note": note,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        from lsg_analysis.data.sources import source_info

        ids = sorted({s for m in [*self.metrics.values(), *self.tables.values()] for s in m["sources"]})
        info = {i: self.own_sources.get(i) or source_info(i) for i in ids}
        parts = sorted({p for i in ids for p in (info[i].get("inputs") or [])} - set(info))
        info.update({p: source_info(p) for p in parts})
        return {
            "schema": SCHEMA,
            "notebook": self.notebook,
            "parameters": clean(self.parameters),
            "metrics": self.metrics,
            "tables": self.tables,
            "sources": dict(sorted(info.items())),
        }

    def save(self, folder: str | Path | None = None) -> Path:
        """Write ``<folder>/<notebook>.json`` (default ``reports/results``) atomically, validated against the
        contract first (nothing is written when a key, unit or column is not the contract's)."""
        out = Path(folder) if folder is not None else paths.RESULTS
        data = validate(self.to_dict(), paths.rel(out / f"{self.notebook}.json"))
        text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False, sort_keys=False)
        return atomic.write_text(out / f"{self.notebook}.json", text + "\n")


NOTEBOOKS = ("01_imbalance", "02_migration_border", "03_consultations")
#: The contract of the results files: each notebook's metrics (key → unit) and tables (key → columns).
CONTRACT_FILE = Path(__file__).resolve().parent / "contract.yml"
#: Contract unit of a metric whose unit is the run's indicator's own (e.g. "thousand som per person").
INDICATOR_UNIT = "indicator"


def contract(path: str | Path | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """``contract.yml``: notebook → ``{"metrics": {key: unit}, "tables": {key: [columns]}}`` (explained entry by
    entry in docs/results.md)."""
    import yaml

    return yaml.safe_load(Path(path or CONTRACT_FILE).read_text(encoding="utf-8"))


def _source_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(s, str) and s for s in value)


SOURCES_LISTED = pa.Check(_source_list, element_wise=True, error="a non-empty list of source ids", name="sources_listed")
RESULT_KEY = pa.Check.str_matches(r"^[a-z][A-Za-z0-9_]*$")

#: The ``metrics`` block of a results file, one row per metric (pandera's object API, as
#: :mod:`lsg_analysis.data.schemas` explains).
ResultMetrics = pa.DataFrameSchema(
    {
        "key": pa.Column(str, RESULT_KEY, unique=True),
        "unit": pa.Column(str, pa.Check.str_length(min_value=1)),
        "sources": pa.Column(object, SOURCES_LISTED),
        "note": pa.Column(str),
    },
    name="ResultMetrics",
    coerce=True,
)

#: The ``tables`` block of a results file, one row per table; ``ragged`` counts rows whose length differs from the
#: columns.
ResultTables = pa.DataFrameSchema(
    {
        "key": pa.Column(str, RESULT_KEY, unique=True),
        "width": pa.Column(int, pa.Check.ge(1)),
        "ragged": pa.Column(int, pa.Check.eq(0)),
        "sources": pa.Column(object, SOURCES_LISTED),
    },
    name="ResultTables",
    coerce=True,
)


def _frames(data: dict[str, Any]) -> tuple[Any, Any]:
    import pandas as pd

    metrics, tables = data.get("metrics", {}), data.get("tables", {})
    m = pd.DataFrame(
        [
            {"key": k, "unit": e.get("unit"), "sources": e.get("sources"), "note": e.get("note")}
            for k, e in metrics.items()
        ],
        columns=["key", "unit", "sources", "note"],
    )
    t = pd.DataFrame(
        [
            {
                "key": k,
                "width": len(e.get("columns", [])),
                "sources": e.get("sources"),
                "ragged": sum(len(r) != len(e.get("columns", [])) for r in e.get("rows", [])),
            }
            for k, e in tables.items()
        ],
        columns=["key", "width", "ragged", "sources"],
    )
    return m, t


def _contract_errors(data: dict[str, Any], file: str, spec: dict[str, Any], complete: bool) -> list[DataError]:
    metrics, tables = data.get("metrics", {}), data.get("tables", {})
    errors = [
        DataError(file, k, "a metric of the contract (lsg_analysis/runs/contract.yml)", column="metrics")
        for k in metrics
        if k not in spec["metrics"]
    ]
    errors += [
        DataError(file, f"{k}: {m.get('unit')!r}", f"the unit {spec['metrics'][k]!r}", column="metrics")
        for k, m in metrics.items()
        if k in spec["metrics"] and spec["metrics"][k] not in (INDICATOR_UNIT, m.get("unit"))
    ]
    errors += [
        DataError(file, k, "a table of the contract (lsg_analysis/runs/contract.yml)", column="tables")
        for k in tables
        if k not in spec["tables"]
    ]
    errors += [
        DataError(
            file,
            f"{k}: {t['columns']}",
            f"the columns {spec['tables'][k]} (results written by an older version: run "
            f"`lsg run {data.get('notebook')}` again)",
            column="tables",
        )
        for k, t in tables.items()
        if k in spec["tables"] and t["columns"] != spec["tables"][k]
    ]
    if complete:
        errors += [
            DataError(file, "missing", f"metric {k} (lsg_analysis/runs/contract.yml)", column="metrics")
            for k in spec["metrics"]
            if k not in metrics
        ]
        errors += [
            DataError(file, "missing", f"table {k} (lsg_analysis/runs/contract.yml)", column="tables")
            for k in spec["tables"]
            if k not in tables
        ]
    return errors


def validate(
    data: dict[str, Any],
    file: str,
    *,
    complete: bool = False,
    documented: dict[str, dict[str, dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """``data`` if it is a valid results file of the contract; every problem is one entry of a
    :class:`DataErrors` naming the file and the metric or table. ``complete``: every documented key must be
    present (a notebook's own run); otherwise the keys present must be documented (hand-made files, fixtures)."""
    from lsg_analysis.data.schemas import validate as validate_frame

    if data.get("schema") != SCHEMA:
        raise DataError(
            file,
            data.get("schema"),
            f'schema "{SCHEMA}" (the results contract of this version: run the notebook again with it)',
            column="schema",
        )
    spec = (documented or contract()).get(str(data.get("notebook")))
    if spec is None:
        raise DataError(
            file, data.get("notebook"), "a notebook of the contract: " + ", ".join(NOTEBOOKS), column="notebook"
        )
    errors = []
    for frame, schema, block in zip(_frames(data), (ResultMetrics, ResultTables), ("metrics", "tables")):
        try:
            validate_frame(frame, schema, f"{file} [{block}]", file_rows=False)
        except DataErrors as e:
            errors += e.errors
    errors += _contract_errors(data, file, spec, complete)
    if errors:
        raise DataErrors(errors)
    return data


def load(notebook: str, folder: str | Path | None = None) -> dict[str, Any]:
    """Read and validate the results a notebook recorded; a clear error if the notebook has not been run."""
    path = (Path(folder) if folder is not None else paths.RESULTS) / f"{notebook}.json"
    if not path.exists():
        raise DataError(paths.rel(path), "no file", f"results of notebook {notebook!r}: run `lsg run` first")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(
            paths.rel(path), f"invalid JSON ({e.msg})", "a results file written by a notebook", row=e.lineno
        ) from None
    return validate(data, paths.rel(path))


def load_all(folder: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The results of every notebook, by notebook (each validated)."""
    return {nb: load(nb, folder) for nb in NOTEBOOKS}


# ---------------------------------------------------------------- reading one results dict
def metric(results: dict[str, Any], key: str) -> dict[str, Any]:
    """The metric entry ``key`` (value, unit, year, sources, note), or ``{}`` when not recorded."""
    return results.get("metrics", {}).get(key) or {}


def value(results: dict[str, Any], key: str) -> Any:
    """The value of metric ``key``; None when missing or not recorded."""
    return metric(results, key).get("value")


def rows(results: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The rows of table ``key`` as dicts by column; ``[]`` when not recorded."""
    table = results.get("tables", {}).get(key)
    return [] if not table else [dict(zip(table["columns"], row)) for row in table["rows"]]


def columnar(results: dict[str, Any], key: str) -> dict[str, Any]:
    """Table ``key`` as recorded, column by column: ``{"columns": [...], "data": [[...], ...]}``."""
    t = results.get("tables", {}).get(key, {"columns": [], "rows": []})
    return {"columns": list(t["columns"]), "data": [[clean(r[j]) for r in t["rows"]] for j in range(len(t["columns"]))]}


def table_sources(results: dict[str, Any], *keys: str) -> list[str]:
    """Source ids of the tables ``keys``, in order of first use."""
    ids: list[str] = []
    for k in keys:
        ids += [s for s in results.get("tables", {}).get(k, {}).get("sources", []) if s not in ids]
    return ids


# ---------------------------------------------------------------- a run's results, with fallbacks
#: Every notebook whose results an output may read (the three questions and the country comparison).
ALL_NOTEBOOKS = (*NOTEBOOKS, "04_context")
#: Parameters that say where a run wrote, not what it computed: never part of a run stamp.
NOT_STAMPED = ("out_dir",)


@dataclass(frozen=True)
class Origin:
    """Which run a notebook's results come from: the results ``folder`` (as shown to the user), whether it is the
    default results (``reports/results``, taken because the asked folder has no file of that notebook), the
    date the results file was written (UTC, ISO) and the parameters that differ from the notebook's defaults."""

    notebook: str
    folder: str
    default: bool
    date: str
    changed: dict[str, Any]


@dataclass(frozen=True)
class Run:
    """The results an output is built from (notebook → results dict) and where each comes from."""

    results: dict[str, dict[str, Any]]
    origins: dict[str, Origin]


def results_folder(folder: str | Path) -> Path:
    """The folder holding a run's results files: ``folder`` itself, or ``folder/results`` (what ``lsg run --out``
    writes). :class:`LsgError` when it does not exist or holds no results file of any notebook."""
    from lsg_analysis.core.errors import LsgError

    base = Path(folder).expanduser()
    if not base.is_dir():
        raise LsgError(f"results folder {paths.rel(base)} does not exist (give the --out folder of `lsg run`)")
    for candidate in (base, base / "results"):
        if any((candidate / f"{nb}.json").is_file() for nb in ALL_NOTEBOOKS):
            return candidate
    names = ", ".join(f"{nb}.json" for nb in ALL_NOTEBOOKS)
    raise LsgError(f"results folder {paths.rel(base)} has no results file ({names}) in it or in its results/ folder")


def changed_parameters(notebook: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The recorded parameters that differ from ``notebook``'s defaults as resolved for the current data
    (:func:`lsg_analysis.runs.params.check`; years 0 → the data's coverage). A file parameter (``register``) is
    given by its file name; ``out_dir`` is never included."""
    from lsg_analysis.runs import params

    base = params.check(notebook, {})
    out = {}
    for name, val in parameters.items():
        if name in NOT_STAMPED or name not in base or clean(base[name]) == val:
            continue
        out[name] = Path(str(val)).name if name == "register" and val else val
    return out


def load_run(folder: str | Path | None = None, notebooks: tuple[str, ...] = ALL_NOTEBOOKS) -> Run:
    """The results of ``notebooks`` from a run's folder (:func:`results_folder`), each validated; a notebook without
    a file there is taken from the default results (``reports/results``). ``folder=None``: the default results.

    Errors (:class:`LsgError`, naming the file): folder missing or without results, invalid JSON, a results file
    of another contract version (``schema``), a notebook missing from the default results too."""
    import datetime as dt

    asked = results_folder(folder) if folder is not None else paths.RESULTS
    out, origins = {}, {}
    for nb in notebooks:
        fallback = not (asked / f"{nb}.json").is_file()
        where = paths.RESULTS if fallback else asked
        data = load(nb, where)
        stat = (where / f"{nb}.json").stat()
        out[nb] = data
        origins[nb] = Origin(
            notebook=nb,
            folder=paths.rel(where),
            default=where.resolve() == paths.RESULTS.resolve(),
            date=dt.datetime.fromtimestamp(stat.st_mtime, dt.timezone.utc).date().isoformat(),
            changed=changed_parameters(nb, data.get("parameters") or {}),
        )
    return Run(out, origins)
