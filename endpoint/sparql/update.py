"""SPARQL 1.1 Update, for staging servers: off unless the server runs with ``--allow-update``.

Who may update: with ``KG_UPDATE_TOKEN`` set, a request that shows it as
``Authorization: Bearer <token>`` (401 otherwise); without a token, only a
client on the loopback interface, and ``kg serve`` refuses to allow updates
on any other address without one (:func:`exposure`).

What an update sees: the protocol's ``using-graph-uri`` and
``using-named-graph-uri`` become ``USING`` and ``USING NAMED`` clauses of each
``DELETE``/``INSERT … WHERE`` operation (a ``DELETE WHERE`` is first spelled out
as ``DELETE {…} WHERE {…}``, its long form); an update that names its own
dataset with ``USING`` or ``WITH`` as well is 400, as the protocol requires.
Relative IRIs resolve against the endpoint's URL. ``LOAD`` and ``SERVICE`` may
only call the hosts ``KG_ALLOW_SERVICE`` lists, like queries.

An update applies in full or not at all, and is answered ``204 No Content``.
The engine cannot stop an update once started: one past ``KG_QUERY_TIMEOUT``
is answered 503 and may still be applied.

>>> print(apply_dataset("DELETE WHERE { ?s ?p ?o }", using=("http://example.org/g",)))
DELETE { ?s ?p ?o } USING <http://example.org/g> WHERE { ?s ?p ?o }
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from fastapi import APIRouter
from fastapi.responses import Response
from pyoxigraph import NamedNode

from endpoint.errors import run_query
from endpoint.problem import Problem
from endpoint.settings import ServeSettings
from endpoint.sparql.protocol import (
    READ_ONLY,
    SPARQL_UPDATE,
    Call,
    Reply,
    UpdateRequest,
    refuse_services,
)
from endpoint.sparql.text import Prologue, TooComplex, check_size, lex, scan
from endpoint.store.backends import Backend

router = APIRouter(tags=["SPARQL"])

DATASET_CONFLICT = (
    "`using-graph-uri` and `using-named-graph-uri` cannot be combined with USING, USING NAMED or WITH"
    " in the update itself"
)


def is_loopback(host: str | None) -> bool:
    """Whether an address (or ``localhost``) is on the loopback interface.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure(settings: ServeSettings) -> str | None:
    """Why these settings may not serve updates, or None when they may."""
    if settings.allow_update and settings.update_token is None and not is_loopback(settings.host):
        return (
            f"--allow-update on {settings.host} needs a bearer token: set KG_UPDATE_TOKEN"
            " (without one, updates are only allowed on a loopback address)"
        )
    return None


def _host_name(value: str) -> str:
    """The host of a ``Host`` header or of an origin's authority, without the port.

    >>> _host_name("[::1]:8000"), _host_name("localhost:80"), _host_name("kg.example")
    ('::1', 'localhost', 'kg.example')
    """
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _same_origin(headers: Mapping[str, str]) -> bool:
    """Whether a browser, if one sent this, sent it from a page of this very server."""
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser's cross-site request: those always say where they come from
    return urlsplit(origin).netloc.lower() == headers.get("host", "").strip().lower()


def authorise(settings: ServeSettings, headers: Mapping[str, str], client: str | None) -> None:
    """Raise 401 or 403 unless this client may update.

    With a token, the request must show it. Without one, only a client on the
    loopback interface, through a loopback name or the base's host (so a web page
    whose name resolves to 127.0.0.1 cannot), and from no other site's page.
    """
    token = settings.update_token
    if token is None:
        if not is_loopback(client):
            raise Problem(403, "updates from other hosts need a bearer token: the server must set KG_UPDATE_TOKEN")
        host = _host_name(headers.get("host", ""))
        known = {urlsplit(settings.base).hostname or "", *(_host_name(h) for h in settings.allowed_hosts)}
        if not (is_loopback(host) or host in known):
            raise Problem(403, f"updates must come through a loopback address, not the host name {host!r}")
        if not _same_origin(headers):
            raise Problem(403, "updates from another site's pages are refused: send them from this server or with a token")
        return
    scheme, _, given = (headers.get("authorization") or "").partition(" ")
    expected = token.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected):
        raise Problem(
            401,
            "updates need the header `Authorization: Bearer <token>` with the server's KG_UPDATE_TOKEN",
            {"WWW-Authenticate": 'Bearer realm="sparql-update"'},
        )


