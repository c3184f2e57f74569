"""Where does a line break, where does a label go? The drawing rules shared by the brief, the dashboard and the
notebook charts (one place, pure functions, no plotting library).

- :func:`pieces`: a line or band is drawn only through consecutive years with a value and within one segment
  (no declared series break between them); a missing year, a missing value or a break ends the piece.
- :func:`lanes`: labels laid out in lanes so that no two labels of one lane overlap (greedy interval
  partitioning: the fewest lanes for intervals sorted by start).
- :func:`break_x`: a break between ``before`` and ``after`` is drawn half-way, never on a point.
- :func:`small_units`: the units too small to be seen on a map (Bishkek and Osh city), drawn as a labelled marker.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

#: Units drawn with a labelled marker on every map: the two cities of republican significance are a dot and a
#: sliver at country scale (registry kind, see lsg_analysis/registry/regions.py).
SMALL_KINDS = ("city_republican",)
SMALL_CODES = ("KG-GB", "KG-GO")


def _finite(v: Any) -> bool:
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def pieces(
    years: Sequence[Any], values: Sequence[Sequence[Any]] = (), segments: Sequence[Any] | None = None
) -> list[int | None]:
    """Piece number per row of one series sorted by year; ``None`` for a row that is not drawn.

    A row is drawn when every column of ``values`` (e.g. ``[theil]`` or ``[ci_low, ci_high]``) has a finite value
    there. A new piece starts when the year is not the previous drawn year + 1 (a missing year is a gap), when a
    row in between was not drawn, or when ``segments`` (segment id per row: a declared series break or a change of
    source, :func:`lsg_analysis.data.series.segments` / :func:`~lsg_analysis.data.series.split_at_marks`)
    changes. Pieces are numbered 0, 1, … in year order.
    """
    out: list[int | None] = []
    piece, prev_year, prev_seg, joined = -1, None, None, False
    for i, year in enumerate(years):
        drawn = _finite(year) and all(_finite(col[i]) for col in values)
        if not drawn:
            out.append(None)
            joined = False
            continue
        seg = None if segments is None else segments[i]
        if not (joined and prev_year is not None and float(year) - float(prev_year) == 1 and seg == prev_seg):
            piece += 1
        out.append(piece)
        prev_year, prev_seg, joined = year, seg, True
    return out


def runs(years: Sequence[Any], piece: Sequence[int | None]) -> list[list[int]]:
    """Row positions of each piece (``piece`` from :func:`pieces`), in piece order; undrawn rows left out."""
    groups: dict[int, list[int]] = {}
    for i, p in enumerate(piece):
        if p is not None:
            groups.setdefault(p, []).append(i)
    return [groups[p] for p in sorted(groups)]


def break_x(before: float, after: float) -> float:
    """Where a break between the years ``before`` and ``after`` is drawn: half-way between them."""
    return (float(before) + float(after)) / 2


def lanes(intervals: Sequence[tuple[float, float]], gap: float = 0.0) -> list[int]:
    """Lane number (0 = nearest the chart) per interval ``(start, end)``: an interval goes into the first lane whose
    last interval ends at least ``gap`` before it starts. Intervals of one lane never overlap."""
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i][0], intervals[i][1]))
    ends: list[float] = []
    out = [0] * len(intervals)
    for i in order:
        start, end = intervals[i]
        lane = next((k for k, e in enumerate(ends) if e + gap <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        out[i] = lane
    return out


def text_width_px(text: str, font_px: float) -> float:
    """An upper estimate of the width of ``text`` in a sans-serif font of ``font_px`` pixels (0.62 em a character),
    for layouts made before a browser measures the text."""
    return 0.62 * font_px * len(text)


def small_units(frame: Any) -> list[str]:
    """Codes of the units drawn as labelled markers (``kind`` in :data:`SMALL_KINDS`, or the city codes when the
    frame has no ``kind``), in the frame's order."""
    if "kind" in frame:
        return [str(c) for c, k in zip(frame["code"], frame["kind"]) if k in SMALL_KINDS]
    return [str(c) for c in frame["code"] if c in SMALL_CODES]
