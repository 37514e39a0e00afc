"""Every URL a page links to, built in one place.

Templates never assemble a path: they call these methods. A page that also
answers in JSON takes ``fmt="json"`` and gets its ``.json`` address.

>>> urls = Urls("http://localhost:8000/")
>>> urls.resource("http://localhost:8000/id/lg/011002"), urls.resource("https://example.org/x")
('/id/lg/011002', 'https://example.org/x')
>>> urls.resource("javascript:alert(1)") is None, urls.resource("data:text/html,x") is None
(True, True)
>>> urls.alternate("http://localhost:8000/def/lgp#Partnership", "ttl")
'/def/lgp.ttl'
>>> urls.search("札幌"), urls.search("札幌", fmt="json")
('/search?q=%E6%9C%AD%E5%B9%8C', '/search.json?q=%E6%9C%AD%E5%B9%8C')
>>> urls.prefecture("100005"), urls.country("CN", fmt="json"), urls.query(example="ties-of-a-municipality")
('/prefecture/100005', '/country/CN.json', '/query?example=ties-of-a-municipality')
"""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit


def _suffix(fmt: str | None) -> str:
    return f".{fmt}" if fmt else ""


def _params(**params: str | None) -> str:
    given = {key: value for key, value in params.items() if value is not None}
    return f"?{urlencode(given)}" if given else ""


class Urls:
    """Builds every URL a page links to."""

    def __init__(self, base: str):
        self.base = base
        self.root = urlsplit(base).path.rstrip("/")

    def local(self, iri: str) -> str | None:
        """The path of an IRI this server answers for, or None."""
        return self.root + "/" + iri[len(self.base):] if iri.startswith(self.base) else None

    def resource(self, iri: str) -> str | None:
        """Where a link to ``iri`` goes: this server for IRIs under the base, the IRI itself when it is
        http(s), else nowhere (None): ``javascript:`` or ``data:`` IRIs in the data never become links."""
        local = self.local(iri)
        if local is not None:
            return local
        return iri if urlsplit(iri).scheme.lower() in ("http", "https") else None

    def alternate(self, iri: str, extension: str) -> str:
        """The document of ``iri`` in the format of a file suffix."""
        document = (self.local(iri) or iri).split("#", 1)[0]
        return f"{document}.{extension}"

    def home(self, fmt: str | None = None) -> str:
        return "/index.json" if fmt == "json" else "/"

    def sparql(self, query: str | None = None, fmt: str | None = None) -> str:
        return "/sparql" + _params(query=query, format=fmt if query else None)

    def query(self, text: str | None = None, *, example: str | None = None, fmt: str | None = None) -> str:
        """The query page, its editor holding ``text`` or the example named ``example``."""
        return "/query" + _suffix(fmt) + _params(query=text, example=example)

    def search(self, q: str | None = None, fmt: str | None = None) -> str:
        return "/search" + _suffix(fmt) + _params(q=q or None)

    def prefecture(self, code: str, fmt: str | None = None) -> str:
        """The ties of a prefecture's municipalities; ``code`` is its 団体コード (``100005``)."""
        return f"/prefecture/{quote(code, safe='')}{_suffix(fmt)}"

    def country(self, alpha2: str, fmt: str | None = None) -> str:
        """Ties with one country (ISO 3166-1 alpha-2)."""
        return f"/country/{quote(alpha2, safe='')}{_suffix(fmt)}"

    def ontology(self) -> str:
        """The page of the partnership ontology, ``/def/lgp``."""
        return self.resource(self.base + "def/lgp")

    def kinds(self) -> str:
        """The page of the scheme of kinds of tie, ``/def/kind/``."""
        return self.resource(self.base + "def/kind/")

    def download(self, name: str = "") -> str:
        return f"/download/{name}"

    def catalog(self) -> str:
        return "/catalog"

    def void(self) -> str:
        return "/.well-known/void"

    def docs(self) -> str:
        return "/docs"

    def conformance(self) -> str:
        return "/conformance"

    def static(self, name: str) -> str:
        return f"/static/{name}"
