"""The conformance report: EARL in Turtle, a Markdown table, and ``/conformance`` that serves them.

``kg conformance`` runs the W3C protocol suite (:mod:`endpoint.conformance.suite`)
and writes ``dist/conformance/earl.ttl``: one ``earl:Assertion`` per test and
mode, whose ``earl:subject`` is this software in that mode (``doap:revision``
its version), ``earl:test`` the test's IRI in the W3C manifest and
``earl:result`` its ``earl:outcome`` (``earl:passed``, ``earl:failed``,
``earl:inapplicable``) with what was checked in ``earl:info``. The tests' names
come along (``mf:name``), so the report reads on its own.

``/conformance`` serves the latest report by content negotiation, or by suffix
(``/conformance.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, ``.csv``, ``.html``):
the EARL graph, or the table, one row per test and mode
(``test,name,mode,outcome,info`` in CSV; a table of both modes side by side
for people).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response
from jinja2 import TemplateNotFound
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    Triple,
    parse,
)

from endpoint.conformance.suite import MODES, OUTCOMES, Mode, Outcome
from endpoint.deps import PagesDep, PrefixesDep, SettingsDep
from endpoint.formats.graphs import serialize_triples
from endpoint.formats.media import DESCRIPTIONS, HTML, TABLE, TURTLE
from endpoint.formats.renderers import GRAPH_RENDERERS, Renderers
from endpoint.pages import i18n
from endpoint.problem import Problem
from kg.iris import RDF_TYPE, namespace

router = APIRouter(tags=["Conformance"])

EARL = namespace("earl")
DOAP = "http://usefulinc.com/ns/doap#"
DCTERMS = namespace("dcterms")
FOAF = namespace("foaf")
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
XSD = namespace("xsd")
PREFIXES = {"earl": EARL, "doap": DOAP, "dcterms": DCTERMS, "foaf": FOAF, "mf": MF, "xsd": XSD}
PACKAGE = "jp-lg-partnerships"
REPORT_FILE = "earl.ttl"
RERUN = "kg conformance --out dist/conformance --docs docs/conformance.md"


def version() -> str:
    """This software's version, as installed."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def report_iri(base: str) -> str:
    """The IRI of the report document; its subjects, assertor and assertions are fragments of it.

    >>> report_iri("http://localhost:8000/")
    'http://localhost:8000/conformance'
    """
    return base + "conformance"


def folder(dist: Path) -> Path:
    """Where ``kg conformance`` writes and ``/conformance`` reads."""
    return dist / "conformance"


def earl_triples(outcomes: Sequence[Outcome], *, base: str, release: str, date: datetime | None = None) -> list[Triple]:
    """The EARL report of ``outcomes`` as triples."""
    date = (date or datetime.now(timezone.utc)).replace(microsecond=0)
    stamp = Literal(date.isoformat(), datatype=NamedNode(XSD + "dateTime"))
    document = report_iri(base)
    doc, software, assertor = NamedNode(document), NamedNode(document + "#software"), NamedNode(document + "#assertor")
    a = NamedNode(RDF_TYPE)

    def term(namespace: str, name: str) -> NamedNode:
        return NamedNode(namespace + name)

    triples = [
        Triple(doc, a, term(FOAF, "Document")),
        Triple(doc, term(DCTERMS, "title"), Literal(f"SPARQL 1.1 Protocol conformance of {PACKAGE} {release}")),
        Triple(doc, term(DCTERMS, "date"), stamp),
        Triple(doc, term(FOAF, "primaryTopic"), software),
        Triple(software, a, term(DOAP, "Project")),
        Triple(software, term(DOAP, "name"), Literal(PACKAGE)),
    ]
    version_node = BlankNode("release")
    triples += [
        Triple(software, term(DOAP, "release"), version_node),
        Triple(version_node, a, term(DOAP, "Version")),
        Triple(version_node, term(DOAP, "revision"), Literal(release)),
        Triple(assertor, a, term(EARL, "Assertor")),
        Triple(assertor, a, term(EARL, "Software")),
        Triple(assertor, term(DOAP, "name"), Literal("kg conformance")),
        Triple(assertor, term(DOAP, "revision"), Literal(release)),
    ]
    for mode in dict.fromkeys(o.mode for o in outcomes):
        subject = NamedNode(f"{document}#{mode.key}")
        triples += [
            Triple(subject, a, term(EARL, "TestSubject")),
            Triple(subject, a, term(EARL, "Software")),
            Triple(subject, term(DOAP, "name"), Literal(f"{PACKAGE} SPARQL endpoint, {mode.label}")),
            Triple(subject, term(DOAP, "revision"), Literal(release)),
            Triple(subject, term(DCTERMS, "description"), Literal(f"started as `{mode.command}`")),
            Triple(subject, term(DCTERMS, "isPartOf"), software),
        ]
    for test in {o.test.iri: o.test for o in outcomes}.values():
        triples += [
            Triple(NamedNode(test.iri), a, term(MF, "ProtocolTest")),
            Triple(NamedNode(test.iri), term(MF, "name"), Literal(test.name)),
        ]
    for outcome in outcomes:
        key = f"{outcome.mode.key}.{outcome.test.local_name}"
        assertion, result = NamedNode(f"{document}#{key}"), BlankNode(f"result-{key}".replace(".", "-"))
        triples += [
            Triple(assertion, a, term(EARL, "Assertion")),
            Triple(assertion, term(EARL, "assertedBy"), assertor),
            Triple(assertion, term(EARL, "subject"), NamedNode(f"{document}#{outcome.mode.key}")),
            Triple(assertion, term(EARL, "test"), NamedNode(outcome.test.iri)),
            Triple(assertion, term(EARL, "mode"), term(EARL, "automatic")),
            Triple(assertion, term(EARL, "result"), result),
            Triple(result, a, term(EARL, "TestResult")),
            Triple(result, term(EARL, "outcome"), term(EARL, outcome.outcome)),
            Triple(result, term(EARL, "info"), Literal(outcome.info)),
            Triple(result, term(DCTERMS, "date"), stamp),
        ]
    return triples


