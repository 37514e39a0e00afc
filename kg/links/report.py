"""The links part of the build report: link sets, predecessors, the P190 diff."""

from __future__ import annotations

from kg.links import LinkSet
from kg.links.p190 import Diff
from kg.predecessors import FormerGovernment, Predecessors
from kg.resolve.japan import Gazetteer
from kg.resolve.resolver import Resolved


def links_report(sets: list[LinkSet], gazetteer: Gazetteer, predecessors: Predecessors | None,
                 resolved: Resolved, p190: Diff) -> dict:
    governments = len(gazetteer.by_code)
    # Codes of the governments the plain e-Stat link set links (its subjects end with /id/lg/<code>).
    linked = {str(subject).rsplit("/", 1)[-1] for subject, _ in sets[0].links if "/id/lg/" in str(subject)}
    found: dict[str, list[dict]] = {}
    for r in resolved.resolutions():
        if r.method in ("predecessor", "successor"):
            name = r.party.key if isinstance(r.party, FormerGovernment) else r.mention.name
            found.setdefault(name, []).append(
                {"source": r.source, "line": r.line, "mention": r.mention.name, "method": r.method,
                 "resolved_to": r.party.label, "note": r.note})
    return {
        "linksets": [{"id": s.id, "target": s.target.id, "predicate": str(s.predicate), "links": len(s.links)}
                     for s in sets],
        "japanese_governments": governments,
        "japanese_governments_linked_to_estat": len(set(gazetteer.by_code) & linked),
        "predecessors": [
            {"key": former.key, "name": former.name, "successor": former.successor_label, "end": former.end,
             "country": former.country, "prefecture": former.prefecture}
            for former in (predecessors.formers if predecessors else [])],
        "predecessor_mentions": [row for rows in found.values() for row in rows],
        "wikidata_p190": p190.report(),
    }


def _escape(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def links_markdown(data: dict) -> list[str]:
    out = ["", "## Links to other datasets", ""]
    out.append(f"Japanese governments linked to e-Stat: {data['japanese_governments_linked_to_estat']} "
               f"of {data['japanese_governments']}.")
    out += ["", "| link set | target | predicate | links |", "|---|---|---|---:|"]
    out += [f"| {s['id']} | {s['target']} | {s['predicate']} | {s['links']} |" for s in data["linksets"]]
    out += ["", f"## Former governments ({len(data['predecessors'])})", "",
            "| former government | prefecture | ceased | successor |", "|---|---|---|---|"]
    out += [f"| {p['name']} | {p['prefecture'] or p['country']} | {p['end']} | {p['successor']} |"
            for p in data["predecessors"]]
    mentions = data["predecessor_mentions"]
    out += ["", f"## Mentions of former governments ({len(mentions)})", ""]
    if mentions:
        out += ["| source | line | mention | method | resolved_to | note |", "|---|---|---|---|---|---|"]
        out += ["| " + " | ".join(_escape(m[c]) for c in ("source", "line", "mention", "method", "resolved_to", "note"))
                + " |" for m in mentions]
    else:
        out.append("None.")
    p190 = data["wikidata_p190"]
    out += ["", "## Wikidata P190 against the graph's twinning ties", ""]
    if not p190["fetched"]:
        out.append("Not compared: `kg link wikidata` has not fetched P190 statements yet.")
        return out
    out.append(f"{p190['p190_statements']} P190 statements; {len(p190['wikidata_only'])} ties Wikidata has that the "
               f"graph lacks; {len(p190['graph_only'])} twinning ties the graph has that Wikidata lacks "
               f"({p190['quickstatements']} QuickStatements in links/wikidata-p190.qs); "
               f"{len(p190['candidates'])} partner items only candidates; {p190['unmatched_partners']} partner "
               "items match no party.")
    for title, rows in (("Ties in Wikidata, not in the graph", p190["wikidata_only"]),
                        ("Twinning ties in the graph, not in Wikidata", p190["graph_only"])):
        out += ["", f"### {title} ({len(rows)})", ""]
        out += [f"- {' – '.join(row['labels'])} ({', '.join(i or 'no item' for i in row['items'])})" for row in rows]
    out += ["", f"### Candidate matches, not linked ({len(p190['candidates'])})", ""]
    out += [f"- {c['partner']} ({', '.join(c['labels'])}, {c['country']}): {', '.join(c['parties'])}: {c['why']}"
            for c in p190["candidates"]]
    return out
