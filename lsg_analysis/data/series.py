"""May year a and year b of a series be compared? The one series-break rule of the suite.

A *series* is one unit (``code``), indicator and source. Two of its years may be compared only when no declared
break (``data/series_breaks.csv``, copied to ``data/processed/series_breaks.csv``) lies between them. A break row
applies to a series when its ``indicator`` is the series' indicator, its ``source_id`` is empty or the series'
source, and its ``codes`` are empty or list the unit; it lies between ``a < b`` when ``a <= before`` and
``after <= b``. Within a unit's tidy rows a new *segment* also starts where the source, vintage or boundaries
label changes, or where Osh city enters or leaves Osh oblast's figures (flag ``incl_osh_city``): such rows are
never drawn or read as change either.

Used by measures of change (migration), the imbalance panel, plots, notebooks, brief and dashboard.

>>> import pandas as pd
>>> b = pd.DataFrame({"indicator": ["gdp"], "source_id": [""], "codes": ["KG-O"], "before": [2018],
...                   "after": [2019], "kind": ["method"], "description": ["SNA 2008"]})
>>> comparable(b, "gdp", "S1", "KG-O", 2017, 2020), comparable(b, "gdp", "S1", "KG-C", 2017, 2020)
(False, True)
>>> comparable(b, "gdp", "S1", "KG-O", 2019, 2020)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError

COLUMNS = ["indicator", "source_id", "codes", "before", "after", "kind", "description"]
#: Flag of a tidy row whose Osh-oblast value includes Osh city (early years of some tables).
OSH_FLAG = "incl_osh_city"
#: Columns whose change starts a new segment of a unit's series.
LABELS = ("source_id", "vintage", "boundaries")


def read_breaks(path: str | Path | None = None, indicator: str | None = None) -> pd.DataFrame:
    """The declared breaks (``data/processed/series_breaks.csv``, validated); a missing or invalid file is an error
    naming it, never an empty table. Validated once per file version
    (:func:`lsg_analysis.data.processed.read_series_breaks`), a copy per call."""
    from lsg_analysis.data.processed import read_series_breaks

    p = Path(path) if path is not None else paths.PROCESSED / "series_breaks.csv"
    if not p.exists():
        raise DataError(paths.rel(p), "no file", "the declared series breaks: run `lsg data build`")
    frame = read_series_breaks(p)
    return frame if indicator is None else frame[frame["indicator"] == indicator].reset_index(drop=True)


def _applies(r: object, indicator: str, source: str, codes: Iterable[str]) -> bool:
    listed = [c for c in str(r.codes).split(";") if c]
    return r.indicator == indicator and r.source_id in ("", source) and (not listed or any(c in listed for c in codes))


def _between(records: Iterable[object], indicator: str, source: str, code: str, y0: int, y1: int) -> list[str]:
    return [
        str(r.description) or f"break {r.before}/{r.after}"
        for r in records
        if _applies(r, indicator, source, [code]) and y0 <= int(r.before) and int(r.after) <= y1
    ]


def breaks_between(breaks: pd.DataFrame, indicator: str, source: str, code: str, y0: int, y1: int) -> list[str]:
    """Descriptions of the declared breaks of one series lying between years ``y0 < y1``."""
    return _between(breaks.itertuples(index=False), indicator, source, code, y0, y1)


def comparable(breaks: pd.DataFrame, indicator: str, source: str, code: str, y0: int, y1: int) -> bool:
    """May years ``y0`` and ``y1`` of this unit, indicator and source be compared (no break between them)?"""
    return not breaks_between(breaks, indicator, source, code, min(y0, y1), max(y0, y1))


def panel_breaks(
    breaks: pd.DataFrame, indicator: str, sources: Iterable[str], codes: Iterable[str], y0: int, y1: int
) -> dict[int, str]:
    """Breaks inside ``y0..y1`` that apply to any series of a panel (its sources × its units), keyed by the first
    year after the break: a panel measure (Theil of all units) may not be compared across any of them."""
    sources, codes = list(sources), list(codes)
    return {
        int(r.after): str(r.description)
        for r in breaks.itertuples(index=False)
        if any(_applies(r, indicator, s, codes) for s in sources) and y0 <= int(r.before) and int(r.after) <= y1
    }


def segment_labels(rows: pd.DataFrame) -> pd.Series:
    """The label whose change starts a new segment: source | vintage | boundaries | Osh-city flag (a column the
    rows lack reads as empty)."""
    columns = [rows[c].astype(str).tolist() if c in rows else [""] * len(rows) for c in (*LABELS, "flag")]
    return pd.Series(
        [" | ".join([*labels, OSH_FLAG if OSH_FLAG in flag else ""]) for *labels, flag in zip(*columns)],
        index=rows.index,
    )


def segments(rows: pd.DataFrame, breaks: pd.DataFrame | None) -> pd.Series:
    """Segment number per row of ONE unit's series of one indicator (sorted by year): a new segment starts at a
    label change (:func:`segment_labels`) or a declared break between two consecutive years.
    ``breaks=None`` means the caller has no declared breaks to honour (synthetic data in tests)."""
    rows = rows.sort_values("year")
    # only this series' indicator can apply (_applies): its breaks read once, not per pair of years
    records = (
        [] if breaks is None else list(breaks[breaks["indicator"].isin(rows["indicator"])].itertuples(index=False))
    )
    labels = segment_labels(rows).tolist()
    years = rows["year"].astype(int).tolist()
    series = list(zip(rows["indicator"], rows["source_id"], rows["code"])) if records else []
    seg, out = 0, []
    for i, label in enumerate(labels):
        if i:
            declared = bool(records) and bool(_between(records, *series[i], years[i - 1], years[i]))
            if label != labels[i - 1] or declared:
                seg += 1
        out.append(seg)
    return pd.Series(out, index=rows.index)


def split_at_marks(marks: list[object]) -> list[int]:
    """Segment number per year of a yearly series whose rows carry a break mark (the first year after a
    declared break; None or "" = no break): the drawing side of :func:`segments`."""
    seg, out = 0, []
    for m in marks:
        if m not in (None, "") and out:
            seg += 1
        out.append(seg)
    return out
