"""``kg link estat`` and ``kg link wikidata`` against a local oxigraph server, and the build that reads their tables."""

from __future__ import annotations

import json

import httpx
import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from cli import cli
from kg.links import Links, plain_code
from kg.links.estat import fetch_latest_codes
from kg.links.tables import Manifest, empty_folder
from kg.links.wikidata import fetch_p190, fetch_wikidata_links
from mapping.errors import InputError
from tests.conftest import running_oxigraph

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
SAC = "http://data.e-stat.go.jp/lod/sac/"
SACS = "http://data.e-stat.go.jp/lod/terms/sacs#"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
VALID = "<http://purl.org/dc/terms/valid>"


def _code(item: str, code: str) -> str:
    return f'<{WD}{item}> <{WDT}P429> "{code}" .\n'


def _p190(item: str, partner: str) -> str:
    return f"<{WD}{item}> <{WDT}P190> <{WD}{partner}> .\n"


def _plain(code: str, dated: str, label: str, valid: str = "") -> str:
    text = (f"<{SAC}C{code}> {TYPE} <{SACS}PlainStandardAreaCode> .\n"
            f"<{SAC}C{code}> <{SACS}latestCode> <{dated}> .\n"
            f'<{dated}> {LABEL} "{label}"@ja .\n')
    if valid:
        text += f'<{dated}> {VALID} "{valid}"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
    return text


FIXTURE = "".join([
    # Wikidata: P429 of some governments (one with a wrong check digit, one code claimed twice).
    _code("Q1001", "104493"), _code("Q1002", "011002"), _code("Q1003", "131016"), _code("Q1004", "131017"),
    _code("Q1005", "221384"), _code("Q1006", "221384"), _code("Q1007", "082171"),
    # みなかみ町's P190: 台南市 (the graph has it), 札幌市 (the graph lacks it); not 取手市, which the graph has.
    _p190("Q1001", "Q2001"), _p190("Q1001", "Q1002"),
    f'<{WD}Q2001> {LABEL} "臺南市"@zh-hant .\n', f'<{WD}Q2001> {LABEL} "Tainan"@en .\n',
    f"<{WD}Q2001> <{WDT}P17> <{WD}Q865> .\n", f'<{WD}Q865> <{WDT}P297> "TW" .\n',
    f'<{WD}Q1002> {LABEL} "札幌市"@ja .\n',
    # 千代田区's P190: two items both named 高雄市 in Taiwan (candidates), one matching nothing.
    _p190("Q1003", "Q2003"), _p190("Q1003", "Q2004"), _p190("Q1003", "Q2005"),
    f'<{WD}Q2003> {LABEL} "高雄市"@zh-hant .\n', f"<{WD}Q2003> <{WDT}P17> <{WD}Q865> .\n",
    f'<{WD}Q2004> {LABEL} "高雄市"@zh .\n', f"<{WD}Q2004> <{WDT}P17> <{WD}Q865> .\n",
    f'<{WD}Q2005> {LABEL} "Nowhere"@en .\n',
    # 長岡市–伊勢崎市: the graph has it as 寺泊町's, inherited by 長岡市.
    _code("Q1008", "152021"), _code("Q1009", "102041"), _p190("Q1008", "Q1009"),
    # 千代田区's P190 with 高雄市 by its ISO 3166-2 code (P300), a tie the graph lacks.
    _p190("Q1003", "Q2006"), f'<{WD}Q2006> <{WDT}P300> "TW-KHH" .\n',
    # e-Stat: latest dated codes, one whose label is not the government's, one ended, one not a code.
    _plain("10449", f"{SAC}C10449-20051001", "みなかみ町"),
    _plain("13101", f"{SAC}C13101-19700401", "千代田区"),
    _plain("10201", f"{SAC}C10201-20090505", "別の名前"),
    _plain("22131", f"{SAC}C22131-20070401", "中区", "2023-12-31"),
    _plain("01100", f"{SAC}C01100-19720401", "札幌市"),
    f"<{SAC}C99999> {TYPE} <{SACS}PlainStandardAreaCode> .\n<{SAC}C99999> <{SACS}latestCode> <http://example.org/x> .\n",
])


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """A local SPARQL endpoint standing in for both Wikidata and e-Stat."""
    with running_oxigraph(tmp_path_factory.mktemp("linked")) as url:
        response = httpx.post(f"{url}/store?default", content=FIXTURE.encode(),
                              headers={"Content-Type": "application/n-triples"})
        assert response.status_code in (200, 201, 204)
        yield f"{url}/query"


def test_wikidata_keeps_valid_unambiguous_codes(endpoint):
    pairs, invalid = fetch_wikidata_links(endpoint)
    # 131017 has a wrong check digit; 221384 is claimed by two items.
    assert pairs == [("011002", WD + "Q1002"), ("082171", WD + "Q1007"), ("102041", WD + "Q1009"),
                     ("104493", WD + "Q1001"), ("131016", WD + "Q1003"), ("152021", WD + "Q1008")]
    assert invalid == 1


