"""Foreign parties: ISO 3166-1 country, ISO 3166-2 region, and a node per authority.

Country and region names come from pycountry's Japanese and Chinese
translations, completed by ``countries.csv`` and ``regions.csv`` where those have
no entry. A foreign authority is keyed by country, region and its name folded
to Japanese character forms, so 承德市 and 承徳市, 營口市 and 営口市 are one node.
"""

from __future__ import annotations

import gettext
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from rapidfuzz import fuzz, process

from kg.curated import CountryName, PartyWord, RegionName, RegionSuffix, read_table
from mapping.errors import InputError
from mapping.text import clean, match_key

# The Japanese short form of a country is often followed by a separator before the region.
SEPARATORS = "・/ 　、"
GEOGRAPHICAL = "Geographical unit"
BRACKETS = re.compile(r"[(（][^()（）]*[)）]")


@dataclass(frozen=True, slots=True)
class PartyWords:
    """``party-words.csv``: which words make a name a body, and of which type (first row that matches)."""

    rules: tuple[tuple[re.Pattern[str], str, str], ...]

    @classmethod
    def load(cls, curated: Path) -> PartyWords:
        return cls(tuple((re.compile(row.pattern), row.type, row.where)
                         for row in read_table(curated / "party-words.csv", PartyWord)))

    def type_of(self, name: str, where: str) -> str | None:
        """The type of body a name denotes, or None for a name with no such word.

        >>> words = PartyWords.load(Path("data/curated"))
        >>> words.type_of("福建博物院", "abroad"), words.type_of("計画投資省", "abroad"), words.type_of("フニン省", "abroad")
        ('Museum', 'NationalBody', None)
        """
        for pattern, kind, scope in self.rules:
            if scope in (where, "both") and pattern.search(name):
                return kind
        return None


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    type: str | None = field(default=None, compare=False, repr=False)
    """pycountry's type of the subdivision (``Region``, ``Metropolitan city`` …); None for curated names."""


@dataclass(frozen=True, slots=True)
class Place:
    """What a foreign mention says once read: country, region, the local name."""

    country: str | None
    region: Region | None
    name: str
    is_region: bool
    organisation: str | None
    """The type of body (``Museum``, ``NationalBody`` …) when the mention names one, not a local authority."""
    rest: str = ""
    """Location text that follows the region and is not used (a province of Italy, say)."""
    is_country: bool = False
    """The mention names a country itself (``ベトナム``): the partner is its national government."""

    @property
    def key(self) -> str:
        """Identity of the authority: country, region, folded name.

        >>> Place("CN", Region("CN-HE", "河北省"), "承德市", False, None).key
        'CN/CN-HE/承徳市'
        """
        if self.is_region and self.region:
            return f"{self.country}/{self.region.code}"
        region = self.region.code if self.region else "-"
        return f"{self.country or '-'}/{region}/{match_key(self.name)}"


