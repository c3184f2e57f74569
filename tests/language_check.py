"""The one checker of "every word in the reader's language" (issue 18, part 3), used on the briefs' PDF text
(tests/test_language.py) and on the dashboard's visible text (tests/test_dashboard_language.py).

A ky or ru text may carry Latin words only where they are proper names, URLs, catalogue ids or titles kept in
their original language in quotes («…»): the words of the glossary's ky/ru columns and of the allow-list
(``tests/fixtures/language/latin_allowlist.csv``, one reason per word). No text carries internal jargon.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from lsg_analysis.core.paths import ROOT
from lsg_analysis.outputs.i18n import GLOSSARY

ALLOWLIST = Path(__file__).parent / "fixtures" / "language" / "latin_allowlist.csv"
CATALOGUE = ROOT / "data" / "processed" / "sources.csv"
JARGON = ["copied_from", "raw:", "transcribed by", "third-party", "project's data gathering"]


def catalogue() -> list[dict[str, str]]:
    """The rows of the data sources table (``data/processed/sources.csv``)."""
    with CATALOGUE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def allowed() -> set[str]:
    """Latin words allowed in ky/ru text: those of the glossary's ky/ru columns and of the allow-list (with reason)."""
    words: set[str] = set()
    with GLOSSARY.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            words |= set(re.findall(r"[A-Za-z]{2,}", f"{row['ky']} {row['ru']}"))
    with ALLOWLIST.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            assert row["reason"].strip(), f"{ALLOWLIST}: {row['word']!r} has no reason"
            words.add(row["word"])
    return words


def english_words(text: str) -> set[str]:
    """Latin words left after removing URLs/paths and quoted original titles of catalogued sources."""
    titles = {re.sub(r"\s+", " ", r["title"]).strip().rstrip(".") for r in catalogue()}
    text = re.sub(
        r"«([^»]*)»",
        lambda m: "" if re.sub(r"-? ", "", m[1]) in {re.sub(r"-? ", "", t) for t in titles} else m[0],
        text,
    )
    text = re.sub(
        r"\S*/ (?=[a-z])\S*|\S*[/@]\S*|\b(?:[\w-]+- )?[\w-]+(?:\.[\w-]+)+\b|\bwww\b", " ", text
    )  # links, paths, domains
    text = re.sub(r"\b(?:%s)\b" % "|".join(re.escape(r["source_id"]) for r in catalogue()), " ", text)  # ids
    # the SYNTHETIC fixtures' draft titles, producer and source titles (test data, never shipped)
    text = re.sub(r"Synthetic draft[A-Za-z ]*|SYNTHETIC test producer|«Synthetic test source \w+»", " ", text)
    return set(re.findall(r"[A-Za-z]{2,}", text))


def not_in_language(text: str, codes: set[str] = frozenset()) -> list[str]:
    """The Latin words of a ky/ru ``text`` that are neither allowed nor removed by :func:`english_words`;
    ``codes``: notation the text shows as codes (e.g. ISO 3166 country codes of a comparison)."""
    return sorted(english_words(text) - allowed() - set(codes))


def jargon(text: str) -> list[str]:
    """The internal jargon words (:data:`JARGON`) found in ``text``."""
    return [j for j in JARGON if j.lower() in text.lower()]
