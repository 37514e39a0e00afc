"""One query from text to bytes: checked, run and serialised, in whichever thread or process runs it.

The same function answers in a worker process of :mod:`endpoint.sparql.workers`
and in a thread of the server (updates allowed, or a store held in memory), so
every query meets the same checks, all of them off the event loop: its length
and nesting depth before any text reaches the engine (400), updates sent as
queries (400, or 403 when updates are off), ``SERVICE`` calls to hosts not
allowed (403), then the format (406), the run and the result cap.

>>> from endpoint.store.backends import EmbeddedStore
>>> limits = Limits(result_limit=10, max_length=1000, max_depth=20)
>>> reply = execute(EmbeddedStore.from_text(""), QueryRequest("ASK {}", accept="text/csv"), limits)
>>> reply.body, reply.headers["Content-Type"]
(b'true\\n', 'text/csv; charset=utf-8')
>>> execute(EmbeddedStore.from_text(""), QueryRequest("ASK " + "{" * 30 + "}" * 30), limits)
Traceback (most recent call last):
...
endpoint.problem.Problem: the query nests deeper than the limit of 20 levels (KG_QUERY_MAX_DEPTH): brackets, operators and UNIONs each count
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial

from pyoxigraph import QueryBoolean, QuerySolutions

from endpoint.errors import problem_of
from endpoint.formats import negotiation
from endpoint.formats.graphs import write_graph
from endpoint.formats.media import GRAPHS, RESULTS, Format, Kind
from endpoint.formats.results import write_boolean, write_solutions
from endpoint.problem import Problem
from endpoint.sparql.protocol import READ_ONLY, QueryRequest, Reply, refuse_services
from endpoint.sparql.text import TooComplex, check_size, scan
from endpoint.store.backends import Backend

AN_UPDATE = "this is an update: send it as a form field `update` or as application/sparql-update"


@dataclass(frozen=True, slots=True)
class Limits:
    """What one query may be and do (from :class:`~endpoint.settings.ServeSettings`)."""

    result_limit: int
    max_length: int
    max_depth: int
    allow_service: tuple[str, ...] = ()
    allow_update: bool = False
    prefixes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, settings, prefixes: dict[str, str]) -> Limits:
        return cls(
            settings.result_limit, settings.query_max_length, settings.query_max_depth,
            tuple(settings.allow_service), settings.allow_update, dict(prefixes),
        )


class _Picker(dict):
    """Formats chosen per kind of result, negotiated only when asked for."""

    def __init__(self, words: tuple[str, ...], accept: str | None):
        super().__init__()
        self.words, self.accept = words, accept

    def __missing__(self, kind: Kind) -> Format:
        fmt = negotiation.pick(RESULTS if kind is Kind.RESULTS else GRAPHS, words=self.words, accept=self.accept).format
        self[kind] = fmt
        return fmt


def check_text(text: str, limits: Limits) -> str | None:
    """Refuse text too long or too deep, updates and SERVICE calls to hosts not allowed; the form, if known."""
    try:
        check_size(text, max_length=limits.max_length, max_depth=limits.max_depth)
    except TooComplex as error:
        raise Problem(400, str(error)) from None
    if "service" not in text.lower():
        return None  # the scan costs as much as a lookup; a failed parse runs it below
    return _scan(text, limits)


def _scan(text: str, limits: Limits) -> str | None:
    found = scan(text)
    if found.form == "UPDATE":
        raise Problem(400, AN_UPDATE) if limits.allow_update else Problem(403, READ_ONLY)
    refuse_services(found.services, limits.allow_service)
    return found.form


def _answer(backend: Backend, request: QueryRequest, limits: Limits, pick: _Picker, form, cancelled):
    text = request.text
    # With the form known, negotiate before running, so a 406 costs nothing.
    if form in ("CONSTRUCT", "DESCRIBE"):
        pick[Kind.GRAPH]
    elif form in ("SELECT", "ASK"):
        pick[Kind.RESULTS]
    result = backend.query(text, dataset=request.dataset, base_iri=request.base_iri)
    if isinstance(result, QueryBoolean):
        fmt = pick[Kind.RESULTS]
        return fmt, write_boolean(bool(result), fmt)
    if isinstance(result, QuerySolutions):
        fmt = pick[Kind.RESULTS]
        rerun = partial(backend.query, text, dataset=request.dataset, base_iri=request.base_iri)
        return fmt, write_solutions(result, fmt, limit=limits.result_limit, cancelled=cancelled, rerun=rerun)
    fmt = pick[Kind.GRAPH]
    return fmt, write_graph(result, fmt, prefixes=limits.prefixes, limit=limits.result_limit, cancelled=cancelled)


def execute(backend: Backend, request: QueryRequest, limits: Limits, cancelled: threading.Event | None = None) -> Reply:
    """The answer to one query: checked, run, serialised; failures as :class:`Problem`."""
    form = check_text(request.text, limits)
    pick = _Picker(request.words, request.accept)
    problem = None
    try:
        fmt, answer = _answer(backend, request, limits, pick, form, cancelled)
    except Problem as raised:
        problem = raised
    except Exception as error:
        problem = problem_of(error)
        if problem is None:
            raise
    if problem is not None:
        # Raised here, out of the handler: the engine's results, which only their own
        # thread may drop, stay in the frames of the error above and go with them.
        problem.__traceback__ = problem.__context__ = None
        if problem.status == 400 and form is None:
            _scan(request.text, limits)  # an update sent as a query says so
        raise problem
    headers = {"Content-Type": fmt.content_type, "Vary": "Accept", "X-Result-Limit": str(limits.result_limit)}
    if answer.truncated:
        headers["X-Result-Truncated"] = "true"
    return Reply(answer.body, headers)
