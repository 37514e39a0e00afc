"""What every page's data is made of: references to resources, dates, and SPARQL.

Page data never holds engine objects: a :class:`Ref` is an IRI with the names
a link needs, a :class:`When` a date with its precision. Everything is read
through :meth:`Backend.query`, in SPARQL, so pages work over the embedded store
and over any remote endpoint alike.

>>> from endpoint.store.backends import EmbeddedStore
>>> store = EmbeddedStore.from_text(
...     '<http://x/id/lg/1> <http://www.w3.org/2000/01/rdf-schema#label> "札幌市"@ja .\\n'
...     '<http://x/id/lg/1> <http://www.w3.org/2000/01/rdf-schema#label> "Sapporo"@en .\\n'
...     '<http://x/id/lg/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://x/def/lgp#Municipality> .')
>>> ref = refs_of(store, Iris("http://x/"), ["http://x/id/lg/1"])["http://x/id/lg/1"]
>>> ref.name, ref.en, ref.kind
('札幌市', 'Sapporo', 'Municipality')
>>> Iris.of("http://x/id/lg/1").base
'http://x/'
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode

from endpoint.store.backends import Backend
from kg.iris import Iris, namespace
from kg.ontology import precision_labels

RDFS = namespace("rdfs")
SKOS = namespace("skos")
DCTERMS = namespace("dcterms")
DCAT = namespace("dcat")
PROV = namespace("prov")
GEO = namespace("geo")
XSD = namespace("xsd")
SCHEMA = namespace("schema")

JAPANESE_CLASSES = ("Prefecture", "Municipality", "SpecialWard", "DesignatedCityWard")
"""Classes of Japanese local governments, which have a 団体コード, a prefecture and a point."""
CLASS_ORDER = (
    *JAPANESE_CLASSES, "JapaneseLocalGovernment", "ForeignLocalAuthority", "LocalGovernment", "OtherBody",
    "UnresolvedParty", "Party", "Country", "Region", "Partnership", "Project", "Claim", "StatedParty",
    "ConceptScheme", "Concept", "DatePrecision", "Dataset", "Catalog",
)
"""Which class names a resource when it has several, most telling first."""
MAX_VALUES = 500
"""IRIs per ``VALUES`` block: longer lists are asked for in several queries."""


class Cancelled(Exception):
    """The page's time ran out; stop asking the store."""


def check(cancelled: threading.Event | None) -> None:
    if cancelled is not None and cancelled.is_set():
        raise Cancelled


def iri(value: str) -> str:
    """``value`` as a SPARQL IRI term (``<…>``), escaped."""
    return str(NamedNode(value))


def literal(value: str) -> str:
    """``value`` as a SPARQL string literal, escaped."""
    return str(Literal(value))


def values(iris: Iterable[str]) -> str:
    return " ".join(iri(value) for value in iris)


def select(
    backend: Backend, vocab: Iris, query: str, cancelled: threading.Event | None = None
) -> list[dict]:
    """The rows of a SELECT query, each a dict of variable name to term (None when unbound)."""
    check(cancelled)
    solutions = backend.query(vocab.header() + query)
    names = [variable.value for variable in solutions.variables]
    return [{name: row[name] for name in names} for row in solutions]


def text(term) -> str | None:
    """The string of a term, or None."""
    return None if term is None else term.value


def number(term, default: int = 0) -> int:
    try:
        return int(term.value)
    except (AttributeError, ValueError):
        return default


def local_name(value: str) -> str:
    return value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def chunks(items: Sequence[str], size: int = MAX_VALUES) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass(frozen=True, slots=True)
class Ref:
    """A resource as a link shows it: its IRI, its names, what it is."""

    iri: str
    name: str
    """Its label, Japanese first; the end of the IRI when it has none."""
    en: str | None = None
    """Its English label, where the data has one that differs from ``name``."""
    kind: str | None = None
    """Local name of its most telling class (``Municipality``, ``Partnership``…)."""
    kind_name: str | None = None
    """That class's label (Japanese, then English)."""
    code: str | None = None
    """団体コード, ISO 3166 code or notation."""
    within: str | None = None
    """The prefecture (or country) it lies in, to tell namesakes apart."""
    lang: str | None = None
    """The language of ``name`` (``ja``, ``zh-Hant``…), None when it has none."""
    kind_en: str | None = None
    """The class's English label."""
    within_en: str | None = None
    """The English name of ``within``."""

    @property
    def japanese(self) -> bool:
        return self.kind in JAPANESE_CLASSES


_LABEL_RANK = {RDFS + "label": 0, SKOS + "prefLabel": 1, DCTERMS + "title": 2}


