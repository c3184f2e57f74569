"""The policy brief: a 2–4 page PDF in Kyrgyz, Russian or English, rendered with Typst from the notebooks' results.

Inputs are only the results files ``reports/results/{01_imbalance,02_migration_border,03_consultations}.json``
(contract: ``docs/results.md``) and the processed boundaries for the map. Every sentence comes from the
translation catalogue (:mod:`lsg_analysis.i18n`) in the brief's language and every number is formatted for it.

The Typst template (``templates/brief.typ``) reads everything as data from ``data.json`` (``json(...)``), so a
string from the data (a draft title with ``#``, ``[``, ``*``, ``$``, ``\\``) is shown as text, never parsed as
markup. Fonts are Typst's bundled fonts only (``ignore_system_fonts``): Libertinus Serif (SIL OFL 1.1), which
covers Kyrgyz ң ө ү; chart text is drawn as paths from matplotlib's bundled DejaVu Sans. The document date is
``none`` and the charts carry no timestamp, so the same inputs give a byte-identical PDF.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from . import atomic, i18n, paths, recommend
from .errors import LsgError, ParameterError
from .i18n import fmt_number, fmt_percent, t

NOTEBOOKS = ("01_imbalance", "02_migration_border", "03_consultations")
TEMPLATE = Path(__file__).resolve().parent / "templates" / "brief.typ"
BRIEFS = paths.REPORTS / "briefs"
LEVELS = {"oblast": 1, "rayon": 2}
MAX_SOURCES = 14
MAX_DRAFTS = 5
RANKING_ENDS = 6
SVG_SALT = "lsg-brief"


def build_briefs(lang: str = "all", out_dir: str | Path | None = None, *, results_dir: str | Path | None = None,
                 boundaries: Any = None, date: dt.date | None = None) -> list[Path]:
    """Write ``<out_dir>/brief_<lang>.pdf`` (default ``reports/briefs``) for ``lang`` in ky|ru|en|all.

    ``boundaries``: a GeoDataFrame (code, geometry) for the map; default ``load_boundaries`` of the results' level.
    ``date``: the date printed on the brief; default ``SOURCE_DATE_EPOCH`` if set, else today (UTC).
    """
    langs = list(i18n.LANGS) if lang == "all" else [lang]
    if lang != "all" and lang not in i18n.LANGS:
        raise ParameterError("lang", lang, "ky, ru, en, all")
    results = load_all(results_dir)
    if boundaries is None:
        boundaries = _boundaries(results)
    day = date or _today()
    out = Path(out_dir) if out_dir is not None else BRIEFS
    written = []
    for code in langs:
        pdf = render_pdf(code, results, boundaries, day)
        written.append(atomic.write_bytes(out / f"brief_{code}.pdf", pdf))
    return written


def load_all(results_dir: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The three notebooks' results; a clear error (run `lsg run` first) when one is missing."""
    from . import results

    return {nb: results.load(nb, results_dir) for nb in NOTEBOOKS}


def _today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return now.date()


def _boundaries(results: dict[str, dict[str, Any]]) -> Any:
    import lsg_analysis

    level = LEVELS.get(str(_value(results, "01_imbalance", "level")), 1)
    try:
        return lsg_analysis.load_boundaries(level)
    except (ImportError, AttributeError) as exc:  # loader not built yet
        raise LsgError(f"boundaries for the brief's map are not available ({exc}): run `lsg data build` first") from exc


def render_pdf(lang: str, results: dict[str, dict[str, Any]], boundaries: Any, date: dt.date) -> bytes:
    """The PDF bytes of the brief in ``lang``."""
    import typst

    content = brief_content(lang, results, date)
    with tempfile.TemporaryDirectory(prefix="lsg-brief-") as tmp:
        root = Path(tmp)
        (root / "brief.typ").write_bytes(TEMPLATE.read_bytes())
        (root / "data.json").write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        (root / "map.svg").write_bytes(map_svg(lang, results, boundaries))
        (root / "trend.svg").write_bytes(trend_svg(lang, results))
        try:
            return typst.compile(str(root / "brief.typ"), root=str(root), font_paths=[], ignore_system_fonts=True)
        except typst.TypstError as exc:  # a template bug, not user input: keep Typst's message
            raise RuntimeError(f"typst could not render the {lang} brief: {exc}") from exc


# ---------------------------------------------------------------- numbers and text


def _metric(results: dict[str, dict[str, Any]], nb: str, key: str) -> dict[str, Any]:
    return results[nb].get("metrics", {}).get(key) or {}


