"""Attribution: the dataset's licence and citation on every page, each claim's source with its publisher and date."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from rdflib import DCAT, DCTERMS, FOAF, RDF, SKOS, Graph, Literal, URIRef

from endpoint.app import create_app
from endpoint.settings import ServeSettings
from kg.catalog import catalog
from kg.dcat import NO_ADDRESS
from kg.iris import Iris

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(settings, built):
    with TestClient(create_app(ServeSettings(dist=settings.dist))) as test_client:
        yield test_client


def _claim_of(client, source: str) -> str:
    query = f"""SELECT ?c WHERE {{ ?c a <http://localhost:8000/def/lgp#Claim> ;
        <http://www.w3.org/ns/prov#wasDerivedFrom> <http://localhost:8000/id/source/{source}> }} ORDER BY ?c LIMIT 1"""
    rows = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}).json()
    return rows["results"]["bindings"][0]["c"]["value"].removeprefix("http://localhost:8000")


@pytest.mark.parametrize("path", ["/", "/search?q=前橋", "/id/lg/102016", "/prefecture/100005", "/catalog", "/no/such/page"])
def test_pages_state_licence_and_citation(client, path):
    html = client.get(path, headers=HTML).text
    assert '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in html
    cite = re.search(r"<cite>(.*?)</cite>", html).group(1)
    assert "自治体間連携ナレッジグラフ" in cite and "http://localhost:8000/" in cite and "jp-lg-partnerships" in cite


def test_a_claim_names_its_source_publisher_and_date(client):
    gunma = client.get(_claim_of(client, "gunma-2021"), headers=HTML).text
    note = re.search(r'<span class="source-note">(.*?)</span>\s*</span>', gunma, re.S).group(1)
    assert "発行 群馬県" in note and "2021-06-01" in note and "ライセンスの記載なし" in note
    taiwan = client.get(_claim_of(client, "taiwan-japan"), headers=HTML).text
    assert "発行者の記載なし" in taiwan and "時点の記載なし" in taiwan


def test_the_catalog_publisher_comes_from_settings(tmp_path):
    graph = catalog(Iris("http://localhost:8000/"), [], tmp_path, "", "2026-03-31",
                    "Example Open Data Team", "https://opendata.example.org/")
    publisher = URIRef("http://localhost:8000/id/publisher")
    assert str(graph.value(publisher, FOAF.name)) == "Example Open Data Team"
    assert graph.value(publisher, FOAF.homepage) == URIRef("https://opendata.example.org/")
    assert "not stated" not in Graph().parse(data=graph.serialize(format="turtle"), format="turtle").serialize(format="nt")


def test_a_claim_says_in_english_who_published_its_source(client):
    html = client.get(_claim_of(client, "gunma-2021") + "?lang=en", headers=HTML).text
    note = re.search(r'<span class="source-note">(.*?)</span>\s*</span>', html, re.S).group(1)
    assert 'published by <span lang="ja">群馬県</span>' in note and "as of 2021-06-01" in note
    assert "no licence stated" in note and "no address of the original stated" in note and "発行" not in note
    assert '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in html
    assert "Licence</" not in html and "Cite as: <cite>" in html and "Knowledge graph of partnerships" in html


def test_no_source_states_its_own_address_and_none_is_invented(client, settings):
    catalog = Graph().parse(settings.dist / "catalog.ttl")
    for source in ("gunma-2021", "agreements-2016", "japan-china-2024", "taiwan-japan", "tokyo-wards-2026"):
        node = URIRef(f"http://localhost:8000/id/source/{source}")
        assert catalog.value(node, DCAT.landingPage) is None, source
        assert {str(catalog.value(d, DCAT.accessURL)) for d in catalog.objects(node, DCAT.distribution)} == {
            f"http://localhost:8000/download/sources/{source}.txt"}, source
        assert Literal(NO_ADDRESS, lang="en") in set(catalog.objects(node, SKOS.editorialNote)), source
        html = client.get(f"/id/source/{source}", headers=HTML).text
        assert "原本の所在の記載なし" in html and ">original<" not in html


def test_the_taiwan_list_names_what_it_was_compiled_from(client, settings):
    catalog = Graph().parse(settings.dist / "catalog.ttl")
    source = URIRef("http://localhost:8000/id/source/taiwan-japan")
    upstream = catalog.value(source, DCTERMS.source)
    assert (upstream, RDF.type, DCAT.Dataset) in catalog
    web = catalog.value(upstream, DCAT.distribution)
    assert catalog.value(web, DCAT.accessURL) == URIRef("https://www.clair.or.jp/")
    assert not any(str(s).startswith("https://www.clair") for s in catalog.subjects())
    assert "自治體國際化協會" in str(catalog.value(upstream, DCTERMS.title))
    # On the pages, in the catalog's page and in the resource's JSON-LD alike.
    claim = client.get(_claim_of(client, "taiwan-japan"), headers=HTML).text
    assert '<a href="https://www.clair.or.jp/" lang="zh-hant">' in claim.replace("zh-Hant", "zh-hant")
    assert "source/taiwan-japan/based-on" in client.get("/id/source/taiwan-japan.jsonld").text
    assert "https://www.clair.or.jp/" in client.get("/id/source/taiwan-japan/based-on/web.jsonld").text
    assert client.get("/id/source/taiwan-japan/based-on", headers=HTML).status_code == 200
    assert "https://www.clair.or.jp/" in client.get("/catalog", headers=HTML).text


def test_a_claim_links_the_agreement_page_its_source_gives(client):
    query = """SELECT ?c ?url WHERE { ?c a <http://localhost:8000/def/lgp#Claim> ;
        <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?url } ORDER BY ?c LIMIT 1"""
    row = client.get("/sparql", params={"query": query},
                     headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"][0]
    html = client.get(row["c"]["value"].removeprefix("http://localhost:8000"), headers=HTML).text
    assert f'<span class="document"><a href="{row["url"]["value"]}">' in html
