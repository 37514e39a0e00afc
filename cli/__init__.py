"""The ``kg`` command: build, validate, serve and publish the partnership graph.

The top layer: it imports the build (:mod:`kg`, :mod:`mapping`) and the server
(:mod:`endpoint`); nothing imports it. The server's commands are in :mod:`cli.serve`.

Exit codes: 0 success, 1 the data failed (SHACL violations), 2 bad input or usage.
Errors are one line naming the file, line or parameter; never a traceback.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from cli.errors import Group, fail, settings_of
from kg.config import Settings

SERVER_COMMANDS = {"serve": "cli.serve", "publish": "cli.serve", "conformance": "cli.serve"}
"""Commands imported when run, so ``kg build`` does not load the web server."""


def _settings(**overrides) -> Settings:
    return settings_of(Settings, **overrides)


def _progress(stage: str) -> None:
    click.echo(f"… {stage}", err=True)


_fail = fail


class _Commands(Group):
    """The ``kg`` group: its own commands, and the server's from :mod:`cli.serve` when one is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *SERVER_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in SERVER_COMMANDS:
            return getattr(importlib.import_module(SERVER_COMMANDS[name]), name)
        return super().get_command(ctx, name)


@click.group(cls=_Commands)
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
    click.echo(f"{result.report.summary()} (see {settings.dist / 'report.md'})")
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
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--manifest", type=click.Path(path_type=Path), help="Source manifest (default data/sources/manifest.toml).")
def vendor(file: Path, manifest: Path | None) -> None:
    """Accept FILE as the edition of its source: copy it into the sources folder, record its digest and records."""
    from mapping.vendor import vendor as run

    click.echo(run(file, _settings(manifest=manifest).manifest).summary())


@cli.command()
def formats() -> None:
    """List the source formats the manifest can name."""
    from mapping.parsers import PARSERS

    for name, parser in sorted(PARSERS.items()):
        summary = (parser.__module__ and sys.modules[parser.__module__].__doc__ or "").strip().splitlines()
        click.echo(f"{name:<22} {summary[0] if summary else ''}")


def main() -> None:
    cli()