def _value(results: dict[str, dict[str, Any]], nb: str, key: str) -> Any:
    return _metric(results, nb, key).get("value")


def _share(results: dict[str, dict[str, Any]], nb: str, key: str, lang: str, **kw: Any) -> str:
    """A share as percent; the metric's unit says whether it is a fraction (0–1) or already per cent."""
    m = _metric(results, nb, key)
    unit = str(m.get("unit") or "").lower()
    return fmt_percent(m.get("value"), lang, fraction=not unit.startswith("percent") and unit != "%", **kw)


def fmt_p(p: float | None, lang: str, *, prefix: bool = True) -> str:
    """A p-value with three decimals: ``p = 0,234``, ``p < 0,001`` (``prefix=False``: ``0,234``, ``< 0,001``)."""
    small = isinstance(p, (int, float)) and 0 <= p < 0.001
    text = fmt_number(0.001 if small else p, lang, 3)
    if small:
        return ("p < " if prefix else "<" + i18n.NBSP) + text
    return f"p = {text}" if prefix and p is not None else text


def _region(code: Any, lang: str) -> str:
    return i18n.region_name(str(code), lang) if code else i18n.no_data(lang)


def _rows(results: dict[str, dict[str, Any]], nb: str, key: str) -> list[dict[str, Any]]:
    table = results[nb].get("tables", {}).get(key)
    if not table:
        return []
    return [dict(zip(table["columns"], row)) for row in table["rows"]]


def _year_int(value: Any) -> int | None:
    """A year as int from ``2021``, ``2021.0`` or ``"2021"``; None for anything else (``"unknown"``, null)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _year(value: Any, lang: str) -> str:
    """A year for display; the register's ``unknown`` → "unknown", missing → "no data", in ``lang``."""
    year = _year_int(value)
    if year is not None:
        return str(year)
    if str(value).strip().lower() == "unknown":
        return t("unknown", lang)
    return i18n.no_data(lang) if value in (None, "") else str(value)


def _window(value: Any) -> str:
    return str(value).replace("-", "–") if value else ""


