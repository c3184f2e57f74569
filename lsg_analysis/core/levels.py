"""Which level, which language? The one parser of both, used by every module and command.

A level is held as its number (0 republic, 1 oblast and the two cities of republican significance, 2 rayon and
city of oblast significance) and shown by its name. One set of spellings is accepted everywhere: the number
(``1`` or ``"1"``), the name (``"oblast"``) and the English synonyms met in sources (``"region"``, ``"district"``,
``"country"``), in any case.

>>> parse_level("Rayon"), parse_level(1), level_name(2)
(2, 1, 'rayon')
>>> parse_level("district", allowed=(1, 2))
2
>>> parse_lang("ky")
'ky'
"""

from __future__ import annotations

from collections.abc import Iterable

from lsg_analysis.core.errors import ParameterError

#: Level names, index = level number.
LEVEL_NAMES = ("republic", "oblast", "rayon")
LEVELS = {name: number for number, name in enumerate(LEVEL_NAMES)}
_SYNONYMS = {"country": 0, "region": 1, "district": 2}
#: What each level holds, for messages.
_HOLDS = {0: "the republic", 1: "7 oblasts + Bishkek + Osh city", 2: "rayons and cities"}
#: Output languages, in the order users see them (state language first).
LANGS = ("ky", "ru", "en")


def _allowed_levels(allowed: Iterable[int]) -> str:
    return ", ".join(f"{n} or '{LEVEL_NAMES[n]}' ({_HOLDS[n]})" for n in allowed)


def parse_level(level: int | str, *, allowed: Iterable[int] = (0, 1, 2), name: str = "level") -> int:
    """The level number of ``level`` (a number, a digit string, a name or a synonym); a
    :class:`~lsg_analysis.core.errors.ParameterError` naming the allowed levels otherwise."""
    allowed = tuple(allowed)
    number: int | None = None
    if isinstance(level, int) and not isinstance(level, bool):
        number = level
    elif isinstance(level, str):
        word = level.strip().casefold()
        number = int(word) if word.isdigit() else LEVELS.get(word, _SYNONYMS.get(word))
    if number not in allowed:
        raise ParameterError(name, level, _allowed_levels(allowed))
    return number


def level_name(level: int | str) -> str:
    """The name of a level: ``level_name(1)`` → ``"oblast"``."""
    return LEVEL_NAMES[parse_level(level)]


def parse_lang(lang: str, *, allow_all: bool = False, name: str = "lang") -> str:
    """``lang`` if it is an output language (``"all"`` too when ``allow_all``); a ParameterError otherwise."""
    if lang in LANGS or (allow_all and lang == "all"):
        return lang
    raise ParameterError(name, lang, ", ".join(LANGS) + (" or all" if allow_all else ""))
