"""What does a notebook run record? One function per notebook fills its :class:`~lsg_analysis.runs.results.Results`
(keys, units and columns: ``runs/contract.yml``); the notebook's last cell only saves it. Provenance of every
source id, ``raw:<path>`` ones included, is rendered once, by :func:`lsg_analysis.data.sources.source_info`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lsg_analysis.analysis.imbalance_panel import change_pct, unbroken_span
from lsg_analysis.runs.results import Results


def record_theil_change(res: Results, trend: Any, breaks: Mapping[int, str], sources: list[str]) -> None:
    """Record the change of Theil T over the window and over its longest unbroken run.

    ``theil_change_pct``: first → last year of the window, null across a declared break. ``theil_change_pct_unbroken``
    with ``unbroken_year_first``/``_last`` and ``theil_unbroken_first``/``_last``: the same over the longest run of
    years without a declared break (:func:`unbroken_span`); null when no run has two years.
    """
    t = trend.set_index("year")["theil"]
    first, last = int(t.index.min()), int(t.index.max())
    change = change_pct(t.at[first], t.at[last], breaks, first, last) if last > first else None
    res.metric(
        "theil_change_pct",
        change,
        "percent",
        year=f"{first}-{last}",
        sources=sources,
        note=""
        if change is not None
        else "null: one year only"
        if last == first
        else "null: a declared series break lies between the two years",
    )
    span = unbroken_span(t.index, breaks)
    inside = sorted(b for b in breaks if first < b <= last)
    if span is None:
        note = "null: no two years of the window lie between the same series breaks"
        a = b = va = vb = unbroken = None
        period = None
    else:
        a, b = span
        va, vb = t.at[a], t.at[b]
        unbroken = change_pct(va, vb, breaks, a, b)
        period = f"{a}-{b}"
        note = (
            "the whole window: no declared series break inside it"
            if not inside
            else "longest run of years without a declared series break; breaks before " + ", ".join(map(str, inside))
        )
    res.metric("theil_change_pct_unbroken", unbroken, "percent", year=period, sources=sources, note=note)
    res.metric("unbroken_year_first", a, "year", year=period, sources=sources, note=note)
    res.metric("unbroken_year_last", b, "year", year=period, sources=sources, note=note)
    res.metric("theil_unbroken_first", va, "index", year=a, sources=sources, note=note)
    res.metric("theil_unbroken_last", vb, "index", year=b, sources=sources, note=note)


def record_sensitivity(res: Results, trend: Any, breaks: Mapping[int, str], sens: Any, sources: list[str]) -> None:
    """Record the headline measures without the flagged cells (``sens``:
    :func:`~lsg_analysis.analysis.flagged.panel_sensitivity`) and the ``flagged`` table.

    ``n_flagged_cells``; ``theil_last_unflagged``; ``theil_change_pct_unflagged`` (the years of
    ``theil_change_pct``) and ``theil_change_pct_unbroken_unflagged`` (those of ``theil_change_pct_unbroken``), null
    where those are; ``max_min_ratio_last_unflagged``. Equal to the published-value ones when no cell is flagged.
    """
    t, u = trend.set_index("year")["theil"], sens.theil
    first, last = int(t.index.min()), int(t.index.max())
    note = (
        "no cell used is flagged (data/processed/flags.csv): equal to the measure with every cell"
        if sens.cells.empty
        else f"the same measure without the {sens.n_cells} flagged cell(s) of table flagged (left out, never filled)"
    )
    res.metric("n_flagged_cells", sens.n_cells, "cells", year=f"{first}-{last}", sources=sources, note=note)
    res.metric("theil_last_unflagged", u.get(last), "index", year=last, sources=sources, note=note)
    whole = (
        None if _missing(u.get(first)) or _missing(u.get(last)) else change_pct(u[first], u[last], breaks, first, last)
    )
    res.metric("theil_change_pct_unflagged", whole, "percent", year=f"{first}-{last}", sources=sources, note=note)
    span = unbroken_span(t.index, breaks)
    unbroken = None
    if span is not None and not (_missing(u.get(span[0])) or _missing(u.get(span[1]))):
        unbroken = change_pct(u[span[0]], u[span[1]], breaks, *span)
    res.metric(
        "theil_change_pct_unbroken_unflagged",
        unbroken,
        "percent",
        year=None if span is None else f"{span[0]}-{span[1]}",
        sources=sources,
        note=note,
    )
    res.metric("max_min_ratio_last_unflagged", sens.max_min_last, "ratio", year=last, sources=sources, note=note)
    res.table(
        "flagged",
        sens.cells,
        sources=sources,
        note="doubtful cells used as published: rule and note from data/processed/flags.csv (docs/data.md)",
    )


def _missing(x: Any) -> bool:
    """Is ``x`` missing (None or NaN)?"""
    return x is None or x != x


def record_change_test(res: Results, test: Any, sources: list[str]) -> None:
    """Record the paired bootstrap test of the Theil change (:func:`~lsg_analysis.analysis.imbalance_panel.
    theil_change_test`): ``theil_change_diff`` = T(last) − T(first) on the units present in both years of the
    segment, ``theil_change_ci_low``/``_high`` its 95 % interval, ``theil_change_n_units``; all null with the
    reason when not tested."""
    ci, period = test.ci, None if test.first is None else f"{test.first}-{test.last}"
    note = (
        test.why
        if ci is None
        else f"paired percentile bootstrap of T({test.last}) − T({test.first}): the {ci.n} units with a value in both "
        f"years resampled together, {test.replicates} replicates, seed {test.seed}"
    )
    for key, number, unit in (
        ("theil_change_diff", ci and ci.estimate, "index"),
        ("theil_change_ci_low", ci and ci.low, "index"),
        ("theil_change_ci_high", ci and ci.high, "index"),
        ("theil_change_n_units", ci and ci.n, "units"),
    ):
        res.metric(key, number, unit, year=period, sources=sources, note=note)


# ------------------------------------------------------------------ 01_imbalance
def record_imbalance(
    p: Mapping[str, Any], panel: Any, trend: Any, change: Any, conv: Any, spat: Any, sens: Any
) -> Results:
    """Notebook 01's results (keys in docs/results.md): levels of inequality in the first and last year, the
    weighting, the Theil change and its paired bootstrap test, convergence (within one segment) and spatial tests,
    highest and lowest unit, the measures without flagged cells, and the trend, by-region, decomposition and flagged
    tables. ``change``/``conv``/``spat``/``sens``: :func:`~lsg_analysis.analysis.imbalance_panel.theil_change_test` /
    :func:`~lsg_analysis.analysis.imbalance_panel.convergence_tests` /
    :func:`~lsg_analysis.analysis.imbalance_panel.spatial_tests` /
    :func:`~lsg_analysis.analysis.flagged.panel_sensitivity`."""
    from lsg_analysis.analysis import imbalance_panel

    res = Results("01_imbalance", dict(p))
    years = [int(y) for y in panel.values.columns]
    first, last, src = years[0], years[-1], panel.sources
    t = trend.set_index("year")
    _imbalance_levels(res, p, panel, t, first, last)
    record_theil_change(res, trend, panel.breaks, src)
    record_change_test(res, change, src)
    res.metric(
        "between_share_last", t.at[last, "between_share"], "share", year=last, sources=src, note=panel.group_note
    )
    _imbalance_tests(res, conv, spat, last, src)
    top, bottom = panel.values[last].idxmax(), panel.values[last].idxmin()
    res.metric("top_code", top, "code", year=last, sources=src)
    res.metric("top_value", panel.values.at[top, last], panel.unit, year=last, sources=src)
    res.metric("bottom_code", bottom, "code", year=last, sources=src)
    res.metric("bottom_value", panel.values.at[bottom, last], panel.unit, year=last, sources=src)
    res.table(
        "trend",
        trend[["year", "theil", "theil_ci_low", "theil_ci_high", "gini", "williamson", "cv", "break"]],
        sources=src,
    )
    res.table(
        "by_region", imbalance_panel.by_region(panel, None if spat.lisa is None else spat.lisa["cluster"]), sources=src
    )
    res.table(
        "decomposition",
        trend[["year", "theil", "between", "within"]].rename(columns={"theil": "total"}),
        sources=src,
        note=panel.group_note,
    )
    record_sensitivity(res, trend, panel.breaks, sens, src)
    return res


def _imbalance_levels(res: Results, p: Mapping[str, Any], panel: Any, t: Any, first: int, last: int) -> None:
    src, boot = panel.sources, f"percentile bootstrap, {p['n_boot']} replicates, seed {p['seed']}"
    res.metric("indicator", p["indicator"], "id", sources=src)
    res.metric("level", p["level"], "id", sources=src)
    res.metric("year_first", first, "year", sources=src)
    res.metric("year_last", last, "year", sources=src)
    res.metric("weighted", panel.weighted, "flag", sources=src, note=panel.weight_note)
    res.metric("weight_by", panel.weight_by or "none", "id", sources=src, note="indicator_meta.csv weight_by")
    res.metric("theil_first", t.at[first, "theil"], "index", year=first, sources=src, note=panel.weight_note)
    res.metric("theil_last", t.at[last, "theil"], "index", year=last, sources=src, note=panel.weight_note)
    res.metric("theil_last_ci_low", t.at[last, "theil_ci_low"], "index", year=last, sources=src, note=boot)
    res.metric("theil_last_ci_high", t.at[last, "theil_ci_high"], "index", year=last, sources=src, note=boot)
    res.metric("gini_last", t.at[last, "gini"], "index", year=last, sources=src, note=panel.weight_note)
    res.metric("williamson_last", t.at[last, "williamson"], "index", year=last, sources=src)
    res.metric("cv_last", t.at[last, "cv"], "index", year=last, sources=src)
    res.metric("max_min_ratio_last", t.at[last, "max_min_ratio"], "ratio", year=last, sources=src)
    res.metric("top_bottom_20_ratio_last", t.at[last, "top_bottom_20_ratio"], "ratio", year=last, sources=src)


def _imbalance_tests(res: Results, conv: Any, spat: Any, last: int, src: list[str]) -> None:
    beta, sigma, why, moran = conv.beta, conv.sigma, conv.why, spat.moran
    period = None if conv.first is None else f"{conv.first}-{conv.last}"
    within = "" if period is None else f"within {conv.first}–{conv.last}, no declared series break inside"
    res.metric("convergence_year_first", conv.first, "year", year=period, sources=src, note=why or within)
    res.metric("convergence_year_last", conv.last, "year", year=period, sources=src, note=why or within)
    res.metric("beta_slope", beta and beta.slope, "per year", year=period, sources=src, note=why)
    res.metric("beta_se", beta and beta.slope_se, "per year", year=period, sources=src, note=why)
    res.metric("beta_p", beta and beta.p_value, "p", year=period, sources=src, note=why)
    res.metric("beta_n", beta and beta.n, "units", year=period, sources=src, note=why)
    res.metric(
        "beta_half_life_years",
        beta and beta.half_life,
        "years",
        year=period,
        sources=src,
        note=why or "null when the slope is not negative",
    )
    res.metric(
        "sigma_slope",
        sigma and sigma.slope,
        "per year",
        year=period,
        sources=src,
        note=why or "slope of the yearly (weighted) standard deviation of log values",
    )
    res.metric(
        "sigma_p",
        sigma and sigma.p_value,
        "p",
        year=period,
        sources=src,
        note=why or "p of the sigma slope (OLS on year; null with two years)",
    )
    res.metric(
        "moran_i",
        moran and moran.I,
        "index",
        year=last,
        sources=src,
        note=spat.why or f"queen contiguity, n = {moran.n}",
    )
    res.metric(
        "moran_p",
        moran and moran.p_sim,
        "p",
        year=last,
        sources=src,
        note=spat.why or f"{spat.permutations} permutations",
    )


# ------------------------------------------------------------------ 02_migration_border
def record_migration(
    p: Mapping[str, Any], border_table: Any, check: Any, window: Any, bvi: Any, demog: Any, obs: Any, sens: Any
) -> Results:
    """Notebook 02's results (keys in docs/results.md): national border lengths, border/interior counts, the border
    vs interior comparison at both levels (and its gaps without flagged inputs), depopulation over the window and
    the latest national net migration. ``border_table``: the border table at the run's level; ``window``: oblast
    population change with a ``border`` column; ``bvi``: :func:`~lsg_analysis.analysis.border_interior.both_levels`;
    ``sens``: :func:`~lsg_analysis.analysis.flagged.border_sensitivity`."""
    from lsg_analysis.analysis import border_interior, migration_views
    from lsg_analysis.geo import border

    res = Results("02_migration_border", dict(p))
    geo, level = migration_views.BORDER_SOURCES, p["level"]
    national = border_table[list(border.NEIGHBOURS)].sum()
    res.metric(
        "level",
        level,
        "id",
        sources=geo,
        note="units of border_lengths and n_border_units; the comparison is recorded at both levels",
    )
    for key, km in national.items():
        res.metric(f"border_km_{key}", km, "km", sources=geo, note="measured, HDX 2018 units; see border_published")
    res.metric("border_km_total", national.sum(), "km", sources=geo)
    res.metric("n_border_units", int(border_table["border"].sum()), "units", sources=geo, note=f"level {level}")
    res.metric("n_interior_units", int((~border_table["border"]).sum()), "units", sources=geo, note=f"level {level}")
    measured = window[window["status"] == "ok"]
    pop_src = _population_sources(measured)
    src = {
        "growth": sorted({*geo, *pop_src}),
        "poverty": sorted({*geo, *pop_src, *migration_views.indicator_sources(obs, "poverty_rate")}),
        "rayon_poverty": sorted(
            {*geo, *migration_views.indicator_sources(obs, "rayon_poverty_rate", "population_rayon_2021")}
        ),
        "interior": geo,
    }
    for key, m in border_interior.comparison_metrics(bvi, border.border_table(1)["border"]).items():
        res.metric(key, m["value"], m["unit"], year=m["year"], sources=src[m["group"]], note=m["note"])
    res.metric(
        "n_depopulating",
        int(measured["depopulating"].sum()) if len(measured) else None,
        "units",
        year=f"{p['year_from']}-{p['year_to']}",
        sources=pop_src,
        note=f"oblast level, {len(measured)} of {len(window)} units measurable in the window",
    )
    res.metric("window", f"{p['year_from']}-{p['year_to']}", "text", sources=pop_src)
    record_border_sensitivity(res, sens, src)
    record_national_migration(res, demog)
    _migration_tables(
        res, border_table, check, window, bvi, demog, geo, pop_src, sorted({s for ids in src.values() for s in ids})
    )
    return res


def record_border_sensitivity(res: Results, sens: Any, sources: Mapping[str, list[str]]) -> None:
    """Record ``n_flagged_inputs``, ``<comparison>_gap_pp_unflagged`` (growth, poverty, rayon_poverty: the gap
    without the flagged cells it reads; the recorded gap when it reads none) and the ``flagged`` table (``sens``:
    :func:`~lsg_analysis.analysis.flagged.border_sensitivity`; ``sources``: comparison → source ids)."""
    cells = sens.cells
    n = len(cells[["code", "year", "indicator", "source_id"]].drop_duplicates())
    every = sorted({s for ids in sources.values() for s in ids})
    none = "no input of this comparison is flagged (data/processed/flags.csv): equal to the recorded gap"
    res.metric("n_flagged_inputs", n, "cells", sources=every, note=none if n == 0 else "see table flagged")
    for prefix, gap in sens.gaps.items():
        mine = cells[cells["comparison"] == prefix]
        note = none if mine.empty else f"the comparison run again without its {len(mine)} flagged input row(s)"
        year = res.metrics.get(f"{prefix}_gap_pp", {}).get("year")
        res.metric(
            f"{prefix}_gap_pp_unflagged", gap, "percentage points", year=year, sources=sources[prefix], note=note
        )
    res.table(
        "flagged",
        cells,
        sources=every,
        note="doubtful inputs used as published, by comparison: rule and note from data/processed/flags.csv",
    )


def _population_sources(measured: Any) -> list[str]:
    """Sources of the measured population change; with no unit measured, the first source of the population's
    default series (``indicator_meta.default_source``, e.g. ``D01:2012-2020;S01:2021-2025``), so the empty result
    still names where it would come from."""
    if len(measured):
        return sorted(set(measured["source_id"]))
    from lsg_analysis.analysis.migration import POPULATION
    from lsg_analysis.data.load import load_indicator_meta

    chain = str(load_indicator_meta(POPULATION)["default_source"].iloc[0])
    return [chain.split(";")[0].split(":")[0]]


def record_national_migration(res: Results, demog: Any) -> None:
    """The latest national net migration (rows the series uses, ``used`` = yes of
    :func:`~lsg_analysis.analysis.net_migration.demographic_series`), its first year and the transcribed years."""
    used = demog[demog["used"] == "yes"] if "used" in demog.columns else demog
    known = used[used["net_migration"].notna()]
    last = known.iloc[-1] if len(known) else None
    note = "no national net migration in the data" if last is None else last["basis"]
    year = None if last is None else int(last["year"])
    src = sorted(set(demog["source_id"])) if last is None else [str(last["source_id"])]
    for key, col, unit in (
        ("net_migration_national_last", "net_migration", "persons"),
        ("net_migration_rate_national_last", "net_migration_rate", "per 1 000 mean population"),
        ("natural_increase_national_last", "natural_increase", "persons"),
    ):
        res.metric(key, None if last is None else last[col], unit, year=year, sources=src, note=note)
    marked = known[known["flag"].str.contains("transcribed", regex=False)] if "flag" in known.columns else known[:0]
    res.metric(
        "net_migration_national_first_year",
        None if known.empty else int(known["year"].min()),
        "year",
        sources=sorted(set(known["source_id"])),
        note="first year of the national net migration series (table national_migration, used = yes)",
    )
    res.metric(
        "net_migration_national_transcribed_years",
        ";".join(str(int(y)) for y in marked["year"]),
        "text",
        sources=sorted(set(marked["source_id"])),
        note="years whose value is transcribed from NSC press releases (flag transcribed), not read from an NSC file",
    )


def _migration_tables(
    res: Results,
    table: Any,
    check: Any,
    window: Any,
    bvi: Any,
    demog: Any,
    geo: list[str],
    pop_src: list[str],
    bvi_src: list[str],
) -> None:
    from lsg_analysis.geo import border

    res.table(
        "border_lengths",
        table.reset_index()[["code", *border.NEIGHBOURS, "total_km", "perimeter_share", "border", "dist_km"]],
        sources=geo,
    )
    res.table("border_published", check.reset_index(), sources=geo, note="measured vs published, km and % difference")
    res.table(
        "population_change",
        window[["code", "year_from", "year_to", "growth_pct_per_year", "depopulating", "border", "status", "reason"]],
        sources=pop_src,
    )
    res.table(
        "border_vs_interior",
        bvi[
            [
                "level",
                "measure_id",
                "measure",
                "weighting",
                "border",
                "interior",
                "gap",
                "p",
                "n_border",
                "n_interior",
                "period",
                "cliffs_delta",
                "exposure",
                "rho",
                "test",
                "note",
            ]
        ],
        sources=bvi_src,
    )
    res.table(
        "national_migration",
        demog,
        sources=sorted(set(demog["source_id"])),
        note="net_migration = registered (immigrants − emigrants) where given, else the residual; see method, basis. "
        "One row per table and year: used = yes is the row the series takes (source order of data/indicators.yml); "
        "flag = transcribed marks values transcribed from NSC press releases",
    )


# ------------------------------------------------------------------ 03_consultations
def record_consultations(
    p: Mapping[str, Any], register: Any, rates: Any, by: Mapping[str, Any], by_year: Any
) -> Results:
    """Notebook 03's results (keys in docs/results.md): register size, the public-record share (P01) with n and
    the bounds the unknowns allow (a Wilson interval only for a register declared a census or a random sample),
    the updates applied, the consultation rate (I03b), the median discussion length (I04b) and the portal share (I01b) — suppressed rates
    recorded as null — and the rates, rates-by-grouping, by-year and drafts tables."""
    from lsg_analysis.analysis import consultation_views, consultations

    import datetime as dt

    res = Results("03_consultations", dict(p))
    sources, key = consultation_views.register_sources(register), rates.set_index("indicator")
    read = dt.datetime.now(dt.timezone.utc).date().isoformat()
    res.own_sources.update(consultation_views.register_provenance(register, read))
    res.metric("n_rows", len(register), "drafts", sources=sources)
    res.metric(
        "n_state_drafts",
        len(consultations.state_drafts(register)),
        "drafts",
        sources=sources,
        note="LSG bodies' own drafts (act_type = local_council_decision) excluded",
    )
    p01 = key.loc["P01"]
    sampling = rates.attrs.get("register_sampling", register.attrs.get("register_sampling", "unknown"))
    sampled = sampling in consultations.SAMPLED
    res.metric("public_record_share", p01["value"], "share", sources=sources, note=p01["note"])
    bounds = "every draft whose LSG involvement is unknown counted as no (low) and as yes (high)"
    res.metric("public_record_n_unknown", p01["n_unknown"], "drafts", sources=sources, note=bounds)
    res.metric("public_record_share_bound_low", p01["bound_low"], "share", sources=sources, note=bounds)
    res.metric("public_record_share_bound_high", p01["bound_high"], "share", sources=sources, note=bounds)
    ci_note = "Wilson 95 %" if sampled else f"null: no sampling interval (register_sampling = {sampling})"
    for end in ("low", "high"):
        res.metric(
            f"public_record_share_ci_{end}",
            p01[f"ci_{end}"] if sampled else None,
            "share",
            sources=sources,
            note=ci_note,
        )
    res.metric("register_sampling", sampling, "id", sources=sources, note="how the register's drafts were chosen")
    i03b = key.loc["I03b"]
    res.metric(
        "consultation_rate",
        _shown(i03b),
        "share",
        sources=sources,
        note="I03b any-LSG consultation rate; " + i03b["note"],
    )
    res.metric("consultation_rate_n_known", i03b["n_known"], "drafts", sources=sources)
    res.metric("consultation_rate_unknown_share", i03b["unknown_share"], "share", sources=sources)
    res.metric("median_discussion_days", _shown(key.loc["I04b"]), "days", sources=sources, note=key.loc["I04b", "note"])
    res.metric(
        "portal_share",
        _shown(key.loc["I01b"]),
        "share",
        sources=sources,
        note="I01b portal publication rate; " + key.loc["I01b", "note"],
    )
    res.metric("sample_note", "not a random sample", "text", sources=sources, note=consultations.NOT_RANDOM)
    updates = consultation_views.updates_table(register)
    res.metric("n_updates", len(updates), "updates", sources=sources, note="dated, sourced updates applied to rows")
    columns = consultation_views.RATES_COLUMNS
    res.table("rates", rates[columns], sources=sources)
    res.table("rates_by", consultation_views.stack_by(by)[["by", *columns]], sources=sources)
    res.table("by_year", by_year, sources=sources)
    res.table("drafts", consultation_views.drafts_table(register), sources=sources, note="titles are data: escape them")
    res.table("updates", updates, sources=sources, note="values are data: escape them")
    return res


def _shown(rate: Any) -> Any:
    """A rate's value as recorded: null when the rules suppress it."""
    return None if rate["suppressed"] else rate["value"]


