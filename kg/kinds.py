"""Kinds of tie: the SKOS scheme in ``ontology/kinds.ttl``, the classifier that reads a row's
columns in order of evidence, and the wording that states a tie's status (``wording-status.csv``).

The classifier reads, in order: the document's premise (``source-premises.csv``: a
list of twinning ties, a list of ties that are not twinning, or neither), the row's
field or category column, the agreement's wording, its title, free text; the first
column with a known wording decides, else the premise's default kind. A twinning
kind needs an explicit twinning word (``lists = any`` rows of ``wording-kinds.csv``)
or a twinning list (``lists = twinning`` rows apply only there); in a list of ties
other than twinning no twinning kind is given, and a twinning word set aside is kept
on the evidence as a decision the report lists.

>>> scheme = KindScheme.load(Path("ontology"), Path("data/curated"))
>>> scheme.kind_of("姉妹都市提携")
('sister-city', '姉妹|姊妹')
>>> scheme.family("water-supply-aid")
'disaster-cooperation'
>>> evidence = scheme.classify("agreements-2016", None, [("field", "経済"), ("wording", "パートナーシップに関する協力覚書")])
>>> evidence.kind, evidence.column, evidence.text
('economy', 'field', '経済')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SKOS

from kg.curated import SourcePremise, WordingKind, WordingStatus, read_table
from mapping.errors import InputError
from mapping.text import nfkc

TWINNING = "twinning"
FIELD_COLUMNS = ("field", "category")
WORDING_COLUMNS = ("wording", "title")
"""Columns that name the agreement itself: its wording and its title."""
AGREEMENT_KIND_FAMILIES = (TWINNING, "disaster-cooperation")
"""Families whose kinds name what an agreement is (a twinning, a disaster agreement), not a field of activity."""
GENERIC_KINDS = ("memorandum", "exchange-cooperation")
"""Kinds that say only that there is an agreement or an exchange: no reading that disagrees with another."""
DISASTER_WORD = re.compile(r"災害|防災|震災")
"""Words that name a disaster agreement in so many words."""
AGREEMENT_WORD = re.compile(r"協定|覚書|提携|盟約|協約|備忘")
"""A field or category naming one of these names an agreement (災害協定, 観光協定), not only a field."""


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    broader: str | None
    labels: dict[str, str]


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of ``wording-kinds.csv``, compiled."""

    pattern: re.Pattern[str]
    kind: str
    lists: str
    reason: str


@dataclass(frozen=True, slots=True)
class KindEvidence:
    """Why a claim has its kind: the column that decided it, the rule, the text it matched."""

    kind: str
    column: str
    """``premise`` (the document's default), ``field``, ``category``, ``wording``, ``title``, ``summary``, ``implied``."""
    rule: str
    text: str
    set_aside: str = ""
    """A twinning reading the premise excluded or a weightier column outweighed
    (``wording 友好都市 → friendship-city``), for the report."""


@dataclass(frozen=True, slots=True)
class Premise:
    lists: str
    default: str
    reason: str


NO_PREMISE = Premise("any", "memorandum", "no premise stated for this document")


