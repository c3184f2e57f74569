"""The register as coders really fill it: the template command, Excel's CSV dialects, blanks, typos, the rates
command. Every file is made in the test (tmp_path); nothing is written to data/ or reports/."""
from __future__ import annotations

import openpyxl
import pytest

from lsg_analysis.cli import main
from lsg_analysis.core.paths import DATA, REPORTS


def _tree(root) -> set[str]:
    return {str(p) for p in root.rglob("*")} if root.exists() else set()


@pytest.fixture
def untouched():
    """data/ and reports/ hold the same paths after the test as before it."""
    before = (_tree(DATA), _tree(REPORTS))
    yield
    assert (_tree(DATA), _tree(REPORTS)) == before


# ------------------------------------------------------------------ 1. lsg consult template


def test_template_writes_and_says_so(tmp_path, capsys, untouched):
    path = tmp_path / "t.xlsx"
    assert main(["consult", "template", str(path)]) == 0
    assert capsys.readouterr().out == f"lsg consult template: wrote {path}\n"
    assert openpyxl.load_workbook(path).sheetnames[0] == "register"


def test_template_refuses_to_overwrite_without_force(tmp_path, capsys, untouched):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"my own work")
    assert main(["consult", "template", str(path)]) == 2
    out = capsys.readouterr()
    assert out.err == f"lsg: error: {path} already exists; add --force to overwrite it\n" and out.out == ""
    assert path.read_bytes() == b"my own work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]  # no temporary file left
    assert main(["consult", "template", str(path), "--force"]) == 0
    assert openpyxl.load_workbook(path).sheetnames[0] == "register"


@pytest.mark.parametrize("name", ["t.csv", "t.xls", "t"])
def test_template_refuses_a_name_not_ending_in_xlsx(tmp_path, capsys, name, untouched):
    path = tmp_path / name
    assert main(["consult", "template", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f"lsg: error: parameter \"path\": found '{path}'; allowed: a file name ending in .xlsx\n"
    assert not path.exists()


def test_template_refuses_a_folder(tmp_path, capsys):
    folder = tmp_path / "dir.xlsx"
    folder.mkdir()
    assert main(["consult", "template", str(folder), "--force"]) == 2
    assert capsys.readouterr().err == f"lsg: error: {folder} is a folder; give a file name ending in .xlsx\n"
