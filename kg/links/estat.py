"""e-Stat's statistical LOD: the standard area code (標準地域コード) of every Japanese government.

The plain code ``http://data.e-stat.go.jp/lod/sac/C<5 digits>`` (class
``sacs:PlainStandardAreaCode``) is the 団体コード without its check digit: the build
mints it offline for every government of the code table, and for a former government
whose old code a curated table states. It is linked with ``lgp:standardAreaCode``, a
subproperty of ``adms:identifier``: the code is a resource that identifies the
government, not the government itself, so not ``owl:sameAs``.

A dated code (``C<code>-<YYYYMMDD>``, class ``sacs:StandardAreaCode``) is one period
of a code; its suffix is not computed from anything (it changes with status changes
too, not only with mergers). ``kg link estat`` fetches the latest dated code of each
plain code into ``data/links/estat.csv``, and the build links it with
``lgp:periodStandardAreaCode`` only where the table's label is the government's name
and its validity agrees (open for a current government, ended for a former one).

>>> str(plain_code("104493"))
'http://data.e-stat.go.jp/lod/sac/C10449'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from kg.links.sparql import select
from mapping.text import clean

ESTAT_SPARQL = "http://data.e-stat.go.jp/lod/sparql/alldata/query"
SAC = "http://data.e-stat.go.jp/lod/sac/"
SACS = "http://data.e-stat.go.jp/lod/terms/sacs#"
PLAIN = re.compile(r"^" + re.escape(SAC) + r"C(\d{5})$")
DATED = re.compile(r"^" + re.escape(SAC) + r"C(\d{5})-(\d{8})$")
LATEST_QUERY = """\
PREFIX sacs: <http://data.e-stat.go.jp/lod/terms/sacs#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?plain ?sac ?label ?valid WHERE {
  ?plain a sacs:PlainStandardAreaCode ; sacs:latestCode ?sac .
  OPTIONAL { ?sac rdfs:label ?label FILTER(LANG(?label) = "ja") }
  OPTIONAL { ?sac dcterms:valid ?valid }
}
ORDER BY ?plain ?sac ?label ?valid"""


def plain_code(code: str) -> URIRef:
    """The plain standard area code of a 6-digit 団体コード (its first five digits)."""
    return URIRef(f"{SAC}C{code[:5]}")


@dataclass(frozen=True, slots=True)
class DatedCode:
    """A row of ``estat.csv``: the latest dated code of one plain code."""

    code: str
    sac: str
    label: str
    valid: str

    def fits(self, labels: set[str], former: bool) -> bool:
        """Whether this period is the one of a government named one of ``labels`` (current, or ``former``)."""
        return clean(self.label) in {clean(label) for label in labels} and bool(self.valid) == former


def fetch_latest_codes(endpoint: str, *, timeout: float = 60.0, page: int = 5000) -> tuple[list[tuple[str, ...]], int]:
    """``(code, sac, label, valid)`` rows of ``estat.csv``, and how many answers were not codes.

    A plain code with several latest codes is left out: a link must be unambiguous.
    """
    found: dict[str, set[tuple[str, str, str]]] = {}
    invalid = 0
    for row in select(endpoint, LATEST_QUERY, what="sacs:latestCode", timeout=timeout, page=page):
        plain = PLAIN.match(row.get("plain", ""))
        dated = DATED.match(row.get("sac", ""))
        if not plain or not dated or dated.group(1) != plain.group(1):
            invalid += 1
            continue
        found.setdefault(plain.group(1), set()).add((row["sac"], row.get("label", ""), row.get("valid", "")[:10]))
    rows = sorted((code, *next(iter(values))) for code, values in found.items()
                  if len({sac for sac, _, _ in values}) == 1 and len(values) == 1)
    return rows, invalid


def read_latest_codes(rows: list[dict[str, str]], where: str) -> dict[str, DatedCode]:
    """The rows of ``estat.csv`` by 5-digit code; a row that is not a code is an error."""
    from mapping.errors import InputError

    codes = {}
    for number, row in enumerate(rows, start=2):
        dated = DATED.match(row["sac"])
        if not dated or dated.group(1) != row["code"]:
            raise InputError(f"{where}:{number}: not a 5-digit code and its dated code: {row}")
        codes[row["code"]] = DatedCode(row["code"], row["sac"], row["label"], row["valid"])
    return codes
