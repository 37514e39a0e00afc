"""Every link resolves: a crawl of the whole site built from the vendored sources, from ``/``.

The crawl (``crawl.py``) fetches every internal address the pages link to, in
both languages (each page links its other language), its pages of long lists,
its other formats (by ``HEAD``) and the files it offers, and fails on any answer
of 400 or more; the built folder gets the conformance report ``make serve``
writes, so the footer's link has its target. Every page it reads is also
checked for its size, its licence link and, in English, for Japanese text left
outside elements marked with the language of the source they quote.
The catalog's own IRIs (catalog, dataset, publisher, VoID partitions) answer
like any resource, ``HEAD`` like ``GET``, and a resource's ``.json`` is its page's data.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from crawl import crawl, stem
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from endpoint.app import create_app
from endpoint.conformance import earl
from endpoint.conformance.suite import MODES, read_manifest, run_suite
from endpoint.settings import ServeSettings

BASE = "http://localhost:8000/"
MAX_PAGE = 200 * 1024


@pytest.fixture(scope="module")
def site(settings, built, tmp_path_factory):
    """The built folder as `make serve` leaves it: the graph, its files and the conformance report."""
    dist = tmp_path_factory.mktemp("site") / "dist"
    shutil.copytree(settings.dist, dist)
    outcomes = run_suite(read_manifest(), MODES, settings=ServeSettings(dist=tmp_path_factory.mktemp("suite")), create_app=create_app)
    earl.write(outcomes, earl.folder(dist), base=BASE)
    # Links are checked, not speed (that is `make bench`'s): a page slow on a busy machine is no broken link.
    return ServeSettings(dist=dist, query_timeout=300)


@pytest.fixture(scope="module")
def crawled(site):
    """The whole site, served in one process per core."""
    found = crawl(site)
    print(f"\ncrawl: {found.pages} addresses ({found.html} pages, {found.english} of them in English; {found.heads} by HEAD), "
          f"{found.links} links, {len(found.broken)} broken, largest page {max(found.sizes.values())} bytes, "
          f"{found.seconds:.0f} s")
    return found


def test_the_fixture_site_crawled_whole_has_no_broken_link(dist, store):
    small = crawl(create_app(ServeSettings(dist=dist), backend=store))
    assert small.html > 20 and small.english > 10
    # The fixture folder has no conformance report: the footer's link to it, in either language, is all that breaks.
    assert {path.split("?")[0] for path in small.broken} == {"/conformance"}
    assert not small.untranslated, small.untranslated


@pytest.fixture(scope="module")
def client(site):
    with TestClient(create_app(site)) as test_client:
        yield test_client


def test_no_internal_link_is_broken(crawled):
    assert not crawled.broken, sorted(crawled.broken.items())[:20]


def graph_links(dump: Path) -> tuple[set[str], dict[str, set[str]]]:
    """The resources of the graph (what has an IRI of this site) and, for each, those it points to."""
    subjects: set[str] = set()
    points_to: dict[str, set[str]] = {}
    with dump.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("<" + BASE):
                continue
            head, _, rest = line.split(" ", 2)
            subject = stem("/" + head[len(BASE) + 1:-1].split("#", 1)[0])
            subjects.add(subject)
            if rest.startswith("<" + BASE):
                target = rest[len(BASE) + 1:rest.index(">")]
                points_to.setdefault(subject, set()).add(stem("/" + target.split("#", 1)[0]))
    return subjects, points_to


def test_the_crawl_covers_the_whole_site_in_both_languages(crawled, site):
    # Every resource a reached resource points to is reached too, in Japanese and in English; what is left
    # is what nothing links to (a government with no tie, listed nowhere, and its point).
    subjects, points_to = graph_links(site.dist / "kg.nt")
    reached = set(crawled.sizes)
    for english in (False, True):
        seen = {stem(path) for path in reached if ("lang=en" in path) == english}
        pointed = {target for subject in seen & subjects for target in points_to.get(subject, ())} & subjects
        assert not pointed - seen, sorted(pointed - seen)[:20]
        assert len(subjects - seen) <= len(subjects) // 20, sorted(subjects - seen)[:20]
    assert len(subjects) > 11_000 and crawled.english > 11_000 and crawled.heads > 40_000


def test_every_page_states_the_licence(crawled):
    assert not crawled.unlicensed, crawled.unlicensed[:10]


def test_no_page_is_over_200_kb(crawled):
    large = {path: size for path, size in crawled.sizes.items() if size > MAX_PAGE}
    assert not large, sorted(large.items(), key=lambda item: -item[1])[:10]


def test_english_pages_show_no_japanese_outside_marked_quotes(crawled):
    """What is Japanese on an English page is a source's own words or a name without English, marked ``lang``."""
    texts = Counter(text for found in crawled.untranslated.values() for text in found)
    assert not crawled.untranslated, (len(crawled.untranslated), texts.most_common(20),
                                      sorted(crawled.untranslated.items())[:5])


CATALOG_IRIS = ["/id/catalog", "/id/dataset", "/id/publisher", "/id/dataset/class/1", "/id/dataset/property/1"]


@pytest.mark.parametrize("path", CATALOG_IRIS)
def test_catalog_iris_are_dereferenceable(client, path):
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200, turtle.text
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(BASE + path[1:]), None, None) in graph
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<html" in page.text
    nt = client.get(path + ".nt")
    assert nt.status_code == 200 and nt.text.startswith(f"<{BASE}{path[1:]}>")


@pytest.mark.parametrize("path", ["/", "/search?q=前橋", "/id/lg/102016", "/id/catalog", "/catalog", "/.well-known/void",
                                  "/sparql?query=ASK%7B%7D", "/download/kg.nt", "/download/", "/static/style.css",
                                  "/prefecture/100005", "/country/CN", "/query", "/conformance", "/id/nothing"])
def test_head_answers_like_get(client, path):
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code
    assert head.content == b""
    for name in ("content-type", "content-length", "vary"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_a_resource_json_is_its_page_data(client):
    response = client.get("/id/lg/102016.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    data = response.json()
    assert data["iri"] == BASE + "id/lg/102016" and data["label"] == "前橋市"
    assert data["view"] == "JapaneseLocalGovernment" and data["details"]
    assert client.get("/id/lg/102016", headers={"Accept": "application/json"}).headers["content-type"].startswith("application/ld+json")


def test_the_ontology_version_iri_leads_to_the_ontology(client):
    response = client.get("/def/lgp/0.1.0", follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == "/def/lgp"
