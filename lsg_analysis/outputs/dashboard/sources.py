"""The page's sources block: each source used (by the indicators shown and the results' tables and metrics),
with the inputs of derived sources, its producer, title, link and dates in every language."""

from __future__ import annotations

import re
from typing import Any

from lsg_analysis.core.levels import LANGS
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
        out[i] = _source_entry(infos[i])
        todo += [j for j in out[i]["inputs"] if j not in out]
    return dict(sorted(out.items()))


def _date_text(tx: Text, value: Any) -> str:
    """An ISO date in the language's long form; any other text (``not stated``, ``2024``) as written."""
    text = str(value).strip()
    return tx.date(text[:10]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text[:10]) else text


def _source_entry(info: dict[str, Any]) -> dict[str, Any]:
    dates = {}
    for lang in LANGS:
        tx = Text(lang)
        parts = []
        if info.get("sha256"):  # the user's own file: rows and the date the run read it
            parts.append(tx("source_file", rows=info.get("rows"), date=_date_text(tx, info.get("read"))))
        else:
            if info.get("published"):
                parts.append(tx("dash_published", date=_date_text(tx, info["published"])))
            if info.get("accessed"):
                parts.append(tx("accessed", date=_date_text(tx, info["accessed"])))
        dates[lang] = "; ".join(parts)
    inputs = info.get("inputs") or []
    if isinstance(inputs, str):
        inputs = [i for i in inputs.split(";") if i]
    return {
        "producer": str(info.get("producer") or ""),
        "title": str(info.get("title") or ""),
        "url": str(info.get("url") or ""),
        "dates": dates,
        "inputs": [str(i) for i in inputs],
    }
