"""The register as coders really fill it: the template command, Excel's CSV dialects, blanks, typos, the rates
command. Every file is made in the test (tmp_path); nothing is written to data/ or reports/."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from itertools import takewhile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_consultations import ADOPTED, FIELDS, SENT, hand_register, row

from lsg_analysis.analysis import consultations as c
from lsg_analysis.analysis.register_schema import fields
from lsg_analysis.cli import main
from lsg_analysis.core.paths import DATA, REPORTS


def flat(text: str) -> str:
    """Output with line wrapping undone (the command wraps at 100 columns)."""
    return " ".join(text.split())


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
    assert str(e.value) == (
        f'1 problem(s):\n{path}: found "byte {at} not UTF-8 (nor Windows-1251 Cyrillic text)"; '
        'expected a UTF-8 CSV file (in Excel: "Save As" -> "CSV UTF-8 (Comma delimited)")'
    )


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
    assert str(e.value).endswith(
        f"{path}, row 1: found \"a header line with 1 ',' and 1 ';'\"; expected a header "
        "line whose column names are separated by commas or by semicolons"
    )


@pytest.mark.parametrize(
    "text,why",
    [
        ("03/04/2023", "; 03/04/2023 is ambiguous (2023-04-03 or 2023-03-04?)"),
        ("4-3-2023", "; 4-3-2023 is ambiguous (2023-03-04 or 2023-04-03?)"),
        ("13/04/2023", ""),  # one reading only, but the slash form is still not an accepted form
        ("31.02.2023", ""),
        ("03.04.23", ""),
    ],
)
def test_dates_not_in_an_accepted_form_name_row_column_and_forms(tmp_path, text, why):
    path = write_as(tmp_path, [row(1), row(2, coded_on=text)])
    with pytest.raises(c.RegisterError) as e:
        c.load_register(path)
    assert str(e.value) == (
        f'1 problem(s):\n{path}, row 3, column "coded_on": found "{text}"; expected a date '
        f"YYYY-MM-DD or DD.MM.YYYY (leave the cell empty when not known){why}"
    )


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
    path = _xlsx(
        tmp_path,
        {
            **ADOPTED,
            "date_adopted": serial,
            "coded_on": dt.datetime(2026, 11, 20),
            "date_first_published": "20.02.2023",
            "published_on_portal": "no",
            "publication_channel": "ministry_site",
        },
    )
    reg = c.load_register(path)
    assert reg.attrs["read_as"] == {"format": "xlsx", "sheet": "register"}
    assert [reg.loc[0, k] for k in ("date_adopted", "coded_on", "date_first_published")] == [
        "2023-06-01",
        "2026-11-20",
        "2023-02-20",
    ]


def test_xlsx_small_number_in_a_date_column_is_refused(tmp_path):
    path = _xlsx(tmp_path, {"coded_on": 2023})
    with pytest.raises(c.RegisterError) as e:
        c.load_register(path)
    assert str(e.value) == (
        f'1 problem(s):\n{path}, row 2, column "coded_on": found "2023"; expected a date '
        "YYYY-MM-DD or DD.MM.YYYY (leave the cell empty when not known); a number in a date "
        "column is read as an Excel serial date only from 1990-01-01 (32874) on"
    )


def test_rates_command_says_how_the_file_was_read(tmp_path, capsys):
    path = write_as(tmp_path, [dotted(r) for r in sample()], "excel.csv", ";", "cp1251")
    assert main(["consult", "rates", str(path)]) == 0
    assert f"read {path} as CSV, delimiter ';', encoding Windows-1251; 3 rows" in flat(capsys.readouterr().out)


# ------------------------------------------------------------------ 3. blanks, loose matches, typos


BLANKS = dict(sent_to_state_lsg_agency="", feedback_published="  ", lsg_in_working_group="")


def test_blank_enum_cells_read_as_unknown_and_counted(tmp_path, capsys):
    """Formerly each blank required enum cell was an error; now it is `unknown`, exactly as if typed."""
    answered = dict(lsg_response_received="", final_act_reflects_lsg_position="", ex_post_review_done="")
    blank = [row(1, **{**SENT, **ADOPTED, **BLANKS, **answered}), row(2, **BLANKS)]
    unk = dict.fromkeys([*BLANKS, *answered], "unknown")
    typed = [row(1, **{**SENT, **ADOPTED, **unk}), row(2, **dict.fromkeys(BLANKS, "unknown"))]
    a = c.load_register(write_as(tmp_path, blank, "blank.csv", columns=FIELDS))
    b = c.load_register(write_as(tmp_path, typed, "typed.csv", columns=FIELDS))
    cols = [f.name for f in fields()]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    pd.testing.assert_frame_equal(c.usage_rates(a), c.usage_rates(b))
    assert a.loc[0, "sent_to_state_lsg_agency"] == "unknown" and a.loc[1, "lsg_response_received"] == "unknown"
    assert a.attrs["input_notes"] == {
        "blank_read_as_unknown": {
            "sent_to_state_lsg_agency": 2,
            "feedback_published": 2,
            "lsg_in_working_group": 2,
            "lsg_response_received": 2,
            "final_act_reflects_lsg_position": 2,
            "ex_post_review_done": 2,
            "lsg_association_name": 2,
        },
        "matched_loosely": [],
    }
    assert b.attrs["input_notes"]["blank_read_as_unknown"] == {  # row(2) leaves these blank in both files
        "lsg_response_received": 1,
        "final_act_reflects_lsg_position": 1,
        "ex_post_review_done": 1,
        "lsg_association_name": 2,
    }
    assert main(["consult", "rates", str(tmp_path / "blank.csv")]) == 0
    assert (
        " 14 blank cells read as unknown (ex_post_review_done 2, feedback_published 2, final_act_reflects_lsg_"
        "position 2, lsg_association_name 2, ...) " in flat(capsys.readouterr().out)
    )


def test_blank_in_an_enum_without_unknown_is_still_an_error(tmp_path):
    path = write_as(tmp_path, [row(1, source_type="")])
    with pytest.raises(c.RegisterError) as e:
        c.load_register(path)
    allowed = ", ".join(next(f for f in fields() if f.name == "source_type").allowed)
    assert str(e.value) == f'1 problem(s):\n{path}, row 2, column "source_type": found ""; expected one of: {allowed}'


RESPONDED = dict(SENT, lsg_response_received="yes", date_lsg_response="2023-02-01")


def test_proposals_accepted_not_required_when_none_were_made(tmp_path):
    rows = [row(i + 1, **RESPONDED, proposals_made="0") for i in range(10)]
    rows[9].update(proposals_made="4", proposals_accepted="1")
    rates = c.usage_rates(c.load_register(write_as(tmp_path, rows)))
    i07 = rates.set_index("indicator").loc["I07"]  # 1 of 4 proposals, over the 10 drafts with known counts
    assert (i07.n, i07.value) == (10, 0.25)
    rows[9]["proposals_accepted"] = ""
    path = write_as(tmp_path, rows, "missing.csv")
    with pytest.raises(c.RegisterError) as e:
        c.load_register(path)
    assert str(e.value) == (
        f'1 problem(s):\n{path}, row 11, column "proposals_accepted": found ""; expected a value '
        "(required because proposals_made is filled and not 0)"
    )


def test_case_and_spacing_insensitive_matches_are_accepted_with_a_note(tmp_path, capsys):
    rows = [
        row(1, act_type="Law"),
        row(2, **{**ADOPTED, "final_act_reflects_lsg_position": " Not Applicable"}, title_lang="RU"),
        row(3, act_type=" law "),
    ]
    reg = c.load_register(write_as(tmp_path, rows))
    assert list(reg["act_type"]) == ["law"] * 3 and reg.loc[1, "final_act_reflects_lsg_position"] == "not_applicable"
    assert reg.attrs["input_notes"]["matched_loosely"] == [
        [2, "act_type", "Law", "law"],
        [3, "title_lang", "RU", "ru"],
        [3, "final_act_reflects_lsg_position", " Not Applicable", "not_applicable"],
        [4, "act_type", " law ", "law"],
    ]
    assert main(["consult", "rates", str(tmp_path / "reg.csv")]) == 0
    assert (
        ' 4 values matched ignoring case and spacing (row 2, column "act_type": "Law" -> "law"; row 3, column '
        '"title_lang": "RU" -> "ru"; ...) '
    ) in flat(capsys.readouterr().out)


@pytest.mark.parametrize(
    "column,typo,suggestion",
    [
        ("act_type", "lwa", "law"),
        ("final_act_reflects_lsg_position", "partialy", "partly"),
        ("publication_channel", "koomtalku", "koomtalkuu"),
    ],
)
def test_vocabulary_typo_gets_did_you_mean(tmp_path, column, typo, suggestion):
    path = write_as(tmp_path, [row(1, **{**ADOPTED, column: typo})])
    with pytest.raises(c.RegisterError) as e:
        c.load_register(path)
    allowed = ", ".join(next(f for f in fields() if f.name == column).allowed)
    assert str(e.value) == (
        f'1 problem(s):\n{path}, row 2, column "{column}": found "{typo}"; expected one of: '
        f"{allowed}; did you mean '{suggestion}'?"
    )


def test_no_suggestion_when_nothing_is_close(tmp_path):
    with pytest.raises(c.RegisterError) as e:
        c.load_register(write_as(tmp_path, [row(1, title_lang="kg")]))
    assert str(e.value).endswith("expected one of: ky, ru, en, unknown")


# ------------------------------------------------------------------ 4. lsg consult rates


LONG = "Министерство экономики и коммерции Кыргызской Республики (по поручению Кабинета Министров)"


def long_named(tmp_path) -> Path:
    rows = hand_register()
    for r in rows[:10]:
        r["drafting_body"] = LONG
    return write_as(tmp_path, rows, "hand.csv", ";", "utf-8-sig")


def test_rates_table_fits_100_columns_with_an_overall_row_per_indicator(tmp_path, capsys):
    path = long_named(tmp_path)
    assert main(["consult", "rates", str(path), "--by", "drafting_body"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(x) for x in lines) <= 100
    n_indicators = len(c.usage_rates(c.load_register(path)))
    assert sum(x.startswith("  all ") for x in lines) == n_indicators == 29
    # P01 overall: 6 sent + 1 working group of 24 state drafts; 11 undetermined -> bounds 7/24 .. 18/24
    assert "  group                              n    value        bounds unknown  status" in lines
    p01 = lines.index("P01  Public record of LSG consultation (NOT the consultation rate)")
    overall = f"  {'all':<30} {24:>5} {'29.2 %':>8} {'29.2-75.0 %':>13} {'0 %':>7}"
    assert lines[p01 + 3] == overall
    # the long drafting body is wrapped in the group column, never cut
    start = next(i for i in range(p01, len(lines)) if lines[i].startswith("  Министерство"))
    block = [lines[start], *takewhile(lambda x: x.startswith("  ") and not x[32:].strip(), lines[start + 1 :])]
    assert len(block) > 1 and " ".join(x[2:32].strip() for x in block) == LONG
    # its 10 drafts: rows 1-6 were sent to LSG bodies -> 6/10
    assert lines[start][32:].split()[:3] == ["10", "60.0", "%"]
    assert main(["consult", "rates", str(path), "--sampling", "random_sample"]) == 0
    lines = capsys.readouterr().out.splitlines()
    lo, hi = c.wilson_interval(7, 24)
    p01 = lines.index("P01  Public record of LSG consultation (NOT the consultation rate)")
    overall = f"  {'all':<30} {24:>5} {'29.2 %':>8} {f'{100 * lo:.1f}-{100 * hi:.1f} %':>13} {'0 %':>7}  small n"
    assert lines[p01 + 3] == overall and "95% CI" in lines[p01 - 1]


def test_rates_help_lists_every_grouping(capsys):
    with pytest.raises(SystemExit) as e:
        main(["consult", "rates", "--help"])
    assert e.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "break the rates down by one of: year, drafting_body, act_type, lsg_competence_area, legal_regime" in text
    assert set(c.GROUPINGS) == {"year", "drafting_body", "act_type", "lsg_competence_area", "legal_regime"}


def test_rates_refuses_an_unknown_grouping(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["consult", "rates", str(long_named(tmp_path)), "--by", "colour"])
    assert e.value.code == 2 and "invalid choice: 'colour'" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["rates.csv", "rates.xlsx"])
def test_rates_out_writes_every_column_and_the_overall_rows(tmp_path, capsys, name):
    path = long_named(tmp_path)
    out = tmp_path / "out" / name
    assert main(["consult", "rates", str(path), "--by", "legal_regime", "--out", str(out)]) == 0
    assert capsys.readouterr().out.endswith(f"\nlsg consult rates: wrote {out}\n")
    got = pd.read_csv(out, encoding="utf-8-sig") if name.endswith(".csv") else pd.read_excel(out, sheet_name="rates")
    reg = c.load_register(path)
    overall, by = c.usage_rates(reg), c.usage_rates(reg, by="legal_regime")
    assert list(got.columns) == ["by", *overall.columns]
    assert len(got) == len(overall) + len(by) and (got["by"] == "all").sum() == len(overall)
    first = got.groupby("indicator", sort=False).head(1)
    assert (first["group"] == "all").all()  # each indicator's overall row comes first
    p01 = got[(got["indicator"] == "P01") & (got["group"] == "all")].iloc[0]
    assert (p01["n"], p01["value"]) == (24, pytest.approx(7 / 24))
    assert sorted(p.name for p in out.parent.iterdir()) == [name]  # no temporary file left


def test_rates_out_refuses_to_overwrite_without_force(tmp_path, capsys):
    path = long_named(tmp_path)
    out = tmp_path / "rates.csv"
    out.write_text("keep me", encoding="utf-8")
    assert main(["consult", "rates", str(path), "--out", str(out)]) == 2
    cap = capsys.readouterr()
    assert cap.err == f"lsg: error: {out} already exists; add --force to overwrite it\n" and cap.out == ""
    assert out.read_text(encoding="utf-8") == "keep me"
    assert main(["consult", "rates", str(path), "--out", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("by,indicator,name,group,n,value")


def test_rates_out_refuses_other_names_and_writes_nothing_for_a_bad_register(tmp_path, capsys, untouched):
    path = long_named(tmp_path)
    assert main(["consult", "rates", str(path), "--out", str(tmp_path / "rates.json")]) == 2
    assert capsys.readouterr().err == (
        f"lsg: error: parameter \"path\": found '{tmp_path / 'rates.json'}'; "
        "allowed: a file name ending in .csv or .xlsx\n"
    )
    bad = write_as(tmp_path, [row(1, title_lang="xx")], "bad.csv")
    out = tmp_path / "new" / "rates.xlsx"
    assert main(["consult", "rates", str(bad), "--out", str(out)]) == 2
    assert 'column "title_lang": found "xx"' in capsys.readouterr().err
    assert not out.exists() and not out.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "hand.csv"]


# ------------------------------------------------------------------ property: dialect never changes the rates


WORDS = [
    "Закон",
    "о",
    "местном",
    "самоуправлении",
    "бюджет",
    "айыл",
    "өкмөтү",
    "law",
    "draft",
    ";",
    ",",
    '"',
    "«кавычки»",
    "№",
    "12",
]
FREE = {
    "title_lang": ["ky", "ru", "en", "unknown"],
    "feedback_published": ["yes", "partly", "no", "unknown"],
    "impact_on_lsg_assessed": ["yes", "no", "unknown"],
    "sent_to_state_lsg_agency": ["yes", "no", "unknown"],
    "verification_status": ["single_coded", "double_coded_agree", "unknown"],
}
CP1251_SAFE = str.maketrans({"ө": "о", "ү": "у", "ң": "н", "Ө": "О", "Ү": "У", "Ң": "Н"})


@st.composite
def register_rows(draw) -> list[dict[str, str]]:
    """Valid full-schema rows: random dates (2011-2025, so every legal regime), consultation, adoption and
    enum values, titles of Cyrillic and Latin words with delimiters and quotes."""
    rows = []
    for i in range(draw(st.integers(1, 14))):
        start = dt.date(2011, 1, 1) + dt.timedelta(days=draw(st.integers(0, 15 * 365)))
        end = start + dt.timedelta(days=draw(st.integers(1, 60)))
        kw = {k: draw(st.sampled_from(v)) for k, v in FREE.items()}
        kw.update(
            title=" ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))),
            public_discussion_start=start.isoformat(),
            public_discussion_end=end.isoformat(),
        )
        if draw(st.booleans()):
            kw.update(
                SENT,
                date_sent_to_lsg=start.isoformat(),
                consultation_stage=draw(st.sampled_from(["early", "draft", "unknown"])),
            )
        if draw(st.booleans()):
            kw.update(ADOPTED, date_adopted=(end + dt.timedelta(days=draw(st.integers(0, 90)))).isoformat())
        rows.append(row(i + 1, **kw))
    rows[0]["title"] = TITLE_RU  # a Cyrillic word, so a Windows-1251 file is recognised as such
    return rows


def blanked(r: dict[str, str]) -> dict[str, str]:
    """``unknown`` in an enum cell left blank, as coders do."""
    enums = {f.name for f in fields() if f.type == "enum"}
    return {k: ("" if k in enums and v == "unknown" else v) for k, v in r.items()}


@pytest.mark.slow
@settings(max_examples=20, deadline=None)
@given(
    register_rows(),
    st.sampled_from([",", ";"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
    st.booleans(),
    st.booleans(),
)
def test_any_dialect_loads_to_the_same_rates(rows, delimiter, encoding, dotted_dates, blanks):
    if encoding == "cp1251":  # Windows-1251 has no ө, ү, ң: such a file holds the Russian look-alikes
        rows = [{k: v.translate(CP1251_SAFE) for k, v in r.items()} for r in rows]
    variant = [blanked(r) if blanks else r for r in rows]
    variant = [dotted(r) if dotted_dates else r for r in variant]
    with tempfile.TemporaryDirectory() as tmp:
        want = c.load_register(write_as(Path(tmp), rows, "iso.csv", columns=FIELDS))
        got = c.load_register(write_as(Path(tmp), variant, "v.csv", delimiter, encoding, columns=FIELDS))
    assert got.attrs["read_as"] == {"format": "csv", "delimiter": delimiter, "encoding": encoding}
    cols = [f.name for f in fields()]
    pd.testing.assert_frame_equal(got[cols], want[cols])
    for by in (None, "legal_regime"):
        pd.testing.assert_frame_equal(c.usage_rates(got, by=by), c.usage_rates(want, by=by))
