"""Which words, in Kyrgyz, Russian or English? The translation catalogue and number/date formats.

Two tables, both package data in ``lsg_analysis/outputs/i18n_data/``:

- ``glossary.csv``: the project's trilingual term list, copied unchanged from ``../shared/i18n/glossary.csv``
  (provenance in ``glossary.csv.source.yml``; column ``source_quality`` says where each term comes from);
- ``messages.csv`` (``key, en, ru, ky, source, quality``): the sentences and labels of the briefs and the
  dashboard, built around glossary terms. Rows with ``quality = own_translation`` are the project's own wording
  and need review by a native speaker; a row that is a glossary term as it stands keeps the glossary's quality.

``t(key, lang)`` never falls back to another language: a blank cell or an unknown key raises
:class:`TranslationError`, so a Kyrgyz brief cannot silently show English.

Number formats follow the glossary README (NSC output and Unicode CLDR 48): ky/ru decimal comma and U+00A0
(no-break space) between thousands; en decimal point and comma between thousands; four-digit numbers are
grouped too. Percent: ky ``29,2%``, ru ``29,2 %`` (no-break space), en ``29.2%``. A missing value is shown as the
catalogue's "no data" text, never as 0.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import math
import re
import string
from pathlib import Path
from typing import Any

from lsg_analysis.core.errors import LsgError, ParameterError
from lsg_analysis.core.levels import parse_lang

DATA_DIR = Path(__file__).resolve().parent / "i18n_data"
GLOSSARY = DATA_DIR / "glossary.csv"
MESSAGES = DATA_DIR / "messages.csv"

NBSP = "\u00a0"
#: thousands separator and decimal mark per language (CLDR 48; glossary README "Number and date formatting")
SEPARATORS = {"ky": (NBSP, ","), "ru": (NBSP, ","), "en": (",", ".")}
#: text between the number and "%" (CLDR: ru "29,2 %", ky "29,2%", en "29.2%")
PERCENT_GAP = {"ky": "", "ru": NBSP, "en": ""}
NO_DATA_KEY = "no_data_available"
_YEAR_FIELDS = {"year", "first", "last"}

#: month names for long dates: ru genitive («25 марта 2022 г.»); ky possessive after the day («25-марты»), as in
#: official texts («2009-жылдын 20-июлундагы», «2022-жылдын 25-мартына карата»); the full ky list is our own
_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    "ky": [
        "январы",
        "февралы",
        "марты",
        "апрели",
        "майы",
        "июну",
        "июлу",
        "августу",
        "сентябры",
        "октябры",
        "ноябры",
        "декабры",
    ],
}
#: Kyrgyz alphabet: Ң after Н, Ө after О, Ү after У (glossary README "Sorting")
_KY_ALPHABET = "абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя"


class TranslationError(LsgError, LookupError):
    """A key or language the catalogue does not have (never silently replaced by another language)."""


def catalogue() -> dict[str, dict[str, str]]:
    """All entries: ``{key: {"en", "ru", "ky", "source", "quality", "file"}}`` from glossary and messages.

    A key may appear only once across both files. Cached on both files' path, mtime and size.
    """
    from lsg_analysis.core.filekey import file_key

    return _catalogue(file_key(GLOSSARY, "the glossary"), file_key(MESSAGES, "the message catalogue"))


@functools.lru_cache(maxsize=2)
def _catalogue(glossary_key: tuple[str, int, int], messages_key: tuple[str, int, int]) -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for path, quality_col in ((Path(glossary_key[0]), "source_quality"), (Path(messages_key[0]), "quality")):
        with path.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                key = (row.get("key") or "").strip()
                if not key:
                    raise TranslationError(f"{path.name}, row {i + 2}: empty key")
                if key in entries:
                    raise TranslationError(
                        f"{path.name}, row {i + 2}: key {key!r} already defined in {entries[key]['file']}"
                    )
                entries[key] = {
                    "en": row["en"],
                    "ru": row["ru"],
                    "ky": row["ky"],
                    "source": row["source"],
                    "quality": row[quality_col],
                    "file": path.name,
                }
    return entries


def check_lang(lang: str) -> str:
    """``lang`` if it is one of ky, ru, en; else a ParameterError (:func:`lsg_analysis.core.levels.parse_lang`)."""
    return parse_lang(lang)


def has(key: str, lang: str) -> bool:
    """Whether ``key`` has display text in ``lang``."""
    entry = catalogue().get(key)
    return bool(entry and entry[check_lang(lang)].strip())


def t(key: str, lang: str, **fmt: Any) -> str:
    """The text of ``key`` in ``lang``; ``{name}`` fields are filled from ``fmt``.

    Numbers in ``fmt`` are formatted for ``lang`` (int: no decimals; float: one decimal; ``None``: "no data"),
    except fields named ``year``, ``first``, ``last`` or ``*_year``, which are years (``2022``, not ``2 022``).
    Pass strings for anything else (e.g. ``fmt_percent(...)``).
    """
    entry = catalogue().get(key)
    if entry is None:
        raise TranslationError(f"no catalogue entry {key!r} (add it to {MESSAGES.relative_to(DATA_DIR.parent)})")
    text = entry[check_lang(lang)]
    if not text.strip():
        raise TranslationError(
            f"catalogue entry {key!r} has no {lang} text ({entry['file']}); no fallback to another language"
        )
    fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    missing = fields - fmt.keys()
    if missing:
        raise TranslationError(f"catalogue entry {key!r} needs {sorted(missing)}; got {sorted(fmt)}")
    if not fields:
        return text
    return one_full_stop(text.format(**{k: _display(k, v, lang) for k, v in fmt.items()}))


def one_full_stop(text: str) -> str:
    """Sentences joined without doubled punctuation: a filled-in value that ends with a full stop (ru «2026 г.»,
    ky «ш.», an abbreviation) before the sentence's own full stop or comma-stop gives one mark, not two
    (``г..`` → ``г.``, ``г. .`` → ``г.``, ``?.``/``!.`` → ``?``/``!``, ``.;`` kept). An ellipsis (``…``, ``...``)
    stays."""
    text = re.sub(r"(?<!\.)\.\s*\.(?!\.)", ".", text)
    return re.sub(r"([?!])\.(?!\.)", r"\1", text)


def _display(name: str, value: Any, lang: str) -> str:
    if name in _YEAR_FIELDS or name.endswith("_year"):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            return str(int(value))  # 2022 or 2022.0 → "2022", never "2 022"
        return no_data(lang) if value is None else str(value)
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt_number(value, lang, decimals=0 if isinstance(value, int) else 1)
    return str(value)


def no_data(lang: str) -> str:
    """The visible "no data" text of ``lang``."""
    return t(NO_DATA_KEY, lang)


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return not math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def fmt_number(x: float | int | None, lang: str, decimals: int = 1, *, sign: bool = False) -> str:
    """``x`` with ``decimals`` decimals in the style of ``lang`` (``1 234,5`` / ``1,234.5``).

    ``None``/NaN → "no data" text. ``sign=True`` writes ``+`` before positive numbers.
    """
    check_lang(lang)
    if _is_missing(x):
        return no_data(lang)
    if isinstance(x, bool) or not isinstance(x, (int, float)) and not hasattr(x, "__float__"):
        raise TypeError(f"fmt_number: expected a number, got {type(x).__name__} {x!r}")
    value = float(x)
    text = f"{abs(value):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        value = 0.0  # no "-0,0"
    thousands, point = SEPARATORS[lang]
    text = text.replace(",", "\0").replace(".", point).replace("\0", thousands)
    if value < 0:
        return "-" + text
    return ("+" + text) if sign and value > 0 else text


def fmt_percent(x: float | None, lang: str, decimals: int = 1, *, fraction: bool = False, sign: bool = False) -> str:
    """``x`` per cent (``fraction=True``: ``x`` is a share 0–1, multiplied by 100): ky ``29,2%``, ru ``29,2 %``."""
    if _is_missing(x):
        return no_data(lang)
    value = float(x) * 100 if fraction else float(x)
    return fmt_number(value, lang, decimals, sign=sign) + PERCENT_GAP[check_lang(lang)] + "%"


def fmt_date(d: dt.date | str | None, lang: str, style: str = "long") -> str:
    """A date: ``numeric`` = DD.MM.YYYY (NSC style); ``long`` = en «25 March 2022», ru «25 марта 2022 г.»,
    ky «2022-жылдын 25-марты» (ky long form: own construction, see glossary README, dates)."""
    check_lang(lang)
    if d is None or d == "":
        return no_data(lang)
    if isinstance(d, str):
        try:
            d = dt.date.fromisoformat(d[:10])
        except ValueError:
            raise ParameterError("date", d, "an ISO date YYYY-MM-DD") from None
    if isinstance(d, dt.datetime):
        d = d.date()
    if style == "numeric":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style != "long":
        raise ParameterError("style", style, "long, numeric")
    month = _MONTHS[lang][d.month - 1]
    if lang == "en":
        return f"{d.day} {month} {d.year}"
    if lang == "ru":
        return f"{d.day} {month} {d.year}{NBSP}г."
    return f"{d.year}-жылдын {d.day}-{month}"


def year_span(first: Any, last: Any) -> str:
    """A span of years as printed: ``2012–2020`` with an en dash, one year alone ``2020``, ``""`` when unknown.

    >>> year_span(2012, 2020), year_span(2020, 2020), year_span(None, 2020)
    ('2012–2020', '2020', '')
    """
    if first is None or last is None:
        return ""
    return str(first) if first == last else f"{first}–{last}"


def span_text(value: Any) -> str:
    """A recorded span of years (``"2012-2020"``, as the results store it) printed by :func:`year_span`; any
    other text as it is (``"2020"``), ``""`` when missing.

    >>> span_text("2012-2020"), span_text("2020"), span_text(None)
    ('2012–2020', '2020', '')
    """
    text = "" if value is None else str(value).strip()
    found = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", text)
    return year_span(int(found[1]), int(found[2])) if found else text


def region_name(code: str, lang: str) -> str:
    """Name of region ``code`` in ``lang`` from the region registry (``lsg_analysis.registry.regions``)."""
    from lsg_analysis.registry import regions

    return regions.name(code, check_lang(lang))


def indicator_name(indicator: str, lang: str) -> str:
    """Display name of an indicator id in ``lang``, from the indicator definitions ``data/indicators.yml``."""
    check_lang(lang)
    meta = _indicator_meta().get(indicator)
    if meta is None:
        raise TranslationError(f"indicator {indicator!r} is not defined in data/indicators.yml")
    name = str(meta.get(f"name_{lang}") or "").strip()
    if not name:
        raise TranslationError(f"indicator {indicator!r} has no name_{lang} in data/indicators.yml")
    return name


#: How an indicator's own English name may already state its level (the catalogue's ``level_*`` phrase aside).
LEVEL_IN_NAME = {"oblast": ("by oblast",), "rayon": ("by rayon", "by district")}


def without_level(name: str, level: str, lang: str) -> str:
    """An indicator's name for a sentence that adds ``level`` itself (``{indicator} {level}``): the level phrase
    taken out of the name when the name already states it, so the level is said once.

    >>> without_level("Poverty rate by rayon (MLSD via WFP PRISM)", "rayon", "en")
    'Poverty rate (MLSD via WFP PRISM)'
    """
    import re

    phrases = (t(f"level_{level}", lang), *LEVEL_IN_NAME.get(level, ())) if level in LEVEL_IN_NAME else ()
    for phrase in phrases:
        found = re.search(re.escape(phrase), name, flags=re.IGNORECASE)
        if found:
            rest = (name[: found.start()] + name[found.end() :]).strip()
            rest = re.sub(r"\s{2,}", " ", rest)
            return rest[:1].upper() + rest[1:] if name[:1].isupper() else rest
    return name


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: the first letter lower case ("Poverty rate" → "poverty rate",
    "Under-5 mortality rate" → "under-5 …", "Уровень бедности" → "уровень бедности"), unless the first word is an
    abbreviation ("GRP per capita", "ВРП", "DTP3") or the name is a title in capitals ("Subnational Human
    Development Index").

    >>> in_sentence("Poverty rate (national poverty line)"), in_sentence("GRP per capita at current prices")
    ('poverty rate (national poverty line)', 'GRP per capita at current prices')
    >>> in_sentence("Subnational Human Development Index"), in_sentence("Кедейчиликтин деңгээли")
    ('Subnational Human Development Index', 'кедейчиликтин деңгээли')
    """
    words = name.split()
    if not words or not words[0][:1].isupper():
        return name
    letters = re.sub(r"[\W\d_]", "", words[0])
    abbreviation = len(letters) > 1 and letters[1].isupper()
    title = sum(w[:1].isupper() for w in words[1:] if len(w) > 3) >= 2
    return name if abbreviation or title else name[:1].lower() + name[1:]


