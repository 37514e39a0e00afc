"""Downloads, the DCAT catalog and the VoID description, all from ``dist/``.

>>> media_type("kg.nt"), media_type("kg.ttl.gz"), media_type("csv/partnerships.csv")
('application/n-triples', 'application/gzip', 'text/csv; charset=utf-8')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from endpoint.conneg import NotAcceptable, choose, negotiate
from endpoint.deps import BackendDep, PagesDep, PrefixesDep, RunnerDep, SettingsDep
from endpoint.descriptions import Description
from endpoint.errors import Problem, run_query
from endpoint.formats import HTML, JSON_LD, N_TRIPLES, RDF_XML, TRIPLES_CSV, TURTLE, Format, Kind
from endpoint.resources import render
from kg.iris import Iris

router = APIRouter(tags=["Downloads"])

MEDIA_TYPES = {
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle; charset=utf-8",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".rdf": "application/rdf+xml",
    ".csv": "text/csv; charset=utf-8",
    ".tsv": "text/tab-separated-values; charset=utf-8",
    ".rq": "application/sparql-query",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".gz": "application/gzip",
    ".zip": "application/zip",
}
CATALOG_FORMATS = (TURTLE, HTML, JSON_LD, RDF_XML, N_TRIPLES, TRIPLES_CSV)
JSON = Format("json", "application/json", "json", Kind.PAGE)
LISTING_FORMATS = (HTML, JSON)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"


def media_type(name: str) -> str:
    """The media type of a file of ``dist/`` by its last suffix (``.gz`` files are gzip)."""
    return MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


@dataclass(frozen=True, slots=True)
class DistFile:
    name: str
    size: int
    media_type: str


def list_dist(dist: Path) -> list[DistFile]:
    """The files of ``dist/``, by path."""
    if not dist.is_dir():
        return []
    return [
        DistFile(path.relative_to(dist).as_posix(), path.stat().st_size, media_type(path.name))
        for path in sorted(dist.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    ]


@router.get("/download/", summary="The files of the latest build", response_class=Response)
async def listing(request: Request, settings: SettingsDep, pages: PagesDep) -> Response:
    try:
        fmt = negotiate(request.headers.get("accept"), LISTING_FORMATS)
    except NotAcceptable as error:
        raise Problem(406, str(error)) from None
    files = list_dist(settings.dist)
    headers = {"Vary": "Accept"}
    if fmt is HTML:
        return HTMLResponse(pages.render("downloads.html", title="Downloads", files=files), headers=headers)
    return JSONResponse(
        [{"name": f.name, "url": pages.urls.download(f.name), "size": f.size, "mediaType": f.media_type} for f in files],
        headers=headers,
    )


@router.get("/download/{name:path}", summary="One file of the latest build", response_class=FileResponse)
async def download(name: str, settings: SettingsDep) -> Response:
    dist = settings.dist.resolve()
    path = (dist / name).resolve()
    # No way out of dist/, whatever the name says.
    if not path.is_relative_to(dist) or not path.is_file():
        raise Problem(404, f"no file {name!r} in this build; see /download/")
    return FileResponse(path, media_type=media_type(path.name))


@lru_cache(maxsize=4)
def _read_catalog(path: Path, mtime: float) -> tuple[Triple, ...]:
    with path.open("rb") as data:
        return tuple(Triple(q.subject, q.predicate, q.object) for q in parse(data, RdfFormat.TURTLE))


def catalog_triples(dist: Path) -> list[Triple]:
    """The triples of ``dist/catalog.ttl``; a 404 problem when the graph was not built."""
    path = dist / "catalog.ttl"
    if not path.is_file():
        raise Problem(404, "no catalog yet: run `kg build` first")
    return list(_read_catalog(path, path.stat().st_mtime))


def _main_subject(triples: list[Triple], *classes: str) -> str | None:
    for cls in classes:
        for triple in triples:
            if triple.predicate.value == RDF_TYPE and triple.object.value == cls and type(triple.subject) is NamedNode:
                return triple.subject.value
    return None


def void_triples(catalog: list[Triple], *, base: str, endpoint: str, count: int | None) -> list[Triple]:
    """VoID for each dataset of the catalog: the catalog's words plus endpoint, dumps and size."""
    datasets = sorted(
        {t.subject.value for t in catalog if t.predicate.value == RDF_TYPE and t.object.value in (DCAT + "Dataset", VOID + "Dataset")}
    ) or [str(Iris(base).dataset)]
    wanted = set(datasets)
    triples = [t for t in catalog if t.subject.value in wanted]
    distributions = {t.object.value for t in triples if t.predicate.value == DCAT + "distribution"}
    dumps = sorted({t.object.value for t in catalog if t.subject.value in distributions and t.predicate.value == DCAT + "downloadURL"})
    for iri in datasets:
        dataset = NamedNode(iri)
        triples.append(Triple(dataset, NamedNode(RDF_TYPE), NamedNode(VOID + "Dataset")))
        triples.append(Triple(dataset, NamedNode(VOID + "sparqlEndpoint"), NamedNode(endpoint)))
        triples.append(Triple(dataset, NamedNode(VOID + "uriSpace"), Literal(base + "id/")))
        for vocabulary in (base + "def/lgp", base + "def/kind/"):
            triples.append(Triple(dataset, NamedNode(VOID + "vocabulary"), NamedNode(vocabulary)))
        triples += [Triple(dataset, NamedNode(VOID + "dataDump"), NamedNode(dump)) for dump in dumps]
        if count is not None:
            integer = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
            triples.append(Triple(dataset, NamedNode(VOID + "triples"), Literal(str(count), datatype=integer)))
    return list(dict.fromkeys(triples))


