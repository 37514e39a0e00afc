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
from dataclasses import dataclass
from pathlib import Path

import pycountry
from rapidfuzz import fuzz, process

from kg.curated import CountryName, RegionName, read_table
from mapping.text import clean, match_key

# Words that make a name an organisation rather than a local authority.
ORGANISATION = re.compile(
    r"大学|大學|学院|庁|廳|局|協会|協會|委員会|研究所|研究院|博物館|記念館|紀念館|機構|公社|事業団|組合|"
    r"ラボ|センター|本部|財団|商工|会議所|企業|公司|政府|観光庁|ICLEI|イクレイ|自治体|部$|\d|"
    # A ministry is a kanji compound ending in 省 (計画投資省); a province in katakana is not (フニン省).
    r"[^\u30a0-\u30ff]省$"
)
# Suffixes a region is written with in Japanese but not in pycountry's names.
REGION_SUFFIX = re.compile(r"(州|省|県|縣|道|地方|特別市|広域市|市|自治区|郡)$")
# The Japanese short form of a country is often followed by a separator before the region.
SEPARATORS = "・/ 　、"


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Place:
    """What a foreign mention says once read: country, region, the local name."""

    country: str | None
    region: Region | None
    name: str
    is_region: bool
    organisation: bool
    rest: str = ""
    """Location text that follows the region and is not used (a province of Italy, say)."""

    @property
    def key(self) -> str:
        """Identity of the authority: country, region, folded name.

        >>> Place("CN", Region("CN-HE", "河北省"), "承德市", False, False).key
        'CN/CN-HE/承徳市'
        """
        if self.is_region and self.region:
            return f"{self.country}/{self.region.code}"
        region = self.region.code if self.region else "-"
        return f"{self.country or '-'}/{region}/{match_key(self.name)}"


class ForeignGazetteer:
    """Country and region names for reading foreign mentions."""

    def __init__(self, countries: dict[str, str], regions: dict[str, dict[str, Region]],
                 labels: dict[str, str] | None = None):
        self._countries = countries
        self.labels = labels or {}
        """Japanese label of a country where the curated table gives one (台湾, not 中国領・台湾)."""
        self._country_names = sorted(countries, key=len, reverse=True)
        self._regions = regions

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
        for subdivision in pycountry.subdivisions:
            if subdivision.parent_code is not None:
                continue
            country = subdivision.country_code
            for translation in subdivision_names:
                local = translation.gettext(subdivision.name)
                if local != subdivision.name:
                    region = Region(subdivision.code, local)
                    regions[country].setdefault(_region_key(local), region)
        for row in read_table(curated / "regions.csv", RegionName):
            country = row.code.split("-")[0]
            regions[country][_region_key(row.name)] = Region(row.code, row.name)
            regions[country][match_key(row.name)] = Region(row.code, row.name)
        return cls(countries, dict(regions), labels)

    def country(self, text: str) -> tuple[str | None, str]:
        """Split a leading country name off ``text``: ``(alpha2, rest)``.

        >>> gaz = ForeignGazetteer.load(Path("data/curated"))
        >>> gaz.country("アメリカ合衆国ミシガン州")
        ('US', 'ミシガン州')
        >>> gaz.country("台湾・彰化県")
        ('TW', '彰化県')
        """
        key = match_key(text)
        for name in self._country_names:
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
            region = names.get(head) or names.get(_region_key(head))
            if region and (end == len(key) or REGION_SUFFIX.search(head) or head in names):
                return region, key[end:].lstrip(SEPARATORS)
        # Katakana spellings vary (クイーンズランド, クインズランド): a close match on a
        # head ending in a region suffix, if one candidate stands out.
        head = re.match(r".+?(?:州|省|県|縣|道|地方)", key)
        if head:
            best = process.extractOne(_region_key(head.group()), list(names), scorer=fuzz.ratio, score_cutoff=80)
            if best:
                return names[best[0]], key[head.end() :].lstrip(SEPARATORS)
        return None, key

    def read(self, name: str, country: str | None, region: str | None, default_country: str | None) -> Place:
        """Read a foreign mention into country, region and local name."""
        written = clean(name)
        code, location_rest = self.country(country) if country else (None, "")
        if code is None:
            code, rest = self.country(written)
            if code is None:
                code = default_country
            elif rest and not ORGANISATION.search(rest):
                written = rest
        found_region: Region | None = None
        unused = ""
        for text in (region, location_rest):
            if text and found_region is None:
                found_region, unused = self.region(code, text)
        # The name itself may begin with the region (彰化縣彰化市) or be one (河北省, 台南市).
        head, rest = self.region(code, written)
        if head is not None and (found_region is None or head.code == found_region.code):
            found_region = head
            if not rest:
                return Place(code, head, written, True, False, unused)
            written = rest
        organisation = bool(ORGANISATION.search(written)) and not (head is not None and not rest)
        return Place(code, found_region, written, False, organisation, unused)


def _region_key(text: str) -> str:
    return REGION_SUFFIX.sub("", match_key(text))
