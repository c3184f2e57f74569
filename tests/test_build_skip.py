"""``lsg data build`` skips an unchanged rebuild (data/processed/build_stamp.json) and rebuilds on any change.

Works on a tmp copy of the shipped data folder, built once without the boundary files; the decision tests replace
the build function by a recorder, so they take milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from lsg_analysis.core import paths
from lsg_analysis.core.version import VERSION
from lsg_analysis.pipeline import build, stamp

TABLES = ["corrections.csv", "flags.csv", "indicator_meta.csv", "indicators.csv", "series_breaks.csv", "sources.csv"]
LICENCE = "data/raw/naturalearth/LICENSE"  # a raw file the tables never read: changing it keeps the build valid


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(paths.DATA, root / "data", ignore=shutil.ignore_patterns("processed"))
    build.build_processed(root / "processed", data_dir=root / "data", boundaries=False)
    return root


@pytest.fixture
def project(built_once, tmp_path) -> Path:
    shutil.copytree(built_once, tmp_path / "p")
    return tmp_path / "p"


@pytest.fixture
def calls(monkeypatch) -> list[tuple]:
    seen: list[tuple] = []
    monkeypatch.setattr(build, "build_processed", lambda *a, **kw: seen.append((a, kw)))
    return seen


def run(project: Path, **kw) -> bool:
    return stamp.build_unless_current(project / "processed", data_dir=project / "data", boundaries=False, **kw)


def test_stamp_holds_the_independently_computed_hashes(project):
    written = json.loads((project / "processed" / "build_stamp.json").read_text(encoding="utf-8"))
    assert sorted(written) == ["boundaries", "inputs", "inputs_sha256", "outputs", "version"]  # no timestamp
    assert written["version"] == VERSION and written["boundaries"] is False
    data = project / "data"
    raw = sorted(p for p in (data / "raw").rglob("*") if p.is_file())
    assert len(raw) >= 90
    for p in raw:
        assert written["inputs"][f"data/{p.relative_to(data).as_posix()}"] == hashlib.sha256(p.read_bytes()).hexdigest()
    for name in (
        "catalogue.yml",
        "indicators.yml",
        "corrections.csv",
        "series_breaks.csv",
        "quality_rules.csv",
        "reference/enclaves.csv",
        "parameters/consultations/parameters.csv",
    ):
        assert written["inputs"][f"data/{name}"] == hashlib.sha256((data / name).read_bytes()).hexdigest()
    code = Path(stamp.__file__).resolve()
    assert written["inputs"]["lsg_analysis/pipeline/stamp.py"] == hashlib.sha256(code.read_bytes()).hexdigest()
    assert "lsg_analysis/registry/regions.csv" in written["inputs"]
    assert not any("__pycache__" in k for k in written["inputs"])
    text = f"lsg-analysis {VERSION}\n" + "".join(f"{h}  {k}\n" for k, h in sorted(written["inputs"].items()))
    assert written["inputs_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert sorted(written["outputs"]) == TABLES
    assert (
        written["outputs"]["indicators.csv"]
        == hashlib.sha256((project / "processed" / "indicators.csv").read_bytes()).hexdigest()
    )


def test_unchanged_inputs_skip_the_build_and_touch_nothing(project, calls, capsys):
    out = project / "processed"
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert run(project) is False
    assert calls == []
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert capsys.readouterr().out == (
        f"lsg data build: {paths.rel(out)} is up to date (inputs unchanged); --force rebuilds\n"
    )


def test_one_changed_raw_byte_rebuilds(project, calls):
    f = project / LICENCE
    body = bytearray(f.read_bytes())
    body[0] ^= 1
    f.write_bytes(bytes(body))
    assert (
        stamp.stale_reason(project / "processed", stamp.input_hashes(project / "data"), boundaries=False)
        == f"inputs changed: {LICENCE}"
    )
    assert run(project) is True
    assert calls == [((project / "processed",), {"data_dir": project / "data", "boundaries": False})]


def test_force_rebuilds_unchanged_inputs(project, calls):
    assert run(project, force=True) is True
    assert len(calls) == 1


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda out: (out / "sources.csv").unlink(), "sources.csv is missing"),
        (
            lambda out: (out / "indicators.csv").write_text("x\n"),
            "indicators.csv differs from the build that wrote the stamp",
        ),
        (lambda out: (out / "build_stamp.json").write_text("{"), "no readable build_stamp.json"),
    ],
)
def test_missing_or_edited_outputs_rebuild(project, calls, damage, reason):
    damage(project / "processed")
    assert stamp.stale_reason(project / "processed", stamp.input_hashes(project / "data"), boundaries=False) == reason
    assert run(project) is True and len(calls) == 1


def test_a_stamp_without_boundaries_does_not_satisfy_a_full_build(project):
    hashes = stamp.input_hashes(project / "data")
    assert stamp.stale_reason(project / "processed", hashes, boundaries=True) == (
        "the last build left out the boundary files"
    )


def test_real_rebuild_after_a_change_writes_the_new_stamp_then_skips(project, capsys):
    (project / LICENCE).write_bytes((project / LICENCE).read_bytes() + b" ")
    old = json.loads((project / "processed" / "build_stamp.json").read_text(encoding="utf-8"))
    assert run(project) is True
    new = json.loads((project / "processed" / "build_stamp.json").read_text(encoding="utf-8"))
    assert new["inputs"][LICENCE] == hashlib.sha256((project / LICENCE).read_bytes()).hexdigest()
    assert new["inputs_sha256"] != old["inputs_sha256"] and new["outputs"] == old["outputs"]
    assert not list((project / "processed").glob(".*.tmp"))  # written atomically: no temporary left
    capsys.readouterr()
    assert run(project) is False
    assert "is up to date" in capsys.readouterr().out


def test_check_accepts_the_fresh_stamp_and_names_a_stale_one(project):
    out, data = project / "processed", project / "data"
    assert stamp.check_stamp(out, TABLES, data_dir=data, boundaries=False) == []
    (data / "series_breaks.csv").write_bytes((data / "series_breaks.csv").read_bytes() + b"\n")
    errors = stamp.check_stamp(out, TABLES, data_dir=data, boundaries=False)
    assert [str(e) for e in errors] == [
        f'{paths.rel(out / "build_stamp.json")}: found "inputs changed: data/series_breaks.csv"; expected the stamp '
        "a fresh `lsg data build` writes (run `lsg data build --force` and commit data/processed)"
    ]
    (out / "build_stamp.json").unlink()
    assert [e.found for e in stamp.check_stamp(out, TABLES, data_dir=data, boundaries=False)] == ["no file"]


def test_committed_stamp_is_what_a_fresh_build_writes():
    shipped = paths.PROCESSED
    committed = json.loads((shipped / "build_stamp.json").read_text(encoding="utf-8"))
    fresh = stamp.make_stamp(stamp.input_hashes(), shipped, list(committed["outputs"]), boundaries=True)
    assert sorted(committed["outputs"]) == sorted(p.name for p in shipped.iterdir() if p.name != "build_stamp.json")
    assert stamp.stamp_bytes(fresh) == (shipped / "build_stamp.json").read_bytes()
