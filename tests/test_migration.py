"""Population change, natural increase, net migration and border vs interior: hand-computed cases, breaks,
bad input, the NSC open-data path for a migration table, and the shipped national figures."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from lsg_analysis.analysis import border_interior as bi
from lsg_analysis.analysis import migration as mig
from lsg_analysis.core.errors import DataError, LsgError, ParameterError

POP = mig.POPULATION


def rows(*recs, **common) -> pd.DataFrame:
    """Tidy rows from (code, year, value[, overrides]) tuples; ``common`` sets the other columns."""
    base = {
        "indicator": POP,
        "unit": "thousand persons",
        "source_id": "D01",
        "vintage": "v1",
        "boundaries": "b1",
        "flag": "",
    } | common
    out = []
    for r in recs:
        d = dict(base, code=r[0], year=r[1], value=r[2])
        if len(r) > 3:
            d.update(r[3])
        out.append(d)
    return pd.DataFrame(out)


# ----------------------------------------------------------------------------------------- rates by hand
def test_growth_rate_and_rates_by_hand():
    assert mig.growth_rate(100.0, 121.0, 2) == pytest.approx(10.0)
    assert mig.growth_rate(200.0, 190.0, 1) == pytest.approx(-5.0)
    assert mig.rate_per_1000(-50, 9_900, 10_100) == pytest.approx(-5.0)
    assert mig.natural_increase(150_164, 38_875) == 111_289
    # the pure formulas live in measures.demography; migration keeps the names and the one error class
    from lsg_analysis.measures import demography

    assert (mig.growth_rate, mig.rate_per_1000, mig.natural_increase) == (
        demography.growth_rate,
        demography.rate_per_1000,
        demography.natural_increase,
    )
    with pytest.raises(
        mig.MigrationInputError, match=re.escape("natural increase: deaths = -1; expected a non-negative count")
    ):
        demography.natural_increase(1, -1)


def test_change_never_crosses_a_vintage_boundary_or_osh_break():
    obs = pd.concat(
        [
            rows(
                ("KG-B", 2019, 100.0),
                ("KG-B", 2020, 110.0),
                ("KG-B", 2021, 121.0),
                ("KG-B", 2022, 130.0, {"vintage": "v2"}),
            ),  # census revision between 2021 and 2022
            rows(("KG-C", 2023, 1000.0), ("KG-C", 2024, 889.0, {"boundaries": "b2"})),  # 2024 reform
            rows(("KG-O", 2012, 300.0, {"flag": "incl_osh_city"}), ("KG-O", 2013, 250.0), ("KG-O", 2014, 255.0)),
        ]
    )
    ch = mig.population_change(obs)
    pairs = set(zip(ch["code"], ch["year_from"], ch["year_to"]))
    assert pairs == {("KG-B", 2019, 2020), ("KG-B", 2020, 2021), ("KG-O", 2013, 2014)}
    b = ch[ch["code"] == "KG-B"].set_index("year_from")
    assert b.loc[2019, "growth_pct_per_year"] == pytest.approx(10.0)
    assert b.loc[2020, "change"] == pytest.approx(11.0)
    # a declared break (series_breaks.csv layout) removes a pair even within one segment
    breaks = pd.DataFrame(
        {
            "indicator": [POP],
            "source_id": ["D01"],
            "codes": ["KG-O"],
            "before": [2013],
            "after": [2014],
            "kind": ["boundary"],
            "description": ["test break"],
        }
    )
    assert mig.population_change(obs, breaks=breaks).query("code == 'KG-O'").empty


def test_gap_years_give_a_geometric_average():
    ch = mig.population_change(rows(("KG-N", 2015, 100.0), ("KG-N", 2017, 121.0)))
    assert ch["growth_pct_per_year"].iloc[0] == pytest.approx(10.0)


def test_annual_change_takes_the_preferred_source():
    obs = pd.concat(
        [
            rows(("KG-T", 2021, 100.0), ("KG-T", 2022, 102.0), source_id="S01"),
            rows(("KG-T", 2021, 90.0), ("KG-T", 2022, 99.0), source_id="D01"),
        ]
    )
    assert mig.annual_change(obs, prefer=["S01", "D01"])["growth_pct_per_year"].iloc[0] == pytest.approx(2.0)
    assert mig.annual_change(obs, prefer=["D01", "S01"])["growth_pct_per_year"].iloc[0] == pytest.approx(10.0)


def test_window_change_states_why_a_unit_is_not_measured():
    obs = pd.concat(
        [
            rows(("KG-B", 2012, 100.0), ("KG-B", 2021, 120.0)),
            rows(("KG-N", 2012, 100.0), ("KG-N", 2021, 90.0)),
            rows(("KG-C", 2012, 800.0), ("KG-C", 2021, 900.0, {"vintage": "v2"})),
            rows(("KG-T", 2012, 200.0)),
        ]
    )
    w = mig.window_change(obs, 2012, 2021, codes=["KG-B", "KG-N", "KG-C", "KG-T", "KG-Y"]).set_index("code")
    assert w.loc["KG-B", "growth_pct_per_year"] == pytest.approx((1.2 ** (1 / 9) - 1) * 100)
    assert not w.loc["KG-B", "depopulating"] and w.loc["KG-N", "depopulating"]
    assert w.loc["KG-C", "status"] == "break" and "v1" in w.loc["KG-C", "reason"]
    assert w.loc["KG-T", "status"] == "missing" and np.isnan(w.loc["KG-T", "growth_pct_per_year"])
    assert w.loc["KG-Y", "status"] == "missing"
    flag = mig.depopulation(obs, 2012, 2021)
    assert flag["KG-N"] and not flag["KG-B"] and pd.isna(flag["KG-C"])
    with pytest.raises(ParameterError, match="window"):
        mig.window_change(obs, 2021, 2012)


def test_coverage_reports_missing_cells_without_padding():
    obs = rows(("KG-B", 2012, 1.0), ("KG-B", 2014, 1.0), ("KG-N", 2013, 1.0))
    cov = mig.coverage(obs, years=[2012, 2013, 2014])
    assert len(cov) == 6 and cov["missing"].sum() == 3
    assert cov.set_index(["code", "year"]).loc[("KG-B", 2013), "missing"]
    assert cov.set_index(["code", "year"]).loc[("KG-B", 2012), "sources"] == "D01 (v1; b1)"


# ----------------------------------------------------------------------------------------- balance
S09 = dict(source_id="S09", vintage="post-2022-census revision", boundaries="national")


def national_s09() -> pd.DataFrame:
    """NSC open data 316 (SOURCES.md S09) as published: population (thousand), births, deaths, migrants."""
    pop = {2021: 6789.6, 2022: 6912.9, 2023: 7037.6, 2024: 7161.9, 2025: 7281.8}
    ev = {
        "births": {2021: 150164, 2022: 150225, 2023: 145977, 2024: 140419},
        "deaths": {2021: 38875, 2022: 31401, 2023: 31500, 2024: 31710},
        "migration_arrivals_external": {2021: 8229, 2022: 12444, 2023: 14453, 2024: 14669},
        "migration_departures_external": {2021: 8998, 2022: 6527, 2023: 4610, 2024: 3461},
    }
    out = [rows(*[("KG", y, v) for y, v in pop.items()], **S09)]
    for ind, series in ev.items():
        out.append(rows(*[("KG", y, float(v)) for y, v in series.items()], indicator=ind, unit="persons", **S09))
    return pd.concat(out, ignore_index=True)


def test_residual_net_migration_by_hand_and_against_registered_flows():
    bal = mig.demographic_balance(national_s09()).set_index("year")
    # 2022: ΔP = 7 037 600 − 6 912 900 = 124 700; NI = 150 225 − 31 401 = 118 824; M = 5 876
    assert bal.loc[2022, "natural_increase"] == 118_824
    assert bal.loc[2022, "net_migration_residual"] == pytest.approx(5_876)
    assert bal.loc[2022, "net_migration_rate"] == pytest.approx(1000 * 5_876 / ((6_912_900 + 7_037_600) / 2))
    assert bal.loc[2022, "natural_increase_rate"] == pytest.approx(1000 * 118_824 / 6_975_250)
    # independent check: registered external net migration (arrivals − departures) from the same table
    flows = mig.migration_flows(national_s09()).set_index("year")
    assert flows.loc[2022, "net_external"] == 12_444 - 6_527
    for year in (2022, 2023, 2024):  # the residual and the registered balance agree within 0.01 per 1 000
        diff = bal.loc[year, "net_migration_rate"] - flows.loc[year, "net_rate_external"]
        assert abs(diff) < 0.01
    # 2021→2022 does not agree (+12 011 residual vs −769 registered): the census year; shown, not hidden
    assert bal.loc[2021, "net_migration_residual"] == pytest.approx(123_300 - 111_289)


def test_residual_refused_when_population_and_events_differ_in_vintage():
    obs = national_s09()
    obs.loc[obs["indicator"] == POP, ["source_id", "vintage"]] = ["D01", "pre-2022-census estimate"]
    bal = mig.demographic_balance(obs)
    assert bal["net_migration_residual"].isna().all()
    assert bal["basis"].str.contains("differ in table/vintage").all()
    assert bal["natural_increase"].notna().all()


def test_bad_input_is_a_clear_error():
    obs = national_s09()
    with pytest.raises(DataError, match=r'row 7, column "value": found "-1.0"; expected a non-negative count'):
        mig.demographic_balance(obs.assign(value=np.where(obs.index == 5, -1.0, obs["value"])))
    with pytest.raises(DataError, match=r'column "code": found "KG-X"'):
        mig.population_change(rows(("KG-X", 2020, 1.0)))
    with pytest.raises(DataError, match=r'column "value": found "abc"'):
        mig.population_change(rows(("KG-B", 2020, "abc")))
    with pytest.raises(DataError, match="columns code, year, indicator, value"):
        mig.population_change(pd.DataFrame({"code": ["KG-B"], "year": [2020]}))
    with pytest.raises(DataError, match="twice"):
        mig.population_change(rows(("KG-B", 2020, 1.0), ("KG-B", 2020, 2.0)))
    with pytest.raises(mig.MigrationInputError, match="missing population"):
        mig.growth_rate(float("nan"), 100.0, 1)
    with pytest.raises(mig.MigrationInputError, match="pop_from"):
        mig.rate_per_1000(10, 0, 100)
    with pytest.raises(mig.MigrationInputError, match="births"):
        mig.natural_increase(-3, 1)
    with pytest.raises(mig.MigrationInputError, match="departures missing"):
        mig.migration_flows(rows(("KG-B", 2020, 5.0), indicator="migration_arrivals", unit="persons"))
    with pytest.raises(DataError, match='column "unit": found "households"'):
        mig.demographic_balance(obs.assign(unit=np.where(obs["indicator"] == POP, "households", obs["unit"])))


def test_summary_prefers_the_registered_net_and_keeps_the_residual():
    s = mig.demographic_summary(national_s09()).set_index("year")
    assert list(s.index) == [2021, 2022, 2023, 2024] and (s["method"] == "registered").all()
    # 2024: immigrants − emigrants = 14 669 − 3 461; mean population (7 161 900 + 7 281 800) / 2
    assert s.loc[2024, "net_migration"] == 11_208 and s.loc[2024, "net_migration_residual"] == pytest.approx(11_191)
    assert s.loc[2024, "net_migration_rate"] == pytest.approx(1000 * 11_208 / 7_221_850)
    assert s.loc[2021, "net_migration"] == -769  # the census year: residual +12 011, shown in the basis
    assert "+12,011" in s.loc[2021, "basis"] and "immigrants − emigrants (S09)" in s.loc[2021, "basis"]
    assert s.loc[2023, "natural_increase"] == 145_977 - 31_500


def test_summary_falls_back_to_the_residual_and_never_invents_a_rate():
    obs = national_s09()
    only_events = obs[~obs["indicator"].str.startswith("migration_")]
    s = mig.demographic_summary(only_events).set_index("year")
    assert (s["method"] == "residual").all() and s.loc[2022, "net_migration"] == pytest.approx(5_876)
    no_2025 = obs[~((obs["indicator"] == POP) & (obs["year"] == 2025))]
    s = mig.demographic_summary(no_2025).set_index("year")
    assert s.loc[2024, "net_migration"] == 11_208 and np.isnan(s.loc[2024, "net_migration_rate"])
    assert "no rate: no population for 2024 and 2025 in S09" in s.loc[2024, "basis"]


def test_summary_of_an_oblast_ignores_external_only_flows_and_never_mixes_tables():
    oblast = national_s09().assign(code="KG-B")
    s = mig.demographic_summary(oblast, code="KG-B").set_index("year")
    assert s["net_migration_registered"].isna().all() and (s["method"] == "residual").all()
    two = pd.concat([national_s09(), national_s09().assign(source_id="S99")], ignore_index=True)
    with pytest.raises(ParameterError, match="S09, S99"):
        mig.demographic_summary(two)
    assert mig.demographic_summary(two, source="S99")["source_id"].eq("S99").all()
    with pytest.raises(mig.MigrationInputError, match="no births, deaths, arrivals or departures"):
        mig.demographic_summary(rows(("KG", 2021, 6789.6)))


def test_shipped_national_net_migration_from_nsc_316():
    from lsg_analysis import load_indicators

    s = mig.demographic_summary(load_indicators(source="all"), source="S09").set_index("year")
    assert s["net_migration"].to_dict() == {2021: -769.0, 2022: 5_917.0, 2023: 9_843.0, 2024: 11_208.0}
    assert (s["source_id"] == "S09").all() and (s["method"] == "registered").all()
    assert s.loc[2022, "net_migration_rate"] == pytest.approx(1000 * 5_917 / ((6_912_900 + 7_037_600) / 2))


# ----------------------------------------------------------------------------------------- NSC open-data path
def nsc_json(title: str, values: dict[str, dict[int, int]]) -> str:
    """A response in the NSC open-data layout (stat.gov.kg/ru/opendata/category/<id>/json)."""
    return json.dumps(
        {
            "title": title,
            "units": "человек",
            "data": [
                {
                    "pk": i,
                    "priority": i,
                    "title_ru": name,
                    "title_kg": "",
                    "title_en": "",
                    "values": [{"key": y, "value": v} for y, v in vals.items()],
                }
                for i, (name, vals) in enumerate(values.items(), start=1)
            ],
        },
        ensure_ascii=False,
    )


def test_migration_table_in_nsc_layout_flows_through_the_catalogue(tmp_path):
    from lsg_analysis.data import catalogue, tidy

    arrivals = {"Баткенская область": {2022: 1200, 2023: 1100}, "г.Бишкек": {2022: 9000, 2023: 9500}}
    departures = {"Баткенская область": {2022: 3400, 2023: 3600}, "г.Бишкек": {2022: 2500, 2023: 2600}}
    (tmp_path / "nsc").mkdir()
    (tmp_path / "nsc" / "arr.json").write_text(nsc_json("Прибывшие", arrivals), encoding="utf-8")
    (tmp_path / "nsc" / "dep.json").write_text(nsc_json("Выбывшие", departures), encoding="utf-8")
    defs = {f"{b}_internal": {"unit": "persons", "kind": "count"} for b in (mig.ARRIVALS, mig.DEPARTURES)}
    frames = []
    for fid, file, ind in (
        ("T-ARR", "nsc/arr.json", "migration_arrivals_internal"),
        ("T-DEP", "nsc/dep.json", "migration_departures_internal"),
    ):
        entry = catalogue._entry(
            {
                "id": fid,
                "file": file,
                "layout": "nsc_opendata_json",
                "indicator": ind,
                "unit": "persons",
                "level": 1,
                "years": "2022-2023",
                "table": "test",
                "totals": "all",
                "vintage": "test",
                "boundaries": "pre-2024 reform",
                "caveats": "",
            },
            "test",
        )
        corrections = pd.DataFrame(columns=list(catalogue.CORRECTION_COLUMNS))
        frames.append(
            tidy.tidy_table(
                entry, raw_dir=tmp_path, corrections=corrections, indicator_defs=defs, resolve=tidy.registry_resolver()
            )
        )
    obs = pd.concat(frames + [rows(("KG-B", 2022, 570.9), ("KG-B", 2023, 581.0))], ignore_index=True)
    flows = mig.migration_flows(obs).set_index(["code", "year"])
    assert flows.loc[("KG-B", 2022), "net_internal"] == 1200 - 3400
    assert flows.loc[("KG-GB", 2023), "net_internal"] == 9500 - 2600
    assert flows.loc[("KG-B", 2022), "net_rate_internal"] == pytest.approx(1000 * -2200 / 575_950)
    assert np.isnan(flows.loc[("KG-B", 2023), "net_rate_internal"])  # no 2024 population: no mean population


# ----------------------------------------------------------------------------------------- border vs interior
def test_compare_groups_by_hand():
    v = pd.Series({"a": 1.0, "b": 2.0, "c": 3.0, "d": 10.0})
    flag = pd.Series({"a": False, "b": False, "c": True, "d": True})
    w = pd.Series({"a": 1.0, "b": 3.0, "c": 1.0, "d": 1.0})
    res = bi.compare_groups(v, flag, w, measure="x").set_index("weighting")
    assert res.loc["unweighted", "border"] == 6.5 and res.loc["unweighted", "interior"] == 1.5
    assert res.loc["unweighted", "gap"] == 5.0 and res.loc["unweighted", "cliffs_delta"] == 1.0
    assert res.loc["unweighted", "p"] == pytest.approx(1 / 3)  # exact Mann-Whitney, 2 vs 2, two-sided
    assert res.loc["population", "interior"] == pytest.approx((1 + 6) / 4)
    # exact permutation: 6 relabellings; |gap| as large as observed only for the observed split and its mirror
    assert res.loc["population", "p"] == pytest.approx(2 / 6)
    assert res["n_border"].tolist() == [2, 2] and res["n_interior"].tolist() == [2, 2]


def test_permutation_is_seeded_and_monte_carlo_when_large():
    rng_vals = np.random.default_rng(1)
    v = pd.Series(rng_vals.normal(size=40), index=[f"u{i}" for i in range(40)])
    flag = pd.Series(np.arange(40) < 15, index=v.index)
    w = pd.Series(1.0, index=v.index)
    a = bi.compare_groups(v, flag, w, n_perm=199, rng=7)
    b = bi.compare_groups(v, flag, w, n_perm=199, rng=7)
    assert a.equals(b) and "199 random" in a.loc[1, "test"]
    # equal weights: the weighted gap equals the unweighted gap
    assert a.loc[1, "gap"] == pytest.approx(a.loc[0, "gap"])


def test_rank_correlation_exact_and_errors():
    v = pd.Series({"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0})
    res = bi.rank_correlation(
        v, pd.Series({"a": 10.0, "b": 20.0, "c": 30.0, "d": 40.0}), measure="x", exposure_name="e"
    ).iloc[0]
    assert res["rho"] == pytest.approx(1.0)
    assert res["p"] == pytest.approx(2 / 24)  # only the identity and the reversal reach |rho| = 1 among 4! orders
    with pytest.raises(
        bi.GroupInputError,
        match=re.escape("measure, column 'values': found ['b', 'c', 'd']; expected a value and an e for every unit"),
    ):
        bi.rank_correlation(v, pd.Series({"a": 1.0}), exposure_name="e")
    with pytest.raises(
        bi.GroupInputError,
        match=re.escape("x, column 'values': found '2 units'; expected at least 3 units for a rank correlation"),
    ):
        bi.rank_correlation(v[:2], v[:2], measure="x")


@pytest.mark.parametrize("n", [5, 9, 53])
def test_permuted_correlations_equal_corrcoef_bit_for_bit(n):
    """The one-product permutation correlations are np.corrcoef's values exactly (ranks with ties included), so the
    permutation p of rank_correlation is the one of a corrcoef per ordering."""
    from scipy import stats

    from lsg_analysis.measures.groups import permuted_correlations

    gen = np.random.default_rng(n)
    x = stats.rankdata(gen.integers(0, n // 2 + 1, n))  # ties: half ranks
    y = stats.rankdata(gen.normal(size=n))
    perms = np.stack([gen.permutation(n) for _ in range(500)])
    expected = np.array([np.corrcoef(x[p], y)[0, 1] for p in perms])
    assert np.array_equal(permuted_correlations(x, y, perms), expected)


@pytest.mark.parametrize("n", [2, 9, 55])
def test_permutations_are_the_draws_of_one_permutation_call_each(n):
    """core.rng.permutations: the orderings (and the generator's state after them) of as many gen.permutation
    calls, for an index, a float, a bool and a code array, so permutation tests keep their numbers."""
    from lsg_analysis.core.rng import generator, permutations

    arrays = [np.arange(n), np.linspace(0.5, 9.0, n), np.arange(n) % 3 == 0, np.arange(n) % 4]
    for a in arrays:
        one, batch = generator(20261125), generator(20261125)
        expected = np.stack([one.permutation(a) for _ in range(200)])
        assert np.array_equal(a[permutations(batch, n, 200)], expected)
        assert one.integers(2**40) == batch.integers(2**40)


def test_compare_groups_errors():
    """The kernels' own error (measures.groups), not a migration error: measure, input, units found, expected."""
    assert issubclass(bi.GroupInputError, LsgError) and not issubclass(bi.GroupInputError, mig.MigrationInputError)
    v = pd.Series({"a": 1.0, "b": np.nan})
    with pytest.raises(
        bi.GroupInputError,
        match=re.escape(
            "measure, column 'values': found ['b']; expected a value for every unit (drop units without a value "
            "before comparing, and state it)"
        ),
    ):
        bi.compare_groups(v, pd.Series({"a": True, "b": False}))
    with pytest.raises(
        bi.GroupInputError, match=re.escape("g, column 'is_border': found ['b']; expected a border flag for every unit")
    ):
        bi.compare_groups(pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": True}), measure="g")
    with pytest.raises(
        bi.GroupInputError,
        match=re.escape(
            "measure, column 'is_border': found '2 border and 0 interior'; expected at least one border and one "
            "interior unit"
        ),
    ):
        bi.compare_groups(pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": True, "b": True}))
    with pytest.raises(
        bi.GroupInputError,
        match=re.escape("measure, column 'weights': found ['b']; expected a positive weight for every unit"),
    ):
        bi.compare_groups(
            pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": True, "b": False}), pd.Series({"a": 1.0, "b": 0.0})
        )


def test_border_vs_interior_with_given_data_and_flags():
    obs = pd.concat(
        [
            rows(*[(c, 2012, p0) for c, p0 in [("KG-B", 100.0), ("KG-J", 200.0), ("KG-GB", 300.0), ("KG-GO", 50.0)]]),
            rows(*[(c, 2021, p1) for c, p1 in [("KG-B", 121.0), ("KG-J", 210.0), ("KG-GB", 330.0), ("KG-GO", 56.0)]]),
            rows(
                *[(c, 2022, v) for c, v in [("KG-B", 40.0), ("KG-J", 30.0), ("KG-GB", 10.0), ("KG-GO", 20.0)]],
                indicator="poverty_rate",
                unit="percent",
                source_id="S03",
            ),
            rows(
                *[(c, 2022, p) for c, p in [("KG-B", 120.0), ("KG-J", 211.0), ("KG-GB", 331.0), ("KG-GO", 56.0)]],
                vintage="v2",
            ),
        ],
        ignore_index=True,
    )
    flags = pd.Series({"KG-B": True, "KG-J": True, "KG-GB": False, "KG-GO": False})
    exposure = pd.DataFrame(
        {"perimeter_share": [0.8, 0.5, 0.0, 0.0], "dist_km": [10.0, 70.0, 20.0, 3.0]}, index=flags.index
    )
    res = bi.border_vs_interior(1, obs=obs, flags=flags, windows=[(2012, 2021)], exposure=exposure, rng=20261125)
    g = res[(res["measure"].str.startswith("population growth")) & (res["weighting"] == "unweighted")].iloc[0]
    growth = {
        c: (p1 / p0) ** (1 / 9) * 100 - 100
        for c, p0, p1 in [("KG-B", 100, 121), ("KG-J", 200, 210), ("KG-GB", 300, 330), ("KG-GO", 50, 56)]
    }
    assert g["border"] == pytest.approx((growth["KG-B"] + growth["KG-J"]) / 2)
    assert g["n_border"] == 2 and g["n_interior"] == 2
    pov = res[(res["measure"] == "poverty_rate (%)") & (res["weighting"] == "population")].iloc[0]
    assert pov["border"] == pytest.approx((40 * 120 + 30 * 211) / 331)
    rho = res[res["measure"] == "population growth, % per year vs dist_km"].iloc[0]
    # growth ranks J 1, GB 2, GO 3, B 4 against distance ranks GO 1, B 2, GB 3, J 4:
    # rank differences d = −3, −1, 2, 2 → rho = 1 − 6·Σd²/(n(n²−1)) = 1 − 6·18/60 = −0.8
    d = np.array([1 - 4, 2 - 3, 3 - 1, 4 - 2])
    assert rho["rho"] == pytest.approx(1 - 6 * (d**2).sum() / (4 * 15)) == pytest.approx(-0.8)
    assert rho["n_border"] == 4 and "exact" in rho["test"]
    assert res["measure"].str.startswith("net migration").any()
    assert res.loc[res["measure"].str.startswith("net migration"), "note"].str.contains("no migration").all()
    # stable ids: every row names its measure by id, rank correlations their exposure
    assert set(res["measure_id"]) == {"population_growth", "poverty_rate", "net_migration_rate"}
    assert res.loc[res["weighting"] == "rank correlation", "exposure"].tolist() == ["perimeter_share", "dist_km"] * 2
    assert res.loc[res["weighting"] != "rank correlation", "exposure"].isna().all()
    # headline metrics: border − interior of the population-weighted row, as recorded by notebook 02
    hm = bi.headline_metrics(res)
    w_int = (20 * 56 + 10 * 331) / 387
    assert hm["poverty_gap_pp"]["value"] == pytest.approx(pov["border"] - w_int)
    assert hm["poverty_interior_pct"]["value"] == pytest.approx(w_int)
    assert hm["poverty_measure"]["value"] == "poverty_rate" and hm["poverty_gap_pp"]["year"] == "2022"
    assert "population, exact permutation" in hm["poverty_gap_p"]["note"]
    assert (hm["poverty_n_border"]["value"], hm["poverty_n_interior"]["value"]) == (2, 2)
    unweighted = bi.headline_metrics(res[res["weighting"] != "population"])
    assert unweighted["poverty_gap_pp"]["value"] == pytest.approx((40 + 30) / 2 - (10 + 20) / 2)
    none = bi.headline_metrics(res[res["measure_id"] != "poverty_rate"])
    assert none["poverty_gap_pp"]["value"] is None and "not measured" in none["poverty_gap_pp"]["note"]
    assert none["poverty_n_border"]["value"] is None


# ----------------------------------------------------------------------------------------- shipped data
def _project_or_skip():
    """The shipped processed data (committed with the project, so never absent: a failure here is a break)."""
    from lsg_analysis import load_indicators
    from lsg_analysis.data import series

    return load_indicators(source="all"), series.read_breaks()


def test_shipped_population_series_respects_the_known_breaks():
    obs, breaks = _project_or_skip()
    ann = mig.annual_change(obs, breaks=breaks)
    pairs = set(zip(ann["code"], ann["year_from"]))
    assert not any(y == 2020 for _, y in pairs)  # census-revision step never read as growth
    for code in ("KG-C", "KG-GB", "KG-O", "KG-GO"):  # 2024 reform never read as growth
        assert (code, 2023) not in pairs
    assert ("KG-B", 2023) in pairs  # an oblast the reform did not touch
    w = mig.window_change(obs, 2012, 2020, breaks=breaks, codes=["KG", "KG-N"]).set_index("code")
    assert w.loc["KG", "growth_pct_per_year"] == pytest.approx(((6523.5 / 5551.9) ** (1 / 8) - 1) * 100)
    assert w.loc["KG-N", "source_id"] == "D01" and not w.loc["KG-N", "depopulating"]
    cov = mig.coverage(obs, codes=["KG-B"], years=range(2010, 2027))
    assert cov.loc[cov["year"] < 2012, "missing"].all() and not cov.loc[cov["year"] >= 2012, "missing"].any()


def test_both_levels_records_oblast_and_rural_rayon_comparisons_with_the_interior_units():
    """One table with a level column; comparison_metrics gives growth_* (oblast), rayon_poverty_* with n, and the
    oblast-level interior units by code — values computed by hand (SYNTHETIC data)."""
    ray = ["KG02205000000", "KG02210000000", "KG02215000000", "KG02220000000"]
    obs = pd.concat(
        [
            rows(*[(c, 2012, p0) for c, p0 in [("KG-B", 100.0), ("KG-J", 200.0), ("KG-GB", 300.0), ("KG-GO", 50.0)]]),
            rows(*[(c, 2020, p1) for c, p1 in [("KG-B", 110.0), ("KG-J", 210.0), ("KG-GB", 340.0), ("KG-GO", 60.0)]]),
            rows(
                *[(c, 2020, v) for c, v in zip(ray, [10.0, 20.0, 40.0, 50.0])],
                indicator="rayon_poverty_rate",
                unit="percent",
                source_id="S12",
            ),
            rows(
                *[(c, 2021, w) for c, w in zip(ray, [1000.0, 3000.0, 2000.0, 2000.0])],
                indicator="population_rayon_2021",
                unit="persons",
                source_id="S13",
            ),
        ],
        ignore_index=True,
    )
    flags = {
        1: pd.Series({"KG-B": True, "KG-J": True, "KG-GB": False, "KG-GO": False}),
        2: pd.Series(dict(zip(ray, [True, True, False, False]))),
    }
    exposure = {
        lvl: pd.DataFrame(
            {"perimeter_share": np.linspace(0, 1, len(f)), "dist_km": np.arange(len(f)) + 1.0}, index=f.index
        )
        for lvl, f in flags.items()
    }
    bvi = bi.both_levels(
        obs=obs, windows=[(2012, 2020)], poverty_year=2020, n_perm=999, rng=3, flags=flags, exposure=exposure
    )
    assert set(bvi["level"]) == {"oblast", "rayon"}
    assert set(bvi.loc[bvi["level"] == "rayon", "measure_id"]) >= {"rayon_poverty_rate"}
    m = bi.comparison_metrics(bvi, flags[1])
    weighted_border = (10 * 1000 + 20 * 3000) / 4000  # 17.5
    weighted_interior = (40 * 2000 + 50 * 2000) / 4000  # 45.0
    assert m["rayon_poverty_border_pct"]["value"] == pytest.approx(weighted_border)
    assert m["rayon_poverty_interior_pct"]["value"] == pytest.approx(weighted_interior)
    assert m["rayon_poverty_gap_pp"]["value"] == pytest.approx(weighted_border - weighted_interior)
    assert m["rayon_poverty_effect_size"]["value"] == pytest.approx(-1.0)
    # exact permutation over C(4, 2) = 6 relabellings: only the observed split and its mirror are as extreme
    assert m["rayon_poverty_gap_p"]["value"] == pytest.approx(2 / 6)
    assert m["rayon_poverty_gap_p"]["year"] == "2020" and "not comparable" in m["rayon_poverty_gap_pp"]["note"]
    assert (m["n_border_rayons"]["value"], m["n_interior_rayons"]["value"]) == (2, 2)
    assert m["interior_units"]["value"] == "KG-GB,KG-GO" and "Bishkek" in m["interior_units"]["note"]
    growth_b = ((110 / 100) ** (1 / 8) - 1) * 100 * 100 / 300 + ((210 / 200) ** (1 / 8) - 1) * 100 * 200 / 300
    assert m["growth_border_pct"]["value"] == pytest.approx(growth_b)
    assert m["poverty_border_pct"]["value"] is None  # no oblast poverty in the data: missing, not filled
    assert {v["group"] for v in m.values()} == {"growth", "poverty", "rayon_poverty", "interior"}
    # the rayon stream is its own: more oblast windows do not change the rayon p
    more = bi.both_levels(
        obs=obs,
        windows=[(2012, 2020), (2012, 2020)],
        poverty_year=2020,
        n_perm=999,
        rng=3,
        flags=flags,
        exposure=exposure,
    )
    key = ["measure", "weighting", "p", "rho"]
    assert (
        more[more["level"] == "rayon"][key]
        .reset_index(drop=True)
        .equals(bvi[bvi["level"] == "rayon"][key].reset_index(drop=True))
    )


def test_comparison_metrics_missing_rayon_data_stays_missing():
    bvi = (
        pd.DataFrame([bi._missing_row("rayon_poverty_rate", 2, "2020", "no rayon_poverty_rate for 2020")])
        .reindex(columns=bi.COLUMNS)
        .assign(level="rayon")
    )
    m = bi.comparison_metrics(bvi, pd.Series({"KG-B": True, "KG-GB": False}))
    assert m["rayon_poverty_gap_pp"]["value"] is None and m["n_border_rayons"]["value"] is None
    assert "no rayon_poverty_rate" in m["rayon_poverty_gap_pp"]["note"]
    assert m["interior_units"]["value"] == "KG-GB"


def test_shipped_border_vs_interior_states_n():
    _project_or_skip()
    res = bi.border_vs_interior(1, n_perm=999, rng=20261125)
    measured = res[res["weighting"].notna()]
    assert ((measured["n_border"] + measured["n_interior"]) == 9).all()
    assert set(res.loc[res["weighting"].isna(), "measure"]) >= {"net migration per 1000"}
    rayon = bi.border_vs_interior(2, n_perm=999, rng=20261125)
    pov = rayon[rayon["measure"] == "rayon_poverty_rate (%)"]
    assert (pov["n_border"] + pov["n_interior"] == 40).all()


def test_population_levels_side_by_side_without_growth():
    obs = pd.concat(
        [
            rows(
                ("KG02220000000", 2022, 59_876.0),
                ("KG08203000000+KG-GB", 2022, 1_315_208.0),
                indicator="population_census_2022",
                unit="persons",
                source_id="DM_CENSUS2022",
            ),
            rows(("KG02220000000", 2021, 61_000.0), indicator="population_rayon_2021", unit="persons", source_id="S13"),
        ]
    )
    lv = mig.population_levels(obs).set_index("code")
    assert lv.loc["KG02220000000", "population_census_2022"] == 59_876
    assert lv.loc["KG02220000000", "population_rayon_2021"] == 61_000
    assert lv.loc["KG08203000000+KG-GB", "composite"] and not lv.loc["KG02220000000", "composite"]
    assert np.isnan(lv.loc["KG08203000000+KG-GB", "population_rayon_2021"])
    assert not any("growth" in c for c in lv.columns)


def test_border_population_share_brackets_composites():
    pops = pd.Series({"KG02220000000": 60.0, "KG08203000000+KG-GB": 1300.0, "KG04210000000": 40.0})
    flags = pd.Series({"KG02220000000": True, "KG08203000000": True, "KG-GB": False, "KG04210000000": False})
    share = bi.border_population_share(pops, flags)
    assert share["lower"] == pytest.approx(60 / 1400) and share["upper"] == pytest.approx(1360 / 1400)
    assert share["n_composite"] == 1
    with pytest.raises(
        bi.GroupInputError,
        match=re.escape(
            "border population share, column 'flags': found ['KG-GB']; expected a border flag for every member of "
            "KG08203000000+KG-GB"
        ),
    ):
        bi.border_population_share(pops, flags.drop("KG-GB"))


def test_border_vs_interior_rejects_a_bad_level():
    with pytest.raises(ParameterError, match="level"):
        bi.border_vs_interior(3, obs=rows(("KG-B", 2012, 1.0)), flags=pd.Series({"KG-B": True}))
