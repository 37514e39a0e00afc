"""Claim identifiers: one per claim, stable for the claims their text tells apart."""

from __future__ import annotations

from kg.merge import digest
from kg.rdf import _claim_ids
from tests.kg.test_merge import HAGI, MAEBASHI, day, merged, record


def test_one_source_stating_the_same_tie_twice_gives_two_claims_two_identifiers():
    # The same raw text on lines 3 and 9, with dates a month apart: one tie, two claims.
    result = merged(record("list-a", 3, "友好都市提携", day("2002-01-10"), MAEBASHI, HAGI, lines=(3,)),
                    record("list-a", 3, "友好都市提携", day("2002-02-10"), MAEBASHI, HAGI, lines=(9,)))
    [tie] = result.partnerships
    assert len(tie.claims) == 2 and tie.claims[0].raw == tie.claims[1].raw
    first, second = _claim_ids(tie)
    assert first != second


def test_claims_told_apart_by_their_source_keep_the_plain_identifier():
    result = merged(record("list-a", 3, "友好都市提携", day("2002-01-10"), MAEBASHI, HAGI),
                    record("list-b", 9, "友好都市提携", day("2002-01-10"), HAGI, MAEBASHI))
    [tie] = result.partnerships
    assert _claim_ids(tie) == [digest(tie.id, c.source, c.raw, c.kind, c.title or "") for c in tie.claims]
