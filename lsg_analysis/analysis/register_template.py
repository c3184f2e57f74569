"""How do coders fill in the register? The XLSX entry template, generated from the schema.

Sheets:

* ``register`` — the 45 schema columns in schema order; drop-down lists for enums (from the
  ``allowed_values`` sheet), date cells (``yyyy-mm-dd``, date validation), whole-number cells, text cells for
  the rest. Derived columns (``discussion_days``, ``legal_min_days_applicable``) are grey: leave them empty.
* ``fields`` — each field explained in en and ru (from ``consultation_register_schema.csv``) and ky
  (``field_labels_ky.csv``: the project's own wording built on glossary terms, marked for review).
* ``allowed_values`` — one column per enum field.
* ``about`` — how to fill it in (unknown is not no; leave a date empty when not known).

``load_register`` reads the ``register`` sheet back with the same rules (round-trip tested).
"""

from __future__ import annotations

import csv
from pathlib import Path

from lsg_analysis.core.atomic import atomic_path
from lsg_analysis.analysis.register_schema import PARAMETERS, SAMPLING, SAMPLING_FIELD, fields

MAX_ROWS = 2000
#: Excel serial number of 1990-01-01 (lower bound of the date validation).
EXCEL_1990 = 32874
ABOUT = (
    (
        "en",
        "One row = one draft act that directly concerns local communities / LSG bodies. Fill the 'register' "
        "sheet only; pick enum values from the drop-down lists. 'unknown' is not 'no': write 'no' only when a "
        "source says so. Leave a date or a number empty when it is not known. Grey columns are computed.",
    ),
    (
        "ru",
        "Одна строка = один проект акта, непосредственно затрагивающий интересы местных сообществ / органов "
        "МСУ. Заполняйте только лист 'register'; значения выбирайте из списков. 'unknown' не означает 'no'. "
        "Неизвестную дату или число оставьте пустыми. Серые столбцы вычисляются.",
    ),
    (
        "ky",
        "Бир сап = жергиликтүү жамааттардын / ЖӨБ органдарынын кызыкчылыктарына түз тиешелүү бир акт "
        "долбоору. 'register' барагын гана толтуруңуз; маанилерди тизмеден тандаңыз. 'unknown' (белгисиз) "
        "'no' дегенди билдирбейт. Белгисиз күндү же санды бош калтырыңыз. Боз мамычалар эсептелет. "
        "(Долбоордун өз котормосу — кыргыз тилдүү адис карап чыгышы керек.)",
    ),
)


def _ky_labels() -> dict[str, dict[str, str]]:
    with open(PARAMETERS / "field_labels_ky.csv", encoding="utf-8", newline="") as f:
        return {r["field"]: r for r in csv.DictReader(f)}


#: The ``metadata`` sheet's explanation of ``register_sampling`` (read back by ``declared_sampling``).
SAMPLING_MEANING = (
    "How the register's drafts were chosen: census (every draft of the period), random_sample, not_random or "
    "unknown. Wilson 95 % intervals are computed only for census or random_sample; otherwise the rates show the "
    "bounds the unknown answers allow."
)


def write_template(path: str | Path) -> Path:
    """Write the XLSX entry template to ``path`` (atomically) and return the path."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    spec = fields()
    ky = _ky_labels()
    wb = Workbook()
    reg = wb.active
    reg.title = "register"
    values = wb.create_sheet("allowed_values")
    info = wb.create_sheet("fields")
    about = wb.create_sheet("about")
    meta = wb.create_sheet("metadata")
    meta.append(["field", "value", "meaning"])
    meta.append([SAMPLING_FIELD, "unknown", SAMPLING_MEANING])
    sampling = DataValidation(type="list", formula1='"' + ",".join(SAMPLING) + '"', showErrorMessage=True)
    meta.add_data_validation(sampling)
    sampling.add("B2")
    grey = PatternFill("solid", fgColor="D9D9D9")
    bold = Font(bold=True)

    enum_col = 0
    for i, f in enumerate(spec, start=1):
        col = get_column_letter(i)
        cell = reg.cell(row=1, column=i, value=f.name)
        cell.font = bold
        cell.comment = Comment(
            f"{f.description_en}\n\nru: {f.description_ru}\n\nky: {ky[f.name]['description_ky']}"
            f"\n\nrequired: {f.requirement}",
            "lsg-analysis",
        )
        reg.column_dimensions[col].width = max(12, min(40, len(f.name) + 2))
        rng = f"{col}2:{col}{MAX_ROWS + 1}"
        if f.required == "derived":
            cell.fill = grey
            continue
        if f.type == "enum":
            enum_col += 1
            vcol = get_column_letter(enum_col)
            values.cell(row=1, column=enum_col, value=f.name).font = bold
            for j, v in enumerate(f.allowed, start=2):
                values.cell(row=j, column=enum_col, value=v)
            dv = DataValidation(
                type="list",
                formula1=f"'allowed_values'!${vcol}$2:${vcol}${len(f.allowed) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f.name,
                error=("Allowed: " + ", ".join(f.allowed))[:255],
            )
        elif f.type == "date":
            reg.column_dimensions[col].number_format = "yyyy-mm-dd"
            dv = DataValidation(
                type="date",
                operator="greaterThanOrEqual",
                formula1=str(EXCEL_1990),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f.name,
                error="A date (yyyy-mm-dd); leave empty when not known",
            )
        elif f.type == "int":
            dv = DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f.name,
                error="A whole number >= 0",
            )
        else:
            reg.column_dimensions[col].number_format = "@"
            continue
        reg.add_data_validation(dv)
        dv.add(rng)
    reg.freeze_panes = "B2"

    head = [
        "field",
        "type",
        "required",
        "allowed_values",
        "label_ky",
        "description_en",
        "description_ru",
        "description_ky",
        "ky_status",
        "ky_glossary_terms",
        "rule",
        "methodology_source",
    ]
    info.append(head)
    for c in info[1]:
        c.font = bold
    for f in spec:
        k = ky[f.name]
        info.append(
            [
                f.name,
                f.type,
                f.requirement,
                " | ".join(f.allowed),
                k["label_ky"],
                f.description_en,
                f.description_ru,
                k["description_ky"],
                "own translation (project), to be reviewed by a Kyrgyz speaker"
                if k["status"] == "own_translation"
                else k["status"],
                k["glossary_keys"],
                f.rule,
                f.source,
            ]
        )
    for col, width in zip("ABCDEFGHIJKL", (26, 8, 28, 40, 28, 60, 60, 60, 24, 24, 40, 40), strict=True):
        info.column_dimensions[col].width = width
        for c in info[col]:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    info.freeze_panes = "B2"

    for lang, text in ABOUT:
        about.append([lang, text])
    about.column_dimensions["B"].width = 120
    for c in about["B"]:
        c.alignment = Alignment(wrap_text=True, vertical="top")

    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)
