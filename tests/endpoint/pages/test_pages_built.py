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
    (LGP + "NationalGovernment", "ties"), (LGP + "Museum", "ties"),
    # Every party of the vendored sources resolves: the unresolved party's page is tested on pages_data.
    (LGP + "Country", "facts"), (LGP + "Region", "facts"),
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
    ties = ties[ties.index("</form>"):]  # past the filters, the groups
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
    assert 'href="/id/lg/104493"' in gunma and 'href="/id/lg/100005"' in gunma
    china = client.get("/country/CN.json").json()
    regions = {r["region"]["code"] for r in china["regions"] if r["region"]}
    assert "CN-HE" in regions and china["tie_count"] > 300
    tokyo = page(client, "/prefecture/130001")
    assert tokyo.count('<table class="ties">') == 1 and 'rel="next" href="?page=2"' in tokyo
    assert 'rel="next" href="?p_page=2"' in tokyo  # the projects page apart
    second = page(client, "/prefecture/130001?page=2&kind=sister-city")
    assert '<strong aria-current="page">' in second and '<option value="sister-city" selected>' in second


def test_long_lists_are_paged_filtered_and_sorted(client):
    every = client.get("/prefecture/130001.json").json()
    total = sum(len(m["ties"]) for m in every["members"])
    sister = page(client, "/prefecture/130001?kind=sister-city&sort=-date")
    shown = re.search(r'<span class="range">.*? / <span class="count">([0-9,]+)</span> \(<span class="count">([0-9,]+)</span>\)', sister)
    assert shown and int(shown.group(2).replace(",", "")) == total
    assert 0 < int(shown.group(1).replace(",", "")) < total
    newest = page(client, "/country/CN?sort=-date")
    dates = re.findall(r'<time datetime="([0-9-]+)">', newest.split('<table class="ties">', 1)[1].split("</table>", 1)[0])
    years = [d[:4] for d in dates]
    assert years == sorted(years, reverse=True) and len(dates) == 100
    for path in ("/country/CN?decade=1990", "/def/kind/sister-city?page=2", "/id/source/gunma-2021?page=2",
                 "/id/lg/131016?p_decade=2010&p_sort=name", "/country/US?source=agreements-2016"):
        html = page(client, path)
        assert '<nav class="pager"' in html, path


def test_every_example_query_is_offered(client):
    html = page(client, "/query")
    for path in (client.app.state.settings.queries).glob("*.rq"):
        assert f'data-example="{path.stem}"' in html


def test_served_void_of_the_build_is_true(client, settings):
    from rdflib import RDF, Graph, Namespace, URIRef

    void = Namespace("http://rdfs.org/ns/void#")
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=response.text, format="turtle")
    dataset = URIRef(BASE + "id/dataset")
    # The built graph is the one VoID dataset besides the targets of its link sets; the five
    # source documents are not, nor have its size.
    targets = {target for linkset in graph.subjects(RDF.type, void.Linkset)
               for target in graph.objects(linkset, void.objectsTarget)} - {dataset}
    assert targets
    assert set(graph.subjects(RDF.type, void.Dataset)) - targets == {dataset}
    lines = (settings.dist / "kg.nt").read_bytes().count(b"\n")
    assert [int(n) for n in graph.objects(dataset, void.triples)] == [lines]
    assert len(set(graph.objects(dataset, void.sparqlEndpoint))) == 1
    dumps = {str(d).removeprefix(BASE + "download/") for d in graph.objects(dataset, void.dataDump)}
    assert dumps and all((settings.dist / name).is_file() for name in dumps)
    assert not any(str(s).startswith(BASE + "id/source/") for s in graph.subjects())


@pytest.mark.parametrize(("q", "expected"), [
    ("Maebashi", "/id/lg/102016"), ("maebashi city", "/id/lg/102016"), ("Maebashi-shi", "/id/lg/102016"),
    ("Setagaya", "/id/lg/131121"), ("setagaya-ku", "/id/lg/131121"), ("Tōkyō", "/id/lg/130001"), ("TOKYO", "/id/lg/130001"),
    ("Minakami", "/id/lg/104493"), ("まえばし", "/id/lg/102016"), ("マエバシ", "/id/lg/102016"), ("前橋", "/id/lg/102016"),
    ("Chuo Ward, Sapporo", "/id/lg/011011"), ("Mutsu", "/id/lg/022080"), ("鹿兒島縣", "/id/lg/460001"),
])
def test_english_and_romanised_names_find_japanese_governments(client, q, expected):
    data = client.get("/search.json", params={"q": q}).json()
    assert data["hits"] and data["hits"][0]["ref"]["iri"] == BASE + expected[1:], [h["ref"]["iri"] for h in data["hits"][:3]]


@pytest.mark.parametrize(("q", "country"), [("Dalian", "CN"), ("Kaohsiung", "TW"), ("Tainan", "TW"), ("Suwon", "KR")])
def test_english_names_find_foreign_places(client, q, country):
    data = client.get("/search.json", params={"q": q}).json()
    top = data["hits"][0]["ref"]
    assert top["en"] == q and f"/{country}" in top["iri"], top