def brief_content(lang: str, results: dict[str, dict[str, Any]], date: dt.date) -> dict[str, Any]:
    """Everything the template shows, as strings in ``lang`` (the template adds no words of its own)."""
    i18n.check_lang(lang)
    from . import __version__

    imb, mig, con = NOTEBOOKS
    v = lambda nb, k: _value(results, nb, k)  # noqa: E731 - short local reader
    indicator_id = str(v(imb, "indicator") or "")
    indicator = i18n.indicator_name(indicator_id, lang) if indicator_id else i18n.no_data(lang)
    level = t(f"level_{v(imb, 'level') or 'oblast'}", lang)
    first, last = v(imb, "year_first"), v(imb, "year_last")
    unit = str(_metric(results, imb, "top_value").get("unit") or "")
    years = t("year_range", lang, first=first, last=last)
    no_data = i18n.no_data(lang)

    change = v(imb, "theil_change_pct")
    change_detail = ("f_change_break" if change is None else "f_change_up" if change > 0
                     else "f_change_down" if change < 0 else "f_change_flat")
    half_life = v(imb, "beta_half_life_years")
    convergence = (t("f_convergence_yes", lang, p=fmt_p(v(imb, "beta_p"), lang), years=fmt_number(half_life, lang))
                   if half_life is not None else t("f_convergence_no", lang, p=fmt_p(v(imb, "beta_p"), lang)))
    pp = t("unit_pp", lang)
    gap = v(mig, "growth_gap_pp")
    window = _window(v(mig, "window"))
    n_units = sum(x for x in (v(mig, "n_border_units"), v(mig, "n_interior_units")) if isinstance(x, int))

    findings = [
        {"value": fmt_number(v(imb, "theil_last"), lang, 3),
         "label": t("f_theil_label", lang, year=last),
         "detail": t("f_theil_detail", lang, indicator=indicator, level=level,
                     ci_low=fmt_number(v(imb, "theil_last_ci_low"), lang, 3),
                     ci_high=fmt_number(v(imb, "theil_last_ci_high"), lang, 3),
                     gini=fmt_number(v(imb, "gini_last"), lang, 3))},
        {"value": fmt_percent(change, lang, sign=True),
         "label": t("f_change_label", lang, first=first, last=last),
         "detail": t(change_detail, lang)},
        {"value": (t("times_value", lang, x=fmt_number(v(imb, "max_min_ratio_last"), lang))
                   if v(imb, "max_min_ratio_last") is not None else no_data),
         "label": t("f_ratio_label", lang, year=last),
         "detail": t("f_ratio_detail", lang, top=_region(v(imb, "top_code"), lang),
                     top_value=i18n.fmt_value(v(imb, "top_value"), unit, lang),
                     bottom=_region(v(imb, "bottom_code"), lang),
                     bottom_value=i18n.fmt_value(v(imb, "bottom_value"), unit, lang))},
        {"value": fmt_number(gap, lang, sign=True) + ("" if gap is None else i18n.NBSP + pp),
         "label": t("f_border_label", lang, window=window),
         "detail": t("f_border_detail", lang, border=fmt_percent(v(mig, "growth_border_pct"), lang, 2),
                     interior=fmt_percent(v(mig, "growth_interior_pct"), lang, 2),
                     p=fmt_p(v(mig, "growth_gap_p"), lang), n_depop=v(mig, "n_depopulating"), n_units=n_units)},
        {"value": _share(results, con, "public_record_share", lang),
         "label": t("f_consult_label", lang),
         "detail": t("f_consult_detail", lang, n=v(con, "n_state_drafts"),
                     ci_low=_share(results, con, "public_record_share_ci_low", lang),
                     ci_high=_share(results, con, "public_record_share_ci_high", lang))},
    ]

    for f in findings:  # "no data" in place of a number: set smaller than a number
        f["missing"] = f["value"] == no_data

    ranking = sorted(((r.get("value"), r.get("code")) for r in _rows(results, imb, "by_region")
                      if r.get("year") == last),
                     key=lambda x: (x[0] is None, -(x[0] or 0)))
    ranking_rows = [[_region(code, lang), i18n.fmt_value(val, "", lang)] for val, code in ranking]
    if len(ranking_rows) > 2 * RANKING_ENDS + 1:  # rayon level: the top and the bottom only
        ranking_rows = [*ranking_rows[:RANKING_ENDS], ["…", "…"], *ranking_rows[-RANKING_ENDS:]]

    border_table = [
        [t("m_growth_pct", lang), fmt_number(v(mig, "growth_border_pct"), lang, 2),
         fmt_number(v(mig, "growth_interior_pct"), lang, 2), fmt_number(gap, lang, 2, sign=True),
         fmt_p(v(mig, "growth_gap_p"), lang, prefix=False)],
        [t("m_poverty_pct", lang), fmt_number(v(mig, "poverty_border_pct"), lang),
         fmt_number(v(mig, "poverty_interior_pct"), lang), "—", fmt_p(v(mig, "poverty_gap_p"), lang, prefix=False)],
    ]
    border_lines = []
    if v(mig, "border_km_total") is not None:
        km = {k: fmt_number(v(mig, f"border_km_{k.upper()}"), lang, 0) for k in ("kaz", "uzb", "tjk", "chn")}
        border_lines.append(t("border_length", lang, km=fmt_number(v(mig, "border_km_total"), lang, 0), **km))
    net = _metric(results, mig, "net_migration_national_last")
    if net.get("value") is not None:
        border_lines.append(t("net_migration_line", lang, year=net.get("year") or last,
                              value=fmt_number(net["value"], lang, 0),
                              rate=fmt_number(v(mig, "net_migration_rate_national_last"), lang)))

    rate = v(con, "consultation_rate")
    consult_rows = [
        [t("c_rate_label", lang), _share(results, con, "consultation_rate", lang) if rate is not None
         else t("c_suppressed", lang)],
        [t("c_n_known_label", lang), fmt_number(v(con, "consultation_rate_n_known"), lang, 0)],
        [t("c_unknown_label", lang), _share(results, con, "consultation_rate_unknown_share", lang)],
        [t("c_median_days_label", lang), fmt_number(v(con, "median_discussion_days"), lang, 0)],
        [t("c_portal_label", lang), _share(results, con, "portal_share", lang)],
    ]
    drafts = sorted(_rows(results, con, "drafts"),
                    key=lambda r: (-(_year_int(r.get("year")) or 0), str(r.get("draft_id"))))
    yes, no = t("yes", lang), t("no", lang)
    draft_rows = [[str(r.get("title") or no_data), _year(r.get("year"), lang),
                   yes if r.get("public_record") else no] for r in drafts[:MAX_DRAFTS]]

    rec_fmt = {"change": fmt_percent(change, lang), "first": first,
               "bottom": _region(v(imb, "bottom_code"), lang),
               "ratio": fmt_number(v(imb, "max_min_ratio_last"), lang),
               "gap": fmt_number(abs(gap) if gap is not None else None, lang, 2) + i18n.NBSP + pp,
               "n": v(mig, "n_depopulating"), "window": window,
               "share": _share(results, con, "public_record_share", lang),
               "unknown": _share(results, con, "consultation_rate_unknown_share", lang)}
    recs = [{"text": t(r.message, lang, **rec_fmt), "rule": t("rule_ref", lang, rule=r.rule)}
            for r in recommend.fired(results)] or [{"text": t("rec_none", lang), "rule": ""}]

    sources = _sources(results)
    accessed = max((s.get("accessed") for s in sources.values() if s.get("accessed")), default=None)
    source_items = [{"id": sid, "text": _source_text(s, lang), "url": str(s.get("url") or ""),
                     "href": _href(s.get("url"))} for sid, s in list(sources.items())[:MAX_SOURCES]]
    more = len(sources) - len(source_items)

    meta = [[t("date", lang), i18n.fmt_date(date, lang)],
            [t("data_years", lang), years],
            [t("data_last_updated", lang), i18n.fmt_date(str(accessed) if accessed else None, lang)],
            [t("version", lang), __version__]]
    return {
        "lang": lang,
        "text": {
            "kicker": t("policy_brief", lang), "title": t("brief_title", lang),
            "findings": t("findings", lang), "sec_imbalance": t("sec_imbalance", lang),
            "sec_border": t("sec_border", lang), "sec_consult": t("sec_consult", lang),
            "recommendations": t("recommendations", lang), "method": t("methodology_and_sources", lang),
            "data_sources": t("data_sources", lang), "ranking": t("ranking", lang),
            "page_of": t("page_of", lang, page="{page}", total="{total}"),
            "footer": f"{t('policy_brief', lang)} · {t('version', lang)} {__version__} · "
                      f"{t('data_last_updated', lang)}: {meta[2][1]}",
            "caveat": t("c_caveat", lang), "drafts": t("c_drafts_table", lang),
            "convergence": convergence,
        },
        "meta": meta,
        "findings": findings,
        "map_caption": t("fig_map_caption", lang, indicator=indicator, level=level, year=last),
        "trend_caption": t("fig_trend_caption", lang, indicator=indicator, level=level, first=first, last=last),
        "ranking": ranking_rows,
        "border_header": [t("col_measure", lang), t("col_border", lang), t("col_interior", lang),
                          t("col_gap", lang), "p"],
        "border_table": border_table,
        "border_lines": border_lines,
        "consult_rows": consult_rows,
        "draft_header": [t("c_col_title", lang), t("year", lang), t("c_col_public", lang)],
        "drafts": draft_rows,
        "recommendations": recs,
        "method": [t("method_imbalance", lang, indicator=indicator, level=level), t("method_border", lang),
                   t("method_consult", lang), t("method_missing", lang, no_data=no_data)],
        "sources": source_items,
        "sources_more": t("sources_more", lang, n=more) if more > 0 else "",
    }


