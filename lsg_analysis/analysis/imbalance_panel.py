"""Is the imbalance growing? An indicator as a units × years panel (:class:`Panel`) and what notebook 01 shows of it:
the inequality trend, convergence, spatial clustering and the north/south (or oblast) grouping.

Only loading and reshaping for display live here; every measure is computed by :mod:`lsg_analysis.measures`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

#: Permutations of every permutation test the notebooks run (Moran, LISA, the between-group share).
PERMUTATIONS = 999


def north_south(codes: Any) -> Any:
    """``north``/``south`` for each level-1 code (a pandas Series): the ``north_south`` grouping of
    ``registry/groups.csv`` (Osh city is in the south, Bishkek in the north); other codes → error."""
    import pandas as pd

    from lsg_analysis.core.errors import ParameterError
    from lsg_analysis.registry import groups

    ns = groups.grouping("north_south")
    codes = pd.Series(codes)
    out = codes.map(ns)
    if out.isna().any():
        raise ParameterError("code", codes[out.isna()].iloc[0], "an oblast or city code: " + ", ".join(ns))
    return out


@dataclass(frozen=True)
class Panel:
    """An indicator as a units × years table, with the population used to weight it and what to say about it."""

    indicator: str
    level: str
    name: str
    unit: str
    values: Any  # DataFrame code × year (NaN = no value: never filled)
    population: Any  # DataFrame code × year, or None when no population of the right kind exists
    weighted: bool
    weight_note: str
    sources: list[str]
    breaks: dict[int, str]  # first year after a declared break → its description
    names: Any  # Series code → name
    groups: Any  # Series code → group (north/south at oblast level; parent oblast at rayon level)
    group_note: str
    weight_by: str = ""  # the indicator's weighting population ("" or "none": unweighted)
    start_note: str = ""  # set by usable(): why the panel starts later than the first year with data

    @property
    def weights(self) -> Any:
        return self.population if self.weighted else None

    @property
    def years(self) -> list[int]:
        """The panel's years, first to last."""
        return [int(y) for y in self.values.columns]

    @property
    def break_marks(self) -> dict[int, str]:
        """First year after each declared break → "break" (the short label a chart draws)."""
        return dict.fromkeys(self.breaks, "break")


def map_codes(level: str) -> list[str]:
    """Codes of the map units at ``level`` (the 9 oblasts/cities, or the rayon map's units)."""
    import pandas as pd

    from lsg_analysis.geo import boundaries

    return list(pd.Series(boundaries.read(level)["code"]).astype(str))


def imbalance_panel(
    indicator: str, level: str, year_from: int, year_to: int, *, weighted: bool = True, lang: str = "en"
) -> Panel:
    """Load ``indicator`` at ``level`` for the years, its weighting population and groups.

    Weights: the indicator's ``weight_by`` population (indicator_meta.csv) of the same year; a single-year
    population (rayon level) weights every year alike. A value without its weight is left out of the
    weighted measures (never filled). ``weight_by = none`` → unweighted, and the note says so.
    """
    import pandas as pd

    from lsg_analysis.registry import regions
    from lsg_analysis.data.load import load_indicator_meta, load_indicators
    from lsg_analysis.core.levels import parse_level
    from lsg_analysis.data import series

    meta = load_indicator_meta(indicator, lang=lang).iloc[0]
    lvl = parse_level(level, allowed=(1, 2))
    units = map_codes(level)
    data = load_indicators(indicator, level=lvl, years=(year_from, year_to), lang=lang)
    data = data[data["code"].isin(units) & data["value"].notna()]
    values = data.pivot(index="code", columns="year", values="value").sort_index()
    values.columns = values.columns.astype(int)
    sources = sorted(set(data["source_id"]))
    value_sources = list(sources)
    population, note, pop_sources = _weights(indicator, str(meta["weight_by"]), lvl, values, weighted, lang)
    sources += sorted(pop_sources - set(sources))
    breaks = series.panel_breaks(
        series.read_breaks(indicator=indicator), indicator, value_sources, values.index, year_from, year_to
    )
    names = pd.Series(regions.names(list(values.index), lang), index=values.index)
    groups, gnote = _groups(level, values.index)
    return Panel(
        indicator,
        level,
        str(meta.get("name", indicator)),
        str(meta["unit"]),
        values,
        population,
        weighted and population is not None,
        note,
        sources,
        breaks,
        names,
        groups.astype(str),
        gnote,
        str(meta["weight_by"]),
    )


