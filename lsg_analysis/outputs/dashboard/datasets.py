"""The datasets the charts and controls run on, each row with its labels in every language.

The page feeds them by name into the Vega-Lite specs of :mod:`lsg_analysis.outputs.dashboard.specs`
(``trend``, ``measures``, ``border``, ``growth``, ``rates``, ``by_year``); the indicator table, its metadata and
the region names drive the map and the ranking.
"""

from __future__ import annotations

import math
from typing import Any

from lsg_analysis.core.levels import LANGS
from lsg_analysis.outputs.dashboard.texts import Text, int_text, num
from lsg_analysis.runs import results

#: consultation indicators shown in the rates chart (shares 0–1; ids of consultations.specs), in this order
RATE_INDICATORS = ("P01", "I01", "I02", "I03", "I03b", "I04", "I05", "I06", "I07", "I08", "I09")
#: inequality measures of the trend table drawn without CIs, with their catalogue keys (legend order)
MEASURE_NAMES = {"gini": "gini_coefficient", "williamson": "dash_williamson", "cv": "dash_cv"}
#: message-catalogue key of a border-vs-interior measure: this prefix + the ``measure_id`` notebook 02 records
#: (``lsg_analysis.analysis.border_interior.MEASURES``)
MEASURE_KEY_PREFIX = "measure_"
Rows = list[dict[str, Any]]


def _texts() -> dict[str, Text]:
    return {lang: Text(lang) for lang in LANGS}


def columnar(rows: Rows, columns: list[str]) -> dict[str, Any]:
    """``{"columns": [...], "data": [column values, ...]}``: the compact form the page reads with ``rowsOf``."""
    return {"columns": list(columns), "data": [[results.clean(r.get(c)) for r in rows] for c in columns]}


# ---------------------------------------------------------------- regions and indicators
def region_names(regions: Any) -> dict[str, dict[str, Any]]:
    """code → names in ky/ru/en and the map levels it is shown on (national, oblast, rayon)."""
    out = {}
    for r in regions.to_dict("records"):
        level = int(r["level"])
        on_rayon_map = str(r.get("rayon_map")).strip().lower() in ("true", "1", "yes")
        levels = {
            0: ["national"],
            1: ["oblast"] + (["rayon"] if on_rayon_map else []),
            2: ["rayon"] if on_rayon_map else [],
        }.get(level, [])
        out[str(r["code"])] = {**{lang: str(r[f"name_{lang}"]) for lang in LANGS}, "level": level, "levels": levels}
    return out


def _digits(values: list[float]) -> int:
    """Decimals to show for an indicator: those of the published values, at most 3 below 10 and 1 above."""
    vals = [v for v in values if v is not None]
    if not vals:
        return 1
    observed = max(len(f"{v:.6f}".rstrip("0").split(".")[1]) for v in vals)
    return min(observed, 3 if max(abs(v) for v in vals) < 10 else 1)


def _meta_text(row: dict[str, Any], column: str, i: int) -> str:
    """A display text of indicator_meta.csv; a blank cell is an error (never shown as "nan" or another language)."""
    value = row.get(column)
    if not isinstance(value, str) or not value.strip():
        from lsg_analysis.core.errors import DataError

        raise DataError(
            "data/processed/indicator_meta.csv",
            value,
            f"a {column} for indicator {row['indicator']!r}",
            row=i + 2,
            column=column,
        )
    return value.strip()


def indicator_meta(indicators: Any, meta: Any, names: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], Any]:
    """Per indicator with data on a map: names, unit, years per level, decimals; and the rows the page keeps
    (values present, units in the registry, indicators with metadata). ``title``: per level and language the name
    for the map's and ranking's title, which add the level themselves — the level said once
    (:func:`lsg_analysis.outputs.i18n.without_level`, as in the brief)."""
    from lsg_analysis.outputs import i18n

    ind = indicators[indicators["value"].notna() & indicators["code"].astype(str).isin(names.keys())]
    out = {}
    for i, r in enumerate(meta.to_dict("records")):
        rows = ind[ind["indicator"] == r["indicator"]]
        if rows.empty:
            continue
        level = rows["code"].map(lambda c: names[c]["level"])
        levels = {
            "oblast": sorted({int(y) for y in rows.loc[level == 1, "year"]}),
            "rayon": sorted({int(y) for y in rows.loc[level == 2, "year"]}),
        }
        if not (levels["oblast"] or levels["rayon"]):
            continue
        name = {lang: _meta_text(r, f"name_{lang}", i) for lang in LANGS}
        out[r["indicator"]] = {
            "name": name,
            "title": {lvl: {lang: i18n.without_level(name[lang], lvl, lang) for lang in LANGS} for lvl in levels},
            "unit": {lang: i18n.unit_label(str(r["unit"]), lang) for lang in LANGS},
            "unit_id": str(r["unit"]),
            "levels": levels,
            "digits": _digits([float(v) for v in rows["value"]]),
        }
    return out, ind[ind["indicator"].isin(out.keys())]


