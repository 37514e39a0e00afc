"""Renderers of the pages for people: one data object, written as HTML or as JSON.

The format comes from a ``.json`` suffix, the ``format`` parameter or ``Accept``
(HTML first, so browsers and ``*/*`` get the page), by the one policy of
:mod:`endpoint.formats.negotiation`, never from a second code path: the handler
gathers the data once and :func:`respond` renders it.

>>> from endpoint.pages.views.common import Ref
>>> jsonable({"ref": Ref("http://x/1", "札幌市")})["ref"]["name"]
'札幌市'
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from endpoint.formats.media import HTML, PAGE_JSON
from endpoint.formats.negotiation import Choice
from endpoint.formats.renderers import Renderers
from endpoint.pages.render import Pages, jsonable


def _html(data, fmt, *, pages: Pages, template: str, **context) -> str:
    return pages.render(template, data=data, **context)


def _json(data, fmt, **context) -> bytes:
    return json.dumps(jsonable(data), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


PAGE_RENDERERS = Renderers({HTML: _html, PAGE_JSON: _json})
"""A page's data as HTML (the default) or JSON."""


def page_format(request: Request, suffix: str | None = None) -> Choice:
    """The format of a page, chosen before its data is gathered (so a 404 or 406 costs no query)."""
    return PAGE_RENDERERS.choose(request, suffix)


def respond(pages: Pages, template: str, data, choice: Choice, *, status: int = 200, **context) -> Response:
    """``data`` as the page ``template`` or as JSON, as ``choice`` says; ``params`` in the context
    (the query's) pick the page of the template's long lists."""
    headers = dict(choice.headers)
    if choice.format is HTML:
        headers["Vary"] = "Accept, Accept-Language" if headers.get("Vary") else "Accept-Language"
        headers["Content-Language"] = context.get("lang", "ja")
    return PAGE_RENDERERS.render(
        data, choice.format, status=status, headers=headers, pages=pages, template=template, **context
    )