def _weights(
    indicator: str, weight_by: str, lvl: int, values: Any, weighted: bool, lang: str
) -> tuple[Any, str, set[str]]:
    """The weighting population of a panel (code × year, or None), the note saying how it weights, and its
    source ids: the ``weight_by`` population of the same year, or its only year for every year."""
    import pandas as pd

    from lsg_analysis.data.load import load_indicators

    if weight_by in ("", "none", "nan"):
        note = (
            f"unweighted: indicator_meta gives no population to weight {indicator} by (weight_by = none)"
            if weighted
            else "unweighted: each unit counts once"
        )
        return None, note, set()
    pop = load_indicators(weight_by, level=lvl, lang=lang)
    pop = pop[pop["code"].isin(values.index)]
    table = pop.pivot(index="code", columns="year", values="value")
    if table.shape[1] > 1:
        table = table.reindex(columns=values.columns)
        pop = pop[pop["year"].isin(values.columns)]
    if table.shape[1] == 1:
        only = int(table.columns[0])
        population = pd.DataFrame({y: table[only] for y in values.columns}).reindex(values.index)
        note = f"weighted by {weight_by} of {only} (one population year for all years)"
    else:
        population = table.reindex(index=values.index, columns=values.columns)
        note = f"weighted by {weight_by} at the start of each year"
    if not weighted:
        note = f"unweighted (each unit counts once); population ({weight_by}) shown for reference"
    return population, note, set(pop["source_id"])


def _groups(level: str, codes: Any) -> tuple[Any, str]:
    """The group of each unit and what the grouping is: north/south at oblast level, else the parent oblast."""
    import pandas as pd

    from lsg_analysis.registry import regions

    own = pd.Series(codes, index=codes)
    if level == "oblast":
        return north_south(own), (
            "north = Chui, Issyk-Kul, Naryn, Talas, Bishkek; south = Osh, Jalal-Abad, Batken, Osh city"
        )
    parent = regions.regions().set_index("code")["parent"].reindex(codes)
    return (
        parent.where(parent.notna() & (parent != ""), own),
        "rayons and cities grouped by their oblast (Bishkek and Osh city each their own group)",
    )


def usable(panel: Panel, minimum: int = 3) -> Panel:
    """The panel with values lacking a weight masked (weighted runs) and years with fewer than ``minimum``
    units dropped — so every measure sees the same units as its weights."""
    from dataclasses import replace

    values = panel.values
    if panel.weighted:
        values = values.where(panel.population.notna() & (panel.population > 0))
    keep = [y for y in values.columns if values[y].notna().sum() >= minimum]
    note = _start_note(panel, values, keep, minimum)
    values = values[keep]
    pop = None if panel.population is None else panel.population[keep]
    return replace(panel, values=values, population=pop, start_note=note)


def _start_note(panel: Panel, masked: Any, keep: list[Any], minimum: int) -> str:
    """Why the usable panel's first year (``keep[0]``) is later than the first year with data, or ""."""
    first_data = int(panel.values.columns[0]) if panel.values.shape[1] else None
    if not keep or first_data is None or int(keep[0]) <= first_data:
        return ""
    start = int(keep[0])
    head = f"starts in {start}, not {first_data}: "
    early = [y for y in panel.values.columns if int(y) < start]
    if panel.weighted:
        pop = panel.population
        with_pop = [int(y) for y in pop.columns if pop[y].notna().any()]
        if with_pop and not pop[early].notna().any().any():
            return head + f"population weights ({panel.weight_by}) begin in {with_pop[0]}"
        if any(panel.values[y].notna().sum() >= minimum for y in early):
            return head + (
                f"before {start} fewer than {minimum} units a year have both a value and a population "
                f"weight ({panel.weight_by})"
            )
    return head + f"before {start} fewer than {minimum} units a year have a value"


