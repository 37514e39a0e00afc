"""Reading the curated tables of ``data/curated/``: CSV with a header, a reason per row, a declared schema.

Each table declares its columns beside it, in CSV on the Web metadata
(``lg-aliases.csv-metadata.json`` for ``lg-aliases.csv``, CSVW's own naming
convention): which are ``required`` and the ``format`` (a regular expression)
a cell must match. A table is checked against its own schema; any missing
file, column or cell, or a cell out of format, is an error naming the file and line.

>>> read_table(Path("data/curated/lg-aliases.csv"), ("alias", "code", "reason"))[0]["alias"]
'水上町'
>>> [column.name for column in schema_of(Path("data/curated/regions.csv"))]
['name', 'code', 'reason']
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from mapping.errors import InputError


@dataclass(frozen=True, slots=True)
class Column:
    """One declared column of a curated table."""

    name: str
    required: bool = False
    format: re.Pattern[str] | None = None
    """What a non-empty cell must match, whole."""


def metadata_path(table: Path) -> Path:
    """Where the CSVW metadata of ``table`` is: ``{table}-metadata.json`` beside it."""
    return table.with_name(table.name + "-metadata.json")


def schema_of(table: Path) -> list[Column]:
    """The columns ``table`` declares in its CSVW metadata."""
    path = metadata_path(table)
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
        columns = metadata["tableSchema"]["columns"]
        return [
            Column(
                column["name"], bool(column.get("required")),
                re.compile(column["datatype"]["format"]) if isinstance(column.get("datatype"), dict)
                and "format" in column["datatype"] else None,
            )
            for column in columns
        ]
    except FileNotFoundError:
        raise InputError(f"{path}: no schema for {table.name} (CSVW metadata: tableSchema.columns)") from None
    except (ValueError, KeyError, TypeError, re.error) as error:
        raise InputError(f"{path}: not a CSVW table schema ({error})") from None


def read_table(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a curated CSV, checked against its declared schema; ``columns`` are those the caller reads."""
    if not path.is_file():
        raise InputError(f"{path}: curated table not found")
    schema = schema_of(path)
    declared = {column.name for column in schema}
    undeclared = [column for column in columns if column not in declared]
    if undeclared:
        raise InputError(f"{metadata_path(path)}: no column {', '.join(undeclared)} declared")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [column.name for column in schema if column.name not in header]
            if missing:
                raise InputError(f"{path}:1: missing column(s) {', '.join(missing)}")
            extra = [name for name in header if name not in declared]
            if extra:
                raise InputError(f"{path}:1: column(s) {', '.join(extra)} not in its schema {metadata_path(path).name}")
            rows = []
            for row in reader:
                empty = [column.name for column in schema if column.required and not (row.get(column.name) or "").strip()]
                if empty:
                    raise InputError(f"{path}:{reader.line_num}: empty {', '.join(empty)}")
                for column in schema:
                    value = row.get(column.name) or ""
                    if value and column.format is not None and not column.format.fullmatch(value):
                        raise InputError(
                            f"{path}:{reader.line_num}: {column.name} {value!r} does not match {column.format.pattern}"
                        )
                rows.append(row)
            return rows
    except FileNotFoundError:
        raise InputError(f"{path}: curated table not found") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not valid UTF-8 ({error.reason})") from None
