"""The register as coders really fill it: the template command, Excel's CSV dialects, blanks, typos, the rates
command. Every file is made in the test (tmp_path); nothing is written to data/ or reports/."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from test_consultations import ADOPTED, FIELDS, SENT, row

from lsg_analysis.analysis import consultations as c
from lsg_analysis.analysis.register_schema import fields
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


# ------------------------------------------------------------------ 2. Excel's CSV dialects, dates


DATES = [f.name for f in fields() if f.type == "date"]
TITLE_RU = "О внесении изменений в Закон «О местном самоуправлении»"


def dotted(r: dict[str, str]) -> dict[str, str]:
    """The same row with every ISO date written DD.MM.YYYY (as Excel shows dates in a Russian locale)."""
    return {k: (f"{v[8:10]}.{v[5:7]}.{v[0:4]}" if k in DATES and v else v) for k, v in r.items()}


def write_as(tmp_path, rows, name="reg.csv", delimiter=",", encoding="utf-8", columns=None):
    """A CSV as a spreadsheet program saves it: any delimiter and encoding (``utf-8-sig`` = with BOM)."""
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=columns or list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    path = tmp_path / name
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def sample() -> list[dict[str, str]]:
    return [row(1, title=TITLE_RU, **ADOPTED), row(2, **SENT), row(3, title="Проект; с точкой с запятой, и запятой")]


KEEP = ["draft_id", "title", "act_type", *DATES, *(f"{d}_precision" for d in DATES), "legal_regime", "year"]


def test_excel_russian_locale_csv_reads_like_the_iso_utf8_one(tmp_path, untouched):
    want = c.load_register(write_as(tmp_path, sample(), "iso.csv"))
    assert want.attrs["read_as"] == {"format": "csv", "delimiter": ",", "encoding": "utf-8"}
    excel = c.load_register(write_as(tmp_path, [dotted(r) for r in sample()], "excel.csv", ";", "cp1251"))
    assert excel.attrs["read_as"] == {"format": "csv", "delimiter": ";", "encoding": "cp1251"}
    pd.testing.assert_frame_equal(excel[KEEP], want[KEEP])
    assert excel.loc[0, "date_adopted"] == "2023-06-01" and excel.loc[0, "title"] == TITLE_RU
    bom = c.load_register(write_as(tmp_path, sample(), "bom.csv", ";", "utf-8-sig"))
    assert bom.attrs["read_as"] == {"format": "csv", "delimiter": ";", "encoding": "utf-8-sig"}
    assert list(bom.columns)[:3] == ["file", "row", "register_profile"] and bom.loc[0, "draft_id"] == "KG-2023-MOJ-001"
    pd.testing.assert_frame_equal(bom[KEEP], want[KEEP])


def test_latin1_text_is_not_taken_for_windows_1251(tmp_path):
    """'é' is 'й' in Windows-1251: a lone Cyrillic letter inside a Latin word is not Cyrillic text."""
    path = write_as(tmp_path, [row(1, title="Société Générale, Zürich")], encoding="latin-1")
    at = path.read_bytes().index("é".encode("latin-1"))
    with pytest.raises(c.RegisterError) as e:
        c.load_register(path)
    assert str(e.value) == (f'1 problem(s):\n{path}: found "byte {at} not UTF-8 (nor Windows-1251 Cyrillic text)"; '
                            'expected a UTF-8 CSV file (in Excel: "Save As" -> "CSV UTF-8 (Comma delimited)")')


def test_undecodable_bytes_are_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("draft_id\nПроект \x98".encode("cp1251", errors="ignore") + b"\x98\n")  # 0x98: no cp1251 char
    with pytest.raises(c.RegisterError, match=r'expected a UTF-8 CSV file \(in Excel: "Save As" -> "CSV UTF-8'):
        c.load_register(path)


def test_a_header_with_as_many_commas_as_semicolons_is_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("draft_id,title;title_lang\n", encoding="utf-8")
    with pytest.raises(c.RegisterError) as e:
        c.load_register(path)
    assert str(e.value).endswith(f"{path}, row 1: found \"a header line with 1 ',' and 1 ';'\"; expected a header "
                                 "line whose column names are separated by commas or by semicolons")


@pytest.mark.parametrize("text,why", [
    ("03/04/2023", "; 03/04/2023 is ambiguous (2023-04-03 or 2023-03-04?)"),
    ("4-3-2023", "; 4-3-2023 is ambiguous (2023-03-04 or 2023-04-03?)"),
    ("13/04/2023", ""),  # one reading only, but the slash form is still not an accepted form
    ("31.02.2023", ""),
    ("03.04.23", ""),
])
def test_dates_not_in_an_accepted_form_name_row_column_and_forms(tmp_path, text, why):
    path = write_as(tmp_path, [row(1), row(2, coded_on=text)])
    with pytest.raises(c.RegisterError) as e:
        c.load_register(path)
    assert str(e.value) == (f'1 problem(s):\n{path}, row 3, column "coded_on": found "{text}"; expected a date '
                            f"YYYY-MM-DD or DD.MM.YYYY (leave the cell empty when not known){why}")


def test_one_digit_day_and_month_dotted(tmp_path):
    reg = c.load_register(write_as(tmp_path, [row(1, coded_on="5.1.2026")]))
    assert (reg.loc[0, "coded_on"], reg.loc[0, "coded_on_precision"]) == ("2026-01-05", "day")


def _xlsx(tmp_path, cells: dict[str, object]) -> Path:
    """The template with one row: row(1) typed as text, then ``cells`` (column -> Python value) over it."""
    path = c.write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["register"]
    values = {**row(1), **cells}
    for col, name in enumerate(FIELDS, start=1):
        if values.get(name, "") != "":
            ws.cell(row=2, column=col, value=values[name])
    wb.save(path)
    return path


def test_xlsx_serial_numbers_datetime_cells_and_dotted_text(tmp_path):
    serial = (dt.date(2023, 6, 1) - dt.date(1899, 12, 30)).days  # Excel 1900 system, counted by hand: 45078
    assert serial == 45078
    path = _xlsx(tmp_path, {**ADOPTED, "date_adopted": serial, "coded_on": dt.datetime(2026, 11, 20),
                            "date_first_published": "20.02.2023", "published_on_portal": "no",
                            "publication_channel": "ministry_site"})
    reg = c.load_register(path)
    assert reg.attrs["read_as"] == {"format": "xlsx", "sheet": "register"}
    assert [reg.loc[0, k] for k in ("date_adopted", "coded_on", "date_first_published")] == \
        ["2023-06-01", "2026-11-20", "2023-02-20"]


def test_xlsx_small_number_in_a_date_column_is_refused(tmp_path):
    path = _xlsx(tmp_path, {"coded_on": 2023})
    with pytest.raises(c.RegisterError) as e:
        c.load_register(path)
    assert str(e.value) == (f'1 problem(s):\n{path}, row 2, column "coded_on": found "2023"; expected a date '
                            "YYYY-MM-DD or DD.MM.YYYY (leave the cell empty when not known); a number in a date "
                            "column is read as an Excel serial date only from 1990-01-01 (32874) on")


def test_rates_command_says_how_the_file_was_read(tmp_path, capsys):
    path = write_as(tmp_path, [dotted(r) for r in sample()], "excel.csv", ";", "cp1251")
    assert main(["consult", "rates", str(path)]) == 0
    assert f"read {path} as CSV, delimiter ';', encoding Windows-1251; 3 rows" in capsys.readouterr().out
