"""Region names as people type them: Kyrgyz without Kyrgyz letters, renamed units, Latin transliteration variants."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lsg_analysis import regions as public
from lsg_analysis.core.errors import LsgError, RegionError
from lsg_analysis.registry import regions

REGISTRY = Path(regions.__file__).with_name("regions.csv")


def _registry_codes() -> dict[tuple[str, str], str]:
    """(English name, kind) → code, read straight from the CSV (not through the module under test)."""
    with REGISTRY.open(encoding="utf-8", newline="") as fh:
        return {(r["name_en"], r["kind"]): r["code"] for r in csv.DictReader(fh)}


CODES = _registry_codes()


def _code(name_en: str, kind: str = "rayon") -> str:
    return CODES[(name_en, kind)]


@pytest.mark.parametrize(
    "typed,name_en,kind",
    [
        # Kyrgyz typed on a Russian keyboard (ө→о or у, ү→у or ю, ң→н or нг)
        ("Ысык-Кол облусу", "Issyk-Kul oblast", "oblast"),
        ("Туп району", "Tup district", "rayon"),
        ("Жети-Огуз району", "Jeti-Oguz district", "rayon"),
        ("Узгон району", "Uzgen district", "rayon"),
        ("Озгон району", "Uzgen district", "rayon"),
        ("Тонг району", "Ton district", "rayon"),
        ("Тон району", "Ton district", "rayon"),
        ("Чон-Алай району", "Chon-Alai district", "rayon"),
        ("Чонг-Алай району", "Chon-Alai district", "rayon"),
        ("Аламудун району", "Alamudun district", "rayon"),
        ("Ысык-Кол району", "Issyk-Kul district", "rayon"),
        ("Чуй облусу", "Chui oblast", "oblast"),
        ("Таш-Комур ш.", "Tash-Kumir city", "city_oblast"),
        ("Сулукту шаары", "Sulukta city", "city_oblast"),
        ("Сюлюктю", "Sulukta city", "city_oblast"),
        ("Кок-Жангак ш.", "Kok-Zhangak city", "city_oblast"),
        ("Кок-Жанак", "Kok-Zhangak city", "city_oblast"),
        ("Кара-Кулжинский район", "Kara-Kulja district", "rayon"),
        ("Кара-Кулджинский район", "Kara-Kulja district", "rayon"),
        # every official Russian and Kyrgyz name of the renamed units, old and new (regions.csv former_name_*)
        ("Кара-Бууринский район", "Aitmatov district", "rayon"),
        ("Кара-Буура району", "Aitmatov district", "rayon"),
        ("Айтматовский район", "Aitmatov district", "rayon"),
        ("Айтматов району", "Aitmatov district", "rayon"),
        ("Айтматовском районе", "Aitmatov district", "rayon"),
        ("Кара-Бууринском районе", "Aitmatov district", "rayon"),
        ("Айтматов районунда", "Aitmatov district", "rayon"),
        ("Kara-Buura district", "Aitmatov district", "rayon"),
        ("Aitmatov district", "Aitmatov district", "rayon"),
        ("Aytmatov rayon", "Aitmatov district", "rayon"),
        ("г. Джалал-Абад", "Manas city", "city_oblast"),
        ("Жалал-Абад ш.", "Manas city", "city_oblast"),
        ("г. Манас", "Manas city", "city_oblast"),
        ("Манас ш.", "Manas city", "city_oblast"),
        # Latin transliteration variants: with and without g for ң, y/i, dzh/dj/zh/j, doubled letters, ö/ü
        ("Tong district", "Ton district", "rayon"),
        ("Chong-Alay", "Chon-Alai district", "rayon"),
        ("Chong-Alai district", "Chon-Alai district", "rayon"),
        ("Dzheti-Oguz", "Jeti-Oguz district", "rayon"),
        ("Djeti-Oguz", "Jeti-Oguz district", "rayon"),
        ("Zheti-Oguz district", "Jeti-Oguz district", "rayon"),
        ("Dzhumgal", "Jumgal district", "rayon"),
        ("Djaiyl", "Jaiyl district", "rayon"),
        ("Özgön district", "Uzgen district", "rayon"),
        ("Uzgon district", "Uzgen district", "rayon"),
        ("Isyk-Kul oblast", "Issyk-Kul oblast", "oblast"),
        ("Yssyk-Kol oblast", "Issyk-Kul oblast", "oblast"),
        ("Kyzyl-Kiya", "Kyzyl-Kia city", "city_oblast"),
        ("Kyzyl-Kya city", "Kyzyl-Kia city", "city_oblast"),
        ("Tash-Kumyr", "Tash-Kumir city", "city_oblast"),
        ("Kok-Jangak", "Kok-Zhangak city", "city_oblast"),
        ("Kok-Dzhangak", "Kok-Zhangak city", "city_oblast"),
        ("Balykchi", "Balykchy city", "city_oblast"),
        ("Aksyi district", "Aksy district", "rayon"),
        ("Kara-Kulzha", "Kara-Kulja district", "rayon"),
        ("Kara-Kuldja", "Kara-Kulja district", "rayon"),
        ("Tüp", "Tup district", "rayon"),
        ("Kara-Köl", "Kara-Kul city", "city_oblast"),
    ],
)
def test_trial_name_resolves_to_its_code(typed, name_en, kind):
    assert public.resolve(typed) == _code(name_en, kind)


def test_exact_official_name_wins_over_a_folded_one():
    """«Кара-Көл ш.» (Kara-Kul city, Jalal-Abad oblast) typed without ө is spelt like Karakol (Issyk-Kul oblast):
    the exact name means Karakol; the oblast as parent picks the folded reading."""
    karakol, kara_kul = _code("Karakol city", "city_oblast"), _code("Kara-Kul city", "city_oblast")
    assert regions.resolve("Кара-Кол ш.") == karakol
    assert regions.resolve("Кара-Кол ш.", parent="KG-J") == kara_kul
    assert regions.resolve("Кара-Коль", parent="Jalal-Abad") == kara_kul
    assert regions.resolve("Кара-Коль", parent="KG-Y") == karakol


@pytest.mark.parametrize("typed", ["Кара-Коль", "Кара-Коль ш."])
def test_ambiguous_folded_name_raises_with_the_candidates(typed):
    with pytest.raises(RegionError) as e:
        regions.resolve(typed)
    assert str(e.value) == (
        f"region name {typed!r} is ambiguous: it may be Karakol city (KG02410000010, level 2); Kara-Kul city "
        "(KG03440000010, level 2). Pass level=, kind= or parent=, or write e.g. 'Naryn oblast', 'г. Нарын', "
        "'Naryn (city)'"
    )
    assert isinstance(e.value, LsgError)


def test_folded_unknown_name_still_lists_the_closest():
    with pytest.raises(RegionError, match=r"^region name 'Тонгдо району': not known .*closest: 'Тоң району'"):
        regions.resolve("Тонгдо району")


def test_folding_keeps_codes_apart():
    """Codes are never folded: KG-GB is not KG-B with the doubled letter dropped."""
    assert regions.resolve("KG-GB") == "KG-GB" and regions.resolve("KG-B") == "KG-B"
    with pytest.raises(RegionError, match="^region name 'KGGGB': not known"):
        regions.resolve("KGGGB")
    assert regions.resolve("KG03223000000") == _code("Toguz-Toro district")
    with pytest.raises(RegionError, match="not known"):
        regions.resolve("KG0323000000")


_SUB = {"ө": ("о", "у"), "ү": ("у", "ю"), "ң": ("н", "нг"), "Ө": ("О", "У"), "Ү": ("У", "Ю"), "Ң": ("Н", "НГ")}
with REGISTRY.open(encoding="utf-8", newline="") as _fh:
    _KY = sorted(
        {
            (r["code"], n)
            for r in csv.DictReader(_fh)
            for n in (r["name_ky"], r["former_name_ky"])
            if n and any(ch in _SUB for ch in n)
        }
    )
# Kara-Kul city's «Кара-Көл ш.» with ө→о is Karakol's exact name (see test_exact_official_name_wins_over_a_folded_one)
_SPELT_LIKE_ANOTHER = {("Кара-Көл ш.", "Кара-Кол ш."): _code("Karakol city", "city_oblast")}


def test_kyrgyz_names_with_kyrgyz_letters_are_many():
    assert len(_KY) >= 20 and ("KG-Y", "Ысык-Көл облусу") in _KY


@settings(max_examples=300, deadline=None)
@given(unit=st.sampled_from(_KY), data=st.data())
def test_kyrgyz_name_folded_resolves_to_the_same_code(unit, data):
    """Each ө, ү, ң of a unit's Kyrgyz name (current or former) typed as on a Russian keyboard, independently."""
    code, name = unit
    typed = "".join(data.draw(st.sampled_from(_SUB[ch])) if ch in _SUB else ch for ch in name)
    assert regions.resolve(name) == code
    assert regions.resolve(typed) == _SPELT_LIKE_ANOTHER.get((name, typed), code)
