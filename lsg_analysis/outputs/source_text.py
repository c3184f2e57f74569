"""Source lines in the reader's language: producer, table title and link of a producer table.

Two small tables in ``data/``:

- ``producers.csv`` (``match, en, ru, ky, source, quality``): the producer's name in each language; the first row
  whose ``match`` occurs in the catalogue's ``producer`` cell is used (a producer without a row keeps the
  catalogue's wording; tests/test_language.py requires a row for every producer of the catalogue);
- ``source_titles.csv`` (``source_id, lang, title, source``): a table's title in a language where the producer
  publishes one (column ``source`` says where each comes from). Without one a ky or ru reader gets the producer's
  title in the other of the two languages, else the catalogue's title, in its original language in quotes («…»):
  a title is never translated by the project.

The full provenance (copies, transcription, file) stays in the data sources table (``data/processed/sources.csv``);
a reader-facing line carries none of it.
"""

from __future__ import annotations

import csv
import functools
from typing import Any

from lsg_analysis.core.paths import ROOT

PRODUCERS = ROOT / "data" / "producers.csv"
SOURCE_TITLES = ROOT / "data" / "source_titles.csv"


@functools.cache
def _producers() -> list[dict[str, str]]:
    with PRODUCERS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@functools.cache
def _titles() -> dict[tuple[str, str], str]:
    with SOURCE_TITLES.open(encoding="utf-8", newline="") as f:
        return {(r["source_id"], r["lang"]): r["title"].strip() for r in csv.DictReader(f)}


def producer_name(producer: str, lang: str) -> str:
    """The producer's name in ``lang`` from ``data/producers.csv`` (first row whose ``match`` is in ``producer``),
    else ``producer`` as catalogued."""
    return next((row[lang] for row in _producers() if row["match"] in producer), producer.strip())


def source_title(source_id: str, title: str, lang: str) -> str:
    """The table's published title in ``lang``: from ``data/source_titles.csv``, else the part of a bilingual
    catalogue title (``SDG 1-2-1: <ru> / <en>``, as the producer publishes it) in the reader's script (Cyrillic
    for ky and ru, whose NSC original is Russian, so quoted «…» for ky; Latin for en), ``SDG`` as the reader's abbreviation; else, for
    ky and ru, the title the producer publishes in the other of the two (``source_titles.csv``), in quotes; else
    the catalogue's title as written, in quotes («…»)."""
    import re

    from lsg_analysis.outputs.i18n import t

    published = _titles().get((source_id, lang))
    if published:
        return published
    text = title.strip().rstrip(".")
    head, sep, rest = text.partition(": ")
    prefix, body = (head + sep, rest) if sep and "/" in rest else ("", text)
    parts = [p.strip() for p in body.split(" / ")]
    cyrillic = [p for p in parts if re.search(r"[А-Яа-яЁёӨөҮүҢң]", p)]
    mine = [p for p in parts if p not in cyrillic] if lang == "en" else cyrillic
    if len(parts) > 1 and mine:  # for ky the Cyrillic part is the Russian original: quoted as such
        return re.sub(r"^SDG(?=[ -])", t("sdg_short", lang), prefix) + (f"«{mine[0]}»" if lang == "ky" else mine[0])
    other = {"ky": "ru", "ru": "ky"}.get(lang)
    original = _titles().get((source_id, other)) if other else None
    if original:  # the producer's own title in the other language of the country, as published
        return f"«{original}»"
    return f"«{text}»" if text else ""


def link(url: Any) -> tuple[str, str]:
    """``(text, href)`` of a source's url cell: its first word if an http(s) URL (text without the scheme), else
    ``("", "")`` (a repository path or note is not a link a reader can follow)."""
    first = str(url or "").split(maxsplit=1)[0] if str(url or "").strip() else ""
    if not first.startswith(("http://", "https://")):
        return "", ""
    return first.removeprefix("https://").removeprefix("http://"), first


def derived_sentence(title: str, numerators: list[str], denominators: list[str], lang: str) -> str:
    """The method sentence of a series the project derives, in ``lang`` (``per_capita_mean_population``:
    ``x = a / mean b`` → "Computed by the project: x = a (ids) / the mean of b …"); else the formula as catalogued
    with its input ids (``title (ids; ids)``): a formula without names in the catalogue is not reworded."""
    import re

    from lsg_analysis.outputs import i18n

    nums, dens = ", ".join(numerators), ", ".join(denominators)
    m = re.fullmatch(r"(\w+) = (\w+) / mean (\w+)", title.strip())
    if m is not None:
        try:
            return i18n.t(
                "method_derived_per_capita",
                lang,
                indicator=i18n.indicator_name(m[1], lang),
                numerator=i18n.indicator_name(m[2], lang),
                num_sources=nums,
                denominator=i18n.indicator_name(m[3], lang),
                den_sources=dens,
            )
        except i18n.TranslationError:  # an indicator without names: the formula as catalogued
            pass
    return f"{title} ({nums}; {dens})"


def shown_id(source_id: str) -> str:
    """The id a reader sees: catalogue ids (``S14``) as they are; file ids (``raw:…``) are not shown."""
    return "" if source_id.startswith("raw:") else source_id


def source_line(source_id: str, info: dict[str, Any], lang: str) -> str:
    """``producer: title`` of a producer table in the reader's language (:func:`source_title`; ``no data`` when the
    catalogue has no title); the user's own file (``sha256`` recorded by the run): its name, sha256, rows and the
    date it was read. ``info``: the source's provenance (:func:`lsg_analysis.data.sources.source_info`)."""
    from lsg_analysis.outputs import i18n
    from lsg_analysis.outputs.i18n import t

    if info.get("sha256"):
        own = t("source_file", lang, rows=info.get("rows"), date=i18n.fmt_date(info.get("read"), lang))
        return t("source_line", lang, producer=info.get("file"), title=f"{own}; sha256 {info['sha256']}")
    title = source_title(source_id, str(info.get("title") or ""), lang) or i18n.no_data(lang)
    producer = str(info.get("producer") or "").strip()
    return t("source_line", lang, producer=producer, title=title) if producer else title
