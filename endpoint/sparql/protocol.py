"""Requests of the SPARQL 1.1 Protocol, read off the wire: which operation, what text, which dataset.

One reader serves every way in (the ``/sparql`` and ``/update`` routes and
:mod:`endpoint.sparql.fastpath`), so they all accept and refuse the same things:

- a query comes by GET ``?query=``, by a POSTed form (``query=``) or as a POSTed
  ``application/sparql-query`` body; an update by a POSTed form (``update=``) or an
  ``application/sparql-update`` body, never by GET (400);
- exactly one query or update per request (400 otherwise);
- any other body type is 415, and so is a ``charset`` other than UTF-8; a body
  that is not UTF-8 is 400;
- ``default-graph-uri`` and ``named-graph-uri`` go with queries,
  ``using-graph-uri`` and ``using-named-graph-uri`` with updates, each an
  absolute IRI (400 otherwise);
- while updates are off, every update is 403, after the checks above that do
  not need to read it.

>>> call = Call("GET", {"query": ["ASK {}"], "default-graph-uri": ["http://example.org/g"]}, {}, b"",
...             "http://localhost:8000/sparql")
>>> request = read_request(call)
>>> request.text, request.dataset.default_graphs, request.base_iri
('ASK {}', ('http://example.org/g',), 'http://localhost:8000/sparql')
>>> post = Call("POST", {}, {"content-type": "application/sparql-update"}, b"CLEAR ALL", "http://h/sparql")
>>> read_request(post, allow_update=True).text
'CLEAR ALL'
>>> read_request(post)
Traceback (most recent call last):
...
endpoint.problem.Problem: this endpoint is read-only: SPARQL Update is not accepted
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from pyoxigraph import NamedNode

from endpoint.problem import Problem
from endpoint.sparql.text import host_allowed
from endpoint.store.backends import Dataset

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
WRONG_TYPE = (
    "send a query as application/x-www-form-urlencoded (query=…) or as application/sparql-query,"
    " an update as application/x-www-form-urlencoded (update=…) or as application/sparql-update"
)
QUERY_DATASET = ("default-graph-uri", "named-graph-uri")
UPDATE_DATASET = ("using-graph-uri", "using-named-graph-uri")


@dataclass(frozen=True, slots=True)
class Call:
    """One HTTP request to a protocol endpoint, as it came."""

    method: str
    params: Mapping[str, list[str]]
    """Parameters of the URL's query string."""
    headers: Mapping[str, str]
    """Header values by lower-case name."""
    body: bytes
    endpoint: str
    """The endpoint's own URL, without query: the base IRI of relative IRIs in the text."""
    client: str | None = None
    """The address of the peer."""

    @classmethod
    def from_scope(cls, scope, body: bytes, params: Mapping[str, list[str]]) -> Call:
        """The call of an ASGI ``http`` scope."""
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        host = headers.get("host")
        if not host and scope.get("server"):
            server_host, port = scope["server"]
            host = f"{server_host}:{port}" if port else server_host
        endpoint = f"{scope.get('scheme', 'http')}://{host or 'localhost'}{scope.get('root_path', '')}{scope['path']}"
        client = scope.get("client")
        return cls(scope["method"], params, headers, body, endpoint, client[0] if client else None)


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """One query as the protocol sent it."""

    text: str
    dataset: Dataset = Dataset()
    words: tuple[str, ...] = ()
    """Values of the ``format`` parameter."""
    accept: str | None = None
    base_iri: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateRequest:
    """One update request (one or more operations) as the protocol sent it."""

    text: str
    using: tuple[str, ...] = ()
    """``using-graph-uri``: the graphs whose merge is each operation's default graph."""
    using_named: tuple[str, ...] = ()
    """``using-named-graph-uri``: the named graphs each operation may match."""
    base_iri: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """An answer ready to send."""

    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200


