"""Region registry: every name in every shipped source resolves; variants, errors, ambiguity."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lsg_analysis.registry import regions
from lsg_analysis.core.errors import LsgError, ParameterError, RegionError
from lsg_analysis.core.paths import RAW, ROOT

SHARED = ROOT.parent / "shared" / "data"  # the gathered originals: ../shared beside the checkout
# Folders that hold no Kyrgyz region names: other countries' regions (compare/, oecd/, kaz_stat/), national
# migration totals (migration/), notes only (municipal/).
NOT_REGION_FOLDERS = {"consultations", "compare", "migration", "municipal", "oecd", "kaz_stat"}
# Whole-world tables of other countries' regions (data/raw/gdl, for the country comparison).
WORLD_FILES = ("GDL-Subnational-HDI-data.csv", "ddf--")

# Columns that hold region names, by the format they come in.
NAME_COLUMNS = {
    "region_name_as_in_source",
    "parent_name_as_in_source",
    "Территория",
    "region",
    "region_raw",
    "oblast_name",
    "Region",
    "Province",
    "District",
    "Adm2_EN",
    "Adm1_EN",
    "title_ru",
    "title_kg",
    "title_en",
    "name_ru",
    "name_ky",
    "name_en",
}
# Files whose title_*/name_* fields are indicator names, not regions (national demographic table 316, the SDG
# catalogue).
NOT_REGION_FILES = ("316_population.json", "nsc_population.json", "SDG_CATALOGUE.csv")
# Context a reader of the file knows (the data catalogue passes the same): rayon tables from WFP PRISM.
RAYON_SOURCES = ("WFP_PRISM_POVERTY", "S12_prism", "S13_prism", "prism", "kyr-admin-level-datasets", "District_KRYG")
PARENT_COLUMNS = {"parent_name_as_in_source", "Province", "Adm1_EN"}
GEO_NAME_KEYS = {
    "ADM0_EN",
    "ADM0_RU",
    "ADM0_KY",
    "ADM1_EN",
    "ADM1_RU",
    "ADM1_KY",
    "ADM2_EN",
    "ADM2_RU",
    "ADM2_KY",
    "Adm1_EN",
    "Adm1_RU",
    "Adm1_KR",
    "Adm2_EN",
    "Adm2_RU",
    "Adm2_KR",
}


def _names_in(root: Path) -> list[tuple[str, str, str, str]]:
    """(file, column, name, source) for every region name found in CSV, JSON and XLSX files under ``root``."""
    found = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if (
            NOT_REGION_FOLDERS & set(p.relative_to(root).parts)
            or p.name in NOT_REGION_FILES
            or p.name.startswith(WORLD_FILES)
            or p.name.endswith(".source.yml")
        ):
            continue
        if p.suffix == ".csv":
            with p.open(encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                for row in reader:
                    src = f"{row.get('source_id') or ''} {rel}"
                    for col in NAME_COLUMNS & set(reader.fieldnames or ()):
                        if (row[col] or "").strip():
                            found.append((rel, col, row[col], src))
                    for unit in (row.get("units_in_value_as_in_source") or "").split(";"):
                        if unit.strip() and not unit.strip().startswith("("):
                            found.append((rel, "units_in_value_as_in_source", unit, rel))
        elif p.suffix == ".json" and not p.name.startswith("countries-"):
            data = json.loads(p.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("type") == "FeatureCollection":  # boundary files: properties
                for f in data["features"]:
                    props = f["properties"]
                    kind = {"independent city": "city_oblast"}.get(props.get("ADM2TYP_EN"), "rayon")
                    for k, v in props.items():
                        if k in GEO_NAME_KEYS and v:
                            level_hint = (
                                {"kind": "oblast"}
                                if k.lower().startswith("adm1")
                                else ({"level": 0} if k.startswith("ADM0") else {"kind": kind})
                            )
                            found.append((rel, k, v, json.dumps(level_hint)))
                continue
            stack = [data]
            while stack:
                o = stack.pop()
                if isinstance(o, dict):
                    for k, v in o.items():
                        if k in NAME_COLUMNS and isinstance(v, str):
                            found.append((rel, k, v, rel))
                        elif isinstance(v, (dict, list)):
                            stack.append(v)
                elif isinstance(o, list):
                    stack.extend(o)
        elif p.suffix == ".xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
            for ws in wb.worksheets:  # NSC trilingual layout: ky, ru, en labels then numbers
                for row in ws.iter_rows(values_only=True):
                    nums = [c for c in row[3:] if isinstance(c, (int, float))]
                    is_header = all(isinstance(c, int) and 1990 <= c <= 2100 for c in nums)
                    if nums and not is_header and all(isinstance(c, str) for c in row[:3]):
                        found.extend((rel, f"xlsx col {i + 1}", row[i], rel) for i in range(3))
    return found


def _hints(rel: str, col: str, src: str) -> dict:
    if src.startswith("{"):  # boundary files: the hint was taken from the feature's own properties
        return json.loads(src)
    if col in ("Adm1_EN",) or (col in PARENT_COLUMNS and any(s in src for s in RAYON_SOURCES)):
        return {"kind": "oblast"}
    if any(s in src for s in RAYON_SOURCES) and col not in PARENT_COLUMNS:
        return {"kind": "rayon"}
    return {}


@pytest.mark.parametrize("root", [RAW, SHARED], ids=["data/raw", "shared"])
def test_every_name_in_every_source_resolves(root):
    if not root.is_dir() or not any(root.rglob("*.*")):
        pytest.skip(f"{root} holds no files here")
    found = _names_in(root)
    assert found, "the scan found no region names: check NAME_COLUMNS against the files"
    failures = []
    for rel, col, name, src in found:
        try:
            regions.resolve(name, source=None if src.startswith("{") else src, **_hints(rel, col, src))
        except RegionError as e:
            failures.append(f"{rel} [{col}] {name!r}: {e}")
    assert not failures, f"{len(failures)} names do not resolve:\n" + "\n".join(sorted(set(failures))[:40])


@pytest.mark.parametrize(
    "variant,code",
    [
        ("Issyk-Kul oblast", "KG-Y"),
        ("ysyk-köl oblast", "KG-Y"),
        ("Yssyk-Kul oblast", "KG-Y"),
        ("Issik-Kul oblast", "KG-Y"),
        ("ISSYK KUL REGION", "KG-Y"),
        ("Ысык-Көл облусу", "KG-Y"),
        ("Иссык-Кульская область", "KG-Y"),
        ("Chui oblast", "KG-C"),
        ("Chuy Region", "KG-C"),
        ("Чуйская обл.", "KG-C"),
        ("Чүй облусу ", "KG-C"),
        ("Jalal-Abat oblast", "KG-J"),
        ("Djalal-Abad oblast", "KG-J"),
        ("Zhalal-Abad oblast", "KG-J"),
        ("Jalal\u2013Abad oblast", "KG-J"),
        ("Джалал-Абадской области", "KG-J"),
        ("Жалал-Абад облусунда", "KG-J"),
        ("Bishkek \u0441ity", "KG-GB"),
        ("г.Бишкек", "KG-GB"),
        ("г. Бишкек", "KG-GB"),
        ("Бишкек ш.", "KG-GB"),
        ("Бишкек шаары", "KG-GB"),
        ("Бишкеке", "KG-GB"),
        ("bishkek\u00a0city  ", "KG-GB"),
        ("городе Оше", "KG-GO"),
        ("Ош шаарында", "KG-GO"),
        ("Osh City", "KG-GO"),
        ("Баткен облусу", "KG-B"),
        ("Ошской области", "KG-O"),
        ("Нарынская", "KG-N"),
        ("Ошская область  (до 2013 г.включая г. Ош)", "KG-O"),
        ("Osh oblast  (until 2013 y. including Osh city)", "KG-O"),
        ("Кыргызская Республика (в целом по республике)", "KG"),
        ("Kyrgyz Republic", "KG"),
        ("Kyrgyzstan", "KG"),
        ("Ак-Суйский район", "KG02205000000"),
        ("Ак-Суу району\u00a0", "KG02205000000"),
        ("Ak-Su", "KG02205000000"),
        ("Kara-Kul'dzha", "KG06246000000"),
        ("Kara-Kul’dzha", "KG06246000000"),
        ("Ak-Bashy", "KG04220000000"),
        ("Kara-Buura", "KG07215000000"),
        ("Aitmatov district", "KG07215000000"),
        ("Айтматовский район", "KG07215000000"),
        ("Jalal-Abad (city)", "KG03410000010"),
        ("г. Манас", "KG03410000010"),
        ("Manas city", "KG03410000010"),
        ("Naryn (city)", "KG04400000010"),
        ("г. Нарын", "KG04400000010"),
        ("Нарын ш.", "KG04400000010"),
        ("Нарынский район", "KG04245000000"),
        ("Ak-Su (Issik-Kul)", "KG02205000000"),
        ("Yssik-Kul (Issik-Kul)", "KG02215000000"),
        ("Чоӊ-Алай", "KG06259000000"),
        ("Чоң-Алай району", "KG06259000000"),
        ("KG-C", "KG-C"),
        ("KG08203000000", "KG08203000000"),
    ],
)
def test_variants_resolve(variant, code):
    assert regions.resolve(variant) == code


def test_case_dash_apostrophe_space_insensitive():
    base = regions.resolve("Kara-Kul'dzha")
    for v in ("KARA-KUL'DZHA", "kara kul'dzha", "Kara\u2011Kul\u02bcdzha", " kara-kuldzha\u00a0", "Kara—Kul`dzha"):
        assert regions.resolve(v) == base


@pytest.mark.parametrize(
    "name,level,kw,code",
    [
        ("Naryn", 1, {}, "KG-N"),
        ("Talas", 1, {}, "KG-T"),
        ("Batken", 1, {}, "KG-B"),
        ("Naryn", None, {"kind": "rayon"}, "KG04245000000"),
        ("Naryn", None, {"kind": "city_oblast"}, "KG04400000010"),
        ("Chui", 2, {}, "KG08223000000"),
        ("Bishkek", 2, {}, "KG-GB"),
        ("Osh", None, {"kind": "oblast"}, "KG-O"),
        ("Osh", None, {"source": "G03_gdl_hdi_table_v8_1"}, "KG-O+KG-GO"),
        ("Alamudun", None, {"source": "DM_CENSUS2022"}, "KG08203000000+KG-GB"),
        ("Alamudun", None, {}, "KG08203000000"),
        ("Issyk-Kul", None, {"parent": "KG-Y"}, "KG02215000000"),
        ("Naryn", 2, {"parent": "Naryn", "kind": "rayon"}, "KG04245000000"),
        ("Chui", None, {"parent": "Chuy oblast"}, "KG08223000000"),
    ],
)
def test_context_decides(name, level, kw, code):
    assert regions.resolve(name, level=level, **kw) == code


@pytest.mark.parametrize(
    "name,code",
    [
        ("Naryn", "KG-N"),
        ("Talas", "KG-T"),
        ("Batken", "KG-B"),
        ("Jalal-Abad", "KG-J"),
        ("Chui", "KG-C"),
        ("Issyk-Kul", "KG-Y"),
        ("Ysyk-Köl", "KG-Y"),
        ("Yssyk-Kul", "KG-Y"),
    ],
)
def test_bare_name_shared_with_a_rayon_or_city_means_the_oblast(name, code):
    assert regions.resolve(name) == code


@pytest.mark.parametrize("name", ["Osh", "Manas"])
def test_ambiguous_name_raises_listing_candidates(name):
    with pytest.raises(RegionError, match="ambiguous") as e:
        regions.resolve(name)
    assert isinstance(e.value, ValueError) and isinstance(e.value, LsgError)
    assert str(e.value).count("KG") >= 2


def test_osh_on_level_1_is_still_ambiguous():
    with pytest.raises(RegionError, match="Osh city .*Osh oblast"):
        regions.resolve("Osh", level=1)


def test_unknown_name_lists_closest():
    with pytest.raises(RegionError, match="closest: .*'Bishkek'"):
        regions.resolve("Bishkekk")
    with pytest.raises(RegionError, match="closest: .*Чуйская"):
        regions.resolve("Чуйскя область")


def test_no_match_on_level_says_what_the_name_means():
    with pytest.raises(RegionError, match="no unit matches.*Bishkek city"):
        regions.resolve("Bishkek", level=0)


def test_bad_parameters():
    with pytest.raises(ParameterError, match="level"):
        regions.resolve("Naryn", level=3)
    with pytest.raises(ParameterError, match="kind"):
        regions.resolve("Naryn", kind="village")
    with pytest.raises(RegionError):
        regions.resolve("")
    with pytest.raises(ParameterError, match="lang"):
        regions.name("KG-C", "de")


def test_registry_shape_and_codes():
    df = regions.regions()
    assert df["code"].is_unique
    core = df[df["kind"] != "composite"]
    assert (core["level"] == 0).sum() == 1
    assert sorted(core.loc[core["level"] == 1, "code"]) == sorted(
        ["KG-B", "KG-J", "KG-Y", "KG-N", "KG-O", "KG-T", "KG-C", "KG-GB", "KG-GO"]
    )
    lvl2 = core[core["level"] == 2]
    assert len(lvl2) == 53 and (lvl2["kind"] == "rayon").sum() == 40 and (lvl2["kind"] == "city_oblast").sum() == 13
    assert lvl2["pcode"].str.fullmatch(r"KG0[2-8]\d{9}").all()
    assert df["rayon_map"].sum() == 55
    lvl1 = core[core["level"] == 1]
    assert (lvl1["iso_3166_2"] == lvl1["code"]).all()
    assert lvl1["soato"].str.fullmatch(r"417\d\d").all()
    soato2 = lvl2.loc[lvl2["soato"] != "", "soato"]
    assert len(soato2) == 52 and soato2.str.fullmatch(r"417\d{5}").all() and soato2.is_unique
    # every level-2 unit's SOATO starts with its oblast's SOATO
    par = dict(zip(df["code"], df["soato"]))
    assert all(s.startswith(par[p]) for s, p in zip(soato2, lvl2.loc[soato2.index, "parent"]))
    for col in ("name_en", "name_ru", "name_ky"):
        assert (df[col].str.strip() != "").all() and not df[col].str.contains("\u00a0|\u04ca").any()


def test_composite_members_are_known_and_expand_to_level_2():
    df = regions.regions()
    codes = set(df["code"])
    comp = df[df["kind"] == "composite"]
    assert len(comp) >= 19
    for code, mem in zip(comp["code"], comp["members"]):
        assert set(mem.split(";")) <= codes
    assert regions.members("KG-O+KG-GO") == ["KG-O", "KG-GO"]
    exp = regions.members("KG-O+KG-GO", level=2)
    assert "KG-GO" in exp and "KG06226000000" in exp and len(exp) == 8
    jal = set(regions.members("KG-J_excl_KG03223000000", level=2))
    assert "KG03223000000" not in jal and jal | {"KG03223000000"} == set(regions.children("KG-J"))


def test_names_in_each_language():
    assert regions.names(["KG-C", "KG-GB"], "ky") == ["Чүй облусу", "Бишкек ш."]
    assert regions.name("KG02205000000", "ru") == "Ак-Суйский район"
    assert regions.name("KG07215000000", "en") == "Aitmatov district"
    with pytest.raises(RegionError):
        regions.name("KG-XX")


def test_every_alias_points_to_a_unit_and_registry_names_round_trip():
    df = regions.regions()
    al = regions.aliases()
    assert set(al["code"]) <= set(df["code"])
    for row in df[df["kind"] != "composite"].itertuples():
        for lang in ("en", "ru", "ky"):
            assert regions.resolve(getattr(row, f"name_{lang}")) == row.code


def test_soato_crosswalk_matches_the_wfp_district_file():
    """The registry's 8-digit SOATO of each rayon is the Adm2_Code of the WFP district with the same Russian name."""
    path = RAW / "wfp" / "District_KRYG.json"
    if not path.exists():
        pytest.skip("WFP district file not shipped")
    reg = regions.regions().set_index("code")
    feats = json.loads(path.read_text(encoding="utf-8"))["features"]
    assert len(feats) == 40
    for f in feats:
        p = f["properties"]
        code = regions.resolve(p["Adm2_RU"], kind="rayon")
        assert reg.at[code, "soato"] == p["Adm2_Code"], (p["Adm2_RU"], code)
        assert reg.at[reg.at[code, "parent"], "soato"] == p["Adm1_Code"]


