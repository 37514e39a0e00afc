"""Every IRI the graph mints, and the prefix table, in one place.

Identifiers sit under one configurable base, cool-URI style: things under
``/id/``, vocabularies under ``/def/``. The ontology files are written with the
default base and rebased when another one is configured.

>>> iris = Iris("https://data.example.jp/")
>>> str(iris.lg("104493"))
'https://data.example.jp/id/lg/104493'
>>> str(iris.place("CN/CN-HE/承徳市"))
'https://data.example.jp/id/place/CN/CN-HE/%E6%89%BF%E5%BE%B3%E5%B8%82'
"""

from __future__ import annotations

import json
from functools import cache
from urllib.parse import quote

from rdflib import Graph, Namespace, URIRef

from kg.config import DEFAULT_BASE, default_data_dir

CONTEXT = default_data_dir() / "ontology" / "context.jsonld"


@cache
def prefix_table(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Prefixes of the published ``@context``, with the base applied."""
    context = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    return {
        prefix: rebase_text(value, base)
        for prefix, value in context.items()
        if isinstance(value, str) and not value.startswith("@")
    }


def rebase_text(text: str, base: str) -> str:
    """Text written against the default base, moved to ``base``."""
    return text if base == DEFAULT_BASE else text.replace(DEFAULT_BASE, base)


def namespace(prefix: str, base: str = DEFAULT_BASE) -> str:
    """The namespace of ``prefix`` in the prefix table.

    >>> namespace("skos"), namespace("lgp", "https://example.org/")
    ('http://www.w3.org/2004/02/skos/core#', 'https://example.org/def/lgp#')
    """
    return prefix_table(base)[prefix]


RDF_TYPE = namespace("rdf") + "type"
"""``rdf:type``, the one constant of it."""
SPARQL_PREFIXES = ("lgp", "kind", "rdf", "rdfs", "skos", "dcterms", "dcat", "prov", "geo", "xsd")
"""The prefixes :meth:`Iris.header` declares for the queries of the pages."""


def bind_prefixes(graph: Graph, base: str) -> Graph:
    """Bind exactly the prefix table, so serialisations never invent ``ns1``."""
    for prefix, namespace in prefix_table(base).items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    return graph


def _segment(text: str) -> str:
    return quote(text, safe="-_.~")


class Iris:
    """Mints the IRIs of one graph under ``base``, and names its namespaces.

    >>> Iris.of("http://x/id/lg/1").base, Iris("http://x/").lgp + "Partnership"
    ('http://x/', 'http://x/def/lgp#Partnership')
    """

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base
        self.lgp = Namespace(base + "def/lgp#")
        self.kind_ns = Namespace(base + "def/kind/")
        self.precision_ns = Namespace(base + "def/precision/")
        self.status_ns = Namespace(base + "def/status/")
        self.ontology = URIRef(base + "def/lgp")
        self.kind_scheme = URIRef(base + "def/kind/")
        self.dataset = URIRef(base + "id/dataset")
        self._parties: dict[str, URIRef] = {}

    @classmethod
    def of(cls, iri: str) -> Iris:
        """The IRIs of the graph ``iri`` belongs to (its base: the part before ``id/`` or ``def/``)."""
        cut = max(iri.rfind("/id/"), iri.rfind("/def/"))
        return cls(iri[: cut + 1] if cut >= 0 else iri.rsplit("/", 1)[0] + "/")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Iris) and other.base == self.base

    def __hash__(self) -> int:
        return hash(self.base)

    def header(self) -> str:
        """SPARQL ``PREFIX`` lines of the prefix table, for queries under this base."""
        table = prefix_table(self.base)
        return "".join(f"PREFIX {prefix}: <{table[prefix]}>\n" for prefix in SPARQL_PREFIXES)

    def _id(self, *parts: str) -> URIRef:
        return URIRef(self.base + "id/" + "/".join(parts))

    def lg(self, code: str) -> URIRef:
        return self._id("lg", code)

    def point(self, code: str) -> URIRef:
        return self._id("lg", code, "point")

    def place(self, key: str) -> URIRef:
        return self._id("place", *(_segment(part) for part in key.split("/")))

    def party(self, key: str) -> URIRef:
        """The IRI of a party from its key (``lg/…``, ``place/…``, ``org/…``, ``unresolved/…``)."""
        iri = self._parties.get(key)
        if iri is None:
            kind, _, rest = key.partition("/")
            iri = self._parties[key] = self._id(kind, *(_segment(part) for part in rest.split("/")))
        return iri

    def country(self, alpha2: str) -> URIRef:
        return self._id("country", alpha2)

    def region(self, code: str) -> URIRef:
        return self._id("region", code)

    def partnership(self, identifier: str) -> URIRef:
        return self._id("partnership", identifier)

    def claim(self, identifier: str) -> URIRef:
        return self._id("claim", identifier)

    def stated_party(self, claim: str, number: int) -> URIRef:
        return self._id("claim", claim, f"party-{number}")

    def project(self, identifier: str) -> URIRef:
        return self._id("project", identifier)

    def change(self, identifier: str) -> URIRef:
        """A change event (a merger, an incorporation) between governments."""
        return self._id("change", identifier)

    def linkset(self, name: str) -> URIRef:
        return self._id("linkset", name)

    def linked_dataset(self, name: str) -> URIRef:
        """Another dataset the graph links to, as the catalog describes it."""
        return self._id("linked-dataset", name)

    def source(self, source_id: str) -> URIRef:
        return self._id("source", source_id)

    def distribution(self, name: str) -> URIRef:
        return self._id("distribution", name)

    def download(self, path: str) -> URIRef:
        return URIRef(self.base + "download/" + path)

    def kind(self, notation: str) -> URIRef:
        return self.kind_ns[notation]

    def precision(self, name: str) -> URIRef:
        return self.precision_ns[name]

    def status(self, name: str) -> URIRef:
        return self.status_ns[name]
