"""Japanese local governments: the code table and the resolution of written names.

The table is ``japancode``'s (47 prefectures, 1,916 municipalities and wards, with
kana and coordinates), completed by ``lg-changes.csv`` (changes after its data).
Codes are the 6-digit 全国地方公共団体コード with their check digit.

Resolution tries, in order: the exact name (within the prefecture the source
gives), a curated alias, a containing municipality (``長岡市寺泊地域``), the
reading of a kanji spelling of a kana name (``筑波未來市``), the same stem with
another suffix (``龍ヶ崎町``), a one-character misprint inside the prefecture.
Anything else stays unresolved, with the reason.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cached_property
from importlib.resources import files
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from kg.curated import LgAlias, LgChange, read_table
from kg.government import Kind, LocalGovernment
from mapping.errors import InputError
from mapping.places import split_prefecture
from mapping.text import clean, fold_variants, match_key

SUFFIXES = ("市", "町", "村", "区")
WARD_RULE = "the municipality of the name"
"""What a note says when a name is a municipality's and also some designated cities' wards' (港区)."""
# Remainders after a municipality name that denote a part of it, not an organisation.
# A district (郡) written between prefecture and town: 秩父郡小鹿野町.
DISTRICT = re.compile(r"^[^市町村区郡]{1,5}郡(?=.+[町村]$)")
SUB_AREA = re.compile(r"^(?:[^市町村区]{1,6}(?:地域|地区|町|村|地区活性化協議会)|[^市町村区]{1,4}区)$")


