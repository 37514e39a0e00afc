"""Pages for people, in-process over a small graph: resources by type, home, search, query, areas."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from pages_data import BASE, CHENGDE, TAINAN, UNRESOLVED, pages_store, write_dist

from endpoint.app import create_app
from endpoint.settings import ServeSettings

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="session")
def pages_dist(tmp_path_factory):
    return write_dist(tmp_path_factory.mktemp("pages-dist"))


@pytest.fixture(scope="session")
def client(pages_dist):
    app = create_app(ServeSettings(dist=pages_dist), backend=pages_store())
    with TestClient(app) as test_client:
        yield test_client


def page(client, path: str) -> str:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def local(iri: str) -> str:
    return iri[len(BASE) - 1:]


def embedded_jsonld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no JSON-LD in the page"
    return json.loads(found.group(1))


# --- Resource pages -----------------------------------------------------------


def test_partnership_page(client):
    html = page(client, "/id/partnership/tainan")
    assert "<h1>みなかみ町・台南市 友好都市</h1>" in html
    assert '<section class="claims">' in html  # the Partnership template, not the generic one
    # Kind, with its family, and the date with its precision.
    assert 'href="/def/kind/friendship-city"' in html and "Friendship city" in html and "姉妹・友好提携" in html
    assert '<time datetime="2013-12-13">2013-12-13</time>' in html and "精度 日" in html
    # Parties with links, class and code.
    assert 'href="/id/lg/104493"' in html and "104493" in html and f'href="{local(TAINAN)}"' in html
    # Each claim: its source, line, wording, raw text, stated parties and how they were resolved.
    assert 'href="/id/source/gunma-2021"' in html and "32 行目" in html and "line 32" in html
    assert 'href="/id/source/taiwan-japan"' in html and "7 行目" in html
    assert "「友好都市提携」" in html
    assert "みなかみ町\t台湾台南市\t友好都市提携\tH25.12.13" in html
    assert "群馬縣水上町" in html and "別名" in html and "old kanji" in html and "地名" in html
    assert "原文「H25.12.13」" in html
    # The generic statements stay, folded.
    assert '<details class="statements">' in html and "xsd:date" in html


def values(value) -> list:
    """A compacted JSON-LD value as a list: one value stands alone, several are an array."""
    return value if isinstance(value, list) else [value]


def test_partnership_page_embeds_jsonld(client):
    data = embedded_jsonld(page(client, "/id/partnership/tainan"))
    main = next(node for node in data["@graph"] if node["@id"] == "data:partnership/tainan")
    assert "lgp:Partnership" in values(main["@type"])
    assert {"@value": "みなかみ町・台南市 友好都市", "@language": "ja"} in values(main["schema:name"])
    assert {"@id": "data:lg/104493"} in values(main["lgp:party"])
    assert data["@context"]["schema"] == "https://schema.org/"


def test_government_jsonld_has_schema_types(client):
    data = embedded_jsonld(page(client, "/id/lg/104493"))
    main = next(node for node in data["@graph"] if node["@id"] == "data:lg/104493")
    assert "schema:GovernmentOrganization" in values(main["@type"])
    assert {"@id": "data:country/JP"} in values(main["schema:containedInPlace"])


def test_partnership_map_joins_the_parties(client):
    html = page(client, "/id/partnership/nakano")
    svg = re.search(r'<figure class="map">.*?</figure>', html, re.S).group(0)
    assert "<svg" in svg and 'class="context"' in svg
    assert svg.count('<line class="tie"') == 1
    assert 'href="/id/lg/104493"' in svg and 'href="/id/lg/131148"' in svg
    assert "2017年度" in html and "年度" in html and "fiscal year" in html
    assert "食い違い" in html and "date" in html  # conflicting field


def test_partnership_with_a_party_off_the_map(client):
    html = page(client, "/id/partnership/busan")
    assert "地図にない当事者 1" in html
    assert "不明" in html  # no date


def test_claim_page(client):
    html = page(client, "/id/claim/tw7")
    assert 'href="/id/partnership/tainan"' in html
    assert "7\t臺南市\t群馬縣水上町\t友好都市\t2013/12/13" in html
    assert "臺南市" in html and f'href="{local(TAINAN)}"' in html


def test_project_page(client):
    html = page(client, "/id/project/forest")
    assert "<h1>中野区の森づくり</h1>" in html
    assert 'href="/id/lg/131148"' in html and 'href="/id/partnership/nakano"' in html
    assert "2005年度" in html and "原文「平成17年度」" in html and "1240 行目" in html
    assert '<figure class="map">' in html and '<line class="tie"' in html


def test_government_page(client):
    html = page(client, "/id/lg/104493")
    assert "<h1>みなかみ町</h1>" in html
    assert "104493" in html and "みなかみまち" in html and "群馬縣水上町" in html
    assert 'href="/id/lg/100005"' in html and 'href="/prefecture/100005"' in html
    # Grouped by kind: twinning first, then disaster cooperation.
    twinning, disaster = html.index('href="/def/kind/friendship-city"'), html.index('href="/def/kind/disaster-mutual-aid"')
    assert twinning < disaster
    assert f'href="{local(TAINAN)}"' in html and "2013-12-13" in html
    # Its projects, as a partner.
    assert 'href="/id/project/forest"' in html
    # The map: the prefecture's dots, a line to each partner with a point.
    svg = re.search(r'<figure class="map">.*?</figure>', html, re.S).group(0)
    assert 'class="area"' in svg and 'class="spot subject"' in svg
    assert svg.count('<line class="tie"') == 1  # 中野区; 台南市 has no point
    assert "地図にない当事者 1" in svg


def test_prefecture_resource_page_links_to_its_listing(client):
    html = page(client, "/id/lg/100005")
    assert "<h1>群馬県</h1>" in html and 'href="/prefecture/100005"' in html


def test_foreign_authority_page(client):
    html = page(client, local(TAINAN))
    assert "<h1>台南市</h1>" in html
    assert 'href="/id/country/TW"' in html and 'href="/country/TW"' in html
    assert 'href="/id/region/TW-TNN"' in html and "TW-TNN" in html
    assert 'href="/id/lg/104493"' in html and "台湾台南市" in html
    svg = re.search(r'<figure class="map">.*?</figure>', html, re.S).group(0)
    assert 'href="/id/lg/104493"' in svg


def test_unresolved_party_page(client):
    html = page(client, local(UNRESOLVED))
    assert "country not stated" in html and 'href="/id/partnership/busan"' in html


def test_country_and_region_pages(client):
    country = page(client, "/id/country/CN")
    assert "<h1>中国</h1>" in country and "China" in country and 'href="/country/CN"' in country
    assert f'href="{local(CHENGDE)}"' in country and 'href="/id/region/CN-HE"' in country
    region = page(client, "/id/region/CN-HE")
    assert "Hebei" in region and f'href="{local(CHENGDE)}"' in region and 'href="/id/lg/102016"' in region


def test_concept_pages(client):
    concept = page(client, "/def/kind/sister-city")
    assert "姉妹都市" in concept and "Sister city" in concept and "姊妹市" in concept
    assert 'href="/id/partnership/chengde"' in concept and 'href="/def/kind/twinning"' in concept
    family = page(client, "/def/kind/twinning")
    assert 'href="/id/partnership/tainan"' in family and 'href="/id/partnership/chengde"' in family
    scheme = page(client, "/def/kind/")
    assert '<ul class="tree">' in scheme
    assert scheme.index('href="/def/kind/twinning"') < scheme.index('href="/def/kind/sister-city"')


def test_source_page(client):
    html = page(client, "/id/source/gunma-2021")
    assert "<h1>姉妹都市等提携状況一覧表</h1>" in html and "2021-06-01" in html
    assert 'href="/id/claim/gunma32"' in html and "友好都市提携" in html


def test_vocabulary_stays_generic(client):
    html = page(client, "/def/lgp")
    assert 'id="Partnership"' in html and '<details class="statements">' not in html


# --- Home, search, query, areas -------------------------------------------------


def test_home(client):
    html = page(client, "/")
    figures = dict(re.findall(r'data-figure="(\w+)">([\d,]+)<', html))
    assert figures["partnerships"] == "4" and figures["projects"] == "1" and figures["sources"] == "3"
    assert figures["claims"] == "3" and figures["parties"] == "7"
    for href in ("/query", "/sparql", "/catalog", "/docs", "/conformance", "/download/kg.nt.gz",
                 "/prefecture/100005", "/country/TW", "/def/lgp", "/def/kind/"):
        assert f'href="{href}"' in html, href
    assert 'action="/search"' in html
    assert 'href="/query?example=ties-of-a-municipality"' in html


def test_home_as_json(client):
    response = client.get("/index.json")
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert {f["key"]: f["count"] for f in data["figures"]}["partnerships"] == 4
    assert any(e["name"] == "ties-of-a-municipality" for e in data["examples"])
    negotiated = client.get("/", headers={"Accept": "application/json"})
    assert negotiated.json() == data and "Accept" in negotiated.headers["vary"]


@pytest.mark.parametrize(
    ("q", "expected", "how"),
    [
        ("みなかみ", "/id/lg/104493", None),
        ("ミナカミ", "/id/lg/104493", None),  # katakana finds the reading
        ("群馬縣水上町", "/id/lg/104493", "出典での表記"),  # as a source writes it
        ("臺南市", local(TAINAN), None),  # the old form of 台 finds the name itself
        ("104493", "/id/lg/104493", None),
        ("10449", "/id/lg/104493", None),  # without the check digit
        ("１０４４９３", "/id/lg/104493", None),  # full-width digits
        ("CN", "/id/country/CN", None),
        ("china", "/id/country/CN", None),
        ("釜山", local(UNRESOLVED), None),
    ],
)
def test_search(client, q, expected, how):
    html = page(client, "/search?q=" + quote(q))
    hits = html[html.index('<ol class="hits"'):]
    assert f'href="{expected}"' in hits
    if how:
        assert how in hits


def test_search_ranks_exact_matches_first(client):
    data = client.get("/search.json", params={"q": "前橋市"}).json()
    assert data["hits"][0]["ref"]["iri"] == BASE + "id/lg/102016" and data["hits"][0]["exact"]
    titles = [hit["ref"]["iri"] for hit in data["titles"]]
    assert BASE + "id/partnership/chengde" in titles


def test_search_without_a_query(client):
    html = page(client, "/search")
    assert '<ol class="hits">' not in html and 'name="q"' in html
    assert client.get("/search.json", params={"q": "存在しない名前"}).json()["hits"] == []


def test_query_page(client):
    html = page(client, "/query")
    assert re.search(r"<textarea[^>]*name=\"query\"", html)
    assert 'data-example="ties-of-a-municipality"' in html
    assert '<script src="/static/query.js" defer></script>' in html
    examples = json.loads(re.search(r'<script type="application/json" id="example-queries">(.*?)</script>', html, re.S).group(1))
    assert {e["name"] for e in examples} >= {"ties-of-a-municipality", "disaster-aid-network"}
    chosen = page(client, "/query?example=ties-of-a-municipality")
    assert "104493" in chosen.split("<textarea", 1)[1].split("</textarea>", 1)[0]
    given = page(client, "/query?query=" + quote("ASK { ?s ?p ?o }"))
    assert "ASK { ?s ?p ?o }</textarea>" in given
    assert client.get("/query.json").json()["examples"][0]["text"].startswith("# title:")


def test_query_js_is_served(client):
    response = client.get("/static/query.js")
    assert response.status_code == 200 and "application/sparql-results+json" in response.text


def test_prefecture_page(client):
    html = page(client, "/prefecture/100005")
    assert "群馬県の連携" in html
    ties = html.split('<section class="ties">', 1)[1]
    assert 'href="/id/lg/104493"' in ties and 'href="/id/lg/102016"' in ties
    assert ties.index('href="/id/lg/102016"') < ties.index('href="/id/lg/104493"')  # by code
    assert 'href="/id/partnership/tainan"' in html and 'href="/id/project/forest"' in html
    assert '<figure class="map">' in html and "3 / 3" in html.replace("</dd>", "")
    data = client.get("/prefecture/100005.json").json()
    assert [m["party"]["code"] for m in data["members"]] == ["102016", "104213", "104493"]


def test_prefecture_by_two_digits_redirects(client):
    response = client.get("/prefecture/10", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == "/prefecture/100005"
    response = client.get("/prefecture/10.json", follow_redirects=False)
    assert response.headers["location"] == "/prefecture/100005.json"


@pytest.mark.parametrize("path", ["/prefecture/99", "/prefecture/abc", "/prefecture/990001", "/country/XX", "/country/JPN"])
def test_unknown_areas_are_404(client, path):
    response = client.get(path, headers=HTML)
    assert response.status_code == 404 and "<h1>404 Not Found</h1>" in response.text


def test_country_page(client):
    html = page(client, "/country/TW")
    assert "台湾との連携" in html and "Taiwan" in html
    assert f'href="{local(TAINAN)}"' in html
    assert 'href="/id/lg/104493"' in html and '<figure class="map">' in html
    assert client.get("/country/tw", follow_redirects=False).headers["location"] == "/country/TW"
    data = client.get("/country/CN", headers={"Accept": "application/json"}).json()
    assert data["tie_count"] == 1 and data["regions"][0]["region"]["code"] == "CN-HE"


def test_pages_answer_not_acceptable(client):
    response = client.get("/prefecture/100005", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert client.get("/prefecture/100005.png").status_code == 404


def test_sparql_form_points_to_the_query_page(client):
    html = page(client, "/sparql")
    assert 'href="/query"' in html and '<form class="query"' in html
