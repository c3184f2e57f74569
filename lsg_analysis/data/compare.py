"""Other countries' regions, read and validated: OECD TL2/TL3 GDP per capita, GDL subnational GNI per capita and
SHDI, Kazakhstan's GRP per capita by oblast (BNS). Reading only; the measures are in
:mod:`lsg_analysis.analysis.context`.

Every reader returns one row per region and year with a value: ``iso3, region, year, value`` (float > 0) and
``population`` where the file has it. A cell the source leaves empty is left out (missing stays missing); a cell
that is neither empty nor a positive number is a :class:`~lsg_analysis.core.errors.DataError` naming the file, row
(1-based, header = row 1) and column. Provenance: the sidecars beside each file and
``../shared/data/compare/SOURCES.md`` (C01–C04).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError, DataErrors

OECD_TL2 = Path("oecd") / "gdp_pop_tl2_00_20_imputed_l_CHL_PACHA.csv"
OECD_TL3 = Path("oecd") / "gdp_pop_00_20_imputed_agg_l.csv"
GDL_GNIC = Path("gdl") / "ddf--datapoints--gnic--by--subnat--year.csv"
GDL_SUBNAT = Path("gdl") / "ddf--entities--level--subnat.csv"
GDL_NATIONAL = Path("gdl") / "ddf--entities--level--national.csv"
GDL_SHDI = Path("gdl") / "GDL-Subnational-HDI-data.csv"
KAZ_GRP = Path("kaz_stat") / "bns_grp_per_capita_2008_2023.xlsx"
KAZ_SHEET = "тыс.тенге"
KAZ_NATIONAL = "Республика Казахстан"

COLUMNS = ["iso3", "region", "year", "value", "population"]
_ISO3 = re.compile(r"^[A-Z]{3}$")
_YEAR = re.compile(r"^(19|20)[0-9]{2}$")
_KAZ_YEAR = re.compile(r"^((?:19|20)[0-9]{2}) год$")
_FOOTNOTE = re.compile(r"[0-9]+\)$")


def _file(path: Path | None, default: Path) -> Path:
    return Path(path) if path is not None else paths.RAW / default


def _read_csv(path: Path, columns: list[str], encoding: str = "utf-8") -> pd.DataFrame:
    """All cells as text ("NA" stays text); the columns must be there."""
    if not path.is_file():
        raise DataError(paths.rel(path), "no file", "the raw copy (see its sidecar and compare/SOURCES.md)")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(paths.rel(path), ", ".join(frame.columns), "the columns " + ", ".join(columns), row=1)
    return frame


def _numbers(path: Path, cells: pd.Series, column: str, *, zero_missing: bool = False) -> pd.Series:
    """Text cells → float (> 0); empty (and, with ``zero_missing``, 0) → NaN; anything else a DataError per bad
    cell (row = index + 2: the frames keep the index of a CSV read with one header line)."""
    text = cells.str.strip()
    values = pd.to_numeric(text.where(text != ""), errors="coerce")
    if zero_missing:
        values = values.where(values != 0)
        bad = (values.isna() & (text != "") & (pd.to_numeric(text, errors="coerce") != 0)) | (values < 0)
    else:
        bad = (values.isna() & (text != "")) | (values <= 0)
    if bad.any():
        expected = (
            "a positive number, 0 (not available) or an empty cell"
            if zero_missing
            else "a positive number or an empty cell"
        )
        raise DataErrors(
            [DataError(paths.rel(path), cells[i], expected, row=int(i) + 2, column=column) for i in cells.index[bad]]
        )
    return values.astype(float)


def _check(path: Path, cells: pd.Series, pattern: re.Pattern[str], column: str, expected: str) -> None:
    bad = ~cells.str.match(pattern)
    if bad.any():
        raise DataErrors(
            [DataError(paths.rel(path), cells[i], expected, row=int(i) + 2, column=column) for i in cells.index[bad]]
        )


def _unique(path: Path, frame: pd.DataFrame, keys: list[str], columns: list[str]) -> None:
    dup = frame.duplicated(keys, keep="first")
    if dup.any():
        i = frame.index[dup][0]
        raise DataError(
            paths.rel(path),
            " ".join(str(frame.at[i, c]) for c in keys),
            "one row per region and year (duplicate)",
            row=int(i) + 2,
            column=", ".join(columns),
        )


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reindex(columns=COLUMNS)
    out = out[out["value"].notna()].astype({"year": int, "value": float, "population": float})
    return out.sort_values(["iso3", "year", "region"], kind="stable").reset_index(drop=True)


def read_oecd_tl2(path: Path | None = None) -> pd.DataFrame:
    """OECD TL2 panel (Regional Outlook 2023 working data): GDP per capita (US$, constant 2015 PPP) and population."""
    path = _file(path, OECD_TL2)
    f = _read_csv(path, ["reg_id", "time", "gdp", "pop", "gdp_pc", "iso3"], encoding="latin-1")
    _check(path, f["iso3"], _ISO3, "iso3", "an ISO 3166 alpha-3 code")
    _check(path, f["time"], _YEAR, "time", "a year")
    _unique(path, f, ["reg_id", "time"], ["reg_id", "time"])
    return _tidy(
        pd.DataFrame(
            {
                "iso3": f["iso3"],
                "region": f["reg_id"],
                "year": f["time"].astype(int),
                "value": _numbers(path, f["gdp_pc"], "gdp_pc"),
                "population": _numbers(path, f["pop"], "pop"),
            }
        )
    )


def read_oecd_tl3(path: Path | None = None) -> pd.DataFrame:
    """OECD TL3 panel (regions aggregated within FUAs): GDP per capita and population.

    The rows whose metadata are the text ``NA`` (REG_ID DE139) are German (the OECD region code starts with the
    ISO 3166 alpha-2 ``DE``): their iso3 is set to DEU. Any other ``NA`` iso3 is an error. GDP_PC ``0`` is the
    file's "not available" (27 cells: IE051 and IE053 2015–2017, ITG2F Cagliari 2000–2020): left out."""
    path = _file(path, OECD_TL3)
    f = _read_csv(path, ["REG_ID", "TIME", "GDP_PC", "POP", "iso3"], encoding="latin-1")
    iso3 = f["iso3"].where(~((f["iso3"] == "NA") & f["REG_ID"].str.match(r"^DE[0-9A-Z]+$")), "DEU")
    _check(path, iso3, _ISO3, "iso3", "an ISO 3166 alpha-3 code (NA only for German REG_ID DE…)")
    _check(path, f["TIME"], _YEAR, "TIME", "a year")
    _unique(path, f, ["REG_ID", "TIME"], ["REG_ID", "TIME"])
    return _tidy(
        pd.DataFrame(
            {
                "iso3": iso3,
                "region": f["REG_ID"],
                "year": f["TIME"].astype(int),
                "value": _numbers(path, f["GDP_PC"], "GDP_PC", zero_missing=True),
                "population": _numbers(path, f["POP"], "POP"),
            }
        )
    )


