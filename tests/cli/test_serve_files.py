"""`kg serve --data FILE --graph IRI=FILE`: any RDF files, same protocol; one-line errors, exit 2."""

from __future__ import annotations

import gzip
import json

import pytest
from click.testing import CliRunner

from cli import cli
from cli.serve import serve
from endpoint.store.backends import DataError, EmbeddedStore

SUITE = "endpoint/conformance/sparql11-protocol"
DOC1 = "http://kasei.us/2009/09/sparql/data/data1.rdf"


def run(*args, env=None):
    return CliRunner().invoke(serve, list(args), env=env)


def one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def sparql(query: str) -> str:
    from urllib.parse import quote

    return "/sparql?query=" + quote(query)


def test_data_and_graphs_are_served(tmp_path):
    turtle = tmp_path / "extra.ttl"
    turtle.write_text("@prefix e: <http://example.org/> . e:a e:p <relative> .\n", encoding="utf-8")
    packed = tmp_path / "more.nt.gz"
    packed.write_bytes(gzip.compress(b"<http://example.org/b> <http://example.org/p> \"b\" .\n"))
    query = ("SELECT ?g ?s WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } ORDER BY ?g ?s")
    result = run("--data", str(turtle), "--data", str(packed), "--graph", f"{DOC1}={SUITE}/data1.nt",
                 "--get", sparql(query), "--accept", "application/sparql-results+json")
    assert result.exit_code == 0, result.output
    rows = [(row.get("g", {}).get("value"), row["s"]["value"]) for row in json.loads(result.output)["results"]["bindings"]]
    assert rows == [(None, "http://example.org/a"), (None, "http://example.org/b"), (DOC1, DOC1)]
    relative = run("--data", str(turtle), "--get", sparql("SELECT ?o { ?s ?p ?o }"), "--accept", "text/csv")
    assert relative.output.splitlines()[1] == (tmp_path / "relative").as_uri()


def test_files_win_over_the_built_graph(dist):
    result = run("--dist", str(dist), "--data", f"{SUITE}/data2.nt", "--get", sparql("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"),
                 "--accept", "text/csv")
    assert result.stdout.splitlines() == ["n", "1"]  # the answer alone: stderr may carry an engine warning


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "missing.nt"], "kg: error: --data missing.nt: no such file"),
        (["--graph", f"{DOC1}=missing.nt"], "kg: error: --graph missing.nt: no such file"),
        (["--graph", "data1.nt"], "kg: error: --graph 'data1.nt': expected IRI=FILE"),
        (["--graph", f"not an iri={SUITE}/data1.nt"], "kg: error: --graph 'not an iri="),
        (["--data", "README.md"], "kg: error: --data README.md: not an RDF file by its extension"),
        (["--data", f"{SUITE}/data1.nt", "--store", "http://127.0.0.1:9/sparql"], "kg: error: --data and --graph serve files"),
        (["--store-update", "http://127.0.0.1:9/update"], "kg: error: --store-update needs --store"),
        (["--allow-update", "--host", "0.0.0.0", "--data", f"{SUITE}/data1.nt"], "kg: error: --allow-update on 0.0.0.0 needs a bearer token"),
    ],
)
def test_bad_arguments(args, message):
    assert one_line_error(run(*args)).startswith(message)


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("broken.ttl", "@prefix e: <http://example.org/> .\ne:a e:p \"open .\n", "line 2"),
        ("broken.nt", "<http://a> <http://b> .\n", "line 1"),
        ("broken.nt.gz", None, ""),
        ("quads.nq", "<http://a> <http://b> <http://c> <http://g> .\n", "--data"),
    ],
)
def test_bad_files_name_the_file(tmp_path, name, content, where):
    path = tmp_path / name
    if content is None:
        path.write_bytes(b"not gzip at all")
    else:
        path.write_text(content, encoding="utf-8")
    option = ["--graph", f"http://example.org/g={path}"] if name.endswith(".nq") else ["--data", str(path)]
    line = one_line_error(run(*option, "--get", "/sparql"))
    assert line.startswith(f"kg: error: {path}: ")
    assert where in line


def test_the_token_comes_from_the_environment(tmp_path):
    args = ["--allow-update", "--host", "0.0.0.0", "--data", f"{SUITE}/data1.nt", "--get", "/sparql", "--accept", "text/turtle"]
    result = run(*args, env={"KG_UPDATE_TOKEN": "t0ken"})
    assert result.exit_code == 0, result.output
    assert "SPARQL11Update" in result.output


def test_kg_cli_errors_are_one_line_too():
    result = CliRunner().invoke(cli, ["serve", "--data", "nowhere.ttl"], prog_name="kg")
    assert result.exit_code == 2
    assert result.output.strip() == "kg: error: --data nowhere.ttl: no such file"


def test_from_sources_refuses_a_dataset_in_one_graph(tmp_path):
    trig = tmp_path / "d.trig"
    trig.write_text("<http://g> { <http://a> <http://b> <http://c> }\n", encoding="utf-8")
    with pytest.raises(DataError, match="load it with --data"):
        EmbeddedStore.from_sources(graphs=[("http://example.org/g", trig)])
    assert EmbeddedStore.from_sources(data=[trig]).triple_count() == 1
