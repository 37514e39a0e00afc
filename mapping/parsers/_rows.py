"""Helpers shared by the row-per-tie parsers (agreements, japan-china, taiwan-japan).

>>> tab_cells(" 1\\t北海道 \\t\\t")
['1', '北海道', '', '']
>>> [p.reason for p in numbering_problems([(1, _prov(3)), (3, _prov(4)), (3, _prov(5))])]
['doc:4: row number 3 follows 1: row 2 missing', 'doc:5: row number 3 repeated (first at line 4)']
"""

from __future__ import annotations

from collections.abc import Sequence

from mapping.records import Problem, Provenance


def tab_cells(line: str) -> list[str]:
    """The tab-separated cells of a line, each stripped of surrounding whitespace."""
    return [cell.strip() for cell in line.split("\t")]


def provenance(source: str, lines: Sequence[str], first: int, last: int | None = None) -> Provenance:
    """Provenance of the 1-based line range ``first..last`` with its exact text."""
    last = first if last is None else last
    return Provenance(source, tuple(range(first, last + 1)), "\n".join(lines[first - 1 : last]))


def problem(where: Provenance, reason: str) -> Problem:
    """A problem on the lines of ``where``, its reason prefixed with the line reference."""
    return Problem(where.source, where.lines, where.raw, f"{where.ref()}: {reason}")


def numbering_problems(numbered: Sequence[tuple[int, Provenance]]) -> list[Problem]:
    """Gaps, repeats and reversals in rows numbered from 1, in document order.

    The expected last number is not known to the parser (it is the document's,
    not the format's), so only the sequence itself is checked.
    """
    problems: list[Problem] = []
    seen: dict[int, Provenance] = {}
    previous = 0
    for number, where in numbered:
        if number in seen:
            problems.append(problem(where, f"row number {number} repeated (first at line {seen[number].first_line})"))
            continue
        seen[number] = where
        if number > previous + 1:
            missing = f"row {previous + 1}" if number == previous + 2 else f"rows {previous + 1}–{number - 1}"
            after = f"follows {previous}" if previous else "starts the numbering"
            problems.append(problem(where, f"row number {number} {after}: {missing} missing"))
        elif number <= previous:
            problems.append(problem(where, f"row number {number} out of order (after {previous})"))
        previous = max(previous, number)
    return problems


def _prov(line: int) -> Provenance:
    """Doctest helper: a one-line provenance."""
    return Provenance("doc", (line,), "")
