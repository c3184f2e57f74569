"""Every processed table through a validated loader: the schemas of sources, corrections and border metrics, no
plain ``pd.read_csv`` of a processed file in the package, and file caches that are never stale (path + mtime +
size).

Synthetic rows are made in ``tmp_path`` only (copies of the shipped files, then edited).
"""

from __future__ import annotations

import ast
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError, DataErrors
from lsg_analysis.data import processed

PKG = Path(__file__).resolve().parents[1] / "lsg_analysis"
#: modules whose pd.read_csv reads raw, reference or definition files (never data/processed): a new reader of a
#: CSV must be added here consciously, or go through lsg_analysis.data.schemas.read_csv
RAW_READERS = {
    "data/schemas.py",
    "data/layouts.py",
    "data/compare.py",
    "data/catalogue.py",
    "geo/border/reference.py",
    "data/quality.py",
}  # quality: the rules table data/quality_rules.csv


def read_csv_calls(source: str) -> list[tuple[int, str]]:
    """(line, source of the first argument) of every ``pd.read_csv`` / ``pandas.read_csv`` call in ``source``."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "read_csv"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("pd", "pandas")
        ):
            arg = ast.get_source_segment(source, node.args[0]) if node.args else ""
            out.append((node.lineno, arg or ""))
    return out


def test_the_read_csv_scan_sees_a_processed_read():
    src = 'import pandas as pd\nx = pd.read_csv(paths.PROCESSED / "sources.csv", dtype=str)\ny = other.read_csv(p)\n'
    assert read_csv_calls(src) == [(2, 'paths.PROCESSED / "sources.csv"')]


def test_no_module_reads_a_processed_file_with_plain_read_csv():
    processed_reads, unlisted = [], []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG).as_posix()
        for line, arg in read_csv_calls(path.read_text(encoding="utf-8")):
            if rel != "data/schemas.py" and "processed" in arg.lower():
                processed_reads.append(f"{rel}:{line}: pd.read_csv({arg})")
            if rel not in RAW_READERS:
                unlisted.append(f"{rel}:{line}: pd.read_csv({arg})")
    assert processed_reads == []
    assert unlisted == []


# ------------------------------------------------------------------------------------------ schemas
def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(paths.PROCESSED / name, target)
    return target


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell (file row ``row``, header = row 1) and move the mtime on, as a rebuild would."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    before = path.stat().st_mtime_ns
    frame.to_csv(path, index=False, lineterminator="\n")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_shipped_sources_and_corrections_pass_their_schemas():
    sources, corrections = processed.read_sources(), processed.read_corrections()
    raw = pd.read_csv(paths.PROCESSED / "sources.csv", dtype=str, keep_default_na=False)
    assert sources["source_id"].tolist() == raw["source_id"].tolist()
    assert corrections["row"].dtype.kind == "i" and (corrections["row"] >= 1).all()


def test_bad_sources_name_file_row_and_column(tmp_path):
    path = _copy(tmp_path, "sources.csv")
    _edit(path, 3, "accessed", "25.11.2026")
    first = pd.read_csv(path, dtype=str, keep_default_na=False)["source_id"].iloc[0]
    _edit(path, 4, "source_id", first)
    with pytest.raises(DataErrors) as bad:
        processed.read_sources(path)
    got = {(e.row, e.column, e.found) for e in bad.value.errors}
    assert got == {(3, "accessed", "25.11.2026"), (2, "source_id", first), (4, "source_id", first)}  # both copies
    assert all(e.file == str(path) for e in bad.value.errors)


def test_bad_corrections_name_file_row_and_column(tmp_path):
    path = _copy(tmp_path, "corrections.csv")
    _edit(path, 2, "row", "eleven")
    _edit(path, 3, "evidence", "")
    with pytest.raises(DataErrors) as bad:
        processed.read_corrections(path)
    assert [str(e) for e in bad.value.errors] == [
        f'{path}, row 2, column "row": found "eleven"; expected a value passing coerce_dtype(\'int64\')',
        f'{path}, row 3, column "evidence": found ""; expected a value passing str_length(1, None)',
    ]


def test_indicator_rows_with_an_undefined_indicator_or_another_unit_are_named(tmp_path):
    path = _copy(tmp_path, "indicators.csv")
    shutil.copyfile(paths.PROCESSED / "indicator_meta.csv", tmp_path / "indicator_meta.csv")
    _edit(path, 3, "unit", "billion som")
    _edit(path, 7, "indicator", "no_such_indicator")
    with pytest.raises(DataErrors) as e:
        processed.read_indicators(path, tmp_path / "indicator_meta.csv")
    got = [(e.row, e.column, e.found) for e in e.value.errors]
    assert got == [(3, "unit", "billion som"), (7, "indicator", "no_such_indicator")]


def test_missing_processed_file_is_named(tmp_path):
    with pytest.raises(DataError, match=r'sources.csv: found "no file"; expected the processed table: run `lsg data'):
        processed.read_sources(tmp_path / "sources.csv")


def test_data_check_validates_every_processed_table(tmp_path):
    from lsg_analysis.pipeline.check import validate_tables

    for name in ("sources.csv", "corrections.csv", "series_breaks.csv", "border_metrics.csv"):
        _copy(tmp_path, name)
    assert validate_tables(tmp_path, geo=True) == []
    _edit(tmp_path / "corrections.csv", 2, "row", "0")
    _edit(tmp_path / "border_metrics.csv", 5, "border", "maybe")
    got = [(Path(e.file).name, e.row, e.column, e.found) for e in validate_tables(tmp_path, geo=True)]
    assert got == [("corrections.csv", 2, "row", 0), ("border_metrics.csv", 5, "border", "maybe")]


# ------------------------------------------------------------------------------------------ caches
def test_sources_and_corrections_are_read_anew_after_a_rewrite(tmp_path):
    path = _copy(tmp_path, "sources.csv")
    assert processed.read_sources(path).at[0, "title"] != "A new title"
    _edit(path, 2, "title", "A new title")
    assert processed.read_sources(path).at[0, "title"] == "A new title"
    path = _copy(tmp_path, "corrections.csv")
    processed.read_corrections(path)
    _edit(path, 2, "affects", "rewritten")
    assert processed.read_corrections(path).at[0, "affects"] == "rewritten"


def test_indicator_meta_is_read_anew_after_a_rewrite(tmp_path):
    path = _copy(tmp_path, "indicator_meta.csv")
    name = processed.read_indicator_meta(path).at[0, "name_en"]
    _edit(path, 2, "name_en", name + " (rewritten)")
    assert processed.read_indicator_meta(path).at[0, "name_en"] == name + " (rewritten)"


def test_border_metrics_are_read_anew_after_a_rewrite(tmp_path):
    from lsg_analysis.geo import border

    path = _copy(tmp_path, "border_metrics.csv")
    km = border.read_border_metrics(path).at[0, "dist_km"]
    _edit(path, 2, "dist_km", f"{km + 1:.6f}")
    assert border.read_border_metrics(path).at[0, "dist_km"] == pytest.approx(km + 1)
    assert border.border_table(1, processed=path)["dist_km"].iloc[0] == pytest.approx(km + 1)


def test_params_indicator_table_is_read_anew_after_a_rewrite(tmp_path):
    from lsg_analysis.runs import params

    meta = _copy(tmp_path, "indicator_meta.csv")
    data = _copy(tmp_path, "indicators.csv")
    ids, values = params._indicator_table(data, meta)
    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    row = frame.index[frame["default_series"] == "yes"][0]
    key = frame.loc[row, ["indicator", "year"]]
    _edit(data, int(row) + 2, "value", "123456.5")
    _, again = params._indicator_table(data, meta)
    assert (
        123456.5
        in again[(again["indicator"] == key["indicator"]) & (again["year"] == int(key["year"]))]["value"].tolist()
    )
    assert 123456.5 not in values["value"].tolist()


def test_i18n_indicator_names_are_read_anew_after_a_rewrite(tmp_path):
    from lsg_analysis.outputs import i18n

    path = tmp_path / "indicators.yml"
    shutil.copyfile(paths.DATA / "indicators.yml", path)
    first = next(iter(i18n._indicator_meta(path)))
    name = i18n._indicator_meta(path)[first]["name_en"]
    text = path.read_text(encoding="utf-8")
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(f"name_en: {name}", f"name_en: {name} rewritten", 1), encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))
    assert i18n._indicator_meta(path)[first]["name_en"] == f"{name} rewritten"


def test_i18n_catalogue_is_read_anew_after_a_rewrite(tmp_path, monkeypatch):
    from lsg_analysis.outputs import i18n

    glossary, messages = tmp_path / "glossary.csv", tmp_path / "messages.csv"
    shutil.copyfile(i18n.GLOSSARY, glossary)
    shutil.copyfile(i18n.MESSAGES, messages)
    monkeypatch.setattr(i18n, "GLOSSARY", glossary)
    monkeypatch.setattr(i18n, "MESSAGES", messages)
    frame = pd.read_csv(glossary, dtype=str, keep_default_na=False)
    key = frame.at[0, "key"]
    assert i18n.catalogue()[key]["en"] == frame.at[0, "en"]
    _edit(glossary, 2, "en", "rewritten text")
    assert i18n.catalogue()[key]["en"] == "rewritten text"


def test_validating_tables_imports_no_dataframe_backend_it_does_not_use():
    """The schemas are pandera's object API: validating every processed table, a results file and a loaded register
    never imports dask, modin or pyspark (a ``DataFrameModel`` would: about half a second in every process)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import pandas as pd\n"
        "from lsg_analysis.data import processed, schemas\n"
        "from lsg_analysis.analysis.consultations import register\n"
        "from lsg_analysis.runs import results\n"
        "processed.read_indicators(); processed.read_sources(); processed.read_series_breaks()\n"
        "processed.read_corrections(); processed.read_flags()\n"
        "schemas.validate(schemas.read_csv('data/processed/border_metrics.csv'), schemas.BorderMetrics, 'b')\n"
        "results.ResultMetrics.validate(pd.DataFrame({'key': ['a'], 'unit': ['x'], 'sources': [['S1']], 'note': ['']}))\n"
        "register.load_shipped_register()\n"
        "print(sorted(m for m in ('dask', 'modin', 'pyspark') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=paths.ROOT
    ).stdout
    assert out.strip() == "[]"
