"""The pages over the graph built from the vendored sources: every type of page renders real data."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from endpoint.app import create_app
from endpoint.settings import ServeSettings
from tests.conftest import VIRTUOSO_GRAPH

BASE = "http://localhost:8000/"
LGP = BASE + "def/lgp#"
HTML = {"Accept": "text/html"}
MINAKAMI = "/id/lg/104493"


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def client(request, settings, built):
    """The pages over the dump in memory, and over Virtuoso as ``kg serve --store`` serves it."""
    serve = ServeSettings(dist=settings.dist)
    if request.param == "virtuoso":
        virtuoso = request.getfixturevalue("virtuoso_built")
        serve = ServeSettings(dist=settings.dist, store=virtuoso.sparql, store_graph=VIRTUOSO_GRAPH)
    with TestClient(create_app(serve)) as test_client:
        yield test_client


def select(client, query: str) -> list[dict]:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def page(client, path: str) -> str:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200, (path, response.text[:300])
    return response.text


CLASSES = [
    (LGP + "Partnership", "claims"), (LGP + "Claim", "claim"), (LGP + "Project", "facts"),
    (LGP + "Prefecture", "ties"), (LGP + "Municipality", "ties"), (LGP + "SpecialWard", "projects"),
    (LGP + "DesignatedCityWard", "facts"), (LGP + "ForeignLocalAuthority", "ties"), (LGP + "OtherBody", "ties"),
    (LGP + "UnresolvedParty", "ties"), (LGP + "Country", "facts"), (LGP + "Region", "facts"),
    ("http://www.w3.org/2004/02/skos/core#Concept", "facts"), ("http://www.w3.org/ns/dcat#Dataset", "facts"),
]


@pytest.mark.parametrize(("cls", "marker"), CLASSES, ids=[c.rsplit("#", 1)[-1] for c, _ in CLASSES])
def test_a_page_of_every_type(client, cls, marker):
    # The resource of that class with the most statements: the page with the most to show.
    rows = select(client, f"""SELECT ?x (COUNT(*) AS ?n) WHERE {{ ?x a <{cls}> ; ?p ?o . FILTER(STRSTARTS(STR(?x), "{BASE}")) }}
                              GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1""")
    assert rows, cls
    html = page(client, rows[0]["x"][len(BASE) - 1:])
    assert '<details class="statements">' in html  # the type's own template, the statements folded
    assert f'class="{marker}' in html
    assert ">None<" not in html and "Undefined" not in html


def test_minakami(client):
    html = page(client, MINAKAMI)
    assert "<h1>みなかみ町</h1>" in html
    ties = html[html.index('<section class="ties">'):]
    for partner in ("台南市", "さいたま市", "取手市", "中野区", "三宅村"):
        assert f">{partner}</a>" in ties, partner
    assert ties.index("friendship-city") < ties.index("disaster-mutual-aid")
    svg = re.search(r'<figure class="map">.*?</figure>', html, re.S).group(0)
    assert svg.count('<line class="tie"') >= 5 and 'class="area"' in svg


def test_a_tie_told_by_two_sources(client):
    rows = select(client, f"""PREFIX lgp: <{LGP}> SELECT ?p WHERE {{
      ?p lgp:party <{BASE}id/lg/104493>, <{BASE}id/place/TW/TW-TNN> }}""")
    html = page(client, rows[0]["p"][len(BASE) - 1:])
    claims = html[html.index('<section class="claims">'):]
    assert claims.count('<article class="claim"') == 2
    assert 'href="/id/source/gunma-2021"' in claims and 'href="/id/source/taiwan-japan"' in claims
    assert "2013-12-13" in html and "群馬縣水上町" in claims


def test_search_on_the_real_data(client):
    assert client.get("/search.json", params={"q": "104493"}).json()["hits"][0]["ref"]["iri"] == BASE + "id/lg/104493"
    written = client.get("/search.json", params={"q": "群馬縣水上町"}).json()["hits"]
    assert written[0]["ref"]["iri"] == BASE + "id/lg/104493" and written[0]["how"] == "written"
    names = [hit["ref"]["name"] for hit in client.get("/search.json", params={"q": "府中市"}).json()["hits"]]
    assert names.count("府中市") == 2  # 東京都 and 広島県 both have one


def test_home_counts_match_the_store(client):
    figures = {f["key"]: f["count"] for f in client.get("/index.json").json()["figures"]}
    counted = select(client, f"""SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{LGP}Partnership> }}""")[0]["n"]
    assert figures["partnerships"] == int(counted) > 1000
    assert figures["projects"] > 800 and figures["sources"] == 5


def test_prefecture_and_country_pages(client):
    gunma = page(client, "/prefecture/100005")
    assert 'id="lg-104493"' in gunma and 'id="lg-100005"' in gunma
    china = client.get("/country/CN.json").json()
    regions = {r["region"]["code"] for r in china["regions"] if r["region"]}
    assert "CN-HE" in regions and china["tie_count"] > 300
    assert page(client, "/prefecture/130001").count('<section class="member"') > 20


def test_every_example_query_is_offered(client):
    html = page(client, "/query")
    for path in (client.app.state.settings.queries).glob("*.rq"):
        assert f'data-example="{path.stem}"' in html
