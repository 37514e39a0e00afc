"""The outgoing triples of a resource, read by predicate.

A resource page already has the resource's own triples (its description);
type-specific details read them here instead of asking the store again.

>>> from pyoxigraph import Literal, NamedNode, Triple
>>> s, p = NamedNode("http://x/s"), NamedNode("http://x/p")
>>> facts = Facts("http://x/s", [Triple(s, p, Literal("b")), Triple(s, p, Literal("a"))])
>>> facts.literal("http://x/p"), facts.literals("http://x/p")
('a', ['a', 'b'])
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Triple


class Facts:
    """What the triples of a description say about one subject."""

    def __init__(self, subject: str, triples: Iterable[Triple]):
        self.subject = subject
        self._by_predicate: dict[str, list] = {}
        for triple in triples:
            if triple.subject.value == subject and type(triple.subject) is NamedNode:
                self._by_predicate.setdefault(triple.predicate.value, []).append(triple.object)

    def terms(self, predicate: str) -> list:
        return sorted(self._by_predicate.get(predicate, []), key=str)

    def term(self, predicate: str):
        terms = self.terms(predicate)
        return terms[0] if terms else None

    def iris(self, predicate: str) -> list[str]:
        return [term.value for term in self.terms(predicate) if type(term) is NamedNode]

    def iri(self, predicate: str) -> str | None:
        found = self.iris(predicate)
        return found[0] if found else None

    def literals(self, predicate: str) -> list[str]:
        return [term.value for term in self.terms(predicate) if type(term) is Literal]

    def literal(self, predicate: str) -> str | None:
        found = self.literals(predicate)
        return found[0] if found else None

    def language_literals(self, predicate: str) -> list[Literal]:
        return [term for term in self.terms(predicate) if type(term) is Literal]
