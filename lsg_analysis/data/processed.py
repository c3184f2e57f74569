"""What do the processed tables hold? Validated reads of ``data/processed/indicators.csv``, ``indicator_meta.csv``,
``sources.csv``, ``corrections.csv`` and ``flags.csv`` and the filters behind :func:`lsg_analysis.load_indicators` (series breaks:
:func:`lsg_analysis.data.series.read_breaks`; border metrics: :func:`lsg_analysis.geo.border.read_border_metrics`).
Each read is cached per process on the file's path, mtime and size (:func:`lsg_analysis.core.filekey.file_key`),
so a rebuilt file is read anew.

Every read is validated (pandera schema, registry codes, units equal to the metadata, duplicates); a bad file is
one :class:`~lsg_analysis.core.errors.DataErrors` naming file, row, column, found and expected.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lsg_analysis.core import paths
from lsg_analysis.core.errors import ParameterError, RegionError
from lsg_analysis.core.filekey import file_key
from lsg_analysis.core.levels import LEVEL_NAMES, parse_lang, parse_level

COLUMNS = [
    "code",
    "name",
    "level",
    "parent",
    "year",
    "indicator",
    "value",
    "unit",
    "source_id",
    "vintage",
    "boundaries",
    "flag",
    "note",
    "default_series",
]


def _file_key(path: Path) -> tuple[str, int, int]:
    return file_key(path)


def read_indicator_meta(path: str | Path | None = None) -> pd.DataFrame:
    """``indicator_meta.csv``, validated (one row per indicator: names ky/ru/en, unit, direction, weights…)."""
    p = Path(path) if path is not None else paths.PROCESSED / "indicator_meta.csv"
    return _meta(*_file_key(p)).copy()


@lru_cache(maxsize=4)
def _meta(path: str, mtime: int, size: int) -> pd.DataFrame:
    from lsg_analysis.data.schemas import IndicatorMeta, read_csv, validate

    return validate(read_csv(path), IndicatorMeta, paths.rel(path))


def read_indicators(path: str | Path | None = None, meta_path: str | Path | None = None) -> pd.DataFrame:
    """``indicators.csv``, validated against the schema, the region registry and the indicator metadata."""
    p = Path(path) if path is not None else paths.PROCESSED / "indicators.csv"
    m = Path(meta_path) if meta_path is not None else p.with_name("indicator_meta.csv")
    return _indicators(*_file_key(p), *_file_key(m)).copy()


@lru_cache(maxsize=4)
def _indicators(path: str, mtime: int, size: int, meta: str, mmtime: int, msize: int) -> pd.DataFrame:
    from lsg_analysis.registry import regions
    from lsg_analysis.data.schemas import read_csv, validate_indicators

    m = _meta(meta, mmtime, msize)
    return validate_indicators(
        read_csv(path),
        paths.rel(path),
        known_codes=set(regions.regions()["code"]),
        units=dict(zip(m["indicator"], m["unit"])),
        kinds=dict(zip(m["indicator"], m["kind"])),
    )


def read_sources(path: str | Path | None = None) -> pd.DataFrame:
    """``sources.csv``, validated (one row per source id: producer, title, url, file, licence, … inputs)."""
    p = Path(path) if path is not None else paths.PROCESSED / "sources.csv"
    return _validated(*_file_key(p), "Sources").copy()


def read_series_breaks(path: str | Path | None = None) -> pd.DataFrame:
    """``series_breaks.csv``, validated (the declared breaks; the rule that reads them:
    :func:`lsg_analysis.data.series.read_breaks`)."""
    p = Path(path) if path is not None else paths.PROCESSED / "series_breaks.csv"
    return _validated(*_file_key(p), "SeriesBreaks").copy()


def read_corrections(path: str | Path | None = None) -> pd.DataFrame:
    """``corrections.csv`` (the corrections as applied, with the rows each changed), validated; ``row`` an int."""
    p = Path(path) if path is not None else paths.PROCESSED / "corrections.csv"
    return _validated(*_file_key(p), "Corrections").copy()


def read_flags(path: str | Path | None = None) -> pd.DataFrame:
    """``flags.csv``, validated: the doubtful cells the build found (:mod:`lsg_analysis.data.quality`; ``lsg data
    check`` proves the file equals a recomputation), one row per cell and rule, values as published."""
    p = Path(path) if path is not None else paths.PROCESSED / "flags.csv"
    return _validated(*_file_key(p), "Flags").copy()


@lru_cache(maxsize=16)
def _validated(path: str, mtime: int, size: int, model: str) -> pd.DataFrame:
    from lsg_analysis.data import schemas

    return schemas.validate(schemas.read_csv(path), getattr(schemas, model), paths.rel(path))


def indicator_meta(indicator: str | Sequence[str] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Indicator metadata (all indicators, or the ones asked for); with ``lang`` a ``name`` column in that language."""
    meta = read_indicator_meta()
    if indicator is not None:
        wanted = _as_list(indicator, "indicator", set(meta["indicator"]))
        meta = meta[meta["indicator"].isin(wanted)]
    if lang is not None:
        meta.insert(1, "name", meta[f"name_{parse_lang(lang)}"])
    return meta.reset_index(drop=True)


