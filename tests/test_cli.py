"""The ``lsg`` command: user errors give one message and status 2, outputs are announced."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lsg_analysis.cli import main


def test_user_error_is_one_line_with_status_2(tmp_path, capsys):
    bad = tmp_path / "register.csv"
    bad.write_text("this,is,not\na,register,file\n", encoding="utf-8")
    assert main(["consult", "rates", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lsg: error: ")
    assert "register.csv" in err
    assert "Traceback" not in err


def test_missing_file_is_a_user_error(tmp_path, capsys):
    assert main(["consult", "rates", str(tmp_path / "absent.xlsx")]) == 2
    assert "absent.xlsx" in capsys.readouterr().err


def test_bad_choice_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["brief", "--lang", "de"])
    assert exit_.value.code == 2
    assert "invalid choice: 'de'" in capsys.readouterr().err


def test_figures_writes_and_names_its_files(tmp_path, capsys):
    assert main(["figures", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["grp_per_capita_map.png", "poverty_rate_by_oblast.png"]
    assert len(out) == 2 and all(line.startswith("lsg figures: wrote ") for line in out)
    assert all((tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for name in written)


def test_installed_entry_point_runs():
    done = subprocess.run([sys.executable, "-m", "lsg_analysis.cli", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    for command in ("data", "run", "brief", "dashboard", "figures", "consult"):
        assert command in done.stdout


@pytest.mark.parametrize("argv, force", [(["data", "build"], False), (["data", "build", "--force"], True)])
def test_data_build_passes_force_to_the_stamp_check(monkeypatch, argv, force):
    from lsg_analysis.pipeline import stamp

    seen = []
    monkeypatch.setattr(stamp, "build_unless_current", lambda **kw: seen.append(kw) or False)
    assert main(argv) == 0
    assert seen == [{"force": force}]


def test_run_takes_papermills_parameter_options():
    from lsg_analysis.cli import parser

    a = parser().parse_args(
        [
            "run",
            "01_imbalance",
            "-p",
            "level",
            "rayon",
            "-p",
            "n_boot",
            "0",
            "-f",
            "p.yml",
            "--out",
            "o",
            "--dask",
            "tcp://127.0.0.1:8786",
            "--no-html",
        ]
    )
    assert (a.notebooks, a.parameters, a.parameters_file) == (
        ["01_imbalance"],
        [["level", "rayon"], ["n_boot", "0"]],
        ["p.yml"],
    )
    assert (a.out, a.dask, a.html, a.grid) == ("o", "tcp://127.0.0.1:8786", False, None)
    a = parser().parse_args(["run"])
    assert (a.parameters, a.parameters_file, a.html, a.dask) == (None, None, None, None)


def test_unknown_run_parameter_is_the_parameter_error(capsys):
    assert main(["run", "03_consultations", "-p", "regster", "x.csv"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "lsg: error: 03_consultations: parameter \"regster\": found 'x.csv'; allowed: a parameter of "
        "03_consultations: register, by, scenario_days, sampling, lang, out_dir\n"
    )
