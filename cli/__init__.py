"""The ``kg`` command: build, validate, serve and publish the partnership graph.

The top layer: it imports the build (:mod:`kg`, :mod:`mapping`) and the server
(:mod:`endpoint`); nothing imports it. The server's commands are in :mod:`cli.serve`.

Exit codes: 0 success, 1 the data failed (SHACL violations), 2 bad input or usage.
Errors are one line naming the file, line or parameter; never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from pydantic import ValidationError

from cli.serve import conformance, publish, serve
from kg.config import Settings
from mapping.errors import InputError
from mapping.parsers import PARSERS


def _settings(**overrides) -> Settings:
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"])
        # Name the parameter the value came from: the option, or else its environment variable.
        where = f"--{name.replace('_', '-')}" if name in given else f"KG_{name.upper()}"
        message = first["msg"].removeprefix("Value error, ")
        _fail(f"{where} {first.get('input')!r}: {message}", 2)


def _progress(stage: str) -> None:
    click.echo(f"… {stage}", err=True)


def _fail(message: str, code: int) -> None:
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(code)


class Group(click.Group):
    """Turns errors into one-line messages: exit 2 for bad input, 1 for anything unexpected.

    ``KG_DEBUG=1`` shows the traceback of an unexpected error instead.
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as error:
            _fail(str(error), 2)
        except OSError as error:
            _fail(f"{error.filename or ''}: {error.strerror}", 2)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:
            if os.environ.get("KG_DEBUG"):
                raise
            _fail(f"unexpected {type(error).__name__}: {error} (KG_DEBUG=1 shows the traceback)", 1)


@click.group(cls=Group)
@click.version_option(package_name="jp-lg-partnerships")
def cli() -> None:
    """Linked data on partnerships between Japanese local governments.

    Settings come from KG_* environment variables (KG_BASE, KG_DIST, ...) or options.
    """


DATA_DIR = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path),
    help="Folder of ontology/, data/ and queries/ (KG_DATA_DIR; default the checkout, else the copy installed with the package).",
)


@cli.command()
@click.option("--base", help="IRI base of every identifier (default http://localhost:8000/).")
@click.option("--dist", type=click.Path(path_type=Path), help="Folder to write to (default dist/).")
@click.option("--manifest", type=click.Path(path_type=Path), help="Source manifest (default DATA_DIR/data/sources/manifest.toml).")
@DATA_DIR
def build(base: str | None, dist: Path | None, manifest: Path | None, data_dir: Path | None) -> None:
    """Parse, resolve, merge, map to RDF, validate with SHACL and write dist/."""
    from kg.build import build as run

    settings = _settings(base=base, dist=dist, manifest=manifest, data_dir=data_dir)
    result = run(settings, progress=_progress)
    for stage, seconds in result.timings.items():
        click.echo(f"  {stage:<8} {seconds:6.2f} s", err=True)
    totals = result.report.data["totals"]
    click.echo(
        f"{totals['records']} records, {totals['partnerships']} partnerships, {totals['projects']} projects, "
        f"{totals['triples']} triples → {settings.dist}"
    )
    if not result.ok:
        violations = result.validation.violations
        _fail(f"{len(violations)} SHACL violation(s); see {settings.dist / 'shacl-report.ttl'}", 1)


@cli.command()
@click.option("--base", help="IRI base of every identifier.")
@DATA_DIR
def validate(base: str | None, data_dir: Path | None) -> None:
    """Build the graph in memory and validate it with SHACL, writing nothing."""
    from kg.build import build as run

    settings = _settings(base=base, data_dir=data_dir)
    result = run(settings, progress=_progress, write=False)
    violations = result.validation.violations
    for violation in violations:
        click.echo(f"{violation.focus} {violation.path or ''}: {violation.message}")
    if violations:
        _fail(f"{len(violations)} SHACL violation(s)", 1)
    click.echo(f"conforms: {result.triple_count} triples, 0 violations")


@cli.command()
@click.argument("target", type=click.Choice(["wikidata"]))
@click.option("--endpoint", help="SPARQL endpoint to ask (KG_WIKIDATA_ENDPOINT, default Wikidata's).")
@click.option("--timeout", type=float, default=120.0, show_default=True, help="Seconds to wait for the answer.")
def link(target: str, endpoint: str | None, timeout: float) -> None:
    """Fetch links to another dataset into data/links/ (the only command that goes online).

    wikidata: items whose P429 is a 全国地方公共団体コード; the next build adds
    schema:sameAs from each government to its item.
    """
    from kg.link import fetch_wikidata_links, write_links

    settings = _settings(wikidata_endpoint=endpoint)
    click.echo(f"… asking {settings.wikidata_endpoint}", err=True)
    pairs, invalid = fetch_wikidata_links(settings.wikidata_endpoint, timeout=timeout)
    path = write_links(pairs, settings.links / f"{target}.csv")
    click.echo(f"{len(pairs)} links ({invalid} values that are not valid codes left out) → {path}")


@cli.command()
def formats() -> None:
    """List the source formats the manifest can name."""
    for name, parser in sorted(PARSERS.items()):
        summary = (parser.__module__ and sys.modules[parser.__module__].__doc__ or "").strip().splitlines()
        click.echo(f"{name:<22} {summary[0] if summary else ''}")


cli.add_command(serve)
cli.add_command(publish)
cli.add_command(conformance)


def main() -> None:
    cli()