def read_request(
    call: Call, *, allow_update: bool = False, queries: bool = True
) -> QueryRequest | UpdateRequest | None:
    """The operation of ``call``; None for a GET without one (the service description).

    ``queries=False`` is for an endpoint that takes updates only.
    """
    params = call.params
    if call.method == "GET":
        if "update" in params:
            if not allow_update:
                raise Problem(403, READ_ONLY)
            raise Problem(400, "send updates by POST, as a form (update=…) or as application/sparql-update")
        if "query" not in params:
            return None
        return _query(_one(params, "query"), params, call, queries)
    if call.method != "POST":
        raise Problem(405, "use GET or POST", {"Allow": "GET, POST"})
    media_type, charset = _content_type(call.headers.get("content-type", ""))
    if charset is not None and charset not in ("utf-8", "utf8"):
        raise Problem(415, f"send the request body in UTF-8, not {charset}")
    if media_type == FORM:
        merged = {key: list(values) for key, values in params.items()}
        try:
            fields = parse_qs(call.body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise Problem(400, "the form is not UTF-8") from None
        for key, values in fields.items():
            merged.setdefault(key, []).extend(values)
        if "query" in merged and "update" in merged:
            raise Problem(400, "a form carries a `query` or an `update`, not both")
        if "update" in merged:
            return _update(_one(merged, "update"), merged, call, allow_update)
        if "query" in merged:
            return _query(_one(merged, "query"), merged, call, queries)
        raise Problem(400, "a form POST needs a `query` or an `update` field")
    if media_type == SPARQL_QUERY:
        return _query(_body(call.body), params, call, queries)
    if media_type == SPARQL_UPDATE:
        if not allow_update:
            raise Problem(403, READ_ONLY)
        return _update(_body(call.body), params, call, allow_update)
    raise Problem(415, WRONG_TYPE)


def refuse_services(targets, allowed: tuple[str, ...], *, what: str = "SERVICE calls to") -> None:
    """403 for the first target (a ``SERVICE`` or ``LOAD`` IRI) on a host ``allowed`` does not list."""
    for target in targets:
        if not host_allowed(target, allowed):
            where = f"<{target}>" if target else "a host given by a variable"
            raise Problem(
                403,
                f"{what} {where} are not allowed here"
                " (KG_ALLOW_SERVICE lists the hosts the server may call)",
            )


def _query(text: str, params: Mapping[str, list[str]], call: Call, queries: bool) -> QueryRequest:
    if not queries:
        raise Problem(400, "this endpoint takes updates only: send queries to /sparql")
    _refuse(params, UPDATE_DATASET, "an update's")
    dataset = Dataset(_iris(params, "default-graph-uri"), _iris(params, "named-graph-uri"))
    return QueryRequest(text, dataset, tuple(params.get("format", ())), call.headers.get("accept"), call.endpoint)


def _update(text: str, params: Mapping[str, list[str]], call: Call, allow_update: bool) -> UpdateRequest:
    if not allow_update:
        raise Problem(403, READ_ONLY)
    _refuse(params, QUERY_DATASET, "a query's")
    using, named = _iris(params, "using-graph-uri"), _iris(params, "using-named-graph-uri")
    return UpdateRequest(text, using, named, call.endpoint)


def _refuse(params: Mapping[str, list[str]], names: tuple[str, ...], whose: str) -> None:
    for name in names:
        if name in params:
            raise Problem(400, f"`{name}` sets {whose} dataset; it does not go with this operation")


def _iris(params: Mapping[str, list[str]], name: str) -> tuple[str, ...]:
    values = tuple(params.get(name, ()))
    for value in values:
        try:
            NamedNode(value)
        except ValueError:
            raise Problem(400, f"`{name}` {value!r} is not an absolute IRI") from None
    return values


def _one(params: Mapping[str, list[str]], name: str) -> str:
    values = params[name]
    if len(values) > 1:
        raise Problem(400, f"give exactly one `{name}` parameter")
    if not values[0].strip():
        raise Problem(400, f"the `{name}` parameter is empty")
    return values[0]


def _body(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "the request body is not UTF-8") from None
    if not text.strip():
        raise Problem(400, "the request body is empty")
    return text


def _content_type(header: str) -> tuple[str, str | None]:
    """The media type of a ``Content-Type`` header and its charset, both lower-case.

    >>> _content_type("application/sparql-query; charset=UTF-16")
    ('application/sparql-query', 'utf-16')
    """
    media_type, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset
