"""``kg link wikidata`` against a local SPARQL endpoint standing in for Wikidata."""

from __future__ import annotations

import httpx
import pytest
from rdflib import URIRef

from kg.link import fetch_wikidata_links, read_links, write_links
from mapping.errors import InputError
from tests.conftest import running_oxigraph

WD = "http://www.wikidata.org/entity/"
P429 = "<http://www.wikidata.org/prop/direct/P429>"
FIXTURE = f"""
<{WD}Q1001> {P429} "104493" .
<{WD}Q1002> {P429} "011002" .
<{WD}Q1003> {P429} "131016" .
<{WD}Q1004> {P429} "131017" .
<{WD}Q1005> {P429} "221384" .
<{WD}Q1006> {P429} "221384" .
"""


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory):
    """A local SPARQL endpoint holding a few P429 statements, standing in for Wikidata."""
    with running_oxigraph(tmp_path_factory.mktemp("wikidata")) as url:
        response = httpx.post(f"{url}/store?default", content=FIXTURE.encode(),
                              headers={"Content-Type": "application/n-triples"})
        assert response.status_code in (200, 201, 204)
        yield f"{url}/query"


def test_fetch_keeps_valid_unambiguous_codes(wikidata):
    pairs, invalid = fetch_wikidata_links(wikidata)
    # 131017 has a wrong check digit; 221384 is claimed by two items.
    assert pairs == [("011002", WD + "Q1002"), ("104493", WD + "Q1001"), ("131016", WD + "Q1003")]
    assert invalid == 1


def test_links_round_trip_through_the_csv(wikidata, tmp_path):
    pairs, _ = fetch_wikidata_links(wikidata)
    path = write_links(pairs, tmp_path / "links" / "wikidata.csv")
    assert path.read_text(encoding="utf-8").splitlines()[:2] == ["code,item", f"011002,{WD}Q1002"]
    assert read_links(path) == dict(pairs)


def test_no_file_means_no_links(tmp_path):
    assert read_links(tmp_path / "wikidata.csv") == {}


def test_a_bad_row_names_file_and_line(tmp_path):
    path = tmp_path / "wikidata.csv"
    path.write_text(f"code,item\n104493,{WD}Q1\n104494,{WD}Q2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"wikidata\.csv:3:"):
        read_links(path)


def test_an_unreachable_endpoint_is_a_one_line_error():
    with pytest.raises(InputError, match=r"127\.0\.0\.1:9/sparql: the SPARQL query for P429 failed"):
        fetch_wikidata_links("http://127.0.0.1:9/sparql", timeout=2)


def test_the_build_links_governments_to_their_items(tmp_path):
    from kg.build import build
    from kg.config import Settings

    links = tmp_path / "links"
    write_links([("104493", WD + "Q1001"), ("011002", WD + "Q1002")], links / "wikidata.csv")
    result = build(Settings(dist=tmp_path / "dist", links=links), check=False, write=False)
    same_as = {(str(s), str(o)) for s, o in result.graph.subject_objects(URIRef("https://schema.org/sameAs"))}
    assert same_as == {("http://localhost:8000/id/lg/104493", WD + "Q1001"),
                       ("http://localhost:8000/id/lg/011002", WD + "Q1002")}


def test_kg_link_writes_the_table(wikidata, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cli import cli

    monkeypatch.setenv("KG_LINKS", str(tmp_path))
    run = CliRunner().invoke(cli, ["link", "wikidata", "--endpoint", wikidata])
    assert run.exit_code == 0, run.output
    assert "3 links (1 values that are not valid codes left out)" in run.output
    assert read_links(tmp_path / "wikidata.csv")["104493"] == WD + "Q1001"