def test_p190_rows_carry_partner_code_country_and_labels(endpoint):
    rows = fetch_p190(endpoint, {WD + "Q1001", WD + "Q1003"}, page=3)
    assert (WD + "Q1001", WD + "Q2001", "", "", "TW", "臺南市", "zh-hant") in rows
    assert (WD + "Q1001", WD + "Q1002", "011002", "", "", "札幌市", "ja") in rows
    assert (WD + "Q1003", WD + "Q2006", "", "TW-KHH", "", "", "") in rows
    assert {row[1] for row in rows} == {WD + q for q in ("Q2001", "Q1002", "Q2003", "Q2004", "Q2005", "Q2006")}
    assert fetch_p190(endpoint, {WD + "Q1001"}) == [row for row in rows if row[0] == WD + "Q1001"]


def test_estat_latest_codes_page_by_page(endpoint):
    rows, invalid = fetch_latest_codes(endpoint, page=2)
    assert rows == fetch_latest_codes(endpoint)[0]
    assert invalid == 1
    assert ("10449", f"{SAC}C10449-20051001", "みなかみ町", "") in rows
    assert ("22131", f"{SAC}C22131-20070401", "中区", "2023-12-31") in rows


def test_an_unreachable_endpoint_is_a_one_line_error():
    with pytest.raises(InputError, match=r"127\.0\.0\.1:9/sparql: the SPARQL query for sacs:latestCode failed"):
        fetch_latest_codes("http://127.0.0.1:9/sparql", timeout=2)


@pytest.fixture(scope="module")
def fetched(endpoint, tmp_path_factory):
    """A links folder filled by both link commands from the local endpoint."""
    folder = tmp_path_factory.mktemp("links")
    runner = CliRunner(env={"KG_LINKS": str(folder)})
    estat = runner.invoke(cli, ["link", "estat", "--endpoint", endpoint])
    wikidata = runner.invoke(cli, ["link", "wikidata", "--endpoint", endpoint])
    return folder, estat, wikidata, endpoint


def test_link_commands_write_tables_and_manifest(fetched):
    folder, estat, wikidata, endpoint = fetched
    assert estat.exit_code == 0, estat.output
    assert wikidata.exit_code == 0, wikidata.output
    assert "5 dated codes (1 answers that are not codes left out)" in estat.output
    assert "6 links (1 values that are not valid codes left out)" in wikidata.output
    assert "7 P190 statements" in wikidata.output
    manifest = Manifest.load(folder)
    for table in manifest.tables:
        assert table.endpoint == endpoint and len(table.retrieved) == 10, table
    links = Links.load(folder)
    assert links.items["104493"] == WD + "Q1001"
    assert links.dated["10449"].sac == f"{SAC}C10449-20051001"
    assert links.p190_retrieved


@pytest.fixture(scope="module")
def linked_build(fetched, tmp_path_factory):
    from kg.build import build
    from kg.config import Settings

    folder = fetched[0]
    dist = tmp_path_factory.mktemp("dist-linked")
    return build(Settings(dist=dist, links=folder), check=False), dist


def test_the_next_build_links_governments_to_items_and_periods(linked_build):
    result, _ = linked_build
    graph = result.graph
    same_as = {(str(s), str(o)) for s, o in graph.subject_objects(URIRef("https://schema.org/sameAs"))}
    assert ("http://localhost:8000/id/lg/104493", WD + "Q1001") in same_as
    assert len(same_as) == 6
    period = URIRef("http://localhost:8000/def/lgp#periodStandardAreaCode")
    periods = {str(s).rsplit("/", 1)[-1]: str(o) for s, o in graph.subject_objects(period)}
    # 前橋市's row names another government; 浜松市中区 (ended 2024) takes its ended period.
    assert periods == {"104493": f"{SAC}C10449-20051001", "131016": f"{SAC}C13101-19700401",
                       "221317": f"{SAC}C22131-20070401", "011002": f"{SAC}C01100-19720401"}


