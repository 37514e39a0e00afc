"""Fixtures shared by the whole suite: one build of the vendored sources per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

import pytest

from endpoint.server import free_port
from kg.build import Build, build
from kg.config import Settings


def require_tool(name: str) -> str:
    """Path of a system tool, or skip; in CI (KG_TEST_REQUIRE_TOOLS=1) a missing tool fails."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("KG_TEST_REQUIRE_TOOLS"):
        pytest.fail(f"{name} is required in CI but not installed")
    pytest.skip(f"{name} is not installed")


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    return Settings(dist=tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def built(settings) -> Build:
    """The vendored sources built once into a temporary dist/."""
    result = build(settings)
    assert result.ok, result.validation.violations[:5]
    return result


def oxigraph_binary() -> str | None:
    candidate = Path(sys.executable).with_name("oxigraph")
    return str(candidate) if candidate.exists() else shutil.which("oxigraph")


@contextmanager
def running_oxigraph(location: Path) -> Iterator[str]:
    """A real ``oxigraph serve`` (PyPI ``oxigraph``) on a free loopback port; yields its URL."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server (PyPI package `oxigraph`, test extra) is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "RUST_LOG": "warn"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph did not start: {process.stderr.read().decode(errors='replace')}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> Iterator[str]:
    """One ``oxigraph serve`` shared by the session's tests, its data in a temporary folder."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A private Virtuoso (Debian ``virtuoso-opensource``) on loopback, shared by the session's tests."""
    from tests.virtuoso import running_virtuoso

    require_tool("virtuoso-t")
    require_tool("isql-vt")
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as running:
        yield running


VIRTUOSO_GRAPH = "http://localhost:8000/"
"""The graph ``kg publish`` loads the built dump into; Virtuoso has no default graph to put it in."""


@pytest.fixture(scope="session")
def virtuoso_built(virtuoso, settings, built):
    """The vendored sources' dump, loaded into Virtuoso by ``kg publish`` as its users would."""
    from click.testing import CliRunner

    from cli.serve import publish

    result = CliRunner().invoke(
        publish, ["--to", virtuoso.graph_store, "--graph", VIRTUOSO_GRAPH, "--user", "dba", "--dist", str(settings.dist)],
        env={"KG_STORE_PASSWORD": virtuoso.password},
    )
    assert result.exit_code == 0, result.output
    return virtuoso
