"""A link checker: every address reachable from ``/``, fetched in-process, every internal link followed.

Links are the ``href`` and ``src`` of the HTML the site serves and the ``action``
of its GET forms; those to other hosts are counted, not followed (the site must
work offline). Every internal address is fetched once: a page (a link without a
file suffix) by ``GET`` as a browser asks for it (``Accept: text/html``), and
read once, with lxml, for its links, its size, its licence link and, on English
pages, any Japanese text outside an element marked with another language; a
file, a picture, a style sheet or another format of a resource (``.ttl``,
``.json``, ``src``, ``rel="stylesheet"``) by ``HEAD``, which the site answers
like ``GET``. An answer of 400 or more is broken; a redirect is followed.

The site runs in the crawling process (``httpx.ASGITransport``, no sockets),
in as many processes as the machine has cores when given settings rather
than an app: each process serves and reads its share of the addresses, one
process keeps the list of addresses seen.

>>> fetched_by("/id/lg/102016", "a", {}), fetched_by("/id/lg/102016.ttl", "a", {}), fetched_by("/static/site.css", "link", {"rel": "stylesheet"})
('GET', 'HEAD', 'HEAD')
>>> foreign_text('<html lang="en"><body><p>Kind: <span lang="ja">姉妹都市</span></p><p>検索</p></body></html>')
['検索']
"""

from __future__ import annotations

import asyncio
import os
import re
import zlib
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from urllib.parse import urljoin, urlsplit

import httpx
import lxml.html

ORIGIN = "http://127.0.0.1:8000"
JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]+")
"""Kana, kanji and the CJK punctuation and full-width forms."""
SHOWN_TEXT = ("title", "alt", "placeholder", "aria-label")
"""Attributes a reader sees, read for Japanese like element text."""
UNREAD = {"script", "style", "textarea"}
"""Elements whose text is not prose shown to readers: code, and what a reader types (a query to edit)."""
PICTURES = {"map", "network", "world", "chart"}
"""Classes of the figures the picture modules draw (maps, networks, charts): read apart, see :class:`Visit`."""


@dataclass(slots=True)
class Visit:
    """What one address answered, and what its page links to."""

    path: str
    method: str
    status: int = 0
    final: str = ""
    """The address answered after redirects."""
    content_type: str = ""
    size: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)
    """Internal ``(address, method)`` pairs, in page order, repeats kept."""
    external: int = 0
    licensed: bool = True
    language: str = ""
    foreign: list[str] = field(default_factory=list)
    """On an English page, the Japanese texts outside elements of another language."""
    foreign_in_pictures: list[str] = field(default_factory=list)
    """The same, inside the figures of :data:`PICTURES`."""
    error: str = ""


@dataclass
class Crawl:
    pages: int = 0
    """Addresses fetched."""
    html: int = 0
    """Of them, HTML pages read for links."""
    heads: int = 0
    """Of them, fetched by ``HEAD``."""
    english: int = 0
    """HTML pages in English."""
    links: int = 0
    """Internal links seen on the pages (with repeats)."""
    external: int = 0
    broken: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Address → (status, a page linking to it)."""
    sizes: dict[str, int] = field(default_factory=dict)
    """Bytes of each HTML page, by the address it answered at."""
    unlicensed: list[str] = field(default_factory=list)
    """HTML pages that do not link the dataset's licence (``rel="license"``)."""
    untranslated: dict[str, list[str]] = field(default_factory=dict)
    """English page → the Japanese texts it shows outside elements marked with another language."""
    untranslated_pictures: dict[str, list[str]] = field(default_factory=dict)
    """The same inside its maps, networks and charts."""
    families: Counter = field(default_factory=Counter)
    """Addresses fetched, by :func:`family`."""
    seconds: float = 0.0


def family(path: str) -> str:
    """The kind of an address: its first two segments, the rest starred, and its parameters' names.

    >>> family("/id/place/CN/CN-HE/%E6%89%BF"), family("/prefecture/130001?page=2&kind=x"), family("/search?q=a")
    ('/id/place/*/*/*', '/prefecture/*?kind&page', '/search?q')
    """
    target = urlsplit(path)
    segments = target.path.split("/")
    head = segments[:3] if target.path.startswith(("/id/", "/def/", "/download/")) else segments[:2]
    shown = "/".join(head + ["*"] * (len(segments) - len(head)))
    names = sorted({pair.split("=", 1)[0] for pair in target.query.split("&") if pair})
    return shown + ("?" + "&".join(names) if names else "")


def internal(page: str, link: str) -> str | None:
    """``link`` on ``page`` as a path and query of this site, or None when it leads elsewhere.

    >>> internal("/a/b", "/c?d#e"), internal("/a/b", "c"), internal("/a/b", "?p=2"), internal("/a", "https://x.org/")
    ('/c?d', '/a/c', '/a/b?p=2', None)
    """
    if link.startswith("/") and not link.startswith("//"):  # most links: a path of this site
        return link.split("#", 1)[0]
    target = urlsplit(urljoin(ORIGIN + page, link))
    if f"{target.scheme}://{target.netloc}" != ORIGIN:
        return None
    return target.path + (f"?{target.query}" if target.query else "")


