"""Which values does the suite hold? The indicator loaders users call (``lsg_analysis.load_indicators``), validated.

Boundaries are geography: ``lsg_analysis.load_boundaries`` is :func:`lsg_analysis.geo.boundaries.load_boundaries`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd


def load_indicators(
    indicator: str | Sequence[str] | None = None,
    level: int | str | None = None,
    years: int | tuple[int, int] | range | None = None,
    codes: str | Sequence[str] | None = None,
    lang: str = "en",
    source: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Indicator values, tidy: code, name (in ``lang``), level, parent, year, indicator, value, unit, source_id,
    vintage, boundaries, flag, note, default_series — read from ``data/processed/indicators.csv`` and validated.

    ``indicator``: id(s) of ``indicator_meta.csv``; ``level``: 0/1/2 or "republic"/"oblast"/"rayon";
    ``years``: a year, ``(first, last)`` (both included) or a ``range`` (a list is refused: two years or the years
    between?); ``codes``: registry code(s) or region name(s) (read by :func:`lsg_analysis.regions.resolve`, so
    "Нарын облусу" is ``KG-N``); ``lang``: en, ru, ky;
    ``source``: ``None`` = each indicator's default series (one value per region and year, see
    ``indicator_meta.default_source``), ``"all"`` = every source, or source id(s) such as ``"S06"``.
    A bad parameter raises :class:`~lsg_analysis.core.errors.ParameterError` listing the allowed values; so does a
    selection without values (never an empty frame), naming the parameter that emptied it and the values (for
    ``years`` the years) with data.
    See :mod:`lsg_analysis.data.processed`.
    """
    from lsg_analysis.data import processed

    return processed.load_indicators(indicator, level=level, years=years, codes=codes, lang=lang, source=source)


def load_indicator_meta(indicator: str | Sequence[str] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Indicator metadata (``indicator_meta.csv``): names ky/ru/en, unit, kind, description, higher_is_better,
    weight_by, levels, sources, default_source, years, caveats; with ``lang`` an extra ``name`` column."""
    from lsg_analysis.data import processed

    return processed.indicator_meta(indicator, lang=lang)
