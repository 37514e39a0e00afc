"""Governments that merged away: parties of their own, related to their successors by a change event."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF

from kg.predecessors import FormerGovernment, Predecessors
from kg.resolve.japan import Gazetteer
from mapping.errors import InputError

BASE = "http://localhost:8000/"
LGP = BASE + "def/lgp#"
CURATED = Path(__file__).resolve().parents[2] / "data" / "curated"


def _resolutions(built, source: str, line: int) -> list:
    return [r for r in built.resolved.resolutions() if r.source == source and r.line == line]


def _partnership_of(built, key: str):
    return [p for p in built.merged.partnerships if key in {party.key for party in p.parties}]


def test_every_curated_predecessor_is_an_entity_related_to_its_successor(built):
    graph = built.graph
    formers = set(graph.subjects(RDF.type, URIRef(LGP + "FormerLocalGovernment")))
    assert len(formers) == 11
    for node in formers:
        [successor] = graph.objects(node, DCTERMS.isReplacedBy)
        [event] = graph.objects(node, ORG.changedBy)
        assert (event, RDF.type, ORG.ChangeEvent) in graph
        assert (event, ORG.originalOrganization, node) in graph
        assert (event, ORG.resultingOrganization, successor) in graph
        assert (successor, ORG.resultedFrom, event) in graph
        assert graph.value(event, DCTERMS.date) is not None


def test_a_town_named_beside_its_successor_stays_a_party(built):
    """渋川市's 2006 agreement lists 岩舟町 and 栃木市 (which absorbed it in 2014)."""
    [iwafune] = [r for r in _resolutions(built, "gunma-2021", 47) if r.mention.name == "岩舟町"]
    assert isinstance(iwafune.party, FormerGovernment) and iwafune.method == "predecessor"
    [agreement] = _partnership_of(built, iwafune.party.key)
    keys = {party.key for party in agreement.parties}
    assert "lg/092037" in keys  # 栃木市


def test_a_county_abroad_named_beside_its_successor_stays_a_party(built):
    """静岡県's 2009 agreement names 高雄市 and 高雄縣, which merged into it in 2010."""
    [agreement] = _partnership_of(built, "former/TW/高雄縣")
    keys = {party.key for party in agreement.parties}
    assert {"place/TW/TW-KHH", "former/TW/臺北縣"} <= keys


def test_the_old_name_or_area_of_a_successor_resolves_to_the_predecessor(built):
    [teradomari] = [r for r in _resolutions(built, "gunma-2021", 13) if "寺泊" in r.mention.name]
    assert teradomari.party.key == "former/JP/新潟県/寺泊町"
    [takato] = [r for r in _resolutions(built, "tokyo-wards-2026", 376) if "高" in r.mention.name]
    assert takato.party.key == "former/JP/長野県/高遠町"
    formers = {r.party.key for r in _resolutions(built, "tokyo-wards-2026", 640) if isinstance(r.party, FormerGovernment)}
    assert formers == {"former/JP/新潟県/吉川町", "former/JP/埼玉県/荒川村"}


def test_a_project_description_naming_the_predecessor_of_its_partner(built):
    """板橋区 concluded its agreement with 旧栗山村 in 1983; 日光市 succeeded to it."""
    [kuriyama] = [r for r in _resolutions(built, "tokyo-wards-2026", 1361) if r.mention.name.endswith("日光市")]
    assert (kuriyama.party.key, kuriyama.method) == ("former/JP/栃木県/栗山村", "predecessor")
    assert "旧栗山村" in kuriyama.note
    assert _partnership_of(built, "former/JP/栃木県/栗山村"), "the agreement is a tie of 栗山村"


def test_an_old_name_in_a_tie_made_after_the_change_stands_for_the_successor(built):
    """Taiwan's list writes みなかみ町 as 水上町 (a tie of 2013; 水上町 ceased in 2005)."""
    [minakami] = [r for r in _resolutions(built, "taiwan-japan", 203) if "水上" in r.mention.name]
    assert (minakami.party.key, minakami.method) == ("lg/104493", "successor")
    assert "after" in minakami.note