class ForeignGazetteer:
    """Country and region names for reading foreign mentions."""

    def __init__(self, countries: dict[str, str], regions: dict[str, dict[str, Region]],
                 labels: dict[str, str] | None = None, words: PartyWords | None = None,
                 suffixes: dict[str, frozenset[str]] | None = None):
        self._countries = countries
        self.words = words or PartyWords(())
        self._suffixes = suffixes or {}
        """Region suffix → the subdivision types it may stand for (empty: any)."""
        self._suffix_pattern = re.compile(
            "(" + "|".join(sorted(map(re.escape, self._suffixes), key=len, reverse=True)) + ")$") if suffixes else None
        self.labels = labels or {}
        """Japanese label of a country where the curated table gives one (台湾, not 中国領・台湾)."""
        self._country_names = sorted(countries, key=len, reverse=True)
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        """The country names by their first character, longest first as in ``_country_names``."""
        for name in self._country_names:
            if name:
                self._by_initial[name[0]].append(name)
        self._regions = regions
        self._read: dict[tuple, Place] = {}
        """Mentions read so far: a list names the same places over and over."""

    @classmethod
    def load(cls, curated: Path) -> ForeignGazetteer:
        countries: dict[str, str] = {}
        regions: dict[str, dict[str, Region]] = defaultdict(dict)
        translations = [
            gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang])
            for domain in ("iso3166-1",)
            for lang in ("ja", "zh_TW")
        ]
        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                english = getattr(country, attribute, None)
                if not english:
                    continue
                for translation in translations:
                    for part in re.split(r"[()（）]", translation.gettext(english)):
                        if part.strip() and part.strip() != english:
                            countries.setdefault(match_key(part.strip()), country.alpha_2)
        labels: dict[str, str] = {}
        for row in read_table(curated / "countries.csv", CountryName):
            countries[match_key(row.name)] = row.alpha2
            if row.label == "yes":
                labels[row.alpha2] = row.name
        subdivision_names = [
            gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang]) for lang in ("ja", "zh_TW")
        ]
        suffixes = {row.suffix: frozenset(t for t in row.types.split(";") if t)
                     for row in read_table(curated / "region-suffixes.csv", RegionSuffix)}
        for subdivision in pycountry.subdivisions:
            if subdivision.type == GEOGRAPHICAL:
                continue  # Indonesia's island groups (ID-JW) are no administrations: their provinces are.
            parent = pycountry.subdivisions.get(code=subdivision.parent_code) if subdivision.parent_code else None
            if parent is not None and parent.type != GEOGRAPHICAL:
                continue
            country = subdivision.country_code
            for translation in subdivision_names:
                local = translation.gettext(subdivision.name)
                if local != subdivision.name:
                    region = Region(subdivision.code, local, subdivision.type)
                    regions[country].setdefault(_region_key(local, suffixes), region)
        for row in read_table(curated / "regions.csv", RegionName):
            country = row.code.split("-")[0]
            known = pycountry.subdivisions.get(code=row.code)
            if known is None:
                raise InputError(f"{curated / 'regions.csv'}: {row.code} is no ISO 3166-2 code")
            region = Region(row.code, row.name, known.type)
            regions[country][_region_key(row.name, suffixes)] = region
            regions[country][match_key(row.name)] = region
        return cls(countries, dict(regions), labels, PartyWords.load(curated), suffixes)

    def region_of_code(self, code: str) -> Region:
        """The region an ISO 3166-2 code names, under its Japanese name where one is known.

        >>> ForeignGazetteer.load(Path("data/curated")).region_of_code("TW-CHA").name
        '彰化縣'
        """
        country = code.split("-")[0]
        known = [region for region in self._regions.get(country, {}).values() if region.code == code]
        if known:
            return min(known, key=lambda region: (len(region.name), region.name))
        subdivision = pycountry.subdivisions.get(code=code)
        if subdivision is None:
            raise InputError(f"{code} is no ISO 3166-2 code")
        return Region(code, subdivision.name, subdivision.type)

    def _suffix(self, text: str) -> str | None:
        found = self._suffix_pattern.search(text) if self._suffix_pattern else None
        return found.group() if found else None

    def _fits(self, region: Region, head: str, exact: bool) -> bool:
        """Whether ``head`` may name ``region``: a suffix that names a city or county fits only such a division."""
        suffix = self._suffix(head)
        if exact or suffix is None:
            return True
        types = self._suffixes[suffix]
        return not types or region.type in types

    def country_in(self, text: str) -> str | None:
        """A country named anywhere in ``text`` (王立ブータン研究所 → BT), if exactly one is.

        >>> ForeignGazetteer.load(Path("data/curated")).country_in("王立ブータン研究所")
        'BT'
        """
        key = match_key(text)
        found = {self._countries[name] for name in self._country_names if len(name) >= 2 and name in key}
        return next(iter(found)) if len(found) == 1 else None

    def country(self, text: str) -> tuple[str | None, str]:
        """Split a leading country name off ``text``: ``(alpha2, rest)``.

        >>> gaz = ForeignGazetteer.load(Path("data/curated"))
        >>> gaz.country("アメリカ合衆国ミシガン州")
        ('US', 'ミシガン州')
        >>> gaz.country("台湾・彰化県")
        ('TW', '彰化県')
        """
        key = match_key(text)
        for name in self._by_initial.get(key[:1], ()):
            if key.startswith(name):
                return self._countries[name], key[len(name) :].lstrip(SEPARATORS)
        return None, key

    def region(self, country: str | None, text: str) -> tuple[Region | None, str]:
        """Split a leading first-level region off ``text``: ``(region, rest)``.

        >>> gaz = ForeignGazetteer.load(Path("data/curated"))
        >>> gaz.region("IT", "ピエモンテ州ピエラ県")
        (Region(code='IT-21', name='ピエモンテ'), 'ピエラ県')
        """
        if not country or country not in self._regions:
            return None, text
        key = match_key(text)
        names = self._regions[country]
        for end in range(len(key), 0, -1):
            head = key[:end]
            exact = names.get(head)
            region = exact or names.get(_region_key(head, self._suffixes))
            if key[end:] in self._suffixes:
                continue  # プルゼニ|市: the suffix belongs to the name, and it did not fit
            if region and (end == len(key) or self._suffix(head) or head in names) \
                    and self._fits(region, head, exact is not None):
                return region, key[end:].lstrip(SEPARATORS)
        # Katakana spellings vary (クイーンズランド, クインズランド): a close match on a
        # head ending in a region suffix, if one candidate stands out.
        any_division = "|".join(re.escape(s) for s, types in self._suffixes.items() if not types)
        head = re.match(r".+?(?:" + any_division + ")", key) if any_division else None
        if head:
            best = process.extractOne(_region_key(head.group(), self._suffixes), list(names),
                                      scorer=fuzz.ratio, score_cutoff=80)
            if best:
                return names[best[0]], key[head.end() :].lstrip(SEPARATORS)
        return None, key

    def read(self, name: str, country: str | None, region: str | None, default_country: str | None) -> Place:
        """Read a foreign mention into country, region and local name, and what kind of party it is.

        A name with a body's word (``福建博物院``, ``タイ王国工業省``) is that body, named as the
        source names it, located in the region (or city) it begins with; a name that is a
        country (``ベトナム``) is that country's national government.
        """
        key = (name, country, region, default_country)
        place = self._read.get(key)
        if place is None:
            place = self._read[key] = self._place(name, country, region, default_country)
        return place

    def _place(self, name: str, country: str | None, region: str | None, default_country: str | None) -> Place:
        written = clean(name)
        code, location_rest = self.country(country) if country else (None, "")
        named_code, rest = self.country(written)
        if named_code is not None and not rest and code in (None, named_code):
            return Place(named_code, None, written, False, "NationalGovernment", "", True)
        if named_code is not None and not rest:
            named_code = None  # 中国/香港: a place the row puts in another country, not that country's state
        if code is None:
            code = named_code or default_country
            if named_code is not None and not self.words.type_of(rest, "abroad"):
                written = rest
        found_region: Region | None = None
        unused = ""
        for text in (region, location_rest):
            if text and found_region is None:
                found_region, unused = self.region(code, text)
        if found_region is None:
            # A city named like its region lies in it (プルゼニ市 in the プルゼニ region, CZ-32).
            suffix = self._suffix(match_key(written))
            if suffix and self._suffixes.get(suffix):
                own, tail = self.region(code, match_key(written)[: -len(suffix)])
                found_region = own if own is not None and not tail else None
        # The name itself may begin with the region (彰化縣彰化市) or be one (河北省, 台南市).
        head, rest = self.region(code, written)
        # Bracketed text is a remark (蘇州市虎丘区(蘇州国家高新区)), not what the name is.
        unbracketed = BRACKETS.sub("", rest if head is not None else written)
        body = self.words.type_of(unbracketed, "abroad") if unbracketed else None
        if head is not None and (found_region is None or head.code == found_region.code):
            found_region = head
            if not rest and body is None:
                return Place(code, head, written, True, None, unused)
            if body is None:
                # A name that is itself a division (嘉義縣嘉義市: 嘉義市 is TW-CYI) is that division.
                own, tail = self.region(code, rest)
                if own is not None and not tail:
                    return Place(code, own, rest, True, None, unused)
                written = rest
        return Place(code, found_region, written, False, body, unused)


def _region_key(text: str, suffixes: dict[str, frozenset[str]]) -> str:
    key = match_key(text)
    for suffix in sorted(suffixes, key=len, reverse=True):
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key
