"""`kg serve` and `kg publish` as commands: one-line errors, documented options."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from cli import cli
from cli.serve import conformance, publish, serve


def run(command, *args):
    return CliRunner().invoke(command, list(args))


def test_serve_without_a_build(tmp_path):
    result = run(serve, "--dist", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.strip() == f"kg: error: no graph at {tmp_path / 'kg.nt'}: run `kg build` first"


def test_serve_rejects_a_store_that_is_not_http():
    result = run(serve, "--store", "ftp://example.org/sparql")
    assert result.exit_code == 2
    assert "is not an http(s) URL" in result.output
    assert "Traceback" not in result.output


def test_serve_with_an_unreachable_store():
    result = run(serve, "--store", "http://127.0.0.1:9/sparql")
    assert result.exit_code == 1
    assert result.output.startswith("kg: error: the store at http://127.0.0.1:9/sparql is unreachable")


def test_serve_with_a_broken_dump(tmp_path):
    (tmp_path / "kg.nt").write_text("<http://a> <http://b> .\n")
    result = run(serve, "--dist", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.startswith(f"kg: error: could not load {tmp_path / 'kg.nt'}")
    assert len(result.output.strip().splitlines()) == 1


def test_serve_get_answers_one_request(dist):
    result = run(serve, "--dist", str(dist), "--get", "/id/lg/011002", "--accept", "application/n-triples")
    assert result.exit_code == 0, result.output
    assert '<http://localhost:8000/id/lg/011002> <http://www.w3.org/2000/01/rdf-schema#label> "札幌市"@ja .' in result.output


def test_serve_get_of_a_missing_resource_fails(dist):
    result = run(serve, "--dist", str(dist), "--get", "/id/lg/000000")
    assert result.exit_code == 1
    assert "404 Not Found" in result.output


def test_publish_without_a_build(tmp_path):
    result = run(publish, "--to", "http://127.0.0.1:9/store", "--dist", str(tmp_path))
    assert result.exit_code == 1
    assert "run `kg build` first" in result.output


def test_publish_needs_a_target():
    result = run(publish)
    assert result.exit_code == 2
    assert "--to" in result.output


def test_publish_to_an_unreachable_store(dist):
    result = run(publish, "--to", "http://127.0.0.1:9/store", "--dist", str(dist))
    assert result.exit_code == 1
    assert result.output.startswith("kg: error: could not reach http://127.0.0.1:9/store?default")


@pytest.mark.parametrize("command", [serve, publish, conformance])
def test_every_option_is_documented(command):
    assert command.help
    for param in command.params:
        if param.param_type_name == "option":
            assert param.help, f"{command.name} {param.opts} has no help"


def test_the_kg_group_has_the_server_commands():
    assert {"serve", "publish", "conformance"} <= set(cli.list_commands(click.Context(cli)))
