"""Pages for people: home, search, the query editor, prefectures and countries.

Each handler calls the page's one data function (:mod:`endpoint.pages.views`) in the
query runner, under the time limit, and :func:`~endpoint.pages.respond.respond`
writes the data as HTML or, with a ``.json`` suffix or ``Accept:
application/json``, as JSON. Everything goes through the backend in SPARQL, so
the pages work over a remote store too.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from endpoint.deps import BackendDep, PagesDep, RunnerDep, SettingsDep
from endpoint.errors import run_query
from endpoint.formats.negotiation import split_suffix
from endpoint.pages.i18n import language_of
from endpoint.pages.respond import PAGE_RENDERERS, page_format, respond
from endpoint.pages.views import areas
from endpoint.pages.views import home as home_data
from endpoint.pages.views import search as search_data
from endpoint.problem import Problem
from kg.iris import Iris

router = APIRouter(tags=["Pages"])

SITE_TITLE = "自治体間連携 Linked Data"


@router.get("/", summary="Home: what the dataset is, its figures and entry points", response_class=Response)
@router.get("/index.{suffix}", include_in_schema=False, response_class=Response)
async def home(
    request: Request, settings: SettingsDep, backend: BackendDep, runner: RunnerDep, pages: PagesDep,
    suffix: str | None = None,
) -> Response:
    choice = page_format(request, suffix)
    vocab = Iris(settings.base)
    data = await run_query(runner, lambda cancelled: home_data.home(
        backend, vocab, dist=settings.dist, queries=settings.queries, cancelled=cancelled))
    return respond(pages, "home.html", data, choice, title=SITE_TITLE, base=settings.base, lang=language_of(request))


@router.get("/search", summary="Find governments, places and bodies by name or code", response_class=Response)
@router.get("/search.{suffix}", include_in_schema=False, response_class=Response)
async def search(
    request: Request, settings: SettingsDep, backend: BackendDep, runner: RunnerDep, pages: PagesDep,
    q: str = Query("", description="A name (Japanese, reading, romanised or English, or as a source writes it) or a code;"
                   " `type`, `country`, `sort` (relevance, name) and `page` pick the hits, `t_page` the titles"),
    suffix: str | None = None,
) -> Response:
    choice = page_format(request, suffix)
    vocab = Iris(settings.base)
    params = dict(request.query_params)
    data = await run_query(runner, lambda cancelled: search_data.search(backend, vocab, q, cancelled, params))
    lang = language_of(request)
    if lang == "en":
        title = f"Search results for “{data.q}”" if data.q else "Search"
    else:
        title = f"「{data.q}」の検索結果" if data.q else "検索"
    return respond(pages, "search.html", data, choice, title=title, params=params, lang=lang)


@router.get("/query", summary="A SPARQL editor with the example queries", response_class=Response)
@router.get("/query.{suffix}", include_in_schema=False, response_class=Response)
async def query(
    request: Request, settings: SettingsDep, pages: PagesDep,
    text: str | None = Query(None, alias="query", description="A query to put in the editor"),
    example: str | None = Query(None, description="The name of an example query to put in the editor"),
    suffix: str | None = None,
) -> Response:
    choice = page_format(request, suffix)
    data = home_data.query_page(settings.queries, settings.base, text=text, example=example)
    lang = language_of(request)
    return respond(pages, "query.html", data, choice, title="SPARQL query" if lang == "en" else "SPARQL クエリ", lang=lang)


@router.get("/prefecture/{name}", summary="The ties of a prefecture and its municipalities", response_class=Response)
async def prefecture(
    request: Request, name: str, settings: SettingsDep, backend: BackendDep, runner: RunnerDep, pages: PagesDep,
) -> Response:
    code, suffix = split_suffix(name, PAGE_RENDERERS.offered)
    choice = page_format(request, suffix)
    vocab = Iris(settings.base)
    if areas.prefecture_code(code) is None:
        raise Problem(404, f"no prefecture {code!r}: give its 団体コード (100005) or its two digits (10)")
    pref = await run_query(runner, lambda cancelled: areas.find_prefecture(backend, vocab, code, cancelled))
    if pref is None:
        raise Problem(404, f"no prefecture with code {code} here")
    if pref.code and pref.code != code:
        return RedirectResponse(pages.urls.prefecture(pref.code, suffix), status_code=308)
    data = await run_query(runner, lambda cancelled: areas.prefecture(backend, vocab, pref, cancelled))
    lang = language_of(request)
    title = pref.en if lang == "en" and pref.en else pref.name
    return respond(pages, "prefecture.html", data, choice, title=title, params=dict(request.query_params), lang=lang)


@router.get("/country/{name}", summary="The ties of Japanese governments with one country", response_class=Response)
async def country(
    request: Request, name: str, settings: SettingsDep, backend: BackendDep, runner: RunnerDep, pages: PagesDep,
) -> Response:
    code, suffix = split_suffix(name, PAGE_RENDERERS.offered)
    choice = page_format(request, suffix)
    vocab = Iris(settings.base)
    nation = await run_query(runner, lambda cancelled: areas.find_country(backend, vocab, code, cancelled))
    if nation is None:
        raise Problem(404, f"no country {code!r} here: give its ISO 3166-1 alpha-2 code (CN, KR, US…)")
    if nation.code and nation.code != code:
        return RedirectResponse(pages.urls.country(nation.code, suffix), status_code=308)
    data = await run_query(runner, lambda cancelled: areas.country(backend, vocab, nation, cancelled))
    lang = language_of(request)
    title = nation.en if lang == "en" and nation.en else nation.name
    return respond(pages, "country.html", data, choice, title=title, params=dict(request.query_params), lang=lang)
