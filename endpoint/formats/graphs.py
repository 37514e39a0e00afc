"""Triples written in Turtle, N-Triples, RDF/XML (by pyoxigraph) and compact JSON-LD.

Only the prefixes a graph uses are declared, and in Turtle and RDF/XML none
whose local names would need escapes (``data:lg\\/1`` reads worse than the IRI).
JSON-LD is compacted here against the prefix table itself, an inline
``@context``, so no reader ever has to fetch a remote context.

>>> from endpoint.formats.media import TURTLE
>>> from pyoxigraph import Literal, NamedNode, Triple
>>> prefixes = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "data": "http://localhost:8000/id/"}
>>> triple = Triple(NamedNode("http://localhost:8000/id/lg/1"),
...                 NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("札幌市", language="ja"))
>>> print(write_graph([triple], TURTLE, prefixes=prefixes).body.decode())
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://localhost:8000/id/lg/1> rdfs:label "札幌市"@ja .
<BLANKLINE>
>>> to_jsonld([triple], prefixes)["@graph"]
[{'@id': 'data:lg/1', 'rdfs:label': {'@value': '札幌市', '@language': 'ja'}}]
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Iterable, Mapping

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from endpoint.formats.media import JSON_LD, N_TRIPLES, Format
from endpoint.formats.results import Answer, take
from kg.jsonld import compact

_PLAIN_LOCAL = re.compile(r"[\w\-]*\Z")


def _iris(triples: Iterable[Triple]) -> set[str]:
    seen: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if type(term) is NamedNode:
                seen.add(term.value)
            elif type(term) is Literal:
                seen.add(term.datatype.value)
    return seen


def used_prefixes(triples: Iterable[Triple], prefixes: Mapping[str, str], *, plain: bool) -> dict[str, str]:
    """The prefixes some IRI of ``triples`` starts with.

    With ``plain``, a prefix is dropped when one of its local names would need escaping.
    """
    iris = _iris(triples)
    chosen = {}
    for prefix, namespace in prefixes.items():
        locals_ = [iri[len(namespace):] for iri in iris if iri.startswith(namespace)]
        if not locals_:
            continue
        if plain and not all(_PLAIN_LOCAL.match(local) for local in locals_):
            continue
        chosen[prefix] = namespace
    return chosen


def to_jsonld(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> dict:
    """A compacted JSON-LD document (:func:`kg.jsonld.compact`) with the prefixes it uses as ``@context``."""
    triples = list(triples)
    return compact(triples, used_prefixes(triples, prefixes, plain=False))


def serialize_triples(triples: list[Triple], fmt: Format, prefixes: Mapping[str, str]) -> bytes:
    """``triples`` in one of the graph formats."""
    if fmt is JSON_LD:
        return json.dumps(to_jsonld(triples, prefixes), ensure_ascii=False, indent=1).encode()
    if fmt is N_TRIPLES:
        return serialize(triples, format=fmt.native)
    return serialize(triples, format=fmt.native, prefixes=used_prefixes(triples, prefixes, plain=True))


def write_graph(
    triples: Iterable[Triple],
    fmt: Format,
    *,
    prefixes: Mapping[str, str],
    limit: int | None = None,
    cancelled: threading.Event | None = None,
) -> Answer:
    """At most ``limit`` triples in ``fmt``, flagged when more were there."""
    if limit is None:
        taken, truncated = list(triples), False
    else:
        taken, truncated = take(triples, limit, cancelled)
    return Answer(serialize_triples(taken, fmt, prefixes), truncated)



def triples_csv(triples: Iterable[Triple]) -> bytes:
    """Triples as a CSV table, one row each: ``subject,predicate,object,datatype,language``.

    IRIs as they are, blank nodes as ``_:id``, a literal's lexical form in
    ``object`` with its datatype IRI (every literal has one, so an empty
    ``datatype`` means the object is an IRI or a blank node) and language tag.

    >>> triples_csv([Triple(NamedNode("http://x/a"), NamedNode("http://x/p"), Literal("札幌", language="ja"))]).decode().splitlines()
    ['subject,predicate,object,datatype,language', 'http://x/a,http://x/p,札幌,http://www.w3.org/1999/02/22-rdf-syntax-ns#langString,ja']
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["subject", "predicate", "object", "datatype", "language"])
    for triple in triples:
        obj = triple.object
        if type(obj) is Literal:
            writer.writerow([_cell(triple.subject), triple.predicate.value, obj.value, obj.datatype.value, obj.language or ""])
        else:
            writer.writerow([_cell(triple.subject), triple.predicate.value, _cell(obj), "", ""])
    return out.getvalue().encode("utf-8")


def _cell(term) -> str:
    if type(term) is BlankNode:
        return f"_:{term.value}"
    if type(term) is Triple:
        return str(term)
    return term.value
