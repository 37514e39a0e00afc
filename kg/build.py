"""The build: sources → records → parties → partnerships → graph → SHACL → dumps → catalog.

Each stage takes the previous one's output; ``build`` runs them in order, times
them, and writes everything to ``settings.dist``. Only the CLI prints.
"""

from __future__ import annotations

import gc
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from pathlib import Path

from rdflib import Graph

from kg.catalog import catalog
from kg.config import Settings
from kg.dumps import ntriples_of, write_bytes, write_csv, write_rdf_dumps
from kg.iris import Iris, rebase_text
from kg.kinds import KindScheme
from kg.links import Links
from kg.links.graph import link_triples, linksets, predecessor_triples
from kg.links.p190 import diff as p190_diff
from kg.links.report import links_report
from kg.links.void import describe_linksets, write_linksets
from kg.merge import Merged, Merger, load_group_decisions
from kg.rdf import Mapper
from kg.report import Report, build_report
from kg.resolve.resolver import Resolved, Resolver
from kg.validate import Validation, validate_in_background, validate_ntriples
from mapping.ingest import Ingestion, ingest

VOCABULARIES = ("lgp.ttl", "kinds.ttl")


@dataclass
class Build:
    """Everything a build produced, with the seconds each stage took.

    The graph is kept as its sorted N-Triples, the form every dump is written from.
    """

    ingestion: Ingestion
    resolved: Resolved
    merged: Merged
    ntriples: bytes
    validation: Validation | None
    report: Report
    files: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.validation is None or self.validation.conforms

    @property
    def triple_count(self) -> int:
        return self.ntriples.count(b"\n")

    @cached_property
    def graph(self) -> Graph:
        """The graph in rdflib, read from the N-Triples when first asked for (the build itself never needs it)."""
        return Graph().parse(data=self.ntriples, format="nt")


def vocabularies(settings: Settings) -> Graph:
    """The ontology and the kind scheme under the configured base."""
    graph = Graph()
    for name in VOCABULARIES:
        text = (settings.ontology / name).read_text(encoding="utf-8")
        graph.parse(data=rebase_text(text, settings.base), format="turtle")
    return graph


class _Clock:
    def __init__(self, progress: Callable[[str], None]):
        self.timings: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.progress(name)
        start = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - start


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The cycle collector off while the build runs.

    A build makes millions of objects that live to its end and almost no reference
    cycles; the collector's passes over the growing heap cost more the larger the
    sources (a tenth of the build at the reference scale) and free nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(settings: Settings, *, progress: Callable[[str], None] = lambda _: None, check: bool = True,
          write: bool = True) -> Build:
    """Run the pipeline; with ``check`` validate with SHACL; with ``write`` write ``dist/``."""
    with _without_cycle_collection():
        return _build(settings, progress, check, write)


def _build(settings: Settings, progress: Callable[[str], None], check: bool, write: bool) -> Build:
    clock = _Clock(progress)
    iris = Iris(settings.base)
    with clock.stage("parse"):
        ingestion = ingest(settings.manifest)
    with clock.stage("resolve"):
        resolver = Resolver.load(settings.curated)
        resolved = resolver.records(ingestion)
    with clock.stage("merge"):
        scheme = KindScheme.load(settings.ontology, settings.curated)
        merged = Merger(scheme, ingestion.sources, load_group_decisions(settings.curated)).merge(resolved)
    with clock.stage("rdf"):
        mapper = Mapper(iris, scheme, resolver.japan, ingestion.sources, country_labels=resolver.foreign.labels)
        links = Links.load(settings.links)
        sets = linksets(links, iris, resolver.japan, resolver.predecessors)
        ntriples = ntriples_of(chain(vocabularies(settings), mapper.triples(merged), link_triples(sets),
                                     predecessor_triples(iris, resolver.japan, resolver.predecessors)))
        p190 = p190_diff(links, merged, iris, ingestion.sources)
    pending = None
    validation: Validation | None = None
    validation_started = time.perf_counter()
    if check:
        progress("shacl")
        pending = validate_in_background(ntriples, settings.ontology, settings.base) if write else None
        if pending is None:
            with clock.stage("shacl"):
                validation = validate_ntriples(ntriples, settings.ontology, settings.base)
    files: list[Path] = []
    if write:
        # Dumps go to a staging folder while SHACL runs alongside; they replace
        # dist/'s only if the graph conforms.
        dist = settings.dist
        staging = dist / ".staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        with clock.stage("dumps"):
            staged = write_rdf_dumps(ntriples, staging, settings.ontology, settings.base)
            staged += write_csv(merged, staging, iris)
            staged += _copy_sources(ingestion, settings, staging)
            staged += write_linksets(sets, links, staging, p190.quickstatements)
        with clock.stage("catalog"):
            modified = max((s.as_of for s in ingestion.sources if len(s.as_of) == 10), default="")
            described = describe_linksets(catalog(iris, ingestion.sources, staging, ntriples, modified,
                                                  settings.publisher, settings.publisher_homepage), iris, sets,
                                          links, staging)
            staged.append(write_bytes(staging / "catalog.ttl", described.serialize(format="turtle").encode("utf-8")))
        if pending is not None:
            validation = pending.result()
            clock.timings["shacl (alongside)"] = time.perf_counter() - validation_started
        if validation is None or validation.conforms:
            files += [_publish(path, staging, dist) for path in staged]
        shutil.rmtree(staging, ignore_errors=True)
        if validation is not None:
            files.append(write_bytes(dist / "shacl-report.ttl",
                                     validation.report.serialize(format="turtle").encode("utf-8")))
    report = build_report(ingestion, resolved, merged, validation, ntriples.count(b"\n"))
    report.data["links"] = links_report(sets, resolver.japan, resolver.predecessors, resolved, p190)
    if write:
        files.append(write_bytes(settings.dist / "report.json", report.json().encode("utf-8")))
        files.append(write_bytes(settings.dist / "report.md", report.markdown().encode("utf-8")))
    result = Build(ingestion, resolved, merged, ntriples, validation, report, files, clock.timings)
    return result


def _publish(path: Path, staging: Path, dist: Path) -> Path:
    target = dist / path.relative_to(staging)
    target.parent.mkdir(parents=True, exist_ok=True)
    path.replace(target)
    return target


def _copy_sources(ingestion: Ingestion, settings: Settings, dist: Path) -> list[Path]:
    """The vendored sources, so the catalog's source distributions can be downloaded."""
    folder = dist / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in ingestion.sources:
        target = folder / source.file
        shutil.copyfile(source.path(settings.manifest.parent), target)
        copied.append(target)
    return copied