# ---------------------------------------------------------------- trend
#: The narrowest plot that shows the break labels (the page drops them below 600 px: 600 − 70 px of axis).
BREAK_LABEL_MIN_WIDTH_PX = 530
BREAK_LABEL_FONT_PX = 10


def _segments(rows: Rows) -> list[int]:
    """Segment number per year row: :func:`lsg_analysis.data.series.split_at_marks` of the rows' break marks."""
    from lsg_analysis.data import series

    return series.split_at_marks([r.get("break") for r in rows])


def _break_lanes(rows: Rows, label: str) -> list[int]:
    """Lane of each break label (one per row with a break mark, in row order) at the narrowest plot that shows
    them: :func:`lsg_analysis.outputs.drawing.lanes` of the labels' estimated widths in years."""
    from lsg_analysis.outputs import drawing

    years = [float(r["year"]) for r in rows]
    per_year = BREAK_LABEL_MIN_WIDTH_PX / max(max(years) - min(years), 1.0)
    half = drawing.text_width_px(label, BREAK_LABEL_FONT_PX) / per_year / 2
    xs = [float(r["year"]) - 0.5 for r in rows if r.get("break") not in (None, "")]
    return drawing.lanes([(x - half, x + half) for x in xs], gap=4 / per_year)


def trend_data(res: dict[str, Any]) -> tuple[Rows, Rows]:
    """Rows for the Theil chart and the long rows of the other measures (labels in every language). ``segment``
    (line) and ``band_segment`` (interval): :func:`lsg_analysis.outputs.drawing.pieces` — a missing year, a
    missing value or a break ends the piece; ``break_lane_<lang>``: the lane of the break label."""
    from lsg_analysis.outputs import drawing

    rows = sorted(results.rows(res, "trend"), key=lambda r: r["year"])
    trend, measures = [], []
    txs = _texts()
    segs, years = _segments(rows), [r["year"] for r in rows]
    line = drawing.pieces(years, [[r.get("theil") for r in rows]], segs)
    band = drawing.pieces(years, [[r.get(k) for r in rows] for k in ("theil_ci_low", "theil_ci_high")], segs)
    lanes = {lang: iter(_break_lanes(rows, tx("series_break"))) for lang, tx in txs.items()} if rows else {}
    for r, piece, band_piece in zip(rows, line, band):
        t = {k: results.clean(r.get(k)) for k in ("year", "theil", "theil_ci_low", "theil_ci_high", "break")}
        t["segment"], t["band_segment"] = piece, band_piece
        marked = r.get("break") not in (None, "")
        t["break_x"] = (r["year"] - 0.5) if marked else None
        for lang, tx in txs.items():
            ci = tx.ci(tx.num(r.get("theil_ci_low"), 3), tx.num(r.get("theil_ci_high"), 3))
            t[f"text_{lang}"] = f"{tx.num(r.get('theil'), 3)} ({ci})"
            t[f"break_lane_{lang}"] = next(lanes[lang]) if marked else None
        trend.append(t)
    for m, key in MEASURE_NAMES.items():
        pieces = drawing.pieces(years, [[r.get(m) for r in rows]], segs)
        for r, piece in zip(rows, pieces):
            if piece is None:
                continue
            row = {"year": results.clean(r["year"]), "measure": m, "value": results.clean(r[m]), "segment": piece}
            for lang, tx in txs.items():
                row[f"label_{lang}"] = tx(key)
                row[f"text_{lang}"] = tx.num(r[m], 3)
            measures.append(row)
    return trend, measures


# ---------------------------------------------------------------- border and growth
def border_data(res: dict[str, Any], names: dict[str, dict[str, Any]]) -> tuple[Rows, Rows]:
    """Long rows border/interior per measure, and growth per unit with names and group labels."""
    return _border_rows(res), _growth_rows(res, names)