def _href(url: Any) -> str:
    """The link target in a source's url cell (its first word, if it is an http(s) URL), else ``""``."""
    first = str(url or "").split(maxsplit=1)[0] if str(url or "").strip() else ""
    return first if first.startswith(("http://", "https://")) else ""


def _source_text(info: dict[str, Any], lang: str) -> str:
    """``producer: title``; a derived source (``S14+D01``) has a method and inputs instead of a title."""
    inputs = info.get("inputs") or []
    title = str(info.get("title") or info.get("method") or " + ".join(map(str, inputs)) or i18n.no_data(lang))
    producer = str(info.get("producer") or "")
    return t("source_line", lang, producer=producer, title=title) if producer else title


def _sources(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for nb in NOTEBOOKS:
        for sid, info in (results[nb].get("sources") or {}).items():
            merged.setdefault(sid, info or {})
    return dict(sorted(merged.items()))


# ---------------------------------------------------------------- charts


def _svg(fig: Any) -> bytes:
    """Deterministic SVG: no date, fixed id salt, text as paths (no font needed by the PDF)."""
    import io

    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight", pad_inches=0.02)
    return buf.getvalue()


def _number_axis(axis: Any, lang: str, decimals: int) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt_number(x, lang, decimals)))


def map_svg(lang: str, results: dict[str, dict[str, Any]], boundaries: Any) -> bytes:
    """Choropleth of the indicator by region in the last year; regions without a value hatched as "no data".

    When the values span a factor of 4 or more (Bishkek's GRP per capita), the colour scale is logarithmic (said
    in the legend) so the other regions do not all get the same colour.
    """
    import math

    import matplotlib
    import pandas as pd
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LogNorm, Normalize
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from .plots import MISSING

    last = _value(results, "01_imbalance", "year_last")
    rows = [r for r in _rows(results, "01_imbalance", "by_region") if r.get("year") == last]
    values = pd.DataFrame({"code": [str(r.get("code")) for r in rows],
                           "value": [r.get("value") for r in rows]}, columns=["code", "value"])
    gdf = boundaries[["code", "geometry"]].merge(values, on="code", how="left")
    gdf["value"] = pd.to_numeric(gdf["value"], errors="coerce").astype(float)
    unit = str(_metric(results, "01_imbalance", "top_value").get("unit") or "")
    legend = _unit_text(unit, lang) if unit else i18n.indicator_name(str(_value(results, "01_imbalance",
                                                                                 "indicator")), lang)
    known = gdf["value"].dropna()
    low, high = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
    log = low > 0 and high / low >= 4
    norm = LogNorm(low, high) if log else Normalize(low, high)
    if log:
        legend = f"{legend} ({t('log_scale', lang)})"
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 8}):
        fig = Figure(figsize=(5.0, 2.6), layout="constrained")
        ax = fig.add_subplot()
        gdf.plot(column="value", ax=ax, cmap="YlGnBu", norm=norm, edgecolor="white", linewidth=0.5,
                 missing_kwds={**MISSING, "linewidth": 0.5})
        ax.set_axis_off()
        lat = gdf.geometry.union_all().centroid.y if len(gdf) else 41.0
        ax.set_aspect(1 / math.cos(math.radians(lat)))
        bar = fig.colorbar(ScalarMappable(norm=norm, cmap="YlGnBu"), ax=ax, orientation="horizontal",
                           shrink=0.7, pad=0.02, aspect=35)
        bar.set_label(_wrap(legend, 60))
        if log:  # 1-2-5 ticks inside the range, so a short log axis still has several labels
            bar.set_ticks([x for e in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
                           for x in (10 ** e, 2 * 10 ** e, 5 * 10 ** e) if low <= x <= high])
            bar.ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        _number_axis(bar.ax.xaxis, lang, 0 if high >= 100 else 1)
        if gdf["value"].isna().any():
            ax.legend(handles=[Patch(facecolor=MISSING["color"], edgecolor=MISSING["edgecolor"],
                                     hatch=MISSING["hatch"], label=i18n.no_data(lang))],
                      loc="lower left", frameon=False, fontsize=7)
        return _svg(fig)


