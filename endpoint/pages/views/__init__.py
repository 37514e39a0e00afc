"""The data of every page for people, gathered with SPARQL through the backend.

Resource pages add type-specific details to a description: which details
depends on the resource's classes, most specific first. Other pages (home,
search, query, prefecture, country) have one data function each, in the
modules of this package.

>>> view_for(["http://localhost:8000/def/lgp#Municipality"]).name
'JapaneseLocalGovernment'
>>> view_for(["http://www.w3.org/2002/07/owl#Class"]) is None
True
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from endpoint.pages.views import parties, ties, vocab
from endpoint.pages.views.common import DCAT, SKOS, Cancelled
from endpoint.pages.views.facts import Facts
from endpoint.store.backends import Backend
from kg.iris import Iris


@dataclass(frozen=True, slots=True)
class View:
    """Type-specific details: the template family that shows them and the function that gathers them."""

    name: str
    """Template family: ``resource-{name}.html``."""
    gather: Callable[..., object]


_GOVERNMENT = View("JapaneseLocalGovernment", parties.government)
_PARTY = View("Party", parties.party)
VIEWS: dict[str, View] = {
    "lgp:Partnership": View("Partnership", ties.partnership),
    "lgp:Claim": View("Claim", ties.claim),
    "lgp:Project": View("Project", ties.project),
    "lgp:Prefecture": _GOVERNMENT,
    "lgp:Municipality": _GOVERNMENT,
    "lgp:SpecialWard": _GOVERNMENT,
    "lgp:DesignatedCityWard": _GOVERNMENT,
    "lgp:JapaneseLocalGovernment": _GOVERNMENT,
    "lgp:ForeignLocalAuthority": _PARTY,
    "lgp:OtherBody": _PARTY,
    "lgp:UnresolvedParty": _PARTY,
    "lgp:Party": _PARTY,
    "lgp:Country": View("Country", parties.country),
    "lgp:Region": View("Region", parties.region),
    "skos:ConceptScheme": View("ConceptScheme", vocab.scheme),
    "skos:Concept": View("Concept", vocab.concept),
    "dcat:Dataset": View("Dataset", vocab.source),
}
"""Views by class; the ontology's own classes are matched under any base."""


def class_key(iri: str) -> str:
    """``lgp:Name`` for a class of the ontology under any base, ``skos:``/``dcat:`` names, else the IRI."""
    if "/def/lgp#" in iri:
        return "lgp:" + iri.rsplit("#", 1)[1]
    for prefix, namespace in (("skos", SKOS), ("dcat", DCAT)):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def view_for(classes: list[str]) -> View | None:
    """The view of the first of ``classes`` (most specific first) that has one."""
    for cls in classes:
        view = VIEWS.get(class_key(cls))
        if view is not None:
            return view
    return None


def gather(
    backend: Backend, view: View, facts: Facts, cancelled: threading.Event | None = None
) -> object | None:
    """The details ``view`` shows for the subject of ``facts``; None when the time ran out."""
    try:
        return view.gather(backend, Iris.of(facts.subject), facts, cancelled)
    except Cancelled:
        return None
