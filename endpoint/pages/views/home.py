"""The data of the home page and of the query page: figures from the store, the example queries.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.rq").write_text("# title: A\\n# description: B\\nPREFIX x: <http://localhost:8000/def/lgp#>\\nASK {}\\n")
>>> example = examples(folder, "https://example.org/")[0]
>>> example.name, example.title, "https://example.org/def/lgp#" in example.text
('a', 'A', True)
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from endpoint.dist import DistFile, list_dist
from endpoint.pages.views.common import Ref, number, refs_of, select, text
from endpoint.pages.views.parties import NOT_JAPANESE
from endpoint.store.backends import Backend
from kg.iris import Iris, rebase_text

DUMPS = ("kg.nt.gz", "kg.ttl.gz", "kg.jsonld.gz", "kg.nt", "kg.ttl", "kg.jsonld",
         "csv/partnerships.csv", "csv/participants.csv", "csv/csv-metadata.json", "report.md")
"""Files of ``dist/`` the home page links to, when the build has them."""


@dataclass(frozen=True, slots=True)
class ExampleQuery:
    """One of ``queries/*.rq``: its file name without ``.rq``, its title, its description and its text."""

    name: str
    title: str
    description: str
    text: str


def examples(folder: Path, base: str) -> list[ExampleQuery]:
    """The example queries of ``folder``, their IRIs moved to ``base``."""
    found = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        body = rebase_text(path.read_text(encoding="utf-8"), base)
        title = re.search(r"^#\s*title:\s*(.+)$", body, re.M)
        description = re.search(r"^#\s*description:\s*(.+)$", body, re.M)
        found.append(ExampleQuery(
            path.stem, title.group(1).strip() if title else path.stem,
            description.group(1).strip() if description else "", body,
        ))
    return found


@dataclass(frozen=True, slots=True)
class Figure:
    """A count the home page shows."""

    key: str
    ja: str
    en: str
    count: int


@dataclass(frozen=True, slots=True)
class Counted:
    """A resource and how many partnerships involve it (or it has, for a kind)."""

    ref: Ref
    count: int
    as_of: str | None = None


@dataclass(frozen=True, slots=True)
class HomeData:
    figures: list[Figure]
    parties_by_class: list[Counted]
    kinds: list[Counted]
    prefectures: list[Counted]
    countries: list[Counted]
    sources: list[Counted]
    examples: list[ExampleQuery]
    dumps: list[DistFile]
    triples: int | None
    decades: list[DecadeCount] = ()
    """Ties by decade of their date and family of kind (twinning, disaster cooperation, thematic)."""


@dataclass(frozen=True, slots=True)
class DecadeCount:
    decade: int
    family: Ref | None
    count: int


_FIGURES = (
    ("partnerships", "連携", "partnerships"), ("projects", "連携事業", "projects"),
    ("parties", "当事者", "parties"), ("sources", "出典", "sources"), ("claims", "出典の記述", "source claims"),
)
_PARTIES = "{ ?tie lgp:party ?x } UNION { ?tie lgp:ward ?x } UNION { ?tie lgp:partner ?x }"


def home(
    backend: Backend, vocab: Iris, *, dist: Path, queries: Path, cancelled: threading.Event | None = None
) -> HomeData:
    counts = select(backend, vocab, f"""SELECT * WHERE {{
  {{ SELECT (COUNT(DISTINCT ?x) AS ?partnerships) WHERE {{ ?x a lgp:Partnership }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?projects) WHERE {{ ?x a lgp:Project }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?claims) WHERE {{ ?x a lgp:Claim }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?parties) WHERE {{ {_PARTIES} }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?sources) WHERE {{
      ?record prov:wasDerivedFrom ?x . {{ ?record a lgp:Claim }} UNION {{ ?record a lgp:Project }} }} }}
}}""", cancelled)[0]
    by_class = select(backend, vocab, f"""SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?x WHERE {{ {_PARTIES} }} }} ?x a ?class }} GROUP BY ?class ORDER BY DESC(?n)""", cancelled)
    kinds = select(backend, vocab, "SELECT ?x (COUNT(?p) AS ?n) WHERE { ?p lgp:kind ?x } GROUP BY ?x ORDER BY DESC(?n)",
                   cancelled)
    prefectures = select(backend, vocab, """SELECT ?x (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?x a lgp:Prefecture .
  OPTIONAL { { ?p lgp:party ?x } UNION { ?m lgp:prefecture ?x . ?p lgp:party ?m } }
} GROUP BY ?x""", cancelled)
    countries = select(backend, vocab, f"""SELECT ?x (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  ?party lgp:country ?x . {NOT_JAPANESE} ?p lgp:party ?party }} GROUP BY ?x ORDER BY DESC(?n)""", cancelled)
    sources = select(backend, vocab, """SELECT ?x (SAMPLE(?t) AS ?asOf) (COUNT(DISTINCT ?record) AS ?n) WHERE {
  ?record prov:wasDerivedFrom ?x . { ?record a lgp:Claim } UNION { ?record a lgp:Project }
  OPTIONAL { ?x dcterms:temporal/dcat:endDate ?t }
} GROUP BY ?x""", cancelled)
    decades = select(backend, vocab, """SELECT ?decade ?family (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?p a lgp:Partnership ; lgp:date ?date .
  OPTIONAL { ?p lgp:kind/skos:broader ?family }
  BIND(FLOOR(YEAR(?date) / 10) * 10 AS ?decade)
} GROUP BY ?decade ?family ORDER BY ?decade ?family""", cancelled)
    everything = [*by_class, *kinds, *prefectures, *countries, *sources]
    refs = refs_of(backend, vocab, [text(row["x"] if "x" in row else row["class"]) for row in everything]
                   + [text(row["family"]) for row in decades], cancelled)

    def counted(rows, key="x") -> list[Counted]:
        # Most first, ties by IRI: the same order from any store.
        found = [Counted(refs[row[key].value], number(row["n"]), text(row.get("asOf"))) for row in rows]
        return sorted(found, key=lambda c: (-c.count, c.ref.iri))

    dumps = {f.name: f for f in list_dist(dist)}
    return HomeData(
        [Figure(key, ja, en, number(counts[key])) for key, ja, en in _FIGURES],
        counted(by_class, "class"), counted(kinds),
        sorted(counted(prefectures), key=lambda c: c.ref.code or ""), counted(countries),
        sorted(counted(sources), key=lambda c: c.ref.code or c.ref.iri),
        examples(queries, vocab.base), [dumps[name] for name in DUMPS if name in dumps], backend.triple_count(),
        [DecadeCount(number(row["decade"]), refs.get(text(row["family"])), number(row["n"])) for row in decades
         if row["decade"] is not None],
    )


@dataclass(frozen=True, slots=True)
class QueryPageData:
    """The query page: the editor's text, the examples, and where queries go."""

    text: str
    example: str | None
    """The name of the example in the editor, if it is one."""
    examples: list[ExampleQuery]
    base: str


def query_page(queries: Path, base: str, *, text: str | None, example: str | None) -> QueryPageData:
    found = examples(queries, base)
    chosen = next((e for e in found if e.name == example), None)
    if text is None:
        chosen = chosen or (found[0] if found else None)
        text = chosen.text if chosen else f"PREFIX lgp: <{base}def/lgp#>\n\nSELECT * WHERE {{ ?s ?p ?o }} LIMIT 10\n"
    return QueryPageData(text, chosen.name if chosen else None, found, base)
