"""The one exception of the web layer: an HTTP status with a message for the client.

Raised anywhere below the routes (negotiation, the protocol, the store's
failures) and answered by :mod:`endpoint.errors` as plain text or a page.

>>> problem = Problem(406, "nothing fits")
>>> problem.status, problem.title
(406, 'Not Acceptable')
"""

from __future__ import annotations

from http import HTTPStatus


class Problem(Exception):
    """An HTTP error with a message for the client."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}

    @property
    def title(self) -> str:
        return HTTPStatus(self.status).phrase