def test_the_build_reports_the_p190_diff(linked_build):
    result, dist = linked_build
    p190 = json.loads((dist / "report.json").read_text(encoding="utf-8"))["links"]["wikidata_p190"]
    assert p190["fetched"] and p190["p190_statements"] == 7
    # Wikidata has みなかみ町–札幌市 (matched by P429) and 千代田区–高雄市 (by P300); the graph does not.
    assert [row["labels"] for row in p190["wikidata_only"]] == [["札幌市", "みなかみ町"], ["千代田区", "高雄市"]]
    # みなかみ町–台南市 is in both (matched by label and country); みなかみ町–取手市 only in the graph.
    graph_only = {tuple(row["labels"]) for row in p190["graph_only"]}
    assert ("取手市", "みなかみ町") in graph_only
    assert not any("台南市" in labels and "みなかみ町" in labels for labels in graph_only)
    assert sorted(c["partner"] for c in p190["candidates"]) == [WD + "Q2003", WD + "Q2004"]
    # 長岡市–伊勢崎市 is 寺泊町's tie, inherited: in both, so in neither list.
    assert not any("伊勢崎市" in row["labels"] and "長岡市" in row["labels"] for row in p190["graph_only"])
    assert p190["unmatched_partners"] == 1
    statements = (dist / "links" / "wikidata-p190.qs").read_text(encoding="utf-8").splitlines()
    [line] = [s for s in statements if s.startswith("Q1001\tP190\tQ1007")]
    assert '\tS854\t"http://localhost:8000/download/sources/' in line and '\tS958\t"line ' in line
    assert any(s.startswith("Q1007\tP190\tQ1001") for s in statements)
    assert "## Wikidata P190 against the graph's twinning ties" in (dist / "report.md").read_text(encoding="utf-8")


def test_a_default_build_links_every_japanese_government_to_estat(built, settings):
    graph = built.graph
    lgp = "http://localhost:8000/def/lgp#"
    code_of = {s: str(o) for s, o in graph.subject_objects(URIRef(lgp + "localGovernmentCode"))}
    sac = dict(graph.subject_objects(URIRef(lgp + "standardAreaCode")))
    assert len(code_of) == 1966  # every government of the code table, the 7 abolished wards of 浜松市 included
    assert all(sac[node] == plain_code(code) for node, code in code_of.items())
    report = built.report.data["links"]
    assert report["japanese_governments_linked_to_estat"] == report["japanese_governments"] == len(code_of)


def test_the_catalog_describes_each_link_set(built, settings):
    catalog = Graph().parse(settings.dist / "catalog.ttl")
    sets = {str(node).rsplit("/", 1)[-1]: node for node in catalog.subjects(RDF.type, VOID.Linkset)}
    assert set(sets) == {"estat-sac", "estat-sac-period", "wikidata"}
    plain = sets["estat-sac"]
    assert int(catalog.value(plain, VOID.triples)) == 1966
    assert str(catalog.value(plain, VOID.linkPredicate)) == "http://localhost:8000/def/lgp#standardAreaCode"
    target = catalog.value(plain, VOID.objectsTarget)
    assert str(catalog.value(target, VOID.sparqlEndpoint)) == "http://data.e-stat.go.jp/lod/sparql/alldata/query"
    dumps = [catalog.value(d, DCAT.downloadURL) for d in catalog.objects(plain, DCAT.distribution)]
    assert URIRef("http://localhost:8000/download/links/estat-sac.nt") in dumps
    lines = (settings.dist / "links" / "estat-sac.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1966 and lines == sorted(lines)


def test_a_bad_table_row_names_file_and_line(tmp_path):
    empty_folder(tmp_path)
    (tmp_path / "wikidata.csv").write_text(f"code,item\n104493,{WD}Q1\n104494,{WD}Q2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"wikidata\.csv:3:"):
        Links.load(tmp_path)


def test_a_listed_table_that_is_missing_is_an_error(tmp_path):
    empty_folder(tmp_path)
    (tmp_path / "estat.csv").unlink()
    with pytest.raises(InputError, match=r"estat\.csv: listed in manifest\.toml but missing"):
        Links.load(tmp_path)


def _readme_query(heading: str) -> str:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    after = text.split(heading, 1)[1]
    return after.split("```sparql\n", 1)[1].split("```", 1)[0]


def test_the_readme_federated_query_runs_where_service_is_allowed(endpoint, settings, built):
    """The README's e-Stat query, its SERVICE pointed at the local stand-in, through the server."""
    from fastapi.testclient import TestClient

    from endpoint.app import create_app
    from endpoint.settings import ServeSettings

    query = _readme_query("台南市:\n").replace("http://data.e-stat.go.jp/lod/sparql/alldata/query", endpoint)
    extra = (f'<{SAC}C10449-20051001> <{SACS}administrativeClass> <{SACS}Town> .\n'
             f'<{SAC}C10449-20051001> {LABEL} "Minakami-machi"@en .\n')
    assert httpx.post(endpoint.replace("/query", "/store?default"), content=extra.encode(),
                      headers={"Content-Type": "application/n-triples"}).status_code in (200, 201, 204)
    accept = {"Accept": "application/sparql-results+json"}
    with TestClient(create_app(ServeSettings(dist=settings.dist, allow_service=("127.0.0.1",)))) as client:
        response = client.get("/sparql", params={"query": query}, headers=accept)
        assert response.status_code == 200, response.text
        rows = [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]
        assert {"name": "みなかみ町", "class": SACS + "Town", "english": "Minakami-machi"} in rows
    with TestClient(create_app(ServeSettings(dist=settings.dist))) as client:
        assert client.get("/sparql", params={"query": query}, headers=accept).status_code >= 400
