"""HTML rendering: Jinja2 templates in ``templates/``, URLs from one helper.

Pages only render what a data function gathered. Templates fall back from the
most specific name to the least (``resource-Partnership.html``, then
``resource.html``), and never assemble a path: every link comes from
:class:`Urls`.

>>> urls = Urls("http://localhost:8000/")
>>> urls.resource("http://localhost:8000/id/lg/011002"), urls.resource("https://example.org/x")
('/id/lg/011002', 'https://example.org/x')
>>> urls.alternate("http://localhost:8000/def/lgp#Partnership", "ttl")
'/def/lgp.ttl'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from endpoint.descriptions import Description
from endpoint.formats import GRAPHS
from endpoint.graphs import XSD_STRING, compact_iri

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


class Urls:
    """Builds every URL a page links to."""

    def __init__(self, base: str):
        self.base = base
        self.root = urlsplit(base).path.rstrip("/")

    def local(self, iri: str) -> str | None:
        """The path of an IRI this server answers for, or None."""
        return self.root + "/" + iri[len(self.base):] if iri.startswith(self.base) else None

    def resource(self, iri: str) -> str:
        """Where a link to ``iri`` goes: this server for IRIs under the base, the IRI itself otherwise."""
        return self.local(iri) or iri

    def alternate(self, iri: str, extension: str) -> str:
        """The document of ``iri`` in the format of a file suffix."""
        document = (self.local(iri) or iri).split("#", 1)[0]
        return f"{document}.{extension}"

    def home(self) -> str:
        return "/"

    def sparql(self, query: str | None = None) -> str:
        return "/sparql" + (f"?{urlencode({'query': query})}" if query else "")

    def download(self, name: str = "") -> str:
        return f"/download/{name}"

    def catalog(self) -> str:
        return "/catalog"

    def void(self) -> str:
        return "/.well-known/void"

    def docs(self) -> str:
        return "/docs"

    def static(self, name: str) -> str:
        return f"/static/{name}"


@dataclass(frozen=True, slots=True)
class TermView:
    """One RDF term as a page shows it."""

    kind: str
    """``iri``, ``bnode`` or ``literal``."""
    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None


class Pages:
    """Renders pages with the templates, the URL helper and the prefix table."""

    def __init__(self, base: str, prefixes: Mapping[str, str], template_dirs: Sequence[Path] = ()):
        self.urls = Urls(base)
        self.prefixes = dict(prefixes)
        self.env = Environment(
            loader=FileSystemLoader([*template_dirs, TEMPLATES]),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["urls"] = self.urls

    def render(self, names: str | Sequence[str], **context) -> str:
        """The first template of ``names`` that exists, rendered with ``context``."""
        template = self.env.select_template([names] if isinstance(names, str) else list(names))
        return template.render(**context)

    def term(self, term, labels: Mapping[str, str] = {}) -> TermView:  # noqa: B006 (read only)
        if type(term) is NamedNode:
            iri = term.value
            return TermView("iri", labels.get(iri) or compact_iri(iri, self.prefixes), self.urls.resource(iri), iri)
        if type(term) is BlankNode:
            return TermView("bnode", f"_:{term.value}")
        if type(term) is Literal:
            datatype = term.datatype.value
            shown = None if term.language or datatype == XSD_STRING else compact_iri(datatype, self.prefixes)
            return TermView("literal", term.value, lang=term.language, datatype=shown)
        if type(term) is Triple:
            return TermView("literal", str(term))
        raise TypeError(f"not an RDF term: {term!r}")

    def resource(self, description: Description) -> str:
        """The page of a described resource."""
        labels = description.labels
        groups: dict[str, dict] = {}
        for triple in description.triples:
            subject = triple.subject
            key = str(subject)
            group = groups.setdefault(key, {"subject": self.term(subject, labels), "anchor": _anchor(subject), "rows": {}})
            predicate = triple.predicate.value
            row = group["rows"].setdefault(predicate, {"predicate": self.term(triple.predicate, labels), "objects": []})
            row["objects"].append(self.term(triple.object, labels))
        sections = [{**group, "rows": list(group["rows"].values())} for group in groups.values()]
        types = description.types()
        names = [f"resource-{_local_name(iri)}.html" for iri in types] + ["resource.html"]
        iri = description.iri
        return self.render(
            names,
            iri=iri,
            title=description.label(iri) or compact_iri(iri, self.prefixes),
            types=[self.term(NamedNode(t), labels) for t in types],
            sections=sections,
            incoming=[(self.term(s, labels), self.term(p, labels)) for s, p in description.incoming],
            alternates=[(fmt, self.urls.alternate(iri, fmt.extension)) for fmt in GRAPHS],
        )

    def message(self, status: int, title: str, detail: str) -> str:
        """A page that says what went wrong."""
        return self.render("error.html", status=status, title=title, detail=detail)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _anchor(term) -> str | None:
    if type(term) is NamedNode and "#" in term.value:
        return term.value.rsplit("#", 1)[1]
    return None
