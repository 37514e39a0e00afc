"""Publishable dumps: sorted N-Triples, Turtle, compacted JSON-LD, gzip of each, CSV with CSVW.

Every file is a function of the graph alone: sorted triples, explicit prefixes,
gzip without timestamps, so the same sources give byte-identical files.
"""

from __future__ import annotations

import csv
import gzip
import heapq
import io
import json
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

import orjson
import pyoxigraph as ox
from rdflib import Literal, URIRef

from kg.iris import Iris, prefix_table, rebase_text
from kg.jsonld import LineCompactor, compact_ntriples
from kg.merge import Merged
from kg.rdf import Written
from kg.model import ForeignAuthority, JapaneseGovernment, Organisation
from kg.spreadsheets import IRI_DATATYPE, PROJECT_COLUMNS, excel_copy, party_cell, party_code, project_rows, projects_table

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
MEDIA_TYPES = {
    "kg.nt": ox.RdfFormat.N_TRIPLES.media_type,
    "kg.ttl": ox.RdfFormat.TURTLE.media_type,
    "kg.jsonld": ox.RdfFormat.JSON_LD.media_type,
    "csv/partnerships.csv": "text/csv",
    "csv/participants.csv": "text/csv",
    "csv/projects.csv": "text/csv",
    "csv/csv-metadata.json": "application/csvm+json",
    "csv/excel/partnerships.csv": "text/csv",
    "csv/excel/participants.csv": "text/csv",
    "csv/excel/projects.csv": "text/csv",
}


SORT_RUN = 2_000_000
"""Lines sorted in memory at a time: a larger graph is sorted in runs written to disk, then merged."""


def ntriples_of(triples: Iterable[tuple], *, run: int = SORT_RUN) -> bytes:
    """Triples as sorted, de-duplicated N-Triples in UTF-8: the canonical form every other dump is made from.

    Each line is written as rdflib's own N-Triples writer writes it, one triple
    at a time, so no graph is built to be serialised: an IRI as ``<iri>``, a
    literal the mapper wrote already (:class:`kg.rdf.Written`) as it is, another
    rdflib term by its ``n3()`` or the writer's quoting. UTF-8 bytes sort as their characters do, and
    take half the memory of a ``str`` of Japanese text; duplicates are dropped
    once sorted, next to each other, rather than kept in a set beside the list.
    Past ``run`` lines, each run is sorted and written to a temporary file, and
    the runs are merged at the end: memory holds one run's lines and the result,
    not every line beside the result.

    >>> from rdflib import Literal, URIRef
    >>> print(ntriples_of([(URIRef("http://ex.org/b"), URIRef("http://ex.org/p"), Literal("x", lang="ja")),
    ...                    (URIRef("http://ex.org/a"), URIRef("http://ex.org/p"), URIRef("http://ex.org/b"))] * 2).decode(), end="")
    <http://ex.org/a> <http://ex.org/p> <http://ex.org/b> .
    <http://ex.org/b> <http://ex.org/p> "x"@ja .
    """
    from rdflib.plugins.serializers.nt import _quoteLiteral

    def term(node) -> str:
        kind = type(node)
        if kind is Written:
            return node
        if kind is URIRef:
            return f"<{node}>"  # what n3() writes for the valid IRIs kg.iris mints
        return _quoteLiteral(node) if isinstance(node, Literal) else node.n3()

    with ExitStack() as stack:
        runs: list[BinaryIO] = []
        lines: list[bytes] = []
        append = lines.append
        for subject, predicate, obj in triples:
            kind = type(obj)
            value = obj if kind is Written else f"<{obj}>" if kind is URIRef else term(obj)
            if type(subject) is URIRef and type(predicate) is URIRef:
                append(f"<{subject}> <{predicate}> {value} .\n".encode("utf-8"))
            else:
                append(f"{term(subject)} {term(predicate)} {value} .\n".encode("utf-8"))
            if len(lines) >= run:
                runs.append(_sorted_run(lines, stack))
                lines = []
                append = lines.append
        lines.sort()
        if not runs:
            return b"".join(line for line, _ in groupby(lines))
        merged = io.BytesIO()  # grown in place; getvalue() hands over its buffer without a copy
        merged.writelines(line for line, _ in groupby(heapq.merge(*runs, lines)))
        del lines
        return merged.getvalue()


def _sorted_run(lines: list[bytes], stack: ExitStack) -> BinaryIO:
    """``lines`` sorted and de-duplicated into a temporary file, opened to be read back line by line."""
    lines.sort()
    handle = stack.enter_context(tempfile.TemporaryFile(prefix="kg-run-"))
    handle.writelines(line for line, _ in groupby(lines))
    handle.seek(0)
    return handle


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def context_document(ontology: Path, base: str) -> dict:
    """The published ``@context`` (``ontology/context.jsonld``) for ``base``."""
    return json.loads(rebase_text((ontology / "context.jsonld").read_text(encoding="utf-8"), base))