def fetched_by(path: str, tag: str, attributes) -> str:
    """``HEAD`` for what is not a page (a file suffix, a ``src``, a style sheet or icon), ``GET`` for pages."""
    if tag in ("img", "script", "iframe", "source") or (attributes.get("rel") or "") in ("stylesheet", "icon"):
        return "HEAD"
    if (attributes.get("type") or "text/html") != "text/html":
        return "HEAD"
    last = urlsplit(path).path.rsplit("/", 1)[-1]
    return "HEAD" if "." in last and not last.endswith(".html") else "GET"


def _foreign(element, language: str, found: list[str], pictures: list[str] | None = None) -> None:
    if pictures is not None and element.tag == "figure" and PICTURES & set((element.get("class") or "").split()):
        _foreign(element, language, pictures)
        return
    language = (element.get("lang") or language).lower()
    english = language.startswith("en")
    if english:
        for name in SHOWN_TEXT:
            found.extend(JAPANESE.findall(element.get(name) or ""))
        if element.text and element.tag not in UNREAD:
            found.extend(JAPANESE.findall(element.text))
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            if english and child.tail:
                found.extend(JAPANESE.findall(child.tail))
            continue
        _foreign(child, language, found, pictures)
        if english and child.tail:
            found.extend(JAPANESE.findall(child.tail))


def foreign_text(html: str | bytes) -> list[str]:
    """The Japanese texts of an HTML page shown outside elements marked with a language other than English."""
    found: list[str] = []
    root = lxml.html.document_fromstring(html)
    _foreign(root, root.get("lang") or "", found)
    return found


def read_page(visit: Visit, body: bytes) -> None:
    """Fill ``visit`` from its HTML: links, licence, language and Japanese left in an English page."""
    root = lxml.html.document_fromstring(body)
    visit.language = root.get("lang") or ""
    visit.licensed = False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        attributes = element.attrib
        if "license" in (attributes.get("rel") or "").split():
            visit.licensed = True
        values = [attributes.get("href"), attributes.get("src")]
        if element.tag == "form" and (attributes.get("method") or "get").lower() == "get":
            values.append(attributes.get("action"))  # where a search or filter form goes, without its fields
        for value in values:
            if not value or value.startswith(("#", "mailto:", "javascript:", "data:")):
                continue
            target = internal(visit.final, value)
            if target is None:
                visit.external += 1
            else:
                visit.links.append((target, fetched_by(target, element.tag, attributes)))
    if visit.language.lower().startswith("en"):
        _foreign(root, visit.language, visit.foreign, visit.foreign_in_pictures)


class Fetcher:
    """Fetches addresses from an ASGI app in this process (its lifespan entered on ``start``)."""

    def __init__(self, app):
        self.app = app

    async def start(self) -> None:
        self._lifespan = self.app.router.lifespan_context(self.app)
        await self._lifespan.__aenter__()
        # A server error comes back as a 500 to record, not as an exception in the crawler.
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
        self.client = httpx.AsyncClient(transport=transport, base_url=ORIGIN, follow_redirects=True, timeout=120)

    async def stop(self) -> None:
        await self.client.aclose()
        await self._lifespan.__aexit__(None, None, None)

    async def visit(self, path: str, method: str) -> Visit:
        visit = Visit(path, method)
        try:
            response = await self.client.request(method, path, headers={"Accept": "text/html"})
            visit.status = response.status_code
            visit.final = response.url.raw_path.decode()
            visit.content_type = response.headers.get("content-type", "")
            if method == "GET" and visit.status < 400 and visit.content_type.startswith("text/html"):
                visit.size = len(response.content)
                read_page(visit, response.content)
        except Exception as error:  # noqa: BLE001 - a failure is a finding, not the end of the crawl
            visit.status, visit.error = 599, f"{type(error).__name__}: {error}"
        return visit

    async def visit_all(self, batch: list[tuple[str, str]]) -> list[Visit]:
        return list(await asyncio.gather(*(self.visit(path, method) for path, method in batch)))


def stem(path: str) -> str:
    """The resource an address is a view of: its path without query or file suffix.

    >>> stem("/id/lg/102016.ttl"), stem("/id/lg/102016?lang=en"), stem("/prefecture/100005?page=2")
    ('/id/lg/102016', '/id/lg/102016', '/prefecture/100005')
    """
    path = path.split("?", 1)[0]
    head, _, last = path.rpartition("/")
    return f"{head}/{last.split('.', 1)[0]}" if last else path