def check_digit(code5: str) -> str:
    """Check digit of a 5-digit local government code (JIS X 0402 rule).

    >>> check_digit("13101")
    '6'
    >>> check_digit("01100")
    '2'
    """
    total = sum(int(digit) * weight for digit, weight in zip(code5, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


def valid_code(code: str) -> bool:
    """Whether ``code`` is six digits with a correct check digit.

    >>> valid_code("011002"), valid_code("011003")
    (True, False)
    """
    return len(code) == 6 and code.isdigit() and check_digit(code[:5]) == code[5]


@dataclass(frozen=True, slots=True)
class Match:
    """A resolved Japanese mention: the government, how it was found, and a note."""

    government: LocalGovernment
    method: str
    note: str = ""
    organisation: str | None = None
    """Set when the mention names a body inside the government rather than the government."""
    homonyms: tuple[LocalGovernment, ...] = ()
    """The governments of this name in other prefectures, when only the context's prefecture chose among them."""


@dataclass(frozen=True, slots=True)
class NoMatch:
    """A Japanese mention that could not be resolved with confidence."""

    reason: str
    within: LocalGovernment | None = None
    """A government the unresolved body lies in, when the text shows it."""
    homonyms: tuple[LocalGovernment, ...] = ()
    """Governments of one name in several prefectures: the candidates ``within`` (or the name) may be
    (``府中市教育委員会``: 東京都府中市 or 広島県府中市), chosen by the context's prefecture or by none."""


def _kind(name: str, prefecture_code: str) -> Kind:
    if " " in name:
        return "designated-city-ward"
    if prefecture_code == "130001" and name.endswith("区"):
        return "special-ward"
    return "municipality"


def _stem(name: str) -> str:
    return name[:-1] if name.endswith(SUFFIXES) else name


class Gazetteer:
    """The code table with the indexes resolution needs."""

    def __init__(self, governments: list[LocalGovernment], aliases: dict[tuple[str, str], tuple[str, str]]):
        self.by_code = {lg.code: lg for lg in governments}
        self._memo: dict[tuple[str, str | None, str | None], Match | NoMatch] = {}
        self._aliases = aliases
        self._alias_keys = {alias for alias, _ in aliases}
        self._by_key: dict[str, list[LocalGovernment]] = defaultdict(list)
        self._by_prefecture: dict[str, list[LocalGovernment]] = defaultdict(list)
        self.prefectures: dict[str, LocalGovernment] = {}
        for lg in governments:
            if lg.abolished:
                continue
            if lg.kind == "prefecture":
                self.prefectures[lg.name] = lg
            self._by_prefecture[lg.prefecture].append(lg)
            for key in {match_key(lg.label), match_key(lg.name.split(" ")[-1])}:
                self._by_key[key].append(lg)

    @classmethod
    def load(cls, curated: Path) -> Gazetteer:
        """The ``japancode`` table, corrected by ``lg-changes.csv``, with ``lg-aliases.csv``."""
        data = files("japancode").joinpath("data")
        prefectures = json.loads(data.joinpath("prefectures.json").read_text(encoding="utf-8"))
        municipalities = json.loads(data.joinpath("municipalities.json").read_text(encoding="utf-8"))
        pref_code = {row["pid"]: row["lgcode"].zfill(6) for row in prefectures}
        pref_name = {row["pid"]: row["pref"] for row in prefectures}
        governments: dict[str, LocalGovernment] = {}
        for row in prefectures:
            code = row["lgcode"].zfill(6)
            governments[code] = LocalGovernment(code, row["pref"], row["prefkana"], row["pref"], "prefecture", None)
        city_codes: dict[str, str] = {}
        for row in municipalities:
            code = row["lgcode"].zfill(6)
            name = row["city"]
            if " " not in name:
                city_codes[(row["pid"], name)] = code
            parent = city_codes.get((row["pid"], name.split(" ")[0])) if " " in name else pref_code[row["pid"]]
            governments[code] = LocalGovernment(
                code, name, row["citykana"], pref_name[row["pid"]], _kind(name, pref_code[row["pid"]]),
                parent, row.get("lat"), row.get("lng"),
            )
        for change in read_table(curated / "lg-changes.csv", LgChange):
            if change.status == "added":
                governments[change.code] = LocalGovernment(
                    change.code, change.name, change.kana, change.prefecture, change.kind, change.parent or None
                )
            else:
                old = governments[change.code]
                governments[change.code] = LocalGovernment(
                    old.code, old.name, old.kana, old.prefecture, old.kind, old.parent, old.lat, old.lng,
                    abolished=change.date, successor=change.successor or None,
                )
        aliases = {
            (match_key(row.alias), row.prefecture): (row.code, row.reason)
            for row in read_table(curated / "lg-aliases.csv", LgAlias)
        }
        bad = [code for code in governments if not valid_code(code)]
        if bad:
            raise InputError(f"{curated / 'lg-changes.csv'}: code(s) with a wrong check digit: {', '.join(bad)}")
        return cls(sorted(governments.values(), key=lambda lg: lg.code), aliases)

    def begins_with_name(self, text: str) -> bool:
        """Whether ``text`` (after a prefecture) begins with some government's name: a cheap test
        before the resolution cascade.

        >>> Gazetteer.load(Path("data/curated")).begins_with_name("東京都目黒区役所")
        True
        """
        written, rest = split_prefecture(clean(text))
        key = match_key(rest)
        if written and not key:
            return True
        return any(key[:end] in self._by_key or key[:end] in self._alias_keys for end in range(2, len(key) + 1))

    @cached_property
    def _kakasi(self):
        import pykakasi

        return pykakasi.kakasi()

    def reading(self, text: str) -> str:
        return "".join(part["hira"] for part in self._kakasi.convert(text))

    def prefecture_of(self, written: str | None) -> LocalGovernment | None:
        """The prefecture a written name (any spelling) stands for."""
        if not written:
            return None
        folded = fold_variants(clean(written))
        return self.prefectures.get(folded) or self.prefectures.get(
            next((name for name in self.prefectures if name.startswith(folded) and len(folded) >= 2), "")
        )

    def resolve(self, name: str, prefecture: str | None = None, hint: str | None = None) -> Match | NoMatch:
        """Resolve a written name; ``prefecture`` is given by the source, ``hint`` by context.

        Results are memoised: sources repeat the same names many times.
        """
        key = (name, prefecture, hint)
        if key not in self._memo:
            self._memo[key] = self._resolve(name, prefecture, hint)
        return self._memo[key]

    def _resolve(self, name: str, prefecture: str | None = None, hint: str | None = None) -> Match | NoMatch:
        """The resolution cascade.

        >>> gaz = Gazetteer.load(Path("data/curated"))
        >>> gaz.resolve("群馬縣水上町").government.code
        '104493'
        >>> gaz.resolve("北区", "東京都").government.code
        '131172'
        >>> gaz.resolve("府中市").reason
        'ambiguous: 府中市 is 東京都府中市 (132063) or 広島県府中市 (342084)'
        """
        text = clean(name)
        written_pref, rest = split_prefecture(text)
        pref = self.prefecture_of(prefecture) or self.prefecture_of(written_pref)
        if written_pref and not rest.strip():
            return Match(self.prefectures[fold_variants(written_pref)], "exact")
        if written_pref:
            text = rest.strip()
        if pref is None and text in ("東京", "北海道"):
            return Match(self.prefectures["東京都" if text == "東京" else "北海道"], "exact")
        text = DISTRICT.sub("", text)
        hinted = self.prefecture_of(hint) if pref is None else None
        # A prefecture written in the name is trusted: every approximation inside it comes
        # before a name found elsewhere (佐賀県鹿嶋市 is 鹿島市, not 茨城県鹿嶋市). A prefecture
        # given by context (one prefecture for a whole list) is not: a name that exists
        # exactly elsewhere wins over approximations inside it (川崎市 is not 福岡県川崎町).
        if written_pref:
            steps = [self._exact, self._alias, self._reading, self._suffix, self._containing, self._misprint,
                     self._nationwide]
        else:
            steps = [self._exact, self._alias, self._nationwide, self._reading, self._suffix, self._containing,
                     self._misprint]
        for step in steps:
            found = step(text, pref, hinted)
            if found is not None:
                return found
        where = f" in {pref.name}" if pref else ""
        return NoMatch(f"no local government named {text}{where}")

    # Each step returns a Match, a NoMatch that ends the search, or None to go on.

    def _nationwide(self, text, pref, hinted):
        if pref is None:
            return None
        found = self._exact(text, None, None)
        if isinstance(found, Match):
            return Match(found.government, "exact", f"not in {pref.name} as written; the only {text} nationwide")
        return None

    def _pick(self, candidates: list[LocalGovernment], text: str, pref, hinted, method: str, note: str = ""):
        candidates = list(dict.fromkeys(candidates))
        if pref is not None:
            candidates = [lg for lg in candidates if lg.prefecture == pref.name]
        wards: tuple[LocalGovernment, ...] = ()
        if len(candidates) > 1:
            # A designated-city ward loses to a municipality of the same name (北区 in 東京都).
            whole = [lg for lg in candidates if lg.kind != "designated-city-ward"]
            if len(whole) == 1:
                wards, candidates = tuple(candidates), whole
        if len(candidates) > 1 and hinted is not None:
            local = [lg for lg in candidates if lg.prefecture == hinted.name]
            if len(local) == 1:
                return Match(local[0], method, f"prefecture {hinted.name} taken from the reporting government",
                             homonyms=tuple(candidates))
        if len(candidates) == 1 and wards:
            return Match(candidates[0], method, "; ".join(filter(None, (
                note, f"{WARD_RULE}: the designated cities' wards of the name are wards, not municipalities"))),
                homonyms=wards)
        if len(candidates) == 1:
            return Match(candidates[0], method, note)
        if len(candidates) > 1:
            listed = " or ".join(f"{lg.full_label} ({lg.code})" for lg in candidates)
            return NoMatch(f"ambiguous: {text} is {listed}", homonyms=tuple(candidates))
        return None

    def _exact(self, text, pref, hinted):
        return self._pick(self._by_key.get(match_key(text), []), text, pref, hinted, "exact")

    def _alias(self, text, pref, hinted):
        key = match_key(text)
        for pref_name in ([pref.name] if pref else []) + [""] + ([hinted.name] if hinted else []):
            found = self._aliases.get((key, pref_name))
            if found:
                code, reason = found
                return Match(self.by_code[code], "alias", reason)
        if pref is None:
            hits = [(k, v) for k, v in self._aliases.items() if k[0] == key]
            if len(hits) == 1:
                code, reason = hits[0][1]
                return Match(self.by_code[code], "alias", reason)
        return None

    def _pool(self, pref, hinted) -> list[LocalGovernment]:
        if pref is not None:
            return self._by_prefecture[pref.name]
        return [lg for lgs in self._by_prefecture.values() for lg in lgs]

    def _reading(self, text, pref, hinted):
        """A kanji spelling of a name the table writes (partly) in kana: 筑波未来市 → つくばみらい市."""
        folded = fold_variants(text)
        if not folded.endswith(SUFFIXES) or re.search(r"[\u3040-\u309f]", folded):
            return None
        found = []
        for lg in self._pool(pref, None):
            label = lg.label
            if not re.search(r"[\u3040-\u30ff]", label) or label[-1] != folded[-1]:
                continue
            if self._kana_pattern_matches(label, folded):
                found.append(lg)
        return self._pick(found, text, pref, hinted, "reading", f"{text} read as the kana name")

    def _kana_pattern_matches(self, label: str, text: str) -> bool:
        # Kanji runs of the table name must appear literally; each kana run must be
        # the reading of the text between them.
        runs = re.findall(r"[\u3040-\u30ff]+|[^\u3040-\u30ff]+", label)
        pattern = "".join("(.+?)" if re.match(r"[\u3040-\u30ff]", run) else re.escape(run) for run in runs)
        found = re.fullmatch(pattern, text)
        if not found:
            return False
        kana_runs = [run for run in runs if re.match(r"[\u3040-\u30ff]", run)]
        return all(
            self.reading(group) == kana.translate(_KATA_TO_HIRA) for group, kana in zip(found.groups(), kana_runs)
        )

    def _suffix(self, text, pref, hinted):
        """Same stem, another or no suffix: 龍ヶ崎町 for 龍ケ崎市, 八王子 for 八王子市."""
        stem = match_key(_stem(text))
        if len(stem) < 2:
            return None
        found = [lg for lg in self._pool(pref, hinted) if lg.kind != "prefecture"
                 and match_key(_stem(lg.name.split(" ")[-1])) == stem and " " not in lg.name]
        written = text[-1] if text.endswith(SUFFIXES) else "no suffix"
        return self._pick(found, text, pref, hinted, "suffix", f"written with {written}")

    def _containing(self, text, pref, hinted):
        """A part of a municipality (長岡市寺泊地域) or a body inside it (東根市スポーツ少年団本部), the
        municipality also written as one of its aliases (栲原町教育委員会, a misprint of 檮原町)."""
        key = match_key(text)
        best: LocalGovernment | None = None
        length = 0
        for lg in self._pool(pref, hinted):
            label = match_key(lg.label)
            if lg.kind != "prefecture" and key.startswith(label) and len(key) > len(label) > length:
                best, length = lg, len(label)
        aliased = False
        for (alias, alias_pref), (code, _) in self._aliases.items():
            if (len(alias) > length and key.startswith(alias) and len(key) > len(alias)
                    and (pref is None or alias_pref in ("", pref.name)) and self.by_code[code].kind != "prefecture"):
                best, length, aliased = self.by_code[code], len(alias), True
        if best is None:
            return None
        homonyms: tuple[LocalGovernment, ...] = ()
        candidates = [lg for lg in self._by_key.get(match_key(best.label), []) if pref is None or lg.prefecture == pref.name]
        if len(candidates) > 1 and pref is None and not aliased:
            chosen = self._pick(candidates, best.label, pref, hinted, "containing")
            if not isinstance(chosen, Match):
                return replace(chosen, reason=f"{text} is a body in {chosen.reason.removeprefix('ambiguous: ')}")
            best, homonyms = chosen.government, chosen.homonyms
        remainder = key[length:]
        if any(lg.prefecture == best.prefecture for lg in self._by_key.get(remainder, [])):
            return NoMatch(f"{text} runs two names together: {best.label} and {remainder}")
        if SUB_AREA.match(remainder):
            return Match(best, "containing", f"{remainder} is part of {best.label}", homonyms=homonyms)
        return NoMatch(f"{text} is a body in {best.full_label}, not a local government", within=best,
                       homonyms=homonyms)

    def _misprint(self, text, pref, hinted):
        """One character off inside the prefecture the source names (駒根市 for 駒ヶ根市)."""
        if pref is None:
            return None
        key = match_key(text)
        found = [
            lg for lg in self._by_prefecture[pref.name]
            if lg.kind not in ("prefecture", "designated-city-ward") and lg.label[-1] == key[-1]
            and Levenshtein.distance(match_key(lg.label), key) == 1
        ]
        if len(found) == 1:
            return Match(found[0], "misprint", f"{text} differs from {found[0].label} by one character")
        return None


_KATA_TO_HIRA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
