"""``kg build`` on input that would lose rows: it stops with one line naming the file (exit 2),
and on a build that goes through it prints every problem count.

Each case is a copy of the vendored sources with one thing wrong.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.test_kg import error_line, run

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"


@pytest.fixture
def folder(tmp_path) -> Path:
    copy = tmp_path / "sources"
    shutil.copytree(SOURCES, copy)
    return copy


def edit_manifest(folder: Path, old: str, new: str) -> None:
    path = folder / "manifest.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


def build(folder: Path, dist: Path):
    return run("build", "--manifest", str(folder / "manifest.toml"), "--dist", str(dist))


def cr_only(folder):
    path = folder / "taiwan-japan.txt"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    return path, "content differs from the sha256 in the manifest"


def wrong_digest(folder):
    edit_manifest(folder, 'sha256 = "a36918d0', 'sha256 = "b36918d0')
    return folder / "japan-china-2024.txt", "content differs from the sha256 in the manifest"


def empty(folder):
    (folder / "gunma-2021.txt").write_bytes(b"")
    return folder / "gunma-2021.txt", "file is empty"


def shift_jis(folder):
    path = folder / "agreements-2016.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp932", errors="replace"))
    return path, "not UTF-8 text"


def utf16(folder):
    path = folder / "tokyo-wards-2026.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    return path, "not UTF-8 text (it looks like UTF-16)"


def truncated(folder):
    """A shorter file whose digest was pinned by hand, without recording the new count."""
    import hashlib

    path = folder / "japan-china-2024.txt"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:200]))
    edit_manifest(folder, 'sha256 = "a36918d0', f'sha256 = "{hashlib.sha256(path.read_bytes()).hexdigest()}"\n#')
    return path, "records where the manifest records 381"


@pytest.mark.parametrize("damage", [cr_only, wrong_digest, empty, shift_jis, utf16, truncated])
def test_lost_input_stops_the_build_with_one_line_naming_the_file(folder, tmp_path, damage):
    path, reason = damage(folder)
    dist = tmp_path / "dist"
    result = build(folder, dist)
    assert result.exit_code == 2, result.output
    line = error_line(result)
    assert line.startswith(f"kg: error: {path}"), line
    assert reason in line
    assert not dist.exists()


@pytest.mark.parametrize("old, new, message", [
    ('file = "gunma-2021.txt"', 'file = "../gunma-2021.txt"', "file '../gunma-2021.txt' must be a file name"),
    ('language = "zh-Hant"', 'language = "zh Hant"', "language 'zh Hant' is not a valid BCP 47 tag"),
    ('as_of = "2021-06-01"', 'as_of = "2021-13-45"', "as_of '2021-13-45' must be a date"),
    ('records = 157', 'records = "157"', "records '157' must be a whole number"),
])
def test_bad_manifest_values_stop_the_build(folder, tmp_path, old, new, message):
    edit_manifest(folder, old, new)
    # The file a `../` entry names exists outside the sources folder, as it would have to for the escape.
    shutil.copyfile(SOURCES / "gunma-2021.txt", tmp_path / "gunma-2021.txt")
    before = files_under(tmp_path)
    result = build(folder, tmp_path / "dist")
    assert result.exit_code == 2, result.output
    assert error_line(result).startswith(f"kg: error: {folder / 'manifest.toml'}: source #")
    assert message in error_line(result)
    assert files_under(tmp_path) == before  # nothing written, in dist/ or beside it


def test_an_unknown_tie_wording_is_a_counted_problem_not_a_silent_memorandum(folder, tmp_path):
    edit_manifest(folder, 'tie = "友好都市"', 'tie = "謎の関係"')
    dist = tmp_path / "dist"
    result = build(folder, dist)
    assert result.exit_code == 0, result.output
    report = json.loads((dist / "report.json").read_text(encoding="utf-8"))
    unknown = [p for p in report["problems"] if p["source"] == "japan-china-2024"]
    assert len(unknown) == 381
    assert {p["reason"] for p in unknown} == {
        # The list's premise (source-premises.csv: a list of twinning ties) gives the kind kept.
        "wording '謎の関係' matches no row of wording-kinds.csv (kept as friendship-city)"}
    assert report["counts"]["unknown_wordings"] == 381
    assert report["counts"]["problems"] == len(report["problems"])
    source = next(s for s in report["sources"] if s["id"] == "japan-china-2024")
    assert source["problems"] == 381
    markdown = (dist / "report.md").read_text(encoding="utf-8")
    assert "of which wordings that map to no kind of tie: 381" in markdown
    assert markdown.count("matches no row of wording-kinds.csv") == 381
    # Every count is on the console, as the report has it.
    counts = report["counts"]
    [summary] = [line for line in result.stdout.splitlines() if line.startswith("problems ")]
    assert summary.startswith(f"problems {counts['problems']} (")
    assert "japan-china-2024 381" in summary
    for label, key in (("unknown wordings", "unknown_wordings"), ("unresolved mentions", "unresolved"),
                       ("bodies", "bodies"), ("approximate resolutions", "approximate"), ("conflicts", "conflicts"),
                       ("SHACL violations", "shacl_violations")):
        assert f"{label} {counts[key]}" in summary, label


def test_kg_vendor_accepts_a_new_edition_and_the_build_goes_through(folder, tmp_path):
    path, _ = cr_only(folder)
    result = run("vendor", str(path), "--manifest", str(folder / "manifest.toml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"taiwan-japan: {path}: sha256 cccbd81a… → ")
    assert "records unchanged (157)" in result.stdout
    dist = tmp_path / "dist"
    built = build(folder, dist)
    assert built.exit_code == 0, built.output
    report = json.loads((dist / "report.json").read_text(encoding="utf-8"))
    assert next(s for s in report["sources"] if s["id"] == "taiwan-japan")["records"] == 157


def test_kg_vendor_refuses_what_the_build_could_not_use(folder, tmp_path):
    bad = tmp_path / "gunma-2021.txt"
    bad.write_bytes("群馬\n".encode("shift_jis"))
    result = run("vendor", str(bad), "--manifest", str(folder / "manifest.toml"))
    assert result.exit_code == 2
    assert error_line(result).startswith(f"kg: error: {bad}:1: not UTF-8 text")
