"""SYNTHETIC inputs for the dashboard tests — made-up numbers and square "boundaries", never real data.

Region codes and names are the real registry's (``lsg_analysis/registry/regions.csv``) so the page's name
lookup is exercised; every value, geometry and result below is invented for the tests. One draft title is
hostile HTML (``HOSTILE_TITLE``) to prove that data is shown as text and never runs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lsg_analysis.outputs.dashboard import DashboardInputs

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_TITLE = "</script><script>alert(1)</script><img src=x onerror=alert(2)> & \u2028 «проект»"
OBLASTS = ["KG-B", "KG-J", "KG-Y", "KG-N", "KG-O", "KG-T", "KG-C", "KG-GB", "KG-GO"]
RAYONS = ["KG04220000000", "KG02205000000", "KG04210000000", "KG03211000000", "KG08203000000"]
SOURCES = {
    "SYN1": {
        "producer": "SYNTHETIC test producer",
        "title": "Synthetic indicator table <b>not real</b>",
        "url": "https://example.org/synthetic",
        "published": "2024-02-27",
        "accessed": "2026-11-25",
    },
    "SYN2": {
        "producer": "SYNTHETIC register coders",
        "title": "Synthetic register",
        "url": "javascript:alert(3)",
        "published": "",
        "accessed": "2026-11-20",
    },
}


def _square(i: int, j: int, size: float = 1.0) -> dict:
    x, y = 70.0 + i * size, 39.5 + j * size
    ring = [[x, y], [x, y + size], [x + size, y + size], [x + size, y], [x, y]]  # clockwise, as d3-geo wants
    return {"type": "Polygon", "coordinates": [ring]}


def _features(codes: list[str], size: float) -> list[dict]:
    """Squares; the two cities carry their marker position as ``inputs.geo_features`` writes it."""
    out = []
    for k, c in enumerate(codes):
        geometry = _square(k % 5, k // 5, size)
        props: dict = {"code": c}
        if c in ("KG-GB", "KG-GO"):
            x, y = geometry["coordinates"][0][0]
            props.update(small=True, lon=x + size / 2, lat=y + size / 2)
        out.append({"type": "Feature", "properties": props, "geometry": geometry})
    return out


def _results(notebook: str, metrics: dict, tables: dict[str, pd.DataFrame], source: str) -> dict:
    return {
        "schema": "lsg-results/1",
        "notebook": notebook,
        "parameters": {},
        "metrics": {
            k: {"value": v, "unit": "", "year": None, "sources": [source], "note": ""} for k, v in metrics.items()
        },
        "tables": {
            k: {
                "columns": list(f.columns),
                "rows": f.astype(object).where(f.notna(), None).values.tolist(),
                "sources": [source],
                "note": "",
            }
            for k, f in tables.items()
        },
        "sources": {source: SOURCES[source]},
    }


def context_results() -> dict:
    """SYNTHETIC ``04_context`` results: 60 countries by rank, three highlighted neighbours on consecutive ranks
    (32–34, their labels would overlap), Kyrgyzstan and one more neighbour apart."""
    iso = [f"C{k:02d}" for k in range(1, 61)]
    iso[31:34], iso[44], iso[54] = ["CHN", "UZB", "RUS"], "KGZ", "KAZ"
    countries = pd.DataFrame(
        {
            "rank": list(range(1, 61)),
            "iso3": iso,
            "value": [round(0.25 - 0.004 * k, 4) for k in range(60)],
            "n_regions": 10,
            "highlighted": [c in ("CHN", "UZB", "RUS", "KAZ") for c in iso],
        }
    )
    return _results("04_context", {}, {"countries": countries, "countries_gdl": countries}, "SYN1")


def inputs() -> DashboardInputs:
    """A small, complete, SYNTHETIC set of dashboard inputs."""
    regions = pd.read_csv(ROOT / "lsg_analysis/registry/regions.csv", dtype=str, keep_default_na=False)
    regions = regions[regions["code"].isin(["KG", *OBLASTS, *RAYONS])].copy()
    regions["level"] = regions["level"].astype(int)
    rows = []
    for y in (2019, 2020, 2021):
        for k, c in enumerate(OBLASTS):
            rows.append((c, y, "grp_per_capita", 50.0 + 10 * k + y % 10, "SYN1"))
        rows.append(("KG", y, "grp_per_capita", 80.0 + y % 10, "SYN1"))
    for k, c in enumerate(RAYONS):
        rows.append((c, 2016, "poverty_rate", 10.0 + 5 * k, "SYN1"))
    rows.append(("KG-GB", 2016, "poverty_rate", 12.5, "SYN1"))
    indicators = pd.DataFrame(rows, columns=["code", "year", "indicator", "value", "source_id"])
    indicators["series_break"] = ""
    meta = pd.DataFrame(
        [
            {
                "indicator": "grp_per_capita",
                "name_en": "GRP per capita",
                "name_ru": "ВРП на душу населения",
                "name_ky": "Жан башына РДП",
                "unit": "thousand som per person",
            },
            {
                "indicator": "poverty_rate",
                "name_en": "Poverty rate by rayon",
                "name_ru": "Уровень бедности по районам",
                "name_ky": "Райондор боюнча кедейчиликтин деңгээли",
                "unit": "percent",
            },
        ]
    )
    trend = pd.DataFrame(
        {
            "year": [2017, 2018, 2019, 2020, 2021],
            "theil": [0.10, 0.11, 0.12, 0.125, 0.13],
            "theil_ci_low": [0.08, 0.09, 0.10, 0.10, 0.11],
            "theil_ci_high": [0.12, 0.13, 0.14, 0.15, 0.15],
            "gini": [0.20, 0.21, 0.22, 0.22, 0.23],
            "williamson": [0.3, 0.31, 0.32, 0.33, 0.34],
            "cv": [0.4, 0.41, 0.42, 0.43, 0.44],
            "break": [None, None, "SNA 2008 from 2019", None, None],
        }
    )
    imb = _results(
        "01_imbalance",
        {
            "indicator": "grp_per_capita",
            "level": "oblast",
            "year_first": 2017,
            "year_last": 2021,
            "theil_first": 0.10,
            "theil_last": 0.13,
            "theil_last_ci_low": 0.11,
            "theil_last_ci_high": 0.15,
            "gini_last": 0.23,
            "theil_change_pct": None,
        },
        {"trend": trend},
        "SYN1",
    )
    bvi = pd.DataFrame(
        {
            "measure_id": ["population_growth", "poverty_rate", "rayon_poverty_rate"],
            "measure": ["population growth, % per year", "poverty_rate (%)", "rayon_poverty_rate (%)"],
            "weighting": ["unweighted", "population", "population"],
            "border": [0.8, 31.0, 19.5],
            "interior": [1.4, 24.0, 36.25],
            "gap": [-0.6, 7.0, -16.75],
            "p": [0.04, 0.2, 0.003],
            "n_border": [3, 3, 30],
            "n_interior": [2, 2, 8],
            "level": ["oblast", "oblast", "rayon"],
            "period": ["2012-2021", "2022", "2020"],
        }
    )
    change = pd.DataFrame(
        {
            "code": RAYONS,
            "year_from": 2012,
            "year_to": 2021,
            "growth_pct_per_year": [-0.5, 1.2, 0.3, 2.0, 1.1],
            "depopulating": [True, False, False, False, False],
            "border": [True, True, False, True, False],
        }
    )
    mig = _results(
        "02_migration_border",
        {
            "window": "2012-2021",
            "level": "rayon",
            "growth_border_pct": 0.8,
            "growth_interior_pct": 1.4,
            "growth_gap_pp": -0.6,
            "growth_gap_p": 0.04,
            "n_border_units": 3,
            "n_interior_units": 2,
            "growth_n_border": 7,
            "growth_n_interior": 2,
            "n_depopulating": 1,
            "interior_units": "KG-GB,KG-GO",
            "rayon_poverty_border_pct": 19.5,
            "rayon_poverty_interior_pct": 36.25,
            "rayon_poverty_gap_pp": -16.75,
            "rayon_poverty_gap_p": 0.003,
            "n_border_rayons": 30,
            "n_interior_rayons": 8,
        },
        {"border_vs_interior": bvi, "population_change": change},
        "SYN1",
    )
    rates = pd.DataFrame(
        {
            "indicator": ["P01", "I02", "I03b", "C01"],
            "group": "all",
            "n": [40, 12, 8, None],
            "n_known": [40, 12, 8, None],
            "value": [0.25, 0.5, None, None],
            "ci_low": [None, None, None, None],  # not a sample: no sampling interval
            "ci_high": [None, None, None, None],
            "n_unknown": [6, 28, 32, None],
            "bound_low": [0.25, 0.15, 0.1, None],
            "bound_high": [0.40, 0.85, 0.9, None],
            "suppressed": [False, False, True, True],
        }
    )
    by_year = pd.DataFrame(
        {
            "year": [2022, 2023, 2024],
            "n": [10, 15, 15],
            "public_record": [2, 4, 4],
            "public_record_share": [0.2, 4 / 15, 4 / 15],
        }
    )
    drafts = pd.DataFrame(
        {
            "draft_id": ["D1", "D2", "D3"],
            "title": [HOSTILE_TITLE, '=HYPERLINK("http://evil")', "Обычный проект закона"],
            "year": [2023, 2024, 2024],
            "act_type": ["law", "law", "cabinet_resolution"],
            "drafting_body": ["SYN ministry", "SYN agency", "SYN ministry"],
            "public_record": [True, False, None],
        }
    )
    updates = pd.DataFrame(
        {
            "draft_id": ["D1", "D1", "D2"],
            "field": ["sent_to_lsg_bodies", "notes", "proposals_made"],
            "old": ["unknown", "old note", "unknown"],
            "new": ["yes", "synthetic fact", "yes"],
            "date": ["2026-12-02", "2026-12-02", "2026-12-02"],
            "source_url": ["https://example.org/syn-1", "https://example.org/syn-1", "https://example.org/syn-2"],
        }
    )
    con = _results(
        "03_consultations",
        {
            "n_rows": 42,
            "n_state_drafts": 40,
            "public_record_share": 0.25,
            "public_record_n_unknown": 6,
            "public_record_share_bound_low": 0.25,
            "public_record_share_bound_high": 0.40,
            "public_record_share_ci_low": None,
            "public_record_share_ci_high": None,
            "register_sampling": "not_random",
            "consultation_rate": None,
            "consultation_rate_n_known": 8,
            "consultation_rate_unknown_share": 0.8,
            "median_discussion_days": None,
        },
        {"rates": rates, "by_year": by_year, "drafts": drafts, "updates": updates},
        "SYN2",
    )
    geo = {"oblast": _features(OBLASTS, 1.0), "rayon": _features(["KG-GB", *RAYONS], 1.0)}
    return DashboardInputs(
        indicators=indicators,
        meta=meta,
        regions=regions,
        geo=geo,
        results={"01_imbalance": imb, "02_migration_border": mig, "03_consultations": con},
        sources=SOURCES,
        version="0.0.0-test",
        flag_columns=("series_break",),
    )