def test_inherited_ties_are_queryable_from_the_successor(built):
    query = f"""
    PREFIX lgp: <{LGP}> PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?partnership ?former WHERE {{
      ?former dcterms:isReplacedBy <{BASE}id/lg/152021> . ?partnership lgp:party ?former .
    }}"""
    rows = list(built.graph.query(query))
    assert len(rows) == 1
    partnership = rows[0][0]
    assert (partnership, URIRef(LGP + "party"), URIRef(BASE + "id/lg/102041")) in built.graph  # 伊勢崎市
    assert (rows[0][1], URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("寺泊町", lang="ja")) in built.graph


@pytest.mark.parametrize("row, error", [
    ("岩舟町,JP,栃木県,,,2014-04-05,999999,,x,y", r":2: successor '999999' is not a current government's code"),
    ("岩舟町,JP,栃木県,092030,,2014-04-05,092037,,x,y", r":2: old_code '092030' is not a 団体コード"),
    ("岩舟町,JP,栃木県,,,2014/04/05,092037,,x,y", r":2: end: bad value '2014/04/05'"),
    ("高雄縣,TW,,,,2010-12-25,place/TW/TW-KHH,,x,y", r":2: successor 'place/TW/TW-KHH' is neither"),
])
def test_a_bad_predecessor_row_names_file_and_line(tmp_path, row, error):
    for table in CURATED.glob("*.csv"):
        shutil.copy(table, tmp_path / table.name)
    header = (CURATED / "lg-predecessors.csv").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "lg-predecessors.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lg-predecessors\.csv" + error):
        Predecessors.load(tmp_path, Gazetteer.load(tmp_path))


@pytest.fixture(scope="module")
def client(settings, built):
    from fastapi.testclient import TestClient

    from endpoint.app import create_app
    from endpoint.settings import ServeSettings

    with TestClient(create_app(ServeSettings(dist=settings.dist))) as test_client:
        yield test_client


def test_the_successor_page_shows_inherited_ties(client):
    response = client.get("/id/lg/152021", headers={"Accept": "text/html"})  # 長岡市
    assert response.status_code == 200
    section = response.text.split('class="ties inherited"', 1)
    assert len(section) == 2, "no section of inherited ties"
    assert "伊勢崎市" in section[1].split("</section>", 1)[0]


def test_a_former_government_has_a_page(client):
    from urllib.parse import quote

    response = client.get("/id/former/JP/" + quote("栃木県") + "/" + quote("岩舟町"), headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "岩舟町" in response.text and "栃木市" in response.text


def test_an_old_code_a_curated_row_states_links_to_its_standard_area_code(tmp_path):
    from kg.iris import Iris
    from kg.links import Links
    from kg.links.graph import linksets
    from kg.links.tables import empty_folder
    from kg.resolve.japan import check_digit

    for table in CURATED.glob("*.csv"):
        shutil.copy(table, tmp_path / table.name)
    header = (CURATED / "lg-predecessors.csv").read_text(encoding="utf-8").splitlines()[0]
    old = "09367" + check_digit("09367")  # an old code, as a row would state it
    (tmp_path / "lg-predecessors.csv").write_text(
        f"{header}\n岩舟町,JP,栃木県,{old},,2014-04-05,092037,,merged,stated by a table\n", encoding="utf-8")
    gazetteer = Gazetteer.load(tmp_path)
    predecessors = Predecessors.load(tmp_path, gazetteer)
    assert predecessors.formers[0].code == old
    iris = Iris()
    plain = linksets(Links.load(empty_folder(tmp_path / "links").folder), iris, gazetteer, predecessors)[0]
    links = dict(plain.links)
    assert str(links[iris.party("former/JP/栃木県/岩舟町")]) == "http://data.e-stat.go.jp/lod/sac/C09367"
    assert len(links) == len(gazetteer.by_code) + 1
