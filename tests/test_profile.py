"""Region profile PDFs: byte-reproducible, every unit spelling resolved, unknown names a clear error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lsg_analysis.cli import main
from lsg_analysis.outputs.profile import build_profiles, profile_content
from lsg_analysis.outputs.profile_numbers import default_lines


def test_same_data_same_bytes(tmp_path: Path) -> None:
    a = build_profiles("Sokuluk district", "en", tmp_path / "a")
    b = build_profiles("Sokuluk district", "en", tmp_path / "b")
    assert [p.name for p in a] == ["profile_KG08222000000_en.pdf"]
    assert hashlib.sha256(a[0].read_bytes()).digest() == hashlib.sha256(b[0].read_bytes()).digest()


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_rows_follow_numbers_without_english(lang: str) -> None:
    lines = default_lines("KG-GB")
    c = profile_content("KG-GB", lang, lines)
    assert len(c["rows"]) == len(lines) > 0
    assert [r[2] for r in c["rows"]] == [str(line.year) for line in lines]
    text = " ".join([c["kicker"], c["title"], c["note"], *c["header"], *(r[0] for r in c["rows"])])
    assert not any(w in text for w in ("Rank", "Gap", "Indicator", "Source", "profile"))


def test_unknown_region_is_one_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["profile", "Sokulk", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Sokulk" in err and "Sokuluk" in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_region_or_all_required(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile"]) == 2
    assert "REGION or --all" in capsys.readouterr().err