def _unit_text(unit: str, lang: str) -> str:
    u = unit.strip().lower()
    if u in ("%", "percent", "pct") or u.startswith("percent"):
        return "%"
    return t(i18n.unit_key(u), lang)


def _cap(text: str) -> str:
    """First letter upper case (glossary terms are lower case; chart labels start with a capital)."""
    return text[:1].upper() + text[1:]


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def trend_svg(lang: str, results: dict[str, dict[str, Any]]) -> bytes:
    """Theil index by year with its 95 % interval; series breaks as dashed lines, never joined across."""
    import matplotlib
    import pandas as pd
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from . import plots

    rows = _rows(results, "01_imbalance", "trend")
    frame = pd.DataFrame(rows, columns=["year", "theil", "theil_ci_low", "theil_ci_high", "break"])
    for col in ("year", "theil", "theil_ci_low", "theil_ci_high"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    breaks = {int(r["year"]): t("series_break", lang) for r in rows if r.get("break")}
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 8}):
        fig = plots.trend(frame, "year", ["theil"], band=("theil_ci_low", "theil_ci_high"), breaks=breaks,
                          labels={"theil": _cap(t("theil_index", lang))}, ylabel=_cap(t("theil_index", lang)))
        fig.set_size_inches(6.0, 2.2)
        ax = fig.axes[0]
        ax.set_xlabel(t("year", lang))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: str(int(round(x)))))
        _number_axis(ax.yaxis, lang, 3)
        from matplotlib.lines import Line2D

        handles, _ = ax.get_legend_handles_labels()
        labels = [_cap(t("theil_index", lang)) if isinstance(h, Line2D) else t("ci95", lang) for h in handles]
        ax.legend(handles, labels, frameon=False, fontsize=7, ncol=2, loc="upper center",
                  bbox_to_anchor=(0.5, -0.28))
        return _svg(fig)
