"""Parser for the Taiwan–Japan local partnership list (``taiwan-japan-list``).

Text extracted from a PDF table, cells separated by spaces:
``N 台灣地方政府 日本地方政府 合作型態 締結年月日``. The header repeats, region
headings (【南部】…) and a 【注意事項】 footnote are structural. A long Japanese
cell wraps over several lines; the row ends on the line that ends with its date.

>>> result = parse(["1 台北市 神奈川縣橫濱市 友好夥伴城市 2006年5月22日"], "doc")
>>> record = result.records[0]
>>> [(p.name, p.prefecture, p.country) for p in record.parties], record.wording, record.date.iso
([('台北市', None, '台灣'), ('神奈川縣橫濱市', '神奈川縣', None)], '友好夥伴城市', '2006-05-22')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mapping.dates import parse_date
from mapping.parsers._rows import numbering_problems, problem, provenance
from mapping.places import split_prefecture
from mapping.records import Mention, ParseResult, PartnershipRecord, Provenance, StructuralKind

# Every Taiwanese party is in Taiwan: the document's premise, never written per row.
COUNTRY = "台灣"
HEADER_START = "台灣地方政府"
FOOTNOTE_START = "【注意事項】"
# A region heading alone on its line. The PDF extraction misplaced them (all
# three sit after rows they do not head), so they are not assigned to rows.
_REGION = re.compile(r"【[^】]+】")
_ROW_START = re.compile(r"\s*\d+\s+\S")
# A group of municipalities written as ``NAME（MEMBER・MEMBER、…）``.
_GROUP = re.compile(r"(?P<name>[^（(]+)[（(](?P<members>.+)[）)]")
# Joint parties: ``熊本縣・熊本市``, ``鳥取縣米子市・境港市、島根縣松江市``.
_MEMBER_SEPARATOR = re.compile(r"[・、]")


@dataclass(slots=True)
class _State:
    """Lines of a row not yet complete, and whether a footnote is running on."""

    pending: list[int]
    in_footnote: bool = False


def parse(lines: Sequence[str], source_id: str) -> ParseResult:
    """Records, problems and structural lines of the whole file."""
    result = ParseResult(source_id)
    numbered: list[tuple[int, Provenance]] = []
    state = _State([])
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            state.in_footnote = False
            continue
        kind = _structural(text, state.in_footnote)
        starts_row = _ROW_START.match(line) is not None
        if state.pending and (kind is not None or starts_row):
            numbered.append(_flush_incomplete(lines, source_id, state, result))
        if kind is not None:
            result.structural[number] = kind
            state.in_footnote = kind == "footnote"
            continue
        if not starts_row and not state.pending:
            where = provenance(source_id, lines, number)
            result.problems.append(problem(where, "line is neither a row nor a heading"))
            continue
        state.pending.append(number)
        if _ends_with_date(text):
            where = provenance(source_id, lines, state.pending[0], number)
            row_number = _read_row(where, [lines[n - 1] for n in state.pending], result)
            if row_number is not None:
                numbered.append((row_number, where))
            state.pending = []
    if state.pending:
        numbered.append(_flush_incomplete(lines, source_id, state, result))
    result.problems.extend(numbering_problems(numbered))
    return result


def _structural(text: str, in_footnote: bool) -> StructuralKind | None:
    """The structural role of a stripped line, or ``None`` for row text.

    >>> _structural("【南部】", False), _structural("及自治體官網等完成確認的範圍進行登載。", True)
    ('region', 'footnote')
    """
    if text.startswith(HEADER_START):
        return "header"
    if text.startswith(FOOTNOTE_START):
        return "footnote"
    if _REGION.fullmatch(text):
        return "region"
    # The footnote wraps onto the following line(s), up to a blank line.
    if in_footnote and not _ROW_START.match(text):
        return "footnote"
    return None


def _ends_with_date(text: str) -> bool:
    """Whether the last space-separated token is a date (the row's last cell)."""
    return parse_date(text.split()[-1]) is not None


def _flush_incomplete(
    lines: Sequence[str], source_id: str, state: _State, result: ParseResult
) -> tuple[int, Provenance]:
    """Report the pending lines as a row that never reached its date; return its number.

    The row is there even if unreadable, so its number still counts for the numbering check.
    """
    where = provenance(source_id, lines, state.pending[0], state.pending[-1])
    result.problems.append(problem(where, "row has no date at its end (incomplete row)"))
    state.pending = []
    return int(where.raw.split()[0]), where


def _read_row(where: Provenance, row_lines: list[str], result: ParseResult) -> int | None:
    """Add the record of a complete row to ``result``; return its number."""
    tokens = [line.split() for line in row_lines]
    flat = [token for line in tokens for token in line]
    number = int(flat[0])
    if len(row_lines) == 1 and len(flat) != 5:
        result.problems.append(problem(where, f"row {number}: expected 5 space-separated cells, found {len(flat)}"))
        return number
    japanese = _wrapped_cell(tokens)
    if len(flat) < 5 or not japanese:
        result.problems.append(problem(where, f"row {number}: no Japanese party"))
        return number
    taiwan = Mention(flat[1], country=COUNTRY, foreign=True)
    parties, association = japanese_parties(japanese)
    record = PartnershipRecord(
        where, (taiwan, *parties), wording=flat[-2], date=parse_date(flat[-1]), summary=association
    )
    result.records.append(record)
    return number


def _wrapped_cell(tokens: list[list[str]]) -> str:
    """The Japanese cell: tokens between the Taiwan cell and the last two cells.

    A line break inside it is a PDF wrap and joins without a space.

    >>> _wrapped_cell([["8", "台北市"], ["中海・宍道湖"], ["市長會"], ["交流", "2022年10月20日"]])
    '中海・宍道湖市長會'
    """
    located = [(index, token) for index, line in enumerate(tokens) for token in line]
    by_line: dict[int, list[str]] = {}
    for index, token in located[2:-2]:
        by_line.setdefault(index, []).append(token)
    return "".join(" ".join(words) for words in by_line.values())


def japanese_parties(cell: str) -> tuple[tuple[Mention, ...], str | None]:
    """Each Japanese government a cell names, and the name of their group if any.

    A member written without a prefecture takes the one written before it.

    >>> parties, group = japanese_parties("宇城地域（熊本縣宇土市、宇城市、美里町）")
    >>> group, [(p.name, p.prefecture) for p in parties]
    ('宇城地域', [('熊本縣宇土市', '熊本縣'), ('宇城市', '熊本縣'), ('美里町', '熊本縣')])
    >>> [(p.name, p.prefecture) for p in japanese_parties("熊本縣・熊本市")[0]]
    [('熊本縣', '熊本縣'), ('熊本市', '熊本縣')]
    """
    group = _GROUP.fullmatch(cell)
    members = group["members"] if group else cell
    parties: list[Mention] = []
    prefecture: str | None = None
    for item in _MEMBER_SEPARATOR.split(members):
        item = item.strip()
        if not item:
            continue
        written = split_prefecture(item)[0]
        prefecture = written or prefecture
        parties.append(Mention(item, prefecture=prefecture))
    return tuple(parties), (group["name"].strip() if group else None)