def imbalance_trend(panel: Panel, *, n_boot: int, seed: int) -> Any:
    """Per year: Theil T (bootstrap 95 % CI), Gini, Williamson, CV, max/min, top/bottom 20 %, between share;
    ``break`` = the declared series break just before that year (text) or None."""
    import numpy as np
    import pandas as pd

    from lsg_analysis.measures import decomposition, inequality, inference

    v, w = panel.values, panel.weights
    kw = {"nan": "drop"}
    out = pd.DataFrame({"year": v.columns.astype(int)})
    out["theil"] = np.asarray(inequality.theil(v, w, **kw), dtype=float)
    if n_boot > 0:
        ci = inference.bootstrap_ci(inequality.theil, v, w, rng=seed, n=n_boot, **kw)
        out["theil_ci_low"], out["theil_ci_high"] = np.asarray(ci.low, float), np.asarray(ci.high, float)
    else:
        out["theil_ci_low"] = out["theil_ci_high"] = np.nan
    out["gini"] = np.asarray(inequality.gini(v, w, **kw), dtype=float)
    out["williamson"] = np.nan  # population-weighted by definition: only years with population for 2+ units
    if panel.population is not None:
        has = panel.population.notna() & v.notna()
        cols = [y for y in v.columns if has[y].sum() >= 2]
        if cols:
            vw = v[cols].where(has[cols])
            out.loc[out["year"].isin(cols), "williamson"] = np.asarray(
                inequality.williamson(vw, panel.population[cols].where(has[cols]), **kw), dtype=float
            )
    out["cv"] = np.asarray(inequality.cv(v, **kw), dtype=float)
    out["max_min_ratio"] = np.asarray(inequality.max_min_ratio(v, **kw), dtype=float)
    out["top_bottom_20_ratio"] = np.asarray(inequality.top_bottom_ratio(v, w, **kw), dtype=float)
    d = decomposition.theil_decomposition(v, panel.groups.reindex(v.index), w, **kw)
    out["between"], out["within"] = np.asarray(d.between, float), np.asarray(d.within, float)
    out["between_share"] = out["between"] / out["theil"]
    out["break"] = [panel.breaks.get(int(y)) for y in out["year"]]
    return out


def by_region(panel: Panel, lisa: Any | None = None) -> Any:
    """Long table ``code, year, value, population, lisa`` (lisa only in the last year)."""
    v = panel.values.stack().rename("value").reset_index()
    v.columns = ["code", "year", "value"]
    if panel.population is not None:
        pop = panel.population.stack().rename("population").reset_index()
        pop.columns = ["code", "year", "population"]
        v = v.merge(pop, on=["code", "year"], how="left")
    else:
        v["population"] = None
    v["lisa"] = None
    if lisa is not None:
        last = v["year"] == v["year"].max()
        v.loc[last, "lisa"] = v.loc[last, "code"].map(lisa).astype(object)
    return v[["code", "year", "value", "population", "lisa"]]


def change_pct(first: float, last: float, breaks: Mapping[int, str], y0: int, y1: int) -> float | None:
    """(last − first)/first × 100, or None when a declared break lies between the two years."""
    if any(y0 < y <= y1 for y in breaks):
        return None
    return (last - first) / first * 100


def unbroken_span(years: Any, breaks: Mapping[int, str]) -> tuple[int, int] | None:
    """The longest run of ``years`` with no declared series break inside it, as ``(first, last)``.

    A break keyed ``y`` (the first year after it) separates every year before ``y`` from ``y`` and later. Runs are
    compared by the years they span (last − first); of equally long runs the latest wins. None when no run has two
    years. A year missing from ``years`` (too few units) does not cut a run: it is not a break.
    """
    ys = sorted(int(y) for y in years)
    runs: list[list[int]] = []
    for y in ys:
        if runs and not any(runs[-1][-1] < b <= y for b in breaks):
            runs[-1].append(y)
        else:
            runs.append([y])
    best = max((r for r in runs if len(r) >= 2), key=lambda r: (r[-1] - r[0], r[0]), default=None)
    return None if best is None else (best[0], best[-1])


class ConvergenceTests(NamedTuple):
    """Sigma and beta convergence of a panel within one segment (``first``–``last``, no declared series break
    between them); ``None`` with ``why`` when they cannot be measured."""

    sigma: Any
    beta: Any
    why: str
    first: int | None = None
    last: int | None = None


