"""Errors as answers: a :class:`~endpoint.problem.Problem`, rendered as plain text or a page.

Browsers get an HTML page, every other client a line of plain text that says
what went wrong and how to do it right.

>>> problem_reply(Problem(406, "nothing fits"), "text/plain", None)[1]
b'406 Not Acceptable: nothing fits\\n'
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http import HTTPStatus
from typing import TypeVar

from fastapi import Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from endpoint.formats.media import HTML, PLAIN
from endpoint.formats.negotiation import NotAcceptable, negotiate
from endpoint.problem import Problem
from endpoint.runner import QueryTimeout, Runner
from endpoint.store.backends import BackendError, BackendTimeout

T = TypeVar("T")


def problem_of(error: Exception) -> Problem | None:
    """The :class:`Problem` a failure of store work answers, or None for a bug."""
    if isinstance(error, Problem):
        return error
    if isinstance(error, QueryTimeout):
        return Problem(503, str(error))
    if isinstance(error, BackendTimeout):
        return Problem(504, str(error))
    if isinstance(error, BackendError):
        return Problem(502, str(error))
    if isinstance(error, NotAcceptable):
        return Problem(406, str(error))
    if isinstance(error, SyntaxError):
        return Problem(400, f"SPARQL syntax error: {error}")
    if isinstance(error, (RuntimeError, OSError, ValueError)):
        # The engine's evaluation errors (an unbound SERVICE name, a failed remote call…).
        return Problem(500, f"the query failed: {error}")
    return None


async def run_query(runner: Runner, job: Callable[[threading.Event], T]) -> T:
    """Run store work under the time limit, turning its failures into :class:`Problem`."""
    try:
        return await runner.run(job)
    except Exception as error:
        problem = problem_of(error)
        if problem is None:
            raise
        raise problem from None


def problem_reply(problem: Problem, accept: str | None, pages, language: tuple[str | None, str | None] = (None, None),
                  ) -> tuple[str, bytes, dict[str, str]]:
    """Content type, body and headers of the answer to ``problem``; a page is in the language
    ``language`` asks (the ``lang`` parameter and ``Accept-Language``)."""
    headers = {"Vary": "Accept", **problem.headers}
    try:
        as_page = negotiate(accept, (PLAIN, HTML)) is HTML
    except NotAcceptable:
        as_page = False
    if as_page and pages is not None:
        return HTML.content_type, pages.message(problem.status, problem.title, problem.detail, *language).encode(), headers
    text = f"{problem.status} {problem.title}: {problem.detail}\n"
    return PLAIN.content_type, text.encode(), headers


def render_problem(request: Request, problem: Problem) -> Response:
    """The answer for ``problem``: a page for browsers, plain text for everyone else."""
    pages = getattr(request.app.state, "pages", None)
    language = (request.query_params.get("lang"), request.headers.get("accept-language"))
    media_type, body, headers = problem_reply(problem, request.headers.get("accept"), pages, language)
    return Response(body, problem.status, headers=headers, media_type=media_type)


async def problem_handler(request: Request, problem: Problem) -> Response:
    return render_problem(request, problem)


async def http_exception_handler(request: Request, error: HTTPException) -> Response:
    # Routing errors (unknown path, wrong method) look like every other error.
    detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    return render_problem(request, Problem(error.status_code, detail, dict(error.headers or {})))

