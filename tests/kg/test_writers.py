"""The build's fast writers give what the general ones give: literals, N-Triples, JSON-LD, IRIs, SHACL's line finder."""

from __future__ import annotations

import json

import pyoxigraph as ox
from hypothesis import given, settings as hypothesis_settings, strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.serializers.nt import _quoteLiteral

from kg.dumps import context_document, ntriples_of
from kg.jsonld import _compact_sorted, _Compactor, compact, compact_ntriples
from kg.rdf import Written, literal
from kg.validate import _triples_of

TRICKY = ["", "plain", 'a "quoted" word', "back\\slash", "line\nbreak", "carriage\rreturn", "tab\there",
          "line\u2028separator", "next\x85line", "日本語 テキスト", "emoji 🏯", "\\n is not a break"]


@given(st.text(), st.sampled_from([None, "ja", "zh-Hant", "en"]))
def test_a_literal_is_written_as_rdflib_writes_it(value, lang):
    assert literal(value, lang=lang) == _quoteLiteral(Literal(value, lang=lang))


def test_typed_literals_are_written_as_rdflib_writes_them():
    for value, datatype in [(7, XSD.positiveInteger), ("2013-07-12", XSD.date), ("2020", XSD.gYear),
                            ("POINT(139.7 35.6)", URIRef("http://www.opengis.net/ont/geosparql#wktLiteral"))]:
        assert literal(value, datatype=datatype) == _quoteLiteral(Literal(value, datatype=datatype))


def test_written_literals_and_rdflib_terms_make_the_same_lines():
    subject, predicate = URIRef("http://ex.org/s"), URIRef("http://ex.org/p")
    for text in TRICKY:
        ours = ntriples_of([(subject, predicate, literal(text, lang="ja"))])
        rdflibs = ntriples_of([(subject, predicate, Literal(text, lang="ja"))])
        assert ours == rdflibs
        assert isinstance(literal(text), Written)


def test_json_ld_from_lines_is_json_ld_from_terms_on_the_vendored_graph(built, settings):
    context = context_document(settings.ontology, settings.base)["@context"]
    text = built.ntriples.decode("utf-8")
    ours = compact_ntriples(text, context)
    theirs = compact(ox.parse(built.ntriples, format=ox.RdfFormat.N_TRIPLES), context)
    assert ours == theirs
    assert len(ours["@graph"]) > 10_000


def test_json_ld_from_lines_reads_every_escape_and_term_kind():
    lines = []
    for number, text in enumerate(TRICKY):
        lines.append(f"<http://ex.org/s{number}> <http://ex.org/p> {literal(text, lang='ja-Hira')} .")
        lines.append(f"<http://ex.org/s{number}> <http://ex.org/q> {literal(text, datatype=XSD.date)} .")
        lines.append(f"<http://ex.org/s{number}> <http://ex.org/r> {literal(text)} .")
    lines += ['_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/C> .',
              '<http://ex.org/t> <http://ex.org/p> _:b1 .',
              '<http://ex.org/t> <http://ex.org/p> "\\u00e9\\U0001F3EF"^^<http://www.w3.org/2001/XMLSchema#string> .',
              '<http://ex.org/t> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/C> .']
    text = "\n".join(lines) + "\n"
    terms = {"ex": "http://ex.org/", "id": "@id", "type": "@type", "xsd": str(XSD)}
    theirs = compact(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES), terms)
    ours = compact_ntriples(text, terms)
    # Blank node labels are the parser's to choose; everything else is the same.
    assert json.dumps(ours, sort_keys=True).replace("_:b1", "_:x") == \
        json.dumps(theirs, sort_keys=True).replace(f"_:{_blank_label(text)}", "_:x")


def _blank_label(text: str) -> str:
    for quad in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        if isinstance(quad.subject, ox.BlankNode):
            return quad.subject.value
    raise AssertionError("no blank node")


namespaces = st.lists(st.sampled_from(["http://ex.org/", "http://ex.org/a/", "http://ex.org/a/b#", "http://ex.org/a",
                                       "http://ex.org/a/b", "urn:x:", "http://other.org/", "http://ex.org/a/b#c"]),
                      min_size=1, max_size=6)


@hypothesis_settings(max_examples=200)
@given(namespaces, st.sampled_from(["http://ex.org/a/b#c", "http://ex.org/a/b", "http://ex.org/a//x",
                                    "http://ex.org/", "http://ex.org/a/bc", "urn:x:y", "http://ex.org/a/b#",
                                    "http://other.org/z/w", "mailto:x"]))
def test_an_iri_is_compacted_under_its_longest_namespace(values, iri):
    prefixes = {f"p{number}": value for number, value in enumerate(values)}
    compactor = _Compactor(prefixes)
    assert compactor.iri(iri) == _compact_sorted(iri, compactor.prefixes)


def test_shacl_finds_the_lines_of_its_predicates_and_drops_a_literal_that_only_quotes_one():
    p, q = "http://ex.org/p", "http://ex.org/q"
    data = (f'<http://ex.org/a> <{p}> "x" .\n'
            f'<http://ex.org/a> <{q}> "a literal naming < <{p}> > inside" .\n'
            f'_:b <{p}> <http://ex.org/c> .\n'
            f'<http://ex.org/d> <{q}> "y" .\n'
            f'<http://ex.org/e> <{p}> "last line, no newline" .').encode("utf-8")
    found = [(quad.subject, quad.predicate.value) for quad in _triples_of(data, {p})]
    assert [predicate for _, predicate in found] == [p, p, p]
    assert [str(subject) for subject, _ in found][0] == "<http://ex.org/a>"
    assert sorted(quad.predicate.value for quad in _triples_of(data, {p, q})) == [p, p, p, q, q]


def test_hiragana_readings_are_romanised_as_kakasi_romanises_them(settings):
    """Every reading of the code table and every stem of one, as the full kakasi converter reads it."""
    import re

    import pykakasi

    from kg.names import hepburn
    from kg.resolve.japan import Gazetteer

    kakasi = pykakasi.kakasi()
    readings = {part for lg in Gazetteer.load(settings.curated).by_code.values() for part in lg.kana.split()}
    stems = {reading[:cut] for reading in readings for cut in range(1, len(reading) + 1)}
    assert len(stems) > 5000
    for reading in stems:
        text = re.sub(r"^oo", "ō", "".join(part["hepburn"] for part in kakasi.convert(reading)))
        assert hepburn(reading) == text.replace("ou", "ō").replace("uu", "ū"), reading


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 3), st.sampled_from(TRICKY)), max_size=60),
       st.integers(1, 7))
def test_sorting_in_runs_on_disk_gives_the_lines_sorting_in_memory_gives(rows, run):
    triples = [(URIRef(f"http://ex.org/s{s}"), URIRef(f"http://ex.org/p{p}"), literal(text, lang="ja"))
               for s, p, text in rows]
    assert ntriples_of(triples, run=run) == ntriples_of(triples)


def test_many_runs_with_duplicates_across_them_make_one_sorted_graph():
    import random

    rng = random.Random(7)
    triples = [(URIRef(f"http://ex.org/s{rng.randrange(5000)}"), URIRef(f"http://ex.org/p{rng.randrange(7)}"),
                literal(rng.choice(TRICKY), lang="ja")) for _ in range(50_000)]
    in_runs = ntriples_of(triples, run=4_999)
    assert in_runs == ntriples_of(triples)
    lines = in_runs.split(b"\n")[:-1]
    assert lines == sorted(set(lines)) and len(lines) < 50_000