def earl_turtle(outcomes: Sequence[Outcome], *, base: str, release: str, date: datetime | None = None) -> bytes:
    """The EARL report of ``outcomes`` in Turtle, written by pyoxigraph with the report's prefixes."""
    triples = earl_triples(outcomes, base=base, release=release, date=date)
    prefixes = dict(PREFIXES)
    suites = {o.test.iri.rsplit("#", 1)[0] + "#" for o in outcomes}
    if len(suites) == 1:
        prefixes["suite"] = next(iter(suites))
    return serialize_triples(triples, TURTLE, prefixes)


@dataclass(frozen=True, slots=True)
class Row:
    """One test of the report, with its outcome and info per mode key."""

    test: str
    name: str
    outcomes: dict[str, tuple[str, str]]

    @property
    def local_name(self) -> str:
        return self.test.rsplit("#", 1)[-1]


@dataclass(frozen=True, slots=True)
class Report:
    """What a report says, as a table."""

    release: str | None
    date: str | None
    modes: tuple[tuple[str, str], ...]
    """``(key, label)`` of each mode, in the order of :data:`endpoint.conformance.MODES`."""
    rows: tuple[Row, ...]

    def counts(self, key: str) -> dict[str, int]:
        counted = {outcome: 0 for outcome in OUTCOMES}
        for row in self.rows:
            if key in row.outcomes:
                counted[row.outcomes[key][0]] = counted.get(row.outcomes[key][0], 0) + 1
        return {outcome: n for outcome, n in counted.items() if n}

    def total(self, key: str) -> int:
        return sum(1 for row in self.rows if key in row.outcomes)


def report_of(outcomes: Sequence[Outcome], *, release: str) -> Report:
    """The table of a run, without writing it anywhere."""
    rows: dict[str, Row] = {}
    for o in outcomes:
        row = rows.setdefault(o.test.iri, Row(o.test.iri, o.test.name, {}))
        row.outcomes[o.mode.key] = (o.outcome, o.info)
    modes = tuple((m.key, m.label) for m in _ordered(o.mode for o in outcomes))
    return Report(release, None, modes, _sorted(rows.values()))


def _sorted(rows: Iterable[Row]) -> tuple[Row, ...]:
    # RDF keeps no order: rows go by the tests' names, which group them (bad_…, query_…, update_…).
    return tuple(sorted(rows, key=lambda row: (row.local_name, row.test)))


def _ordered(modes: Iterable[Mode]) -> list[Mode]:
    seen = list(dict.fromkeys(modes))
    return sorted(seen, key=lambda m: MODES.index(m) if m in MODES else len(MODES))


