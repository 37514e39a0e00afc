"""Curated tables: every row says why it exists, and a broken table is a one-line error."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.curated import TABLES, LgAlias, WordingKind, read_table
from mapping.errors import InputError

CURATED = Path(__file__).resolve().parents[2] / "data" / "curated"


@pytest.mark.parametrize("path", sorted(CURATED.glob("*.csv")), ids=lambda p: p.name)
def test_every_curated_row_has_a_reason(path):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(row["reason"].strip() for row in rows)


def test_missing_table(tmp_path):
    with pytest.raises(InputError, match=r"nope\.csv: curated table not found"):
        read_table(tmp_path / "nope.csv", LgAlias)


def test_missing_column_names_file_and_line(tmp_path):
    path = tmp_path / "lg-aliases.csv"
    path.write_text("alias,prefecture,code\n水上町,群馬県,104493\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lg-aliases\.csv:1: missing column\(s\) reason"):
        read_table(path, LgAlias)


def test_empty_cell_names_file_and_line(tmp_path):
    path = tmp_path / "lg-aliases.csv"
    path.write_text("alias,prefecture,code,reason\n水上町,群馬県,104493,merged\n寺泊町,新潟県,,merged\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lg-aliases\.csv:3: code: empty"):
        read_table(path, LgAlias)


def test_a_cell_of_the_wrong_shape_names_file_line_and_column(tmp_path):
    path = tmp_path / "lg-aliases.csv"
    path.write_text("alias,prefecture,code,reason\n水上町,群馬県,10449,merged\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lg-aliases\.csv:2: code: bad value '10449'"):
        read_table(path, LgAlias)


def test_a_pattern_that_does_not_compile_is_an_error(tmp_path):
    path = tmp_path / "wording-kinds.csv"
    path.write_text("pattern,kind,lists,reason\n姉妹(,sister-city,any,why\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"wording-kinds\.csv:2: pattern: bad value '姉妹\(': .*not a regular expression"):
        read_table(path, WordingKind)


def test_a_value_outside_the_declared_words_is_an_error(tmp_path):
    path = tmp_path / "wording-kinds.csv"
    path.write_text("pattern,kind,lists,reason\n姉妹,sister-city,some,why\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"wording-kinds\.csv:2: lists: bad value 'some'"):
        read_table(path, WordingKind)


def test_unknown_columns_and_extra_cells_are_errors(tmp_path):
    path = tmp_path / "lg-aliases.csv"
    path.write_text("alias,prefecture,code,reason,note\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lg-aliases\.csv:1: unknown column\(s\) note"):
        read_table(path, LgAlias)
    path.write_text("alias,prefecture,code,reason\n水上町,群馬県,104493,merged,extra\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lg-aliases\.csv:2: more cells than the header's 4"):
        read_table(path, LgAlias)


@pytest.mark.parametrize("path", sorted(CURATED.glob("*.csv")), ids=lambda p: p.name)
def test_every_curated_table_has_a_schema_and_conforms(path):
    assert path.name in TABLES, f"{path.name} has no schema in kg/curated.py"
    assert read_table(path, TABLES[path.name])


def test_every_party_type_is_a_class_of_the_ontology():
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDFS

    from kg.curated import PartyDecision, PartyWord
    ontology = Graph().parse(CURATED.parents[1] / "ontology" / "lgp.ttl")
    lgp = "http://localhost:8000/def/lgp#"
    types = {row.type for row in read_table(CURATED / "party-words.csv", PartyWord)}
    types |= {row.type for row in read_table(CURATED / "party-decisions.csv", PartyDecision)} - {"ForeignLocalAuthority"}
    for name in types - {"Organisation"}:
        assert (URIRef(lgp + name), RDFS.subClassOf, URIRef(lgp + "OtherBody")) in ontology, name
