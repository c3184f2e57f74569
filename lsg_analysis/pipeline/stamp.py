"""Skip ``lsg data build`` when nothing it reads has changed (``data/processed/build_stamp.json``).

The stamp records the sha256 of every input of the build, one sha256 over them all (``inputs_sha256``) and the
sha256 of every processed file written. No timestamps and no absolute paths, so the same inputs give the same
stamp on any machine and it is committed with ``data/processed``. Inputs:

- every file under ``data/raw`` (the copies and their ``.source.yml`` sidecars);
- ``data/catalogue.yml``, ``data/indicators.yml``, ``data/corrections.csv``, ``data/series_breaks.csv``,
  ``data/quality_rules.csv``, every file under ``data/reference`` and ``data/parameters``;
- the package version and the build's own code: the ``.py`` and ``.csv`` files of ``lsg_analysis/core``,
  ``data``, ``geo``, ``pipeline`` and ``registry``.

``inputs_sha256`` is the sha256 of ``lsg-analysis <VERSION>\\n`` followed by one ``<sha256>  <path>\\n`` line per
input, sorted by path (the ``sha256sum`` format). This module imports no pandas, so a skipped build is fast.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lsg_analysis.core import atomic, paths
from lsg_analysis.core.errors import DataError
from lsg_analysis.core.version import VERSION

STAMP_NAME = "build_stamp.json"
DEFINITIONS = ("catalogue.yml", "indicators.yml", "corrections.csv", "series_breaks.csv", "quality_rules.csv")
DATA_TREES = ("reference", "parameters")
PACKAGE = Path(__file__).resolve().parents[1]
CODE_TREES = ("core", "data", "geo", "pipeline", "registry")
CODE_SUFFIXES = (".py", ".csv")


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tree(root: Path) -> Iterator[Path]:
    """Files under ``root`` (no hidden files, no ``__pycache__``), in path order."""
    if not root.is_dir():
        return
    for p in sorted(root.rglob("*")):
        parts = p.relative_to(root).parts
        if p.is_file() and not any(s.startswith(".") or s == "__pycache__" for s in parts):
            yield p


def input_files(data_dir: str | Path | None = None, raw_dir: str | Path | None = None) -> dict[str, Path]:
    """Label (``data/...`` or ``lsg_analysis/...``, POSIX) → file, for every input of the build."""
    data = Path(data_dir if data_dir is not None else paths.DATA)
    raw = Path(raw_dir if raw_dir is not None else data / "raw")
    files = {f"data/raw/{p.relative_to(raw).as_posix()}": p for p in _tree(raw)}
    files |= {f"data/{name}": data / name for name in DEFINITIONS if (data / name).is_file()}
    for tree in DATA_TREES:
        files |= {f"data/{p.relative_to(data).as_posix()}": p for p in _tree(data / tree)}
    for tree in CODE_TREES:
        files |= {
            f"lsg_analysis/{p.relative_to(PACKAGE).as_posix()}": p
            for p in _tree(PACKAGE / tree)
            if p.suffix in CODE_SUFFIXES
        }
    return dict(sorted(files.items()))


def input_hashes(data_dir: str | Path | None = None, raw_dir: str | Path | None = None) -> dict[str, str]:
    """Label → sha256 of every input of the build."""
    return {label: file_sha256(p) for label, p in input_files(data_dir, raw_dir).items()}


def inputs_sha256(hashes: dict[str, str], version: str = VERSION) -> str:
    """The one sha256 over the version and every input (see the module docstring for the exact text)."""
    text = f"lsg-analysis {version}\n" + "".join(f"{h}  {label}\n" for label, h in sorted(hashes.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_stamp(hashes: dict[str, str], out_dir: Path, outputs: list[str], *, boundaries: bool) -> dict[str, Any]:
    """The stamp for inputs ``hashes`` and the processed files ``outputs`` (names inside ``out_dir``)."""
    return {
        "version": VERSION,
        "inputs_sha256": inputs_sha256(hashes),
        "boundaries": boundaries,
        "inputs": dict(sorted(hashes.items())),
        "outputs": {name: file_sha256(out_dir / name) for name in sorted(set(outputs))},
    }


def stamp_bytes(stamp: dict[str, Any]) -> bytes:
    """Canonical JSON text of a stamp (sorted keys, LF, final newline)."""
    return (json.dumps(stamp, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_stamp(out_dir: Path, stamp: dict[str, Any]) -> Path:
    """Write ``out_dir/build_stamp.json`` atomically."""
    return atomic.write_bytes(out_dir / STAMP_NAME, stamp_bytes(stamp))


def read_stamp(out_dir: Path) -> dict[str, Any] | None:
    """The stamp in ``out_dir``, or None when it is missing or not a JSON object."""
    try:
        stamp = json.loads((out_dir / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def stale_reason(out_dir: Path, hashes: dict[str, str], *, boundaries: bool) -> str | None:
    """Why ``out_dir`` must be rebuilt for inputs ``hashes`` (None: it is up to date)."""
    stamp = read_stamp(out_dir)
    if stamp is None:
        return f"no readable {STAMP_NAME}"
    if stamp.get("inputs_sha256") != inputs_sha256(hashes):
        old = stamp.get("inputs") if isinstance(stamp.get("inputs"), dict) else {}
        changed = sorted(k for k in set(old) | set(hashes) if old.get(k) != hashes.get(k))
        return "inputs changed: " + (", ".join(changed[:5]) + (" …" if len(changed) > 5 else "") or "version")
    if boundaries and not stamp.get("boundaries"):
        return "the last build left out the boundary files"
    outputs = stamp.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return "the stamp lists no outputs"
    for name, digest in sorted(outputs.items()):
        target = out_dir / name
        if not target.is_file():
            return f"{name} is missing"
        if file_sha256(target) != digest:
            return f"{name} differs from the build that wrote the stamp"
    return None


def build_unless_current(
    out_dir: str | Path | None = None,
    *,
    data_dir: str | Path | None = None,
    boundaries: bool = True,
    force: bool = False,
) -> bool:
    """``lsg data build``: rebuild unless the stamp shows the same inputs and intact outputs; True if it built."""
    out = Path(out_dir if out_dir is not None else paths.PROCESSED)
    if not force and stale_reason(out, input_hashes(data_dir), boundaries=boundaries) is None:
        print(f"lsg data build: {paths.rel(out)} is up to date (inputs unchanged); --force rebuilds")
        return False
    from lsg_analysis.pipeline import build

    build.build_processed(out_dir, data_dir=data_dir, boundaries=boundaries)
    return True


def check_stamp(
    shipped: Path, outputs: list[str], *, data_dir: str | Path | None = None, boundaries: bool
) -> list[DataError]:
    """``lsg data check``: the shipped stamp must be exactly what a fresh build writes (given that the
    shipped ``outputs`` already equal a rebuild)."""
    where = paths.rel(shipped / STAMP_NAME)
    expected = make_stamp(
        input_hashes(data_dir), shipped, [n for n in outputs if (shipped / n).is_file()], boundaries=boundaries
    )
    if not (shipped / STAMP_NAME).is_file():
        return [DataError(where, "no file", "the stamp `lsg data build` writes: run it and commit the result")]
    if (shipped / STAMP_NAME).read_bytes() == stamp_bytes(expected):
        return []
    reason = stale_reason(shipped, expected["inputs"], boundaries=boundaries) or "its text differs"
    return [
        DataError(
            where,
            reason,
            "the stamp a fresh `lsg data build` writes (run `lsg data build --force` and commit data/processed)",
        )
    ]