def _language_rank(term) -> int:
    language = (getattr(term, "language", None) or "").lower()
    if language == "ja" or language.startswith("ja-") and not language.startswith("ja-hira"):
        return 0
    if not language:
        return 1
    return 3 if language == "en" else 2


def _class_rank(name: str) -> int:
    return CLASS_ORDER.index(name) if name in CLASS_ORDER else len(CLASS_ORDER)


def refs_of(
    backend: Backend, vocab: Iris, iris: Iterable[str], cancelled: threading.Event | None = None
) -> dict[str, Ref]:
    """A :class:`Ref` for each IRI, with its names, class, code and prefecture or country."""
    wanted = sorted({value for value in iris if value})
    found: dict[str, dict] = {value: {"labels": [], "types": {}, "codes": [], "within": {}} for value in wanted}
    for chunk in chunks(wanted):
        query = f"""SELECT ?x ?p ?label ?type ?typeLabel ?code ?in ?inLabel WHERE {{
  VALUES ?x {{ {values(chunk)} }}
  {{ VALUES ?p {{ rdfs:label skos:prefLabel dcterms:title }} ?x ?p ?label }}
  UNION {{ ?x a ?type . OPTIONAL {{ ?type rdfs:label ?typeLabel }} }}
  UNION {{ ?x dcterms:identifier|skos:notation ?code }}
  UNION {{ VALUES ?p {{ lgp:prefecture lgp:country }} ?x ?p ?in . ?in rdfs:label ?inLabel }}
}}"""
        for row in select(backend, vocab, query, cancelled):
            entry = found[row["x"].value]
            if row["label"] is not None and type(row["label"]) is Literal:
                entry["labels"].append((_LABEL_RANK.get(text(row["p"]), 3), row["label"]))
            elif row["type"] is not None:
                labels = entry["types"].setdefault(local_name(row["type"].value), [])
                if type(row["typeLabel"]) is Literal:
                    labels.append(row["typeLabel"])
            elif row["code"] is not None:
                entry["codes"].append(row["code"].value)
            elif row["inLabel"] is not None:
                entry["within"].setdefault(row["p"].value, []).append(row["inLabel"])
    refs = {value: _make_ref(value, entry, vocab) for value, entry in found.items()}
    unnamed = [value for value, ref in refs.items() if ref.kind == "Partnership" and ref.en is None]
    for value, english in _partnerships_in_english(backend, vocab, unnamed, refs, cancelled).items():
        refs[value] = replace(refs[value], en=english)
    return refs


def _partnerships_in_english(
    backend: Backend, vocab: Iris, iris: list[str], refs: dict[str, Ref], cancelled: threading.Event | None
) -> dict[str, str]:
    """English names of partnerships, made as their Japanese ones are: the parties' English names, in the order
    the Japanese name gives them, and the kind (``Nikko City · Adachi City, disaster mutual aid``); none for
    a partnership with a party that has no English name."""
    found: dict[str, dict] = {}
    for chunk in chunks(iris):
        for row in select(backend, vocab, f"""SELECT ?x ?party ?ja ?en ?kind WHERE {{
  VALUES ?x {{ {values(chunk)} }}
  {{ ?x lgp:party ?party .
     OPTIONAL {{ ?party rdfs:label|skos:prefLabel ?ja FILTER(LANG(?ja) = "ja") }}
     OPTIONAL {{ ?party rdfs:label|skos:prefLabel ?en FILTER(LANG(?en) = "en") }} }}
  UNION {{ ?x lgp:kind/skos:prefLabel ?kind FILTER(LANG(?kind) = "en") }}
}}""", cancelled):
            entry = found.setdefault(row["x"].value, {"parties": {}, "kind": None})
            if row["kind"] is not None:
                entry["kind"] = row["kind"].value
                continue
            party = entry["parties"].setdefault(row["party"].value, {"ja": set(), "en": set()})
            for language in ("ja", "en"):
                if row[language] is not None:
                    party[language].add(row[language].value)
    named: dict[str, str] = {}
    for value, entry in found.items():
        parties = entry["parties"]
        if not parties or entry["kind"] is None or any(not party["en"] for party in parties.values()):
            continue
        label = refs[value].name

        def place(party: dict) -> tuple:
            positions = [label.find(name) for name in party["ja"] if name in label]
            return (min(positions) if positions else len(label), min(party["en"]))

        ordered = [min(party["en"]) for party in sorted(parties.values(), key=place)]
        shown = " · ".join(ordered[:2]) + f" and {len(ordered) - 2} more" if len(ordered) > 3 else " · ".join(ordered)
        named[value] = f"{shown}, {entry['kind'][:1].lower()}{entry['kind'][1:]}"
    return named


def _best(labels: list, *, english: bool = False) -> str | None:
    term = _best_term(labels, english=english)
    return term.value if term is not None else None