class ChangeTest(NamedTuple):
    """The change of Theil T between the first and the last year of a segment (``first``–``last``) with its paired
    bootstrap interval (:func:`lsg_analysis.measures.inference.change_ci`); ``ci`` None with ``why`` when it cannot
    be computed."""

    ci: Any
    first: int | None
    last: int | None
    why: str
    replicates: int = 0
    seed: int | None = None


class SpatialTests(NamedTuple):
    """Moran's I and LISA clusters of one year; ``None`` with ``why`` when they cannot be computed."""

    moran: Any
    lisa: Any
    why: str
    permutations: int = PERMUTATIONS


def segment(panel: Panel) -> tuple[int, int] | None:
    """The segment every measure of change uses: the panel's longest run of years without a declared series break
    (:func:`unbroken_span`; the whole window when it has none), or None when no two years are comparable."""
    return unbroken_span(panel.years, panel.breaks)


def _segment_values(panel: Panel, span: tuple[int, int]) -> tuple[Any, Any]:
    """Values and weights of the years ``span[0]..span[1]`` of the panel."""
    cols = [y for y in panel.values.columns if span[0] <= int(y) <= span[1]]
    return panel.values[cols], None if panel.weights is None else panel.weights[cols]


def theil_change_test(panel: Panel, *, n_boot: int, seed: int) -> ChangeTest:
    """T(last) − T(first) over the :func:`segment` with its 95 % paired bootstrap interval (``n_boot`` draws of the
    units present in both years, generator seeded with ``seed`` via :func:`lsg_analysis.core.rng.generator`)."""
    from lsg_analysis.core.rng import generator
    from lsg_analysis.measures import inequality, inference

    span = segment(panel)
    if span is None:
        return ChangeTest(None, None, None, "no two years of the window lie between the same series breaks")
    first, last = span
    if n_boot <= 0:
        return ChangeTest(None, first, last, "n_boot = 0: no bootstrap interval")
    v, w = _segment_values(panel, span)
    pair = v[[v.columns[0], v.columns[-1]]]
    weights = None if w is None else w[[w.columns[0], w.columns[-1]]]
    both = int(pair.notna().all(axis=1).sum())
    if both < 3:
        return ChangeTest(None, first, last, f"fewer than 3 units with a value in {first} and {last} ({both})")
    ci = inference.change_ci(inequality.theil, pair, weights, rng=generator(seed), n=n_boot)
    return ChangeTest(ci, first, last, "", n_boot, seed)


def describe_change_test(test: ChangeTest) -> str:
    """The notebook's line on the Theil change and its interval (or why it is missing)."""
    if test.ci is None:
        return f"change of Theil T: not tested ({test.why})"
    c = test.ci
    verdict = "excludes 0: a change" if c.excludes_zero else "includes 0: no change shown"
    return (
        f"change of Theil T {test.first}→{test.last}: {c.estimate:+.4f} (paired bootstrap 95 % CI "
        f"{c.low:+.4f} to {c.high:+.4f}, {c.n} units in both years, {test.replicates} draws); the interval {verdict}"
    )


def convergence_tests(panel: Panel) -> ConvergenceTests:
    """Sigma (sd of log values) and beta convergence within the panel's :func:`segment` — never across a declared
    series break —, or ``None`` with the reason when the segment is missing or has fewer than 3 units."""
    from lsg_analysis.measures import convergence

    span = segment(panel)
    if span is None:
        return ConvergenceTests(None, None, "no two years of the window lie between the same series breaks")
    values, weights = _segment_values(panel, span)
    sigma = convergence.sigma_convergence(values, weights, measure="sd_log", nan="drop")
    both = values.iloc[:, [0, -1]].notna().all(axis=1).sum()
    if both < 3:
        return ConvergenceTests(
            sigma, None, f"beta convergence needs 3 units with a first and a last value; found {both}", *span
        )
    return ConvergenceTests(sigma, convergence.beta_convergence(values, weights, nan="drop"), "", *span)