def _border_rows(res: dict[str, Any]) -> Rows:
    txs = _texts()
    long = []
    for i, r in enumerate(results.rows(res, "border_vs_interior")):
        if num(r.get("border")) is None and num(r.get("interior")) is None:
            continue  # a measure without data (stays in the CSV with its note)
        key = MEASURE_KEY_PREFIX + str(r.get("measure_id"))
        if not all(tx.i18n.has(key, lang) for lang, tx in txs.items()):
            from lsg_analysis.core.errors import DataError

            raise DataError(
                "reports/results/02_migration_border.json",
                r.get("measure_id"),
                f"a measure id with a message key {MEASURE_KEY_PREFIX}<id> in ky, ru and en "
                "(lsg_analysis/outputs/i18n_data/messages.csv)",
                row=i + 2,
                column="measure_id",
            )
        for group in ("border", "interior"):
            v = num(r.get(group))
            row = {
                "measure": r["measure_id"],
                "weighting": r.get("weighting"),
                "group": group,
                "value": v,
                "label_x": v if v is not None else None,
                "order": i,
            }
            for lang, tx in txs.items():
                row[f"label_{lang}"] = _border_label(tx, key, r)
                row[f"group_{lang}"] = tx(f"col_{group}")
                row[f"text_{lang}"] = tx.num(v, 2)
                row[f"stat_{lang}"] = tx("dash_p_n", p=tx.p(r.get("p")), n=str(results.clean(r.get(f"n_{group}"))))
            long.append(row)
    return long


def _border_label(tx: Text, key: str, r: dict[str, Any]) -> str:
    """The facet label of one comparison: the measure, its weighting, and (both levels in one table) which
    level, when and how many units."""
    label = tx(key)
    if r.get("weighting"):
        label += " (" + tx("dash_weighting_" + str(r["weighting"])) + ")"
    if r.get("level") in ("oblast", "rayon"):
        label += " — " + ", ".join(
            [
                tx(f"level_{r['level']}"),
                *_period_text(r.get("period")),
                f"n = {int_text(r.get('n_border'))} / {int_text(r.get('n_interior'))}",
            ]
        )
    return label


def _period_text(period: Any) -> list[str]:
    """A comparison's period for a label (``2012-2020`` → ``2012–2020``, :func:`i18n.span_text`); nothing when
    unknown or ``-``."""
    from lsg_analysis.outputs import i18n

    text = str(period or "").strip()
    return [] if text in ("", "-", "None") else [i18n.span_text(text)]


def _growth_rows(res: dict[str, Any], names: dict[str, dict[str, Any]]) -> Rows:
    txs = _texts()
    growth = []
    for r in results.rows(res, "population_change"):
        g = {
            "code": r["code"],
            "growth_pct_per_year": num(r.get("growth_pct_per_year")),
            "border": bool(r.get("border")),
            "depopulating": results.clean(r.get("depopulating")),
        }
        if g["growth_pct_per_year"] is None:
            continue
        for lang, tx in txs.items():
            g[f"name_{lang}"] = names.get(r["code"], {}).get(lang, r["code"])
            g[f"group_{lang}"] = tx("col_border" if g["border"] else "col_interior")
            g[f"text_{lang}"] = tx.num(g["growth_pct_per_year"], 2, sign=True)
        growth.append(g)
    return growth


# ---------------------------------------------------------------- consultations
def consult_data(res: dict[str, Any]) -> tuple[Rows, Rows]:
    """Rates with their interval text — the bounds the unknowns allow, a CI only when one was recorded (a census
    or random sample) — or "insufficient data", and drafts by year, long form for stacking."""
    return _rate_rows(res), _by_year_rows(res)


def _rate_rows(res: dict[str, Any]) -> Rows:
    txs = _texts()
    rates = []
    order = {k: i for i, k in enumerate(RATE_INDICATORS)}
    for r in sorted(
        (r for r in results.rows(res, "rates") if r["indicator"] in order),
        key=lambda r: (order[r["indicator"]], str(r.get("group"))),
    ):
        sup = bool(r.get("suppressed"))
        keys = ("indicator", "group", "n", "n_known", "value", "ci_low", "ci_high", "bound_low", "bound_high")
        row = {k: results.clean(r.get(k)) for k in keys}
        row["suppressed"] = sup
        sampled = num(row["ci_low"]) is not None and num(row["ci_high"]) is not None
        row["low"], row["high"] = (row["ci_low"], row["ci_high"]) if sampled else (row["bound_low"], row["bound_high"])
        for lang, tx in txs.items():
            label = tx(f"dash_rate_{r['indicator']}")
            if r.get("group") not in (None, "", "all"):
                label += f" — {r['group']}"
            row[f"label_{lang}"] = label
            if sup or num(r.get("value")) is None:
                val = tx("dash_insufficient_data")
            else:
                interval = tx.ci if sampled else tx.bounds
                val = (
                    tx.pct(r["value"], 1, fraction=True)
                    + "; "
                    + interval(tx.pct(row["low"], 1, fraction=True), tx.pct(row["high"], 1, fraction=True))
                )
            row[f"text_{lang}"] = f"{val}; n = {results.clean(r.get('n'))}, n known = {results.clean(r.get('n_known'))}"
        rates.append(row)
    return rates


