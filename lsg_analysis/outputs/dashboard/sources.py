"""The page's sources block: each source used (by the indicators shown and the results' tables and metrics),
with the inputs of derived sources, its producer, title, link and dates in every language — worded by
:mod:`lsg_analysis.outputs.source_text`, the rule of the brief's source lines."""

from __future__ import annotations

import re
from typing import Any

from lsg_analysis.core.levels import LANGS
from lsg_analysis.outputs import source_text
from lsg_analysis.outputs.dashboard.texts import Text


def used_sources(indicator_sources: Any, res: dict[str, dict[str, Any]]) -> set[str]:
    """Source ids of the indicator rows shown plus those the results' tables and metrics name."""
    used = {str(s) for s in indicator_sources}
    for r in res.values():
        for t in r.get("tables", {}).values():
            used |= set(t.get("sources", []))
        for mm in r.get("metrics", {}).values():
            used |= set(mm.get("sources", []))
    return used


def sources_block(infos: dict[str, dict[str, Any]], used: set[str]) -> dict[str, dict[str, Any]]:
    """Entries of the sources used, plus the inputs of derived sources (``S14+S01`` → S14, S01)."""
    out: dict[str, dict[str, Any]] = {}
    todo = sorted(used)
    while todo:
        i = todo.pop(0)
        if i in out or i not in infos:
            continue
        out[i] = _source_entry(i, infos[i])
        todo += [j for j in out[i]["inputs"] if j not in out]
    return dict(sorted(out.items()))


def _date_text(tx: Text, value: Any) -> str:
    """An ISO date (``2026-11-25``) in the language's long form, as the brief writes dates; anything else
    (``not stated (repository commit …)``, ``see notes``, a commit id) is provenance, not a date a reader needs:
    ``""`` (it stays in the data sources table, ``data/processed/sources.csv``)."""
    text = str(value or "").strip()
    return tx.date(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else ""


def _source_entry(sid: str, info: dict[str, Any]) -> dict[str, Any]:
    """One source as the page shows it, per language (:mod:`lsg_analysis.outputs.source_text`, the brief's rule):
    the id a reader sees, the producer's name and the table's title in the reader's language (a derived series:
    its method sentence), the link (only an http(s) URL) and the dates (publication only when the catalogue
    gives a plain date; the date of access; the user's own file: its rows and the date the run read it)."""
    inputs = info.get("inputs") or []
    if isinstance(inputs, str):
        inputs = [i for i in inputs.split(";") if i]
    inputs = [str(i) for i in inputs]
    producer, title, dates = {}, {}, {}
    for lang in LANGS:
        tx = Text(lang)
        parts = []
        if info.get("sha256"):  # the user's own file: its name, sha256, rows and the date the run read it
            producer[lang], title[lang] = str(info.get("file") or ""), f"sha256 {info['sha256']}"
            parts.append(tx("source_file", rows=info.get("rows"), date=_date_text(tx, info.get("read"))))
        elif inputs:  # computed by the project: the method sentence names the inputs
            producer[lang] = ""
            title[lang] = source_text.derived_sentence(
                str(info.get("title") or ""), inputs[:1], inputs[1:], lang
            ).rstrip(".")
        else:
            producer[lang] = source_text.producer_name(str(info.get("producer") or ""), lang)
            title[lang] = source_text.source_title(sid, str(info.get("title") or ""), lang) or tx.i18n.no_data(lang)
            published, accessed = _date_text(tx, info.get("published")), _date_text(tx, info.get("accessed"))
            if published:
                parts.append(tx("dash_published", date=published))
            if accessed:
                parts.append(tx("accessed", date=accessed))
        dates[lang] = "; ".join(parts)
    text, href = source_text.link(info.get("url"))
    return {
        "id": source_text.shown_id(sid),
        "producer": producer,
        "title": title,
        "link": text,
        "href": href,
        "dates": dates,
        "inputs": inputs,
    }