def _format(request: Request, suffix: str | None) -> Format:
    """The format a suffix names, else the one negotiated (``format`` parameter, then ``Accept``)."""
    if suffix:
        fmt = Format.from_extension(suffix)
        if fmt is None or fmt not in CATALOG_FORMATS:
            listing = ", ".join(f".{f.extension}" for f in CATALOG_FORMATS)
            raise Problem(404, f"no .{suffix} version here; try one of {listing}")
        return fmt
    try:
        return choose(request.query_params.getlist("format"), request.headers.get("accept"), CATALOG_FORMATS)
    except NotAcceptable as error:
        raise Problem(406, str(error)) from None


def _answer(triples: list[Triple], main: str, fmt: Format, negotiated: bool, pages, prefixes) -> Response:
    description = Description(main, triples, labels={})
    response = render(description, fmt, pages, prefixes)
    if negotiated:
        response.headers["Vary"] = "Accept"
    return response


@router.get("/catalog", summary="The DCAT catalog of the dataset", response_class=Response)
@router.get("/catalog.{suffix}", include_in_schema=False, response_class=Response)
async def catalog(
    request: Request, settings: SettingsDep, pages: PagesDep, prefixes: PrefixesDep, suffix: str | None = None
) -> Response:
    fmt = _format(request, suffix)
    path = settings.dist / "catalog.ttl"
    if fmt is TURTLE and path.is_file():
        # The file as built, byte for byte, for the commonest ask.
        headers = {} if suffix else {"Vary": "Accept"}
        return FileResponse(path, media_type=TURTLE.content_type, headers=headers)
    triples = catalog_triples(settings.dist)
    main = _main_subject(triples, DCAT + "Catalog", DCAT + "Dataset") or str(request.url)
    return _answer(triples, main, fmt, not suffix, pages, prefixes)


@router.get("/.well-known/void", summary="The VoID description of the dataset", response_class=Response)
async def void(
    request: Request,
    settings: SettingsDep,
    backend: BackendDep,
    runner: RunnerDep,
    pages: PagesDep,
    prefixes: PrefixesDep,
) -> Response:
    fmt = _format(request, None)
    catalog_ = catalog_triples(settings.dist)
    count = await run_query(runner, lambda cancelled: backend.triple_count())
    endpoint = str(request.base_url) + "sparql"
    triples = void_triples(catalog_, base=settings.base, endpoint=endpoint, count=count)
    main = _main_subject(triples, VOID + "Dataset") or endpoint
    return _answer(triples, main, fmt, True, pages, prefixes)
