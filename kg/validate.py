"""SHACL validation with pyshacl, over the sorted N-Triples, in pieces that stay small as the graph grows.

* **Core shapes** (``shapes.ttl``): the sorted N-Triples hold each subject's
  triples together, so one pass over them checks every focus node against the
  constraint components the shapes use (counts, node kinds, classes, ``sh:in``,
  datatypes, patterns, languages) and marks the nodes that may violate one; a
  shape using any other component marks all its focus nodes. pyshacl then
  validates the marked nodes, and only them, over their triples, the classes
  of the nodes they point to and the class hierarchy, partition by partition:
  its report is the report, as over the whole graph.
* **SHACL-SPARQL shapes** (``shapes-sparql.ttl``) run in Oxigraph over just the
  triples of the paths they constrain: each shape's SPARQL target asks its
  question once over the graph, and pyshacl evaluates the constraint only on
  the suspects it found (pyshacl evaluates a SPARQL constraint once per focus node).

Every shape is checked, on every focus node, as over the whole graph; one report joins all.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

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


PARTITION = 20_000
"""Subjects per Core partition: pyshacl's time per node grows with the graph it reads."""
RDF_TYPE = str(RDF.type)
SUBCLASS = str(RDFS.subClassOf)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def validate(data: Graph, ontology: Path, base: str) -> Validation:
    """Validate ``data`` (which includes the ontology) against both shape files."""
    lines = sorted(line for line in data.serialize(format="nt").splitlines(keepends=True) if line.strip())
    return validate_ntriples("".join(lines), ontology, base)


def validate_ntriples(ntriples: str | bytes, ontology: Path, base: str, *, partition: int = PARTITION) -> Validation:
    """Validate a graph given as N-Triples (which includes the ontology) against both shape files.

    The lines must be grouped by subject (sorted N-Triples are), their terms one space apart. The graph is
    read as a stream: once for the classes of every node, once to mark the
    focus nodes that may violate a shape, once more for the marked ones' triples.
    """
    core = load_shapes(ontology, "shapes.ttl", base)
    sparql = load_shapes(ontology, "shapes-sparql.ttl", base)
    reports = list(_core_reports(ntriples, core, partition))
    reports.append(_sparql_report(ntriples, sparql))
    return _joined(reports, base)


def _paths(shapes: Graph) -> set[str]:
    paths = set()
    for path in shapes.objects(None, SH.path):
        if not isinstance(path, URIRef):
            raise ValueError(f"shape path {path!r}: only IRI paths can be validated by partition")
        paths.add(str(path))
    return paths


def _triples(data: str | bytes) -> Iterator[ox.Quad]:
    return ox.parse(data, format=ox.RdfFormat.N_TRIPLES)


