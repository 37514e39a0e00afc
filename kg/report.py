"""The ingestion and build report: what was read, resolved, merged, and what was not.

``report.json`` is for machines and tests, ``report.md`` for people. Both are
deterministic: no timings, nothing that depends on the machine.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from kg.merge import Merged
from kg.model import JapaneseGovernment, NationalGovernment, Organisation, Resolution, Unresolved
from kg.predecessors import FormerGovernment
from kg.resolve.resolver import Resolved
from kg.validate import Validation
from mapping.ingest import Ingestion

APPROXIMATE = ("alias", "reading", "suffix", "misprint", "containing", "decision")


@dataclass(slots=True)
class Report:
    data: dict

    def json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False, indent=2) + "\n"

    def markdown(self) -> str:
        return _markdown(self.data)

    def summary(self) -> str:
        """Every problem count on one line, for the console at the end of a build."""
        counts = self.data["counts"]
        by_source = ", ".join(f"{s['id']} {s['problems']}" for s in self.data["sources"] if s["problems"])
        return (f"problems {counts['problems']}{f' ({by_source})' if by_source else ''}, "
                f"of which unknown wordings {counts['unknown_wordings']}; "
                f"unresolved mentions {counts['unresolved']}; bodies {counts['bodies']}; "
                f"approximate resolutions {counts['approximate']}; conflicts {counts['conflicts']}; "
                f"SHACL violations {'not run' if counts['shacl_violations'] is None else counts['shacl_violations']}")


def _party_code(resolution: Resolution) -> str | None:
    party = resolution.party
    return party.government.code if isinstance(party, JapaneseGovernment) else None


def build_report(ingestion: Ingestion, resolved: Resolved, merged: Merged, validation: Validation | None,
                 triples: int) -> Report:
    by_source: dict[str, list[Resolution]] = {}
    merge_problems = Counter(p.source for p in (*merged.problems, *merged.unknown_wordings))
    for resolution in resolved.resolutions():
        by_source.setdefault(resolution.source, []).append(resolution)
    sources = []
    for source, result in zip(ingestion.sources, ingestion.results):
        resolutions = by_source.get(source.id, [])
        japanese = [r for r in resolutions if not r.mention.foreign]
        sources.append({
            "id": source.id,
            "file": source.file,
            "title": source.title,
            "lines": len(ingestion.texts[source.id]),
            "records": len(result.records),
            "structural_lines": len(result.structural),
            "problems": len(result.problems) + merge_problems[source.id],
            "resolution": {
                "mentions": len(resolutions),
                "resolved": sum(isinstance(r.party, (JapaneseGovernment, FormerGovernment)) or r.method == "place"
                                for r in resolutions),
                "bodies": sum(isinstance(r.party, Organisation) for r in resolutions),
                "unresolved": sum(isinstance(r.party, Unresolved) for r in resolutions),
                "japanese_mentions": len(japanese),
                "japanese_resolved": sum(isinstance(r.party, (JapaneseGovernment, FormerGovernment)) for r in japanese),
            },
        })
    problems = [
        {"source": p.source, "lines": list(p.lines), "raw": p.raw, "reason": p.reason}
        for p in (*(p for result in ingestion.results for p in result.problems), *merged.problems,
                  *merged.unknown_wordings)
    ]
    attributions = [
        {"source": d.source, "lines": list(d.lines), "rule": d.rule, "outcome": d.outcome,
         "certain": "yes" if d.certain else "no"}
        for result in ingestion.results for d in result.decisions
    ]
    resolutions = resolved.resolutions()
    approximate = [r for r in resolutions if r.method in APPROXIMATE]
    data = {
        "sources": sources,
        "totals": {
            "records": sum(s["records"] for s in sources),
            "partnerships": len(merged.partnerships),
            "partnerships_with_several_sources": sum(
                len({c.source for c in p.claims}) > 1 for p in merged.partnerships),
            "multilateral_partnerships": sum(len(p.parties) > 2 for p in merged.partnerships),
            "projects": len(merged.projects),
            "claims": sum(len(p.claims) for p in merged.partnerships),
            "triples": triples,
            "partnerships_by_kind": dict(sorted(Counter(p.kind for p in merged.partnerships).items())),
            "resolution_methods": dict(sorted(Counter(r.method for r in resolutions).items())),
            "parties_by_type": dict(sorted(Counter(_party_type(p) for p in _parties(merged)).items())),
            "claims_by_kind_evidence": dict(sorted(Counter(
                c.evidence.column for p in merged.partnerships for c in p.claims if c.evidence).items())),
        },
        "counts": {
            "problems": len(problems),
            "unknown_wordings": len(merged.unknown_wordings),
            "unresolved": sum(isinstance(r.party, Unresolved) for r in resolutions),
            "bodies": sum(isinstance(r.party, Organisation) for r in resolutions),
            "approximate": len(approximate),
            "conflicts": len(merged.conflicts),
            "shacl_violations": None if validation is None else len(validation.violations),
        },
        "problems": problems,
        "attributions": attributions,
        "unresolved": [
            {"source": r.source, "line": r.line, "mention": r.mention.name, "reason": r.party.reason}
            for r in resolutions if isinstance(r.party, Unresolved)
        ],
        "bodies": [
            {"source": r.source, "line": r.line, "mention": r.mention.name, "note": r.note}
            for r in resolutions if isinstance(r.party, Organisation)
        ],
        "approximate": [
            {"source": r.source, "line": r.line, "mention": r.mention.name, "method": r.method,
             "resolved_to": r.party.label, "code": _party_code(r), "note": r.note}
            for r in approximate
        ],
        "conflicts": [
            {"partnership": c.partnership, "field": c.field, "values": list(c.values)} for c in merged.conflicts
        ],
        "decisions": _decisions(resolutions, merged),
        "organisations": _organisations(resolutions),
        "merges": _merges(merged),
        "shacl": None if validation is None else {
            "conforms": validation.conforms,
            "violations": [
                {"focus": v.focus, "path": v.path, "message": v.message, "shape": v.shape} for v in validation.violations
            ],
        },
    }
    return Report(data)


def _parties(merged: Merged) -> list:
    seen = {}
    for partnership in merged.partnerships:
        for party in partnership.parties:
            seen.setdefault(party.key, party)
    for project in merged.projects:
        for resolution in (project.ward, *(r for r, _ in project.partners)):
            seen.setdefault(resolution.party.key, resolution.party)
    return [seen[key] for key in sorted(seen)]


def _party_type(party) -> str:
    if isinstance(party, Organisation):
        return party.type
    return type(party).__name__


def _decisions(resolutions: list[Resolution], merged: Merged) -> list[dict]:
    """Ambiguous cells decided by a rule: the line, the rule, the outcome."""
    rows = [
        {"source": r.source, "line": r.line, "text": r.mention.name, "rule": rule,
         "outcome": f"{r.party.label} ({r.party.key})", "note": r.note}
        for r in resolutions for rule in r.rules
    ]
    for partnership in merged.partnerships:
        for claim in partnership.claims:
            if claim.evidence and claim.evidence.set_aside:
                rows.append({"source": claim.source, "line": claim.lines[0], "text": claim.evidence.set_aside,
                             "rule": "kind-evidence", "outcome": f"kind {claim.kind} ({claim.evidence.column})",
                             "note": "the deciding column and the agreement's wording disagree: a twinning reading "
                                     "the document's premise excludes, a field of activity explicit wording "
                                     "outweighed, or another reading a weightier column outweighed"})
    return sorted(rows, key=lambda row: (row["source"], row["line"], row["rule"], row["text"]))


def _organisations(resolutions: list[Resolution]) -> list[dict]:
    """Every partner typed as something other than a local authority, with the lines naming it."""
    found: dict[str, dict] = {}
    for r in resolutions:
        party = r.party
        if not isinstance(party, (Organisation, NationalGovernment)):
            continue
        row = found.setdefault(party.key, {
            "party": party.key, "name": party.label, "type": _party_type(party), "country": party.country,
            "located_in": getattr(party, "within", None), "mentions": []})
        row["mentions"].append(f"{r.source}:{r.line}")
    for row in found.values():
        row["mentions"] = sorted(set(row["mentions"]))
    return [found[key] for key in sorted(found)]


def _merges(merged: Merged) -> list[dict]:
    """Partnerships that several sources (or several rows) report, with their kinds."""
    rows = []
    for p in merged.partnerships:
        rows_of = sorted({f"{c.source}:{c.lines[0]}" for c in p.claims})
        if len({c.source for c in p.claims}) > 1:
            rows.append({"partnership": p.id, "parties": " / ".join(party.label for party in p.parties),
                         "kind": p.kind, "kinds": sorted({c.kind for c in p.claims}), "claims": rows_of,
                         "conflicts": sorted(c.field for c in p.conflicts)})
    return rows


def _escape(text: object) -> str:
    if isinstance(text, (list, tuple)):
        text = ", ".join(str(item) for item in text)
    if text is None:
        text = ""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(data: dict) -> str:
    out = ["# Build report", ""]
    totals = data["totals"]
    out += [
        f"- Records: {totals['records']}",
        f"- Partnerships: {totals['partnerships']} ({totals['partnerships_with_several_sources']} reported by several sources, "
        f"{totals['multilateral_partnerships']} multilateral)",
        f"- Projects: {totals['projects']}",
        f"- Claims: {totals['claims']}",
        f"- Triples: {totals['triples']}",
        f"- Problems: {data['counts']['problems']}, of which wordings that map to no kind of tie: "
        f"{data['counts']['unknown_wordings']}",
        "",
        "## Sources",
        "",
        "| source | lines | records | structural | problems | mentions | resolved | bodies | unresolved | Japanese resolved |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in data["sources"]:
        r = s["resolution"]
        out.append(
            f"| {s['id']} | {s['lines']} | {s['records']} | {s['structural_lines']} | {s['problems']} | {r['mentions']} | "
            f"{r['resolved']} | {r['bodies']} | {r['unresolved']} | {r['japanese_resolved']}/{r['japanese_mentions']} |"
        )
    sections = [
        ("Problems (lines or fragments not parsed, or only in part; wordings that map to no kind)", data["problems"],
         ("source", "lines", "reason", "raw")),
        ("Lines and agreements decided by rule (uncertain ones: certain = no)", data["attributions"],
         ("source", "lines", "rule", "certain", "outcome")),
        ("Unresolved mentions", data["unresolved"], ("source", "line", "mention", "reason")),
        ("Bodies that are not local governments", data["bodies"], ("source", "line", "mention", "note")),
        ("Resolved by alias, reading or approximation (please review)", data["approximate"],
         ("source", "line", "mention", "method", "resolved_to", "code", "note")),
        ("Conflicts between sources", data["conflicts"], ("partnership", "field", "values")),
        ("Decisions taken by rule on ambiguous cells", data["decisions"],
         ("source", "line", "text", "rule", "outcome", "note")),
        ("Partners typed as organisations, countries and national bodies", data["organisations"],
         ("party", "name", "type", "country", "located_in", "mentions")),
        ("Merges: ties reported by several sources", data["merges"],
         ("partnership", "parties", "kind", "kinds", "claims", "conflicts")),
    ]
    for title, rows, columns in sections:
        out += ["", f"## {title} ({len(rows)})", ""]
        if not rows:
            out.append("None.")
            continue
        out.append("| " + " | ".join(columns) + " |")
        out.append("|" + "---|" * len(columns))
        for row in rows:
            out.append("| " + " | ".join(_escape(row[c]) for c in columns) + " |")
    if data.get("links"):
        from kg.links.report import links_markdown

        out += links_markdown(data["links"])
    shacl = data["shacl"]
    out += ["", "## SHACL validation", ""]
    if shacl is None:
        out.append("Not run.")
    elif shacl["conforms"]:
        out.append("The graph conforms to the shapes (0 violations).")
    else:
        out.append(f"{len(shacl['violations'])} violation(s):")
        out += [f"- {_escape(v['focus'])} {_escape(v['path'] or '')}: {_escape(v['message'])}" for v in shacl["violations"]]
    return "\n".join(out) + "\n"