class KindScheme:
    def __init__(self, concepts: dict[str, Concept], rules: list[Rule],
                 statuses: list[tuple[re.Pattern[str], str, str]] | None = None,
                 premises: dict[tuple[str, str], Premise] | None = None):
        self.concepts = concepts
        self.rules = rules
        self.statuses = statuses or []
        self.premises = premises or {}
        self.order = list(concepts)
        self._classified: dict[tuple, KindEvidence] = {}
        """Evidence for the columns met so far: a list repeats its wordings row after row."""
        self._statuses_of: dict[tuple[str, ...], tuple[str, ...]] = {}
        """Statuses of the texts met so far: a list repeats its wordings."""
        unknown = {rule.kind for rule in rules} | {p.default for p in self.premises.values()}
        unknown -= set(concepts)
        if unknown:
            raise InputError(f"wording-kinds.csv or source-premises.csv names kinds missing from kinds.ttl: "
                             f"{', '.join(sorted(unknown))}")

    @property
    def patterns(self) -> list[tuple[re.Pattern[str], str, str]]:
        return [(rule.pattern, rule.kind, rule.reason) for rule in self.rules]

    @classmethod
    def load(cls, ontology: Path, curated: Path) -> KindScheme:
        graph = Graph().parse(ontology / "kinds.ttl")
        concepts: dict[str, Concept] = {}
        for concept in sorted(graph.subjects(SKOS.notation, None)):
            notation = str(graph.value(concept, SKOS.notation))
            broader = graph.value(concept, SKOS.broader)
            labels = {label.language: str(label) for label in graph.objects(concept, SKOS.prefLabel)}
            concepts[notation] = Concept(notation, str(graph.value(broader, SKOS.notation)) if broader else None, labels)
        rules = [Rule(re.compile(row.pattern), row.kind, row.lists, row.reason)
                 for row in read_table(curated / "wording-kinds.csv", WordingKind)]
        statuses = [(re.compile(row.pattern), row.status, row.reason)
                    for row in read_table(curated / "wording-status.csv", WordingStatus)]
        premises = {(row.source, row.section): Premise(row.lists, row.default, row.reason)
                    for row in read_table(curated / "source-premises.csv", SourcePremise)}
        ordered = sorted(concepts.values(), key=lambda c: (c.broader is not None, _rank(rules, c.id)))
        return cls({c.id: c for c in ordered}, rules, statuses, premises)

    def premise(self, source: str, section: str | None) -> Premise:
        return self.premises.get((source, section or "")) or self.premises.get((source, "")) or NO_PREMISE

    def classify(self, source: str, section: str | None, columns: Sequence[tuple[str, str | None]]) -> KindEvidence:
        """The kind of one row from its columns, given in order of evidence, under its document's premise."""
        key = (source, section, tuple(columns))
        evidence = self._classified.get(key)
        if evidence is None:
            evidence = self._classified[key] = self._classify(source, section, columns)
        return evidence

    def _classify(self, source: str, section: str | None, columns: Sequence[tuple[str, str | None]]) -> KindEvidence:
        premise = self.premise(source, section)
        set_aside = ""
        for index, (column, text) in enumerate(columns):
            if not text:
                continue
            folded = nfkc(text)
            found: list[tuple[int, int, Rule]] = []
            for number, rule in enumerate(self.rules):
                if rule.lists == TWINNING and premise.lists != TWINNING:
                    continue
                match = rule.pattern.search(folded)
                if not match:
                    continue
                if premise.lists == "other" and self.family(rule.kind) == TWINNING:
                    set_aside = set_aside or f"{column} {text} → {rule.kind}"
                    continue
                # A field column lists fields: the first one named decides (経済、観光 is economy),
                # a piece naming an agreement first (文化交流 災害協定 is a disaster agreement).
                # Wording is read by the table's order (県外広域避難 is an evacuation, not any disaster).
                found.append((match.start() if column in FIELD_COLUMNS else 0, number, rule))
            if found and column in FIELD_COLUMNS:
                # Where each named field ends: at the next field's word (the generic 協定 or 交流 is none).
                starts = sorted({start for start, _, rule in found if rule.kind not in GENERIC_KINDS})
                found = [(rule.kind in GENERIC_KINDS or not _names_agreement(folded, start, starts), start, number, rule)
                         for start, number, rule in found]
            elif found:
                found = [(False, *entry) for entry in found]
            if found:
                rule = min(found, key=lambda f: f[:3])[3]
                later = columns[index + 1:]
                if column in FIELD_COLUMNS and self._is_activity_field(rule.kind, folded):
                    # A field of activity (文化交流, 観光) says what the ties are about, not what the
                    # agreement is: explicit wording naming a twinning or a disaster agreement decides.
                    named = self._agreement_reading(later, premise)
                    if named is not None:
                        later_column, later_text, later_rule = named
                        return KindEvidence(later_rule.kind, later_column, later_rule.pattern.pattern, later_text,
                                            f"{column} {text} → {rule.kind}")
                set_aside = set_aside or self._disagreeing_reading(rule.kind, later, premise)
                return KindEvidence(rule.kind, column, rule.pattern.pattern, text, set_aside)
        return KindEvidence(premise.default, "premise", premise.reason, "", set_aside)

    def _is_activity_field(self, kind: str, text: str) -> bool:
        """Whether a field or category reading names a field of activity, not the kind of an agreement."""
        return self.family(kind) not in AGREEMENT_KIND_FAMILIES and not AGREEMENT_WORD.search(text)

    def _readings(self, columns: Sequence[tuple[str, str | None]], premise: Premise):
        """The first rule each wording or title column matches, under the premise: (column, text, rule)."""
        for column, text in columns:
            if column not in WORDING_COLUMNS or not text:
                continue
            folded = nfkc(text)
            for rule in self.rules:
                if rule.lists == TWINNING and premise.lists != TWINNING:
                    continue
                if rule.pattern.search(folded):
                    yield column, text, rule
                    break

    def _agreement_reading(self, columns: Sequence[tuple[str, str | None]], premise: Premise):
        """Wording or a title naming a twinning (姉妹都市, 友好都市) the premise allows, or a disaster
        agreement in so many words (災害, 防災, 震災), or None.

        A field's other words for aid (水道分野の強化に向けた協力) may be the field of the
        cooperation, not an aid agreement: they do not outweigh the field.
        """
        for column, text, rule in self._readings(columns, premise):
            family = self.family(rule.kind)
            if family == TWINNING and premise.lists != "other":
                return column, text, rule
            if family == "disaster-cooperation" and DISASTER_WORD.search(nfkc(text)):
                return column, text, rule
        return None

    def _disagreeing_reading(self, kind: str, columns: Sequence[tuple[str, str | None]], premise: Premise) -> str:
        """What the agreement's wording or title reads as where it names another kind than the deciding column's
        (an explicit twinning word the premise or a weightier column outweighed, another field), for the report."""
        for column, text, rule in self._readings(columns, premise):
            if rule.kind != kind and rule.kind not in GENERIC_KINDS:
                return f"{column} {text} → {rule.kind}"
        for column, text in columns:  # a twinning word in any later column, free text too
            if text:
                for rule in self.rules:
                    if rule.lists == "any" and self.family(rule.kind) == TWINNING and rule.pattern.search(nfkc(text)):
                        return f"{column} {text} → {rule.kind}" if rule.kind != kind else ""
        return ""

    def kind_of(self, *texts: str | None) -> tuple[str, str] | None:
        """The kind the first text with a known wording maps to, and the matching pattern (no premise)."""
        for text in texts:
            if not text:
                continue
            folded = nfkc(text)
            for rule in self.rules:
                if rule.lists == "any" and rule.pattern.search(folded):
                    return rule.kind, rule.pattern.pattern
        return None

    def status_of(self, *texts: str | None) -> tuple[str, ...]:
        """Statuses a source's text states (``再結成`` → renewed), in table order.

        >>> KindScheme.load(Path("ontology"), Path("data/curated")).status_of("協定(R3.3.23再結成)")
        ('renewed',)
        """
        given = tuple(t for t in texts if t)
        found = self._statuses_of.get(given)
        if found is None:
            folded = " ".join(nfkc(t) for t in given)
            found = self._statuses_of[given] = tuple(dict.fromkeys(
                status for pattern, status, _ in self.statuses if folded and pattern.search(folded)))
        return found

    def family(self, kind: str) -> str:
        concept = self.concepts[kind]
        return concept.broader or concept.id

    @property
    def kinds(self) -> list[str]:
        """Concepts a tie can have (the narrower ones), in preference order."""
        return [c.id for c in self.concepts.values() if c.broader is not None]


def _names_agreement(text: str, at: int, starts: list[int]) -> bool:
    """Whether the field named at ``at`` in a field or category cell is named as an agreement: its words, up to
    where the next field begins (``starts``), hold an agreement word (文化交流災害協定: 災害協定, not 文化交流).

    >>> _names_agreement("文化交流災害協定", 0, [0, 4]), _names_agreement("文化交流災害協定", 4, [0, 4])
    (False, True)
    """
    end = next((start for start in starts if start > at), len(text))
    return bool(AGREEMENT_WORD.search(text[at:end]))


def _rank(rules: list[Rule], kind: str) -> int:
    for number, rule in enumerate(rules):
        if rule.kind == kind:
            return number
    return len(rules)
