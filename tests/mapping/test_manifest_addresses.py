"""The manifest records where each original document lives only as far as the document itself says."""

from __future__ import annotations

import re

import pytest

from mapping.errors import InputError
from mapping.manifest import UNKNOWN, load_manifest
from tests.mapping.test_ingest import FORMATS, MANIFEST, entry


def test_every_source_says_whether_its_address_is_known():
    sources = load_manifest(MANIFEST, FORMATS)
    raw = MANIFEST.read_text(encoding="utf-8")
    assert raw.count("\nurl = ") == len(sources)  # stated for each, not left to the default
    # None of the five documents carries its own address; the Taiwan list names the site it was compiled from.
    assert {s.id: s.address for s in sources} == dict.fromkeys([s.id for s in sources])
    taiwan = next(s for s in sources if s.id == "taiwan-japan")
    assert taiwan.based_on == "https://www.clair.or.jp/" and "自治體國際化協會" in taiwan.based_on_title
    text = (MANIFEST.parent / taiwan.file).read_text(encoding="utf-8")
    assert "一般財團法人自治體國際化協會官網" in text and taiwan.based_on_title.rsplit("「", 1)[1].rstrip("」") in text


def test_an_address_is_read_as_given(tmp_path):
    path = tmp_path / "manifest.toml"
    path.write_text(entry(url="https://www.pref.example.jp/list.pdf"), encoding="utf-8")
    [source] = load_manifest(path, FORMATS)
    assert source.address == "https://www.pref.example.jp/list.pdf"
    path.write_text(entry(url=UNKNOWN), encoding="utf-8")
    assert load_manifest(path, FORMATS)[0].address is None


@pytest.mark.parametrize("text, message", [
    (entry(url="www.example.jp/list"), r"url 'www\.example\.jp/list' must be an http\(s\) address or 'unknown'$"),
    (entry(url="not known"), r"url 'not known' must be an http\(s\) address"),
    (entry(based_on="unknown"), r"based_on 'unknown' must be an http\(s\) address$"),
])
def test_a_bad_address_names_the_entry(tmp_path, text, message):
    path = tmp_path / "manifest.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_manifest(path, FORMATS)
    assert str(raised.value).startswith(f"{path}: source #1 (tiny): ")
    assert re.search(message, str(raised.value)), str(raised.value)
