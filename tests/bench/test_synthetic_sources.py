"""The synthetic sources: deterministic, every format parses as the real files do, and they build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.synthetic_sources import FILES, FORMATS, era, write_sources
from kg.build import build
from kg.config import Settings
from mapping.ingest import ingest, uncovered_lines
from mapping.manifest import load_manifest
from mapping.parsers import PARSERS
from mapping.records import ProjectRecord

REAL = {"gunma-2021": 227, "agreements-2016": 174, "japan-china-2024": 381, "taiwan-japan": 157,
        "tokyo-wards-2026": 891}


@pytest.fixture(scope="module")
def tenth(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    write_sources(folder, 0.3)
    return folder


def test_same_seed_same_bytes_another_seed_other_bytes(tenth, tmp_path):
    again, other = tmp_path / "again", tmp_path / "other"
    write_sources(again, 0.3)
    write_sources(other, 0.3, seed=14)
    for name in [*FILES.values(), "manifest.toml"]:
        assert (again / name).read_bytes() == (tenth / name).read_bytes(), name
    assert all((other / name).read_bytes() != (tenth / name).read_bytes() for name in FILES.values())


def test_every_format_parses_without_problems_and_every_line_is_accounted_for(tenth):
    ingestion = ingest(tenth / "manifest.toml")  # digests and record counts as the manifest pins them
    assert [s.format for s in ingestion.sources] == list(FORMATS.values())
    assert {s.format for s in ingestion.sources} == set(PARSERS)
    for source, result in zip(ingestion.sources, ingestion.results):
        assert result.problems == [], (source.id, result.problems[:3])
        assert uncovered_lines(ingestion.texts[source.id], result) == [], source.id
        assert source.records == len(result.records)
        assert abs(len(result.records) - 0.3 * REAL[source.id]) <= 3, source.id


@pytest.mark.parametrize("scale", [2, 10])
def test_records_grow_with_the_scale(tmp_path, scale):
    counts = write_sources(tmp_path, scale)
    assert counts == {source: round(real * scale) for source, real in REAL.items()}
    for source in load_manifest(tmp_path / "manifest.toml", frozenset(PARSERS)):
        assert source.records == counts[source.id]


def test_the_quirks_of_each_format_are_there(tenth):
    text = {source: (tenth / name).read_text(encoding="utf-8") for source, name in FILES.items()}
    # Era dates and cells of several partners, some of them multilateral.
    assert re.search(r"[SHR]\d{1,2}\.\d{1,2}\.\d{1,2}", text["gunma-2021"])
    assert re.search(r"\)、[^\t]+\(", text["gunma-2021"])
    assert re.search(r"\t[^\t(]+・[^\t(]+\(", text["gunma-2021"])
    # Traditional Chinese, rows apart, the header again after page breaks.
    assert "縣" in text["taiwan-japan"] and "県" not in text["taiwan-japan"]
    assert text["taiwan-japan"].count("台灣地方政府") > 1
    # Page breaks repeat the title and header.
    assert text["agreements-2016"].count("姉妹友好都市以外の提携リスト") > 1
    # Continuation rows, several partners in a cell, and the header with the PDF's stray spaces.
    lines = text["tokyo-wards-2026"].splitlines()
    assert any(line.startswith("\t\t\t\t") for line in lines)
    assert "各特別 区名\t連携カテ ゴリ" in text["tokyo-wards-2026"]
    result = PARSERS["tokyo-wards-projects"](lines, "t")
    assert any(isinstance(r, ProjectRecord) and len(r.partners) > 2 for r in result.records)
    assert any(len(r.provenance.lines) > 1 for r in result.records)


def test_era():
    assert [era(1988, 12, 31), era(1989, 1, 7), era(1989, 1, 8), era(2019, 4, 30), era(2019, 5, 1)] == [
        "S63.12.31", "S64.1.7", "H1.1.8", "H31.4.30", "R1.5.1"]


def test_they_build_and_every_party_resolves(tenth, tmp_path):
    result = build(Settings(manifest=tenth / "manifest.toml", curated=tenth / "curated", dist=tmp_path / "dist"), write=False)
    assert result.ok
    counts = result.report.data["counts"]
    assert counts["problems"] == 0 and counts["unknown_wordings"] == 0
    assert counts["unresolved"] == 0
    assert result.report.data["totals"]["records"] == sum(round(0.3 * n) for n in REAL.values())


def test_no_government_is_its_own_partner_at_ten_times(tmp_path):
    from kg.kinds import KindScheme
    from kg.merge import Merger
    from kg.resolve.resolver import Resolver

    write_sources(tmp_path, 10)
    settings = Settings(manifest=tmp_path / "manifest.toml", curated=tmp_path / "curated")
    ingestion = ingest(settings.manifest)
    resolved = Resolver.load(settings.curated).records(ingestion)
    merged = Merger(KindScheme.load(settings.ontology, settings.curated), ingestion.sources).merge(resolved)
    assert merged.problems == [] and merged.unknown_wordings == []


def test_one_source_can_grow_alone(tmp_path):
    counts = write_sources(tmp_path, 3, only="japan-china-2024")
    assert counts == {source: (3 * real if source == "japan-china-2024" else real) for source, real in REAL.items()}
    with pytest.raises(ValueError, match="no synthetic source 'nowhere'"):
        write_sources(tmp_path / "x", 2, only="nowhere")


def test_a_group_agreement_keeps_its_membership_as_the_list_grows(tmp_path):
    """Ten times the rows restate the same groups: no group grows past its fixed membership (and its wards)."""
    from bench.synthetic_sources import GROUP_MEMBERS
    from kg.kinds import KindScheme
    from kg.merge import Merger
    from kg.resolve.resolver import Resolver

    write_sources(tmp_path, 10, only="tokyo-wards-2026")
    settings = Settings(manifest=tmp_path / "manifest.toml", curated=tmp_path / "curated")
    ingestion = ingest(settings.manifest)
    resolved = Resolver.load(settings.curated).records(ingestion)
    merged = Merger(KindScheme.load(settings.ontology, settings.curated), ingestion.sources).merge(resolved)
    groups = [p for p in merged.partnerships if any(c.group for c in p.claims)]
    assert groups
    assert max(len(p.parties) for p in groups) <= GROUP_MEMBERS + 23
    assert max(len(c.parties) for p in groups for c in p.claims) <= 5  # a row states its ward and its (at most 4) partners
