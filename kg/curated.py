"""Reading the curated tables of ``data/curated/``: CSV with a header and a reason per row."""

from __future__ import annotations

import csv
from pathlib import Path

from mapping.errors import InputError


def read_table(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a curated CSV; a missing file, column or cell is an error naming file and line.

    >>> read_table(Path("data/curated/lg-aliases.csv"), ("alias", "code", "reason"))[0]["alias"]
    '水上町'
    """
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in columns if column not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path}:1: missing column(s) {', '.join(missing)}")
            rows = []
            for row in reader:
                empty = [column for column in columns if not (row.get(column) or "").strip()
                         and column in ("code", "alias", "name", "pattern", "kind", "mention", "reason", "variant")]
                if empty:
                    raise InputError(f"{path}:{reader.line_num}: empty {', '.join(empty)}")
                rows.append(row)
            return rows
    except FileNotFoundError:
        raise InputError(f"{path}: curated table not found") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not valid UTF-8 ({error.reason})") from None
