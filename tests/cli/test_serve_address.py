"""``kg serve`` on another address: a port in use is one line before anything is served, and a
graph minted under another base is said once."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from cli.serve import serve
from endpoint.server import free_port


def test_a_port_in_use_is_one_line_before_serving(dist):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(serve, ["--dist", str(dist), "--port", str(port)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"kg: error: cannot listen on 127.0.0.1:{port}: address already in use"]


def test_serving_under_another_base_warns_once(dist, monkeypatch):
    served = []
    monkeypatch.setattr("endpoint.server.run", lambda app, settings, **options: served.append(settings.port))
    port = free_port()
    result = CliRunner().invoke(serve, ["--dist", str(dist), "--port", str(port)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "http://localhost:8000/" in warnings[0] and f"KG_BASE=http://localhost:{port}/" in warnings[0]
    assert result.output.index("warning:") < result.output.index("serving ") and served == [port]


def test_serving_at_the_base_says_nothing_of_it(dist, monkeypatch):
    monkeypatch.setattr("endpoint.server.run", lambda app, settings, **options: None)
    port = free_port()
    monkeypatch.setenv("KG_BASE", f"http://localhost:{port}/")
    result = CliRunner().invoke(serve, ["--dist", str(dist), "--port", str(port)])
    assert result.exit_code == 0 and "warning:" not in result.output