_GLOBAL_ALIASES = sorted(set(regions.aliases().query("scope == ''")["alias"]))


def _outcome(name):
    try:
        return regions.resolve(name)
    except RegionError as e:
        return "ambiguous" if "ambiguous" in str(e) else "unknown"


@settings(max_examples=300, deadline=None)
@given(alias=st.sampled_from(_GLOBAL_ALIASES), data=st.data())
def test_spelling_noise_does_not_change_the_answer(alias, data):
    """Case, dash style, apostrophes and (no-break) spaces around or inside at dashes never change the result."""
    dash = data.draw(st.sampled_from(["-", " ", "\u2010", "\u2013", "\u2014", "", "\u00a0"]))
    noisy = "".join(ch.upper() if data.draw(st.booleans()) else ch.lower() for ch in alias).replace("-", dash)
    noisy = (
        data.draw(st.sampled_from(["", " ", "\u00a0", "  "])) + noisy + data.draw(st.sampled_from(["", " ", "\u00a0"]))
    )
    if data.draw(st.booleans()):
        noisy = noisy.replace("'", "\u2019")
    assert _outcome(noisy) == _outcome(alias)


def test_registry_is_internally_consistent():
    df = regions.regions()
    codes = set(df["code"])
    assert set(df["kind"]) <= set(regions.KINDS)
    assert set(df.loc[df["level"] > 0, "parent"]) <= codes and (df.loc[df["level"] == 0, "parent"] == "").all()
    expected_level = {"republic": 0, "oblast": 1, "city_republican": 1, "rayon": 2, "city_oblast": 2}
    core = df[df["kind"] != "composite"]
    assert (core["level"] == core["kind"].map(expected_level)).all()
    assert (core.loc[core["level"] == 2, "parent"].isin(["KG-B", "KG-C", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y"])).all()
    assert (df.loc[df["kind"] == "composite", "members"].str.count(";") >= 1).all()
    assert (df.loc[df["kind"] != "composite", "members"] == "").all()
    renamed = df[df["renamed"] != ""]
    assert set(renamed["code"]) == {"KG07215000000", "KG03410000010"}
    assert (renamed["former_name_en"] != renamed["name_en"]).all()
