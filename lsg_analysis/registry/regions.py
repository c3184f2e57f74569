"""Which region is "Чуйская обл."? One registry of every unit and of the spellings met in sources.

Codes (see ``docs/regions.md``): ``KG`` the republic (level 0); ISO 3166-2 for the 7 oblasts and the two cities
of republican significance (level 1: ``KG-B``, ``KG-J``, ``KG-Y``, ``KG-N``, ``KG-O``, ``KG-T``, ``KG-C``,
``KG-GB`` Bishkek, ``KG-GO`` Osh city); HDX COD-AB P-codes for the 53 ADM2 units (level 2: 40 rayons + 13
cities of oblast significance). Bishkek and Osh city also appear on level-2 maps with their level-1 codes
(column ``rayon_map``). Sums that sources report as one figure are units of kind ``composite`` whose code joins
the member codes with ``+`` (``KG08203000000+KG-GB`` = Alamudun rayon + Bishkek, ``KG-O+KG-GO`` = Osh oblast
with Osh city); ``KG-J_excl_KG03223000000`` is Jalal-Abad oblast without Toguz-Toro rayon. Column ``members``
lists the member codes (``;``-separated).

The data live in ``lsg_analysis/registry/regions.csv`` (one row per unit) and ``aliases.csv`` (one row per
spelling: alias, code, lang, form, scope, source, note). An alias with a ``scope`` applies only when
:func:`resolve` is told the source (``source=``; scope tokens separated by ``|`` are matched case-insensitively
as substrings of the source id or file name), e.g. "Osh" in Global Data Lab tables is Osh oblast with Osh city.

Matching ignores case, dashes, apostrophes, spaces (incl. U+00A0) and dots, folds Latin/Cyrillic look-alike
letters to the script of the rest of the word ("Bishkek сity" with a Cyrillic "с"), ``ё`` to ``е`` and the
look-alike ``ӊ`` (U+04CA) to ``ң``. A name that matches no spelling exactly is compared again, folded (see
:func:`_key`): first as typed on a Russian keyboard or in another Latin transliteration ("Ысык-Кол облусу",
"Тонг району", "Dzheti-Oguz"), then also with ``о``/``у`` (``o``/``u``), ``ы``/``и`` and ``э``/``е`` alike
("Узгон району"); the first strength that finds the unit wins, so an exact official name is never overridden
("Кара-Кол" is Karakol, Каракол, though "Кара-Көл" typed without ``ө`` looks the same; "Кара-Коль" matches both
cities and is refused as ambiguous unless ``parent=`` or ``kind=`` decides). Type words before or after the name ("г.", "город(е)", "city", "ш.",
"шаары(нда)", "область/области", "облусу(нда)", "oblast", "region", "район", "району", "district") narrow the
candidates to cities, oblasts or rayons. A parenthesised part is read as: a type word ("Naryn (city)"), a parent
unit ("Ak-Su (Issik-Kul)"), or, when it holds a year, an NSC footnote that is dropped ("Ошская область (до 2013
г.включая г. Ош)" → ``KG-O``: the footnote says the early values include Osh city; the series-break flag belongs
to the data, not to the name).
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from lsg_analysis.core.errors import ParameterError, RegionError
from lsg_analysis.core.levels import parse_lang, parse_level

if TYPE_CHECKING:
    import pandas as pd

#: Name columns of the registry (en, ru, ky), in the order aliases are collected.
NAME_LANGS = ("en", "ru", "ky")
KINDS = ("republic", "oblast", "city_republican", "rayon", "city_oblast", "composite")

# Latin letters that look like Cyrillic ones, and back.
_LAT2CYR = str.maketrans("aceopxykmhtbABCEHKMOPTXY", "асеорхукмнтвАВСЕНКМОРТХУ")
_CYR2LAT = str.maketrans("асеорхуАВСЕНКМОРТХ", "aceopxyABCEHKMOPTX")
_CYR_EXTRA = str.maketrans({"ё": "е", "Ё": "Е", "ӊ": "ң", "Ӊ": "Ң", "ѕ": "ң", "Ѕ": "Ң"})
_DASHES = "-‐‑‒–—―−_/"
_APOSTROPHES = "'’‘ʼʻ`´\"«»“”"

_CITY = {
    "г",
    "гг",
    "город",
    "города",
    "городе",
    "городу",
    "городом",
    "city",
    "ш",
    "шаар",
    "шаары",
    "шаарында",
    "шаарынын",
    "шаарынан",
    "шаарына",
    "шаарда",
    "шаардын",
    "town",
}
_OBLAST = {
    "область",
    "области",
    "областью",
    "обл",
    "облусу",
    "облусунда",
    "облусунан",
    "облусунун",
    "облусуна",
    "облус",
    "облустун",
    "oblast",
    "oblasty",
    "region",
    "province",
    "oblys",
}
_RAYON = {
    "район",
    "района",
    "районе",
    "районом",
    "р",
    "рн",
    "району",
    "районунда",
    "районунун",
    "районунан",
    "районуна",
    "district",
    "rayon",
    "raion",
}
_FILLER = {"of", "the"}
_MARKER_KINDS = {"city": ("city_republican", "city_oblast"), "oblast": ("oblast",), "rayon": ("rayon",)}


def _fold_word(word: str) -> str:
    """Fold look-alike letters of one word to the script most of its letters are in."""
    cyr = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
    lat = sum(1 for ch in word if ch.isascii() and ch.isalpha())
    if cyr and lat:
        return word.translate(_LAT2CYR) if cyr >= lat else word.translate(_CYR2LAT)
    return word


def normalise(name: str) -> str:
    """Canonical spaced lower-case form: words separated by single spaces, no dashes/apostrophes/dots.

    >>> normalise("  Bishkek \\u0441ity\\u00a0")
    'bishkek city'
    >>> normalise("Кара-Кульджа"), normalise("Kara-Kul'dzha")
    ('кара кульджа', 'kara kuldzha')
    """
    s = unicodedata.normalize("NFKC", str(name)).translate(_CYR_EXTRA)
    s = "".join(" " if (ch in _DASHES or ch == "." or ch == "," or ch.isspace()) else ch for ch in s)
    s = "".join(ch for ch in s if ch not in _APOSTROPHES)
    words = [_fold_word(w) for w in s.split()]
    return " ".join(words).casefold().replace("ё", "е")


# Folding for names typed without Kyrgyz letters (ө→о, ү→у/ю, ң→н/нг) and Latin transliteration variants
# (ng/n, y/i, dzh/dj/zh/j, gh/g, kh/h, doubled vowels, s and g: "Issyk"/"Isyk", "Ak-Suu"/"Ak-Su"; other doubled
# consonants stay, so a typo such as "Bishkekk" is still refused with the closest names); strength 2 also makes о/у, ы/и, э/е (o/u) alike.
FOLDS = (0, 1, 2)
_FOLD1 = str.maketrans(
    {"ө": "о", "ү": "у", "ю": "у", "ң": "н", "ь": None, "ъ": None, "ö": "o", "ü": "u", "ı": "i", "y": "i"}
)
_FOLD1_SEQ = (("нг", "н"), ("дж", "ж"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("ng", "n"), ("gh", "g"), ("kh", "h"))
_FOLD2 = str.maketrans({"у": "о", "ы": "и", "э": "е", "u": "o"})
_DOUBLE = re.compile(r"([aeiouаеиоуыэяюsсgг])\1+")


def _key(spaced: str, fold: int = 0) -> str:
    """The lookup key of a :func:`normalise`-d name: no spaces; with ``fold`` 1 or 2 the spelling folded (keys with
    digits are never folded; :func:`_index` leaves codes out of the folded keys).

    >>> _key("ысык кол"), _key("ысык көл", 1), _key("тонг", 1), _key("dzheti oguz", 1), _key("узгон", 2)
    ('ысыккол', 'ысыккол', 'тон', 'jetioguz', 'озгон')
    """
    key = spaced.replace(" ", "")
    if not fold or any(ch.isdigit() for ch in key):
        return key
    key = _DOUBLE.sub(r"\1", key.translate(_FOLD1))  # first, so that "нгг" (ң typed нг before г) folds too
    for seq, repl in _FOLD1_SEQ:
        key = key.replace(seq, repl)
    if fold == 2:
        key = key.translate(_FOLD2)
    return _DOUBLE.sub(r"\1", key)


@dataclass(frozen=True)
class _Alias:
    alias: str
    code: str
    scope: tuple[str, ...]


@functools.cache
def _rows() -> tuple[dict[str, str], ...]:
    with resources.files(__package__).joinpath("regions.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@functools.cache
def _units() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in _rows()}


@functools.cache
def _aliases() -> tuple[_Alias, ...]:
    units = _units()
    out = []
    with resources.files(__package__).joinpath("aliases.csv").open(encoding="utf-8", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh)):
            if r["code"] not in units:  # a broken package file is a bug, but say where
                raise RegionError(
                    f'lsg_analysis/registry/aliases.csv, row {i + 2}, column "code": found '
                    f'"{r["code"]}"; expected a code of registry/regions.csv'
                )
            scope = tuple(t.strip().casefold().replace("-", "_") for t in r["scope"].split("|") if t.strip())
            out.append(_Alias(r["alias"], r["code"], scope))
    # every unit's own names are aliases too
    for r in _rows():
        for lang in NAME_LANGS:
            for col in (f"name_{lang}", f"former_name_{lang}"):
                if r[col]:
                    out.append(_Alias(r[col], r["code"], ()))
        out.append(_Alias(r["code"], r["code"], ()))
    return tuple(out)


@functools.cache
def _index(fold: int = 0) -> tuple[dict[str, set[str]], dict[str, list[tuple[tuple[str, ...], str]]]]:
    """(global key → codes, key → [(scope tokens, code)]) with keys folded ``fold`` strong."""
    glob: dict[str, set[str]] = {}
    scoped: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for a in _aliases():
        if fold and a.alias == a.code:  # a code is matched exactly only ("KG-GB" is not "KG-B" folded)
            continue
        k = _key(normalise(a.alias), fold)
        if a.scope:
            scoped.setdefault(k, []).append((a.scope, a.code))
        else:
            glob.setdefault(k, set()).add(a.code)
    return glob, scoped


def _lookup(spaced: str, source: str | None, fold: int = 0) -> set[str]:
    glob, scoped = _index(fold)
    key = _key(spaced, fold)
    if source:
        src = source.casefold().replace("-", "_")
        hits = {code for scope, code in scoped.get(key, ()) if any(t in src for t in scope)}
        if hits:
            return hits
    return set(glob.get(key, ()))


def _strip_markers(spaced: str) -> tuple[str, set[str]]:
    """Remove type words at the start or end; return (rest, allowed kinds) — kinds empty when no marker."""
    words = spaced.split()
    kinds: set[str] = set()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for pos in (0, -1):
            w = words[pos]
            for marker, group in (("city", _CITY), ("oblast", _OBLAST), ("rayon", _RAYON)):
                if w in group:
                    kinds.update(_MARKER_KINDS[marker])
                    words.pop(pos)
                    changed = True
                    break
            if changed or len(words) <= 1:
                break
        while len(words) > 1 and words[0] in _FILLER:
            words.pop(0)
    return " ".join(words), kinds


def _on_level(code: str, level: int) -> bool:
    u = _units()[code]
    return int(u["level"]) == level or (level == 2 and u["rayon_map"] == "True")


_PAREN = re.compile(r"^(?P<outer>.*?)\s*\((?P<inner>[^()]*)\)\s*(?P<tail>[^()]*)$")
_YEAR = re.compile(r"(18|19|20)\d\d")


def _candidates(name: str, source: str | None, fold: int = 0) -> tuple[set[str], set[str], str | None]:
    """(codes, allowed kinds from type words, parent code from a parenthesised parent), keys folded ``fold``."""
    spaced = normalise(name)
    hits = _lookup(spaced, source, fold)
    if hits:
        return hits, set(), None
    unfooted = re.sub(r"(?<=[^\W\d]{3})[\d¹²³]$", "", spaced)  # footnote mark: "Ошская область1"
    if unfooted != spaced:
        return _candidates(unfooted, source, fold)
    m = _PAREN.match(str(name).strip())
    if m:
        inner, outer = m["inner"].strip(), (m["outer"] + " " + m["tail"]).strip()
        if _YEAR.search(inner) or not inner:
            return _candidates(outer, source, fold)
        rest, kinds = _strip_markers(normalise(inner))
        codes, okinds, parent = _candidates(outer, source, fold)
        if kinds and not _key(rest):
            return codes, (okinds & kinds) if okinds else kinds, parent
        try:
            parent = resolve(inner, kind="oblast", source=source)
        except RegionError:
            return codes, okinds, parent
        return codes, okinds, parent
    rest, kinds = _strip_markers(spaced)
    if kinds:  # a source-scoped alias of another kind (census "Batken" = rayon + city) must not hide the oblast
        hits = {c for c in _lookup(rest, source, fold) if _units()[c]["kind"] in kinds}
        return hits or _lookup(rest, None, fold), kinds, None
    return set(), set(), None


def _describe(code: str) -> str:
    u = _units()[code]
    return f"{u['name_en']} ({code}, level {u['level']})"


def _closest(name: str, n: int = 5) -> list[str]:
    names = sorted({a.alias for a in _aliases()} | {u["name_en"] for u in _rows()})
    keyed = {normalise(a): a for a in names}
    close = difflib.get_close_matches(normalise(name), list(keyed), n=n, cutoff=0.5)
    return [keyed[c] for c in close]


def _narrow(
    codes: set[str], marker_kinds: set[str], lvl: int | None, kinds: set[str], parents: set[str | None]
) -> set[str]:
    """The codes that fit the type words, ``level``, ``kind`` and the parents (``None`` in ``parents`` = no parent)."""
    left = {c for c in codes if not marker_kinds or _units()[c]["kind"] in marker_kinds}
    left = {c for c in left if (lvl is None or _on_level(c, lvl)) and (not kinds or _units()[c]["kind"] in kinds)}
    return {c for c in left if all(_units()[c]["parent"] == p for p in parents - {None})}


def resolve(
    name: str,
    level: int | str | None = None,
    *,
    kind: str | Iterable[str] | None = None,
    parent: str | None = None,
    source: str | None = None,
) -> str:
    """The registry ``code`` of the unit called ``name``.

    ``level`` (0, 1, 2 or 'oblast'/'rayon'), ``kind`` (one of :data:`KINDS` or several) and ``parent`` (a code or
    name) narrow the candidates; ``source`` (source id or file name) switches on aliases scoped to that source.
    Raises :class:`~lsg_analysis.core.errors.RegionError` (a ``ValueError``) when no unit or several units match,
    listing the closest known names or the candidates. A bare name shared by an oblast and a rayon or city
    ("Naryn", "Issyk-Kul") means the oblast; write "Naryn district" or "г. Нарын" for the others.

    >>> resolve("Чуйская обл."), resolve("Bishkek \\u0441ity"), resolve("Naryn", level=1), resolve("г. Нарын")
    ('KG-C', 'KG-GB', 'KG-N', 'KG04400000010')
    """
    if not isinstance(name, str) or not name.strip():
        raise RegionError(f"region name: found {name!r}; expected a non-empty region name")
    lvl = None if level is None else parse_level(level)
    kinds = {kind} if isinstance(kind, str) else set(kind) if kind is not None else set()
    bad = kinds - set(KINDS)
    if bad:
        raise ParameterError("kind", sorted(bad)[0], ", ".join(KINDS))
    parent_code = _parent_code(parent, source) if parent else None
    found: list[tuple[set[str], set[str], set[str]]] = []  # (codes, codes left after the filters, marker kinds)
    for fold in FOLDS:  # exact spelling first; a folded one only when no unit fits the exact one
        codes, marker_kinds, paren_parent = _candidates(name, source, fold)
        if codes:
            found.append((codes, _narrow(codes, marker_kinds, lvl, kinds, {paren_parent, parent_code}), marker_kinds))
            if found[-1][1]:
                break
    if not found:
        close = _closest(name)
        hint = f" (closest: {', '.join(repr(c) for c in close)})" if close else ""
        raise RegionError(f"region name {name!r}: not known to lsg_analysis.registry.regions{hint}")
    codes, left, marker_kinds = found[-1] if found[-1][1] else found[0]
    if len(left) == 1:
        return left.pop()
    if len(left) > 1 and lvl is None and not kinds and not marker_kinds:
        # A bare name shared by units of different levels ("Naryn", "Issyk-Kul") means the oblast, as in the
        # oblast-level tables that write names bare; a tie on that level ("Osh": oblast or city) stays ambiguous.
        top = min(int(_units()[c]["level"]) for c in left)
        at_top = {c for c in left if int(_units()[c]["level"]) == top}
        if len(at_top) == 1:
            return at_top.pop()
    wanted = [
        f"level={level}" if level is not None else "",
        f"kind={sorted(kinds)}" if kinds else "",
        f"parent={parent_code}" if parent_code else "",
    ]
    cond = ", ".join(w for w in wanted if w)
    if not left:
        raise RegionError(
            f"region name {name!r}{' with ' + cond if cond else ''}: no unit matches; the name "
            f"alone means {'; '.join(_describe(c) for c in sorted(codes))}"
        )
    raise RegionError(
        f"region name {name!r} is ambiguous{' with ' + cond if cond else ''}: it may be "
        f"{'; '.join(_describe(c) for c in sorted(left))}. Pass level=, kind= or parent=, or write "
        f"e.g. 'Naryn oblast', 'г. Нарын', 'Naryn (city)'"
    )


def _parent_code(parent: str, source: str | None) -> str:
    """A parent given as a code or a name; a name is read as an oblast first ("Naryn" → ``KG-N``)."""
    if parent in _units():
        return parent
    try:
        return resolve(parent, kind="oblast", source=source)
    except RegionError:
        return resolve(parent, source=source)


def regions() -> pd.DataFrame:
    """The registry: one row per unit (code, level, kind, parent, iso_3166_2, pcode, soato, name_en, name_ru,
    name_ky, rayon_map, members, former names, renamed, source, note)."""
    import pandas as pd

    df = pd.DataFrame(list(_rows()))
    df["level"] = df["level"].astype(int)
    df["rayon_map"] = df["rayon_map"] == "True"
    return df


def aliases() -> pd.DataFrame:
    """Every spelling known to :func:`resolve` as listed in ``registry/aliases.csv``."""
    import pandas as pd

    with resources.files(__package__).joinpath("aliases.csv").open(encoding="utf-8", newline="") as fh:
        return pd.DataFrame(list(csv.DictReader(fh)))


def name(code: str, lang: str = "en") -> str:
    """The unit's name in ``lang`` (en, ru, ky): ``name("KG-C", "ky")`` → "Чүй облусу"."""
    parse_lang(lang)
    try:
        return _units()[code][f"name_{lang}"]
    except KeyError:
        raise RegionError(f"region code {code!r}: not in the registry") from None


def names(codes: Iterable[str], lang: str = "en") -> list[str]:
    """:func:`name` for each code."""
    return [name(c, lang) for c in codes]


def members(code: str, level: int | None = None) -> list[str]:
    """Member codes of a composite (the code itself for other units); with ``level=2`` level-1 members are
    expanded to the units of a level-2 map (their rayons and cities; Bishkek and Osh city stay as they are)."""
    if code not in _units():
        raise RegionError(f"region code {code!r}: not in the registry")
    out = _units()[code]["members"].split(";") if _units()[code]["members"] else [code]
    if level == 2:
        expanded = []
        for c in out:
            if _on_level(c, 2):
                expanded.append(c)
            else:
                expanded.extend(children(c))
        out = expanded
    return out


def children(code: str) -> list[str]:
    """Codes of the level-2 units whose parent is ``code`` (composites excluded)."""
    return [r["code"] for r in _rows() if r["parent"] == code and r["kind"] != "composite"]