def _indicator_meta(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The validated indicator definitions (:func:`lsg_analysis.data.catalogue.load_indicator_defs`), read-only
    here: one copy per file version (path, mtime, size), not one per name looked up."""
    from lsg_analysis.core import paths
    from lsg_analysis.core.filekey import file_key

    p = Path(path) if path is not None else paths.DATA / "indicators.yml"
    if p.name != "indicators.yml":
        raise ParameterError("path", str(p), "a file named indicators.yml")
    return _indicator_defs(*file_key(p, "the indicator definitions data/indicators.yml"))


@functools.lru_cache(maxsize=4)
def _indicator_defs(file: str, mtime: int, size: int) -> dict[str, dict[str, Any]]:
    from lsg_analysis.data.catalogue import load_indicator_defs

    return load_indicator_defs(Path(file).parent)  # reads <folder>/indicators.yml


def unit_key(unit: str) -> str:
    """Catalogue key of a unit name: ``"thousand som per person"`` → ``unit_thousand_som_per_person``."""
    return "unit_" + re.sub(r"[^a-z0-9]+", "_", unit.lower()).strip("_")


def unit_label(unit: str, lang: str) -> str:
    """Short unit text for titles and legends: ``%`` for per cent, nothing for bare numbers and shares (their
    kind says it), else the catalogue's words (``unit_<name>``)."""
    from lsg_analysis.outputs import units

    kind = units.kind(unit)
    if kind == "percent":
        return "%"
    return "" if kind in ("bare", "fraction") else t(unit_key(unit.strip().lower()), lang)


def fmt_value(x: float | None, unit: str, lang: str, decimals: int = 1) -> str:
    """A number with its unit (:func:`lsg_analysis.outputs.units.kind`): per cent and shares as ``fmt_percent``;
    indices, ratios, ids, counts bare; other units from the catalogue (``unit_<name>``; a unit without a catalogue
    entry is an error, never English in a ky text)."""
    from lsg_analysis.outputs import units

    u, kind = (unit or "").strip().lower(), units.kind(unit)
    if kind in ("percent", "fraction"):
        return fmt_percent(x, lang, decimals, fraction=kind == "fraction")
    if kind == "bare":
        return fmt_number(x, lang, decimals)
    number = fmt_number(x, lang, decimals)
    return number if _is_missing(x) else f"{number}{NBSP}{t(unit_key(u), lang)}"


def collate_key(text: str, lang: str) -> tuple[int, ...]:
    """Sort key for names: in ky the Kyrgyz alphabet order (Ң after Н, Ө after О, Ү after У)."""
    low = text.lower()
    if check_lang(lang) != "ky":
        return tuple(ord(c) for c in low)
    return tuple(_KY_ALPHABET.index(c) if c in _KY_ALPHABET else 1000 + ord(c) for c in low)
