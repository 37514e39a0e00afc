"""Renderers of the pages for people: one data object, written as HTML or as JSON.

The format comes from a ``.json`` suffix or from ``Accept`` (HTML first, so
browsers and ``*/*`` get the page), never from a second code path: the handler
gathers the data once and :func:`respond` renders it.

>>> from endpoint.views.common import Ref
>>> jsonable({"ref": Ref("http://x/1", "札幌市")})["ref"]["name"]
'札幌市'
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from endpoint.conneg import NotAcceptable, negotiate
from endpoint.downloads import JSON
from endpoint.errors import Problem
from endpoint.formats import HTML, Format
from endpoint.pages import Pages, jsonable

PAGE_FORMATS = (HTML, JSON)
"""Formats of a page for people, the default first."""


def page_format(request: Request, suffix: str | None) -> Format | None:
    """The format a suffix names, or None when the format is to be negotiated."""
    if suffix is None:
        return None
    fmt = Format.parse(suffix, PAGE_FORMATS)
    if fmt is None:
        raise Problem(404, f"no .{suffix} version of this page; try .json, or none for HTML")
    return fmt


def split_suffix(name: str) -> tuple[str, str | None]:
    """``name`` without a ``.json`` or ``.html`` suffix, and that suffix.

    >>> split_suffix("100005.json"), split_suffix("CN")
    (('100005', 'json'), ('CN', None))
    """
    stem, dot, extension = name.rpartition(".")
    if dot and stem and extension.lower() in ("json", "html"):
        return stem, extension.lower()
    return name, None


def respond(
    request: Request, pages: Pages, template: str, data, *, fmt: Format | None = None, status: int = 200, **context
) -> Response:
    """``data`` as the page ``template`` or as JSON, by suffix (``fmt``) or by ``Accept``."""
    negotiated = fmt is None
    if negotiated:
        try:
            fmt = negotiate(request.headers.get("accept"), PAGE_FORMATS)
        except NotAcceptable as error:
            raise Problem(406, str(error), {"Vary": "Accept"}) from None
    headers = {"Vary": "Accept"} if negotiated else {}
    # By value: negotiation caches its answers, and an equal format may come back.
    if fmt == JSON:
        return JSONResponse(jsonable(data), status_code=status, headers=headers)
    return HTMLResponse(pages.render(template, data=data, **context), status_code=status, headers=headers)
