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


def _run_dir(tmp_path: Path, edit) -> Path:
    """A run folder ``tmp_path/run/results`` holding the default 02_migration_border results, edited by ``edit``."""
    import json

    from lsg_analysis.core import paths

    data = json.loads((paths.RESULTS / "02_migration_border.json").read_text(encoding="utf-8"))
    edit(data)
    out = tmp_path / "run" / "results"
    out.mkdir(parents=True)
    (out / "02_migration_border.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path / "run"


def test_results_dir_gives_border_status_population_change_and_stamp(tmp_path: Path) -> None:
    from lsg_analysis.runs.results import load_run

    def edit(data: dict) -> None:
        data["parameters"]["year_from"] = 2015
        t = data["tables"]["population_change"]
        cols = t["columns"]
        for r in t["rows"]:
            if r[cols.index("code")] == "KG-C":
                r[cols.index("year_from")], r[cols.index("growth_pct_per_year")] = 2015, -0.5
                r[cols.index("depopulating")] = True

    run = load_run(_run_dir(tmp_path, edit), ("02_migration_border",))
    c = profile_content("KG-C", "en", default_lines("KG-C"), run)
    assert c["run_lines"] == [
        "On the state border; 50 km from the unit's centre to the border.",
        "Population change 2015–2020: -0.50% a year (the population fell).",
    ]
    assert "run/results" in c["stamp"] and "year_from = 2015" in c["stamp"] and "Default" not in c["stamp"]
    default = profile_content("KG-C", "en", default_lines("KG-C"))
    assert default["stamp"].startswith("Default run of") and "2012–2020" in default["run_lines"][1]


def test_unit_of_another_level_than_the_run_is_said_not_measured() -> None:
    c = profile_content("KG08222000000", "ru", default_lines("KG08222000000"))
    assert c["run_lines"] == [
        "В этом запуске единицы сравнивались по областям: статуса границы и изменения населения этой единицы в нём нет."
    ]


@pytest.mark.parametrize("command", ["brief", "profile"])
def test_bad_results_folder_is_the_same_one_line_error(
    command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    region = ["Chui"] if command == "profile" else []
    assert main([command, *region, "--results", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope does not exist" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()
