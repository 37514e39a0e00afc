"""HTML rendering: Jinja2 templates in ``templates/``, URLs from one helper.

Pages only render what a data function gathered. Templates fall back from the
most specific name to the least (``resource-Municipality.html``, then
``resource-JapaneseLocalGovernment.html``, then ``resource.html``), partials
start with ``_``, and no template assembles a path: every link comes from
:class:`~endpoint.urls.Urls`. A resource page embeds its description, with the
schema.org statements it entails, as JSON-LD for crawlers.

>>> urls = Urls("http://localhost:8000/")
>>> urls.resource("http://localhost:8000/id/lg/011002"), urls.resource("https://example.org/x")
('/id/lg/011002', 'https://example.org/x')
>>> urls.alternate("http://localhost:8000/def/lgp#Partnership", "ttl")
'/def/lgp.ttl'
"""

from __future__ import annotations

import dataclasses
import json
import re
from functools import lru_cache
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from endpoint.dist import catalog_graph
from endpoint.formats.graphs import to_jsonld
from endpoint.formats.media import GRAPHS
from endpoint.pages import chart, fields, i18n, listing, network, svgmap, worldmap
from endpoint.pages.attribution import Attribution, attribution_of
from endpoint.pages.urls import Urls
from kg.iris import namespace
from kg.jsonld import XSD_STRING, compact_iri

EMBEDDED_TRIPLES = 500
"""Most triples a page embeds as JSON-LD; a longer description is only linked (``rel="alternate"``)."""