def read_gdl_gnic(path: Path | None = None, subnat: Path | None = None, national: Path | None = None) -> pd.DataFrame:
    """GDL SHDI 5.0 (Gapminder DDF): GNI per capita (2017 PPP US$) by subnational region; country from the entity
    tables (a region or country the tables do not know is an error)."""
    path, subnat, national = _file(path, GDL_GNIC), _file(subnat, GDL_SUBNAT), _file(national, GDL_NATIONAL)
    nat = _read_csv(national, ["national", "iso_code"])
    _check(national, nat["iso_code"], _ISO3, "iso_code", "an ISO 3166 alpha-3 code")
    _unique(national, nat, ["national"], ["national"])
    sub = _read_csv(subnat, ["subnat", "national"])
    _unique(subnat, sub, ["subnat"], ["subnat"])
    iso = sub["national"].map(dict(zip(nat["national"], nat["iso_code"])))
    if iso.isna().any():
        i = iso.index[iso.isna()][0]
        raise DataError(
            paths.rel(subnat),
            sub.at[i, "national"],
            f"a national unit of {paths.rel(national)}",
            row=int(i) + 2,
            column="national",
        )
    f = _read_csv(path, ["subnat", "year", "gnic"])
    _check(path, f["year"], _YEAR, "year", "a year")
    country = f["subnat"].map(dict(zip(sub["subnat"], iso)))
    if country.isna().any():
        i = country.index[country.isna()][0]
        raise DataError(
            paths.rel(path), f.at[i, "subnat"], f"a region of {paths.rel(subnat)}", row=int(i) + 2, column="subnat"
        )
    _unique(path, f, ["subnat", "year"], ["subnat", "year"])
    return _tidy(
        pd.DataFrame(
            {
                "iso3": country,
                "region": f["subnat"],
                "year": f["year"].astype(int),
                "value": _numbers(path, f["gnic"], "gnic"),
            }
        )
    )


