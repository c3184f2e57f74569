"""Which run does each section of a brief or dashboard come from? The one rule of which results feed which
section (:data:`SECTIONS`) and the run stamp printed under each section heading, in ky/ru/en.

A stamp names the results folder, the date its file was written and the parameters that differ from the
notebook's defaults (:class:`lsg_analysis.runs.results.Origin`); a section from the default results says so.
"""

from __future__ import annotations

import json
from typing import Any

from lsg_analysis.core.levels import LANGS
from lsg_analysis.outputs import i18n
from lsg_analysis.runs.results import Origin

#: Section of the brief / view of the dashboard → the notebook whose results it shows.
SECTIONS = {
    "imbalance": "01_imbalance",
    "context": "04_context",
    "border": "02_migration_border",
    "consult": "03_consultations",
}


def parameters_text(changed: dict[str, Any]) -> str:
    """``name = value`` of each changed parameter, as written in a ``-p NAME VALUE`` (lists in YAML form).

    >>> parameters_text({"level": "rayon", "weighted": False, "by": ["year"]})
    'level = rayon, weighted = false, by = ["year"]'
    """
    return ", ".join(
        f"{k} = {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}" for k, v in changed.items()
    )


#: Parameter → the catalogue key prefix of its values (``level_rayon``, ``grouping_year``, …); a parameter not
#: listed has values a reader reads as they are (years, counts, a file name, ISO 3166 country codes).
VALUE_KEYS = {
    "level": "level_",
    "by": "grouping_",
    "sampling": "sampling_",
    "source": "ctx_source_",
    "measure": "ctx_measure_",
    "lang": "lang_",
}


def parameter_value(name: str, value: Any, lang: str) -> str:
    """One parameter's value in ``lang``: yes/no, a level, grouping, sampling, comparison source, measure or language
    by its catalogue name (:data:`VALUE_KEYS`), an indicator by its name, a list item by item; else as written."""
    if isinstance(value, list):
        return ", ".join(parameter_value(name, v, lang) for v in value)
    if isinstance(value, bool):
        return i18n.t("yes" if value else "no", lang).lower()
    try:
        if name == "indicator":
            return i18n.indicator_name(str(value), lang)
        if name in VALUE_KEYS:
            return i18n.t(f"{VALUE_KEYS[name]}{value}", lang)
    except i18n.TranslationError:  # a value without a name in the catalogue: as written
        pass
    return str(value)


def parameters_label_text(changed: dict[str, Any], lang: str) -> str:
    """``label: value`` of each changed parameter in ``lang`` (catalogue keys ``param_<name>``), for a reader:
    ``level of units: by district; weighted by population: no``. A parameter without a label keeps its name as
    in a ``-p NAME VALUE`` (:func:`parameters_text`)."""
    parts = []
    for name, value in changed.items():
        try:
            parts.append(f"{i18n.t(f'param_{name}', lang)}: {parameter_value(name, value, lang)}")
        except i18n.TranslationError:
            parts.append(parameters_text({name: value}))
    return "; ".join(parts)


def stamp(origin: Origin, lang: str, *, as_typed: bool = False) -> str:
    """The run stamp of one section in ``lang``: default or not, results folder, date, changed parameters (each by
    its label and its value in ``lang``; ``as_typed``: as ``-p NAME VALUE`` takes them, for the command line)."""
    date = i18n.fmt_date(origin.date, lang)
    key = "run_stamp_default" if origin.default and not origin.changed else "run_stamp"
    text = i18n.t(key, lang, folder=origin.folder, date=date)
    if origin.changed:
        changed = parameters_text(origin.changed) if as_typed else parameters_label_text(origin.changed, lang)
        text += " " + i18n.t("run_stamp_parameters", lang, parameters=changed)
    return text


def section_stamps(origins: dict[str, Origin], lang: str) -> dict[str, str]:
    """Section → its run stamp in ``lang`` (a section whose notebook has no origin gets ``""``)."""
    return {s: stamp(origins[nb], lang) if nb in origins else "" for s, nb in SECTIONS.items()}


def all_stamps(origins: dict[str, Origin]) -> dict[str, dict[str, str]]:
    """Section → language → run stamp (the dashboard switches language on the page)."""
    return {s: {lang: section_stamps(origins, lang)[s] for lang in LANGS} for s in SECTIONS}


def origin_lines(origins: dict[str, Origin]) -> list[str]:
    """One line per section for the command line (English, as every CLI message): where its results came from,
    the changed parameters as ``-p NAME VALUE`` takes them."""
    return [
        f"{s}: {origins[nb].notebook} from {stamp(origins[nb], 'en', as_typed=True)}"
        for s, nb in SECTIONS.items()
        if nb in origins
    ]
