"""Kyrgyzstan in context (lsg_analysis.analysis.context, lsg_analysis.data.compare): regional dispersion per country.

Hand-computed cases use synthetic regions made here; every figure asserted about shipped data is either a
published value (OECD Regional Outlook 2023: Türkiye TL2 2019 Theil = 0.0656) or recomputed here from the raw file
with the standard library only.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict

import openpyxl
import pandas as pd
import pytest

from lsg_analysis.analysis import context
from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError, DataErrors, ParameterError
from lsg_analysis.data import compare
from lsg_analysis.measures import inequality

TL2 = paths.RAW / compare.OECD_TL2
TL3 = paths.RAW / compare.OECD_TL3


def synthetic(values: dict[tuple[str, int], list[float]]) -> pd.DataFrame:
    rows = [
        {"iso3": iso3, "region": f"{iso3}{i}", "year": year, "value": v}
        for (iso3, year), vs in values.items()
        for i, v in enumerate(vs)
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def fake(monkeypatch):
    """Replace the kaz_grp reader by a synthetic table; returns the setter."""

    def use(frame: pd.DataFrame) -> None:
        _, variable, units, note = context.SOURCES["kaz_grp"]
        monkeypatch.setitem(context.SOURCES, "kaz_grp", (lambda: frame.copy(), variable, units, note))

    return use


# ------------------------------------------------------------------------------------------ hand-computed
# y = 1, 1, 1, 5: mean 2. Theil = (3·0.5·ln 0.5 + 2.5·ln 2.5)/4; Gini: Σ(2i−N−1)y_(i) = −3−1+1+15 = 12,
# G = 12/(4·8) = 0.375, OECD G·N/(N−1) = 0.5; CV: variance (3·1 + 9)/4 = 3, CV = √3/2; max/min = 5.
HAND = {
    "theil": (3 * 0.5 * math.log(0.5) + 2.5 * math.log(2.5)) / 4,
    "gini": 0.5,
    "cv": math.sqrt(3) / 2,
    "max_min": 5.0,
}


@pytest.mark.parametrize("measure", sorted(HAND))
def test_each_measure_by_hand(fake, measure):
    fake(synthetic({("AAA", 2020): [1, 1, 1, 5], ("AAA", 2021): [2, 2], ("BBB", 2020): [7]}))
    out = context.country_inequality("kaz_grp", measure)
    assert list(out.columns[:6]) == ["source", "iso3", "year", "n_regions", "value", "measure"]
    assert list(zip(out["iso3"], out["year"], out["n_regions"])) == [("AAA", 2020, 4), ("AAA", 2021, 2)]
    assert out["value"].iloc[0] == pytest.approx(HAND[measure], rel=1e-12)
    assert out["value"].iloc[1] == pytest.approx(1.0 if measure == "max_min" else 0.0, abs=1e-15)
    assert out["definition"].iloc[0].startswith(context.MEASURES[measure][1])


def test_missing_values_are_not_regions_and_a_lone_region_gives_no_row(fake):
    frame = synthetic({("AAA", 2020): [1, 1, 1, 5, float("nan")], ("AAA", 2021): [3, float("nan")]})
    fake(frame)
    out = context.country_inequality("kaz_grp", "gini", years=(2019, 2022))
    assert out[["year", "n_regions"]].values.tolist() == [[2020, 4]]
    assert out["value"].iloc[0] == pytest.approx(0.5)
    assert context.country_inequality("kaz_grp", years=2021).empty


def test_bad_parameters_name_the_allowed_values():
    with pytest.raises(ParameterError, match=r'parameter "source": found \'oecd\'; allowed: oecd_tl2, oecd_tl3'):
        context.country_inequality("oecd")
    with pytest.raises(ParameterError, match=r'parameter "measure": found \'mld\'; allowed: theil, gini, cv, max_min'):
        context.country_inequality("kgz", "mld")
    with pytest.raises(ParameterError, match='parameter "years"'):
        context.country_inequality("kgz", years=(2022, 2020))


# ------------------------------------------------------------------------------------------ published value
def _tl2_by_hand(iso3: str, year: int) -> tuple[list[float], list[float]]:
    with open(TL2, encoding="latin-1", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["iso3"] == iso3 and r["time"] == str(year)]
    return [float(r["gdp_pc"]) for r in rows], [float(r["pop"]) for r in rows]


def test_turkiye_tl2_2019_theil_is_the_published_0_0656_and_it_is_unweighted():
    out = context.country_inequality("oecd_tl2", "theil", years=2019)
    tur = out[out["iso3"] == "TUR"].iloc[0]
    assert tur["n_regions"] == 26
    assert round(tur["value"], 4) == 0.0656  # OECD Regional Outlook 2023 working data
    y, pop = _tl2_by_hand("TUR", 2019)
    mu = sum(y) / len(y)
    by_hand = sum(v / mu * math.log(v / mu) for v in y) / len(y)
    assert tur["value"] == pytest.approx(by_hand, rel=1e-12)
    # the population-weighted Theil does not reproduce it (0.0836)
    weighted = float(inequality.theil(y, pop))
    assert round(weighted, 4) == 0.0836
    assert abs(weighted - 0.0656) > 0.01


# ------------------------------------------------------------------------------------------ invariants
@pytest.mark.parametrize("measure", sorted(HAND))
def test_scale_invariance_on_real_data(fake, measure):
    real = compare.read_oecd_tl2()
    base = context.country_inequality("oecd_tl2", measure, years=(2015, 2019))
    fake(real.assign(value=real["value"] * 1234.5))
    scaled = context.country_inequality("kaz_grp", measure, years=(2015, 2019))
    assert len(base) == len(scaled) == 30 * 5
    assert scaled["n_regions"].tolist() == base["n_regions"].tolist()
    assert scaled["value"].to_numpy() == pytest.approx(base["value"].to_numpy(), rel=1e-10)


def test_n_regions_counts_the_regions_with_data_tl3():
    counts: dict[tuple[str, int], int] = defaultdict(int)
    with open(TL3, encoding="latin-1", newline="") as f:
        for r in csv.DictReader(f):
            iso3 = "DEU" if r["iso3"] == "NA" and r["REG_ID"].startswith("DE") else r["iso3"]
            if float(r["GDP_PC"]) > 0:
                counts[iso3, int(r["TIME"])] += 1
    out = context.country_inequality("oecd_tl3", "cv")
    assert dict(zip(zip(out["iso3"], out["year"]), out["n_regions"])) == {k: n for k, n in counts.items() if n >= 2}
    assert counts["LUX", 2019] == 1 and not ((out["iso3"] == "LUX").any())  # one region: no row
    assert counts["IRL", 2016] == counts["IRL", 2014] - 2  # IE051, IE053: GDP_PC 0 = not available
    assert counts["DEU", 2019] == 260  # 259 with iso3 DEU + DE139, whose metadata are NA


def test_kyrgyzstan_nsc_has_nine_units_every_year_and_gdl_eight():
    kgz = context.country_inequality("kgz", "theil")
    assert kgz["year"].tolist() == list(range(2012, 2023))
    assert set(kgz["n_regions"]) == {9} and set(kgz["iso3"]) == {"KGZ"}
    grp = context.regional_values("kgz")
    for year in (2012, 2022):  # recomputed from the suite's own rows
        y = grp[grp["year"] == year]["value"].tolist()
        mu = sum(y) / len(y)
        theil = sum(v / mu * math.log(v / mu) for v in y) / len(y)
        assert kgz[kgz["year"] == year]["value"].iloc[0] == pytest.approx(theil, rel=1e-12)
    gdl = context.country_inequality("gdl_gnic", "theil")
    assert set(gdl[gdl["iso3"] == "KGZ"]["n_regions"]) == {8}


def test_kazakhstan_unit_counts_follow_the_boundary_changes():
    kaz = context.country_inequality("kaz_grp", "max_min")
    assert dict(zip(kaz["year"], kaz["n_regions"])) == {
        **{y: 16 for y in range(2008, 2018)},
        **{y: 17 for y in range(2018, 2022)},
        2022: 20,
    }
    # Atyrau 19,974.1 / Turkestan 1,671.8 thousand tenge in 2022 (BNS)
    assert kaz[kaz["year"] == 2022]["value"].iloc[0] == pytest.approx(19974.1 / 1671.8)


def test_ranking_appends_kyrgyzstan_for_the_latest_common_year(fake):
    fake(
        synthetic(
            {("AAA", 2020): [1, 1, 1, 5], ("BBB", 2020): [1, 2], ("KGZ", 2020): [1, 1.0001], ("CCC", 2023): [1, 9]}
        )
    )  # the NSC series ends in 2022
    nsc = context.country_inequality("kgz", "theil", years=2020)["value"].iloc[0]
    out = context.ranking("kaz_grp", "theil")
    assert out["year"].unique().tolist() == [2020]
    assert out["iso3"].tolist() == (["AAA", "KGZ", "BBB"] if nsc > 0.0566 else ["AAA", "BBB", "KGZ"])
    assert out["rank"].tolist() == [1, 2, 3] and set(out["of"]) == {3}
    assert out.set_index("iso3").loc["KGZ", ["source", "n_regions"]].tolist() == ["kgz", 9]  # replaced by the NSC
    alone = context.ranking("kaz_grp", "theil", 2020, add=None)
    assert alone["iso3"].tolist() == ["AAA", "BBB", "KGZ"] and set(alone["source"]) == {"kaz_grp"}
    with pytest.raises(ParameterError, match='parameter "year": found 2019; allowed: 2020$'):
        context.ranking("kaz_grp", "theil", 2019)


# ------------------------------------------------------------------------------------------ readers
def _tl2_file(tmp_path, cell: str):
    path = tmp_path / "tl2.csv"
    path.write_text(
        "reg_id,time,gdp,pop,gdp_pc,iso3,reg_name\nAT11,2000,7885,276090,28561,AUT,Burgenland\n"
        f"AT12,2000,7885,276090,{cell},AUT,Niederösterreich\n",
        encoding="latin-1",
    )
    return path


def test_reader_bad_cell_names_file_row_and_column(tmp_path):
    path = _tl2_file(tmp_path, "abc")
    with pytest.raises(DataErrors) as e:
        compare.read_oecd_tl2(path)
    assert str(e.value.errors[0]) == (
        f'{path}, row 3, column "gdp_pc": found "abc"; expected a positive number or an empty cell'
    )
    with pytest.raises(DataErrors, match='row 3, column "gdp_pc": found "-5"'):
        compare.read_oecd_tl2(_tl2_file(tmp_path, "-5"))
    assert compare.read_oecd_tl2(_tl2_file(tmp_path, ""))["region"].tolist() == ["AT11"]  # empty = missing


def test_tl3_na_metadata_are_german_and_zero_is_missing(tmp_path):
    head = '"","REG_ID","TIME","GDP_PC","POP","REG_ID_M","iso3"\n'
    path = tmp_path / "tl3.csv"
    path.write_text(
        head + '"1","DE139","2019",39401,216640,NA,NA\n"2","IE051","2019",0,473033,NA,"IRL"\n'
        '"3","IE052","2019",40000,473033,NA,"IRL"\n',
        encoding="latin-1",
    )
    out = compare.read_oecd_tl3(path)
    assert out[["iso3", "region"]].values.tolist() == [["DEU", "DE139"], ["IRL", "IE052"]]
    path.write_text(head + '"1","FR101","2019",39401,216640,NA,NA\n', encoding="latin-1")
    with pytest.raises(DataErrors, match='row 2, column "iso3": found "NA"; expected an ISO 3166 alpha-3 code'):
        compare.read_oecd_tl3(path)


def test_gdl_region_unknown_to_the_entity_table_is_an_error(tmp_path):
    nat, sub, pts = tmp_path / "nat.csv", tmp_path / "sub.csv", tmp_path / "pts.csv"
    nat.write_text("national,gdlcode,iso_code,name,is--national\nkgzt,KGZt,KGZ,Kyrgyzstan,TRUE\n")
    sub.write_text("subnat,gdlcode,is--subnat,national,name\nkgzr101,KGZr101,TRUE,kgzt,Kyrgyzstan - Bishkek\n")
    pts.write_text("subnat,year,gnic\nkgzr101,2019,6051.661\nkgzr109,2019,4000\n")
    with pytest.raises(DataError) as e:
        compare.read_gdl_gnic(pts, sub, nat)
    assert str(e.value) == f'{pts}, row 3, column "subnat": found "kgzr109"; expected a region of {sub}'


def test_kazakhstan_workbook_bad_cell(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = compare.KAZ_SHEET
    ws.append(["title"])
    ws.append([None])
    ws.append([None, "I квартал 2021 года", "2021 год", "2022 год"])
    ws.append([compare.KAZ_NATIONAL, 1, 2, 3])
    ws.append(["Туркестанская2)", 1, 1174.2, 1363.1])
    ws.append(["г.Алматы", 1, "x", 7495.8])
    path = tmp_path / "kaz.xlsx"
    book.save(path)
    with pytest.raises(DataErrors) as e:
        compare.read_kaz_grp(path)
    assert str(e.value.errors[0]) == (
        f'{path}, row 6, column "2021 год (sheet тыс.тенге)": found "x"; expected a positive number or an empty cell'
    )
    ws.cell(6, 3).value = 6913
    book.save(path)
    out = compare.read_kaz_grp(path)
    assert out[out["year"] == 2021]["region"].tolist() == ["Туркестанская", "г.Алматы"]


# ------------------------------------------------------------------------------------------ notebook 04
def test_similar_range_is_plus_minus_half_rounded_inwards():
    assert context.SIMILAR_N == 0.5
    assert context.similar_range(9) == (5, 13)  # 4.5 → 5, 13.5 → 13
    assert context.similar_range(8) == (4, 12)
    assert context.similar_range(10) == (5, 15)
    assert context.similar_range(10, 0.2) == (8, 12)


def test_comparison_ranks_among_all_and_among_similar_counts(fake, monkeypatch):
    # Theil of [1, 1, 1, 5] (4 regions) = HAND; two-region countries: [1, y]
    two = {iso3: [1, y] for iso3, y in (("AAA", 9), ("BBB", 1.5))}
    fake(
        synthetic(
            {
                ("KGZ", 2020): [1, 1, 1, 5],
                ("CCC", 2020): [1, 2, 2, 3, 4, 4, 4, 9],
                ("DDD", 2020): [1, 2, 3, 4, 5, 6],
                **{(k, 2020): v for k, v in two.items()},
            }
        )
    )
    monkeypatch.setitem(context.RAW_FILES, "kaz_grp", [compare.KAZ_GRP])

    def theil(y):
        mu = sum(y) / len(y)
        return sum(v / mu * math.log(v / mu) for v in y) / len(y)

    c = context.comparison("kaz_grp", "theil", 2020, ["DDD"], add=None)
    values = {
        "KGZ": HAND["theil"],
        "AAA": theil([1, 9]),
        "BBB": theil([1, 1.5]),
        "CCC": theil([1, 2, 2, 3, 4, 4, 4, 9]),
        "DDD": theil([1, 2, 3, 4, 5, 6]),
    }
    order = sorted(values, key=lambda k: -values[k])
    assert c.table["iso3"].tolist() == order
    assert c.kgz["rank"] == order.index("KGZ") + 1 and c.kgz["of"] == 5
    assert c.similar == (2, 6)  # 4 ± 50 %: the 8-region CCC is not similar
    similar = [k for k in order if k != "CCC"]
    assert (c.rank_similar, c.of_similar) == (similar.index("KGZ") + 1, 4)
    others = sorted(v for k, v in values.items() if k != "KGZ")  # four countries: mean of the middle two
    assert c.median == pytest.approx((others[1] + others[2]) / 2)
    assert c.median_similar == pytest.approx(sorted(values[k] for k in ("AAA", "BBB", "DDD"))[1])
    assert c.table.set_index("iso3")["highlighted"].to_dict() == {k: k == "DDD" for k in order}
    assert c.sources == ["raw:kaz_stat/bns_grp_per_capita_2008_2023.xlsx"]
    assert "rank " + str(c.kgz["rank"]) + " of 5" in context.describe_comparison(c)


def test_trend_median_excludes_kyrgyzstan_and_counts_countries(fake):
    fake(
        synthetic(
            {
                ("KGZ", 2001): [1, 5],
                ("AAA", 2001): [1, 2],
                ("BBB", 2001): [1, 2, 3, 4],
                ("CCC", 2001): [1, 3, 9],
                ("AAA", 1999): [1, 8],
            }
        )
    )
    t = context.trend("kaz_grp", "max_min", ["AAA"], add=None)
    assert list(t.columns) == context.TREND_COLUMNS
    med = t[t["series"] == "median (kaz_grp)"]
    assert med[["year", "n_regions", "n_countries", "value"]].values.tolist() == [[2001, 3, 3, 4.0]]  # 2, 4, 9
    assert t[t["series"] == "AAA (kaz_grp)"][["year", "value"]].values.tolist() == [[2001, 2.0]]  # 1999 left out
    assert t[t["series"] == "KGZ (kaz_grp)"]["value"].tolist() == [5.0]


def test_source_ids_name_raw_files_with_sidecars_and_the_nsc_catalogue_ids():
    for source in context.COMPARISON:
        for sid in context.source_ids(source):
            path = paths.RAW / sid.removeprefix("raw:")
            assert path.is_file() and path.with_name(path.name + ".source.yml").is_file(), sid
    assert context.source_ids("gdl_gnic")[0] == "raw:gdl/ddf--datapoints--gnic--by--subnat--year.csv"
    assert context.source_ids("kgz", 2020) == ["S14+D01"]


def test_suite_theil_is_notebook_01s_weighted_definition_and_the_oecd_unweighted_one():
    from lsg_analysis.data.load import load_indicators

    grp = load_indicators("grp_per_capita", level="oblast", years=2020).set_index("code")["value"]
    pop = load_indicators("population_start_of_year", level="oblast", years=2020).set_index("code")["value"]
    grp, pop = grp[grp.notna()], pop.reindex(grp[grp.notna()].index)
    share = pop / pop.sum()
    mu = float((share * grp).sum())
    weighted = float((share * grp / mu * (grp / mu).map(math.log)).sum())
    s = context.suite_theil(2020)
    assert s["n_regions"] == len(grp) == 9
    assert s["weighted"] == pytest.approx(weighted, rel=1e-12)
    nsc = context.country_inequality("kgz", "theil", years=2020)["value"].iloc[0]
    assert s["unweighted"] == pytest.approx(nsc, rel=1e-12) and abs(s["weighted"] - s["unweighted"]) > 0.01


def test_shdi_is_never_ranked_against_the_nscs_grp():
    assert [context.nsc_add(s) for s in context.COMPARISON] == ["kgz", "kgz", "kgz", None]
    c = context.comparison("gdl_shdi", "theil", 2022, ["KAZ"], add=context.nsc_add("gdl_shdi"))
    kgz = c.table[c.table["iso3"] == "KGZ"].iloc[0]
    assert (kgz["source"], kgz["n_regions"]) == ("gdl_shdi", 8)
    assert c.sources == ["raw:gdl/GDL-Subnational-HDI-data.csv"]
