"""What the code needs to know of the ontology, read from ``ontology/lgp.ttl`` rather than copied.

>>> precision_labels()["fiscal-year"]
('年度', 'fiscal year')
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from kg.config import default_data_dir
from kg.iris import namespace

ONTOLOGY = default_data_dir() / "ontology" / "lgp.ttl"

_PRECISIONS = f"""SELECT ?notation ?ja ?en WHERE {{
  ?precision a <{namespace("lgp")}DatePrecision> ; <{namespace("skos")}notation> ?notation .
  OPTIONAL {{ ?precision <{namespace("skos")}prefLabel> ?ja FILTER(LANG(?ja) = "ja") }}
  OPTIONAL {{ ?precision <{namespace("skos")}prefLabel> ?en FILTER(LANG(?en) = "en") }}
}}"""


@cache
def _store(path: Path) -> Store:
    store = Store()
    store.load(path=path, format=RdfFormat.TURTLE)
    return store


@cache
def precision_labels(path: Path = ONTOLOGY) -> dict[str, tuple[str, str]]:
    """Each date precision's notation (``day``, ``fiscal-year``…) with its Japanese and English labels."""
    labels = {}
    for row in _store(path).query(_PRECISIONS):
        notation = row["notation"].value
        ja, en = row["ja"], row["en"]
        labels[notation] = (ja.value if ja else notation, en.value if en else notation)
    return labels