def compact_jsonld(ntriples: str, context: dict) -> dict:
    """The sorted N-Triples as JSON-LD compacted with ``context`` (:func:`kg.jsonld.compact_ntriples`).

    >>> doc = compact_jsonld('<http://ex.org/a> <http://ex.org/p> "x"@ja .\\n',
    ...                      {"@context": {"ex": "http://ex.org/", "id": "@id", "type": "@type"}})
    >>> doc["@graph"]
    [{'id': 'ex:a', 'ex:p': {'@value': 'x', '@language': 'ja'}}]
    """
    return compact_ntriples(ntriples, context["@context"])


JSONLD_CHUNK = 50_000
"""Triples compacted at a time: a JSON-LD dump of any size is written node by node."""


def write_rdf_dumps(ntriples: str | bytes, dist: Path, ontology: Path, base: str) -> list[Path]:
    """``kg.nt``, ``kg.ttl``, ``kg.jsonld`` and their gzip, from sorted N-Triples.

    Each is streamed to its file and gzipped from it, so memory holds the
    N-Triples and a slice of the other forms at a time, not three copies of the graph.
    """
    dist.mkdir(parents=True, exist_ok=True)
    if isinstance(ntriples, str):
        ntriples = ntriples.encode("utf-8")
    # Each file is gzipped in a thread while the next is written (zlib runs outside the GIL).
    with ThreadPoolExecutor(max_workers=1) as gzipping:
        nt = dist / "kg.nt"
        with nt.open("wb") as output:
            output.write(ntriples)
        gzipped = [gzipping.submit(gzip_file, nt)]
        ttl = dist / "kg.ttl"
        with ttl.open("wb") as output:
            triples = ox.parse(path=nt, format=ox.RdfFormat.N_TRIPLES)
            ox.serialize(triples, output, format=ox.RdfFormat.TURTLE, prefixes=prefix_table(base))
        gzipped.append(gzipping.submit(gzip_file, ttl))
        jsonld = dist / "kg.jsonld"
        context = context_document(ontology, base)
        with jsonld.open("wb") as output:
            output.write(('{"@context": ' + json.dumps(context["@context"], ensure_ascii=False, indent=1)
                          + ',\n"@graph": [\n').encode("utf-8"))
            separator = b""
            compacted = LineCompactor(context["@context"])
            # One node object per line: diffable between releases, and quick to write.
            for part in _subject_runs(ntriples, JSONLD_CHUNK):
                nodes = compacted(part.decode("utf-8"))["@graph"]
                if nodes:
                    output.write(separator + b",\n".join(map(orjson.dumps, nodes)))
                    separator = b",\n"
            output.write(b"\n]}\n")
        gzipped.append(gzipping.submit(gzip_file, jsonld))
        return [path for pair in zip((nt, ttl, jsonld), (f.result() for f in gzipped)) for path in pair]


def _subject_runs(ntriples: bytes, size: int) -> Iterable[bytes]:
    """The sorted N-Triples in pieces of about ``size`` lines, never splitting a subject's lines.

    >>> list(_subject_runs(b"<a> <p> 1 .\\n<a> <q> 2 .\\n<b> <p> 3 .\\n", 1))
    [b'<a> <p> 1 .\\n<a> <q> 2 .\\n', b'<b> <p> 3 .\\n']
    """
    start, length = 0, len(ntriples)
    while start < length:
        end = start
        for _ in range(size):
            end = ntriples.find(b"\n", end) + 1
            if end == 0:
                end = length
                break
        subject = ntriples[end:ntriples.find(b" ", end)] if end < length else None
        while subject is not None and ntriples.startswith(subject + b" ", end):
            end = ntriples.find(b"\n", end) + 1 or length
        yield ntriples[start:end]
        start = end


