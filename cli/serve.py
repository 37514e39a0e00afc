"""``kg serve``, ``kg publish`` and ``kg conformance``: the server's commands, which print and exit.

:mod:`cli` adds them to the ``kg`` group. Errors are those of :mod:`cli.errors`, one
``kg: error:`` line: exit 2 for a wrong option or a bad file to serve, 1 for anything
else (no graph built, a store that does not answer, a failed conformance test).
"""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

import click
from pyoxigraph import NamedNode

from cli.errors import BadInput, Failure, settings_of
from endpoint.app import MissingDump, create_app, dump_path, open_backend
from endpoint.settings import ServeSettings
from endpoint.sparql.update import exposure
from endpoint.store.backends import BackendError, DataError, RemoteStore, data_format
from endpoint.store.publish import PublishError, graph_store_url, put_graph


def _settings(**overrides) -> ServeSettings:
    return settings_of(ServeSettings, **overrides)


def _http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise click.BadParameter(f"{value!r} is not an http(s) URL", ctx=ctx, param=param)
    return value


DIST = click.option(
    "--dist", type=click.Path(file_okay=False, path_type=Path), help="Folder of the built graph (KG_DIST)."
)


def _graph_pair(value: str) -> tuple[str, Path]:
    """``IRI=FILE`` of ``--graph``; the IRI may hold ``=`` itself, so the last one splits.

    >>> _graph_pair("http://example.org/g?a=b=data.nt")
    ('http://example.org/g?a=b', PosixPath('data.nt'))
    """
    iri, equals, file = value.rpartition("=")
    if not equals or not iri or not file:
        raise BadInput(f"--graph {value!r}: expected IRI=FILE")
    try:
        NamedNode(iri)
    except ValueError:
        raise BadInput(f"--graph {value!r}: {iri!r} is not an absolute IRI") from None
    return iri, Path(file)


def _check_files(settings: ServeSettings) -> None:
    """Fail on the first file to serve that is missing or not RDF by its extension."""
    for option, path in [("--data", p) for p in settings.data] + [("--graph", p) for _, p in settings.graphs]:
        if not path.is_file():
            raise BadInput(f"{option} {path}: no such file")
        try:
            data_format(path)
        except DataError as error:
            raise BadInput(f"{option} {error}") from None


def _check_serving(settings: ServeSettings) -> None:
    """Options that cannot go together, and updates on an open address without a token."""
    if settings.store and (settings.data or settings.graphs):
        raise BadInput("--data and --graph serve files, --store a remote store: give one or the other")
    for option, value in (("--store-update", settings.store_update), ("--store-graph", settings.store_graph)):
        if value and not settings.store:
            raise BadInput(f"{option} needs --store")
    if settings.store_graph:
        try:
            NamedNode(settings.store_graph)
        except ValueError:
            raise BadInput(f"--store-graph {settings.store_graph!r}: not an absolute IRI") from None
    problem = exposure(settings)
    if problem is not None:
        raise BadInput(problem)
    _check_files(settings)


LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}


def base_mismatch(settings: ServeSettings) -> str | None:
    """A warning when the graph's IRIs are minted under another address than the one served.

    >>> base_mismatch(ServeSettings(port=8000)) is None, base_mismatch(ServeSettings(host="0.0.0.0")) is None
    (True, True)
    >>> print(base_mismatch(ServeSettings(port=8080)))
    warning: the graph's IRIs are under http://localhost:8000/ but this server listens on port 8080: they resolve here by path only; build with KG_BASE=http://localhost:8080/ to mint them under this address
    """
    base = urlsplit(settings.base)
    port = base.port or (443 if base.scheme == "https" else 80)
    host = settings.host
    same_host = host in ("0.0.0.0", "::") or host == base.hostname or {host, base.hostname} <= LOOPBACK
    if port == settings.port and same_host:
        return None
    shown = "localhost" if host in LOOPBACK else host
    where = f"port {settings.port}" if same_host else f"http://{shown}:{settings.port}/"
    return (f"warning: the graph's IRIs are under {settings.base} but this server listens on {where}: "
            f"they resolve here by path only; build with KG_BASE=http://{shown}:{settings.port}/ to mint them under this address")