def test_search_is_paged_without_a_cap(client):
    first = client.get("/search.json", params={"q": "市"}).json()
    assert first["listing"]["total"] > 800 and len(first["hits"]) == 100 and first["listing"]["pages"] > 8
    last = client.get("/search.json", params={"q": "市", "page": str(first["listing"]["pages"])}).json()
    assert 0 < len(last["hits"]) <= 100
    seen = {h["ref"]["iri"] for h in first["hits"]} & {h["ref"]["iri"] for h in last["hits"]}
    assert not seen
    wards = client.get("/search.json", params={"q": "ku", "type": "SpecialWard"}).json()
    assert wards["listing"]["total"] == 23 and all(h["ref"]["kind"] == "SpecialWard" for h in wards["hits"])
    korea = client.get("/search.json", params={"q": "市", "country": "KR"}).json()
    assert korea["hits"] and all("/KR" in h["ref"]["iri"] for h in korea["hits"])


def test_japanese_governments_have_romanised_and_english_labels(client):
    rows = select(client, """SELECT ?latn ?en WHERE { <http://localhost:8000/id/lg/102016>
        <http://www.w3.org/2004/02/skos/core#altLabel> ?latn ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?en .
        FILTER(LANG(?latn) = "ja-latn" && LANG(?en) = "en") }""")
    assert rows == [{"latn": "Maebashi-shi", "en": "Maebashi City"}]
    missing = select(client, """PREFIX lgp: <http://localhost:8000/def/lgp#> SELECT (COUNT(?x) AS ?n) WHERE {
        VALUES ?class { lgp:Prefecture lgp:Municipality lgp:SpecialWard lgp:DesignatedCityWard } ?x a ?class .
        FILTER NOT EXISTS { ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?en FILTER(LANG(?en) = "en") } }""")
    assert missing == [{"n": "0"}]


ENGLISH_PAGES = ["/", "/search?q=Maebashi", "/id/lg/102016", "/prefecture/100005", "/country/CN", "/def/kind/sister-city",
                 "/query", "/id/source/gunma-2021"]


@pytest.mark.parametrize("path", ENGLISH_PAGES)
def test_every_page_in_english_and_japanese(client, path):
    sep = "&" if "?" in path else "?"
    english = client.get(path + sep + "lang=en", headers=HTML)
    japanese = client.get(path, headers=HTML)
    assert '<html lang="en">' in english.text and '<html lang="ja">' in japanese.text
    assert english.headers["content-language"] == "en"
    # The switch to the other language, keeping the page.
    assert 'hreflang="ja"' in english.text and 'hreflang="en"' in japanese.text
    # Links from an English page stay in English.
    local = [href for href in re.findall(r'href="(/(?:id|prefecture|country|search)[^"]*)"', english.text)
             if not re.search(r"\.(ttl|nt|jsonld|rdf|csv|json)(\?|$)", href)]  # files and data have no language
    assert all("lang=en" in href for href in local), [h for h in local if "lang=en" not in h][:3]
    assert "Partnerships" in english.text or "Search" in english.text


def test_accept_language_picks_the_language(client):
    english = client.get("/id/lg/102016", headers={"Accept": "text/html", "Accept-Language": "en-US,en;q=0.9,ja;q=0.3"})
    assert '<html lang="en">' in english.text and "<h1>Maebashi City</h1>" in english.text
    assert "Accept-Language" in english.headers["vary"]
    japanese = client.get("/id/lg/102016", headers={"Accept": "text/html", "Accept-Language": "ja,en;q=0.5"})
    assert "<h1>前橋市</h1>" in japanese.text
    assert '<html lang="ja">' in client.get("/id/lg/102016?lang=ja", headers={**HTML, "Accept-Language": "en"}).text


def test_ui_strings_are_one_table_per_language():
    from endpoint.pages.i18n import FOLDER, table
    from endpoint.pages.render import TEMPLATES
    assert set(table("ja")) == set(table("en"))
    used = {key for path in TEMPLATES.glob("*.html") for key in re.findall(r'\bt\("([^"]+)"\)', path.read_text(encoding="utf-8"))}
    assert used and used <= set(table("en")), used - set(table("en"))
    assert sorted(path.name for path in FOLDER.glob("*.json")) == ["en.json", "ja.json"]


def test_home_page_charts_ties_per_decade(client):
    html = page(client, "/")
    svg = re.search(r'<figure class="chart">.*?</figure>', html, re.S).group(0)
    decades = re.findall(r'data-decade="(\d{4})s"', svg)
    assert decades == sorted(decades) and "1990" in decades and "2010" in decades
    counts = [int(n) for n in re.findall(r"<title>\d{4}s, [^:<]+: (\d+)</title>", svg)]
    dated = select(client, """SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
        ?p a <http://localhost:8000/def/lgp#Partnership> ; <http://localhost:8000/def/lgp#date> ?d }""")
    assert sum(counts) == int(dated[0]["n"])