def read_gdl_countries(path: Path | None = None) -> pd.Series:
    """ISO 3166 alpha-3 codes of the countries of Global Data Lab's national entity table (validated read)."""
    p = _file(path, GDL_NATIONAL)
    return _read_csv(p, ["national", "iso_code"])["iso_code"].replace("", pd.NA).dropna()


def read_gdl_shdi(path: Path | None = None) -> pd.DataFrame:
    """GDL SHDI 8.1 table: the ``Subnat`` rows (regions), one value per year column; empty cells are missing."""
    path = _file(path, GDL_SHDI)
    f = _read_csv(path, ["ISO_Code", "Level", "GDLCODE"])
    years = [c for c in f.columns if _YEAR.match(c)]
    if not years:
        raise DataError(paths.rel(path), ", ".join(f.columns), "year columns 1990 … 2022", row=1)
    levels = f["Level"].isin(["National", "Subnat"])
    if not levels.all():
        i = f.index[~levels][0]
        raise DataError(paths.rel(path), f.at[i, "Level"], '"National" or "Subnat"', row=int(i) + 2, column="Level")
    f = f[f["Level"] == "Subnat"]
    _check(path, f["ISO_Code"], _ISO3, "ISO_Code", "an ISO 3166 alpha-3 code")
    _unique(path, f, ["GDLCODE"], ["GDLCODE"])
    parts = [
        pd.DataFrame({"iso3": f["ISO_Code"], "region": f["GDLCODE"], "year": int(y), "value": _numbers(path, f[y], y)})
        for y in years
    ]
    return _tidy(pd.concat(parts))


def read_kaz_grp(path: Path | None = None) -> pd.DataFrame:
    """BNS Kazakhstan: annual GRP per capita (thousand tenge) by oblast and city, sheet ``тыс.тенге``; the national
    row is left out; footnote marks and spaces are stripped from the names."""
    import openpyxl

    path = _file(path, KAZ_GRP)
    if not path.is_file():
        raise DataError(paths.rel(path), "no file", "the raw copy (see its sidecar and compare/SOURCES.md)")
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    if KAZ_SHEET not in book.sheetnames:
        raise DataError(paths.rel(path), ", ".join(book.sheetnames), f'a sheet "{KAZ_SHEET}"')
    rows = list(book[KAZ_SHEET].iter_rows(values_only=True))
    header = rows[2] if len(rows) > 2 else ()
    annual = {j: int(m.group(1)) for j, h in enumerate(header) if (m := _KAZ_YEAR.match(" ".join(str(h).split())))}
    if not annual or rows[3][0] != KAZ_NATIONAL:
        raise DataError(paths.rel(path), header[:5], f'row 3: periods "2008 год" …; row 4: "{KAZ_NATIONAL}"', row=3)
    out, errors = [], []
    for r, row in enumerate(rows[4:], start=5):
        if row[0] is None or not str(row[0]).strip():
            break
        name = _FOOTNOTE.sub("", str(row[0]).strip()).strip()
        for j, year in annual.items():
            cell = row[j]
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            if isinstance(cell, bool) or not isinstance(cell, (int, float)) or not cell > 0:
                errors.append(
                    DataError(
                        paths.rel(path),
                        cell,
                        "a positive number or an empty cell",
                        row=r,
                        column=f"{header[j]} (sheet {KAZ_SHEET})",
                    )
                )
                continue
            out.append({"iso3": "KAZ", "region": name, "year": year, "value": float(cell)})
    if errors:
        raise DataErrors(errors)
    return _tidy(pd.DataFrame(out, columns=["iso3", "region", "year", "value"]))
