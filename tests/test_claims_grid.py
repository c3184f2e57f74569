"""Every claim of a run agrees with that run's numbers: a grid of runs of notebook 01 through the project's runner
(warm kernels), and for each run the brief's text (``brief_content``) and the dashboard's headline texts checked
against its results JSON.

The grid: every indicator with data at each level the notebook accepts (oblast; rayon where there are rayon data)
× weighted true/false, plus windows that cross a declared series break. ``n_boot`` is small (99) to keep it quick.
The checks do not call the code that words the claims (``outputs/headlines.py``): the segment, the worst-off unit,
the weighting, the Theil change and the β slope are recomputed here from the results JSON (its tables) and the
indicator metadata, and the texts are then read for what they say.

Notebooks 02–04 are the SYNTHETIC brief fixtures (the claims checked here are notebook 01's).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lsg_analysis.core import paths
from lsg_analysis.core.errors import ParameterError
from lsg_analysis.runs import params, results, runner

needs_data = pytest.mark.skipif(
    not (paths.PROCESSED / "indicators.csv").exists(), reason="data/processed not built (run `lsg data build`)"
)
FIXTURES = Path(__file__).parent / "fixtures" / "brief_results"
DATE = dt.date(2026, 12, 2)
N_BOOT = 99
#: Windows that cross a declared series break (data/series_breaks.csv): GRP per capita 2018→2019 (SNA 2008, all
#: units) and the poverty rate 2012→2013 (Osh oblast with Osh city before 2013).
BREAK_WINDOWS = (
    {"indicator": "grp_per_capita", "year_from": 2015, "year_to": 2020},
    {"indicator": "poverty_rate", "year_from": 2010, "year_to": 2016},
)
LEVELS = {1: "oblast", 2: "rayon"}


def _grid() -> tuple[list[dict], list[tuple[str, str, str]]]:
    """The grid's parameter sets, and the (indicator, level, reason) the notebook refuses before any kernel."""
    runs, refused = [], []
    cov = params.indicator_coverage()
    for row in cov[cov["level"].isin(list(LEVELS))].itertuples():
        base = {"indicator": row.indicator, "level": LEVELS[int(row.level)], "n_boot": N_BOOT}
        try:
            params.check("01_imbalance", {**base, "out_dir": ""})
        except ParameterError as e:
            refused.append((row.indicator, base["level"], str(e)))
            continue
        runs += [{**base, "weighted": w} for w in (True, False)]
    runs += [{**w, "level": "oblast", "weighted": True, "n_boot": N_BOOT} for w in BREAK_WINDOWS]
    return runs, refused


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    runs, refused = _grid()
    out = tmp_path_factory.mktemp("grid")
    rows = runner.execute(
        [runner.Run("01_imbalance", p, default=False) for p in runs], out=out, jobs=2, html=False, progress=False
    )
    done = []
    for p, row in zip(runs, rows):
        assert row["status"] == "ok", (p, row["error"])
        res = json.loads((paths.ROOT / row["results"]).read_text(encoding="utf-8"))
        done.append((p, results.validate(res, row["results"], complete=True)))
    return done, refused


def _meta() -> pd.DataFrame:
    return pd.read_csv(paths.PROCESSED / "indicator_meta.csv", dtype=str, keep_default_na=False).set_index("indicator")


def _content(imb: dict, lang: str) -> dict:
    from lsg_analysis.outputs import brief

    res = {nb: json.loads((FIXTURES / f"{nb}.json").read_text(encoding="utf-8")) for nb in brief.NOTEBOOKS}
    res["01_imbalance"] = imb
    return brief.brief_content(lang, res, DATE)


def _dashboard(imb: dict, lang: str) -> tuple[dict, dict]:
    from lsg_analysis.outputs.dashboard import inputs
    from lsg_analysis.outputs.dashboard.texts import texts

    res = {nb: json.loads((FIXTURES / f"{nb}.json").read_text(encoding="utf-8")) for nb in inputs.NOTEBOOKS}
    res["01_imbalance"] = imb
    src = inputs.DashboardInputs(None, None, None, {}, {**res, "04_context": {}}, {})
    return texts(src, lang)


def _m(res: dict, key: str):
    return res["metrics"][key]["value"]


def _table(res: dict, key: str) -> pd.DataFrame:
    t = res["tables"][key]
    return pd.DataFrame(t["rows"], columns=t["columns"])


def _segment(trend: pd.DataFrame) -> tuple[int, int] | None:
    """Longest run of the trend's years with no break mark inside (ties: the latest), written out again."""
    runs: list[list[int]] = []
    for year, mark in zip(trend["year"], trend["break"]):
        if runs and not _marked(mark):
            runs[-1].append(int(year))
        else:
            runs.append([int(year)])
    runs = [r for r in runs if len(r) > 1]
    if not runs:
        return None
    best = max(runs, key=lambda r: (r[-1] - r[0], r[0]))
    return best[0], best[-1]


def _theil(y: np.ndarray, w: np.ndarray) -> float:
    mu = (w * y).sum() / w.sum()
    return float((w / w.sum() * y / mu * np.log(y / mu)).sum())


def _pair(res: dict, a: int, b: int, weighted: bool) -> pd.DataFrame:
    """Units with a value (and, weighted, a population) in both years a and b, from the by_region table."""
    by = _table(res, "by_region")
    wide = by.pivot(index="code", columns="year", values="value")[[a, b]]
    pop = by.pivot(index="code", columns="year", values="population").reindex(columns=[a, b])
    frame = pd.DataFrame({"ya": wide[a], "yb": wide[b], "wa": pop[a], "wb": pop[b]})
    if not weighted:
        frame[["wa", "wb"]] = 1.0
    return frame.dropna().astype(float)


def _breaks(trend: pd.DataFrame) -> list[int]:
    return [int(y) for y, mark in zip(trend["year"], trend["break"]) if _marked(mark)]


def _marked(mark: object) -> bool:
    """A break mark is a description; null (NaN in the frame) is none."""
    return isinstance(mark, str) and bool(mark)


def _spans(text: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in re.findall(r"(\d{4})–(\d{4})", text)]


def _crosses(span: tuple[int, int], breaks: list[int]) -> bool:
    return any(span[0] < b <= span[1] for b in breaks)


@needs_data
@pytest.mark.slow
def test_the_grid_covers_every_indicator_level_weighting_and_a_break(grid):
    done, refused = grid
    cov = params.indicator_coverage()
    pairs = {(p["indicator"], p["level"]) for p, _ in done} | {(i, lvl) for i, lvl, _ in refused}
    assert pairs == {(r.indicator, LEVELS[int(r.level)]) for r in cov[cov["level"].isin(list(LEVELS))].itertuples()}
    assert {p["level"] for p, _ in done} == {"oblast", "rayon"} and {p["weighted"] for p, _ in done} == {True, False}
    assert all("positive values" in reason for _, _, reason in refused)  # refused with one clear reason
    crossing = [res for p, res in done if "year_from" in p]
    assert crossing and all(_breaks(_table(res, "trend")) for res in crossing)


@needs_data
@pytest.mark.slow
def test_weighting_level_and_years_in_the_text_are_the_runs(grid):
    meta = _meta()
    for p, res in grid[0]:
        weighted = p["weighted"] and meta.at[p["indicator"], "weight_by"] not in ("", "none")
        assert _m(res, "weighted") is weighted, p
        first, last = _m(res, "year_first"), _m(res, "year_last")
        years = [int(y) for y in _table(res, "trend")["year"]]
        assert (first, last) == (years[0], years[-1]) and p.get("year_from", first) <= first <= last
        assert last <= p.get("year_to", last), p
        for lang, yes, no in (
            ("en", "population-weighted", "unweighted"),
            ("ru", "взвешенные по населению", "без взвешивания"),
        ):
            c = _content(res, lang)
            method, title = c["method"][0], _dashboard(res, lang)[0]["_trend_title"]
            assert (yes in method, no in method) == (weighted, not weighted), (p, lang, method)
            dash_yes = {"en": "population-weighted", "ru": "взвешенный по численности"}[lang]
            assert (dash_yes in title, no in title) == (weighted, not weighted), (p, lang, title)
        c = _content(res, "en")
        level = {"oblast": "by oblast", "rayon": "by district"}[p["level"]]
        assert level in c["map_caption"] and level in c["trend_caption"] and level in c["method"][0]
        for text in (c["map_caption"], c["trend_caption"], c["method"][0]):  # the level said once
            assert text.count(level) == 1 and "by rayon" not in text and "by oblast by" not in text, (p, text)
        assert dict(c["meta"])["Data years"] == f"{first}–{last}"
        assert f"{first}–{last}" in c["trend_caption"], c["trend_caption"]
        name = meta.at[p["indicator"], "name_en"]
        caption = c["trend_caption"].split("Theil index of ", 1)[1]
        titled = sum(w[:1].isupper() for w in name.split()[1:] if len(w) > 3) >= 2
        assert not re.match(r"[A-Z][a-z]", caption) or titled, caption  # "of poverty rate", not "of Poverty rate"


@needs_data
@pytest.mark.slow
def test_no_trend_or_convergence_claim_spans_a_series_break(grid):
    for p, res in grid[0]:
        trend = _table(res, "trend")
        seg, breaks = _segment(trend), _breaks(trend)
        recorded = (_m(res, "unbroken_year_first"), _m(res, "unbroken_year_last"))
        assert recorded == (seg or (None, None)), p
        if _m(res, "beta_slope") is not None:
            assert (_m(res, "convergence_year_first"), _m(res, "convergence_year_last")) == seg, p
        c = _content(res, "en")
        change = c["findings"][1]
        claims = [change["label"], *[s for s in c["convergence"].split(". ") if s.startswith(("β", "σ"))]]
        claims += [r["text"] + " " + r["test"] for r in c["recommendations"] if re.search("Theil|β", r["test"])]
        _, kpis = _dashboard(res, "en")
        claims += [k["label"] for k in kpis["trend"][1:]]
        for text in claims:
            for span in _spans(text):
                assert not _crosses(span, breaks), (p, span, breaks, text)
        if breaks and seg and seg != (trend["year"].min(), trend["year"].max()):
            assert f"measured within {seg[0]}–{seg[1]}" in c["convergence"], (p, c["convergence"])


@needs_data
@pytest.mark.slow
def test_a_change_is_claimed_only_when_its_interval_excludes_zero(grid):
    for p, res in grid[0]:
        seg, low, high = _segment(_table(res, "trend")), _m(res, "theil_change_ci_low"), _m(res, "theil_change_ci_high")
        if seg is not None and low is not None:  # the recorded change is that of the units in both years
            pair = _pair(res, *seg, _m(res, "weighted"))
            want = _theil(pair["yb"].to_numpy(), pair["wb"].to_numpy()) - _theil(
                pair["ya"].to_numpy(), pair["wa"].to_numpy()
            )
            assert _m(res, "theil_change_diff") == pytest.approx(want, rel=1e-9, abs=1e-12), p
            assert _m(res, "theil_change_n_units") == len(pair) and low <= high
        detail = _content(res, "en")["findings"][1]["detail"]
        up, down = low is not None and low > 0, high is not None and high < 0
        assert ("increased" in detail, "decreased" in detail) == (up, down), (p, low, high, detail)


@needs_data
@pytest.mark.slow
def test_convergence_is_worded_by_direction_and_said_only_when_significant(grid):
    meta = _meta()
    for p, res in grid[0]:
        direction = meta.at[p["indicator"], "higher_is_better"]
        slope, pval, seg = _m(res, "beta_slope"), _m(res, "beta_p"), _segment(_table(res, "trend"))
        text = _content(res, "en")["convergence"]
        if slope is None:
            assert "not measured" in text, (p, text)
            continue
        pair = _pair(res, *seg, _m(res, "weighted"))  # β recomputed over the segment: (weighted) least squares
        g = np.log(pair["yb"] / pair["ya"]) / (seg[1] - seg[0])
        fit = np.polyfit(np.log(pair["ya"]), g, 1, w=np.sqrt(pair["wa"]))
        assert slope == pytest.approx(fit[0], rel=1e-7, abs=1e-12) and _m(res, "beta_n") == len(pair), p
        beta = text.split(". ")[0]
        assert "poorer regions" not in text
        if pval >= 0.05:
            assert "not significant" in beta and "catching up" not in text and "behind" not in text, (p, beta)
            continue
        words = {
            "yes": ("lagging regions are catching up", "lagging regions are falling further behind"),
            "no": ("worst-off regions are catching up", "worst-off regions are falling further behind"),
            "neutral": ("drawing closer", "moving apart"),
        }[direction]
        assert words[0 if slope < 0 else 1] in beta, (p, direction, beta)
        sigma_p = _m(res, "sigma_p")
        assert ("σ-" in text) == (sigma_p is not None and sigma_p < 0.05), (p, text)


@needs_data
@pytest.mark.slow
def test_rules_fire_only_on_their_evidence_and_name_the_worst_off(grid):
    from lsg_analysis.outputs import i18n

    meta = _meta()
    fired_somewhere = set()
    for p, res in grid[0]:
        direction = meta.at[p["indicator"], "higher_is_better"]
        recs = _content(res, "en")["recommendations"]
        text = " ".join(r["text"] for r in recs)
        assert "(rule" not in text and all(r["test"].startswith("Test: ") for r in recs if r["test"])
        low, change = _m(res, "theil_change_ci_low"), _m(res, "theil_change_pct_unbroken")
        r1 = direction in ("yes", "no") and low is not None and low > 0 and change is not None and change > 0
        assert ("Inequality between regions grew" in text) == r1, (p, low, text)
        slope, pval = _m(res, "beta_slope"), _m(res, "beta_p")
        r3 = direction in ("yes", "no") and slope is not None and slope > 0 and pval < 0.05
        assert ("fell further behind" in text) == r3, (p, slope, pval)
        ratio = _m(res, "max_min_ratio_last")
        r2 = direction in ("yes", "no") and ratio is not None and ratio >= 3
        assert ("times the value of the lowest" in text) == r2, p
        if r1:
            by = _table(res, "by_region")
            last = by[by["year"] == _m(res, "year_last")].dropna(subset=["value"])
            worst = last["value"].max() if direction == "no" else last["value"].min()
            names = {i18n.region_name(c, "en") for c in last.loc[last["value"] == worst, "code"]}
            named = re.search(r"worst-off region by this indicator \((.+?)\)", text).group(1)
            assert named in names, (p, named, names)
        fired_somewhere |= {"R1"} if r1 else set()
        fired_somewhere |= {"R3"} if r3 else set()
    assert "R1" in fired_somewhere  # the check of the named region ran
