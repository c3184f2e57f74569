"""Doubtful source values are flagged, never changed and never hidden (lsg_analysis.quality, data/quality_rules.csv).

Each rule on small synthetic series: it fires where it should, not where it should not, and its thresholds come
from the rules table. Then the shipped flags: flags.csv equals a recomputation and keeps the published values.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lsg_analysis import quality
from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataErrors, ParameterError
from lsg_analysis.data import processed
from lsg_analysis.data.schemas import Flags, read_csv, validate
from lsg_analysis.pipeline.build import build_tables, flag_report

RULES_CSV = paths.DATA / "quality_rules.csv"
LEVEL1 = list(quality.LEVEL1_PARTITION)
LEVELS = {"KG": 0, **{c: 1 for c in LEVEL1}, "KG-C+KG-GB": 1}
MEMBERS = {"KG-C+KG-GB": ["KG-C", "KG-GB"]}
META = pd.DataFrame(
    {
        "indicator": ["share", "per100k", "people", "idx"],
        "unit": ["percent", "per 100,000 population", "persons", "index"],
        "kind": ["rate", "rate", "count", "index"],
    }
)
NO_BREAKS = pd.DataFrame(columns=["indicator", "source_id", "codes", "before", "after", "kind", "description"])


def rows(cells: list[tuple], indicator: str = "share", source: str = "S1") -> pd.DataFrame:
    """Indicator rows from (code, year, value[, flag]) tuples."""
    out = [
        {
            "code": c[0],
            "year": c[1],
            "indicator": indicator,
            "value": float(c[2]),
            "unit": "u",
            "source_id": source,
            "vintage": "",
            "boundaries": "",
            "flag": c[3] if len(c) > 3 else "",
            "note": "",
            "default_series": "yes",
        }
        for c in cells
    ]
    return pd.DataFrame(out)


def series_of(code: str, start: int, values: list[float], **kw) -> pd.DataFrame:
    return rows([(code, start + i, v) for i, v in enumerate(values)], **kw)


def find(ind: pd.DataFrame, rules: dict | None = None, breaks: pd.DataFrame | None = NO_BREAKS) -> pd.DataFrame:
    return quality.find_flags(ind, META, breaks, rules or quality.read_rules(RULES_CSV), LEVELS, MEMBERS)


def rules_file(tmp_path: Path, edit: dict[tuple[str, str], str] | None = None, extra: str = "") -> Path:
    frame = pd.read_csv(RULES_CSV, dtype=str, keep_default_na=False)
    for (rule, param), value in (edit or {}).items():
        frame.loc[(frame["rule"] == rule) & (frame["parameter"] == param), "value"] = value
    path = tmp_path / "quality_rules.csv"
    path.write_text(frame.to_csv(index=False, lineterminator="\n") + extra, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------ the rules table
def test_shipped_rules_are_read_with_a_reason_each():
    rules = quality.read_rules(RULES_CSV)
    assert rules["spike"] == {"min_log_ratio": 0.693, "max_neighbour_log_ratio": 0.693, "max_year_gap": 1.0}
    assert rules["peer_outlier"]["min_robust_z"] == 3.5 and rules["parts_vs_total"]["max_relative_gap"] == 0.0005
    frame = pd.read_csv(RULES_CSV, dtype=str, keep_default_na=False)
    assert list(frame.columns) == quality.RULE_COLUMNS and (frame["reason"].str.len() > 20).all()
    assert {(r, p) for r, ps in quality.RULES.items() for p in ps} == set(zip(frame["rule"], frame["parameter"]))


@pytest.mark.parametrize(
    "edit, extra, message",
    [
        ({("spike", "min_log_ratio"): "big"}, "", 'row 2, column "value": found "big"; expected a number in 0..inf'),
        (
            {("parts_vs_total", "max_relative_gap"): "2"},
            "",
            'row {gap_row}, column "value": found "2"; expected a number in 0..1',
        ),
        (
            {},
            "spikes,min_log_ratio,1,why\n",
            'row {new_row}, column "rule": found "spikes"; expected one of spike, range, peer_outlier, parts_vs_total',
        ),
        (
            {},
            "range,max,1,why\n",
            'row {new_row}, column "parameter": found "max"; expected a parameter of range: min, percent_max',
        ),
        (
            {},
            "range,min,1,again\n",
            'row {new_row}, column "parameter": found "range,min"; expected each rule and parameter once',
        ),
        ({}, "spike,max_year_gap,1,\n", 'row {new_row}, column "parameter": found "spike,max_year_gap"'),
    ],
)
def test_a_bad_rule_row_names_row_and_column(tmp_path, edit, extra, message):
    path = rules_file(tmp_path, edit, extra)
    shipped = pd.read_csv(RULES_CSV, dtype=str)
    rows_of = {
        "gap_row": int(shipped.index[shipped["parameter"] == "max_relative_gap"][0]) + 2,
        "new_row": len(shipped) + 2,
    }
    with pytest.raises(DataErrors) as e:
        quality.read_rules(path)
    assert f"{paths.rel(path)}, {message.format(**rows_of)}" in str(e.value)


def test_an_empty_reason_and_a_missing_row_are_errors(tmp_path):
    frame = pd.read_csv(RULES_CSV, dtype=str, keep_default_na=False)
    frame.loc[0, "reason"] = " "
    frame = frame[frame["parameter"] != "min_units"]
    path = tmp_path / "r.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataErrors) as e:
        quality.read_rules(path)
    assert [str(x) for x in e.value.errors] == [
        f'{paths.rel(path)}, row 2, column "reason": found ""; expected the reason for this threshold',
        f'{paths.rel(path)}, column "parameter": found "no row"; expected a row for rule peer_outlier, '
        "parameter min_units",
    ]


# ------------------------------------------------------------------------------------------ (a) spike
def test_a_dip_that_reverts_is_flagged_with_its_published_value():
    ind = series_of("KG-N", 2010, [40, 41, 10, 40, 42])
    got = find(ind)
    assert got[["code", "year", "value", "rule"]].values.tolist() == [["KG-N", 2012, 10.0, "spike"]]
    assert got["note"][0] == (
        "dip: 10 in 2012 between 41 (2011) and 40 (2013); |ln ratio| 1.39 > 0.693, neighbours within 0.02"
    )
    assert ind["value"].tolist() == [40, 41, 10, 40, 42]  # nothing changed


def test_no_spike_for_a_level_shift_a_gap_a_small_jump_or_a_declared_break():
    assert find(series_of("KG-N", 2010, [40, 41, 10, 11, 10])).empty  # neighbours disagree: a step, not a spike
    assert find(series_of("KG-N", 2010, [40, 41, 25, 40, 42])).empty  # ln(41/25) = 0.49 < 0.693
    gap = rows([("KG-N", 2010, 40), ("KG-N", 2012, 10), ("KG-N", 2013, 40)])
    assert find(gap).empty  # 2010 is not 2012's neighbour (max_year_gap 1)
    brk = pd.DataFrame(
        {
            "indicator": ["share"],
            "source_id": [""],
            "codes": ["KG-N"],
            "before": [2011],
            "after": [2012],
            "kind": ["method"],
            "description": ["new method"],
        }
    )
    assert find(series_of("KG-N", 2010, [40, 41, 10, 40, 42]), breaks=brk).empty
    assert len(find(series_of("KG-T", 2010, [40, 41, 10, 40, 42]), breaks=brk)) == 1  # the break is KG-N's only


def test_series_are_never_mixed_across_sources():
    two = pd.concat(
        [rows([("KG-N", 2010, 40), ("KG-N", 2012, 40)], source="A"), rows([("KG-N", 2011, 10)], source="B")]
    )
    assert find(two).empty


def test_spike_thresholds_come_from_the_table(tmp_path):
    ind = series_of("KG-N", 2010, [40, 41, 10, 40, 42])
    strict = quality.read_rules(rules_file(tmp_path, {("spike", "min_log_ratio"): "1.5"}))
    assert find(ind, strict).empty  # ln(40/10) = 1.386 < 1.5
    loose = quality.read_rules(rules_file(tmp_path, {("spike", "min_log_ratio"): "0.4"}))
    assert find(series_of("KG-N", 2010, [40, 41, 25, 40, 42]), loose)["year"].tolist() == [2012]


# ------------------------------------------------------------------------------------------ (b) range
def test_values_outside_the_possible_range():
    ind = pd.concat(
        [
            rows([("KG-N", 2010, 100.0), ("KG-T", 2010, 100.5)]),
            rows([("KG-N", 2010, 150.0)], indicator="per100k"),
            rows([("KG-N", 2010, -3.0)], indicator="people"),
            rows([("KG-N", 2010, -0.5)], indicator="idx"),
        ]
    )
    got = find(ind)
    assert got[["code", "indicator", "value"]].values.tolist() == [["KG-N", "people", -3.0], ["KG-T", "share", 100.5]]
    assert got["note"].tolist() == [
        "-3 is below 0 (a count cannot be negative)",
        "100.5 is above 100 (a share of percent)",
    ]


# ------------------------------------------------------------------------------------------ (c) peer outlier
PEERS = [10, 11, 12, 13, 14, 15, 16, 17]  # eight ordinary units; the ninth is KG-Y


def peer_panel(kg_y: dict[int, float]) -> pd.DataFrame:
    cells = [(c, y, v * (1 + 0.01 * (y - 2019))) for y in kg_y for c, v in zip(LEVEL1[:8], PEERS)]
    return rows(cells + [("KG-Y", y, v) for y, v in kg_y.items()])


def peer(ind: pd.DataFrame, rules: dict | None = None) -> pd.DataFrame:
    got = find(ind, rules)
    return got[got["rule"] == "peer_outlier"].reset_index(drop=True)


def robust_z(values: list[float], target: float) -> float:
    x = np.log(values)
    med = np.median(x)
    return 0.6745 * (math.log(target) - med) / np.median(np.abs(x - med))


def test_a_unit_far_from_its_peers_in_one_year_only_is_flagged():
    got = find(peer_panel({2019: 13.5, 2020: 60.0, 2021: 13.5}))
    assert got[["code", "year", "value", "rule"]].values.tolist() == [
        ["KG-Y", 2020, 60.0, "spike"],
        ["KG-Y", 2020, 60.0, "peer_outlier"],
    ]
    got = got[got["rule"] == "peer_outlier"].reset_index(drop=True)
    z = robust_z([v * 1.01 for v in PEERS] + [60.0], 60.0)
    assert z > 3.5 and got["note"][0].startswith(f"robust z {z:+.1f} among 9 level-1 units (> 3.5); ")


def test_no_peer_flag_when_always_an_outlier_without_neighbours_or_too_few_units(tmp_path):
    assert find(peer_panel({2019: 60.0, 2020: 60.0, 2021: 60.0})).empty  # always far out: structure, not error
    assert find(peer_panel({2020: 60.0})).empty  # one year only: nothing to compare with
    few = quality.read_rules(rules_file(tmp_path, {("peer_outlier", "min_units"): "10"}))
    assert peer(peer_panel({2019: 13.5, 2020: 60.0, 2021: 13.5}), few).empty
    high = quality.read_rules(rules_file(tmp_path, {("peer_outlier", "min_robust_z"): "50"}))
    assert peer(peer_panel({2019: 13.5, 2020: 60.0, 2021: 13.5}), high).empty
    near = quality.read_rules(rules_file(tmp_path, {("peer_outlier", "max_neighbour_z"): "0.1"}))
    assert robust_z(PEERS + [15.5], 15.5) > 0.1
    assert peer(peer_panel({2019: 15.5, 2020: 60.0, 2021: 13.5}), near).empty  # 2019 not within 0.1 of the peers
    assert len(peer(peer_panel({2019: 13.5, 2020: 60.0, 2021: 13.5}), near)) == 1  # 13.5 is the median: z = 0


def test_a_tight_year_does_not_turn_a_point_of_difference_into_an_outlier(tmp_path):
    tight = [97.0 + 0.1 * i for i in range(8)]
    cells = [(c, y, v) for y in (2019, 2020, 2021) for c, v in zip(LEVEL1[:8], tight)]
    panel = rows(cells + [("KG-Y", 2019, 97.35), ("KG-Y", 2020, 95.0), ("KG-Y", 2021, 97.35)])
    assert robust_z(tight + [95.0], 95.0) < -3.5  # with the MAD of the year alone it would be an outlier
    assert peer(panel).empty  # min_mad 0.05: z = 0.6745 ln(95 / 97.35) / 0.05 = -0.33
    no_floor = quality.read_rules(rules_file(tmp_path, {("peer_outlier", "min_mad"): "0"}))
    assert peer(panel, no_floor)[["code", "year"]].values.tolist() == [["KG-Y", 2020]]


# ------------------------------------------------------------------------------------------ (d) parts vs total
def parts(total: float, values: list[float], codes: list[str] = LEVEL1, flags: dict | None = None) -> pd.DataFrame:
    cells = [("KG", 2020, total)] + [(c, 2020, v, (flags or {}).get(c, "")) for c, v in zip(codes, values)]
    return rows(cells, indicator="people")


def test_parts_that_do_not_add_up_to_the_republic_are_flagged_on_the_total():
    assert find(parts(90.0, [10.0] * 9)).empty
    got = find(parts(90.0, [10.0] * 8 + [12.0]))
    assert got[["code", "value", "rule"]].values.tolist() == [["KG", 90.0, "parts_vs_total"]]
    assert got["note"][0] == "the 9 level-1 rows sum to 92, +2.22% of the republic row 90 (tolerance 0.05%)"
    assert find(parts(90.0, [10.0] * 8 + [10.04])).empty  # 0.044 % is within 0.05 %
    assert len(find(parts(90.0, [10.0] * 8 + [10.05]))) == 1  # 0.056 % is not


def test_parts_are_compared_only_when_they_cover_the_republic_once():
    assert find(parts(90.0, [10.0] * 8, LEVEL1[:8])).empty  # Osh city missing: not a partition
    no_osh_city = [c for c in LEVEL1 if c != "KG-GO"]
    got = find(parts(90.0, [10.0] * 8, no_osh_city, flags={"KG-O": "incl_osh_city"}))
    assert got["note"].tolist() == ["the 8 level-1 rows sum to 80, -11.11% of the republic row 90 (tolerance 0.05%)"]
    joint = [c for c in LEVEL1 if c not in ("KG-C", "KG-GB")] + ["KG-C+KG-GB"]
    assert find(parts(90.0, [10.0] * 7 + [20.0], joint)).empty
    rate = parts(90.0, [10.0] * 8 + [12.0]).assign(indicator="share")
    assert find(rate).empty  # rates do not add up


def test_parts_vs_total_finds_the_known_d01_error_without_its_correction():
    ind = processed.read_indicators()
    d01 = ind[(ind["source_id"] == "D01") & (ind["year"] == 2016)].copy()
    fix = pd.read_csv(paths.DATA / "corrections.csv", dtype=str).query("source_id == 'D01'").iloc[0]
    osh_city = d01["code"] == "KG-GO"
    assert d01.loc[osh_city, "value"].tolist() == [float(fix["corrected"])]
    meta = processed.read_indicator_meta()
    levels, members = quality.registry_levels()
    rules = quality.read_rules(RULES_CSV)
    assert quality.find_flags(d01, meta, NO_BREAKS, rules, levels, members).empty  # corrected: adds up
    d01.loc[osh_city, "value"] = float(fix["published"])  # as published: Osh city repeats 2015
    got = quality.find_flags(d01, meta, NO_BREAKS, rules, levels, members)
    total = float(d01.loc[d01["code"] == "KG", "value"].iloc[0])
    gap = (d01.loc[d01["code"] != "KG", "value"].sum() - total) / total
    assert got[["code", "rule"]].values.tolist() == [["KG", "parts_vs_total"]]
    assert f"{gap:+.2%} of the republic row {total:.6g}" in got["note"][0] and -0.001 < gap < -0.0005


# ------------------------------------------------------------------------------------------ (e) last year
STEADY = [20, 21, 20, 22, 21, 20, 21]  # 2010-2016: six small year-on-year changes


def last_z(values: list[float]) -> float:
    """The robust z of the last ln change among the earlier ones (MAD at least 0.05), computed here."""
    d = np.diff(np.log(values))
    med = np.median(d[:-1])
    return 0.6745 * (d[-1] - med) / max(np.median(np.abs(d[:-1] - med)), 0.05)


def last(ind: pd.DataFrame, rules: dict | None = None, breaks: pd.DataFrame | None = NO_BREAKS) -> pd.DataFrame:
    got = find(ind, rules, breaks)
    return got[got["rule"] == "last_year"].reset_index(drop=True)


def test_a_last_year_collapse_or_jump_of_a_steady_series_is_flagged():
    got = find(series_of("KG-N", 2010, [*STEADY, 7]))
    assert got[["code", "year", "value", "rule"]].values.tolist() == [["KG-N", 2017, 7.0, "last_year"]]
    z = last_z([*STEADY, 7])
    assert z < -3.5 and got["note"][0] == (
        "last year collapse: 7 in 2017 after 21 (2016), recent level 21 (median 2014–2016); |ln ratio| 1.10 > 0.693 "
        f"and robust z {z:+.1f} against the "
        "6 earlier changes of the series (median +0.00, MAD 0.05; > 3.5); no later year shows whether it reverts"
    )
    assert last(series_of("KG-N", 2010, [*STEADY, 63]))["note"][0].startswith("last year jump: 63 in 2017")
    assert last(series_of("KG-N", 2010, [*STEADY, 0]))["value"].tolist() == [0.0]  # to zero: an infinite change


def test_no_last_year_flag_for_a_small_move_a_volatile_series_a_short_history_a_gap_or_a_break(tmp_path):
    assert find(series_of("KG-N", 2010, [*STEADY, 12])).empty  # ln(21/12) = 0.56 < 0.693
    volatile = [20, 36, 20, 36, 20, 36, 20, 6]  # earlier changes ±0.59: a move to a third is not extreme here
    assert abs(last_z(volatile)) < 3.5 and find(series_of("KG-N", 2010, volatile)).empty
    noisy = series_of("KG-N", 2010, [0.5, 0, 0.4, 0, 0.3, 0.5, 0.4, 2.0])  # touches zero: its MAD is infinite
    assert last(noisy).empty and set(find(noisy)["rule"]) == {"spike"}  # the zeros are dips
    short = series_of("KG-N", 2010, [20, 21, 20, 22, 7])  # 3 earlier changes < min_changes 5
    assert find(short).empty
    three = quality.read_rules(rules_file(tmp_path, {("last_year", "min_changes"): "3"}))
    assert last(short, three)["year"].tolist() == [2014]
    gap = rows([("KG-N", 2010 + i, v) for i, v in enumerate(STEADY)] + [("KG-N", 2018, 7)])
    assert find(gap).empty  # 2016 is not 2018's neighbour (max_year_gap 1)
    brk = pd.DataFrame(
        {
            "indicator": ["share"],
            "source_id": [""],
            "codes": ["KG-N"],
            "before": [2016],
            "after": [2017],
            "kind": ["method"],
            "description": ["new method"],
        }
    )
    assert find(series_of("KG-N", 2010, [*STEADY, 7]), breaks=brk).empty  # a declared break explains the step
    high = quality.read_rules(rules_file(tmp_path, {("last_year", "min_robust_z"): "50"}))
    assert last(series_of("KG-N", 2010, [*STEADY, 7]), high).empty
    big = quality.read_rules(rules_file(tmp_path, {("last_year", "min_log_ratio"): "1.2"}))
    assert last(series_of("KG-N", 2010, [*STEADY, 7]), big).empty  # ln 3 = 1.10 < 1.2


def test_only_the_last_year_is_tested_and_a_return_from_a_dip_is_no_jump(tmp_path):
    got = find(series_of("KG-N", 2010, [*STEADY, 7, 21]))  # 2017 comes back: a dip, not a last-year collapse
    assert got[["year", "rule"]].values.tolist() == [[2017, "spike"]]  # 2018 = the level of 2015-2017 (median 20)
    one = quality.read_rules(rules_file(tmp_path, {("last_year", "level_years"): "1"}))
    assert last(series_of("KG-N", 2010, [*STEADY, 7, 21]), one)["year"].tolist() == [2018]  # level = 2017 alone


ROAD = Path(__file__).parent / "fixtures" / "sdg_3-6-1"
ROAD_INDICATOR = """
road_traffic_deaths:
  name_en: Death rate due to road traffic injuries
  name_ru: Смертность в результате дорожно-транспортных происшествий
  name_ky: Жол кырсыктарынан каза болгондордун деңгээли
  name_source: sdg_meta (en, ru); ky own
  unit: per 100,000 population
  kind: rate
  description: SDG 3.6.1 (test table; not in the shipped catalogue).
  higher_is_better: "no"
  weight_by: population_start_of_year
  sources: [SDG-3-6-1]
  default: [SDG-3-6-1]