def _by_year_rows(res: dict[str, Any]) -> Rows:
    txs = _texts()
    by_year = []
    for r in results.rows(res, "by_year"):
        n, rec, year = num(r.get("n")), num(r.get("public_record")), num(r.get("year"))
        if n is None or rec is None:
            continue
        for order, (kind, count) in enumerate((("with", rec), ("without", n - rec))):
            row = {
                "year": results.clean(r["year"]),
                "year_sort": 9999 if year is None else int(year),
                "kind": kind,
                "count": count,
                "order": order,
            }
            for lang, tx in txs.items():
                row[f"kind_{lang}"] = tx("c_col_public" if kind == "with" else "dash_without_record")
                row[f"year_{lang}"] = tx("unknown") if year is None else str(int(year))
            by_year.append(row)
    return by_year


#: The narrowest plot of a country comparison (app.js draws it at least 200 px wide), the labels' font and their gap
#: to the dot; lanes are laid out for it, so no two labels overlap at any wider width either.
CONTEXT_LABEL_MIN_WIDTH_PX = 200
CONTEXT_LABEL_FONT_PX = 10
CONTEXT_LABEL_DX_PX = 5


def _context_lanes(rows: Rows, ranks: list[float]) -> list[tuple[int, float]]:
    """Lane and stack value of each labelled country's iso3 label (``rows`` by rank; left-aligned
    :data:`CONTEXT_LABEL_DX_PX` right of its dot) at the narrowest plot of all the ``ranks`` drawn:
    :func:`lsg_analysis.outputs.drawing.lanes` of the labels' widths in ranks. Labels that overlap in a chain stack
    above the chain's highest dot, one lane a line."""
    from lsg_analysis.outputs import drawing

    per_rank = CONTEXT_LABEL_MIN_WIDTH_PX / max(max(ranks) - min(ranks), 1.0)
    spans = []
    for r in rows:
        start = float(r["rank"]) + CONTEXT_LABEL_DX_PX / per_rank
        spans.append((start, start + drawing.text_width_px(str(r["iso3"]), CONTEXT_LABEL_FONT_PX) / per_rank))
    gap = 2 / per_rank
    chains: list[list[int]] = []
    end = -math.inf
    for i, (start, stop) in enumerate(spans):
        if start >= end + gap:  # a new chain of overlapping labels
            chains.append([])
        chains[-1].append(i)
        end = max(end, stop)
    tops = {i: max(float(rows[k]["value"]) for k in chain) for chain in chains for i in chain}
    return list(zip(drawing.lanes(spans, gap=gap), (tops[i] for i in range(len(rows)))))


def context_data(res: dict[str, Any], table: str = "countries") -> Rows:
    """A country comparison's rows (``04_context`` table ``countries``, or ``countries_gdl``: Kyrgyzstan from its
    Global Data Lab regions): rank, iso3, value, n_regions and the kind of dot (Kyrgyzstan, a highlighted
    neighbour, another country), with per-language texts; ``label_lane``: the lane of a labelled country's label
    (:func:`_context_lanes`; None for the others)."""
    texts = _texts()
    measure = str(results.value(res, "measure") or "theil")
    digits = 3 if measure in ("theil", "gini", "cv") else 1
    out = []
    for r in results.rows(res, table):
        if num(r.get("value")) is None:
            continue
        kind = "kgz" if r.get("iso3") == "KGZ" else "highlighted" if r.get("highlighted") else "other"
        row = {
            "rank": r.get("rank"),
            "iso3": r.get("iso3"),
            "value": r.get("value"),
            "n_regions": r.get("n_regions"),
            "kind": kind,
        }
        for lang, tx in texts.items():
            row[f"kind_{lang}"] = tx(f"dash_ctx_kind_{kind}")
            row[f"text_{lang}"] = f"{tx.num(r.get('value'), digits)} (n = {int_text(r.get('n_regions'))})"
        out.append(row)
    labelled = sorted((r for r in out if r["kind"] != "other" and num(r["rank"]) is not None), key=lambda r: r["rank"])
    ranks = [float(r["rank"]) for r in out if num(r["rank"]) is not None]
    for r, (lane, top) in zip(labelled, _context_lanes(labelled, ranks) if labelled else []):
        r["label_lane"], r["label_top"] = lane, top
    return [{**r, "label_lane": r.get("label_lane"), "label_top": r.get("label_top")} for r in out]