def _triples_of(data: str | bytes, predicates: set[str]) -> Iterator[ox.Quad]:
    """The triples whose predicate is one of ``predicates``, parsing only the lines that name one.

    A line is found by its predicate written between single spaces, as N-Triples are written here
    (and by rdflib); a literal that happens to hold the same text only adds a line that is dropped once parsed.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    spans: list[tuple[int, int]] = []
    for predicate in sorted(predicates):
        token = b" <" + predicate.encode("utf-8") + b"> "
        at = raw.find(token)
        while at >= 0:
            start = raw.rfind(b"\n", 0, at) + 1
            end = raw.find(b"\n", at)
            end = len(raw) if end < 0 else end
            spans.append((start, end))
            at = raw.find(token, end)
    spans.sort()  # the file's order: sorted lines stay grouped by subject
    lines = b"\n".join(raw[start:end] for start, end in dict.fromkeys(spans)) + b"\n"
    return (quad for quad in _triples(lines) if quad.predicate.value in predicates)


def _rdflib(term) -> URIRef | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)  # as rdflib reads a plain literal
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"{term}: blank nodes are not part of the published graph")


_KNOWN_NODE = {RDF.type, SH.targetClass, SH.property, RDFS.label, RDFS.comment, SH.name, SH.description,
               SH.message, SH.severity}
_KNOWN_PROPERTY = {SH.path, SH.minCount, SH.maxCount, SH.nodeKind, SH["class"], SH["in"], SH.datatype, SH.pattern,
                   SH.flags, SH.languageIn, SH.message, SH.name, SH.description, SH.severity, SH.order, SH.group}
_IRI_KINDS = frozenset({SH.IRI, SH.BlankNodeOrIRI, SH.IRIOrLiteral})
_LITERAL_KINDS = frozenset({SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral})
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


@dataclass(slots=True)
class _Property:
    """What a property shape asks of the values of one path, as the pass over the triples checks it."""

    path: str
    min_count: int | None = None
    max_count: int | None = None
    node_kind: URIRef | None = None
    classes: list[set[str]] = field(default_factory=list)
    values: set[tuple] | None = None
    datatype: str | None = None
    pattern: re.Pattern | None = None
    languages: list[str] | None = None

    def suspect(self, value, classes: dict[str, list[str]]) -> bool:
        """Whether ``value`` may violate a constraint of this shape on one value (never false when it does)."""
        kind = type(value)
        is_iri, is_literal = kind is ox.NamedNode, kind is ox.Literal
        if self.node_kind is not None and not (
            (self.node_kind in _IRI_KINDS and is_iri) or (self.node_kind in _LITERAL_KINDS and is_literal)
        ):
            return True
        for allowed in self.classes:
            if not is_iri or allowed.isdisjoint(classes.get(value.value, ())):
                return True
        if self.values is not None and _key(value) not in self.values:
            return True
        if self.datatype is not None:
            if not is_literal or value.language or value.datatype.value != self.datatype:
                return True
            if Literal(value.value, datatype=URIRef(self.datatype)).ill_typed:
                return True
        if self.pattern is not None and not self.pattern.search(value.value):
            return True
        if self.languages is not None:
            language = (value.language or "").lower() if is_literal else ""
            if not any(language == tag or language.startswith(tag + "-") for tag in self.languages):
                return True
        return False


@dataclass(slots=True)
class _Shape:
    node: URIRef
    targets: set[str]
    """The target classes and their subclasses."""
    properties: list[_Property]
    checked: bool
    """False when the shape uses a component the pass does not check: every focus node is validated."""


def _key(term) -> tuple:
    if isinstance(term, (ox.NamedNode, URIRef)):
        return ("iri", str(term.value if isinstance(term, ox.NamedNode) else term))
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.language.lower() if term.language else term.datatype.value)
    if isinstance(term, Literal):
        return ("literal", str(term), term.language.lower() if term.language else str(term.datatype or XSD_STRING))
    return ("other", str(term))


def _compile(shapes: Graph, below: dict[str, set[str]]) -> list[_Shape]:
    compiled = []
    for shape, roots in _targets(shapes).items():
        checked = all(p in _KNOWN_NODE for p in shapes.predicates(shape))
        properties = []
        for node in shapes.objects(shape, SH.property):
            path = shapes.value(node, SH.path)
            prop = _Property(str(path))
            checked = checked and all(p in _KNOWN_PROPERTY for p in shapes.predicates(node))
            for count in shapes.objects(node, SH.minCount):
                prop.min_count = max(prop.min_count or 0, int(count))
            for count in shapes.objects(node, SH.maxCount):
                prop.max_count = min(prop.max_count if prop.max_count is not None else int(count), int(count))
            prop.node_kind = shapes.value(node, SH.nodeKind)
            prop.classes = [_closure({str(cls)}, below) for cls in shapes.objects(node, SH["class"])]
            for listed in shapes.objects(node, SH["in"]):
                prop.values = {_key(item) for item in Collection(shapes, listed)}
            datatype = shapes.value(node, SH.datatype)
            prop.datatype = str(datatype) if datatype is not None else None
            pattern = shapes.value(node, SH.pattern)
            if pattern is not None:
                flags = 0
                for letter in str(shapes.value(node, SH.flags) or ""):
                    flags |= _FLAGS.get(letter, 0)
                prop.pattern = re.compile(str(pattern), flags)
            for listed in shapes.objects(node, SH.languageIn):
                prop.languages = [str(tag).lower() for tag in Collection(shapes, listed)]
            properties.append(prop)
        compiled.append(_Shape(shape, _closure({str(r) for r in roots}, below), properties, checked))
    return compiled


def _core_reports(data: str | bytes, shapes: Graph, partition: int) -> Iterator[Graph]:
    wanted = _paths(shapes) | {RDF_TYPE}
    classes: dict[str, list[str]] = {}
    hierarchy: list[tuple[URIRef, URIRef, URIRef]] = []
    below: dict[str, set[str]] = {}
    for quad in _triples_of(data, {RDF_TYPE, SUBCLASS}):
        predicate = quad.predicate.value
        if predicate == RDF_TYPE and isinstance(quad.object, ox.NamedNode):
            classes.setdefault(quad.subject.value, []).append(quad.object.value)
        elif predicate == SUBCLASS:
            hierarchy.append((_rdflib(quad.subject), RDFS.subClassOf, _rdflib(quad.object)))
            below.setdefault(quad.object.value, set()).add(quad.subject.value)
    compiled = _compile(shapes, below)
    suspects = _suspects(data, compiled, classes)
    if not suspects:
        return
    marked = set(suspects)
    subjects: list[str] = []
    triples: list[tuple] = []
    for quad in _triples_of(data, wanted):
        subject = quad.subject.value
        if subject not in marked:
            continue
        if not subjects or subjects[-1] != subject:
            if len(subjects) >= partition:
                yield from _validate_marked(subjects, triples, suspects, shapes, classes, hierarchy)
                subjects, triples = [], []
            subjects.append(subject)
        triples.append((_rdflib(quad.subject), URIRef(quad.predicate.value), _rdflib(quad.object)))
    if subjects:
        yield from _validate_marked(subjects, triples, suspects, shapes, classes, hierarchy)


def _suspects(data: str | bytes, compiled: list[_Shape], classes: dict[str, list[str]]) -> dict[str, set[URIRef]]:
    """The focus nodes that may violate a Core shape, with the shapes they may violate."""
    suspects: dict[str, set[URIRef]] = {}
    seen: set[str] = set()
    subject: str | None = None
    shapes: list[_Shape] = []
    values: dict[str, set] = {}
    # For each set of classes a subject has: its shapes, and the property shapes of each path.
    plans: dict[tuple[str, ...], tuple[list[_Shape], dict[str, list[tuple[_Shape, _Property]]]]] = {}
    by_path: dict[str, list[tuple[_Shape, _Property]]] = {}

    def close() -> None:
        for shape in shapes:
            bad = not shape.checked
            for prop in shape.properties:
                count = len(values.get(prop.path, ()))
                if (prop.min_count is not None and count < prop.min_count) or (
                        prop.max_count is not None and count > prop.max_count):
                    bad = True
            if bad:
                suspects.setdefault(subject, set()).add(shape.node)

    for quad in _triples(data):
        if quad.subject.value != subject:
            if subject is not None:
                close()
            subject = quad.subject.value
            if subject in seen:
                raise ValueError(f"{subject}: the N-Triples are not grouped by subject (sort them)")
            seen.add(subject)
            own = tuple(classes.get(subject, ()))
            plan = plans.get(own)
            if plan is None:
                targeted = [shape for shape in compiled if not shape.targets.isdisjoint(own)]
                paths: dict[str, list[tuple[_Shape, _Property]]] = {}
                for shape in targeted:
                    for prop in shape.properties:
                        paths.setdefault(prop.path, []).append((shape, prop))
                plan = plans[own] = (targeted, paths)
            shapes, by_path = plan
            values = {}
        if not shapes:
            continue
        predicate = quad.predicate.value
        constrained = by_path.get(predicate)
        if constrained is None:
            continue
        values.setdefault(predicate, set()).add(quad.object)  # Oxigraph's terms compare by value
        for shape, prop in constrained:
            if prop.suspect(quad.object, classes):
                suspects.setdefault(subject, set()).add(shape.node)
    if subject is not None:
        close()
    return suspects


def _validate_marked(subjects: list[str], triples: list[tuple], suspects: dict[str, set[URIRef]], shapes: Graph,
                     classes: dict[str, list[str]], hierarchy: list[tuple]) -> Iterator[Graph]:
    """pyshacl over the marked subjects' triples, each shape on the nodes marked for it."""
    import pyshacl  # imported where validation runs: the build's own process, with SHACL alongside, never needs it

    graph = Graph()
    for triple in hierarchy:
        graph.add(triple)
    for node in {triple[2] for triple in triples if isinstance(triple[2], URIRef)}:
        for cls in classes.get(str(node), ()):
            graph.add((node, RDF.type, URIRef(cls)))
    for triple in triples:
        graph.add(triple)
    by_shape: dict[URIRef, list[URIRef]] = {}
    for subject in subjects:
        for shape in suspects[subject]:
            by_shape.setdefault(shape, []).append(URIRef(subject))
    for shape, focus in sorted(by_shape.items()):
        _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", inplace=True,
                                        use_shapes=[shape], focus_nodes=focus)
        yield report


