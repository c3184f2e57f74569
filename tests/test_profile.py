"""Region profile PDFs: byte-reproducible, every unit spelling resolved, unknown names a clear error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lsg_analysis.cli import main
from lsg_analysis.outputs.profile import build_profiles, profile_content
from lsg_analysis.outputs.profile_numbers import default_lines


@pytest.fixture(autouse=True)
def _default_results(default_runs, monkeypatch):
    """A profile reads the default run's 02 results (border status, population change): this session's default run,
    so the tests do not depend on a `make run` (a clean clone has no reports/results)."""
    from lsg_analysis.core import paths

    monkeypatch.setattr(paths, "RESULTS", default_runs[0] / "results")


def test_same_data_same_bytes(tmp_path: Path) -> None:
    a = build_profiles("Sokuluk district", "en", tmp_path / "a")
    b = build_profiles("Sokuluk district", "en", tmp_path / "b")
    assert [p.name for p in a] == ["profile_KG08222000000_en.pdf"]
    assert hashlib.sha256(a[0].read_bytes()).digest() == hashlib.sha256(b[0].read_bytes()).digest()


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_rows_follow_numbers_without_english(lang: str) -> None:
    lines = default_lines("KG-GB")
    c = profile_content("KG-GB", lang, lines)
    assert len(c["rows"]) == len(lines) > 0
    assert [r[2] for r in c["rows"]] == [str(line.year) for line in lines]
    text = " ".join(
        [
            c["kicker"],
            c["title"],
            c["note"],
            *c["header"],
            *(r[0] for r in c["rows"]),
            *c["units"],
            c["summary_title"],
            *c["summary"],
            c["run_title"],
            *c["run_lines"],
            c["population_title"],
            c["population"]["title"],
            c["population"]["caption"],
            c["sources_title"],
        ]
    )
    assert not any(w in text for w in ("Rank", "Gap", "Indicator", "Source", "profile", "border", "Population"))
    import re

    assert set(re.findall(r"[A-Za-z]{2,}", text)) <= {"GDL"}  # the Global Data Lab, a proper name


def test_unknown_region_is_one_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["profile", "Sokulk", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Sokulk" in err and "Sokuluk" in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_region_or_all_required(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile"]) == 2
    assert "REGION or --all" in capsys.readouterr().err


def _run_dir(tmp_path: Path, edit) -> Path:
    """A run folder ``tmp_path/run/results`` holding the default 02_migration_border results, edited by ``edit``."""
    import json

    from lsg_analysis.core import paths

    data = json.loads((paths.RESULTS / "02_migration_border.json").read_text(encoding="utf-8"))
    edit(data)
    out = tmp_path / "run" / "results"
    out.mkdir(parents=True)
    (out / "02_migration_border.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path / "run"


def test_results_dir_gives_border_status_population_change_and_stamp(tmp_path: Path) -> None:
    from lsg_analysis.runs.results import load_run

    def edit(data: dict) -> None:
        data["parameters"]["year_from"] = 2015
        t = data["tables"]["population_change"]
        cols = t["columns"]
        for r in t["rows"]:
            if r[cols.index("code")] == "KG-C":
                r[cols.index("year_from")], r[cols.index("growth_pct_per_year")] = 2015, -0.5
                r[cols.index("depopulating")] = True

    run = load_run(_run_dir(tmp_path, edit), ("02_migration_border",))
    c = profile_content("KG-C", "en", default_lines("KG-C"), run)
    assert c["run_lines"] == [
        "On the state border; 50 km from the unit's centre to the border.",
        "Population change 2015–2020: -0.50% a year (the population fell).",
    ]
    assert "run/results" in c["stamp"] and "first year: 2015" in c["stamp"] and "Default" not in c["stamp"]
    default = profile_content("KG-C", "en", default_lines("KG-C"))
    assert default["stamp"].startswith("Default run of") and "2012–2020" in default["run_lines"][1]


def test_unit_of_another_level_than_the_run_is_said_not_measured() -> None:
    c = profile_content("KG08222000000", "ru", default_lines("KG08222000000"))
    assert c["run_lines"] == [
        "В этом запуске единицы сравнивались по областям: статуса границы и изменения населения этой единицы в нём нет."
    ]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "This run holds no border status or population change of this unit."),
        ("ru", "В этом запуске статуса границы и изменения населения этой единицы нет."),
        ("ky", "Бул иштетүүдө бул бирдиктин чек ара абалы жана калкынын өзгөрүшү жок."),
    ],
)
def test_results_without_their_level_say_the_run_holds_nothing_of_the_unit(
    lang: str, expected: str, tmp_path: Path
) -> None:
    """Results that do not record their level (the brief's synthetic fixture, an older run) and have no row of the
    unit: one line saying so, not a missing catalogue entry ``level_``."""
    from lsg_analysis.runs.results import load_run

    def edit(data: dict) -> None:
        del data["metrics"]["level"]
        data["parameters"].pop("level", None)

    run = load_run(_run_dir(tmp_path, edit), ("02_migration_border",))
    assert profile_content("KG08222000000", lang, default_lines("KG08222000000"), run)["run_lines"] == [expected]


@pytest.mark.parametrize("command", ["brief", "profile"])
def test_bad_results_folder_is_the_same_one_line_error(
    command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    region = ["Chui"] if command == "profile" else []
    assert main([command, *region, "--results", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope does not exist" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def _rayons_most_and_fewest() -> list[str]:
    """The rayon with the most and the one with the fewest indicators with data (default series)."""
    from lsg_analysis.data.processed import read_indicators
    from lsg_analysis.registry.regions import regions

    d = read_indicators()
    d = d[(d["default_series"] == "yes") & d["value"].notna()]
    rayons = set(regions().query("level == 2 and kind == 'rayon'")["code"])
    n = d[d["code"].isin(rayons)].groupby("code")["indicator"].nunique().sort_values(kind="stable")
    return [str(n.index[-1]), str(n.index[0])]


@pytest.mark.parametrize("region", ["Batken oblast", "Bishkek", *_rayons_most_and_fewest()])
def test_always_two_pages(region: str, tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("pdfinfo") is None:
        pytest.fail("pdfinfo (poppler-utils) is missing: run scripts/setup-system.sh")
    for pdf in build_profiles(region, "all", tmp_path):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = [line.split(":")[1].strip() for line in info.splitlines() if line.startswith("Pages:")]
        assert pages == ["2"], pdf.name


def test_one_year_span_is_one_year() -> None:
    from lsg_analysis.outputs.i18n import year_span as window_text

    assert (window_text(2022, 2022), window_text(2019, 2022), window_text(None, 2022)) == ("2022", "2019–2022", "")
    c = profile_content("KG-GB", "en", default_lines("KG-GB"))
    single = [line for line in default_lines("KG-GB") if line.trend[0][0] == line.trend[-1][0]]
    assert single and all(str(line.year) in c["spans"] for line in single)
    assert not any("–" in s and s.split("–")[0] == s.split("–")[1] for s in c["spans"])


def test_claims_follow_the_headlines_direction_rule() -> None:
    """Summary claims recomputed from indicator_meta.csv's direction: better/worse counts against the country and
    the indicators on which the unit is the best or the worst of its level."""
    import csv

    from lsg_analysis.core import paths
    from lsg_analysis.outputs import headlines
    from lsg_analysis.outputs.profile.render import summary_lines

    with open(paths.PROCESSED / "indicator_meta.csv", encoding="utf-8") as f:
        meta = {r["indicator"]: r for r in csv.DictReader(f)}
    lines = default_lines("KG-C")
    sign = {
        i: 0 if m["kind"] == "count" else {"yes": 1, "no": -1}.get(m["higher_is_better"], 0) for i, m in meta.items()
    }
    with_dir = [ln for ln in lines if sign[ln.indicator] and ln.national is not None]
    better = sum(sign[ln.indicator] * (ln.value - ln.national) > 0 for ln in with_dir)
    worse = sum(sign[ln.indicator] * (ln.value - ln.national) < 0 for ln in with_dir)
    best = [ln.indicator for ln in lines if sign[ln.indicator] and ln.rank == 1 and ln.peers > 1]
    worst = [ln.indicator for ln in lines if sign[ln.indicator] and ln.rank == ln.peers > 1]
    assert best and worst
    text = summary_lines(lines, "en")
    assert text[0] == (
        f"Better off than the country on {better} of {len(with_dir)} indicators with a direction, worse off on {worse}."
    )
    from lsg_analysis.outputs import i18n

    assert text[1].endswith("; ".join(i18n.indicator_name(i, "en") for i in best) + ".")
    assert text[2].endswith("; ".join(i18n.indicator_name(i, "en") for i in worst) + ".")
    # the brief's worst-off region and the profile's gap use the same rule
    assert headlines.worst_and_best("KG-B", "KG-GB", "no") == ("KG-B", "KG-GB")
    assert headlines.worst_and_best("KG-B", "KG-GB", "yes") == ("KG-GB", "KG-B")
    assert headlines.worst_and_best("KG-B", "KG-GB", "yes", "count") == (None, None)


def test_district_of_a_district_level_run_has_border_status_without_population_change(tmp_path: Path) -> None:
    from lsg_analysis.runs.results import load_run

    def edit(data: dict) -> None:
        data["parameters"]["level"] = data["metrics"]["level"]["value"] = "rayon"
        data["tables"]["border_lengths"]["rows"] = [["KG08222000000", 61.9, 0.0, 0.0, 0.0, 61.9, 0.17, True, 31.1]]

    run = load_run(_run_dir(tmp_path, edit), ("02_migration_border",))
    c = profile_content("KG08222000000", "en", default_lines("KG08222000000"), run)
    assert c["run_lines"] == [
        "On the state border; 31 km from the unit's centre to the border.",
        "Population change 2012–2020: this run did not measure it for this unit.",
    ]
    assert c["border"].startswith("Length of the state border: 62 km (Kazakhstan 62,")
