"""Every inequality headline reports its sensitivity to flagged cells (lsg_analysis.analysis.flagged, headlines).

The measures without the flagged cells are recomputed here independently (the cells dropped by hand, Theil T by
lsg_analysis.measures.inequality, a border gap as two weighted means); headlines show both values only when they
differ materially (headlines.MATERIAL), in brief and dashboard alike.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lsg_analysis.analysis import flagged, imbalance_panel
from lsg_analysis.analysis import border_interior
from lsg_analysis.core import paths
from lsg_analysis.data import processed, series
from lsg_analysis.geo import border
from lsg_analysis.measures import inequality
from lsg_analysis.outputs import brief, flag_texts, headlines
from lsg_analysis.outputs.brief import content
from lsg_analysis.runs import record
from lsg_analysis.runs.results import Results, validate

texts = importlib.import_module("lsg_analysis.outputs.dashboard.texts")
FIXTURES = Path(__file__).parent / "fixtures" / "brief_results"
KARA_KULJA, ISSYK_KUL_RAYON, TOKTOGUL = "KG06246000000", "KG02215000000", "KG03225000000"


@pytest.fixture(scope="module")
def rayon() -> tuple:
    """Rural-rayon poverty 2012-2020: three cells flagged (Kara-Kulja and Issyk-Kul rayon 2012, Toktogul 2016)."""
    panel = imbalance_panel.usable(imbalance_panel.imbalance_panel("rayon_poverty_rate", "rayon", 2012, 2020))
    trend = imbalance_panel.imbalance_trend(panel, n_boot=0, seed=1)
    return panel, trend, flagged.panel_sensitivity(panel)


def test_the_flagged_cells_of_a_panel_are_those_of_flags_csv(rayon):
    panel, _, sens = rayon
    on_disk = pd.read_csv(paths.PROCESSED / "flags.csv", dtype={"code": str})
    mine = on_disk[(on_disk["indicator"] == "rayon_poverty_rate") & (on_disk["default_series"] == "yes")]
    assert sorted(zip(sens.cells["code"], sens.cells["year"], sens.cells["rule"])) == sorted(
        zip(mine["code"], mine["year"], mine["rule"])
    )
    assert sens.n_cells == 3 and len(sens.cells) == 4  # Kara-Kulja 2012: spike and peer_outlier
    assert {(KARA_KULJA, 2012, 2.5), (TOKTOGUL, 2016, 7.4)} <= set(
        zip(sens.cells["code"], sens.cells["year"], sens.cells["value"])
    )
    assert panel.values.at[KARA_KULJA, 2012] == 2.5  # the analysis uses the published value


def test_theil_without_the_flagged_cells_is_recomputed_independently(rayon):
    panel, trend, sens = rayon
    values = panel.values.copy()
    for code, year in ((KARA_KULJA, 2012), (ISSYK_KUL_RAYON, 2012), (TOKTOGUL, 2016)):
        values.at[code, year] = np.nan
    for year in values.columns:
        keep = values[year].notna()
        expected = float(inequality.theil(values.loc[keep, year], panel.population.loc[keep, year]))
        assert sens.theil[year] == pytest.approx(expected, rel=1e-12)
    with_all = trend.set_index("year")["theil"]
    assert sens.theil[2012] < 0.85 * with_all[2012]  # the two 2012 dips raise Theil T by a fifth
    assert sens.theil[2020] == pytest.approx(with_all[2020], rel=1e-12)  # no flag in 2020
    last = values[2020].dropna()
    assert sens.max_min_last == pytest.approx(last.max() / last.min())


def test_the_record_and_the_headline_show_both_values_only_when_material(rayon):
    panel, trend, sens = rayon
    res = Results("01_imbalance", {})
    record.record_theil_change(res, trend, panel.breaks, panel.sources)
    record.record_sensitivity(res, trend, panel.breaks, sens, panel.sources)
    m = {k: v["value"] for k, v in res.metrics.items()}
    u, t = sens.theil, trend.set_index("year")["theil"]
    assert m["n_flagged_cells"] == 3
    assert m["theil_change_pct_unflagged"] == pytest.approx((u[2020] / u[2012] - 1) * 100)
    assert m["theil_change_pct"] == pytest.approx((t[2020] / t[2012] - 1) * 100)
    results = validate(
        {"schema": "lsg-results/1", "notebook": "01_imbalance", "metrics": res.metrics, "tables": res.tables},
        "rayon",
    )
    results["metrics"]["theil_last"] = {"value": t[2020]}
    results["metrics"]["year_first"], results["metrics"]["year_last"] = {"value": 2012}, {"value": 2020}
    s = headlines.sensitivity(results)
    assert [c.code for c in s.cells] == [ISSYK_KUL_RAYON, KARA_KULJA, TOKTOGUL]
    assert s.cells[1].rules == ("peer_outlier", "spike")
    assert not s.theil_last.material  # 2020 has no flagged cell
    assert s.change.material and m["theil_change_pct_unflagged"] > 3 * m["theil_change_pct"]  # +37.5 % vs +10.1 %


@pytest.mark.parametrize(
    "value, unflagged, change, material",
    [
        (0.200, 0.219, False, False),  # 9.5 % apart
        (0.200, 0.221, False, True),  # 10.5 %
        (10.0, 20.0, True, False),  # factors 1.10 and 1.20: 9.1 % apart
        (10.0, 22.0, True, True),  # 1.10 and 1.22: 10.9 %
        (1.0, -0.5, True, True),  # a change of sign
        (0.0, 0.0, True, False),
        (0.2, None, False, True),  # not computable without the flagged cells
        (None, None, False, False),
    ],
)
def test_material_means_more_than_ten_percent_apart_or_another_sign(value, unflagged, change, material):
    assert headlines.MATERIAL == 0.10
    assert headlines.differs(value, unflagged, change=change) is material


def _imbalance_results(unflagged_theil: float, unflagged_change: float) -> dict:
    res = json.loads((FIXTURES / "01_imbalance.json").read_text(encoding="utf-8"))
    m = res["metrics"]
    extra = {
        "n_flagged_cells": (1, "cells"),
        "theil_last_unflagged": (unflagged_theil, "index"),
        "theil_change_pct_unflagged": (unflagged_change, "percent"),
        "theil_change_pct_unbroken_unflagged": (unflagged_change, "percent"),
        "max_min_ratio_last_unflagged": (m["max_min_ratio_last"]["value"], "ratio"),
    }
    for key, (v, unit) in extra.items():
        m[key] = {"value": v, "unit": unit, "year": None, "sources": ["T1"], "note": ""}
    res["tables"]["flagged"] = {
        "columns": ["code", "year", "indicator", "source_id", "value", "rule", "note"],
        "rows": [["KG-O", m["year_last"]["value"], m["indicator"]["value"], "T1", 1.0, "last_year", "n"]],
        "sources": ["T1"],
        "note": "",
    }
    return validate(res, "fixture with flags")


def _brief(imb: dict, lang: str) -> dict:
    res = {nb: json.loads((FIXTURES / f"{nb}.json").read_text(encoding="utf-8")) for nb in brief.NOTEBOOKS}
    return content.brief_content(lang, {**res, "01_imbalance": imb}, dt.date(2026, 12, 1))


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_brief_and_dashboard_show_both_values_only_when_they_differ_materially(lang):
    base = json.loads((FIXTURES / "01_imbalance.json").read_text(encoding="utf-8"))["metrics"]
    theil, change = base["theil_last"]["value"], headlines.theil_change({"metrics": base}).value
    near = _imbalance_results(theil * 1.05, change)
    far = _imbalance_results(theil * 1.5, change)
    card = flag_texts.card_note(headlines.Sensitive(1, 2, True), "", lang).split(":")[0]
    for imb, shown in ((near, False), (far, True)):
        c = _brief(imb, lang)
        details = [f["detail"] for f in c["findings"]]
        assert (card in details[0]) is shown and card not in details[1]
        assert c["sensitivity"] == flag_texts.sensitivity_line(headlines.sensitivity(imb), lang)
        assert flag_texts.cells_text(headlines.flagged_cells(imb), lang) in c["flag_note"]
        kpi = texts._flag_kpi_notes(texts.Text(lang), imb, texts._trend_kpis(texts.Text(lang), imb))
        assert (card in kpi[0]["note"]) is shown and card not in kpi[1]["note"]
    material = _brief(far, lang)["sensitivity"]
    assert material != _brief(near, lang)["sensitivity"] and flag_texts.threshold(lang)[:2] == "10"


def test_results_without_the_record_say_nothing():
    old = json.loads((FIXTURES / "01_imbalance.json").read_text(encoding="utf-8"))
    s = headlines.sensitivity(old)
    assert not s.recorded and not s.material and s.cells == []
    c = _brief(old, "en")
    assert c["sensitivity"] == c["flag_note"] == "" and "doubtful" not in json.dumps(c["findings"])


def test_english_words_stay_out_of_the_ky_and_ru_flag_texts():
    cells = [headlines.FlaggedCell(KARA_KULJA, 2012, "rayon_poverty_rate", ("peer_outlier", "spike", "last_year"))]
    for lang in ("ky", "ru"):
        text = flag_texts.flag_note(cells, lang) + flag_texts.sensitivity_line(
            headlines.Sensitivity(cells, *(headlines.Sensitive(1, 2, True),) * 3, recorded=True), lang
        )
        assert not any(w in text.lower() for w in ("spike", "outlier", "doubtful", "last", "year", "flag")), text


# ------------------------------------------------------------------ notebook 02
@pytest.fixture(scope="module")
def obs_bvi() -> tuple:
    obs, breaks = processed.load_indicators(source="all"), series.read_breaks()
    bvi = border_interior.both_levels(obs=obs, breaks=breaks, windows=[(2012, 2020)], n_perm=99, rng=1)
    return obs, breaks, bvi


def test_no_shipped_comparison_reads_a_flagged_cell(obs_bvi):
    obs, breaks, bvi = obs_bvi
    cells = border_interior.input_cells(bvi, obs=obs, breaks=breaks)
    rayon = cells[(cells["comparison"] == "rayon_poverty") & (cells["indicator"] == "rayon_poverty_rate")]
    assert len(rayon) == 40 and set(rayon["year"]) == {2020}  # the flagged rayon cells are 2012 and 2016
    sens = flagged.border_sensitivity(bvi, obs=obs, breaks=breaks, windows=[(2012, 2020)], n_perm=99, rng=1)
    assert sens.cells.empty and sens.gaps == sens.recorded


def test_a_flagged_input_is_named_and_the_gap_without_it_recomputed(obs_bvi):
    obs, breaks, bvi = obs_bvi
    value = obs[(obs["code"] == KARA_KULJA) & (obs["indicator"] == "rayon_poverty_rate") & (obs["year"] == 2020)]
    fake = (
        processed.read_flags()
        .iloc[:1]
        .assign(
            code=KARA_KULJA, year=2020, indicator="rayon_poverty_rate", source_id="S12", value=value["value"].iloc[0]
        )
    )  # a SYNTHETIC flag on a cell the comparison reads
    sens = flagged.border_sensitivity(bvi, obs=obs, breaks=breaks, windows=[(2012, 2020)], n_perm=99, rng=1, flags=fake)
    assert sens.cells[["comparison", "code", "year"]].values.tolist() == [["rayon_poverty", KARA_KULJA, 2020]]
    ind = processed.read_indicators()
    v = ind[(ind["indicator"] == "rayon_poverty_rate") & (ind["year"] == 2020) & (ind["source_id"] == "S12")]
    v = v.set_index("code")["value"].drop(KARA_KULJA)
    w = ind[ind["indicator"] == "population_rayon_2021"].set_index("code")["value"].reindex(v.index)
    b = border.border_table(2)["border"].reindex(v.index).astype(bool)
    gap = (v[b] * w[b]).sum() / w[b].sum() - (v[~b] * w[~b]).sum() / w[~b].sum()
    assert sens.gaps["rayon_poverty"] == pytest.approx(gap) and sens.recorded["rayon_poverty"] != pytest.approx(gap)
    assert sens.gaps["growth"] == sens.recorded["growth"]  # the other comparisons do not read it
    res = Results("02_migration_border", {})
    for key in ("growth", "poverty", "rayon_poverty"):
        res.metric(f"{key}_gap_pp", sens.recorded[key], "percentage points", sources=["S12"])
    record.record_border_sensitivity(res, sens, {k: ["S12"] for k in ("growth", "poverty", "rayon_poverty")})
    results = copy.deepcopy({"metrics": res.metrics, "tables": res.tables})
    results["metrics"]["rayon_poverty_measure"] = {"value": "rayon_poverty_rate"}
    lines = flag_texts.border_lines(results, "ru")
    assert len(lines) == 1 and "Кара-Кулжинский район, 2020 г." in lines[0]
    assert flag_texts.border_lines({**results, "tables": {}}, "ru") == []
