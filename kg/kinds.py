"""Kinds of tie: the SKOS scheme in ``ontology/kinds.ttl`` and the wording that maps to it,
and the wording that states a tie's status (``wording-status.csv``).

>>> scheme = KindScheme.load(Path("ontology"), Path("data/curated"))
>>> scheme.kind_of("姉妹都市提携")
('sister-city', '姉妹|姊妹')
>>> scheme.family("water-supply-aid")
'disaster-cooperation'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SKOS

from kg.curated import read_table
from mapping.errors import InputError
from mapping.text import nfkc


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    broader: str | None
    labels: dict[str, str]


class KindScheme:
    def __init__(self, concepts: dict[str, Concept], patterns: list[tuple[re.Pattern[str], str, str]],
                 statuses: list[tuple[re.Pattern[str], str, str]] | None = None):
        self.concepts = concepts
        self.patterns = patterns
        self.statuses = statuses or []
        self.order = list(concepts)
        unknown = {kind for _, kind, _ in patterns} - set(concepts)
        if unknown:
            raise InputError(f"wording-kinds.csv names kinds missing from kinds.ttl: {', '.join(sorted(unknown))}")

    @classmethod
    def load(cls, ontology: Path, curated: Path) -> KindScheme:
        graph = Graph().parse(ontology / "kinds.ttl")
        concepts: dict[str, Concept] = {}
        for concept in sorted(graph.subjects(SKOS.notation, None)):
            notation = str(graph.value(concept, SKOS.notation))
            broader = graph.value(concept, SKOS.broader)
            labels = {label.language: str(label) for label in graph.objects(concept, SKOS.prefLabel)}
            concepts[notation] = Concept(notation, str(graph.value(broader, SKOS.notation)) if broader else None, labels)
        patterns = [(re.compile(row["pattern"]), row["kind"], row["reason"])
                    for row in read_table(curated / "wording-kinds.csv", ("pattern", "kind", "reason"))]
        statuses = [(re.compile(row["pattern"]), row["status"], row["reason"])
                    for row in read_table(curated / "wording-status.csv", ("pattern", "status", "reason"))]
        ordered = sorted(concepts.values(), key=lambda c: (c.broader is not None, _rank(patterns, c.id)))
        return cls({c.id: c for c in ordered}, patterns, statuses)

    def kind_of(self, *texts: str | None) -> tuple[str, str] | None:
        """The kind the first text with a known wording maps to, and the matching pattern."""
        for text in texts:
            if not text:
                continue
            folded = nfkc(text)
            for pattern, kind, _ in self.patterns:
                if pattern.search(folded):
                    return kind, pattern.pattern
        return None

    def status_of(self, *texts: str | None) -> tuple[str, ...]:
        """Statuses a source's text states (``再結成`` → renewed), in table order.

        >>> KindScheme.load(Path("ontology"), Path("data/curated")).status_of("協定(R3.3.23再結成)")
        ('renewed',)
        """
        text = " ".join(nfkc(t) for t in texts if t)
        return tuple(dict.fromkeys(status for pattern, status, _ in self.statuses if pattern.search(text)))

    def family(self, kind: str) -> str:
        concept = self.concepts[kind]
        return concept.broader or concept.id

    @property
    def kinds(self) -> list[str]:
        """Concepts a tie can have (the narrower ones), in preference order."""
        return [c.id for c in self.concepts.values() if c.broader is not None]


def _rank(patterns: list[tuple[re.Pattern[str], str, str]], kind: str) -> int:
    for number, (_, pattern_kind, _) in enumerate(patterns):
        if pattern_kind == kind:
            return number
    return len(patterns)
