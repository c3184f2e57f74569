"""Which parameters does each notebook take, and is a given value allowed?

The single source of truth for notebook parameters: their name, type, default, allowed values and help.
The ``parameters`` cell of each notebook is generated from :data:`SPECS` (:func:`cell_source`; a test
checks they match), the first cell after it calls ``p = params.check("01_imbalance", locals())``, and the
runner (``lsg run``) calls :func:`check` on every parameter set before any notebook runs (``data=False`` before
any kernel starts, the data checks while the kernels start up).

A bad value raises :class:`~lsg_analysis.core.errors.ParameterError`: one message naming the parameter, the
value found and the allowed values. Indicator names and year ranges are checked against the processed
data (``data/processed/indicators.csv`` and ``indicator_meta.csv``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsg_analysis.analysis.register_schema import SAMPLED, SAMPLING  # noqa: F401  (SAMPLED: for outputs)
from lsg_analysis.core import paths
from lsg_analysis.core.errors import ParameterError
from lsg_analysis.core.levels import LANGS, LEVEL_NAMES, parse_level

#: The levels a notebook runs at, by name (core.levels holds the one parser of levels and languages).
LEVELS = LEVEL_NAMES[1:]
#: Level names of the notebooks → ``level`` of the region registry.
LEVEL_NUMBER = {name: parse_level(name) for name in LEVELS}
CONSULTATION_GROUPINGS = ("year", "drafting_body", "act_type", "lsg_competence_area", "legal_regime")
#: Comparison sources and measures of notebook 04 (those of :mod:`lsg_analysis.analysis.context`; a test checks).
CONTEXT_SOURCES = ("oecd_tl2", "oecd_tl3", "gdl_gnic", "gdl_shdi")
CONTEXT_MEASURES = ("theil", "gini", "cv", "max_min")


@dataclass(frozen=True)
class Param:
    """One notebook parameter. ``choices`` lists allowed values (of the elements for a ``list``);
    ``bounds`` is an inclusive (low, high) range for numbers (of the elements for a ``list``)."""

    name: str
    type: type
    default: Any
    help: str
    choices: tuple[Any, ...] | None = None
    bounds: tuple[float, float] | None = None
    item_type: type | None = None


_LANG = Param("lang", str, "en", "language of names and labels: ky, ru or en", choices=LANGS)
_OUT = Param(
    "out_dir",
    str,
    "",
    "folder for the results JSON; empty (a run by hand) means "
    "reports/scratch/<notebook>, lsg run sets it (default run: reports/results)",
)
_SEED = Param("seed", int, 20261125, "seed of the random generator (bootstrap and permutations)", bounds=(0, 2**32 - 1))

#: Parameters of each notebook, in the order of its ``parameters`` cell.
SPECS: dict[str, tuple[Param, ...]] = {
    "01_imbalance": (
        Param("indicator", str, "grp_per_capita", "indicator id (see data/processed/indicator_meta.csv)"),
        Param("level", str, "oblast", "oblast (9 units) or rayon (rayons and cities)", choices=LEVELS),
        Param("year_from", int, 0, "first year; 0 means the first year with data"),
        Param("year_to", int, 0, "last year; 0 means the last year with data"),
        Param("weighted", bool, True, "weight units by population (the indicator's weight_by)"),
        Param("n_boot", int, 999, "bootstrap replicates for confidence intervals (0 skips them)", bounds=(0, 100_000)),
        _SEED,
        _LANG,
        _OUT,
    ),
    "02_migration_border": (
        Param(
            "level",
            str,
            "oblast",
            "border table and map units (compared at both levels anyway): oblast or rayon",
            choices=LEVELS,
        ),
        Param("year_from", int, 2012, "first year of the oblast population window (start of year)"),
        Param("year_to", int, 2020, "last year of the window; a series break inside leaves units unmeasured"),
        Param("n_perm", int, 9999, "permutations of the border vs interior test", bounds=(99, 1_000_000)),
        _SEED,
        _LANG,
        _OUT,
    ),
    "03_consultations": (
        Param("register", str, "", "register file (CSV or XLSX); empty means the shipped coded registers"),
        Param(
            "by",
            list,
            ["year", "drafting_body", "act_type"],
            "groupings of the rates",
            choices=CONSULTATION_GROUPINGS,
            item_type=str,
        ),
        Param(
            "scenario_days",
            list,
            [15, 30],
            "discussion-period scenarios in days (not the legal minimum)",
            bounds=(1, 365),
            item_type=int,
        ),
        Param(
            "sampling",
            str,
            "",
            "how the drafts were chosen; empty means the register's declared register_sampling",
            choices=("", *SAMPLING),
        ),
        _LANG,
        _OUT,
    ),
    "04_context": (
        Param(
            "source",
            str,
            "oecd_tl2",
            "countries compared: oecd_tl2, oecd_tl3, gdl_gnic or gdl_shdi",
            choices=CONTEXT_SOURCES,
        ),
        Param(
            "measure",
            str,
            "theil",
            "dispersion across regions, unweighted as the OECD's: theil, gini, cv or max_min",
            choices=CONTEXT_MEASURES,
        ),
        Param("year", int, 0, "year compared; 0 means the latest year both Kyrgyzstan (NSC) and the source have"),
        Param(
            "highlight",
            list,
            ["KAZ", "UZB", "TJK", "RUS", "CHN"],
            "countries marked beside Kyrgyzstan (ISO 3166 alpha-3 codes)",
            item_type=str,
        ),
        _LANG,
        _OUT,
    ),
}


class Params(dict):
    """Checked parameter values; also readable as attributes (``p.level``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def notebooks() -> list[str]:
    """Names of the notebooks, in run order."""
    return list(SPECS)


def spec(notebook: str) -> tuple[Param, ...]:
    """The parameters of ``notebook``; an unknown notebook is a :class:`ParameterError`."""
    if notebook not in SPECS:
        raise ParameterError("notebook", notebook, ", ".join(SPECS))
    return SPECS[notebook]


def defaults(notebook: str) -> dict[str, Any]:
    """Default value of every parameter of ``notebook`` (a fresh copy)."""
    return {p.name: (list(p.default) if isinstance(p.default, list) else p.default) for p in spec(notebook)}


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return repr(value)


def cell_source(notebook: str) -> str:
    """Source of the notebook's ``parameters`` cell: one ``name: type = default  # help`` per line."""
    return "\n".join(f"{p.name}: {p.type.__name__} = {_literal(p.default)}  # {p.help}" for p in spec(notebook))


def _type_ok(value: Any, kind: type) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is list:
        return isinstance(value, (list, tuple))
    return isinstance(value, kind)


def _check_value(p: Param, value: Any) -> Any:
    """Type, choices and bounds of one value; returns it normalised (tuple → list, int → float)."""
    if not _type_ok(value, p.type):
        raise ParameterError(p.name, value, f"a value of type {p.type.__name__}")
    items = list(value) if p.type is list else [value]
    for item in items:
        if p.item_type is not None and not _type_ok(item, p.item_type):
            raise ParameterError(p.name, value, f"a list of {p.item_type.__name__} values")
        if p.choices is not None and item not in p.choices:
            raise ParameterError(p.name, item, ", ".join(map(str, p.choices)))
        if p.bounds is not None and not p.bounds[0] <= item <= p.bounds[1]:
            raise ParameterError(p.name, item, f"{p.bounds[0]:g} to {p.bounds[1]:g}")
    if p.type is list:
        return items
    return float(value) if p.type is float else value


def _indicator_table(indicators: str | Path | None = None, meta: str | Path | None = None) -> Any:
    """Indicator ids, and the default-series values per level: ``(ids, values)`` with values ``indicator, level,
    year, value`` of map units (composite units left out), from the validated processed tables
    (:func:`lsg_analysis.data.processed.read_indicators`); cached on both files' path, mtime and size."""
    from lsg_analysis.core.filekey import file_key

    p = Path(indicators) if indicators is not None else paths.PROCESSED / "indicators.csv"
    m = Path(meta) if meta is not None else p.with_name("indicator_meta.csv")
    return _indicator_values(*file_key(p), *file_key(m))


@functools.lru_cache(maxsize=2)
def _indicator_values(path: str, mtime: int, size: int, meta: str, mmtime: int, msize: int) -> Any:
    from lsg_analysis.data.processed import read_indicator_meta, read_indicators
    from lsg_analysis.registry import regions

    ids = read_indicator_meta(meta)["indicator"]
    data = read_indicators(path, meta)[["code", "year", "indicator", "value", "default_series"]]
    data = data[data["value"].notna() & (data["default_series"] == "yes")]
    reg = regions.regions().set_index("code")
    data = data[data["code"].map(reg["kind"]).ne("composite")]
    data = data.assign(level=data["code"].map(reg["level"]))
    return sorted(ids.astype(str)), data[["indicator", "level", "year", "value"]]


def indicator_coverage(indicator: str | None = None, level: str | None = None) -> Any:
    """Years with data per indicator and level: DataFrame ``indicator, level, min, max``
    (``level`` 1 = oblast, 2 = rayon), optionally filtered."""
    data = _indicator_table()[1]
    if indicator is not None:
        data = data[data["indicator"] == indicator]
    if level is not None:
        data = data[data["level"] == LEVEL_NUMBER[level]]
    return data.groupby(["indicator", "level"])["year"].agg(["min", "max"]).reset_index()


def _check_positive(values: dict[str, Any]) -> None:
    """Theil T, MLD and the log-based convergence need positive values: say which value breaks that."""
    data = _indicator_table()[1]
    here = data[
        (data["indicator"] == values["indicator"])
        & (data["level"] == LEVEL_NUMBER[values["level"]])
        & data["year"].between(values["year_from"], values["year_to"])
        & (data["value"] <= 0)
    ]
    if len(here):
        first = here.sort_values("year").iloc[0]
        raise ParameterError(
            "indicator",
            values["indicator"],
            f"an indicator with positive values in {values['year_from']}-{values['year_to']} "
            f"(Theil T and log growth need them; {len(here)} value(s) of 0 or less, first in "
            f"{int(first['year'])}): choose other years or another indicator",
        )


def _check_imbalance(values: dict[str, Any]) -> None:
    _check_years(values, *_check_indicator(values["indicator"], values["level"]))
    _check_positive(values)


def _check_indicator(indicator: str, level: str) -> tuple[int, int]:
    known, cov = _indicator_table()[0], indicator_coverage()
    if indicator not in known:
        raise ParameterError("indicator", indicator, ", ".join(known))
    here = cov[cov["level"] == LEVEL_NUMBER[level]]
    row = here[here["indicator"] == indicator]
    if row.empty:
        there = ", ".join(sorted(here["indicator"].astype(str)))
        raise ParameterError("indicator", indicator, f"an indicator with {level} data: {there}")
    return int(row["min"].iloc[0]), int(row["max"].iloc[0])


def _population_years() -> tuple[int, int]:
    """Years with oblast population data (the population window of notebook 02, at either level)."""
    cov = indicator_coverage("population_start_of_year", "oblast")
    if cov.empty:
        raise ParameterError("year_from", 0, "years with population_start_of_year in data/processed/indicators.csv")
    return int(cov["min"].iloc[0]), int(cov["max"].iloc[0])


def _check_years(values: dict[str, Any], first: int, last: int, *, window: bool = False) -> None:
    """Resolve ``year_from``/``year_to`` = 0 to the coverage and check both lie within it (a ``window``
    needs two different years)."""
    allowed = f"{first} to {last} (or 0 for the {{}} year with data)"
    for name, fill in (("year_from", first), ("year_to", last)):
        year = values[name] or fill
        if not first <= year <= last:
            raise ParameterError(name, values[name], allowed.format("first" if name == "year_from" else "last"))
        values[name] = year
    if values["year_from"] > values["year_to"] or (window and values["year_from"] == values["year_to"]):
        after = "after" if window else "from"
        raise ParameterError(
            "year_to", values["year_to"], f"a year {after} year_from ({values['year_from']}) up to {last}"
        )


def out_folder(value: str, notebook: str) -> str:
    """Resolve the results folder: empty (a notebook run by hand; ``lsg run`` always sets it) →
    ``reports/scratch/<notebook>``, so a hand run never overwrites a run's results; never inside ``data/``."""
    out = Path(value).expanduser() if value else paths.SCRATCH / notebook
    out = out if out.is_absolute() else paths.ROOT / out
    out = out.resolve()
    if out == paths.DATA.resolve() or paths.DATA.resolve() in out.parents:
        raise ParameterError("out_dir", value, "a folder outside data/ (runs never write into the data)")
    if out.exists() and not out.is_dir():
        raise ParameterError("out_dir", value, "a folder (this path is a file)")
    return str(out)


def _check_register(value: str) -> str:
    if not value:
        return ""
    path = Path(value).expanduser()
    path = path if path.is_absolute() else paths.ROOT / path
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ParameterError("register", value, "a .csv or .xlsx file")
    if not path.is_file():
        raise ParameterError("register", value, "an existing .csv or .xlsx file (not found)")
    return str(path)


def _check_context(values: dict[str, Any]) -> None:
    """Highlighted countries must be countries of the comparison data; ``year`` 0 → the latest common year."""
    from lsg_analysis.analysis import context

    known = context.known_countries()
    for code in values["highlight"]:
        if code not in known:
            raise ParameterError(
                "highlight",
                code,
                "ISO 3166 alpha-3 codes (upper case) of countries in the comparison data, e.g. KAZ, UZB, TJK, RUS, CHN",
            )
    values["year"] = context.resolve_year(values["source"], values["measure"], values["year"])


#: Checks that need the data or the file system, per notebook, run after the static ones.
_DYNAMIC: dict[str, Callable[[dict[str, Any]], None]] = {
    "01_imbalance": _check_imbalance,
    "02_migration_border": lambda v: _check_years(v, *_population_years(), window=True),
    "03_consultations": lambda v: v.update(register=_check_register(v["register"])),
    "04_context": _check_context,
}


def check(notebook: str, values: Mapping[str, Any], *, strict: bool = False, data: bool = True) -> Params:
    """Check and resolve the parameters of ``notebook``.

    ``values`` may hold more names than the notebook's parameters (a notebook passes ``locals()``);
    with ``strict=True`` (the runner) an unknown name is an error. Missing names take their default.
    ``data=False`` leaves out the checks against the data and the register file (indicator years, positive
    values, countries; years stay 0): names, types, allowed values and ``out_dir`` only, the runner's check
    before any kernel starts.
    Returns the values with defaults resolved: years 0 → the data's coverage, ``out_dir`` → an absolute
    folder (empty → ``reports/scratch/<notebook>``), ``register`` → an absolute path or "". Raises :class:`ParameterError`.
    """
    specs = {p.name: p for p in spec(notebook)}
    if strict:
        for name in values:
            if name not in specs:
                raise ParameterError(name, values[name], f"a parameter of {notebook}: " + ", ".join(specs))
    out = defaults(notebook)
    for name, p in specs.items():
        if name in values:
            out[name] = _check_value(p, values[name])
    if data:
        _DYNAMIC[notebook](out)
    out["out_dir"] = out_folder(out["out_dir"], notebook)
    return Params(out)