def load_sources(text: str) -> list[str | None]:
    """The IRI of every ``LOAD`` of an update, wherever it stands (None when not resolvable).

    >>> load_sources('VERSION "1.2" PREFIX e: <http://e.org/> LOAD SILENT e:x ; LOAD <http://f.org/y> INTO GRAPH <g:1>')
    ['http://e.org/x', 'http://f.org/y']
    >>> load_sources('INSERT DATA { <a:s> <a:p> "LOAD <http://x/>" }')
    []
    """
    tokens = list(lex(text))
    prologue, depth, found = Prologue(), 0, []
    for position, (kind, value, _) in enumerate(tokens):
        if kind == "other" and value in "{}":
            depth += 1 if value == "{" else -1
        elif kind != "word" or depth:
            continue
        word = value.upper()
        if word in ("BASE", "PREFIX"):
            prologue.declare(word, tokens, position + 1)
        elif word == "LOAD":
            following = position + 1
            if following < len(tokens) and tokens[following][0] == "word" and tokens[following][1].upper() == "SILENT":
                following += 1
            found.append(prologue.resolve(tokens[following]) if following < len(tokens) else None)
    return found


@dataclass(slots=True)
class Operation:
    """One operation of an update request, located in its text."""

    start: int
    kind: str
    """``modify`` (DELETE/INSERT … WHERE), ``delete-where``, ``data`` (INSERT/DELETE DATA), ``load`` or ``graph``."""
    where: int | None = None
    """Offset of the ``WHERE`` keyword (``modify``, ``delete-where``)."""
    block: tuple[int, int] | None = None
    """Span of the quad pattern of a ``DELETE WHERE``, braces included."""
    own_dataset: bool = False
    """Whether the operation says ``USING`` or ``WITH``."""
    source: str | None = None
    """The IRI a ``LOAD`` reads (None if it could not be resolved)."""


def operations(text: str) -> list[Operation]:
    """The operations of an update request, found by a scan of its tokens.

    >>> [op.kind for op in operations("CLEAR ALL ; INSERT DATA { <a:s> <a:p> 1 } ; WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")]
    ['graph', 'data', 'modify']
    """
    tokens = list(lex(text))
    found: list[Operation] = []
    current: Operation | None = None
    prologue = Prologue()
    depth, position = 0, 0
    opened: int | None = None
    while position < len(tokens):
        kind, value, offset = tokens[position]
        position += 1
        if kind == "other" and value in ("{", "}"):
            if value == "{":
                if depth == 0 and current and current.kind == "delete-where" and current.block is None:
                    opened = offset
                depth += 1
            else:
                depth -= 1
                if depth == 0 and opened is not None and current is not None:
                    current.block, opened = (opened, offset + 1), None
            continue
        if depth:
            continue
        if kind == "other" and value == ";":
            current = None
            continue
        following = tokens[position] if position < len(tokens) else ("", "", len(text))
        word = value.upper() if kind == "word" else ""
        if word in ("BASE", "PREFIX"):
            position = prologue.declare(word, tokens, position) or position
        elif current is None and word:
            current = Operation(offset, "graph")
            found.append(current)
            following_word = following[1].upper() if following[0] == "word" else ""
            if word in ("INSERT", "DELETE") and following_word == "DATA":
                current.kind = "data"
            elif word == "DELETE" and following_word == "WHERE":
                current.kind, current.where = "delete-where", following[2]
                position += 1
            elif word in ("INSERT", "DELETE", "WITH"):
                current.kind, current.own_dataset = "modify", word == "WITH"
            elif word == "LOAD":
                current.kind = "load"
                if following_word == "SILENT":
                    position += 1
                    following = tokens[position] if position < len(tokens) else ("", "", len(text))
                current.source = prologue.resolve(following)
        elif current is not None and word == "USING":
            current.own_dataset = True
        elif current is not None and word == "WHERE" and current.kind == "modify" and current.where is None:
            current.where = offset
    return found


