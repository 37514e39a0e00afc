"""Governments that merged away: predecessors as parties of their own.

``data/curated/lg-predecessors.csv`` lists the former governments the sources name:
name, country, prefecture, old code where known, dates of existence, the successor
(a 団体コード or a foreign party key) and the change, each with its reason. A tie a
source states with such a government, dated before it ceased, is a tie of that
government; the graph relates it to its successor with an ``org:ChangeEvent``, so the
successor's ties include the ones it inherited, marked as such.

A source names a predecessor in one of three ways, all read here after the other
resolution steps (a name that is exactly a current government's stays that government):

- the old name itself (``岩舟町``, ``群馬縣水上町``, ``高雄縣``);
- the successor with the old name in brackets (``長野県伊那市（旧高遠町）``);
- the successor with the old name's area (``長岡市寺泊地域``);
- for a project, the successor with the old name in its description
  (``旧栗山村と…協定を締結⇒日光市に継承``), when the project dates from before the change.

When the tie is dated on or after the change, the old name is only a way of writing
the successor (Taiwan's list writes みなかみ町 as 水上町): the mention resolves to the
successor, with a note. A list naming predecessor and successor in one agreement
keeps both as parties.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from kg.curated import LgPredecessor, read_table
from kg.model import ForeignAuthority, JapaneseGovernment, Resolution
from kg.resolve.japan import DISTRICT, Gazetteer, Match, valid_code
from mapping.dates import PartialDate
from mapping.errors import InputError
from mapping.places import split_prefecture
from mapping.records import ProjectRecord
from mapping.text import clean, match_key

TABLE = "lg-predecessors.csv"
OLD_IN_BRACKETS = re.compile(r"^(?P<base>.+?)[(（]旧(?P<old>[^)）]+)[)）]$")
OLD_IN_TEXT = re.compile(r"旧([^\s、。()（）「」]{1,6}?[町村市])")
AREA = re.compile(r"(?:地域|地区)$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LANGUAGE = {"JP": "ja", "TW": "zh-Hant", "CN": "zh", "KR": "ko"}


@dataclass(frozen=True, slots=True)
class FormerGovernment:
    """A local government that no longer exists, with its successor and the change."""

    name: str
    country: str
    prefecture: str | None
    code: str | None
    start: str | None
    end: str
    """The date of the change: the first day the government no longer existed."""
    successor: str
    """Party key of the successor (``lg/<code>``, ``place/…``)."""
    successor_label: str
    change: str
    reason: str

    @property
    def key(self) -> str:
        return "/".join(("former", self.country, *([self.prefecture] if self.prefecture else []), self.name))

    @property
    def label(self) -> str:
        return self.name

    @property
    def language(self) -> str:
        return LANGUAGE.get(self.country, "und")


def _stem(key: str) -> str:
    return key[:-1] if key.endswith(("市", "町", "村")) else key


class Predecessors:
    """The curated predecessors and the resolution step that finds them in mentions."""

    def __init__(self, formers: list[FormerGovernment], gazetteer: Gazetteer):
        self.formers = formers
        self.gazetteer = gazetteer
        self._by_name: dict[tuple[str, str], list[FormerGovernment]] = {}
        for former in formers:
            self._by_name.setdefault((former.country, match_key(former.name)), []).append(former)

    @classmethod
    def load(cls, curated: Path, gazetteer: Gazetteer) -> Predecessors:
        path = curated / TABLE
        formers = []
        for line, row in enumerate((r.model_dump() for r in read_table(path, LgPredecessor)), start=2):
            where = f"{path}:{line}"
            for column in ("name", "country", "end", "successor", "change"):
                if not row[column].strip():
                    raise InputError(f"{where}: empty {column}")
            if row["old_code"] and not valid_code(row["old_code"]):
                raise InputError(f"{where}: old_code {row['old_code']!r} is not a 団体コード with its check digit")
            for column in ("start", "end"):
                if row[column] and not DATE.match(row[column]):
                    raise InputError(f"{where}: {column} {row[column]!r} is not YYYY-MM-DD")
            successor = row["successor"]
            if row["country"] == "JP":
                government = gazetteer.by_code.get(successor)
                if government is None or government.abolished:
                    raise InputError(f"{where}: successor {successor!r} is not a current government's code")
                if gazetteer.prefecture_of(row["prefecture"]) is None:
                    raise InputError(f"{where}: prefecture {row['prefecture']!r} is not a prefecture")
                successor, successor_label = f"lg/{successor}", government.label
            elif successor.startswith("place/") and row["successor_name"].strip():
                successor_label = clean(row["successor_name"])
            else:
                raise InputError(f"{where}: successor {successor!r} is neither a code nor a place key with a successor_name")
            formers.append(FormerGovernment(
                clean(row["name"]), row["country"], row["prefecture"] or None, row["old_code"] or None,
                row["start"] or None, row["end"], successor, successor_label, row["change"], row["reason"]))
        return cls(formers, gazetteer)

    # --- finding a predecessor in a mention ------------------------------------------

    def named(self, resolution: Resolution) -> FormerGovernment | None:
        """The predecessor a resolved mention names, if any."""
        mention = resolution.mention
        text = clean(mention.name)
        party = resolution.party
        if mention.foreign:
            country = getattr(party, "country", None)
            found = self._by_name.get((country, match_key(text)), []) if country else []
            return found[0] if len(found) == 1 else None
        written, rest = split_prefecture(text)
        prefecture = self.gazetteer.prefecture_of(mention.prefecture) or self.gazetteer.prefecture_of(written)
        rest = DISTRICT.sub("", rest.strip())
        bracketed = OLD_IN_BRACKETS.match(rest)
        if bracketed:
            base = self.gazetteer.resolve(bracketed["base"], prefecture.name if prefecture else None)
            if isinstance(base, Match):
                return self._of(base.government.code, match_key(bracketed["old"]))
            return None
        if isinstance(party, JapaneseGovernment):
            if resolution.method == "exact":
                return None  # a current government of that name
            if resolution.method == "containing":
                remainder = AREA.sub("", match_key(rest)[len(match_key(party.government.label)):])
                return self._of(party.government.code, remainder, stem=True)
        found = [former for former in self._by_name.get(("JP", match_key(rest)), [])
                 if prefecture is None or former.prefecture == prefecture.name]
        return found[0] if len(found) == 1 else None

    def _of(self, code: str, key: str, stem: bool = False) -> FormerGovernment | None:
        found = [former for former in self.formers if former.successor == f"lg/{code}"
                 and (_stem(match_key(former.name)) == key if stem else match_key(former.name) == key)]
        return found[0] if len(found) == 1 else None

    def resolve(self, resolution: Resolution, date: PartialDate | None) -> Resolution:
        """The resolution with its predecessor, or with the successor the old name stands for."""
        former = self.named(resolution)
        if former is None:
            return resolution
        end = dt.date.fromisoformat(former.end)
        ceased = f"{former.name} ceased on {former.end} ({former.change})"
        if date is not None and date.interval()[0] >= end:
            note = f"{ceased}; the tie dates from {date.iso}, after, so the name stands for {former.successor_label}"
            party = resolution.party
            if former.successor.startswith("lg/"):
                party = JapaneseGovernment(self.gazetteer.by_code[former.successor[3:]])
            elif not isinstance(party, ForeignAuthority):
                return resolution
            return replace(resolution, party=party, method="successor", note=note)
        if date is None:
            when = "the source gives no date"
        elif date.interval()[1] < end:
            when = f"the tie dates from {date.iso}, before"
        else:
            when = f"the tie's date {date.iso} spans the change"
        return replace(resolution, party=former, method="predecessor", note=f"{ceased}; {when}")

    def described(self, resolution: Resolution, description: str, date: PartialDate | None) -> Resolution:
        """A project partner whose description names the predecessor it had when the project began."""
        party = resolution.party
        if not isinstance(party, JapaneseGovernment) or date is None:
            return resolution
        for old in OLD_IN_TEXT.findall(clean(description)):
            former = self._of(party.government.code, match_key(old))
            if former is not None and date.interval()[1] < dt.date.fromisoformat(former.end):
                note = (f"the description names 旧{former.name}, which ceased on {former.end} ({former.change}); "
                        f"the project dates from {date.iso}, before")
                return replace(resolution, party=former, method="predecessor", note=note)
        return resolution

    def apply(self, records: list) -> list:
        """Every resolved record with its predecessors found (records are updated in place)."""
        for record in records:
            source = record.record
            if isinstance(source, ProjectRecord):
                dates = [None] + [source.partners[index].start or source.start for index in record.partner_index]
                keep_first = True
            else:
                dates = [source.date] * len(record.parties)
                keep_first = False
            parties = []
            for number, resolution in enumerate(record.parties):
                if keep_first and number == 0:
                    parties.append(resolution)
                    continue
                found = self.resolve(resolution, dates[number])
                if keep_first and found is resolution:
                    found = self.described(resolution, source.description, dates[number])
                parties.append(found)
            record.parties = tuple(parties)
        return records