def gzip_file(path: Path) -> Path:
    """``path`` gzipped beside it, streamed, with no name and no timestamp: the bytes depend on content only."""
    target = path.with_name(path.name + ".gz")
    with path.open("rb") as source, target.open("wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as handle:
        while chunk := source.read(1 << 20):
            handle.write(chunk)
    return target


# --- CSV -------------------------------------------------------------------

PARTNERSHIP_COLUMNS = ("id", "kind", "title", "date", "date_precision", "sources", "parties")
PARTICIPANT_COLUMNS = ("partnership_id", "party_id", "lg_code", "name", "country")


def _csv(rows: Iterable[Iterable[str]], header: tuple[str, ...]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_csv(merged: Merged, dist: Path, iris: Iris) -> list[Path]:
    """One row per partnership and one per partnership and party, with CSVW metadata."""
    partnerships, participants = [], []
    for partnership in merged.partnerships:
        node = str(iris.partnership(partnership.id))
        refs = sorted({f"{claim.source}:{line}" for claim in partnership.claims for line in claim.lines[:1]},
                      key=_ref_key)
        partnerships.append((
            node, partnership.kind, partnership.title or "",
            partnership.date.iso if partnership.date else "",
            partnership.date.precision if partnership.date else "", ";".join(refs),
            ";".join(party_cell(party.label, party_code(party)) for party in partnership.parties),
        ))
        for party in partnership.parties:
            code = party.government.code if isinstance(party, JapaneseGovernment) else ""
            if isinstance(party, JapaneseGovernment):
                country = "JP"
            elif isinstance(party, (ForeignAuthority, Organisation)):
                country = party.country or ""
            else:
                country = ""
            participants.append((node, str(iris.party(party.key)), code, party.label, country))
    folder = dist / "csv"
    tables = [
        write_bytes(folder / "partnerships.csv", _csv(partnerships, PARTNERSHIP_COLUMNS)),
        write_bytes(folder / "participants.csv", _csv(sorted(participants), PARTICIPANT_COLUMNS)),
        write_bytes(folder / "projects.csv", _csv(project_rows(merged, iris), PROJECT_COLUMNS)),
    ]
    return [*tables, write_bytes(folder / "csv-metadata.json", csvw_metadata(iris)),
            *(excel_copy(table, dist) for table in tables)]


def _ref_key(ref: str) -> tuple[str, int]:
    source, _, line = ref.rpartition(":")
    return source, int(line)


def csvw_metadata(iris: Iris) -> bytes:
    """CSV on the Web metadata describing the tables, their keys and the RDF they stand for."""
    lgp = str(iris.lgp)
    metadata = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": "Partnerships between local governments (CSV)",
        "dc:license": {"@id": "https://creativecommons.org/licenses/by/4.0/"},
        "tables": [
            {
                "url": "partnerships.csv",
                "dc:description": "One row per partnership: kind, title, date with its precision, and the source lines of every claim.",
                "tableSchema": {
                    "aboutUrl": "{+id}",
                    "primaryKey": "id",
                    "columns": [
                        {"name": "id", "titles": "id", "datatype": IRI_DATATYPE, "required": True, "suppressOutput": True},
                        {"name": "kind", "titles": "kind", "propertyUrl": lgp + "kind",
                         "valueUrl": str(iris.kind_ns) + "{kind}", "required": True},
                        {"name": "title", "titles": "title", "suppressOutput": True,
                         "dc:description": "dcterms:title, in the language of the first source in sources (ja, or zh-Hant)"},
                        {"name": "date", "titles": "date", "suppressOutput": True,
                         "datatype": {"base": "string", "format": "^\\d{4}(-\\d{2}(-\\d{2})?)?$"},
                         "dc:description": "lgp:date, as xsd:date, xsd:gYearMonth or xsd:gYear by date_precision"},
                        {"name": "date_precision", "titles": "date_precision", "propertyUrl": lgp + "datePrecision",
                         "valueUrl": str(iris.precision_ns) + "{date_precision}"},
                        {"name": "sources", "titles": "sources", "separator": ";", "suppressOutput": True,
                         "dc:description": "SOURCE_ID:LINE of every claim about the partnership"},
                        {"name": "parties", "titles": "parties", "separator": ";", "suppressOutput": True, "lang": "ja",
                         "dc:description": "Each party as name (団体コード, or ISO 3166-1 country of a foreign party)"},
                    ],
                },
            },
            {
                "url": "participants.csv",
                "dc:description": "One row per partnership and party.",
                "tableSchema": {
                    "aboutUrl": "{+partnership_id}",
                    "primaryKey": ["partnership_id", "party_id"],
                    "foreignKeys": [{"columnReference": "partnership_id",
                                     "reference": {"resource": "partnerships.csv", "columnReference": "id"}}],
                    "columns": [
                        {"name": "partnership_id", "titles": "partnership_id", "datatype": IRI_DATATYPE, "required": True,
                         "suppressOutput": True},
                        {"name": "party_id", "titles": "party_id", "datatype": IRI_DATATYPE, "required": True,
                         "propertyUrl": lgp + "party", "valueUrl": "{+party_id}"},
                        {"name": "lg_code", "titles": "lg_code", "suppressOutput": True,
                         "datatype": {"base": "string", "format": "^(\\d{6})?$"},
                         "dc:description": "全国地方公共団体コード (6 digits with check digit) of a Japanese local government"},
                        {"name": "name", "titles": "name", "suppressOutput": True, "lang": "ja"},
                        {"name": "country", "titles": "country", "suppressOutput": True,
                         "dc:description": "ISO 3166-1 alpha-2 code of the party's country"},
                    ],
                },
            },
            projects_table(iris),
        ],
    }
    return (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
