"""Pages in Japanese or English: the language of a request, and the UI strings of each language.

The strings live in one table per language (``i18n/ja.json``, ``i18n/en.json``),
keyed by the English text. A page in Japanese shows each string with its English
beside it (as the site always did: most readers of the data read Japanese, many
others do not); a page in English shows English only, names in their English or
romanised form first. The language is ``?lang=ja|en``, else the best of
``Accept-Language`` (q-values), else Japanese.

>>> pick_language("en", None), pick_language(None, "en-GB,en;q=0.9,ja;q=0.5"), pick_language(None, "fr"), pick_language(None, None)
('en', 'en', 'ja', 'ja')
>>> token = use("en", {"page": "2"})
>>> str(t("Partnerships")), switch("ja"), lang()
('Partnerships', '?lang=ja&page=2', 'en')
>>> token = use("ja", {})
>>> str(t("Partnerships"))
'連携 <span class="en" lang="en">Partnerships</span>'
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from markupsafe import Markup, escape

LANGUAGES = ("ja", "en")
"""Languages of the pages, the default first."""
FOLDER = Path(__file__).resolve().parent / "i18n"

_language: ContextVar[str] = ContextVar("language", default="ja")
_params: ContextVar[dict] = ContextVar("params", default={})


@lru_cache(maxsize=None)
def table(language: str) -> dict[str, str]:
    """The UI strings of ``language``, by key."""
    return json.loads((FOLDER / f"{language}.json").read_text(encoding="utf-8"))


def pick_language(asked: str | None, accept_language: str | None) -> str:
    """``asked`` (the ``lang`` parameter) when it is offered, else the best of ``Accept-Language``, else Japanese."""
    if asked in LANGUAGES:
        return asked
    best, quality = LANGUAGES[0], 0.0
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-", 1)[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if primary in LANGUAGES and q > quality:
            best, quality = primary, q
    return best


def use(language: str, params: dict) -> object:
    """Make ``language`` and the query's ``params`` those of the page being rendered."""
    _params.set(dict(params))
    return _language.set(language if language in LANGUAGES else LANGUAGES[0])


def lang() -> str:
    """The language of the page being rendered."""
    return _language.get()


def t(key: str) -> Markup:
    """A UI string in the page's language (Japanese pages add the English)."""
    english = table("en").get(key, key)
    if lang() == "en":
        return Markup(escape(english))
    return bi(table("ja").get(key, english), english)


def bi(japanese, english) -> Markup:
    """A Japanese text and its English: both on Japanese pages, the English alone on English ones."""
    if lang() == "en" and english:
        return Markup(escape(english))
    if not english:
        return Markup(escape(japanese))
    return Markup(f'{escape(japanese)} <span class="en" lang="en">{escape(english)}</span>')


def switch(language: str) -> str:
    """The query string of this page in ``language``, its other parameters kept."""
    params = {**_params.get(), "lang": language}
    return "?" + urlencode(sorted(params.items()))


def language_of(request) -> str:
    """The language a request asks its page in (``lang``, then ``Accept-Language``)."""
    return pick_language(request.query_params.get("lang"), request.headers.get("accept-language"))


UNTRANSLATED = ("/static/", "/sparql", "/docs")
"""Addresses whose answer has no language: their links never carry ``lang``."""


def in_language(url: str) -> str:
    """``url`` with ``lang=en`` when the page is in English and it is a page of this site.

    >>> token = use("en", {})
    >>> in_language("/id/lg/102016"), in_language("/search?q=a"), in_language("/static/style.css"), in_language("https://x.org/")
    ('/id/lg/102016?lang=en', '/search?q=a&lang=en', '/static/style.css', 'https://x.org/')
    >>> in_language("/id/lg/102016.ttl"), in_language("/prefecture/100005.json")
    ('/id/lg/102016.ttl', '/prefecture/100005.json')
    >>> token = use("ja", {})
    >>> in_language("/id/lg/102016")
    '/id/lg/102016'
    """
    if lang() == LANGUAGES[0] or not url.startswith("/") or url.startswith(UNTRANSLATED) or "lang=" in url:
        return url
    path, hash_, fragment = url.partition("#")
    if "." in path.split("?", 1)[0].rsplit("/", 1)[-1]:
        return url  # a file or another format of a resource (.ttl, .json…): the same in every language
    return f"{path}{'&' if '?' in path else '?'}lang={lang()}{hash_}{fragment}"


class LocalisedUrls:
    """The URL helper of the pages (:class:`~endpoint.pages.urls.Urls`) whose links keep the page's language."""

    def __init__(self, urls):
        self._urls = urls

    def __getattr__(self, name: str):
        attribute = getattr(self._urls, name)
        if not callable(attribute):
            return attribute

        def localised(*args, **kwargs):
            result = attribute(*args, **kwargs)
            return in_language(result) if isinstance(result, str) else result

        return localised
