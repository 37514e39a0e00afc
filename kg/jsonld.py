"""JSON-LD compaction against a context of prefixes, and the one IRI compactor.

With a context made only of prefixes (and aliases such as ``"id": "@id"``),
compaction is turning IRIs into compact IRIs and single values out of arrays,
as the JSON-LD compaction algorithm does; it is done here over the triples in
one pass, so a 100k-triple graph takes well under a second rather than minutes.
The dumps (``kg.jsonld``) and every JSON-LD answer of the server use it; tests
check it against PyLD's expansion and compaction.

>>> from pyoxigraph import Literal, NamedNode, Triple
>>> triple = Triple(NamedNode("http://ex.org/a"), NamedNode("http://ex.org/p"), Literal("x", language="ja"))
>>> compact([triple], {"ex": "http://ex.org/", "id": "@id", "type": "@type"})["@graph"]
[{'id': 'ex:a', 'ex:p': {'@value': 'x', '@language': 'ja'}}]
>>> compact_iri("http://ex.org/a/b", {"ex": "http://ex.org/", "exa": "http://ex.org/a/"})
'exa:b'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.iris import RDF_TYPE, namespace

XSD_STRING = namespace("xsd") + "string"


def compact_iri(iri: str, prefixes: Mapping[str, str]) -> str:
    """``prefix:local`` for an IRI under a prefix of ``prefixes`` (the longest namespace), else the IRI.

    A value that is not a namespace (``"@id"``) is no prefix; ``kind:`` alone or
    ``x://…`` would not read back as the same IRI, so those stay whole.
    """
    best, best_namespace = "", ""
    for prefix, value in prefixes.items():
        if not value.startswith("@") and iri.startswith(value) and len(value) > len(best_namespace):
            best, best_namespace = prefix, value
    local = iri[len(best_namespace):]
    if not best or not local or local.startswith("//"):
        return iri
    return f"{best}:{local}"


def _longest_first(prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes by namespace length, longest first (a stable sort: among equals, the order given).

    :func:`compact_iri` over them meets the longest matching namespace first, as over the prefixes as given.
    """
    return dict(sorted(prefixes.items(), key=lambda item: -len(item[1])))


def _compact_sorted(iri: str, prefixes: Mapping[str, str]) -> str:
    """:func:`compact_iri` over prefixes ordered by :func:`_longest_first`: the first match is the longest."""
    for prefix, value in prefixes.items():
        if iri.startswith(value):
            local = iri[len(value):]
            return iri if not prefix or not local or local.startswith("//") else f"{prefix}:{local}"
    return iri


class _Compactor:
    def __init__(self, terms: Mapping[str, str]):
        self.prefixes = _longest_first({name: value for name, value in terms.items()
                                        if isinstance(value, str) and value and not value.startswith("@")})
        # Namespaces ending in / or # are found by looking the IRI's own such prefixes up, longest
        # first; the few others by trying each. Either way the longest namespace wins, as in _compact_sorted.
        self.at_separator: dict[str, str] = {}
        self.others: dict[str, str] = {}
        for prefix, value in self.prefixes.items():
            (self.at_separator if value[-1] in "/#" else self.others).setdefault(value, prefix)
        aliases = {value: name for name, value in terms.items() if isinstance(value, str) and value.startswith("@")}
        self.id_key, self.type_key = aliases.get("@id", "@id"), aliases.get("@type", "@type")
        self.seen: dict[str, str] = {}

    def iri(self, value: str) -> str:
        compacted = self.seen.get(value)
        if compacted is None:
            compacted = self.seen[value] = self._compact(value)
        return compacted

    def _compact(self, iri: str) -> str:
        best = next((namespace for namespace in self.others if iri.startswith(namespace)), "")
        end = len(iri)
        while end > len(best):
            end = max(iri.rfind("/", 0, end), iri.rfind("#", 0, end))
            if end < 0:
                break
            if iri[:end + 1] in self.at_separator:
                if end + 1 > len(best):
                    best = iri[:end + 1]
                break
        if not best:
            return iri
        prefix = self.at_separator.get(best) or self.others[best]
        local = iri[len(best):]
        return iri if not prefix or not local or local.startswith("//") else f"{prefix}:{local}"

    def node_id(self, term) -> str:
        if type(term) is BlankNode:
            return f"_:{term.value}"
        if type(term) is Triple:
            raise ValueError("JSON-LD 1.1 cannot carry triple terms; ask for Turtle or N-Triples")
        return self.iri(term.value)

    def value(self, term) -> dict:
        if type(term) is Literal:
            item = {"@value": term.value}
            if term.language:
                item["@language"] = term.language
            elif term.datatype.value != XSD_STRING:
                item[self.type_key] = self.iri(term.datatype.value)
            return item
        return {self.id_key: self.node_id(term)}