def _best_term(labels: list, *, english: bool = False):
    if english:
        chosen = sorted((rank, term.value, term) for rank, term in labels if _language_rank(term) == 3)
    else:
        chosen = sorted((_language_rank(term), rank, term.value, term) for rank, term in labels if _language_rank(term) < 3)
    return chosen[0][-1] if chosen else None


def _english_of(terms: list) -> str | None:
    found = sorted(term.value for term in terms if (getattr(term, "language", None) or "").lower() == "en")
    return found[0] if found else None


def _make_ref(value: str, entry: dict, vocab: Iris) -> Ref:
    labels = entry["labels"]
    named = _best_term(labels) or _best_term(labels, english=True)
    name = named.value if named is not None else _fallback_name(value)
    english = _best(labels, english=True)
    kinds = sorted(entry["types"], key=_class_rank)
    kind = kinds[0] if kinds else None
    kind_name = None
    if kind:
        kind_labels = sorted(entry["types"][kind], key=lambda term: (_language_rank(term), term.value))
        kind_name = kind_labels[0].value if kind_labels else None
    within_by = entry["within"]
    within_terms = within_by.get(vocab.lgp + "prefecture") or within_by.get(vocab.lgp + "country") or []
    within = sorted((_language_rank(term), term.value) for term in within_terms)
    code = sorted(entry["codes"], key=len)[0] if entry["codes"] else None
    shown_within = within[0][1] if within and within[0][1] != name and kind != "Prefecture" else None
    return Ref(
        value, name, english if english != name else None, kind, kind_name, code, shown_within,
        (getattr(named, "language", None) or None) if named is not None else None,
        _english_of(entry["types"][kind]) if kind else None,
        _english_of(within_terms) if shown_within else None,
    )


def _fallback_name(value: str) -> str:
    """The last two segments of an IRI, decoded: ``claim/7a47be07650c``."""
    tail = value.rstrip("/").rsplit("/", 2)
    return unquote("/".join(tail[-2:])) if len(tail) > 2 else value


def ref_list(refs: dict[str, Ref], iris: Iterable[str]) -> list[Ref]:
    """The refs of ``iris``, in the order given, without repeats."""
    return [refs[value] for value in dict.fromkeys(iris) if value in refs]


PRECISION_BY_DATATYPE = {XSD + "date": "day", XSD + "gYearMonth": "month", XSD + "gYear": "year"}


@dataclass(frozen=True, slots=True)
class When:
    """A date as precise as the sources give it.

    >>> When.of(Literal("2017", datatype=NamedNode(XSD + "gYear")), "fiscal-year").shown
    '2017年度'
    >>> When.of(Literal("1959-11-01", datatype=NamedNode(XSD + "date"))).precision
    'day'
    """

    value: str
    """The lexical value: ``1959-11-01``, ``1959-11`` or ``1959``."""
    precision: str
    """``day``, ``month``, ``year`` or ``fiscal-year``."""
    written: str | None = None
    """The date as the source writes it, where known."""
    written_lang: str | None = None
    """The language of ``written`` (the source's)."""

    @classmethod
    def of(cls, term, precision: str | None = None, written=None) -> When | None:
        """The date of a literal; ``written`` is the source's text of it, a string or a literal with its language."""
        if term is None:
            return None
        datatype = term.datatype.value if type(term) is Literal else ""
        written_lang = getattr(written, "language", None) or None
        written = getattr(written, "value", written)
        return cls(term.value, precision or PRECISION_BY_DATATYPE.get(datatype, "day"), written, written_lang)

    @property
    def shown(self) -> str:
        """The date for people: ISO for days, months and years, ``2017年度`` for a fiscal year."""
        return f"{self.value}年度" if self.precision == "fiscal-year" else self.value

    def shown_in(self, language: str) -> str:
        """:attr:`shown` in ``language``: a fiscal year is ``FY2017`` in English.

        >>> When("2017", "fiscal-year").shown_in("en"), When("2017", "fiscal-year").shown_in("ja")
        ('FY2017', '2017年度')
        """
        if language == "en" and self.precision == "fiscal-year":
            return f"FY{self.value}"
        return self.shown

    @property
    def precision_names(self) -> tuple[str, str]:
        """The precision in Japanese and English, as the ontology labels it."""
        return precision_labels().get(self.precision, (self.precision, self.precision))


def precision_of(term) -> str | None:
    """The notation of a precision concept IRI (``…/def/precision/day`` → ``day``)."""
    return local_name(term.value) if term is not None else None


@dataclass(frozen=True, slots=True)
class Labelled:
    """A literal with its language, for names as sources write them."""

    text: str
    lang: str | None = None


def labelled(term) -> Labelled:
    return Labelled(term.value, getattr(term, "language", None) or None)

