"""Parser for the Japan–China friendship city list (``japan-china-tsv``).

Tab-separated, six cells: No., 都道府県名, 自治体名, 州・省・県等, 提携自治体名,
提携年月日. The header repeats on every page; a ``※…現在`` footnote gives the
as-of date. Rows are numbered from 1 and the numbering is checked.

>>> result = parse(["No.\\t都道府県名\\t自治体名\\t州・省・県等\\t提携自治体名\\t提携年月日",
...                 "1\\t北海道\\t札幌市\\t遼寧省\\t瀋陽市\\t1980/11/18"], "doc")
>>> [(p.name, p.prefecture, p.region) for p in result.records[0].parties]
[('札幌市', '北海道', None), ('瀋陽市', None, '遼寧省')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mapping.dates import parse_date
from mapping.parsers._rows import numbering_problems, problem, provenance, tab_cells
from mapping.records import Mention, ParseResult, PartnershipRecord, Provenance, StructuralKind

# The document lists partners in China only and never writes the country per
# row: the country is the premise of the whole document, stated here once.
COUNTRY = "中華人民共和国"
CELLS = 6
HEADER_FIRST_CELL = "No."
# Several Japanese governments sharing one tie are written ``A, B, C``.
_JOINT = re.compile(r"\s*[,，、]\s*")


def parse(lines: Sequence[str], source_id: str) -> ParseResult:
    """Records, problems and structural lines of the whole file."""
    result = ParseResult(source_id)
    numbered: list[tuple[int, Provenance]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = provenance(source_id, lines, number)
        kind = _structural(line)
        if kind is not None:
            result.structural[number] = kind
            continue
        row_number = _read_row(where, line, result)
        if row_number is not None:
            numbered.append((row_number, where))
    result.problems.extend(numbering_problems(numbered))
    return result


def _structural(line: str) -> StructuralKind | None:
    """``header`` for the repeated page header, ``footnote`` for a ``※`` note.

    >>> _structural("※2024年3月末現在")
    'footnote'
    """
    if "\t" not in line and line.strip().startswith("※"):
        return "footnote"
    if tab_cells(line)[0] == HEADER_FIRST_CELL:
        return "header"
    return None


def _read_row(where: Provenance, line: str, result: ParseResult) -> int | None:
    """Add the row's record (or its problem) to ``result``; return its number if it has one."""
    cells = tab_cells(line)
    if len(cells) != CELLS:
        result.problems.append(problem(where, f"expected {CELLS} tab-separated cells, found {len(cells)}"))
        return None
    no, prefecture, municipality, region, partner, date_text = cells
    if not no.isdigit():
        result.problems.append(problem(where, f"row number {no!r} is not a number"))
        return None
    missing = [name for name, cell in (("都道府県名", prefecture), ("自治体名", municipality), ("提携自治体名", partner)) if not cell]
    if missing:
        result.problems.append(problem(where, f"row {no}: empty {'/'.join(missing)}"))
        return int(no)
    date = parse_date(date_text)
    if date is None and date_text:
        result.problems.append(problem(where, f"row {no}: date {date_text!r} not understood"))
    japanese = tuple(Mention(name, prefecture=prefecture) for name in _JOINT.split(municipality) if name)
    foreign = Mention(partner, country=COUNTRY, region=region or None, foreign=True)
    # The rows carry no words of their own for the tie, hence wording=None.
    result.records.append(PartnershipRecord(where, japanese + (foreign,), wording=None, date=date))
    return int(no)