def _check_address(settings: ServeSettings) -> None:
    """Fail with one line, before anything is served, when the address is taken or cannot be used."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    try:
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind((settings.host, settings.port))
    except OSError as error:
        reason = "address already in use" if error.errno == errno.EADDRINUSE else (error.strerror or str(error))
        raise Failure(f"cannot listen on {settings.host}:{settings.port}: {reason}") from None


@click.command()
@click.option("--host", help="Address to listen on (KG_HOST, default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port to listen on (KG_PORT, default 8000).")
@click.option("--store", metavar="URL", callback=_http_url, help="Serve from this SPARQL endpoint instead of dist/kg.nt (KG_STORE).")
@click.option("--store-update", metavar="URL", callback=_http_url, help="Where the --store takes updates, if not at URL itself (KG_STORE_UPDATE).")
@click.option("--store-graph", metavar="IRI", help="Graph of the --store that queries read when they name none, e.g. the one `kg publish --graph` loaded (KG_STORE_GRAPH).")
@click.option("--data", "data", metavar="FILE", multiple=True, type=click.Path(path_type=Path), help="Serve this RDF file in the default graph instead of dist/kg.nt; repeatable (KG_DATA).")
@click.option("--graph", "graphs", metavar="IRI=FILE", multiple=True, help="Serve this RDF file in the named graph IRI; repeatable (KG_GRAPHS).")
@click.option("--allow-update/--read-only", "allow_update", default=None, help="Accept SPARQL Update at /sparql and /update, for staging (KG_ALLOW_UPDATE; read-only by default). Off loopback it needs KG_UPDATE_TOKEN.")
@DIST
@click.option("--workers", type=click.IntRange(0, 64), help="Query worker processes over the on-disk store (KG_QUERY_WORKERS, default two per core, at least 4; 0 runs queries in threads).")
@click.option("--access-log/--no-access-log", default=False, show_default=True, help="Log every request.")
@click.option("--get", "get_path", metavar="PATH", help="Answer one request for PATH in-process, print the body and exit.")
@click.option("--accept", default="*/*", show_default=True, help="Accept header of the --get request.")
def serve(host, port, store, store_update, store_graph, data, graphs, allow_update, dist, workers, access_log, get_path, accept):
    """Serve SPARQL, Linked Data pages and downloads of the built graph, or of any RDF files."""
    from endpoint.server import fetch, run

    pairs = tuple(_graph_pair(value) for value in graphs)
    settings = _settings(
        host=host, port=port, store=store, store_update=store_update, store_graph=store_graph, dist=dist, allow_update=allow_update,
        data=tuple(data) or None, graphs=pairs or None, query_workers=0 if get_path is not None else workers,
    )
    _check_serving(settings)
    if get_path is None:
        _check_address(settings)
        warning = base_mismatch(settings)
        if warning:
            click.echo(warning, err=True)
    files = settings.data or settings.graphs
    try:
        backend = open_backend(settings)
        if isinstance(backend, RemoteStore):
            bool(backend.query("ASK {}"))  # fail now, not on the first request
            backend.check_rows(settings.result_limit + 1)
    except MissingDump as error:
        raise Failure(str(error)) from None
    except DataError as error:
        raise BadInput(" ".join(str(error).split())) from None
    except BackendError as error:
        raise Failure(str(error)) from None
    except (SyntaxError, OSError, ValueError) as error:
        raise Failure(f"could not load {dump_path(settings)}: {error}") from None
    app = create_app(settings, backend=backend)
    if get_path is not None:
        response = fetch(app, get_path, headers={"Accept": accept})
        click.echo(response.text, nl=False)
        if response.status_code >= 400:
            raise SystemExit(1)
        return
    if settings.store:
        source = settings.store
    elif files:
        source = ", ".join([str(p) for p in settings.data] + [f"{p} as <{iri}>" for iri, p in settings.graphs])
    else:
        source = str(dump_path(settings))
    mode = "updates allowed" if settings.allow_update else "read-only"
    if getattr(backend, "path", None) is not None and settings.query_workers:
        mode += f", queries in {settings.query_workers} worker processes"
    click.echo(f"serving {source} on http://{settings.host}:{settings.port}/ (SPARQL at /sparql, {mode})", err=True)
    run(app, settings, access_log=access_log)


@click.command()
@click.option("--to", "url", required=True, metavar="URL", callback=_http_url, help="Graph Store HTTP Protocol endpoint, e.g. http://localhost:7878/store.")
@click.option("--graph", metavar="IRI", help="Named graph to replace; the default graph otherwise (Virtuoso has none: give one).")
@click.option("--user", metavar="NAME", help="User to authenticate as (HTTP digest); the password is read from KG_STORE_PASSWORD, else asked for.")
@DIST
def publish(url, graph, user, dist):
    """Load dist/kg.nt into a store by the SPARQL 1.1 Graph Store HTTP Protocol (PUT).

    Virtuoso: --to http://127.0.0.1:8890/sparql-graph-crud-auth --graph IRI --user dba.
    """
    settings = _settings(dist=dist)
    dump = dump_path(settings)
    if not dump.is_file():
        raise Failure(str(MissingDump(dump)))
    try:
        graph_store_url(url, graph=graph)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--to") from None
    auth = None
    if user:
        password = os.environ.get("KG_STORE_PASSWORD") or click.prompt(f"password of {user}", hide_input=True)
        auth = (user, password)
    try:
        published = put_graph(dump, url, graph=graph, auth=auth)
    except PublishError as error:
        raise Failure(str(error)) from None
    click.echo(f"published {dump} ({published.size:,} bytes) to {published.url} ({published.status})")


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder for earl.ttl (default DIST/conformance, which /conformance serves).")
@click.option("--docs", type=click.Path(dir_okay=False, path_type=Path), help="Also write the Markdown table there (the repository keeps it in docs/conformance.md).")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path), help="The suite's manifest.ttl (default: the copy shipped in endpoint/conformance/sparql11-protocol/).")
@click.option("--mode", "modes", type=click.Choice(["updates-allowed", "read-only"]), multiple=True, help="Run only this mode; both by default.")
@click.option("--base", help="IRI base of the report's own IRIs (KG_BASE).")
@DIST
def conformance(out, docs, manifest, modes, base, dist):
    """Run the W3C SPARQL 1.1 Protocol tests against this server and write an EARL report.

    Each test gets a server on a free loopback port, started with the test's
    graphs; both modes run (updates allowed, read-only). Exit 1 if a test fails.
    """
    from endpoint.conformance import earl
    from endpoint.conformance.suite import (
        MANIFEST,
        MODES,
        ManifestError,
        conforms,
        read_manifest,
        run_suite,
    )

    settings = _settings(base=base, dist=dist)
    try:
        tests = read_manifest(manifest or MANIFEST)
    except ManifestError as error:
        raise BadInput(" ".join(str(error).split())) from None
    chosen = [mode for mode in MODES if not modes or mode.key in modes]
    outcomes = run_suite(tests, chosen, settings=settings, create_app=create_app)
    for outcome in outcomes:
        if outcome.outcome == "failed":
            click.echo(f"FAILED {outcome.mode.key} {outcome.test.local_name}: {outcome.info}", err=True)
    written = earl.write(outcomes, out or earl.folder(settings.dist), base=settings.base, docs=docs)
    for mode in chosen:
        counts: dict[str, int] = {}
        for outcome in outcomes:
            if outcome.mode is mode:
                counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        click.echo(f"{mode.label}: {summary} of {len(tests)}")
    click.echo("wrote " + ", ".join(str(path) for path in written))
    if not conforms(outcomes):
        raise SystemExit(1)