def describe_convergence(conv: ConvergenceTests) -> str:
    """The notebook's lines on sigma and beta convergence and the segment they are measured in (or why they are
    missing)."""
    lines = [] if conv.first is None else [f"measured within {conv.first}–{conv.last} (no declared series break)"]
    if conv.sigma is not None:
        s = conv.sigma
        lines.append(
            f"sigma: slope {s.slope:.4f} per year" + (f" (p = {s.p_value:.3f})" if s.p_value is not None else "")
        )
    if conv.beta is not None:
        b = conv.beta
        tail = (
            f"half-life {b.half_life:.1f} years"
            if b.half_life
            else "no convergence (slope ≥ 0)"
            if b.slope >= 0
            else "no half-life (b·T < −1: the fit overshoots)"
        )
        lines.append(f"beta: slope {b.slope:.4f} (se {b.slope_se:.4f}, p = {b.p_value:.3f}, n = {b.n}), " + tail)
    return "\n".join([*lines, conv.why])


def spatial_tests(values: Any, regions: Any, seed: int) -> SpatialTests:
    """Moran's I and LISA clusters of one year's ``values`` (Series by code) on ``regions``, or ``None`` with
    the reason when too few units with neighbours have a value (each test gets its own generator seeded with
    ``seed``, :func:`lsg_analysis.core.rng.generator`)."""
    from lsg_analysis.measures import spatial
    from lsg_analysis.core.errors import LsgError

    try:
        moran = spatial.moran(values, regions, rng=seed, nan="drop", permutations=PERMUTATIONS)
        lisa = spatial.lisa(values, regions, rng=seed, nan="drop", permutations=PERMUTATIONS)
    except LsgError as e:
        return SpatialTests(None, None, f"no spatial test: {e}")
    return SpatialTests(moran, lisa, "")


def describe_spatial(spat: SpatialTests) -> str:
    """The notebook's line on Moran's I (or why it is missing)."""
    m = spat.moran
    if m is None:
        return spat.why
    islands = f"; units without neighbours left out: {', '.join(m.islands)}" if m.islands else ""
    return (
        f"Moran's I = {m.I:.3f} (expected {m.expected:.3f} without autocorrelation), permutation p = "
        f"{m.p_sim:.3f}, n = {m.n}" + islands
    )


def describe_between_share(panel: Panel, *, seed: int) -> str:
    """The last year's between-group share of Theil T and its permutation p (:data:`PERMUTATIONS` draws, seeded)."""
    import numpy as np

    from lsg_analysis.measures.decomposition import between_share_test

    last = panel.values.columns[-1]
    test = between_share_test(
        panel.values[[last]],
        panel.groups.reindex(panel.values.index),
        None if panel.weights is None else panel.weights[[last]],
        rng=seed,
        n=PERMUTATIONS,
        nan="drop",
    )
    return (
        f"{last}: between-group share {float(np.ravel(test.observed)[0]):.1%}, "
        f"permutation p = {float(np.ravel(test.p_value)[0]):.3f} ({PERMUTATIONS} permutations)"
    )


def describe_panel(panel: Panel) -> str:
    """What the panel holds: name, unit, level, years (and, after :func:`usable`, why they start later than the
    data), units a year, weighting, sources and series breaks."""
    years = [int(y) for y in panel.values.columns]
    counts = panel.values.notna().sum()
    lines = [
        f"{panel.name} ({panel.unit}); {panel.level} level, {years[0]}–{years[-1]}, "
        f"{counts.min()}–{counts.max()} units a year",
        panel.weight_note,
        "sources: " + ", ".join(panel.sources),
    ]
    lines += [f"series break before {year}: {text}" for year, text in panel.breaks.items()]
    if panel.start_note:
        lines.insert(1, panel.start_note)
    return "\n".join(lines)


def growth_table(panel: Panel, conv: ConvergenceTests) -> Any:
    """Per unit: ``name, log_initial`` (ln of the value in the first year of the convergence segment
    ``conv.first``) and ``growth`` (mean annual log growth to ``conv.last``) — the data of the beta-convergence
    scatter; empty when no segment was measured."""
    import numpy as np
    import pandas as pd

    if conv.first is None or conv.last is None:
        return pd.DataFrame(columns=["name", "log_initial", "growth"])
    v = panel.values
    first, last = conv.first, conv.last
    return pd.DataFrame(
        {
            "name": panel.names.reindex(v.index),
            "log_initial": np.log(v[first]),
            "growth": np.log(v[last] / v[first]) / (int(last) - int(first)),
        }
    ).dropna()
