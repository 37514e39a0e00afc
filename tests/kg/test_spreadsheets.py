"""The CSV tables for spreadsheets, validated by a CSVW implementation (the ``csvw`` package).

The implementation reads the built ``csv/`` folder by its metadata and checks
every cell against its column; the rows it reads, turned into RDF with the
datatypes and languages the metadata declares, must all be triples of the graph.
"""

from __future__ import annotations

import codecs
import csv
import json
from pathlib import Path

import pytest
from csvw import CSVW
from rdflib import XSD, Graph, Literal, URIRef


DC = "http://purl.org/dc/terms/"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def csvw(settings, built):
    return CSVW(str(settings.dist / "csv" / "csv-metadata.json"), validate=True)


@pytest.fixture(scope="module")
def graph(settings, built) -> Graph:
    return Graph().parse(settings.dist / "kg.nt", format="nt")


def test_projects_csv_has_every_project_with_its_source_lines(built, settings):
    rows = read_csv(settings.dist / "csv" / "projects.csv")
    assert list(rows[0]) == ["id", "ward_id", "ward_code", "ward", "title", "field", "organizer", "partner_ids",
                             "partners", "start_year", "sources"]
    assert len(rows) == len(built.merged.projects) == 888
    assert len({row["id"] for row in rows}) == len(rows)
    by_id = {row["id"].rsplit("/", 1)[1]: row for row in rows}
    for project in built.merged.projects:
        row = by_id[project.id]
        assert row["sources"] == ";".join(f"tokyo-wards-2026:{line}" for line in sorted(set(project.record.provenance.lines)))
        assert row["ward_code"].startswith("131")
        assert len(list(filter(None, row["partners"].split(";")))) == len(project.partners)
        assert len(list(filter(None, row["partner_ids"].split(";")))) == len(project.partners)
    setagaya = [row for row in rows if row["ward"] == "世田谷区"]
    assert setagaya and all(row["ward_code"] == "131121" for row in setagaya)
    assert any("(" in partner for row in rows for partner in row["partners"].split(";"))


def test_partnerships_csv_names_the_parties_with_their_codes(settings):
    rows = read_csv(settings.dist / "csv" / "partnerships.csv")
    assert all(row["parties"] for row in rows)
    assert any("前橋市 (102016)" in row["parties"].split(";") for row in rows)


def test_excel_copies_start_with_a_byte_order_mark(settings):
    for name in ("partnerships.csv", "participants.csv", "projects.csv"):
        plain = (settings.dist / "csv" / name).read_bytes()
        excel = (settings.dist / "csv" / "excel" / name).read_bytes()
        assert excel == codecs.BOM_UTF8 + plain


def test_csvw_metadata_validates_against_the_files(csvw):
    assert csvw.is_valid, csvw.warnings[:5]
    assert {Path(table.url.string).name for table in csvw.tables} == {"partnerships.csv", "participants.csv", "projects.csv"}


def _triples(csvw, metadata: dict):
    """The triples of the CSVW reading of every row, typed as the metadata says."""
    columns = {}
    for table in metadata["tables"]:
        for column in table["tableSchema"]["columns"]:
            if "propertyUrl" in column:
                prop = column["propertyUrl"].replace("http://purl.org/dc/terms/", "dc:")
                columns[prop] = column
    for table in csvw.to_json()["tables"]:
        for row in table["row"]:
            for described in row["describes"]:
                subject = URIRef(str(described["@id"]))
                for prop, value in described.items():
                    if prop == "@id":
                        continue
                    column = columns[prop]
                    predicate = URIRef(column["propertyUrl"])
                    if "valueUrl" in column:
                        obj = URIRef(str(value))
                    elif isinstance(column.get("datatype"), str):
                        obj = Literal(str(value), datatype=XSD[column["datatype"]])
                    elif "lang" in column:
                        obj = Literal(str(value), lang=column["lang"])
                    else:
                        obj = Literal(str(value))
                    yield subject, predicate, obj


def test_the_csvw_rdf_agrees_with_the_graph(csvw, graph, settings):
    metadata = json.loads((settings.dist / "csv" / "csv-metadata.json").read_text(encoding="utf-8"))
    triples = list(_triples(csvw, metadata))
    assert len(triples) > 5000
    missing = [t for t in triples if t not in graph]
    assert not missing, missing[:5]
    years = [t for t in triples if str(t[1]).endswith("#startFiscalYear")]
    assert years and all(t[2].datatype == XSD.gYear for t in years)
