"""A generated graph of the same shape as the built one, for benchmarks without ``dist/``.

Prefectures and municipalities with labels, kana and codes; foreign authorities
with countries and regions; partnerships with two parties, a kind, a date and
claims that carry the stated wording, date and source line. Deterministic for
a given size.

>>> lines = generate_lines(2_000)
>>> 1_800 < len(lines) < 2_600, lines == generate_lines(2_000)
(True, True)
"""

from __future__ import annotations

import random
from pathlib import Path

from kg.config import DEFAULT_BASE

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
KINDS = ("sister-city", "friendship-city", "friendship-exchange", "disaster-mutual-aid", "tourism", "education")
COUNTRIES = ("CN", "KR", "TW", "US", "FR", "DE", "AU", "BR", "IT", "CA", "NZ", "GB", "TH", "VN", "PH")
TRIPLES_PER_PARTNERSHIP = 25  # the partnership, its claims, and its share of parties


class _Writer:
    def __init__(self, base: str):
        self.base = base
        self.lines: list[str] = []

    def iri(self, path: str) -> str:
        return f"<{self.base}{path}>"

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.lines.append(f"{subject} <{predicate}> {obj} .")


def _literal(text: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if lang:
        return f"{quoted}@{lang}"
    return f"{quoted}^^<{datatype}>" if datatype else quoted


def generate_lines(triples: int = 100_000, *, base: str = DEFAULT_BASE, seed: int = 7) -> list[str]:
    """About ``triples`` N-Triples lines, sorted as the build sorts ``kg.nt``."""
    rng = random.Random(seed)
    out = _Writer(base)
    lgp = base + "def/lgp#"
    partnerships = max(1, triples // TRIPLES_PER_PARTNERSHIP)
    municipalities = max(3, partnerships // 4)
    foreign = max(3, partnerships // 3)

    skos = SKOS
    scheme = out.iri("def/kind/")
    out.add(scheme, RDF + "type", f"<{skos}ConceptScheme>")
    for kind in KINDS:
        concept = out.iri(f"def/kind/{kind}")
        out.add(concept, RDF + "type", f"<{skos}Concept>")
        out.add(concept, skos + "inScheme", scheme)
        out.add(concept, skos + "notation", _literal(kind))
        out.add(concept, skos + "prefLabel", _literal(kind.replace("-", " "), lang="en"))

    prefectures = [f"{code:02d}0000" for code in range(1, 48)]
    for number, code in enumerate(prefectures, 1):
        node = out.iri(f"id/lg/{code}")
        out.add(node, RDF + "type", f"<{lgp}Prefecture>")
        out.add(node, RDFS + "label", _literal(f"県{number}", lang="ja"))
        out.add(node, RDFS + "label", _literal(f"Prefecture {number}", lang="en"))
        out.add(node, DCTERMS + "identifier", _literal(code))

    locals_ = []
    for number in range(municipalities):
        code = f"{(number % 47) + 1:02d}{number:04d}"[:6]
        node = out.iri(f"id/lg/{code}")
        locals_.append(node)
        out.add(node, RDF + "type", f"<{lgp}Municipality>")
        out.add(node, RDFS + "label", _literal(f"市{number}", lang="ja"))
        out.add(node, RDFS + "label", _literal(f"City {number}", lang="en"))
        out.add(node, lgp + "kana", _literal(f"し{number}"))
        out.add(node, DCTERMS + "identifier", _literal(code))
        out.add(node, lgp + "prefecture", out.iri(f"id/lg/{prefectures[number % 47]}"))

    for country in COUNTRIES:
        node = out.iri(f"id/country/{country}")
        out.add(node, RDF + "type", f"<{lgp}Country>")
        out.add(node, RDFS + "label", _literal(country, lang="en"))

    abroad = []
    for number in range(foreign):
        country = COUNTRIES[number % len(COUNTRIES)]
        region = f"{country}-R{number % 9}"
        node = out.iri(f"id/place/{country}/{region}/town-{number}")
        abroad.append(node)
        out.add(node, RDF + "type", f"<{lgp}ForeignLocalAuthority>")
        out.add(node, RDFS + "label", _literal(f"Town {number}", lang="en"))
        out.add(node, lgp + "country", out.iri(f"id/country/{country}"))
        out.add(node, lgp + "region", out.iri(f"id/region/{region}"))

    for number in range(partnerships):
        node = out.iri(f"id/partnership/{number:08x}")
        first = rng.choice(locals_)
        second = rng.choice(abroad if rng.random() < 0.6 else locals_)
        kind = rng.choice(KINDS)
        year = rng.randint(1955, 2024)
        out.add(node, RDF + "type", f"<{lgp}Partnership>")
        out.add(node, lgp + "party", first)
        out.add(node, lgp + "party", second)
        out.add(node, lgp + "kind", out.iri(f"def/kind/{kind}"))
        out.add(node, lgp + "date", _literal(f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", datatype=XSD + "date"))
        out.add(node, lgp + "datePrecision", out.iri("def/precision/day"))
        out.add(first, lgp + "partnerOf", second)
        out.add(second, lgp + "partnerOf", first)
        for claim_number in range(2):
            claim = out.iri(f"id/claim/{number:08x}-{claim_number}")
            out.add(node, lgp + "claim", claim)
            out.add(claim, RDF + "type", f"<{lgp}Claim>")
            out.add(claim, lgp + "wording", _literal("姉妹都市提携", lang="ja"))
            out.add(claim, lgp + "statedDateText", _literal(f"{year}年"))
            out.add(claim, lgp + "sourceLine", _literal(str(rng.randint(1, 5000)), datatype=XSD + "integer"))
            out.add(claim, PROV + "wasDerivedFrom", out.iri(f"id/source/source-{claim_number}"))
            out.add(claim, lgp + "statedKind", out.iri(f"def/kind/{kind}"))
    return sorted(set(out.lines))


def write_graph(path: Path, triples: int = 100_000, *, base: str = DEFAULT_BASE) -> Path:
    """Write the generated graph to ``path`` as N-Triples."""
    path.write_text("\n".join(generate_lines(triples, base=base)) + "\n", encoding="utf-8")
    return path