"""
ROAD_ENTRY = """  - {id: SDG-3-6-1, file: nsc/sdg/3-6-1.csv, layout: sdg_csv, indicator: road_traffic_deaths,
     unit: "per 100,000 population", level: 1, years: 2007-2022, table: SDG 3.6.1, totals: empty Пол,
     vintage: SDG platform deploy 2024-02-27, boundaries: pre-2024 reform, caveats: ""}
"""


def test_adding_the_sdg_3_6_1_table_reports_its_last_year_collapse_as_new_flags(tmp_path):
    """docs/data.md "How to add a table", steps 1-5, on a copy of data/: the real SDG 3.6.1 table (road-traffic
    deaths), whose 2022 values collapse (Chui 17.3 -> 0.9), gives new last_year flags; the shipped flags stay."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data, ignore=shutil.ignore_patterns("processed"))
    for name in ("3-6-1.csv", "3-6-1.csv.source.yml"):
        shutil.copyfile(ROAD / name, data / "raw" / "nsc" / "sdg" / name)
    with open(data / "indicators.yml", "a", encoding="utf-8") as f:
        f.write(ROAD_INDICATOR)
    catalogue = (data / "catalogue.yml").read_text(encoding="utf-8")
    anchor = "  - {id: SDG-3-2-1,"
    (data / "catalogue.yml").write_text(catalogue.replace(anchor, ROAD_ENTRY + anchor, 1), encoding="utf-8")
    tables = build_tables(data_dir=data)
    lines = flag_report(tables["flags"], paths.PROCESSED / "flags.csv")
    new = tables["flags"][tables["flags"]["indicator"] == "road_traffic_deaths"]
    raw = pd.read_csv(ROAD / "3-6-1.csv", dtype={"GeoCode": str})
    raw = raw[raw["Пол"].isna() & (raw["Year"] == 2022)]
    assert new[["year", "rule"]].drop_duplicates().values.tolist() == [[2022, "last_year"]]
    assert sorted(new["code"]) == ["KG", "KG-C", "KG-GO", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y"]  # not Bishkek, Batken
    assert new.loc[new["code"] == "KG-C", "value"].tolist() == [0.9] and 0.9 in raw["Value"].tolist()
    assert lines[-1] == "  8 new, 0 gone since the last build"
    assert sum(line.startswith("  new flag: last_year road_traffic_deaths SDG-3-6-1 ") for line in lines) == 8
    pd.testing.assert_frame_equal(
        tables["flags"][tables["flags"]["indicator"] != "road_traffic_deaths"].reset_index(drop=True),
        quality.flags(),
        check_dtype=False,
    )


# ------------------------------------------------------------------------------------------ shipped data
@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return quality.flags()


def test_flags_csv_equals_a_recomputation_and_its_schema(shipped):
    on_disk = validate(read_csv(paths.PROCESSED / "flags.csv"), Flags, "flags.csv")
    pd.testing.assert_frame_equal(on_disk.reset_index(drop=True), shipped, check_dtype=False)


def test_flagged_values_are_the_published_ones(shipped):
    ind = processed.read_indicators()
    merged = shipped.merge(ind, on=["code", "year", "indicator", "source_id"], suffixes=("", "_ind"))
    assert len(merged) == len(shipped) and (merged["value"] == merged["value_ind"]).all()
    dip = shipped[(shipped["code"] == "KG06246000000") & (shipped["rule"] == "spike")]
    assert dip[["indicator", "source_id", "year", "value"]].values.tolist() == [
        ["rayon_poverty_rate", "S12", 2012, 2.5]
    ]


def test_flags_narrow_by_indicator_and_level(shipped):
    rayon = quality.flags(level="rayon")
    assert len(rayon) > 0 and set(rayon["level"]) == {2} and len(rayon) == (shipped["level"] == 2).sum()
    one = quality.flags(indicator="rayon_poverty_rate")
    assert set(one["indicator"]) == {"rayon_poverty_rate"}
    with pytest.raises(ParameterError, match='parameter "level": found 7'):
        quality.flags(level=7)
    with pytest.raises(ParameterError, match="parameter \"indicator\": found 'poverty'"):
        quality.flags(indicator="poverty")


def test_the_build_reports_new_flags(tmp_path, shipped):
    old = tmp_path / "flags.csv"
    assert flag_report(shipped, old)[1] == "  no previous flags.csv: every flag is new; `lsg data check` lists them"
    shutil.copyfile(paths.PROCESSED / "flags.csv", old)
    lines = flag_report(shipped, old)
    assert lines[-1] == "  0 new, 0 gone since the last build"
    pd.read_csv(old).iloc[1:].to_csv(old, index=False)
    lines = flag_report(shipped, old)
    assert lines[1:] == [f"  new flag: {quality.describe(shipped.iloc[0])}", "  1 new, 0 gone since the last build"]
    counts = shipped["rule"].value_counts()
    assert lines[0] == (
        f"lsg data build: {len(shipped)} flags (spike {counts.get('spike', 0)}, range "
        f"{counts.get('range', 0)}, peer_outlier {counts.get('peer_outlier', 0)}, parts_vs_total "
        f"{counts.get('parts_vs_total', 0)}, last_year {counts.get('last_year', 0)})"
    )


def test_the_schema_refuses_an_unknown_rule(shipped):
    with pytest.raises(DataErrors, match='column "rule": found "guess"'):
        validate(shipped.astype({"year": str}).assign(rule="guess"), Flags, "flags.csv")