def _targets(shapes: Graph) -> dict[URIRef, set[URIRef]]:
    """The target classes of each Core shape; a shape targeting otherwise cannot be run by partition."""
    found: dict[URIRef, set[URIRef]] = {}
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        for kind in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            if (shape, kind, None) in shapes:
                raise ValueError(f"shape {shape}: only sh:targetClass can be validated by partition")
        found[shape] = set(shapes.objects(shape, SH.targetClass))
    return found


def _closure(roots: set[str], below: dict[str, set[str]]) -> set[str]:
    found, todo = set(), list(roots)
    while todo:
        cls = todo.pop()
        if cls not in found:
            found.add(cls)
            todo.extend(below.get(cls, ()))
    return found


def _sparql_report(data: str | bytes, shapes: Graph) -> Graph:
    """The SPARQL shapes over the triples of their paths and their subjects' classes, in Oxigraph."""
    import pyshacl
    from oxrdflib.store import OxigraphStore

    paths = _paths(shapes)
    constrained, types = [], []
    for quad in _triples_of(data, paths | {RDF_TYPE}):  # the paths' triples, and the types their subjects may have
        predicate = quad.predicate.value
        if predicate in paths:
            constrained.append(quad)
        elif predicate == RDF_TYPE:
            types.append(quad)
    subjects = {quad.subject for quad in constrained}
    store = ox.Store()
    store.bulk_extend(constrained)
    store.bulk_extend(quad for quad in types if quad.subject in subjects)
    projected = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    _, report, _ = pyshacl.validate(projected, shacl_graph=shapes, inference="none", inplace=True, advanced=True)
    return report