def apply_dataset(text: str, *, using: tuple[str, ...] = (), using_named: tuple[str, ...] = ()) -> str:
    """The update with the protocol's dataset written into each operation that matches patterns."""
    if not using and not using_named:
        return text
    found = operations(text)
    if any(op.own_dataset for op in found):
        raise Problem(400, DATASET_CONFLICT)
    clause = " ".join(
        [f"USING {NamedNode(iri)}" for iri in using] + [f"USING NAMED {NamedNode(iri)}" for iri in using_named]
    )
    edits: list[tuple[int, int, str]] = []
    for op in found:
        if op.kind == "modify" and op.where is not None:
            edits.append((op.where, op.where, clause + " "))
        elif op.kind == "delete-where" and op.block is not None and op.block[1] > op.block[0]:
            pattern = text[op.block[0]:op.block[1]]
            edits.append((op.start, op.block[1], f"DELETE {pattern} {clause} WHERE {pattern}"))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _run(backend: Backend, request: UpdateRequest, settings: ServeSettings, cancelled) -> None:
    # Off the event loop: the scans read the whole text.
    text = request.text
    if len(text) > settings.query_max_length:
        raise Problem(400, f"the update is longer than the limit of {settings.query_max_length:,} bytes (KG_QUERY_MAX_LENGTH)")
    try:
        check_size(text, max_length=settings.query_max_length, max_depth=settings.query_max_depth)
    except TooComplex as error:
        raise Problem(400, str(error).replace("query", "update", 1)) from None
    text = apply_dataset(text, using=request.using, using_named=request.using_named)
    calls_out = "service" in text.lower() or "load" in text.lower()
    if calls_out:
        refuse_services(scan(text).services, settings.allow_service)
        refuse_services(load_sources(text), settings.allow_service, what="LOAD calls to")
    try:
        backend.update(text, base_iri=request.base_iri)
    except SyntaxError as error:
        raise Problem(400, f"SPARQL syntax error: {error}") from None
    except (RuntimeError, OSError, ValueError) as error:
        if calls_out:
            # What a failed call says (refused, unreachable, timed out) would map the hosts it can reach.
            raise Problem(500, "the update failed: a LOAD or SERVICE call did not succeed") from None
        raise Problem(500, f"the update failed: {error}") from None


async def answer_update(state, request: UpdateRequest, call: Call) -> Reply:
    """Check, authorise and apply one update request; ``state`` is the app's state."""
    settings: ServeSettings = state.settings
    if not settings.allow_update:
        raise Problem(403, READ_ONLY)
    authorise(settings, call.headers, call.client)
    try:
        await run_query(state.runner, partial(_run, state.backend, request, settings))
    except Problem as problem:
        if problem.status == 503:
            raise Problem(503, f"{problem.detail}; the update may still be applied") from None
        raise
    return Reply(b"", {}, 204)


def _parameter(name: str, description: str) -> dict:
    schema = {"type": "array", "items": {"type": "string"}}
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


USING_PARAMETERS = [
    _parameter("using-graph-uri", "A graph of each update operation's default graph (as USING)"),
    _parameter("using-named-graph-uri", "A named graph each update operation may match (as USING NAMED)"),
]


UPDATE_POST = {
    "summary": "Run a SPARQL update (only on servers started with --allow-update)",
    "tags": ["SPARQL"],
    **{
        "parameters": USING_PARAMETERS,
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {"update": {"type": "string"}},
                        "required": ["update"],
                    }
                },
                SPARQL_UPDATE: {"schema": {"type": "string"}},
            },
        },
    },
    "responses": {
        "204": {"description": "The update was applied"},
        "400": {"description": "Syntax error, not one update, or a dataset given twice"},
        "401": {"description": "A token is set and the request does not show it"},
        "403": {"description": "Updates are off, or LOAD/SERVICE to a host not allowed"},
        "415": {"description": "Neither a form nor application/sparql-update, or not UTF-8"},
    },
}
"""The OpenAPI operation of ``POST /update``, which :mod:`endpoint.sparql.fastpath` answers."""


@router.get("/update", include_in_schema=False)
async def update_get() -> Response:
    raise Problem(405, "send updates by POST, as a form (update=…) or as application/sparql-update", {"Allow": "POST"})
