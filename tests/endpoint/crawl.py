"""A link checker: every page reachable from ``/``, fetched in-process, every internal link followed.

Links are ``href`` and ``src`` of the HTML the site serves, and the ``action`` of its GET forms; those to other hosts
are counted, not followed (the site must work offline). Every internal address
is fetched once, as a browser would (``Accept: text/html``); an answer of 400
or more is broken, a redirect is followed to its target. With ``per_family``,
at most that many addresses of each family (the path with its identifiers
starred and the names of its query parameters: ``/id/lg/*``,
``/prefecture/*?page``) are fetched: every kind of page and link, not every
instance of it.

>>> family("/id/place/CN/CN-HE/%E6%89%BF"), family("/prefecture/130001?page=2&kind=x"), family("/search?q=a")
('/id/place/*/*/*', '/prefecture/*?kind&page', '/search?q')
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
        found = dict(attrs)
        if tag == "form" and (found.get("method") or "get").lower() == "get" and found.get("action"):
            self.links.append(found["action"])  # where a search or filter form goes, without its fields
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
    skipped: int = 0
    """Links not followed (with repeats): their family had its share."""
    broken: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Address → (status, a page linking to it)."""
    sizes: dict[str, int] = field(default_factory=dict)
    """Bytes of each HTML page."""
    unlicensed: list[str] = field(default_factory=list)
    """HTML pages that do not link the dataset's licence (``rel="license"``)."""


def family(path: str) -> str:
    """The kind of an address: its first two segments, the rest starred, and its parameters' names."""
    target = urlsplit(path)
    segments = target.path.split("/")
    head = segments[:3] if target.path.startswith(("/id/", "/def/", "/download/")) else segments[:2]
    shown = "/".join(head + ["*"] * (len(segments) - len(head)))
    names = sorted({pair.split("=", 1)[0] for pair in target.query.split("&") if pair})
    return shown + ("?" + "&".join(names) if names else "")


def _internal(page: str, link: str) -> str | None:
    target = urlsplit(urljoin(ORIGIN + page, link))
    if f"{target.scheme}://{target.netloc}" != ORIGIN:
        return None
    return target.path + (f"?{target.query}" if target.query else "")


async def crawl(
    app, start: str = "/", *, concurrency: int = 4, limit: int | None = None, per_family: int | None = None,
) -> Crawl:
    """Every address reachable from ``start`` by links, up to ``limit`` addresses and ``per_family`` of each family."""
    result = Crawl()
    families: dict[str, int] = {}
    found_on: dict[str, str] = {start: "(start)"}
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait(start)
    async with app.router.lifespan_context(app):
        # A server error comes back as a 500 to record, not as an exception in the crawler.
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
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
                    if target in found_on or (limit is not None and len(found_on) >= limit):
                        continue
                    kind = family(target)
                    if per_family is not None and families.get(kind, 0) >= per_family:
                        result.skipped += 1
                        continue
                    families[kind] = families.get(kind, 0) + 1
                    found_on[target] = path
                    queue.put_nowait(target)

            async def worker() -> None:
                while True:
                    path = await queue.get()
                    try:
                        await visit(path)
                    except Exception as error:  # noqa: BLE001 - a failure is a finding, not the end of the crawl
                        result.broken[path] = (599, f"{found_on[path]}: {type(error).__name__}: {error}")
                    finally:
                        queue.task_done()

            workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
            await queue.join()
            for task in workers:
                task.cancel()
    return result
