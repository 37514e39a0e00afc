"""Fields of cooperation in English: the category column's values (``lgp:field``) and their English labels.

The sources name the field of a tie or project in their own words (the Tokyo
list's 連携カテゴリ column, the 分野 column of the agreements list). The table
``i18n/fields.csv`` gives each value seen an English label; a value made of
several (``経済、観光等``) reads as their labels joined, and a value with any part
the table does not know has no English: pages show it as the source wrote it.

>>> english("災害協定"), english("経済、観光等"), english("スポーツ・産業"), english("文化環境")
('Disaster agreement', 'Economy, Tourism etc.', 'Sport, Industry', None)
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "i18n" / "fields.csv"
PARTS = re.compile(r"[、・,，\s]+")
ET_CETERA = re.compile(r"(等|など)$")


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """Each field value of the table, with its English label."""
    with TABLE.open(encoding="utf-8", newline="") as rows:
        return {row["value"]: row["en"] for row in csv.DictReader(rows)}


@lru_cache(maxsize=4096)
def english(value: str | None) -> str | None:
    """The English of a field as a source writes it, None when some part of it is not in the table."""
    if not value:
        return None
    known = table()
    if value in known:
        return known[value]
    text, etc = ET_CETERA.subn("", value.strip())
    parts = [part for part in PARTS.split(text) if part]
    labels = [known.get(part) or known.get(ET_CETERA.sub("", part)) for part in parts]
    if not parts or None in labels:
        return None
    return ", ".join(dict.fromkeys(labels)) + (" etc." if etc else "")