# ------------------------------------------------------------------ 04_context
def record_context(p: Mapping[str, Any], main: Any, gdl: Any, suite: Mapping[str, Any], trend: Any) -> Results:
    """Notebook 04's results (keys in docs/results.md): Kyrgyzstan's value with n_regions, its rank among all
    countries and among countries with a similar number of regions, and the medians — on the run's source with
    Kyrgyzstan from the NSC (``main``) and on GDL like for like (``gdl``) —, the two Theil T definitions of the NSC
    units, and the countries and trend tables. ``main``/``gdl``: :class:`~lsg_analysis.analysis.context.Comparison`;
    ``suite``: :func:`~lsg_analysis.analysis.context.suite_theil`."""
    from lsg_analysis.analysis import context

    res = Results("04_context", dict(p))
    unit = "ratio" if p["measure"] == "max_min" else "index"
    src = main.sources
    res.metric("source", p["source"], "id", sources=src, note=context.SOURCES[p["source"]][1])
    res.metric("measure", p["measure"], "id", sources=src, note=context.MEASURES[p["measure"]][1])
    res.metric("year", main.year, "year", sources=src)
    origin = (
        "Kyrgyzstan from the NSC: 7 oblasts, Bishkek and Osh city"
        if main.add
        else f"Kyrgyzstan from its own GDL regions: the NSC does not compute {main.source}"
    )
    _context_comparison(res, "", main, unit, origin)
    _context_comparison(res, "gdl_", gdl, unit, "Kyrgyzstan from its own GDL regions (like for like)")
    res.metric("gdl_source", gdl.source, "id", sources=gdl.sources, note=context.SOURCES[gdl.source][1])
    res.metric(
        "gdl_year",
        gdl.year,
        "year",
        sources=gdl.sources,
        note="" if gdl.year == main.year else f"{main.year} not in {gdl.source}: its latest year with Kyrgyzstan",
    )
    res.metric(
        "similar_share",
        context.SIMILAR_N,
        "share",
        sources=src,
        note="similar number of regions: n_regions within ± this share of Kyrgyzstan's",
    )
    for key, name in (("kgz_theil_weighted", "weighted"), ("kgz_theil_unweighted", "unweighted")):
        res.metric(
            key,
            suite[name],
            "index",
            year=main.year,
            sources=suite["sources"],
            note=(suite["weight_note"] + "; notebook 01's definition")
            if name == "weighted"
            else "each unit counts once (the OECD's regional Theil)",
        )
    res.metric("kgz_theil_n_regions", suite["n_regions"], "regions", year=main.year, sources=suite["sources"])
    columns = ["rank", "iso3", "source", "year", "n_regions", "value", "highlighted", "similar_n"]
    res.table("countries", main.table[columns], sources=src, note=context.describe_comparison(main))
    res.table("countries_gdl", gdl.table[columns], sources=gdl.sources, note=context.describe_comparison(gdl))
    res.table(
        "trend",
        trend[context.TREND_COLUMNS],
        sources=sorted({*src, *gdl.sources, *_trend_sources(trend)}),
        note="median rows: n_regions = the median count, n_countries = countries; Kyrgyzstan excluded",
    )
    return res


