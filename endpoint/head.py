"""``HEAD`` answered like ``GET`` everywhere: same status and headers, no body.

Routes are declared for ``GET`` only; this ASGI middleware, outermost, turns a
``HEAD`` into a ``GET`` for the app below and drops the body it sends, keeping
its ``Content-Length`` (RFC 9110 §9.3.2). Link checkers and harvesters that
probe with ``HEAD`` see what a ``GET`` would get.

>>> import asyncio
>>> async def app(scope, receive, send):
...     await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"5")]})
...     await send({"type": "http.response.body", "body": scope["method"].encode()[:5]})
>>> sent = []
>>> async def send(message): sent.append(message)
>>> asyncio.run(HeadAsGet(app)({"type": "http", "method": "HEAD", "path": "/"}, None, send))
>>> sent[0]["headers"], sent[1]["body"]
([(b'content-length', b'5')], b'')
"""

from __future__ import annotations


class HeadAsGet:
    """ASGI middleware: ``HEAD`` requests run as ``GET``, their answer sent without its body."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        finished = False

        async def headers_only(message) -> None:
            nonlocal finished
            if message["type"] == "http.response.body":
                if finished:
                    return
                finished = not message.get("more_body", False)
                if not finished:
                    return  # the rest of a streamed body is dropped as it comes
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
