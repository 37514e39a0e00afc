"""The build on the vendored sources: files, validation, determinism, and second parsers."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.namespace import DCAT, RDF, SH

from kg.build import build
from kg.config import Settings
from kg.resolve.japan import valid_code
from tests.conftest import require_tool

EXPECTED_FILES = [
    "kg.nt", "kg.nt.gz", "kg.ttl", "kg.ttl.gz", "kg.jsonld", "kg.jsonld.gz",
    "csv/partnerships.csv", "csv/participants.csv", "csv/projects.csv", "csv/csv-metadata.json",
    "csv/excel/partnerships.csv", "csv/excel/participants.csv", "csv/excel/projects.csv",
    "catalog.ttl", "report.json", "report.md", "shacl-report.ttl",
]


def ntriples(path: Path) -> set[str]:
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line}


def test_build_writes_every_file_with_zero_violations(built, settings):
    assert built.validation.conforms and built.validation.violations == []
    for name in EXPECTED_FILES:
        assert (settings.dist / name).stat().st_size > 0, name
    report = Graph().parse(settings.dist / "shacl-report.ttl")
    assert [str(o) for o in report.objects(None, SH.conforms)] == ["true"]


def test_ntriples_are_sorted_and_gzip_has_no_timestamp(settings):
    lines = (settings.dist / "kg.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines))
    raw = (settings.dist / "kg.nt.gz").read_bytes()
    assert raw[4:8] == b"\x00\x00\x00\x00"  # MTIME field
    assert gzip.decompress(raw) == (settings.dist / "kg.nt").read_bytes()


def test_reordered_sources_give_byte_identical_dumps(built, settings, tmp_path):
    """Same sources in another manifest order: the same IRIs and the same bytes."""
    folder = tmp_path / "sources"
    shutil.copytree(settings.manifest.parent, folder)
    manifest = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    reordered = list(reversed(manifest["source"]))
    lines = []
    for entry in reordered:
        lines.append("[[source]]")
        lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in entry.items()]
        lines.append("")
    (folder / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
    again = Settings(dist=tmp_path / "dist", manifest=folder / "manifest.toml")
    result = build(again)
    assert result.ok
    for name in ("kg.nt", "kg.nt.gz", "kg.ttl", "kg.jsonld", "csv/partnerships.csv", "csv/participants.csv",
                 "csv/projects.csv"):
        assert (again.dist / name).read_bytes() == (settings.dist / name).read_bytes(), name


def test_turtle_and_ntriples_parse_with_rapper(settings, built):
    rapper = require_tool("rapper")
    for name, syntax in (("kg.ttl", "turtle"), ("kg.nt", "ntriples")):
        run = subprocess.run([rapper, "-i", syntax, "-o", "ntriples", str(settings.dist / name)],
                             capture_output=True, check=True)
        triples = {line for line in run.stdout.decode("utf-8").splitlines() if line}
        assert len(triples) == len(built.graph), name


def test_every_dump_has_the_same_triples_in_pyoxigraph(settings):
    reference = ox.Store()
    reference.bulk_load(path=str(settings.dist / "kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    for name, fmt in (("kg.ttl", ox.RdfFormat.TURTLE), ("kg.jsonld", ox.RdfFormat.JSON_LD)):
        other = ox.Store()
        other.bulk_load(path=str(settings.dist / name), format=fmt)
        assert len(other) == len(reference), name
        assert set(other) == set(reference), name


def test_pyld_expansion_of_the_jsonld_gives_the_same_triples(settings):
    document = json.loads((settings.dist / "kg.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    from_jsonld = ox.Store()
    from_jsonld.load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    reference = ox.Store()
    reference.bulk_load(path=str(settings.dist / "kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    assert set(from_jsonld) == set(reference)


def test_jsonld_uses_the_published_context(settings):
    document = json.loads((settings.dist / "kg.jsonld").read_text(encoding="utf-8"))
    published = json.loads((Path(__file__).resolve().parents[2] / "ontology" / "context.jsonld").read_text())
    assert document["@context"] == published["@context"]
    first = document["@graph"][0]
    assert all(":" in key or key in ("id", "type") for key in first)


def test_compaction_matches_pyld_on_a_sample():
    from kg.dumps import compact_jsonld

    sample = (
        '<http://localhost:8000/id/lg/104493> <http://www.w3.org/2000/01/rdf-schema#label> "みなかみ町"@ja .\n'
        '<http://localhost:8000/id/lg/104493> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://localhost:8000/def/lgp#Municipality> .\n'
        '<http://localhost:8000/id/partnership/x> <http://localhost:8000/def/lgp#date> "2013-12-13"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
        '<http://localhost:8000/id/partnership/x> <http://localhost:8000/def/lgp#party> <http://localhost:8000/id/lg/104493> .\n'
        '<http://localhost:8000/id/partnership/x> <http://localhost:8000/def/lgp#party> <http://localhost:8000/id/place/TW/TW-TNN> .\n'
    )
    context = json.loads((Path(__file__).resolve().parents[2] / "ontology" / "context.jsonld").read_text())
    ours = compact_jsonld(sample, context)
    expanded = jsonld.from_rdf(sample, {"format": "application/n-quads"})
    theirs = jsonld.compact(expanded, context)
    normalize = lambda doc: sorted(json.dumps(node, sort_keys=True, ensure_ascii=False) for node in doc["@graph"])
    for node in theirs["@graph"]:  # PyLD keeps single values as values, lists as lists: same as ours
        for key, value in list(node.items()):
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    for node in ours["@graph"]:
        for key, value in list(node.items()):
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    assert normalize(ours) == normalize(theirs)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_partnerships_csv(built, settings):
    rows = read_csv(settings.dist / "csv" / "partnerships.csv")
    assert list(rows[0]) == ["id", "kind", "title", "date", "date_precision", "sources", "parties"]
    assert len(rows) == len(built.merged.partnerships)
    kinds = {p.kind for p in built.merged.partnerships}
    assert {row["kind"] for row in rows} == kinds
    for row in rows:
        for ref in row["sources"].split(";"):
            source, line = ref.rsplit(":", 1)
            assert source in {s.id for s in built.ingestion.sources} and int(line) > 0
        assert row["date_precision"] in ("", "day", "month", "year", "fiscal-year")
    minakami = [row for row in rows if row["id"].endswith(built_id(built, "104493", "TW-TNN"))]
    assert minakami and minakami[0]["sources"] == "gunma-2021:100;taiwan-japan:203"


def built_id(built, code: str, region: str) -> str:
    for partnership in built.merged.partnerships:
        keys = {party.key for party in partnership.parties}
        if f"lg/{code}" in keys and any(region in key for key in keys):
            return partnership.id
    raise AssertionError("partnership not found")


def test_participants_csv(built, settings):
    rows = read_csv(settings.dist / "csv" / "participants.csv")
    assert list(rows[0]) == ["partnership_id", "party_id", "lg_code", "name", "country"]
    assert len(rows) == sum(len(p.parties) for p in built.merged.partnerships)
    for row in rows:
        if row["lg_code"]:
            assert valid_code(row["lg_code"]) and row["country"] == "JP"
            assert row["party_id"].endswith("/id/lg/" + row["lg_code"])
        if row["country"]:
            assert len(row["country"]) == 2 and row["country"].isupper()
    sapporo = [row for row in rows if row["lg_code"] == "011002"]
    assert sapporo and sapporo[0]["name"] == "札幌市"


def test_csvw_metadata_describes_both_tables(settings):
    metadata = json.loads((settings.dist / "csv" / "csv-metadata.json").read_text(encoding="utf-8"))
    tables = {table["url"]: table for table in metadata["tables"]}
    assert set(tables) == {"partnerships.csv", "participants.csv", "projects.csv"}
    for name, table in tables.items():
        header = next(csv.reader((settings.dist / "csv" / name).open(encoding="utf-8")))
        assert [column["name"] for column in table["tableSchema"]["columns"]] == header


def test_catalog_lists_each_dump_with_its_media_type(settings):
    catalog = Graph().parse(settings.dist / "catalog.ttl")
    media = {str(url).rsplit("/download/", 1)[-1]: str(catalog.value(d, DCAT.mediaType))
             for d in catalog.subjects(RDF.type, DCAT.Distribution) for url in catalog.objects(d, DCAT.downloadURL)}
    assert media["kg.ttl"].endswith("text/turtle")
    assert media["kg.nt"].endswith("application/n-triples")
    assert media["kg.jsonld"].endswith("application/ld+json")
    assert media["kg.ttl.gz"].endswith("application/gzip")
    assert media["csv/partnerships.csv"].endswith("text/csv")
    # the graph, its five sources, its three link sets, the work the Taiwan list says it was compiled from
    assert len(set(catalog.subjects(RDF.type, DCAT.Dataset))) == 10


def test_report_lists_conflicts_and_unresolved(settings, built):
    report = json.loads((settings.dist / "report.json").read_text(encoding="utf-8"))
    assert report["conflicts"], "the sources disagree somewhere"
    for conflict in report["conflicts"]:
        assert set(conflict) == {"partnership", "field", "values"}
        assert conflict["field"] in ("kind", "date") and len(conflict["values"]) >= 2
    assert all(u["reason"] for u in report["unresolved"])
    # 釜山 (agreements-2016 line 159) names no country: another row locates 釜山 in Korea.
    busan = [d for d in report["decisions"] if (d["source"], d["line"]) == ("agreements-2016", 159)]
    assert [(d["rule"], d["outcome"].endswith("(place/KR/KR-26)")) for d in busan] == [("country-from-other-row", True)]
    organisations = {row["name"]: row for row in report["organisations"]}
    assert organisations["福建博物院"]["type"] == "Museum" and organisations["福建博物院"]["country"] == "CN"
    assert organisations["ベトナム"]["type"] == "NationalGovernment"
    assert any(row["conflicts"] == ["kind"] for row in report["merges"])
    assert report["shacl"] == {"conforms": True, "violations": []}
    markdown = (settings.dist / "report.md").read_text(encoding="utf-8")
    assert "## Conflicts between sources" in markdown and "## Unresolved mentions" in markdown
    assert "## Decisions taken by rule on ambiguous cells" in markdown and "## Merges: ties reported by several sources" in markdown


@pytest.mark.parametrize("base", ["https://data.example.jp/lg/"])
def test_another_base_moves_every_iri(base, tmp_path):
    result = build(Settings(base=base, dist=tmp_path), write=False)
    assert result.ok
    # Other tables' IRIs (W3C's, the EU language authority's) are not minted here and stay.
    others = ("http://www.w3.org", "http://publications.europa.eu/resource/authority/")
    subjects = {str(s) for s in result.graph.subjects() if not str(s).startswith(others)}
    assert subjects and all(s.startswith(base) for s in subjects)


def test_status_comes_from_what_the_source_says(built):
    """桐生市's row: みどり市(H18.3.27 災害時における相互援助に関する協定(R3.3.23再結成))."""
    renewed = [p for p in built.merged.partnerships if "renewed" in p.statuses]
    kiryu_midori = [p for p in renewed if {party.label for party in p.parties} == {"桐生市", "みどり市"}]
    assert len(kiryu_midori) == 1 and kiryu_midori[0].kind == "disaster-mutual-aid"
    assert kiryu_midori[0].date.iso == "2006-03-27"
    suspended = [p for p in built.merged.projects if "suspended" in p.statuses]
    assert any("平成23年度以降休止" in p.record.description.replace(" ", "") for p in suspended)
    # The lists state no tie as suspended or ended; only project descriptions do.
    assert {status for p in built.merged.partnerships for status in p.statuses} == {"renewed"}
