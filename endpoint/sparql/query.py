"""``/sparql``: the SPARQL 1.1 Protocol; read-only unless updates are allowed.

Queries come by GET ``?query=``, by POST of a form, or by POST of an
``application/sparql-query`` body; ``default-graph-uri`` and ``named-graph-uri``
replace the query's dataset (:mod:`endpoint.sparql.protocol` reads every request).
Relative IRIs resolve against the endpoint's URL. Updates are refused (403),
by parameter, body type, or as a ``query`` (the engine cannot parse an update
as a query; the scan of :mod:`endpoint.sparql.text` then says why), unless the
server runs with ``--allow-update`` (:mod:`endpoint.sparql.update`). A query naming
``SERVICE`` is scanned before it runs, and refused (403) when it would call a
host that ``KG_ALLOW_SERVICE`` does not list. The answer's format comes from
the ``format`` parameter when given, else from ``Accept``; every answer says
``Vary: Accept``. At most ``KG_RESULT_LIMIT`` rows or triples are returned,
``X-Result-Truncated: true`` says when the cap cut some; a query running past
``KG_QUERY_TIMEOUT`` seconds is answered 503.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from endpoint.errors import run_query
from endpoint.formats.media import DESCRIPTIONS, GRAPHS, HTML, RESULTS
from endpoint.formats.renderers import GRAPH_RENDERERS, Renderers
from endpoint.problem import Problem
from endpoint.settings import ServeSettings
from endpoint.sparql.protocol import (
    FORM,
    SPARQL_QUERY,
    SPARQL_UPDATE,
    Call,
    QueryRequest,
    Reply,
    UpdateRequest,
    read_request,
)
from endpoint.sparql.execute import execute
from endpoint.sparql.update import USING_PARAMETERS, answer_update
from kg.iris import RDF_TYPE, namespace

router = APIRouter(tags=["SPARQL"])

EXAMPLE = """PREFIX lgp: <{base}def/lgp#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?partnership ?party ?label WHERE {{
  ?partnership a lgp:Partnership ; lgp:party ?party .
  ?party rdfs:label ?label .
}}
LIMIT 20
"""

SD = namespace("sd")
A = NamedNode(RDF_TYPE)
"""``rdf:type`` as a term."""
VOID_TRIPLES = NamedNode(namespace("void") + "triples")
XSD_INTEGER = namespace("xsd") + "integer"


def _sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


async def answer(state, call: Call, *, queries: bool = True) -> Reply | None:
    """Answer one protocol request; None for a GET with neither query nor update."""
    settings: ServeSettings = state.settings
    request = read_request(call, allow_update=settings.allow_update, queries=queries)
    if request is None:
        return None
    if isinstance(request, UpdateRequest):
        return await answer_update(state, request, call)
    return await answer_query(state, request, client=call.client)


async def answer_query(state, request: QueryRequest, *, client: str | None = None) -> Reply:
    """Check, run and serialise one query (off the event loop); ``state`` is the app's state.

    Read-only servers keep recent answers (:class:`~endpoint.sparql.cache.AnswerCache`):
    the data does not change while served.
    """
    settings: ServeSettings = state.settings
    cache = getattr(state, "answers", None)
    key = (request.text, request.dataset, request.words, request.accept, request.base_iri)
    if cache is not None and (cached := cache.get(key)) is not None:
        return cached
    if len(request.text) > settings.query_max_length:  # the rest of the checks run off the loop
        raise Problem(400, f"the query is longer than the limit of {settings.query_max_length:,} bytes (KG_QUERY_MAX_LENGTH)")
    with state.clients.hold(client):
        pool = getattr(state, "pool", None)
        if pool is not None:
            reply = await pool.run(request)
        else:
            reply = await run_query(state.runner, partial(execute, state.backend, request, state.limits))
    if cache is not None:
        cache.put(key, reply)
    return reply


def _parameter(name: str, description: str, *, many: bool = False) -> dict:
    schema = {"type": "array", "items": {"type": "string"}} if many else {"type": "string"}
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


DATASET_PARAMETERS = [
    _parameter("default-graph-uri", "A graph of the default graph; replaces the query's dataset", many=True),
    _parameter("named-graph-uri", "A named graph of the dataset; replaces the query's dataset", many=True),
    _parameter("format", "json, xml, csv, tsv, ttl, nt, jsonld, rdfxml or a media type; wins over Accept", many=True),
]


# The protocol's requests (a query or an update, by GET or POST) never reach the routes:
# `endpoint.sparql.fastpath` answers them ahead of FastAPI. This route answers what is
# left, a GET with neither, and documents the protocol's GET; the POSTs are documented
# by `PROTOCOL_OPERATIONS`.
@router.get(
    "/sparql",
    summary="Run a SPARQL query, or describe the service",
    response_class=Response,
    responses={
        200: {
            "description": "Query results, or the service description when no query is given",
            "content": {fmt.media_type: {} for fmt in (*RESULTS, *GRAPHS, HTML)},
        },
        400: {"description": "Syntax error, or not one query"},
        403: {"description": "Update (while updates are off), or SERVICE to a host not allowed"},
        406: {"description": "No offered format fits Accept or `format`"},
        503: {"description": "The query ran out of time"},
    },
    openapi_extra={"parameters": [_parameter("query", "The SPARQL query"), *DATASET_PARAMETERS]},
)
async def sparql_get(request: Request) -> Response:
    return await service_description(request)


SPARQL_POST = {
    "summary": "Run a SPARQL query (or, when allowed, an update) sent as a form or as a SPARQL body",
    "tags": ["SPARQL"],
    **{
        "parameters": [*DATASET_PARAMETERS, *USING_PARAMETERS],
        "requestBody": {
            "required": True,
            "content": {
                FORM: {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "update": {"type": "string", "description": "Only with --allow-update"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "using-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "using-named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                    }
                },
                SPARQL_QUERY: {"schema": {"type": "string"}},
                SPARQL_UPDATE: {"schema": {"type": "string"}, "description": "Only with --allow-update"},
            },
        },
    },
    "responses": {
        "200": {"description": "Query results", "content": {fmt.media_type: {} for fmt in (*RESULTS, *GRAPHS)}},
        "204": {"description": "The update was applied (only with --allow-update)"},
        "400": {"description": "Syntax error, or not one query or update"},
        "403": {"description": "Update (while updates are off), or SERVICE to a host not allowed"},
        "406": {"description": "No offered format fits Accept or `format`"},
        "415": {"description": "Neither a form nor a SPARQL body"},
        "503": {"description": "The query ran out of time"},
    },
}
"""The OpenAPI operation of ``POST /sparql``, which :mod:`endpoint.sparql.fastpath` answers."""


def _form(data: ServiceData, fmt, *, pages, **context) -> str:
    return pages.render(
        "sparql.html", title="SPARQL", endpoint=data.endpoint,
        example=EXAMPLE.format(base=data.base), formats=(*RESULTS, *GRAPHS),
    )


SERVICE_RENDERERS = Renderers({**GRAPH_RENDERERS, HTML: _form}).only(DESCRIPTIONS)
"""The service description in RDF; browsers get the query form."""


@dataclass(frozen=True, slots=True)
class ServiceData:
    endpoint: str
    base: str
    triples: tuple[Triple, ...] = ()


async def service_description(request: Request) -> Response:
    """The ``sd:Service`` of this endpoint, or the query form for a browser."""
    choice = SERVICE_RENDERERS.choose(request)
    state = request.app.state
    settings: ServeSettings = state.settings
    endpoint = str(request.url.replace(query=""))
    data = ServiceData(endpoint, settings.base)
    if choice.format is not HTML:
        count = await run_query(state.runner, lambda cancelled: state.backend.triple_count())
        triples = service_triples(
            endpoint, count=count, federated=bool(settings.allow_service), updates=settings.allow_update
        )
        data = ServiceData(endpoint, settings.base, tuple(triples))
    return SERVICE_RENDERERS.render(
        data, choice.format, headers=choice.headers, pages=state.pages, prefixes=state.prefixes
    )


def service_triples(endpoint: str, *, count: int | None, federated: bool, updates: bool = False) -> list[Triple]:
    """The service description of the endpoint at ``endpoint``."""
    service, dataset, graph = NamedNode(endpoint), BlankNode("dataset"), BlankNode("default")
    triples = [
        Triple(service, A, _sd("Service")),
        Triple(service, _sd("endpoint"), service),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        Triple(service, _sd("defaultDataset"), dataset),
        Triple(dataset, A, _sd("Dataset")),
        Triple(dataset, _sd("defaultGraph"), graph),
        Triple(graph, A, _sd("Graph")),
    ]
    triples += [
        Triple(service, _sd("resultFormat"), NamedNode(iri))
        for iri in (
            "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
            "http://www.w3.org/ns/formats/SPARQL_Results_XML",
            "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
            "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
            "http://www.w3.org/ns/formats/Turtle",
            "http://www.w3.org/ns/formats/N-Triples",
            "http://www.w3.org/ns/formats/JSON-LD",
            "http://www.w3.org/ns/formats/RDF_XML",
        )
    ]
    if updates:
        triples.append(Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    if federated:
        triples.append(Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    if count is not None:
        triples.append(Triple(graph, VOID_TRIPLES, Literal(str(count), datatype=NamedNode(XSD_INTEGER))))
    return triples

