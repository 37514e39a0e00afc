"""Attribution: the dataset's licence and citation on every page, each claim's source with its publisher and date."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from rdflib import FOAF, Graph, URIRef

from endpoint.app import create_app
from endpoint.settings import ServeSettings
from kg.catalog import catalog
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
