"""Accepting a new edition of a source: ``kg vendor FILE`` records its digest and record count."""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from pathlib import Path

import pytest

from mapping.errors import InputError
from mapping.ingest import ingest
from mapping.vendor import vendor

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the vendored sources and their manifest."""
    copy = tmp_path / "sources"
    shutil.copytree(SOURCES, copy)
    return copy


def entry_of(manifest: Path, source_id: str) -> dict:
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    return next(e for e in data["source"] if e["id"] == source_id)


def test_a_new_edition_from_elsewhere_is_copied_and_recorded(folder, tmp_path):
    manifest = folder / "manifest.toml"
    before = manifest.read_text(encoding="utf-8")
    lines = (SOURCES / "taiwan-japan.txt").read_bytes().split(b"\n")
    # A new edition with CR line ends and one row fewer (the last numbered row and what follows it).
    last = max(i for i, line in enumerate(lines) if line.startswith(b"157"))
    edition = b"\r".join(lines[:last]) + b"\r"
    new = tmp_path / "download" / "taiwan-japan.txt"
    new.parent.mkdir()
    new.write_bytes(edition)
    shutil.copyfile(new, folder / "taiwan-japan.txt")
    with pytest.raises(InputError, match="taiwan-japan.txt: content differs"):  # copied by hand, it is refused
        ingest(manifest)
    shutil.copyfile(SOURCES / "taiwan-japan.txt", folder / "taiwan-japan.txt")

    done = vendor(new, manifest)
    assert done.copied_from == new
    assert (folder / "taiwan-japan.txt").read_bytes() == edition
    recorded = entry_of(manifest, "taiwan-japan")
    assert recorded["sha256"] == hashlib.sha256(edition).hexdigest()
    assert recorded["records"] < 157 and recorded["records"] == done.records
    assert f"records 157 → {done.records} ({157 - done.records} fewer)" in done.summary()
    assert "(copied from " in done.summary()
    # Only the two values changed: comments and every other entry are as written.
    after = manifest.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert [a.split(" = ")[0] for a, _ in changed] == ["sha256", "records"]
    assert len(before.splitlines()) == len(after.splitlines())
    # The build accepts it now.
    result = next(r for r in ingest(manifest).results if r.source == "taiwan-japan")
    assert len(result.records) == done.records


def test_a_file_edited_in_place_is_recorded(folder):
    manifest = folder / "manifest.toml"
    path = folder / "japan-china-2024.txt"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    with pytest.raises(InputError, match="content differs from the sha256"):
        ingest(manifest)
    done = vendor(path, manifest)
    assert done.copied_from is None
    assert "records unchanged (381)" in done.summary()
    assert entry_of(manifest, "japan-china-2024")["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(ingest(manifest).results[2].records) == 381


def test_the_recorded_edition_is_left_alone(folder):
    manifest = folder / "manifest.toml"
    before = manifest.read_bytes()
    done = vendor(folder / "gunma-2021.txt", manifest)
    assert not done.changed
    assert done.summary() == f"gunma-2021: {folder / 'gunma-2021.txt'}: already the recorded edition (227 records)"
    assert manifest.read_bytes() == before


def test_a_new_entry_gets_its_digest_and_records(folder):
    manifest = folder / "manifest.toml"
    shutil.copyfile(folder / "japan-china-2024.txt", folder / "japan-china-copy.txt")
    with manifest.open("a", encoding="utf-8") as out:
        out.write('\n[[source]]\nid = "copy"\nfile = "japan-china-copy.txt"\nformat = "japan-china-tsv"\n'
                  'title = "日中友好都市一覧"\nlanguage = "ja"\ntie = "友好都市"\n')
    with pytest.raises(InputError, match="the manifest records no sha256 and records for source 'copy'"):
        ingest(manifest)
    assert "sha256 none → " in vendor(folder / "japan-china-copy.txt", manifest).summary()
    assert entry_of(manifest, "copy")["records"] == 381
    assert [len(r.records) for r in ingest(manifest).results][-1] == 381


@pytest.mark.parametrize("content, message", [
    (b"", r"file is empty"),
    ("一覧\n".encode("shift_jis"), r":1: not UTF-8 text .*Shift_JIS"),
    ("一覧\n".encode("utf-16"), r"not UTF-8 text \(it looks like UTF-16\)"),
    (b"no table here\n", r"no records in format 'taiwan-japan-list' \(source 'taiwan-japan'\)"),
])
def test_a_file_the_build_could_not_use_is_refused(folder, tmp_path, content, message):
    manifest = folder / "manifest.toml"
    before = manifest.read_bytes()
    bad = tmp_path / "taiwan-japan.txt"
    bad.write_bytes(content)
    with pytest.raises(InputError, match=message):
        vendor(bad, manifest)
    assert manifest.read_bytes() == before
    assert (folder / "taiwan-japan.txt").read_bytes() == (SOURCES / "taiwan-japan.txt").read_bytes()


def test_a_file_no_entry_names_is_refused(folder, tmp_path):
    stray = tmp_path / "other.txt"
    stray.write_text("x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no \[\[source\]\] entry has file = 'other.txt'; add one"):
        vendor(stray, folder / "manifest.toml")
    missing = tmp_path / "gunma-2021.txt"
    with pytest.raises(InputError, match=rf"^{missing}: not found$"):
        vendor(missing, folder / "manifest.toml")
