"""What does a notebook run record? Its results file, with provenance for every source id it names.

:class:`NotebookResults` is the :class:`~lsg_analysis.runs.results.Results` the notebooks fill; ``raw:<path>``
source ids (files without a catalogue id, such as the coded consultation registers) are resolved from the raw
file's sidecar.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lsg_analysis.analysis.story import change_pct, unbroken_span
from lsg_analysis.core import paths
from lsg_analysis.data.sources import RAW_PREFIX
from lsg_analysis.runs.results import SCHEMA, Results, clean


class NotebookResults(Results):
    """:class:`~lsg_analysis.runs.results.Results` that also accepts ``raw:<path under data/raw>`` source ids,
    resolved from the raw file's provenance sidecar (the keys of ``sources.csv``). The ``sources`` block also
    holds the inputs of every derived id (``S14+D01`` → ``S14``, ``D01``), so each producer table is listed."""

    def to_dict(self) -> dict[str, Any]:
        from lsg_analysis.data.sources import source_info

        ids = sorted({s for m in [*self.metrics.values(), *self.tables.values()] for s in m["sources"]})
        info = {i: raw_source(i) if i.startswith(RAW_PREFIX) else source_info(i) for i in ids}
        parts = sorted({p for i in ids for p in (info[i].get("inputs") or [])} - set(info))
        info.update({p: source_info(p) for p in parts})
        return {"schema": SCHEMA, "notebook": self.notebook, "parameters": clean(self.parameters),
                "metrics": self.metrics, "tables": self.tables, "sources": dict(sorted(info.items()))}


def raw_source(source_id: str) -> dict[str, Any]:
    """Provenance of a ``raw:<path>`` source id from the file's sidecar."""
    from lsg_analysis.data.sources import read_sidecar

    path = paths.RAW / source_id.removeprefix(RAW_PREFIX)
    meta = read_sidecar(path)
    keys = ("producer", "title", "url", "licence", "published", "accessed", "copied_from")
    return {"source_id": source_id, **{k: str(meta[k]) for k in keys}, "file": paths.rel(path),
            "caveats": str(meta.get("notes", ""))}


def record_theil_change(res: Results, trend: Any, breaks: Mapping[int, str], sources: list[str]) -> None:
    """Record the change of Theil T over the window and over its longest unbroken run.

    ``theil_change_pct``: first → last year of the window, null across a declared break. ``theil_change_pct_unbroken``
    with ``unbroken_year_first``/``_last`` and ``theil_unbroken_first``/``_last``: the same over the longest run of
    years without a declared break (:func:`unbroken_span`); null when no run has two years.
    """
    t = trend.set_index("year")["theil"]
    first, last = int(t.index.min()), int(t.index.max())
    change = change_pct(t.at[first], t.at[last], breaks, first, last)
    res.metric("theil_change_pct", change, "percent", year=f"{first}-{last}", sources=sources,
               note="null: a declared series break lies between the two years" if change is None else "")
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
        note = ("the whole window: no declared series break inside it" if not inside else
                "longest run of years without a declared series break; breaks before " + ", ".join(map(str, inside)))
    res.metric("theil_change_pct_unbroken", unbroken, "percent", year=period, sources=sources, note=note)
    res.metric("unbroken_year_first", a, "year", year=period, sources=sources, note=note)
    res.metric("unbroken_year_last", b, "year", year=period, sources=sources, note=note)
    res.metric("theil_unbroken_first", va, "index", year=a, sources=sources, note=note)
    res.metric("theil_unbroken_last", vb, "index", year=b, sources=sources, note=note)
