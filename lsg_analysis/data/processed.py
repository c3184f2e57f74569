"""What do the processed tables hold? Validated reads of ``data/processed/indicators.csv`` and
``indicator_meta.csv`` and the filters behind :func:`lsg_analysis.load_indicators`.

Every read is validated (pandera schema, registry codes, units equal to the metadata, duplicates); a bad file is
one :class:`~lsg_analysis.core.errors.DataErrors` naming file, row, column, found and expected.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lsg_analysis.core import paths
from lsg_analysis.core.errors import DataError, ParameterError

LEVELS = {"republic": 0, "oblast": 1, "rayon": 2}
LANGS = ("en", "ru", "ky")
COLUMNS = ["code", "name", "level", "parent", "year", "indicator", "value", "unit", "source_id", "vintage",
           "boundaries", "flag", "note", "default_series"]


def _file_key(path: Path) -> tuple[str, int, int]:
    if not path.exists():
        raise DataError(paths.rel(path), "no file", "the processed table: run `lsg data build`")
    st = path.stat()
    return str(path), st.st_mtime_ns, st.st_size


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
    return validate_indicators(read_csv(path), paths.rel(path), known_codes=set(regions.regions()["code"]),
                               units=dict(zip(m["indicator"], m["unit"])), kinds=dict(zip(m["indicator"], m["kind"])))


def indicator_meta(indicator: str | Sequence[str] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Indicator metadata (all indicators, or the ones asked for); with ``lang`` a ``name`` column in that language."""
    meta = read_indicator_meta()
    if indicator is not None:
        wanted = _as_list(indicator, "indicator", set(meta["indicator"]))
        meta = meta[meta["indicator"].isin(wanted)]
    if lang is not None:
        meta.insert(1, "name", meta[f"name_{_lang(lang)}"])
    return meta.reset_index(drop=True)


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise ParameterError("lang", lang, ", ".join(LANGS))
    return lang


def _as_list(value: str | Iterable[str], name: str, allowed: set[str]) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    bad = [v for v in items if v not in allowed]
    if bad or not items:
        raise ParameterError(name, bad[0] if bad else value, ", ".join(sorted(allowed)))
    return items


def _level(level: int | str | None) -> int | None:
    if level is None:
        return None
    if isinstance(level, str) and level in LEVELS:
        return LEVELS[level]
    if isinstance(level, int) and not isinstance(level, bool) and level in LEVELS.values():
        return level
    raise ParameterError("level", level, "0, 1, 2, 'republic', 'oblast', 'rayon' or None")


def parse_years(years: int | Sequence[int] | range | None) -> set[int] | None:
    """The ``years`` parameter of the loaders: a year, ``(first, last)``, a range or a list → a set (None = all).

    >>> sorted(parse_years((2019, 2021))), parse_years(None)
    ([2019, 2020, 2021], None)
    """
    if years is None:
        return None
    if isinstance(years, int) and not isinstance(years, bool):
        return {years}
    if isinstance(years, tuple) and len(years) == 2 and all(isinstance(y, int) for y in years):
        if years[1] < years[0]:
            raise ParameterError("years", years, "(first, last) with first <= last")
        return set(range(years[0], years[1] + 1))
    try:
        out = {int(y) for y in years}  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise ParameterError("years", years, "a year, (first, last), a range or a list of years") from None
    if not out:
        raise ParameterError("years", years, "at least one year")
    return out


def load_indicators(indicator: str | Sequence[str] | None = None, level: int | str | None = None,
                    years: int | Sequence[int] | range | None = None, codes: str | Sequence[str] | None = None,
                    lang: str = "en", source: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Tidy indicator values with region names in ``lang``; see :func:`lsg_analysis.load_indicators`."""
    from lsg_analysis.registry import regions

    lang = _lang(lang)
    data = read_indicators()
    if indicator is not None:
        data = data[data["indicator"].isin(_as_list(indicator, "indicator", set(data["indicator"])))]
    if source is None:
        data = data[data["default_series"] == "yes"]
    elif source != "all":
        data = data[data["source_id"].isin(_as_list(source, "source", set(data["source_id"]) | {"all"}))]
    reg = regions.regions().set_index("code")
    if codes is not None:
        data = data[data["code"].isin(_as_list(codes, "codes", set(reg.index)))]
    lvl = _level(level)
    data = data.assign(level=data["code"].map(reg["level"]).astype(int),
                       parent=data["code"].map(reg["parent"]).fillna(""),
                       name=data["code"].map(reg[f"name_{lang}"]))
    if lvl is not None:
        data = data[data["level"] == lvl]
    wanted = parse_years(years)
    if wanted is not None:
        data = data[data["year"].isin(wanted)]
    return data[COLUMNS].reset_index(drop=True)
