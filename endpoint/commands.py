"""``kg serve`` and ``kg publish``: the only place of the endpoint that prints and exits.

Register them on the project's CLI with ``cli.add_command(serve)`` and
``cli.add_command(publish)``; ``python -m endpoint`` runs them standalone.
Bad input ends with a one-line message: exit 2 for a wrong option, 1 for
anything else (no graph built, a store that does not answer).
"""

from __future__ import annotations

from pathlib import Path

import click
from pydantic import ValidationError

from endpoint.app import MissingDump, create_app, dump_path, open_backend
from endpoint.backends import BackendError, RemoteStore
from endpoint.publish import PublishError, graph_store_url, put_graph
from kg.config import Settings


def _settings(**overrides) -> Settings:
    try:
        return Settings(**{key: value for key, value in overrides.items() if value is not None})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        raise click.UsageError(f"{where}: {first['msg']}") from None


def _http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise click.BadParameter(f"{value!r} is not an http(s) URL", ctx=ctx, param=param)
    return value


DIST = click.option(
    "--dist", type=click.Path(file_okay=False, path_type=Path), help="Folder of the built graph (KG_DIST)."
)


@click.command()
@click.option("--host", help="Address to listen on (KG_HOST, default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port to listen on (KG_PORT, default 8000).")
@click.option("--store", metavar="URL", callback=_http_url, help="Serve from this SPARQL endpoint instead of dist/kg.nt (KG_STORE).")
@DIST
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Server processes; each loads its own copy of the store.")
@click.option("--access-log/--no-access-log", default=False, show_default=True, help="Log every request.")
@click.option("--get", "get_path", metavar="PATH", help="Answer one request for PATH in-process, print the body and exit.")
@click.option("--accept", default="*/*", show_default=True, help="Accept header of the --get request.")
def serve(host, port, store, dist, workers, access_log, get_path, accept):
    """Serve SPARQL, Linked Data pages and downloads of the built graph."""
    from endpoint.server import fetch, run

    settings = _settings(host=host, port=port, store=store, dist=dist)
    if workers > 1 and get_path is None:
        if not settings.store and not dump_path(settings).is_file():
            raise click.ClickException(str(MissingDump(dump_path(settings))))
        click.echo(f"serving with {workers} workers on http://{settings.host}:{settings.port}/", err=True)
        run(None, settings, workers=workers, access_log=access_log)
        return
    try:
        backend = open_backend(settings)
        if isinstance(backend, RemoteStore):
            bool(backend.query("ASK {}"))  # fail now, not on the first request
    except MissingDump as error:
        raise click.ClickException(str(error)) from None
    except BackendError as error:
        raise click.ClickException(str(error)) from None
    except (SyntaxError, OSError, ValueError) as error:
        raise click.ClickException(f"could not load {dump_path(settings)}: {error}") from None
    app = create_app(settings, backend=backend)
    if get_path is not None:
        response = fetch(app, get_path, headers={"Accept": accept})
        click.echo(response.text, nl=False)
        if response.status_code >= 400:
            raise SystemExit(1)
        return
    source = settings.store or dump_path(settings)
    click.echo(f"serving {source} on http://{settings.host}:{settings.port}/ (SPARQL at /sparql)", err=True)
    run(app, settings, access_log=access_log)


@click.command()
@click.option("--to", "url", required=True, metavar="URL", callback=_http_url, help="Graph Store HTTP Protocol endpoint, e.g. http://localhost:7878/store.")
@click.option("--graph", metavar="IRI", help="Named graph to replace; the default graph otherwise.")
@DIST
def publish(url, graph, dist):
    """Load dist/kg.nt into a store by the SPARQL 1.1 Graph Store HTTP Protocol (PUT)."""
    settings = _settings(dist=dist)
    dump = dump_path(settings)
    if not dump.is_file():
        raise click.ClickException(str(MissingDump(dump)))
    try:
        graph_store_url(url, graph=graph)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--to") from None
    try:
        published = put_graph(dump, url, graph=graph)
    except PublishError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"published {dump} ({published.size:,} bytes) to {published.url} ({published.status})")


cli = click.Group("endpoint", commands={"serve": serve, "publish": publish}, help="The endpoint's commands.")