if TYPE_CHECKING:  # the description is linked data's; pages only render it
    from endpoint.linked_data.descriptions import Description

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


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

    def __init__(self, base: str, prefixes: Mapping[str, str], template_dirs: Sequence[Path] = (), dist: Path | None = None):
        self.urls = Urls(base)
        self.base, self.dist = base, dist
        self.prefixes = dict(prefixes)
        self.env = Environment(
            loader=FileSystemLoader([*template_dirs, TEMPLATES]),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["urls"] = i18n.LocalisedUrls(self.urls)
        self.env.globals["attribution"] = self.attribution
        self.env.globals.update(t=i18n.t, bi=i18n.bi, language=i18n.lang, switch=i18n.switch, languages=i18n.LANGUAGES,
                                field_english=fields.english)
        self.env.filters["svgmap"] = svgmap.draw
        self.env.filters["json_script"] = json_script
        self.env.filters["jsonable"] = jsonable
        self.env.filters["quoted_japanese"] = quoted_japanese
        self.env.tests["ascii"] = lambda text: str(text).isascii()
        self.env.globals.update(
            ties_listing=listing.ties_listing, projects_listing=listing.projects_listing, rows_listing=listing.rows_listing,
            member_rows=listing.member_rows, own_rows=listing.own_rows, facet_names=listing.FACET_NAMES,
            chart=chart.decade_chart, network=network.network, world=worldmap.world,
        )

    def attribution(self) -> Attribution:
        """The dataset's licence and citation and its sources' notes, from the build's catalog."""
        graph = catalog_graph(self.dist) if self.dist is not None else ()
        return _attribution(graph, self.base)

    def render(self, names: str | Sequence[str], **context) -> str:
        """The first template of ``names`` that exists, rendered with ``context``."""
        template = self.env.select_template([names] if isinstance(names, str) else list(names))
        i18n.use(context.get("lang", i18n.LANGUAGES[0]), context.get("params") or {})
        return template.render(**context)

    def term(self, term, labels: Mapping[str, str] = {}, english: Mapping[str, str] = {},  # noqa: B006 (read only)
             languages: Mapping[str, str] = {}) -> TermView:  # noqa: B006
        """A term as a page shows it: an IRI by its label (its English one on English pages), in the label's language."""
        if type(term) is NamedNode:
            iri = term.value
            href = i18n.in_language(self.urls.resource(iri))
            if i18n.lang() == "en" and iri in english:
                return TermView("iri", english[iri], href, iri, "en")
            shown = labels.get(iri) or compact_iri(iri, self.prefixes)
            # A label without a language tag, or an IRI, in Japanese is marked as Japanese.
            return TermView("iri", shown, href, iri, languages.get(iri) or ("ja" if _JAPANESE_RUN.search(shown) else None))
        if type(term) is BlankNode:
            return TermView("bnode", f"_:{term.value}")
        if type(term) is Literal:
            datatype = term.datatype.value
            shown = None if term.language or datatype == XSD_STRING else compact_iri(datatype, self.prefixes)
            return TermView("literal", term.value, lang=term.language, datatype=shown)
        if type(term) is Triple:
            return TermView("literal", str(term))
        raise TypeError(f"not an RDF term: {term!r}")

    def resource(self, description: Description, params: Mapping[str, str] = {}, lang: str = "ja") -> str:  # noqa: B006
        """The page of a described resource."""
        i18n.use(lang, params)

        def term(node) -> TermView:
            return self.term(node, description.labels, description.labels_en, description.label_languages)

        groups: dict[str, dict] = {}
        for triple in description.triples:
            subject = triple.subject
            key = str(subject)
            group = groups.setdefault(key, {"subject": term(subject), "anchor": _anchor(subject), "rows": {}})
            predicate = triple.predicate.value
            row = group["rows"].setdefault(predicate, {"predicate": term(triple.predicate), "objects": []})
            row["objects"].append(term(triple.object))
        sections = [{**group, "rows": list(group["rows"].values())} for group in groups.values()]
        types = description.types()
        names = ["resource.html"]
        if description.details is not None:
            # Most specific first: the classes and their superclasses, then the view's family.
            specific = [f"resource-{_local_name(iri)}.html" for iri in description.classes or types]
            names = [*dict.fromkeys([*specific, f"resource-{description.view}.html"]), *names]
        iri = description.iri
        return self.render(
            names,
            iri=iri,
            title=description.label(iri) or compact_iri(iri, self.prefixes),
            english=_english_label(description) or getattr(description.details, "english", None),
            title_lang=description.label_languages.get(iri),
            types=[term(NamedNode(t)) for t in types],
            sections=sections,
            incoming=[(term(s), term(p)) for s, p in description.incoming],
            alternates=[(fmt, self.urls.alternate(iri, fmt.extension)) for fmt in GRAPHS],
            details=description.details,
            # A long description is linked as JSON-LD (the alternates) rather than embedded twice over.
            jsonld=to_jsonld([*description.triples, *description.entailed], self.prefixes)
            if len(description.triples) <= EMBEDDED_TRIPLES else None,
            params=params,
            lang=lang,
        )

    def message(self, status: int, title: str, detail: str, asked: str | None = None, accept_language: str | None = None) -> str:
        """A page that says what went wrong, in the language asked (``lang``, then ``Accept-Language``)."""
        return self.render("error.html", status=status, title=title, detail=detail,
                           lang=i18n.pick_language(asked, accept_language))


@lru_cache(maxsize=4)
def _attribution(graph: tuple, base: str) -> Attribution:
    return attribution_of(graph, base)


def jsonable(data):
    """Page data as JSON values: dataclasses become objects, tuples and sets lists.

    >>> from endpoint.pages.views.common import Ref
    >>> jsonable({"ref": Ref("http://x/1", "札幌市")})["ref"]["name"]
    '札幌市'
    """
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return {f.name: jsonable(getattr(data, f.name)) for f in dataclasses.fields(data)}
    if isinstance(data, Mapping):
        return {str(key): jsonable(value) for key, value in data.items()}
    if isinstance(data, (list, tuple, set, frozenset)):
        return [jsonable(item) for item in data]
    return data


_JAPANESE_RUN = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]+")


def quoted_japanese(text) -> Markup:
    """English text that quotes Japanese names (a note, an error's detail), each quoted run marked ``lang="ja"``.

    >>> str(quoted_japanese("長瀨町 differs from 長瀞町 by one character"))
    '<span lang="ja">長瀨町</span> differs from <span lang="ja">長瀞町</span> by one character'
    """
    if text is None:
        return Markup("")
    return Markup(_JAPANESE_RUN.sub(lambda found: f'<span lang="ja">{found.group(0)}</span>', str(escape(text))))


def json_script(data) -> Markup:
    """``data`` as JSON safe inside ``<script>``: no ``</script>`` or comment can close it early.

    >>> "</" in json_script({"a": "</script>"}), json.loads(json_script({"a": "</script>"}))["a"]
    (False, '</script>')
    """
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


_LABELS = (namespace("rdfs") + "label", namespace("skos") + "prefLabel", namespace("dcterms") + "title")


def _english_label(description: Description) -> str | None:
    """The resource's English label, shown under its title."""
    found = [(_LABELS.index(triple.predicate.value), triple.object.value) for triple in description.triples
             if triple.subject.value == description.iri and triple.predicate.value in _LABELS
             and type(triple.object) is Literal and triple.object.language == "en"]
    return min(found)[1] if found else None


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _anchor(term) -> str | None:
    if type(term) is NamedNode and "#" in term.value:
        return term.value.rsplit("#", 1)[1]
    return None
