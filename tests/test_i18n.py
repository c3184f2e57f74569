"""Translation catalogue: completeness, no silent fallback, Kyrgyz spelling traps, number and date formats."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from lsg_analysis.core.levels import LANGS
from lsg_analysis.outputs import i18n
from lsg_analysis.core.errors import ParameterError

PKG = Path(i18n.__file__).resolve().parent
QUALITIES = {"official_trilingual", "official_bilingual", "seed", "ui_strings", "own_translation"}
NBSP = "\u00a0"


def test_glossary_copy_is_unchanged_and_has_provenance():
    import hashlib

    sidecar = (i18n.DATA_DIR / "glossary.csv.source.yml").read_text(encoding="utf-8")
    digest = hashlib.sha256(i18n.GLOSSARY.read_bytes()).hexdigest()
    assert f"sha256: {digest}" in sidecar
    with i18n.GLOSSARY.open(encoding="utf-8", newline="") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == 198


def test_messages_rows_are_complete_and_marked():
    with i18n.MESSAGES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with i18n.GLOSSARY.open(encoding="utf-8", newline="") as fh:
        glossary = {r["key"]: r for r in csv.DictReader(fh)}
    assert rows
    for i, row in enumerate(rows, start=2):
        for lang in LANGS:
            assert row[lang].strip(), f"messages.csv row {i} ({row['key']}): empty {lang}"
        assert row["quality"] in QUALITIES, f"messages.csv row {i}: quality {row['quality']!r}"
        if row["quality"] != "own_translation":  # an attested quality only for a glossary term used as it is
            m = re.match(r"glossary (\w+)", row["source"])
            assert m and m.group(1) in glossary, f"messages.csv row {i}: {row['quality']} needs 'glossary <key>'"
            for lang in ("ru", "ky"):
                assert row[lang].lower() == glossary[m.group(1)][lang].lower(), f"row {i}: {lang} is not the term"
        assert row["source"].strip(), f"messages.csv row {i}: source"
        # the same {fields} in every language, so t(..., **fmt) works in all three
        fields = {lang: set(re.findall(r"\{(\w+)\}", row[lang])) for lang in LANGS}
        assert fields["ky"] == fields["ru"] == fields["en"], f"messages.csv row {i}: fields differ {fields}"


#: Proper names kept in Latin letters in ky and ru texts (no official Cyrillic form).
PROPER_NAMES = ("Global Data Lab",)
_KY_OK = re.compile(r"[А-ЯЁа-яёҢңӨөҮү0-9\s.,;:!?\-–—()«»“”\"'…/%×βσ<\[\]{}_=]")


@pytest.mark.parametrize("key", sorted(i18n.catalogue()))
def test_kyrgyz_text_has_no_lookalike_or_foreign_letters(key):
    ky = re.sub(r"\{\w+\}", "", i18n.catalogue()[key]["ky"])
    ky = re.sub(r"\((\.(zip|csv|png))\)", "", ky)  # file-type hints in glossary download labels
    ky = re.sub(r"(?<![A-Za-z])[pnT](?![A-Za-z])", "", ky)  # statistical symbols: p-value, n, Theil T
    ky = re.sub(r"\b(ID|lsg-analysis|TL[23])\b", "", ky)  # notation, the project's name, OECD level codes
    for name in PROPER_NAMES:  # names written in Latin letters in every language (Kyrgyz suffixes attach to them)
        ky = ky.replace(name, "")
    rest = _KY_OK.sub("", ky)
    assert rest == "", f"{key}: unexpected characters {rest!r} in ky text"  # e.g. ӊ U+04CA, ѕ, Kazakh қ, Latin c


def test_kyrgyz_letters_are_present():
    text = " ".join(e["ky"] for e in i18n.catalogue().values())
    for ch in "ңөүҢӨҮ":
        assert ch in text or ch.lower() in text


def test_missing_key_and_language_raise():
    with pytest.raises(i18n.TranslationError, match="no catalogue entry 'nope'"):
        i18n.t("nope", "ky")
    with pytest.raises(ParameterError, match="lang"):
        i18n.t("brief_title", "de")
    # glossary row with blank English: a clear error, never the key or another language
    with pytest.raises(i18n.TranslationError, match="no en text"):
        i18n.t("natural_increase", "en")
    assert i18n.t("natural_increase", "ky") == "калктын табигый өсүүсү"


def test_missing_format_field_raises():
    with pytest.raises(i18n.TranslationError, match=r"needs \['year'\]"):
        i18n.t("f_theil_label", "ru")


def test_t_formats_numbers_and_years_per_language():
    assert i18n.t("f_theil_label", "ky", year=2022) == "Тейл индекси, 2022-ж."
    assert i18n.t("f_theil_label", "ru", year=2022) == "Индекс Тейла, 2022 г."
    assert i18n.t("f_theil_label", "en", year=2022.0) == "Theil index, 2022"  # JSON year from a float column
    assert i18n.t("label_value", "ru", label="n", value=12345) == f"n: 12{NBSP}345"
    assert i18n.t("label_value", "en", label="x", value=None) == "x: No data available"


@pytest.mark.parametrize(
    "lang,expected", [("ky", f"1{NBSP}234{NBSP}567,9"), ("ru", f"1{NBSP}234{NBSP}567,9"), ("en", "1,234,567.9")]
)
def test_fmt_number_groups_and_decimal_mark(lang, expected):
    assert i18n.fmt_number(1234567.89, lang) == expected


def test_fmt_number_details():
    assert i18n.fmt_number(1974, "ky", 0) == f"1{NBSP}974"  # four-digit numbers grouped too (CLDR)
    assert i18n.fmt_number(-6.2, "ru") == "-6,2"
    assert i18n.fmt_number(-0.04, "ru") == "0,0"  # no negative zero
    assert i18n.fmt_number(0.3, "en", 2, sign=True) == "+0.30"
    assert i18n.fmt_number(0, "ky", 0) == "0"
    with pytest.raises(TypeError):
        i18n.fmt_number("12", "ky")


@pytest.mark.parametrize("x", [None, float("nan"), float("inf")])
@pytest.mark.parametrize("lang", LANGS)
def test_missing_value_is_visible_text_never_zero(x, lang):
    out = i18n.fmt_number(x, lang)
    assert out == i18n.no_data(lang) and "0" not in out
    assert i18n.fmt_percent(x, lang) == i18n.no_data(lang)


def test_fmt_percent_cldr_styles():
    assert i18n.fmt_percent(29.2, "ky") == "29,2%"
    assert i18n.fmt_percent(29.2, "ru") == f"29,2{NBSP}%"
    assert i18n.fmt_percent(0.292, "en", fraction=True) == "29.2%"
    assert i18n.fmt_percent(-1.25, "ru", 2, sign=False) == f"-1,25{NBSP}%"


def test_fmt_date():
    d = dt.date(2022, 3, 25)
    assert i18n.fmt_date(d, "ky") == "2022-жылдын 25-марты"
    assert i18n.fmt_date(d, "ru") == f"25 марта 2022{NBSP}г."
    assert i18n.fmt_date("2022-03-25", "en") == "25 March 2022"
    assert i18n.fmt_date(d, "ru", "numeric") == "25.03.2022"
    assert i18n.fmt_date(None, "ky") == i18n.no_data("ky")
    with pytest.raises(ParameterError):
        i18n.fmt_date("25/03/2022", "en")


def test_collate_key_kyrgyz_order():
    names = ["Үч-Коргон", "Ош", "Өзгөн", "Нарын", "Ңаа", "Ура", "Талас"]
    got = sorted(names, key=lambda s: i18n.collate_key(s, "ky"))
    assert got == ["Нарын", "Ңаа", "Ош", "Өзгөн", "Талас", "Ура", "Үч-Коргон"]


def _keys_used_in_code() -> set[str]:
    """Literal keys passed to t("...") / i18n.t("...") anywhere in the package and its templates."""
    keys: set[str] = set()
    pattern = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']""")
    for path in [*PKG.glob("*.py"), *PKG.glob("templates/**/*")]:
        if path.is_file():
            keys |= set(pattern.findall(path.read_text(encoding="utf-8", errors="replace")))
    return keys


def test_every_key_used_by_code_exists_in_all_languages():
    used = _keys_used_in_code()
    missing = sorted((k, lang) for k in used for lang in LANGS if not i18n.has(k, lang))
    assert not missing, f"keys used in lsg_analysis/ without text: {missing}"


def test_one_full_stop_where_a_date_ends_a_sentence():
    date = i18n.fmt_date(dt.date(2026, 12, 2), "ru")
    assert date.endswith("г.")
    footer = i18n.t("dash_footer", "ru", version="1.0", date=date)
    assert "г.." not in footer and f"{date} Построено" in footer
    assert i18n.one_full_stop("Итог: 2026 г.. Далее") == "Итог: 2026 г. Далее"
    assert i18n.one_full_stop("ш. .") == "ш."
    assert i18n.one_full_stop("Почему?.") == "Почему?"
    assert i18n.one_full_stop("и т. д... и …") == "и т. д... и …"  # an ellipsis stays
