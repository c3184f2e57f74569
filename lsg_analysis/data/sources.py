"""Where is this number from? Sidecars beside every raw file, and the source id → file/table/URL lookup.

Every file in ``data/raw/<producer>/`` has a sidecar ``<file>.source.yml`` with producer, title, url, licence,
published, accessed, sha256 and copied_from (OWID keeps the same beside each snapshot: ``snapshots/**/*.dvc``).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError, DataErrors

SIDECAR = ".source.yml"
RAW_PREFIX = "raw:"
#: Prefix of the source id of a user's own file outside data/raw (``file:<name>``); its provenance (sha256, rows,
#: date read) is recorded from the file by the run, never looked up in the catalogue.
FILE_PREFIX = "file:"
SIDECAR_KEYS = ("producer", "title", "url", "licence", "published", "accessed", "sha256", "copied_from")


def sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sidecar_path(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + SIDECAR)


def read_sidecar(path: str | Path) -> dict[str, Any]:
    """The sidecar of raw file ``path`` (a clear error when missing or incomplete)."""
    import yaml

    side = sidecar_path(path)
    if not side.exists():
        raise DataError(paths.rel(side), "no sidecar", f"a provenance sidecar beside {paths.rel(path)}")
    meta = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    missing = [k for k in SIDECAR_KEYS if not meta.get(k)]
    if missing:
        raise DataError(paths.rel(side), "missing " + ", ".join(missing), f"the keys {', '.join(SIDECAR_KEYS)}")
    return meta


def raw_files(raw_dir: str | Path | None = None) -> list[Path]:
    """Every data file under ``data/raw`` (sidecars and dotfiles excluded), sorted."""
    raw = Path(raw_dir if raw_dir is not None else paths.RAW)
    return sorted(
        p
        for p in raw.rglob("*")
        if p.is_file()
        and not p.name.endswith(SIDECAR)
        and not any(part.startswith(".") for part in p.relative_to(raw).parts)
    )


def verify_sidecars(raw_dir: str | Path | None = None) -> int:
    """Check that every raw file has a complete sidecar whose sha256 matches; return the number of files.

    Also flags sidecars whose data file is gone. Raises :class:`DataErrors` listing every problem.
    """
    raw = Path(raw_dir if raw_dir is not None else paths.RAW)
    files = raw_files(raw)
    errors = []
    for f in files:
        try:
            meta = read_sidecar(f)
        except DataError as e:
            errors.append(e)
            continue
        found = sha256(f)
        if str(meta["sha256"]).lower() != found:
            errors.append(
                DataError(
                    paths.rel(f),
                    found,
                    f"sha256 {meta['sha256']} as recorded in its sidecar (raw files are never edited)",
                    column="sha256",
                )
            )
    for side in sorted(raw.rglob("*" + SIDECAR)):
        if not side.with_name(side.name[: -len(SIDECAR)]).exists():
            errors.append(DataError(paths.rel(side), "no data file", "a raw file beside the sidecar"))
    if errors:
        raise DataErrors(errors)
    return len(files)


def _sources_table() -> dict[str, dict[str, str]]:
    """``data/processed/sources.csv`` by source id, through the validated loader; built once per file version
    (path, mtime, size) — callers copy the row they return (:func:`source_info`)."""
    from lsg_analysis.core.filekey import file_key

    return _sources_by_id(*file_key(paths.PROCESSED / "sources.csv"))


@lru_cache(maxsize=4)
def _sources_by_id(file: str, mtime: int, size: int) -> dict[str, dict[str, str]]:
    from lsg_analysis.data.processed import read_sources

    return {r["source_id"]: dict(r) for r in read_sources(file).to_dict("records")}


def copied_from_text(copied_from: Any) -> str:
    """A sidecar's ``copied_from`` as one line: ``repository commit path`` of a copy, or the text as written.

    >>> copied_from_text({"repository": "WFP-VAM/prism-app", "commit": "21c14b5", "path": "a/b.json"})
    'WFP-VAM/prism-app 21c14b5 a/b.json'
    """
    if isinstance(copied_from, dict):
        return " ".join(str(copied_from.get(k, "")) for k in ("repository", "commit", "path")).strip()
    return str(copied_from or "")


def source_info(source_id: str) -> dict[str, Any]:
    """Provenance of one source id: producer, title, url, file, licence, accessed, published, table, caveats.

    Derived ids (``S14+D01``) return the method and the ids they combine (``inputs``). ``raw:<path>`` (a raw file
    that is not a catalogued table, e.g. ``raw:hdx/kgz_admbnda_adm2_moes_20181119.json``) returns its sidecar.
    """
    from lsg_analysis.core.errors import ParameterError

    if source_id.startswith(RAW_PREFIX):
        path = paths.RAW / source_id.removeprefix(RAW_PREFIX)
        if not path.is_file():
            raise ParameterError("source_id", source_id, "raw:<path of a file under data/raw>")
        meta = read_sidecar(path)
        copied = copied_from_text(meta.get("copied_from"))
        return {
            "source_id": source_id,
            "producer": meta["producer"],
            "title": meta["title"],
            "table": meta["title"],
            "url": meta["url"],
            "file": f"data/raw/{path.relative_to(paths.RAW).as_posix()}",
            "licence": meta["licence"],
            "published": str(meta["published"]),
            "accessed": str(meta["accessed"]),
            "copied_from": copied,
            "totals": "",
            "caveats": " ".join(str(meta.get("notes", "")).split()),
            "inputs": "",
        }
    table = _sources_table()
    if source_id not in table:
        raise ParameterError("source_id", source_id, ", ".join(sorted(table)))
    row = dict(table[source_id])
    if row.get("inputs"):
        row["inputs"] = row["inputs"].split(";")
    return row
