"""The ``kg`` command's behaviour on bad input: exit 2 and one ``kg: error:`` line, never a traceback.

The output of a real ``kg build`` is tested elsewhere; nothing here builds the graph.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from mapping.parsers import PARSERS

KG = Path(sys.executable).with_name("kg")
SUBCOMMANDS = ("build", "validate", "formats", "serve", "publish")


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, prog_name="kg")


def error_line(result) -> str:
    """The one ``kg: error:`` line of stderr, checking there is exactly one and no traceback."""
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.rstrip("\n").splitlines()[-1] == errors[0]  # the last thing printed
    return errors[0]


# --- bad manifest ---------------------------------------------------------------


def test_missing_manifest(tmp_path):
    dist = tmp_path / "dist"
    result = run("build", "--manifest", "nope.toml", "--dist", str(dist))
    assert result.exit_code == 2
    assert error_line(result) == "kg: error: nope.toml: manifest not found"
    assert not dist.exists()  # failed before writing anything


def test_invalid_manifest(tmp_path):
    manifest = tmp_path / "manifest.toml"
    manifest.write_text("[[source]\nid = 'x'\n", encoding="utf-8")
    result = run("build", "--manifest", str(manifest), "--dist", str(tmp_path / "dist"))
    assert result.exit_code == 2
    assert error_line(result).startswith(f"kg: error: {manifest}: not a valid TOML manifest")


def test_manifest_with_unknown_format(tmp_path):
    manifest = tmp_path / "manifest.toml"
    manifest.write_text('[[source]]\nid = "a"\nfile = "a.txt"\nformat = "pdf"\ntitle = "t"\nlanguage = "ja"\n',
                        encoding="utf-8")
    result = run("build", "--manifest", str(manifest), "--dist", str(tmp_path / "dist"))
    assert result.exit_code == 2
    assert error_line(result).startswith(f"kg: error: {manifest}: source #1 (a): unknown format 'pdf'")


def test_manifest_naming_a_missing_source(tmp_path):
    manifest = tmp_path / "manifest.toml"
    manifest.write_text('[[source]]\nid = "a"\nfile = "a.txt"\nformat = "japan-china-tsv"\ntitle = "t"\n'
                        'language = "ja"\n', encoding="utf-8")
    result = run("build", "--manifest", str(manifest), "--dist", str(tmp_path / "dist"))
    assert result.exit_code == 2
    assert error_line(result) == f"kg: error: {tmp_path / 'a.txt'}: source 'a' not found"


def test_manifest_that_is_a_folder(tmp_path):
    result = run("build", "--manifest", str(tmp_path), "--dist", str(tmp_path / "dist"))
    assert result.exit_code == 2
    assert error_line(result).startswith(f"kg: error: {tmp_path}: ")


# --- bad settings ---------------------------------------------------------------


@pytest.mark.parametrize("base", ["ftp://example.org/lg/", "example.org/lg/", "https://example.org/lg", "http://x"])
@pytest.mark.parametrize("command", ["build", "validate"])
def test_invalid_base_names_the_parameter(tmp_path, command, base):
    args = [command, "--base", base] + (["--dist", str(tmp_path / "dist")] if command == "build" else [])
    result = run(*args)
    assert result.exit_code == 2
    line = error_line(result)
    assert line.startswith(f"kg: error: --base {base!r}: ")
    assert "http(s)" in line and "'/'" in line
    assert not (tmp_path / "dist").exists()


def test_invalid_base_from_the_environment_names_the_variable(tmp_path):
    result = run("build", "--dist", str(tmp_path / "dist"), env={"KG_BASE": "http://example.org"})
    assert result.exit_code == 2
    assert error_line(result).startswith("kg: error: KG_BASE 'http://example.org': ")


def test_option_wins_over_a_bad_environment(tmp_path):
    # A valid --base overrides an invalid KG_BASE, so the build reaches the manifest.
    result = run("build", "--base", "https://example.org/lg/", "--manifest", str(tmp_path / "m.toml"),
                 "--dist", str(tmp_path / "dist"), env={"KG_BASE": "nope"})
    assert result.exit_code == 2
    assert error_line(result) == f"kg: error: {tmp_path / 'm.toml'}: manifest not found"


def test_unknown_command_and_option_are_usage_errors():
    assert run("nosuch").exit_code == 2
    assert run("build", "--colour", "blue").exit_code == 2


# --- help and formats -----------------------------------------------------------


def test_help():
    result = run("--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: kg [OPTIONS] COMMAND [ARGS]...")
    for command in SUBCOMMANDS:
        assert f"  {command} " in result.stdout


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_subcommand_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: kg {command} [OPTIONS]")
    assert "--help" in result.stdout


def test_build_help_lists_its_options():
    result = run("build", "--help")
    for option in ("--base", "--dist", "--manifest"):
        assert option in result.stdout


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("kg, version ")


def test_formats_lists_the_five_formats():
    result = run("formats")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == sorted(PARSERS)
    assert sorted(PARSERS) == ["agreement-tsv", "gunma-list", "japan-china-tsv", "taiwan-japan-list",
                               "tokyo-wards-projects"]
    for line in lines:
        name, summary = line.split(None, 1)
        assert summary.startswith("Parser for"), line  # the first line of the parser's docstring


# --- the installed command ------------------------------------------------------


def test_installed_command_reports_a_bad_manifest_on_one_line(tmp_path):
    assert KG.is_file(), KG
    completed = subprocess.run(
        [str(KG), "build", "--manifest", "nope.toml", "--dist", str(tmp_path / "dist")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    errors = [line for line in completed.stderr.splitlines() if line.startswith("kg: error:")]
    assert errors == ["kg: error: nope.toml: manifest not found"]
    assert completed.stderr.splitlines()[-1] == errors[0]
    assert not (tmp_path / "dist").exists()