class _Frontier:
    """The addresses seen, those still to fetch (one queue per process), and the findings so far.

    Addresses go to the queue of their :func:`stem`, and a page's own other
    views (its other language, its other formats, its other pages) go to the front:
    one process serves them one after another, from the description it just gathered.
    """

    def __init__(self, start: str, progress=None, queues: int = 1):
        self.result = Crawl()
        self.progress = progress
        self.found_on: dict[str, str] = {start: "(start)"}
        self.todo: list[deque[tuple[str, str]]] = [deque() for _ in range(queues)]
        self.todo[self.queue_of(start)].append((start, "GET"))

    def queue_of(self, path: str) -> int:
        return zlib.crc32(stem(path).encode()) % len(self.todo)

    def left(self) -> int:
        return sum(len(queue) for queue in self.todo)

    def take(self, queue: int, count: int) -> list[tuple[str, str]]:
        todo = self.todo[queue]
        return [todo.popleft() for _ in range(min(count, len(todo)))]

    def record(self, visit: Visit) -> None:
        result = self.result
        result.pages += 1
        if self.progress is not None and result.pages % 1000 == 0:
            self.progress(result, self.left())
        result.families[family(visit.path)] += 1
        result.heads += visit.method == "HEAD"
        if visit.status >= 400:
            where = self.found_on[visit.path]
            result.broken[visit.path] = (visit.status, f"{where}: {visit.error}" if visit.error else where)
            return
        if visit.final != visit.path:
            self.found_on.setdefault(visit.final, visit.path)  # a redirect's target is not fetched again
        if not visit.size:
            return
        result.html += 1
        result.english += visit.language.startswith("en")
        result.sizes[visit.final] = visit.size
        result.external += visit.external
        result.links += len(visit.links)
        if not visit.licensed:
            result.unlicensed.append(visit.final)
        if visit.foreign:
            result.untranslated[visit.final] = visit.foreign
        if visit.foreign_in_pictures:
            result.untranslated_pictures[visit.final] = visit.foreign_in_pictures
        own = stem(visit.final)
        for target, method in visit.links:
            if target not in self.found_on:
                self.found_on[target] = visit.final
                queue = self.todo[self.queue_of(target)]
                if stem(target) == own:
                    queue.appendleft((target, method))
                else:
                    queue.append((target, method))


async def _crawl_app(app, start: str, concurrency: int, progress) -> Crawl:
    frontier = _Frontier(start, progress)
    fetcher = Fetcher(app)
    await fetcher.start()
    try:
        running: set[asyncio.Task] = set()
        while frontier.left() or running:
            for path, method in frontier.take(0, concurrency - len(running)):
                running.add(asyncio.ensure_future(fetcher.visit(path, method)))
            done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                frontier.record(task.result())
    finally:
        await fetcher.stop()
    return frontier.result


_worker: tuple[asyncio.AbstractEventLoop, Fetcher] | None = None


def _start_worker(settings) -> None:
    global _worker
    from endpoint.app import create_app

    loop = asyncio.new_event_loop()
    # The crawl's processes run SPARQL in threads: a pool of query processes under each would only compete for the cores.
    fetcher = Fetcher(create_app(settings.model_copy(update={"query_workers": 0})))
    loop.run_until_complete(fetcher.start())
    _worker = (loop, fetcher)


def _visit_batch(batch: list[tuple[str, str]]) -> list[Visit]:
    loop, fetcher = _worker
    return loop.run_until_complete(fetcher.visit_all(batch))


def _crawl_processes(settings, start: str, processes: int, batch: int, progress) -> Crawl:
    frontier = _Frontier(start, progress, queues=processes)
    context = get_context("forkserver")
    pools = [ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker, initargs=(settings,))
             for _ in range(processes)]
    try:
        running: dict = {}
        while frontier.left() or running:
            for queue, pool in enumerate(pools):
                # Two batches a process: one served while the next waits, so no process idles between them.
                while frontier.todo[queue] and sum(1 for q in running.values() if q == queue) < 2:
                    running[pool.submit(_visit_batch, frontier.take(queue, batch))] = queue
            if not running:
                continue
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                del running[future]
                for visit in future.result():
                    frontier.record(visit)
    finally:
        for pool in pools:
            pool.shutdown(cancel_futures=True)
    return frontier.result


def crawl(site, start: str = "/", *, processes: int | None = None, concurrency: int = 8, batch: int = 16,
          progress=None) -> Crawl:
    """Every address reachable from ``start``.

    ``site`` is an app (crawled in this process, ``concurrency`` requests at a
    time) or the :class:`~endpoint.settings.ServeSettings` of one (served in
    ``processes`` processes, one per core by default, ``batch`` addresses a task).
    ``progress`` is called with the findings so far and the addresses left, every 1,000 addresses.
    """
    import time

    began = time.monotonic()
    if hasattr(site, "router"):
        result = asyncio.run(_crawl_app(site, start, concurrency, progress))
    else:
        result = _crawl_processes(site, start, processes or os.cpu_count() or 1, batch, progress)
    result.seconds = time.monotonic() - began
    return result