def compact(triples: Iterable[Triple], terms: Mapping[str, str]) -> dict:
    """A compacted JSON-LD document of ``triples``: one node object per subject, ``terms`` as ``@context``."""
    compactor = _Compactor(terms)
    id_key, type_key = compactor.id_key, compactor.type_key
    nodes: dict[str, dict] = {}
    for triple in triples:
        subject = compactor.node_id(triple.subject)
        node = nodes.get(subject)
        if node is None:
            node = nodes[subject] = {id_key: subject}
        obj = triple.object
        if triple.predicate.value == RDF_TYPE and type(obj) in (NamedNode, BlankNode):
            key, item = type_key, compactor.node_id(obj)
        else:
            key, item = compactor.iri(triple.predicate.value), compactor.value(obj)
        if key not in node:
            node[key] = item
        elif isinstance(node[key], list):
            node[key].append(item)
        else:
            node[key] = [node[key], item]
    return {"@context": dict(terms), "@graph": list(nodes.values())}


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match) -> str:
    short, long, char = match.groups()
    return chr(int(short or long, 16)) if char is None else _ESCAPED[char]


def compact_ntriples(text: str, terms: Mapping[str, str]) -> dict:
    """:func:`compact` of N-Triples text, read a line at a time without making RDF terms of it.

    For the dumps, whose N-Triples the build wrote itself: one triple per line, terms separated by one space.
    Language tags are written in lower case, as :func:`compact` over Oxigraph's terms writes them.

    >>> compact_ntriples('<http://ex.org/a> <http://ex.org/p> "x \\"y\\""@JA .\\n', {"ex": "http://ex.org/"})["@graph"]
    [{'@id': 'ex:a', 'ex:p': {'@value': 'x "y"', '@language': 'ja'}}]
    """
    return LineCompactor(terms)(text)


class LineCompactor:
    """:func:`compact_ntriples` for the pieces of one graph: what one piece worked out serves the next."""

    def __init__(self, terms: Mapping[str, str]):
        self.terms = terms
        self.compactor = _Compactor(terms)
        # Written terms as they appear in the lines (``<iri>``, ``_:b``), compacted once each; an IRI object's
        # ``{"id": …}`` is made once and shared, the documents being written out, never changed.
        self.named: dict[str, str] = {}
        self.referred: dict[str, dict] = {}

    def __call__(self, text: str) -> dict:
        return _compact_lines(text, self.terms, self.compactor, self.named, self.referred)


def _compact_lines(text: str, terms: Mapping[str, str], compactor: _Compactor, named: dict[str, str],
                   referred: dict[str, dict]) -> dict:
    id_key, type_key = compactor.id_key, compactor.type_key
    rdf_type = f"<{RDF_TYPE}>"
    nodes: dict[str, dict] = {}
    last_subject, node = None, {}

    def identifier(term: str) -> str:
        found = named.get(term)
        if found is None:
            found = named[term] = term if term.startswith("_:") else compactor.iri(term[1:-1])
        return found

    for line in text.split("\n"):  # not splitlines(): a literal may hold U+2028 and the like
        if not line:
            continue
        subject, predicate, obj = line.split(" ", 2)
        obj = obj[:-2].rstrip()  # the closing " ."
        if subject != last_subject:
            last_subject = subject
            key = identifier(subject)
            node = nodes.get(key)
            if node is None:
                node = nodes[key] = {id_key: key}
        if obj[0] != '"':
            if predicate == rdf_type:
                key, item = type_key, identifier(obj)
            else:
                key = identifier(predicate)
                item = referred.get(obj)
                if item is None:
                    item = referred[obj] = {id_key: identifier(obj)}
        else:
            key = identifier(predicate)
            end = obj.rindex('"')
            value = obj[1:end]
            if "\\" in value:
                value = _ESCAPE.sub(_unescape, value)
            item = {"@value": value}
            if end + 1 < len(obj):
                tail = obj[end + 1:]
                if tail[0] == "@":
                    item["@language"] = tail[1:].lower()
                elif tail.startswith("^^") and tail[3:-1] != XSD_STRING:
                    item[type_key] = identifier(tail[2:])
        present = node.get(key)
        if present is None:
            node[key] = item
        elif type(present) is list:
            present.append(item)
        else:
            node[key] = [present, item]
    return {"@context": dict(terms), "@graph": list(nodes.values())}
