"""Curated tables: every row says why it exists, and a broken table is a one-line error."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from kg.curated import read_table, schema_of
from mapping.errors import InputError

CURATED = Path(__file__).resolve().parents[2] / "data" / "curated"


@pytest.mark.parametrize("path", sorted(CURATED.glob("*.csv")), ids=lambda p: p.name)
def test_every_curated_row_has_a_reason(path):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(row["reason"].strip() for row in rows)


def test_missing_table(tmp_path):
    with pytest.raises(InputError, match=r"nope\.csv: curated table not found"):
        read_table(tmp_path / "nope.csv", ("alias",))


def aliases(tmp_path: Path, text: str) -> Path:
    """A copy of lg-aliases.csv's schema beside ``text`` as the table."""
    shutil.copy(CURATED / "lg-aliases.csv-metadata.json", tmp_path)
    path = tmp_path / "lg-aliases.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_column_names_file_and_line(tmp_path):
    path = tmp_path / "lg-aliases.csv"
    shutil.copy(CURATED / "lg-aliases.csv-metadata.json", tmp_path)
    path.write_text("alias,prefecture,code\n水上町,群馬県,104493\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lg-aliases\.csv:1: missing column\(s\) reason"):
        read_table(path, ("alias", "prefecture", "code", "reason"))


def test_empty_cell_names_file_and_line(tmp_path):
    path = tmp_path / "lg-aliases.csv"
    shutil.copy(CURATED / "lg-aliases.csv-metadata.json", tmp_path)
    path.write_text("alias,prefecture,code,reason\n水上町,群馬県,104493,merged\n寺泊町,新潟県,,merged\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lg-aliases\.csv:3: empty code"):
        read_table(path, ("alias", "prefecture", "code", "reason"))


@pytest.mark.parametrize("path", sorted(CURATED.glob("*.csv")), ids=lambda p: p.name)
def test_every_curated_table_declares_its_schema_and_keeps_it(path):
    schema = schema_of(path)
    assert any(column.name == "reason" and column.required for column in schema)
    assert read_table(path, tuple(column.name for column in schema))


def test_a_cell_out_of_format_names_file_line_and_column(tmp_path):
    path = aliases(tmp_path, "alias,prefecture,code,reason\n水上町,群馬県,104493,merged\n寺泊町,新潟県,15202,merged\n")
    with pytest.raises(InputError, match=r"lg-aliases\.csv:3: code '15202' does not match"):
        read_table(path, ("alias", "code", "reason"))


def test_a_column_outside_the_schema_is_an_error(tmp_path):
    path = aliases(tmp_path, "alias,prefecture,code,reason,note\n水上町,群馬県,104493,merged,x\n")
    with pytest.raises(InputError, match=r"lg-aliases\.csv:1: column\(s\) note not in its schema"):
        read_table(path, ("alias", "code", "reason"))


def test_a_table_without_a_schema_is_an_error(tmp_path):
    path = tmp_path / "words.csv"
    path.write_text("word,reason\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"words\.csv-metadata\.json: no schema for words\.csv"):
        read_table(path, ("word", "reason"))
