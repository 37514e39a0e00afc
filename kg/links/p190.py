"""Wikidata's P190 ("twinned administrative body") against the graph's twinning ties.

A Japanese government is the item ``wikidata.csv`` gives for its code. A partner item
is matched to a party of the graph only when that is unambiguous: by an identifier
(its P429 for a Japanese government, its ISO 3166-2 code, P300, for a foreign
first-level region), or by one label and its country naming exactly one foreign
party, which no other partner item claims by label. Other partner items are candidates, listed
with the parties they could be, never guessed.

The diff lists the P190 ties the graph lacks, the graph's twinning ties Wikidata lacks,
and writes QuickStatements adding each missing P190 statement with a reference to
the source document (S854, its download URL) and line (S958).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from kg.iris import Iris
from kg.links import Links
from kg.links.wikidata import ENTITY
from kg.merge import Merged
from kg.model import ForeignAuthority
from kg.predecessors import FormerGovernment
from mapping.manifest import Source
from mapping.text import match_key


@dataclass(slots=True)
class Diff:
    """The comparison of one build with the fetched P190 statements."""

    fetched: bool
    wikidata_only: list[dict] = field(default_factory=list)
    graph_only: list[dict] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)
    statements: int = 0
    quickstatements: list[str] = field(default_factory=list)

    def report(self) -> dict:
        return {
            "fetched": self.fetched,
            "p190_statements": self.statements,
            "wikidata_only": self.wikidata_only,
            "graph_only": self.graph_only,
            "candidates": self.candidates,
            "unmatched_partners": len(self.unmatched),
            "quickstatements": len(self.quickstatements),
        }


def _q(item: str) -> str:
    return item.removeprefix(ENTITY)


def diff(links: Links, merged: Merged, iris: Iris, sources: list[Source]) -> Diff:
    result = Diff(links.p190_retrieved)
    if not result.fetched:
        return result
    items = {f"lg/{code}": item for code, item in links.items.items()}
    party_of_item = {item: key for key, item in items.items()}
    parties = {}
    foreign: dict[tuple[str, str], set[str]] = defaultdict(set)
    regions: dict[str, str] = {}
    for partnership in merged.partnerships:
        for party in partnership.parties:
            parties[party.key] = party
            if isinstance(party, ForeignAuthority):
                foreign[(party.country, match_key(party.name))].add(party.key)
                if party.is_region and party.region:
                    regions[party.region] = party.key
    # Partner items: their code, country and labels, then the party each stands for.
    partners: dict[str, dict] = {}
    ties: set[tuple[str, str]] = set()
    for row in links.p190:
        ties.add((row["item"], row["partner"]))
        partner = partners.setdefault(row["partner"], {"code": "", "iso": "", "country": "", "labels": set()})
        partner["code"] = partner["code"] or row["partner_code"]
        partner["iso"] = partner["iso"] or row["partner_iso"]
        partner["country"] = partner["country"] or row["partner_country"]
        if row["label"]:
            partner["labels"].add((row["label"], row["language"]))
    result.statements = len(ties)
    matched: dict[str, str] = {}
    claimed: dict[str, list[str]] = defaultdict(list)
    for item, partner in sorted(partners.items()):
        if partner["code"] and f"lg/{partner['code']}" in items:
            matched[item] = f"lg/{partner['code']}"
            continue
        if partner["iso"] in regions:
            matched[item] = regions[partner["iso"]]
            continue
        keys = set()
        if partner["country"]:
            for label, _ in partner["labels"]:
                keys |= foreign.get((partner["country"], match_key(label)), set())
        if len(keys) == 1:
            claimed[next(iter(keys))].append(item)
        elif keys:
            result.candidates.append({"partner": item, "labels": sorted(l for l, _ in partner["labels"]),
                                      "country": partner["country"], "parties": sorted(keys),
                                      "why": "several parties of that name and country"})
        else:
            result.unmatched.append({"partner": item, "labels": sorted(l for l, _ in partner["labels"]),
                                     "country": partner["country"]})
    for key, claiming in sorted(claimed.items()):
        if len(claiming) == 1:
            matched[claiming[0]] = key
        else:
            for item in claiming:
                result.candidates.append({"partner": item, "labels": sorted(l for l, _ in partners[item]["labels"]),
                                          "country": partners[item]["country"], "parties": [key],
                                          "why": "several items match this party"})
    party_items = {**items, **{key: item for item, key in matched.items()}}
    wikidata_pairs = {frozenset((party_of_item[item], matched[partner])) for item, partner in ties
                      if item in party_of_item and partner in matched}
    # The graph's twinning ties, pair by pair, with the first claim's source and line. A tie of a
    # former government counts as its successor's when compared (Wikidata records ties on the
    # current municipality), marked as inherited.
    graph_pairs: dict[frozenset[str], tuple[str, int, str]] = {}
    inherited: set[frozenset[str]] = set()
    other_pairs: set[frozenset[str]] = set()
    for partnership in merged.partnerships:
        keys = sorted(party.key for party in partnership.parties)
        successor = {party.key: party.successor for party in partnership.parties if isinstance(party, FormerGovernment)}
        claim = partnership.claims[0]
        for a, b in combinations(keys, 2):
            pair = frozenset((successor.get(a, a), successor.get(b, b)))
            if len(pair) < 2:
                continue
            if partnership.family == "twinning":
                graph_pairs.setdefault(pair, (claim.source, claim.lines[0], partnership.id))
                if a in successor or b in successor:
                    inherited.add(pair)
            else:
                other_pairs.add(pair)
    label = {key: party.label for key, party in parties.items()}
    for pair in sorted(wikidata_pairs - set(graph_pairs), key=sorted):
        a, b = sorted(pair)
        result.wikidata_only.append({"parties": [a, b], "labels": [label.get(a, a), label.get(b, b)],
                                     "items": [party_items[a], party_items[b]],
                                     "graph_has_other_tie": pair in other_pairs})
    files = {source.id: source.file for source in sources}
    for pair, (source, line, partnership) in sorted(graph_pairs.items(), key=lambda kv: sorted(kv[0])):
        a, b = sorted(pair)
        if pair in wikidata_pairs or not any(k in items for k in pair):
            continue
        row = {"parties": [a, b], "labels": [label.get(a, a), label.get(b, b)],
               "items": [party_items.get(a), party_items.get(b)], "partnership": str(iris.partnership(partnership)),
               "source": source, "line": line, "inherited": pair in inherited}
        result.graph_only.append(row)
        # A tie a former government made is not stated as the successor's: no statement is proposed.
        if a in party_items and b in party_items and pair not in inherited:
            url = iris.download(f"sources/{files[source]}")
            for x, y in ((a, b), (b, a)):
                if (party_items[x], party_items[y]) not in ties:
                    result.quickstatements.append(
                        f'{_q(party_items[x])}\tP190\t{_q(party_items[y])}\tS854\t"{url}"\tS958\t"line {line}"')
    return result