_REPORT_QUERY = f"""
PREFIX earl: <{EARL}> PREFIX doap: <{DOAP}> PREFIX dcterms: <{DCTERMS}> PREFIX mf: <{MF}>
SELECT ?subject ?label ?revision ?test ?name ?outcome ?info WHERE {{
  ?assertion a earl:Assertion ; earl:subject ?subject ; earl:test ?test ; earl:result ?result .
  ?result earl:outcome ?outcome .
  OPTIONAL {{ ?result earl:info ?info }}
  OPTIONAL {{ ?subject doap:name ?label }}
  OPTIONAL {{ ?subject doap:revision ?revision }}
  OPTIONAL {{ ?test mf:name ?name }}
}}"""
_DATE_QUERY = f"SELECT ?date WHERE {{ ?doc a <{FOAF}Document> ; <{DCTERMS}date> ?date }}"


def read_report(triples: Sequence[Triple]) -> Report:
    """The table an EARL report holds."""
    store = Store()
    store.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    rows: dict[str, Row] = {}
    modes: dict[str, str] = {}
    release = None
    for solution in store.query(_REPORT_QUERY):
        key = solution["subject"].value.rsplit("#", 1)[-1]
        label = solution["label"].value if solution["label"] else key
        known = next((mode.label for mode in MODES if mode.key == key), None)
        modes.setdefault(key, known or label.rsplit(", ", 1)[-1])
        release = release or (solution["revision"].value if solution["revision"] else None)
        test = solution["test"].value
        name = solution["name"].value if solution["name"] else test.rsplit("#", 1)[-1]
        row = rows.setdefault(test, Row(test, name, {}))
        outcome = solution["outcome"].value.removeprefix(EARL)
        row.outcomes[key] = (outcome, solution["info"].value if solution["info"] else "")
    dates = [solution["date"].value for solution in store.query(_DATE_QUERY)]
    order = {m.key: i for i, m in enumerate(MODES)}
    ordered = tuple(sorted(modes.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    return Report(release, max(dates) if dates else None, ordered, _sorted(rows.values()))


def markdown(report: Report) -> str:
    """``docs/conformance.md``: the table of both modes, and how to run the suite again."""
    lines = [
        "# SPARQL 1.1 Protocol conformance",
        "",
        f"The W3C SPARQL 1.1 Protocol test suite ({len(report.rows)} tests, copied in",
        "`endpoint/conformance/sparql11-protocol/`) replayed by `kg conformance` against",
        f"this server ({PACKAGE} {report.release}) on a loopback port, once per mode. Each test",
        "gets a server started with the test's graphs, as `kg serve --graph IRI=FILE` would;",
        "its HTTP requests are sent as the manifest describes them, and every expected status",
        "class, result format and ASK boolean is checked.",
        "",
    ]
    for key, label in report.modes:
        counts = ", ".join(f"{n} {outcome}" for outcome, n in report.counts(key).items())
        command = next((m.command for m in MODES if m.key == key), "")
        lines.append(f"- **{label}** (`{command}`): {counts} of {report.total(key)}")
    refused = sum(n for key, _ in report.modes for outcome, n in report.counts(key).items() if outcome == "inapplicable")
    lines += [
        "",
        f"A read-only server must refuse every update with a 4xx; the {refused} tests that expect an",
        "update to succeed are then *inapplicable* (SPARQL Update is optional), and the",
        "refusal itself is what the run checks.",
        "",
        "| test | name | " + " | ".join(label for _, label in report.modes) + " |",
        "|---|---|" + "---|" * len(report.modes),
    ]
    for row in report.rows:
        cells = [row.outcomes.get(key, ("", ""))[0] for key, _ in report.modes]
        name = row.name.replace("|", "\\|")
        lines.append(f"| `{row.local_name}` | {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Running it again",
        "",
        "```sh",
        RERUN,
        "```",
        "",
        "writes the EARL report (`dist/conformance/earl.ttl`, Turtle) that the server publishes",
        "at `/conformance` (a table for browsers; `/conformance.ttl`, `.csv`… by suffix or",
        "`Accept`) and rewrites this page. `make serve` runs it after the build; the test",
        "`tests/endpoint/conformance/test_conformance.py` runs the same code and fails when this page",
        "is out of date.",
        "",
    ]
    return "\n".join(lines)


def table_csv(report: Report) -> bytes:
    """One row per test and mode: ``test,name,mode,outcome,info``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["test", "name", "mode", "outcome", "info"])
    for row in report.rows:
        for key, _ in report.modes:
            if key in row.outcomes:
                outcome, info = row.outcomes[key]
                writer.writerow([row.test, row.name, key, outcome, info])
    return out.getvalue().encode("utf-8")


def write(outcomes: Sequence[Outcome], out: Path, *, base: str, docs: Path | None = None) -> list[Path]:
    """Write ``earl.ttl`` (and the Markdown table to ``docs``); the files written."""
    release = version()
    out.mkdir(parents=True, exist_ok=True)
    earl = out / REPORT_FILE
    earl.write_bytes(earl_turtle(outcomes, base=base, release=release))
    written = [earl]
    if docs is not None:
        docs.parent.mkdir(parents=True, exist_ok=True)
        docs.write_text(markdown(report_of(outcomes, release=release)), encoding="utf-8")
        written.append(docs)
    return written


@lru_cache(maxsize=2)
def _load(path: Path, mtime: float) -> tuple[Triple, ...]:
    with path.open("rb") as data:
        return tuple(quad.triple for quad in parse(data, RdfFormat.TURTLE))


PAGE = """{% extends "base.html" %}
{% block main %}
<h1>{{ title }}</h1>
<p>The W3C SPARQL 1.1 Protocol test suite, run against {{ package }} {{ report.release or "" }}
{%- if report.date %} on {{ report.date }}{% endif %}, once per mode.
As <a href="{{ urls_ttl }}">EARL in Turtle</a> or <a href="{{ urls_csv }}">CSV</a>.</p>
<ul>
{% for key, label in report.modes %}
  <li><strong>{{ label }}</strong>: {% for outcome, n in report.counts(key).items() %}{{ n }} {{ outcome }}{% if not loop.last %}, {% endif %}{% endfor %} of {{ report.total(key) }}</li>
{% endfor %}
</ul>
<table class="conformance">
  <thead><tr><th>Test</th><th>Name</th>{% for key, label in report.modes %}<th>{{ label }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for row in report.rows %}
    <tr><td><code title="{{ row.test }}">{{ row.local_name }}</code></td><td>{{ row.name }}</td>
    {% for key, label in report.modes %}{% set result = row.outcomes.get(key, ("", "")) %}<td class="{{ result[0] }}" title="{{ result[1] }}">{{ result[0] }}</td>{% endfor %}</tr>
  {% endfor %}
  </tbody>
</table>
<p>Run it again with <code>{{ rerun }}</code>.</p>
{% endblock %}
"""


def _page(pages, **context) -> str:
    # A template named conformance.html in the site's templates wins over this default.
    try:
        template = pages.env.get_template("conformance.html")
    except TemplateNotFound:
        template = pages.env.from_string(PAGE)
    i18n.use(context.get("lang") or i18n.LANGUAGES[0], {})
    return template.render(**context)


class Document:
    """A report as its triples, read as a table when a renderer asks."""

    def __init__(self, triples: list[Triple]):
        self.triples = triples

    @property
    def report(self) -> Report:
        return read_report(self.triples)


def _table(document: Document, fmt, **context) -> bytes:
    return table_csv(document.report)


def _html(document: Document, fmt, *, pages, lang: str | None = None, **context) -> str:
    return _page(
        pages, title="SPARQL 1.1 Protocol conformance", report=document.report, package=PACKAGE, rerun=RERUN,
        urls_ttl="/conformance.ttl", urls_csv="/conformance.csv", lang=lang,
    )


REPORT_RENDERERS = Renderers({**GRAPH_RENDERERS, HTML: _html, TABLE: _table}).only(DESCRIPTIONS)
"""The report as RDF (EARL), a page, or its table in CSV: ``test,name,mode,outcome,info``."""


@router.get("/conformance", summary="The latest SPARQL 1.1 Protocol conformance report (EARL)", response_class=Response)
@router.get("/conformance.{suffix}", include_in_schema=False, response_class=Response)
async def conformance(
    request: Request, settings: SettingsDep, pages: PagesDep, prefixes: PrefixesDep, suffix: str | None = None
) -> Response:
    choice = REPORT_RENDERERS.choose(request, suffix)
    headers = choice.headers
    path = folder(settings.dist) / REPORT_FILE
    if not path.is_file():
        raise Problem(404, "no conformance report yet: run `kg conformance`", headers)
    if choice.format is TURTLE:
        return Response(path.read_bytes(), media_type=TURTLE.content_type, headers=headers)
    document = Document(list(_load(path, path.stat().st_mtime)))
    return REPORT_RENDERERS.render(document, choice.format, headers=headers, pages=pages, prefixes={**prefixes, **PREFIXES},
                                   lang=i18n.language_of(request))