def _as_list(value: str | Iterable[str], name: str, allowed: set[str]) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    bad = [v for v in items if v not in allowed]
    if bad or not items:
        raise ParameterError(name, bad[0] if bad else value, ", ".join(sorted(allowed)))
    return items


_YEARS_ALLOWED = "a year (2015), a (first, last) tuple such as (2015, 2020), range(first, last + 1) or None"


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def parse_years(years: int | tuple[int, int] | range | None) -> set[int] | None:
    """The ``years`` parameter of the loaders → a set (None = all): a year, ``(first, last)`` or a range; a list
    is refused ("[2015, 2020]": two years or the years between?).

    >>> sorted(parse_years((2019, 2021))), parse_years(None)
    ([2019, 2020, 2021], None)
    """
    if years is None:
        return None
    if _is_int(years):
        return {int(years)}  # type: ignore[call-overload]
    if isinstance(years, range) and len(years):
        return set(years)
    if isinstance(years, tuple) and len(years) == 2 and all(_is_int(y) for y in years):
        first, last = (int(y) for y in years)
        if last < first:
            raise ParameterError("years", years, "(first, last) with first <= last")
        return set(range(first, last + 1))
    hint = (
        (
            "; not a list (two years, or the years between?): pass (first, last) for first to last, or "
            "range(first, last + 1, step) for every step-th year"
        )
        if isinstance(years, list)
        else ""
    )
    raise ParameterError("years", years, _YEARS_ALLOWED + hint)


def _spans(years: Iterable[int]) -> str:
    """Years as compact spans: ``2007-2018, 2020-2022``."""
    out: list[list[int]] = []
    for y in sorted(set(years)):
        if out and y == out[-1][1] + 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in out)


def _listing(values: Iterable[object], limit: int = 20) -> str:
    items = sorted({str(v) for v in values})
    more = f", … ({len(items)} in all)" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def _codes(codes: str | Iterable[str], known: set[str]) -> list[str]:
    """Registry codes for ``codes`` (codes or region names, read by :func:`lsg_analysis.regions.resolve`)."""
    from lsg_analysis.registry import regions

    items = [codes] if isinstance(codes, str) else codes
    if not isinstance(items, Iterable) or isinstance(items, dict):
        raise ParameterError("codes", codes, "a region code or name, or a list of them")
    out = []
    for item in items:
        if not isinstance(item, str):
            raise ParameterError("codes", item, "a region code or name (a str), or a list of them")
        if item in known:
            out.append(item)
            continue
        try:
            out.append(regions.resolve(item))
        except RegionError as e:
            raise ParameterError("codes", item, f"a region code or name; {e}") from None
    if not out:
        raise ParameterError("codes", codes, "at least one region code or name")
    return list(dict.fromkeys(out))


def _keep(
    data: pd.DataFrame, mask: pd.Series, name: str, found: object, what: str, column: str, chosen: list[str]
) -> pd.DataFrame:
    """``data[mask]``, or a ParameterError naming ``name`` and the values of ``column`` that have data."""
    if mask.any() or data.empty:
        return data[mask]
    if column == "level":
        have = ", ".join(f"{lv} ({LEVEL_NAMES[lv]})" for lv in sorted(set(data["level"])))
    else:
        have = _spans(data[column]) if column == "year" else _listing(data[column])
    sel = f" for {', '.join(chosen)}" if chosen else ""
    raise ParameterError(name, found, f"{what} with data{sel}: {have}")


def load_indicators(
    indicator: str | Sequence[str] | None = None,
    level: int | str | None = None,
    years: int | tuple[int, int] | range | None = None,
    codes: str | Sequence[str] | None = None,
    lang: str = "en",
    source: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Tidy indicator values with region names in ``lang``; see :func:`lsg_analysis.load_indicators`.

    Never an empty frame: a selection without values raises :class:`ParameterError` naming the parameter that
    emptied it and the values that have data."""
    from lsg_analysis.registry import regions

    lang, lvl, wanted = parse_lang(lang), (None if level is None else parse_level(level)), parse_years(years)
    data = read_indicators()
    reg = regions.regions().set_index("code")
    chosen: list[str] = []
    if indicator is not None:
        data = data[data["indicator"].isin(_as_list(indicator, "indicator", set(data["indicator"])))]
        chosen.append(f"indicator={indicator!r}")
    if source is None:
        data = data[data["default_series"] == "yes"]
    elif source != "all":
        wanted_src = _as_list(source, "source", set(data["source_id"]) | {"all"})
        data = _keep(data, data["source_id"].isin(wanted_src), "source", source, "sources", "source_id", chosen)
        chosen.append(f"source={source!r}")
    if codes is not None:
        data = _keep(data, data["code"].isin(_codes(codes, set(reg.index))), "codes", codes, "codes", "code", chosen)
        chosen.append(f"codes={codes!r}")
    data = data.assign(
        level=data["code"].map(reg["level"]).astype(int),
        parent=data["code"].map(reg["parent"]).fillna(""),
        name=data["code"].map(reg[f"name_{lang}"]),
    )
    if lvl is not None:
        data = _keep(data, data["level"] == lvl, "level", level, "levels", "level", chosen)
        chosen.append(f"level={level!r}")
    if wanted is not None:
        data = _keep(data, data["year"].isin(wanted), "years", years, "years", "year", chosen)
    return data[COLUMNS].reset_index(drop=True)
