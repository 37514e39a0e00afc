"""SHACL validation with pyshacl: Core shapes in rdflib, SHACL-SPARQL shapes in Oxigraph.

pyshacl evaluates a SHACL-SPARQL constraint once per focus node, which rdflib's
SPARQL engine makes slow on thousands of nodes. The SPARQL shapes therefore run on
an Oxigraph-backed graph (``oxrdflib``) holding only the triples of the paths they
constrain; the Core shapes run on the whole graph in memory. One report joins both.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from kg.iris import bind_prefixes, rebase_text


@dataclass(slots=True)
class Violation:
    focus: str
    path: str | None
    message: str
    shape: str


@dataclass(slots=True)
class Validation:
    conforms: bool
    report: Graph
    violations: list[Violation]


def load_shapes(ontology: Path, name: str, base: str) -> Graph:
    return Graph().parse(data=rebase_text((ontology / name).read_text(encoding="utf-8"), base), format="turtle")


def validate(data: Graph, ontology: Path, base: str) -> Validation:
    """Validate ``data`` (which includes the ontology) against both shape files."""
    core = load_shapes(ontology, "shapes.ttl", base)
    sparql = load_shapes(ontology, "shapes-sparql.ttl", base)
    _, core_report, _ = pyshacl.validate(data, shacl_graph=core, inference="none", inplace=True)
    _, sparql_report, _ = pyshacl.validate(
        _projection(data, sparql), shacl_graph=sparql, inference="none", inplace=True, advanced=True
    )
    report = bind_prefixes(Graph(), base)
    for graph in (core_report, sparql_report):
        for triple in graph:
            report.add(triple)
    violations = _violations(report)
    # One validation report node: keep a single sh:conforms.
    for node in list(report.subjects(RDF.type, SH.ValidationReport)):
        report.remove((node, SH.conforms, None))
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    reports = sorted(report.subjects(RDF.type, SH.ValidationReport))
    for node in reports[1:]:
        for result in report.objects(node, SH.result):
            report.add((reports[0], SH.result, result))
        report.remove((node, None, None))
    report.add((reports[0], SH.conforms, Literal(not results)))
    return Validation(not results, report, violations)


def _projection(data: Graph, shapes: Graph) -> Graph:
    """The triples of the constrained paths, with their subjects' types, in Oxigraph."""
    paths = {path for path in shapes.objects(None, SH.path) if isinstance(path, URIRef)}
    projected = Graph(store="Oxigraph")
    triples = [(s, p, o, projected) for p in paths for s, o in data.subject_objects(p)]
    subjects = {s for s, _, _, _ in triples}
    triples += [(s, RDF.type, o, projected) for s in subjects for o in data.objects(s, RDF.type)]
    projected.addN(triples)
    return projected


def _violations(report: Graph) -> list[Violation]:
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        found.append(Violation(
            str(report.value(result, SH.focusNode)),
            str(path) if path is not None else None,
            str(report.value(result, SH.resultMessage) or ""),
            str(report.value(result, SH.sourceShape) or ""),
        ))
    return sorted(found, key=lambda v: (v.focus, v.path or "", v.message))


# The graph a forked validation process reads: fork shares it with the child
# without pickling 100k triples. Set only while a background validation starts.
_FORK_INPUT: tuple[Graph, Path, str] | None = None


def _validate_fork_input() -> Validation:
    assert _FORK_INPUT is not None
    return validate(*_FORK_INPUT)


def validate_in_background(data: Graph, ontology: Path, base: str) -> Future[Validation]:
    """Run :func:`validate` in a forked process so the caller can write dumps meanwhile.

    Where fork is not available the validation runs here and the future is already done.
    """
    global _FORK_INPUT
    if "fork" not in multiprocessing.get_all_start_methods():
        done: Future[Validation] = Future()
        done.set_result(validate(data, ontology, base))
        return done
    _FORK_INPUT = (data, ontology, base)
    try:
        executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        future = executor.submit(_validate_fork_input)
        executor.shutdown(wait=False)
    finally:
        _FORK_INPUT = None
    return future