def _joined(reports: list[Graph], base: str) -> Validation:
    report = bind_prefixes(Graph(), base)
    for graph in reports:
        for triple in graph:
            report.add(triple)
    violations = _violations(report)
    # One validation report node: keep a single sh:conforms.
    for node in list(report.subjects(RDF.type, SH.ValidationReport)):
        report.remove((node, SH.conforms, None))
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    reports_nodes = sorted(report.subjects(RDF.type, SH.ValidationReport))
    for node in reports_nodes[1:]:
        for result in report.objects(node, SH.result):
            report.add((reports_nodes[0], SH.result, result))
        report.remove((node, None, None))
    report.add((reports_nodes[0], SH.conforms, Literal(not results)))
    return Validation(not results, report, violations)


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
# without pickling it. Set only while a background validation starts.
_FORK_INPUT: tuple[str | bytes, Path, str] | None = None


def _validate_fork_input() -> Validation:
    assert _FORK_INPUT is not None
    return validate_ntriples(*_FORK_INPUT)


def validate_in_background(ntriples: str | bytes, ontology: Path, base: str) -> Future[Validation]:
    """Run :func:`validate_ntriples` in a forked process so the caller can write dumps meanwhile.

    Where fork is not available the validation runs here and the future is already done.
    """
    global _FORK_INPUT
    if "fork" not in multiprocessing.get_all_start_methods():
        done: Future[Validation] = Future()
        done.set_result(validate_ntriples(ntriples, ontology, base))
        return done
    _FORK_INPUT = (ntriples, ontology, base)
    try:
        executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        future = executor.submit(_validate_fork_input)
        executor.shutdown(wait=False)
    finally:
        _FORK_INPUT = None
    return future
