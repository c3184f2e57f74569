"""The typed register frame: what load_register returns passes RegisterFrame; a corrupted frame (a parser bug)
fails with the row, column, found value and the rule broken."""

from __future__ import annotations

import pandas as pd
import pytest

from lsg_analysis.analysis import consultations, register_model
from lsg_analysis.analysis.consultations import legal
from lsg_analysis.analysis.register_schema import CODED_REGISTERS, fields


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    return consultations.load_register(CODED_REGISTERS[0])


def test_the_model_has_every_column_of_the_frame_in_order(register):
    schema = register_model.RegisterFrame
    assert list(schema.columns) == list(register.columns)
    assert schema.columns["act_type"].nullable is False  # an enum allowing "unknown" is never empty
    assert schema.columns["discussion_days"].nullable is True
    assert str(schema.columns["proposals_made"].dtype) == "Int64"
    n_dates = sum(f.type == "date" for f in fields())
    assert len(schema.columns) == 3 + len(fields()) + n_dates + 3 + 5 + 8  # 8 derived, year_basis included


def test_both_shipped_registers_pass(register):
    assert register_model.check_register_frame(register, "r.csv") is not None
    second = consultations.load_register(CODED_REGISTERS[1])
    assert len(register_model.check_register_frame(second, "r2.csv")) == len(second)


def test_a_corrupted_frame_fails_naming_row_column_and_rule(register):
    bad = register.copy()
    bad.loc[3, "act_type"] = "treaty"
    bad.loc[5, "year"] = "20x1"
    bad.loc[0, "date_adopted_precision"] = "week"
    row3, row5, row0 = (int(bad.at[i, "row"]) for i in (3, 5, 0))
    with pytest.raises(register_model.RegisterFrameBug) as err:
        register_model.check_register_frame(bad, "r.csv")
    msg = str(err.value)
    assert f'r.csv, row {row3}, column "act_type": found "treaty"; expected a value passing isin([' in msg
    assert f'r.csv, row {row5}, column "year": found "20x1"; expected a value passing str_matches(' in msg
    assert f'r.csv, row {row0}, column "date_adopted_precision": found "week"' in msg


def test_wrong_dtype_or_a_missing_column_is_a_bug(register):
    with pytest.raises(register_model.RegisterFrameBug, match=r'column "state_draft": found "object"'):
        register_model.check_register_frame(
            register.assign(state_draft=register["state_draft"].astype(object)), "r.csv"
        )
    with pytest.raises(register_model.RegisterFrameBug, match=r'row 1, column "deviations": found "no column"'):
        register_model.check_register_frame(register.drop(columns="deviations"), "r.csv")
    with pytest.raises(register_model.RegisterFrameBug, match=r'column "row": found "1"'):
        register_model.check_register_frame(register.assign(row=1), "r.csv")


# ------------------------------------------------------------------------------- caches keyed on the file
def _rewrite(path, text: str) -> None:
    """Write ``text`` and move the mtime on by a second, as an edit would."""
    import os

    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_legal_parameter_tables_are_read_anew_after_a_rewrite(tmp_path, monkeypatch):
    import shutil
    from datetime import date

    from lsg_analysis.analysis import register_schema
    from lsg_analysis.analysis.register_schema import PARAMETERS, PartialDate

    folder = tmp_path / "consultations"
    shutil.copytree(PARAMETERS, folder)
    monkeypatch.setattr(legal, "PARAMETERS", folder)
    monkeypatch.setattr(register_schema, "PARAMETERS", folder)
    day = PartialDate("2020-05-04", "day", date(2020, 5, 4), date(2020, 5, 4))
    assert consultations.legal_min_days(day) is None  # shipped: left empty on purpose (unverified)
    table = folder / "legal_min_days.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    _rewrite(table, lines[0] + lines[1].replace("2009-07-20,,,", "2009-07-20,,21,", 1) + "".join(lines[2:]))
    assert consultations.legal_min_days(day) == 21

    walk = folder / "value_crosswalk.csv"
    assert ("act_type", "a test wording") not in register_schema.crosswalk()
    _rewrite(walk, walk.read_text(encoding="utf-8") + "act_type,a test wording,law,test\n")
    assert register_schema.crosswalk()[("act_type", "a test wording")] == "law"


def test_the_model_follows_a_rewritten_schema_extension(tmp_path, monkeypatch):
    import shutil

    from lsg_analysis.analysis import register_schema
    from lsg_analysis.analysis.register_schema import PARAMETERS

    folder = tmp_path / "consultations"
    shutil.copytree(PARAMETERS, folder)
    monkeypatch.setattr(register_schema, "PARAMETERS", folder)
    monkeypatch.setattr(register_model, "PARAMETERS", folder)
    allowed = register_model.RegisterFrame.columns["act_type"].checks[0].statistics["allowed_values"]
    assert "municipal_charter" not in allowed
    ext = folder / "schema_extensions.csv"
    header = ext.read_text(encoding="utf-8").splitlines()[0].split(",")
    row = {"field": "act_type", "value": "municipal_charter"}
    _rewrite(ext, ext.read_text(encoding="utf-8") + ",".join(row.get(h, "test") for h in header) + "\n")
    allowed = register_model.RegisterFrame.columns["act_type"].checks[0].statistics["allowed_values"]
    assert "municipal_charter" in allowed
