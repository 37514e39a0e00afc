"""A link checker: every page reachable from ``/``, fetched in-process, every internal link followed.

Links are ``href`` and ``src`` of the HTML the site serves; those to other hosts
are counted, not followed (the site must work offline). Every internal address
is fetched once, as a browser would (``Accept: text/html``); an answer of 400
or more is broken, a redirect is followed to its target.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

ORIGIN = "http://127.0.0.1:8000"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith(("#", "mailto:", "javascript:")):
                self.links.append(value)


@dataclass
class Crawl:
    pages: int = 0
    """Addresses fetched."""
    html: int = 0
    """Of them, HTML pages read for links."""
    links: int = 0
    """Internal links seen on those pages (with repeats)."""
    external: int = 0
    broken: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Address → (status, a page linking to it)."""
    sizes: dict[str, int] = field(default_factory=dict)
    """Bytes of each HTML page."""
    unlicensed: list[str] = field(default_factory=list)
    """HTML pages that do not link the dataset's licence (``rel="license"``)."""


def _internal(page: str, link: str) -> str | None:
    target = urlsplit(urljoin(ORIGIN + page, link))
    if f"{target.scheme}://{target.netloc}" != ORIGIN:
        return None
    return target.path + (f"?{target.query}" if target.query else "")


async def crawl(app, start: str = "/", *, concurrency: int = 8, limit: int | None = None) -> Crawl:
    """Every address reachable from ``start`` by links, up to ``limit`` addresses."""
    result = Crawl()
    found_on: dict[str, str] = {start: "(start)"}
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait(start)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN, follow_redirects=True, timeout=120) as client:

            async def visit(path: str) -> None:
                response = await client.get(path, headers={"Accept": "text/html"})
                result.pages += 1
                if response.status_code >= 400:
                    result.broken[path] = (response.status_code, found_on[path])
                    return
                if not response.headers.get("content-type", "").startswith("text/html"):
                    return
                result.html += 1
                result.sizes[str(response.url.raw_path.decode())] = len(response.content)
                if 'rel="license"' not in response.text:
                    result.unlicensed.append(path)
                parser = _Links()
                parser.feed(response.text)
                for link in parser.links:
                    target = _internal(path, link)
                    if target is None:
                        result.external += 1
                        continue
                    result.links += 1
                    if target not in found_on and (limit is None or len(found_on) < limit):
                        found_on[target] = path
                        queue.put_nowait(target)

            async def worker() -> None:
                while True:
                    path = await queue.get()
                    try:
                        await visit(path)
                    finally:
                        queue.task_done()

            workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
            await queue.join()
            for task in workers:
                task.cancel()
    return result
