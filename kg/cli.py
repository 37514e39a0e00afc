"""The ``kg`` command: build, validate, serve and publish the partnership graph.

Exit codes: 0 success, 1 the data failed (SHACL violations), 2 bad input or usage.
Errors are one line naming the file, line or parameter; never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from pydantic import ValidationError

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


@cli.command()
@click.option("--base", help="IRI base of every identifier (default http://localhost:8000/).")
@click.option("--dist", type=click.Path(path_type=Path), help="Folder to write to (default dist/).")
@click.option("--manifest", type=click.Path(path_type=Path), help="Source manifest (default data/sources/manifest.toml).")
def build(base: str | None, dist: Path | None, manifest: Path | None) -> None:
    """Parse, resolve, merge, map to RDF, validate with SHACL and write dist/."""
    from kg.build import build as run

    settings = _settings(base=base, dist=dist, manifest=manifest)
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
def validate(base: str | None) -> None:
    """Build the graph in memory and validate it with SHACL, writing nothing."""
    from kg.build import build as run

    settings = _settings(base=base)
    result = run(settings, progress=_progress, write=False)
    violations = result.validation.violations
    for violation in violations:
        click.echo(f"{violation.focus} {violation.path or ''}: {violation.message}")
    if violations:
        _fail(f"{len(violations)} SHACL violation(s)", 1)
    click.echo(f"conforms: {len(result.graph)} triples, 0 violations")


@cli.command()
@click.argument("target", type=click.Choice(["estat", "wikidata"]))
@click.option("--endpoint", help="SPARQL endpoint to ask (KG_ESTAT_ENDPOINT / KG_WIKIDATA_ENDPOINT by default).")
@click.option("--timeout", type=float, default=120.0, show_default=True, help="Seconds to wait for each answer.")
def link(target: str, endpoint: str | None, timeout: float) -> None:
    """Refresh a link table of data/links/ from its SPARQL endpoint (the only command that goes online).

    estat: the latest dated standard area code of each plain code (e-Stat's statistical LOD).
    wikidata: the item of each 団体コード (P429) and the P190 ties of those items.
    """
    from kg.links.command import refresh

    settings = _settings(**{f"{target}_endpoint": endpoint})
    asked = getattr(settings, f"{target}_endpoint")
    click.echo(f"… asking {asked}", err=True)
    for line in refresh(target, asked, settings.links, timeout=timeout):
        click.echo(line)


@cli.command()
def formats() -> None:
    """List the source formats the manifest can name."""
    for name, parser in sorted(PARSERS.items()):
        summary = (parser.__module__ and sys.modules[parser.__module__].__doc__ or "").strip().splitlines()
        click.echo(f"{name:<22} {summary[0] if summary else ''}")


def _register_endpoint_commands() -> None:
    try:
        from endpoint.commands import conformance, publish, serve
    except ImportError:
        return
    cli.add_command(serve)
    cli.add_command(publish)
    cli.add_command(conformance)


_register_endpoint_commands()


def main() -> None:
    cli()
