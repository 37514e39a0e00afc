"""The link tables of ``data/links/``: CSV files and the manifest that says where each came from.

Every table the manifest lists is read by every build, so a build is offline and
deterministic; only ``kg link`` rewrites a table, and with it the table's entry
(endpoint, retrieval date). A listed table that is missing, or a row that is not
what its columns say, is an error naming the file and line.

>>> manifest = Manifest.load(Path("data/links"))
>>> sorted(table.file for table in manifest.tables)
['estat.csv', 'wikidata-p190.csv', 'wikidata.csv']
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from mapping.errors import InputError

MANIFEST = "manifest.toml"
HEADER = """\
# Links to other datasets: where each table of this folder came from.
#
# One [[table]] per CSV file, rewritten by `kg link <target>` when it refreshes the table:
#   file       CSV file in this folder (UTF-8, sorted rows, first line the columns)
#   columns    its columns, comma-separated
#   source     what the rows are, in the source's own terms
#   endpoint   SPARQL endpoint the rows were fetched from
#   retrieved  date of the fetch (YYYY-MM-DD); "" while the table was never fetched
#   licence    licence of the source data
#   command    the command that refreshes the table
"""
FIELDS = ("file", "columns", "source", "endpoint", "retrieved", "licence", "command")


@dataclass(frozen=True, slots=True)
class Table:
    """One link table as the manifest describes it."""

    file: str
    columns: tuple[str, ...]
    source: str
    endpoint: str
    retrieved: str
    licence: str
    command: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """The tables of one links folder."""

    folder: Path
    tables: tuple[Table, ...]

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{path}: link manifest not found") from None
        except tomllib.TOMLDecodeError as error:
            raise InputError(f"{path}: not valid TOML ({error})") from None
        tables = []
        for number, entry in enumerate(data.get("table", []), start=1):
            missing = [name for name in FIELDS if not isinstance(entry.get(name), str)]
            if missing:
                raise InputError(f"{path}: [[table]] {number}: missing {', '.join(missing)}")
            retrieved = entry["retrieved"]
            if retrieved and not (len(retrieved) == 10 and retrieved[4] == retrieved[7] == "-"):
                raise InputError(f"{path}: [[table]] {entry['file']}: retrieved {retrieved!r} is not YYYY-MM-DD")
            tables.append(Table(entry["file"], tuple(entry["columns"].split(",")), entry["source"],
                                entry["endpoint"], retrieved, entry["licence"], entry["command"]))
        return cls(folder, tuple(tables))

    def table(self, file: str) -> Table:
        for table in self.tables:
            if table.file == file:
                return table
        raise InputError(f"{self.folder / MANIFEST}: no [[table]] for {file}")

    def read(self, file: str) -> list[dict[str, str]]:
        """The rows of one listed table, checked against its columns."""
        table = self.table(file)
        path = self.folder / file
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                if tuple(reader.fieldnames or ()) != table.columns:
                    raise InputError(f"{path}:1: expected the columns {','.join(table.columns)}")
                rows = []
                for row in reader:
                    if None in row or any(value is None for value in row.values()):
                        raise InputError(f"{path}:{reader.line_num}: expected {len(table.columns)} cells")
                    rows.append(row)
                return rows
        except FileNotFoundError:
            raise InputError(f"{path}: listed in {MANIFEST} but missing") from None
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: not valid UTF-8 ({error.reason})") from None

    def write(self, file: str, rows: list[tuple[str, ...]], *, endpoint: str, retrieved: str) -> Path:
        """Replace one table's rows (sorted, so a refresh reads as a diff) and its manifest entry."""
        table = self.table(file)
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(sorted(set(rows)))
        path = self.folder / file
        path.write_text(buffer.getvalue(), encoding="utf-8")
        updated = replace(table, endpoint=endpoint, retrieved=retrieved)
        tables = tuple(updated if t.file == file else t for t in self.tables)
        (self.folder / MANIFEST).write_text(_toml(tables), encoding="utf-8")
        return path


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml(tables: tuple[Table, ...]) -> str:
    out = [HEADER]
    for table in tables:
        out.append("[[table]]")
        for name in FIELDS:
            value = getattr(table, name)
            out.append(f"{name} = {_quote(','.join(value) if name == 'columns' else value)}")
        out.append("")
    return "\n".join(out)


def empty_folder(folder: Path) -> Manifest:
    """A links folder with the project's tables, none of them fetched yet (for ``KG_LINKS`` elsewhere)."""
    from kg.config import default_data_dir

    template = Manifest.load(default_data_dir() / "data" / "links")
    folder.mkdir(parents=True, exist_ok=True)
    tables = tuple(replace(table, retrieved="") for table in template.tables)
    (folder / MANIFEST).write_text(_toml(tables), encoding="utf-8")
    for table in tables:
        (folder / table.file).write_text(",".join(table.columns) + "\n", encoding="utf-8")
    return Manifest(folder, tables)
