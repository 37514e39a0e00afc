"""The manifest, reading a source whole or stopping, and the coverage of every real source."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from mapping.dates import find_dates
from mapping.errors import InputError
from mapping.ingest import ingest, read_lines, uncovered_lines
from mapping.manifest import REQUIRED, Source, load_manifest
from mapping.parsers import PARSERS
from mapping.records import PartnershipRecord
from mapping.text import clean

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"
MANIFEST = SOURCES / "manifest.toml"
FORMATS = frozenset(PARSERS)

HEADER = "No.\t都道府県名\t自治体名\t州・省・県等\t提携自治体名\t提携年月日"
ROWS = [
    "1\t北海道\t札幌市\t遼寧省\t瀋陽市\t1980/11/18",
    "2\t北海道\t旭川市\t黒龍江省\t哈爾浜市\t1995/11/7",
    "3\t群馬県\t高崎市\t河北省\t承德市\t1987/10/6",
]


def entry(**fields: str | int | None) -> str:
    """One ``[[source]]`` table; a value of None leaves the key out, a number is written as one."""
    values = {"id": "tiny", "file": "tiny.txt", "format": "japan-china-tsv", "title": "日中友好都市一覧",
              "language": "ja"}
    values.update(fields)
    body = "".join(f"{key} = {value}\n" if isinstance(value, int) else f'{key} = "{value}"\n'
                   for key, value in values.items() if value is not None)
    return "[[source]]\n" + body


def write_source(folder: Path, content: bytes, **fields: str | int | None) -> Path:
    """A tiny japan-china-tsv source with its own manifest in ``folder``, pinned to ``content``
    (its sha256, and 0 records unless ``records`` is given)."""
    (folder / "tiny.txt").write_bytes(content)
    manifest = folder / "manifest.toml"
    pinned = {"sha256": hashlib.sha256(content).hexdigest(), "records": 0}
    manifest.write_text(entry(**{**pinned, **fields}), encoding="utf-8")
    return manifest


def tsv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- the manifest ---------------------------------------------------------------


def test_real_manifest():
    sources = load_manifest(MANIFEST, FORMATS)
    assert [s.id for s in sources] == [
        "gunma-2021", "agreements-2016", "japan-china-2024", "taiwan-japan", "tokyo-wards-2026"]
    assert {s.format for s in sources} == FORMATS
    for source in sources:
        assert source.path(SOURCES).is_file()
        assert re.fullmatch(r"[0-9a-f]{64}", source.sha256), source.id
        assert source.digest(SOURCES) == source.sha256, source.id
    assert next(s for s in sources if s.id == "japan-china-2024").tie == "友好都市"
    assert {s.id: s.records for s in sources} == {"gunma-2021": 227, "agreements-2016": 174, "japan-china-2024": 381,
                                                  "taiwan-japan": 157, "tokyo-wards-2026": 891}


def test_manifest_values_become_strings(tmp_path):
    path = tmp_path / "manifest.toml"
    path.write_text(entry() + "as_of = 2021-06-01\n", encoding="utf-8")  # a TOML date, unquoted
    [source] = load_manifest(path, FORMATS)
    assert source == Source("tiny", "tiny.txt", "japan-china-tsv", "日中友好都市一覧", "ja", as_of="2021-06-01")


@pytest.mark.parametrize(
    "text, message",
    [
        (entry(format="csv-of-doom"), r"source #1 \(tiny\): unknown format 'csv-of-doom'; known: agreement-tsv, "),
        (entry(title=None), r"source #1: missing title"),
        (entry(title=""), r"source #1: missing title"),
        (entry(id=None, language=None), r"source #1: missing id, language"),
        (entry() + entry(file="other.txt"), r"source #2: duplicate id 'tiny'"),
        (entry() + entry(id="second", colour="blue"), r"source #2 \(second\): unknown key\(s\) colour"),
        (entry() + 'title = "twice"\n', r"not a valid TOML manifest"),
        ("[[source]\nid = 'x'\n", r"not a valid TOML manifest"),
        ("", r"no \[\[source\]\] entries"),
        ("[source]\nid = 'x'\n", r"no \[\[source\]\] entries"),
        ("source = [1, 2]\n", r"source #1: not a table"),
        (entry(format=None) + 'format = ["japan-china-tsv"]\n', r"source #1: format must be a string"),
        (entry(id=None) + 'id = ["a", "b"]\n', r"source #1: id must be a string"),
        (entry(file="../tiny.txt"), r"source #1 \(tiny\): file '\.\./tiny\.txt' must be a file name in the manifest's folder$"),
        (entry(file="/etc/passwd"), r"file '/etc/passwd' must be a file name"),
        (entry(file="sub/tiny.txt"), r"file 'sub/tiny\.txt' must be a file name"),
        (entry(file=".."), r"file '\.\.' must be a file name"),
        (entry(file="..\\\\x.txt"), r"must be a file name"),
        (entry(language="zh Hant"), r"source #1 \(tiny\): language 'zh Hant' is not a valid BCP 47 tag"),
        (entry(language="日本語"), r"language '日本語' is not a valid BCP 47 tag"),
        (entry(as_of="2021-13-45"), r"as_of '2021-13-45' must be a date YYYY-MM-DD, YYYY-MM or YYYY$"),
        (entry(as_of="June 2021"), r"as_of 'June 2021' must be a date"),
        (entry(id="gun ma/x"), r"id 'gun ma/x' must be letters, digits"),
        (entry(sha256="ABC"), r"sha256 'ABC' must be 64 lowercase hex digits"),
        (entry(records="157"), r"records '157' must be a whole number"),
        (entry(records=-1), r"records -1 must be a whole number"),
        (entry() + "records = 1.5\n", r"records 1\.5 must be a whole number"),
        (entry() + entry(id="second"), r"source #2 \(second\): file 'tiny\.txt' is already source 'tiny'"),
    ],
)
def test_bad_manifest_names_the_file_and_the_entry(tmp_path, text, message):
    path = tmp_path / "manifest.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_manifest(path, FORMATS)
    assert str(raised.value).startswith(f"{path}: ")
    assert re.search(message, str(raised.value)), str(raised.value)
    assert "\n" not in str(raised.value)


def test_manifest_not_utf8(tmp_path):
    path = tmp_path / "manifest.toml"
    path.write_bytes(entry().encode("shift_jis"))
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: not a valid TOML manifest"):
        load_manifest(path, FORMATS)


def test_missing_manifest(tmp_path):
    with pytest.raises(InputError, match=rf"^{re.escape(str(tmp_path / 'nope.toml'))}: manifest not found$"):
        ingest(tmp_path / "nope.toml")


def test_every_required_key_is_required(tmp_path):
    for key in REQUIRED:
        path = tmp_path / "manifest.toml"
        path.write_text(entry(**{key: None}), encoding="utf-8")
        with pytest.raises(InputError, match=rf"source #1: missing {key}$"):
            load_manifest(path, FORMATS)


# --- reading a source -----------------------------------------------------------


def test_missing_source_file_names_the_path(tmp_path):
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(entry(file="absent.txt"), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        ingest(manifest)
    assert str(raised.value) == f"{tmp_path / 'absent.txt'}: source 'tiny' not found"


def test_source_that_is_a_folder(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(entry(file="folder.txt"), encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{re.escape(str(tmp_path / 'folder.txt'))}: cannot read source 'tiny'"):
        ingest(manifest)


def test_a_small_valid_source(tmp_path):
    manifest = write_source(tmp_path, tsv(HEADER, *ROWS))
    ingestion = ingest(manifest)
    [result] = ingestion.results
    assert result.problems == []
    assert [r.provenance.lines for r in result.records] == [(2,), (3,), (4,)]
    assert [r.parties[-1].name for r in result.records] == ["瀋陽市", "哈爾浜市", "承德市"]
    assert result.structural == {1: "header"}
    assert ingestion.texts["tiny"] == [HEADER, *ROWS]
    assert uncovered_lines(ingestion.texts["tiny"], result) == []


def _write(folder: Path, name: str, content: bytes) -> Path:
    (folder / name).write_bytes(content)
    return folder


SOURCE = Source("s", "s.txt", "japan-china-tsv", "t", "ja")
REAL = {source.id: source for source in load_manifest(MANIFEST, FORMATS)}


def stopped(manifest: Path) -> str:
    """The one-line error a build of ``manifest`` stops with."""
    with pytest.raises(InputError) as raised:
        ingest(manifest)
    message = str(raised.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_line_ends_of_every_kind_read_alike(tmp_path, end):
    content = end.join(line.encode("utf-8") for line in (HEADER, *ROWS)) + end
    text = read_lines(SOURCE, _write(tmp_path, "s.txt", content))
    assert text.lines == [HEADER, *ROWS]


def test_mixed_line_ends_and_a_bom_read_through(tmp_path):
    content = b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n" + ROWS[0].encode() + b"\r" + ROWS[1].encode() + b"\n"
    text = read_lines(SOURCE, _write(tmp_path, "s.txt", content))
    assert text.problems == []
    assert text.lines == [HEADER, ROWS[0], ROWS[1]]


@pytest.mark.parametrize("end", ["\r\n", "\r"])
@pytest.mark.parametrize("source_id", ["taiwan-japan", "gunma-2021", "tokyo-wards-2026"])
def test_a_real_source_with_other_line_ends_keeps_every_record(tmp_path, source_id, end):
    """taiwan-japan with CR-only line ends used to lose all its 157 rows."""
    source = REAL[source_id]
    original = read_lines(source, SOURCES).lines
    converted = (SOURCES / source.file).read_bytes().replace(b"\n", end.encode())
    text = read_lines(source, _write(tmp_path, source.file, converted))
    assert text.lines == original
    parsed = PARSERS[source.format](text.lines, source.id)
    assert len(parsed.records) == source.records


def test_line_not_valid_utf8_stops_naming_file_line_and_byte(tmp_path):
    bad = "2\t北海道\t旭川市\t黒龍江省\t哈爾浜市\t1995/11/7".encode("shift_jis")
    content = tsv(HEADER, ROWS[0]) + bad + b"\n" + tsv(ROWS[2])
    message = stopped(write_source(tmp_path, content))
    assert message.startswith(f"{tmp_path / 'tiny.txt'}:3: not UTF-8 text (byte 3 of the line)")


def test_first_bad_line_is_named_whatever_the_line_ends(tmp_path):
    content = HEADER.encode() + b"\r" + ROWS[0].encode() + b"\r\n\xff\xfe\r" + ROWS[1].encode() + b"\r"
    with pytest.raises(InputError, match=r"s\.txt:3: not UTF-8 text \(byte 1 of the line\)"):
        read_lines(SOURCE, _write(tmp_path, "s.txt", content))


@pytest.mark.parametrize("codec, named", [("shift_jis", "Shift_JIS"), ("euc_jp", "EUC-JP"), ("utf-16", "UTF-16"),
                                          ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16")])
def test_a_real_source_in_another_encoding_stops_the_build(tmp_path, codec, named):
    source = REAL["japan-china-2024"]
    converted = (SOURCES / source.file).read_text(encoding="utf-8").encode(codec, errors="replace")
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / source.file).write_bytes(converted)
    (folder / "manifest.toml").write_text(entry(id=source.id, file=source.file, format=source.format,
                                               sha256=source.sha256, records=source.records), encoding="utf-8")
    message = stopped(folder / "manifest.toml")
    assert message.startswith(f"{folder / source.file}")
    assert "not UTF-8 text" in message
    if codec != "euc_jp":  # EUC-JP bytes also read as Shift_JIS: only a guess is given
        assert named in message


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf", b"\r\r\r"])
def test_empty_file_stops_the_build(tmp_path, content):
    assert stopped(write_source(tmp_path, content)) == f"{tmp_path / 'tiny.txt'}: file is empty"


def test_wrong_shape_row_is_a_problem_and_other_records_are_kept(tmp_path):
    short = "2\t北海道\t旭川市\t哈爾浜市"
    manifest = write_source(tmp_path, tsv(HEADER, ROWS[0], short, ROWS[2]))
    ingestion = ingest(manifest)
    [result] = ingestion.results
    shape = [p for p in result.problems if "cells" in p.reason]
    assert [(p.lines, p.raw) for p in shape] == [((3,), short)]
    assert "tiny:3" in shape[0].reason
    assert [r.provenance.lines for r in result.records] == [(2,), (4,)]
    assert uncovered_lines(ingestion.texts["tiny"], result) == []


def test_sha256_mismatch_stops_the_build_and_names_the_way_to_accept_it(tmp_path):
    manifest = write_source(tmp_path, tsv(HEADER, *ROWS), sha256="0" * 64)
    path = tmp_path / "tiny.txt"
    assert stopped(manifest) == (f"{path}: content differs from the sha256 in the manifest; "
                                 f"if this is a new edition, `kg vendor {path}` accepts it")


def test_sha256_match_is_no_problem(tmp_path):
    manifest = write_source(tmp_path, tsv(HEADER, *ROWS), records=3)
    [result] = ingest(manifest).results
    assert result.problems == []
    assert len(result.records) == 3


@pytest.mark.parametrize("missing, named", [({"sha256": None}, "sha256"), ({"records": None}, "records"),
                                            ({"sha256": None, "records": None}, "sha256 and records")])
def test_a_source_the_manifest_does_not_pin_stops_the_build(tmp_path, missing, named):
    path = tmp_path / "tiny.txt"
    assert stopped(write_source(tmp_path, tsv(HEADER, *ROWS), **missing)) == (
        f"{path}: the manifest records no {named} for source 'tiny'; `kg vendor {path}` records them")


def test_fewer_records_than_the_manifest_records_stops_the_build(tmp_path):
    """The digest matches (the same edition) but the parser makes fewer records of it."""
    manifest = write_source(tmp_path, tsv(HEADER, *ROWS), records=4)
    message = stopped(manifest)
    assert message.startswith(f"{tmp_path / 'tiny.txt'}: 3 records where the manifest records 4: 1 lost")
    assert "kg vendor" in message


def test_more_records_than_recorded_is_no_loss(tmp_path):
    manifest = write_source(tmp_path, tsv(HEADER, *ROWS), records=2)
    assert len(ingest(manifest).results[0].records) == 3


def test_a_parser_that_loses_rows_of_a_real_source_stops_the_build(tmp_path, monkeypatch):
    """A parser change that drops rows of the vendored edition is caught by the recorded count."""
    import mapping.ingest

    real = PARSERS["taiwan-japan-list"]

    def losing(lines, source_id):
        result = real(lines, source_id)
        del result.records[-5:]
        return result

    monkeypatch.setitem(mapping.ingest.PARSERS, "taiwan-japan-list", losing)
    message = stopped(MANIFEST)
    assert message.startswith(f"{SOURCES / 'taiwan-japan.txt'}: 152 records where the manifest records 157: 5 lost")


def test_a_source_behind_a_link_out_of_the_folder_stops(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(tsv(HEADER, *ROWS))
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "tiny.txt").symlink_to(outside)
    (folder / "manifest.toml").write_text(entry(sha256=hashlib.sha256(outside.read_bytes()).hexdigest(), records=3),
                                          encoding="utf-8")
    assert stopped(folder / "manifest.toml") == (
        f"{folder / 'tiny.txt'}: source 'tiny' is outside the sources folder {folder}")


def test_uncovered_lines_finds_lost_lines():
    lines = [HEADER, ROWS[0], "", "lost line"]
    result = PARSERS["japan-china-tsv"]([HEADER, ROWS[0], "", ""], "t")
    assert uncovered_lines(lines, result) == [4]


# --- coverage of the real sources ------------------------------------------------


@pytest.fixture(scope="module")
def real():
    return ingest(MANIFEST)


HEADER_WORDS = ("No.", "都道府県名", "自治体名", "提携自治体名", "提携年月日", "市町村名", "団体名", "国際姉妹都市",
                "協定名", "協定締結先", "台灣地方政府", "日本地方政府", "締結年月日", "各特別区名", "事業名称",
                "連携相手方", "事業内容")


def _plausible(kind: str, number: int, lines: list[str], structural: dict[int, str], title: str) -> bool:
    line = lines[number - 1]
    squeezed = clean(line).replace(" ", "")
    if kind == "header":
        return sum(word in squeezed for word in HEADER_WORDS) >= 2 and not find_dates(line)
    if kind == "title":
        return title in squeezed and not find_dates(line)
    if kind == "as-of":
        return "現在" in line and bool(find_dates(line))
    if kind == "section":
        return re.match(r"^\(\d\)", squeezed) is not None and "\t" not in line
    if kind == "region":
        return re.fullmatch(r"【[^】]{1,4}】", squeezed) is not None
    if kind == "footnote":
        return squeezed.startswith(("※", "【注意事項】")) or structural.get(number - 1) == "footnote"
    return False


def test_every_line_of_every_real_source_is_accounted_for(real):
    assert len(real.results) == 5
    for source, result in zip(real.sources, real.results):
        lines = real.texts[source.id]
        assert lines, source.id
        assert result.source == source.id
        assert uncovered_lines(lines, result) == [], source.id


def test_structural_lines_are_what_they_claim(real):
    for source, result in zip(real.sources, real.results):
        lines = real.texts[source.id]
        wrong = [(n, kind, lines[n - 1]) for n, kind in sorted(result.structural.items())
                 if not _plausible(kind, n, lines, result.structural, source.title)]
        assert wrong == [], source.id
        # Structural lines are a small part of a file: not a way to hide lost lines.
        nonblank = sum(1 for line in lines if line.strip())
        assert len(result.structural) < nonblank / 4, source.id
        # No line is both a record and a structural line.
        in_records = {n for r in result.records for n in r.provenance.lines}
        assert in_records.isdisjoint(result.structural), source.id


def test_real_sources_decode_cleanly_and_parse(real):
    counts = {source.id: len(result.records) for source, result in zip(real.sources, real.results)}
    assert counts == {"gunma-2021": 227, "agreements-2016": 174, "japan-china-2024": 381, "taiwan-japan": 157,
                      "tokyo-wards-2026": 891}
    for result in real.results:
        assert not [p for p in result.problems if "UTF-8" in p.reason or "sha256" in p.reason]
    # The problems the parsers report on the real sources, each naming its line.
    problems = [(p.source, p.lines) for result in real.results for p in result.problems]
    assert problems == [("gunma-2021", (21,)), ("tokyo-wards-2026", (139,)), ("tokyo-wards-2026", (1245,))]


def test_records_point_at_their_own_text(real):
    for source, result in zip(real.sources, real.results):
        lines = real.texts[source.id]
        for record in result.records:
            where = record.provenance
            assert where.source == source.id
            assert list(where.lines) == sorted(set(where.lines)) and 1 <= where.lines[0] <= len(lines)
            # The raw text is the record's lines, or the part of them that states it (one cell item).
            assert where.raw.strip(), where.ref()
            for part in where.raw.split("\n"):
                assert any(part in lines[n - 1] for n in where.lines), (where.ref(), part)
            if isinstance(record, PartnershipRecord):
                assert len(record.parties) >= 2, record.provenance.ref()
