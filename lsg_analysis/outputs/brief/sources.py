"""Where do the brief's numbers come from? The method sentences and the box of producer tables behind them."""

from __future__ import annotations

from typing import Any

from lsg_analysis.core.errors import LsgError
from lsg_analysis.outputs import source_text
from lsg_analysis.outputs.brief.reader import NOTEBOOKS, Reader

MAX_SOURCES = 14


def sources_part(r: Reader) -> dict[str, Any]:
    """Method sentences and the producer tables behind all three results files (id, title, producer, URL).

    A derived id (``S14+D01``: computed by the project) is not listed itself: its input tables are, each once, and
    its formula is a method sentence.
    """
    tables, derived = _split_sources(_sources(r.results))
    shown = list(tables.items())[:MAX_SOURCES]
    producers = short_producers([source_text.producer_name(str(s.get("producer") or ""), r.lang) for _, s in shown])
    items = [
        {
            "id": source_text.shown_id(sid),
            "text": source_text.source_line(sid, {**s, "producer": prod}, r.lang),
            "url": source_text.link(s.get("url"))[0],
            "href": source_text.link(s.get("url"))[1],
        }
        for (sid, s), prod in zip(shown, producers)
    ]
    more = len(tables) - len(items)
    accessed = max((str(s["accessed"]) for s in tables.values() if s.get("accessed")), default=None)
    return {
        "method": [
            r.t(_method_imbalance_key(r), indicator=r.indicator_at_level, level=r.level),
            *_derived_lines(derived, r.lang),
            r.t("method_border"),
            r.t("method_consult"),
            r.t("method_missing", no_data=r.no_data),
        ],
        "sources": _halves(items),
        "sources_more": r.t("sources_more", n=more) if more > 0 else "",
        "sources_note": r.t("sources_titles_note"),
        "accessed": accessed,
    }


def _method_imbalance_key(r: Reader) -> str:
    """The imbalance method sentence of the run's weighting (``headlines.weighted``)."""
    from lsg_analysis.outputs import headlines
    from lsg_analysis.outputs.brief.reader import IMB

    return "method_imbalance" if headlines.weighted(r.results[IMB]) else "method_imbalance_unweighted"


def short_producers(producers: list[str]) -> list[str]:
    """Producers with a name spelt out once: a later ``Name (ABBR)…`` becomes ``ABBR…`` (``NSC KR (figures)…``;
    Cyrillic abbreviations too: ``Нацстатком``)."""
    import re

    seen, out = set(), []
    for prod in producers:
        m = re.match(r"(.+?) \(([A-ZА-ЯЁӨҮҢ][^\W\d_]*(?: [A-ZА-ЯЁӨҮҢ][^\W\d_]*)*)\)", prod)
        if m and m[1] in seen:
            prod = m[2] + prod[m.end() :]
        elif m:
            seen.add(m[1])
        out.append(prod)
    return out


def _halves(items: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    """The source entries in two columns of about equal length (in order; length ≈ characters + a line's worth)."""
    sizes = [len(i["id"]) + len(i["text"]) + len(i["url"]) + 60 for i in items]
    cut = min(range(len(items) + 1), key=lambda k: abs(sum(sizes[:k]) - sum(sizes[k:])))
    return [items[:cut], items[cut:]]


def _inputs(info: dict[str, Any]) -> list[str]:
    """The source ids a derived source combines (``["S14", "D01"]``); ``[]`` for a producer table."""
    inputs = info.get("inputs") or []
    return [str(i) for i in (inputs.split(";") if isinstance(inputs, str) else inputs) if str(i).strip()]


def _split_sources(sources: dict[str, dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """``(tables, derived)``: every producer table once (inputs of derived ids included, from the results files'
    ``sources`` block, else from ``data/processed/sources.csv``), and the derived ids."""
    from lsg_analysis.data.sources import source_info

    derived = {sid: info for sid, info in sources.items() if _inputs(info)}
    tables = {sid: info for sid, info in sources.items() if sid not in derived}
    for part in sorted({p for info in derived.values() for p in _inputs(info)} - set(tables)):
        try:
            tables[part] = source_info(part)
        except LsgError:  # not in this checkout's catalogue: still named, without a title
            tables[part] = {"source_id": part}
    return dict(sorted(tables.items())), derived


def _derived_lines(derived: dict[str, dict[str, Any]], lang: str) -> list[str]:
    """One method sentence per derived formula, with the ids of its inputs (``S14`` ÷ ``D01, S01``):
    :func:`lsg_analysis.outputs.source_text.derived_sentence`."""
    formulas: dict[str, list[list[str]]] = {}
    for info in derived.values():
        formulas.setdefault(str(info.get("title") or info.get("method") or ""), []).append(_inputs(info))
    return [
        source_text.derived_sentence(
            title, sorted({i[0] for i in inputs}), sorted({p for i in inputs for p in i[1:]}), lang
        )
        for title, inputs in formulas.items()
    ]


def _sources(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for nb in NOTEBOOKS:
        for sid, info in (results[nb].get("sources") or {}).items():
            merged.setdefault(sid, info or {})
    return dict(sorted(merged.items()))