# ---------------------------------------------------------------- region profiles
#: the texts of one profile row that depend on the language (columns 1, 3, 4, 5 of the PDF profile's table:
#: value with its unit and the doubtful mark, rank of n, the country's value, the gap)
PROFILE_TEXTS = {"value": 1, "rank": 3, "national": 4, "gap": 5}


def profile_data(profiles: dict[str, list[Any]], names: dict[str, dict[str, Any]], run: results.Run) -> dict[str, Any]:
    """The region-profile view's data: the words of ``lsg profile`` for every unit with a profile, compact.

    ``lines`` (columnar, one row per unit × indicator with data): year, source id and, per language, the PDF
    profile's cells (:func:`lsg_analysis.outputs.profile.render.profile_content`, :data:`PROFILE_TEXTS`: the value
    carries the doubtful mark); the latest unbroken segment from ``trend_from``, one value a year (None = a gap
    year), ``trend_piece`` its line pieces (:func:`lsg_analysis.outputs.drawing.pieces`: a missing year ends
    the line, None = not drawn), ``span`` the drawn years (:func:`i18n.year_span`); ``level_indicators``: per registry
    level, the indicators some unit of that level has (the others of the level show "no data"); ``order``: the
    units per language, oblasts and cities first, then by name (Kyrgyz alphabet in ky); ``border``: the
    profile's state-border sentence per unit and language. ``run``: the page's own results (its border status
    comes from the run's ``02_migration_border``, as ``lsg profile --results``).
    """
    from lsg_analysis.outputs import drawing, i18n
    from lsg_analysis.outputs.profile.render import profile_content

    profiles = {code: unit_lines for code, unit_lines in profiles.items() if code in names}  # units the page names
    lines: Rows = []
    header: dict[str, list[str]] = {}
    level_inds: dict[str, set[str]] = {}
    border: dict[str, dict[str, str]] = {}
    for code, unit_lines in profiles.items():
        content = {lang: profile_content(code, lang, unit_lines, run) for lang in LANGS}
        for lang in LANGS:
            header[lang] = content[lang]["header"]
        border[code] = {lang: content[lang]["border"] for lang in LANGS}
        level_inds.setdefault(str(names[code]["level"]), set()).update(line.indicator for line in unit_lines)
        for k, line in enumerate(unit_lines):
            row = {"code": code, "indicator": line.indicator, "year": line.year, "source_id": line.source_id}
            for lang in LANGS:
                cells = content[lang]["rows"][k]
                row.update({f"{name}_{lang}": cells[i] for name, i in PROFILE_TEXTS.items()})
                # a unit the profile writes under the indicator's name instead of in the value cells (if it does)
                row[f"unit_{lang}"] = (content[lang].get("units") or [""] * len(unit_lines))[k]
            values = [v for _, v in line.trend]
            row["trend_from"] = line.trend[0][0]
            row["trend"] = values
            row["trend_piece"] = drawing.pieces([y for y, _ in line.trend], [values])
            drawn = [y for (y, _), piece in zip(line.trend, row["trend_piece"]) if piece is not None]
            row["span"] = i18n.year_span(drawn[0], drawn[-1]) if drawn else ""
            lines.append(row)
    indicators = sorted({r["indicator"] for r in lines})
    text_cols = [f"{name}_{lang}" for lang in LANGS for name in (*PROFILE_TEXTS, "unit")]
    return {
        "order": {
            lang: sorted(profiles, key=lambda c: (names[c]["level"], i18n.collate_key(names[c][lang], lang)))
            for lang in LANGS
        },
        "level_indicators": {level: sorted(inds) for level, inds in level_inds.items()},
        "indicator_names": {ind: {lang: i18n.indicator_name(ind, lang) for lang in LANGS} for ind in indicators},
        "header": header,
        "lines": columnar(
            lines, ["code", "indicator", "year", "source_id", *text_cols, "trend_from", "trend", "trend_piece", "span"]
        ),
        "border": border,
    }
