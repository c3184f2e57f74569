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


def stamp(origin: Origin, lang: str) -> str:
    """The run stamp of one section in ``lang``: default or not, results folder, date, changed parameters."""
    date = i18n.fmt_date(origin.date, lang)
    key = "run_stamp_default" if origin.default and not origin.changed else "run_stamp"
    text = i18n.t(key, lang, folder=origin.folder, date=date)
    if origin.changed:
        text += " " + i18n.t("run_stamp_parameters", lang, parameters=parameters_text(origin.changed))
    return text


def section_stamps(origins: dict[str, Origin], lang: str) -> dict[str, str]:
    """Section → its run stamp in ``lang`` (a section whose notebook has no origin gets ``""``)."""
    return {s: stamp(origins[nb], lang) if nb in origins else "" for s, nb in SECTIONS.items()}


def all_stamps(origins: dict[str, Origin]) -> dict[str, dict[str, str]]:
    """Section → language → run stamp (the dashboard switches language on the page)."""
    return {s: {lang: section_stamps(origins, lang)[s] for lang in LANGS} for s in SECTIONS}


def origin_lines(origins: dict[str, Origin]) -> list[str]:
    """One line per section for the command line (English, as every CLI message): where its results came from."""
    return [
        f"{s}: {origins[nb].notebook} from {stamp(origins[nb], 'en')}" for s, nb in SECTIONS.items() if nb in origins
    ]