def _context_comparison(res: Results, prefix: str, c: Any, unit: str, note: str) -> None:
    from lsg_analysis.analysis.context import SIMILAR_N

    k, (low, high), src, year = c.kgz, c.similar, c.sources, c.year
    similar = f"n_regions {low} to {high} (Kyrgyzstan's {k['n_regions']} ± {SIMILAR_N:.0%})"
    res.metric(f"{prefix}kgz_value", k["value"], unit, year=year, sources=src, note=note)
    res.metric(f"{prefix}kgz_n_regions", k["n_regions"], "regions", year=year, sources=src, note=note)
    res.metric(f"{prefix}kgz_rank", k["rank"], "rank", year=year, sources=src, note="1 = most unequal")
    res.metric(f"{prefix}n_ranked", k["of"], "countries", year=year, sources=src, note="Kyrgyzstan included")
    res.metric(f"{prefix}kgz_rank_similar", c.rank_similar, "rank", year=year, sources=src, note=similar)
    res.metric(f"{prefix}n_ranked_similar", c.of_similar, "countries", year=year, sources=src, note=similar)
    res.metric(f"{prefix}similar_n_low", low, "regions", year=year, sources=src, note=similar)
    res.metric(f"{prefix}similar_n_high", high, "regions", year=year, sources=src, note=similar)
    res.metric(f"{prefix}median", c.median, unit, year=year, sources=src, note="median of the other countries")
    res.metric(
        f"{prefix}median_similar",
        c.median_similar,
        unit,
        year=year,
        sources=src,
        note="median of the other countries with " + similar,
    )


def _trend_sources(trend: Any) -> list[str]:
    from lsg_analysis.analysis import context

    return sorted({s for source in set(trend["source"]) for s in context.source_ids(source)})
