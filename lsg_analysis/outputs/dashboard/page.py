"""The JSON the page runs on (:func:`page_data`): specs per language, shared datasets, texts, sources."""

from __future__ import annotations

from typing import Any

from lsg_analysis.core.levels import LANGS
from lsg_analysis.outputs.dashboard import datasets, sources
from lsg_analysis.outputs.dashboard.inputs import CONTEXT, NOTEBOOKS, DashboardInputs
from lsg_analysis.outputs.dashboard.specs import specs
from lsg_analysis.outputs.dashboard.texts import DRAFT_HEADERS, period, run_window, texts
from lsg_analysis.runs import results

DRAFT_COLUMNS = ("draft_id", "title", "year", "act_type", "drafting_body", "public_record")
#: the results tables each view offers as CSV: view → (notebook, [(file stem, table key), ...])
CSV_TABLES = {
    "trend": (NOTEBOOKS[0], [("imbalance_trend", "trend")]),
    "border": (
        NOTEBOOKS[1],
        [
            ("border_vs_interior", "border_vs_interior"),
            ("population_change", "population_change"),
            ("national_migration", "national_migration"),
        ],
    ),
    "consult": (NOTEBOOKS[2], [("consultation_rates", "rates"), ("drafts_by_year", "by_year"), ("drafts", "drafts")]),
    "context": (CONTEXT, [("context_countries", "countries"), ("context_countries_gdl", "countries_gdl")]),
}


def page_data(inputs: DashboardInputs, default_lang: str = "ky") -> dict[str, Any]:
    """The JSON the page runs on: specs per language, shared datasets, texts, sources."""
    from lsg_analysis.outputs import i18n

    names = datasets.region_names(inputs.regions)
    meta, ind = datasets.indicator_meta(inputs.indicators, inputs.meta, names)
    ind_cols = ["code", "year", "indicator", "value", "source_id", *inputs.flag_columns]
    order = sorted(meta, key=lambda k: meta[k]["name"]["en"].lower())
    imb, mig, con = (inputs.results[nb] for nb in NOTEBOOKS)
    default_ind = results.value(imb, "indicator")
    trend, measures = datasets.trend_data(imb)
    border, growth = datasets.border_data(mig, names)
    rates, by_year = datasets.consult_data(con)
    ctx = inputs.results.get(CONTEXT, {})
    context, context_gdl = datasets.context_data(ctx), datasets.context_data(ctx, "countries_gdl")
    messages, kpis = {}, {}
    for lang in LANGS:
        messages[lang], kpis[lang] = texts(inputs, lang)
    return {
        "langs": list(LANGS),
        "default_lang": default_lang,
        "version": inputs.version,
        "default_indicator": default_ind if default_ind in meta else (order[0] if order else None),
        "indicator_order": order,
        "meta": meta,
        "flag_columns": list(inputs.flag_columns),
        "indicators": datasets.columnar(ind.to_dict("records"), ind_cols),
        "names": names,
        "geo": inputs.geo,
        "locales": {
            lang: {
                "decimal": i18n.SEPARATORS[lang][1],
                "thousands": i18n.SEPARATORS[lang][0],
                "grouping": [3],
                "currency": ["", ""],
            }
            for lang in LANGS
        },
        "specs": {lang: specs(lang) for lang in LANGS},
        "datasets": {
            "trend": trend,
            "measures": measures,
            "border": border,
            "growth": growth,
            "rates": rates,
            "by_year": by_year,
            "context": context,
            "context_gdl": context_gdl,
        },
        "csv": _csv_tables(inputs),
        "drafts": datasets.columnar(results.rows(con, "drafts"), list(DRAFT_COLUMNS)),
        "draft_columns": list(DRAFT_COLUMNS),
        "draft_headers": DRAFT_HEADERS,
        "messages": messages,
        "kpis": kpis,
        "views": _views(inputs, trend, by_year),
        "profiles": datasets.profile_data(inputs.profiles, names, results.Run(inputs.results, inputs.origins)),
        "sources": sources.sources_block(inputs.sources, sources.used_sources(ind["source_id"], inputs.results)),
    }


def _csv_tables(inputs: DashboardInputs) -> dict[str, list[dict[str, Any]]]:
    """Per view, the results tables behind it in columnar form (the page's CSV downloads), each with its file stem
    and the label its link shows in each language (catalogue key ``dash_csv_<stem>``)."""
    from lsg_analysis.outputs import i18n

    return {
        view: [
            {
                "name": name,
                "label": {lang: i18n.t(f"dash_csv_{name}", lang) for lang in LANGS},
                "table": results.columnar(inputs.results.get(nb, {}), key),
            }
            for name, key in tables
        ]
        for view, (nb, tables) in CSV_TABLES.items()
    }


#: Dashboard view → the brief section (:data:`lsg_analysis.outputs.stamps.SECTIONS`) whose run it shows.
VIEW_SECTIONS = {"trend": "imbalance", "border": "border", "consult": "consult", "context": "context"}


def _views(inputs: DashboardInputs, trend: list[dict], by_year: list[dict]) -> dict[str, dict[str, Any]]:
    """Per view, the sources of its tables and the period its caption names."""
    from lsg_analysis.outputs import stamps

    imb, mig, con = (inputs.results[nb] for nb in NOTEBOOKS)
    stamp = stamps.all_stamps(inputs.origins)
    views = {
        "trend": {"sources": results.table_sources(imb, "trend"), "period": period([r["year"] for r in trend])},
        "border": {
            "sources": results.table_sources(mig, "border_vs_interior", "population_change", "national_migration"),
            "period": run_window(mig),
        },
        "consult": {
            "sources": results.table_sources(con, "rates", "by_year", "drafts"),
            "period": period([r["year"] for r in by_year]),
        },
        "context": {
            "sources": results.table_sources(inputs.results.get(CONTEXT, {}), "countries", "countries_gdl"),
            "period": str(results.value(inputs.results.get(CONTEXT, {}), "year") or ""),
        },
    }
    for view, section in VIEW_SECTIONS.items():
        views[view]["stamp"] = stamp[section]
    return views
