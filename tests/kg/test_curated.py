"""Curated tables: every row says why it exists, and a broken table is a one-line error."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.curated import read_table
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


def test_missing_column_names_file_and_line(tmp_path):
    path = tmp_path / "lg-aliases.csv"
    path.write_text("alias,prefecture,code\n水上町,群馬県,104493\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lg-aliases\.csv:1: missing column\(s\) reason"):
        read_table(path, ("alias", "prefecture", "code", "reason"))


def test_empty_cell_names_file_and_line(tmp_path):
    path = tmp_path / "lg-aliases.csv"
    path.write_text("alias,prefecture,code,reason\n水上町,群馬県,104493,merged\n寺泊町,新潟県,,merged\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lg-aliases\.csv:3: empty code"):
        read_table(path, ("alias", "prefecture", "code", "reason"))
