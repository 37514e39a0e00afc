"""A wording no row of wording-kinds.csv matches is a reported problem, never a silent memorandum."""

from __future__ import annotations

from kg.kinds import KindScheme
from kg.merge import Merger
from mapping.ingest import ingest


def test_the_real_sources_have_no_unknown_wording(resolved, settings):
    scheme = KindScheme.load(settings.ontology, settings.curated)
    merged = Merger(scheme, ingest(settings.manifest).sources).merge(resolved)
    assert merged.unknown_wordings == []


def test_without_the_generic_rows_every_unmatched_claim_is_reported(resolved, settings):
    """Drop the catch-all rows (exchange, memorandum): the claims they classified are reported, lists and projects."""
    full = KindScheme.load(settings.ontology, settings.curated)
    generic = {"friendship-exchange", "memorandum"}
    narrow = KindScheme(full.concepts, [rule for rule in full.rules if rule.kind not in generic], full.statuses,
                        full.premises)
    sources = ingest(settings.manifest).sources
    before = Merger(full, sources).merge(resolved)
    after = Merger(narrow, sources).merge(resolved)
    reported = {(p.source, p.lines) for p in after.unknown_wordings}
    # List rows and project rows alike (agreements-2016's rows are all decided by their field column).
    assert {source for source, _ in reported} >= {"gunma-2021", "taiwan-japan", "tokyo-wards-2026"}
    for problem in after.unknown_wordings:
        assert "(kept as " in problem.reason, problem.reason
        assert problem.raw
    # Every claim that now falls back to a default is one of the reported ones.
    kinds_before = {(c.source, c.lines, c.title): c.kind for p in before.partnerships for c in p.claims}
    fallen = [(c.source, c.lines) for p in after.partnerships for c in p.claims
              if c.kind in generic and kinds_before.get((c.source, c.lines, c.title)) != c.kind]
    assert fallen and set(fallen) <= reported
    # Merging again reports the same problems, not twice as many.
    merger = Merger(narrow, sources)
    merger.merge(resolved)
    assert len(merger.merge(resolved).unknown_wordings) == len(after.unknown_wordings)
