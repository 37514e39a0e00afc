"""Parser for 各特別区と全国市町村等連携事業一覧, the Tokyo special wards' projects.

The source is a 7-column table extracted from a PDF, one tab-separated line per
printed line: 各特別区名, 連携カテゴリ, 事業名称等, 事業主体, 連携相手方, 事業内容,
事業開始年度. A project starts on a line whose first cell is a ward's short name
(``千代田``); the lines after it that leave that cell empty continue it, adding
partners, text or start years. PDF line breaks inside a cell appear as spaces.

Decisions where the layout is ambiguous:

* A value assembled from several lines (title, organizer, description,
  category, start notes) is joined with one space (:data:`JOIN`), the separator
  the extraction already uses for a line break inside a cell, so a later
  clean-up treats both alike.
* A line with only its first cell filled (or its first two) is column overflow:
  a partner of the project above, with that partner's start year in the second
  cell; or, when the first cell is itself a year, a start note of the project.
* A continuation line naming partners and a description, not just below a page
  header, and followed by the first row of a *different* ward is the top half
  of that row, split off by a page break: it joins the row below.
* The last continuation line of a page may belong to the row above or to the
  first row of the next page: :data:`TAIL_RULES` decide on evidence, in order,
  and a line no rule settles stays with the row above as an uncertain
  :class:`~mapping.records.Decision`. A continuation line just below a page
  header is the bottom half of the row above (rule ``below-page-header``).
* The PDF prints the last printed line of a cell again at the top of the next
  page (``…に関する協 定`` then ``定``): a cell of a line below a page header
  that begins with the last line of the same cell above, or that the cell above
  already ends with, repeats it, and the repeat is dropped (rule
  ``page-repeat``, :func:`_page_repeat`); a partner cell repeating the last
  partner above drops that name.
* Start years: see :func:`start_entries` and :func:`_partners_and_start`.
* Agreements the rows state or name: :mod:`mapping.parsers.tokyo_agreements`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files

from mapping.dates import PartialDate, find_dates, parse_date
from mapping.places import split_prefecture, starts_with_prefecture
from mapping.text import nfkc
from mapping.parsers.tokyo_agreements import agreements
from mapping.records import (
    Decision,
    Mention,
    ParseResult,
    Problem,
    ProjectPartner,
    ProjectRecord,
    Provenance,
)



def _special_wards() -> frozenset[str]:
    """Tokyo's 23 special wards as the list's first column writes them (without 区), from ``japancode``'s
    table: the codes 13101–13123 (``131…`` with the check digit).

    >>> sorted(_special_wards())[:3], len(_special_wards())
    (['世田谷', '中央', '中野'], 23)
    """
    rows = json.loads(files("japancode").joinpath("data", "municipalities.json").read_text(encoding="utf-8"))
    return frozenset(row["city"].removesuffix("区") for row in rows if row["lgcode"].zfill(6).startswith("131"))


WARDS = _special_wards()
HEADER = ("各特別区名", "連携カテゴリ", "事業名称等", "事業主体", "連携相手方", "事業内容", "事業開始年度")
WARD, CATEGORY, TITLE, ORGANIZER, PARTNER, DESCRIPTION, START = range(7)
COLUMNS = len(HEADER)
JOIN = " "
DASHES = frozenset("-－—―–ー")
_SPACE = re.compile(r"\s+")
# Where a partner cell may hold a boundary between two names (kept in the split).
_SEPARATOR = re.compile(r"(\s+|[、，・])")
_OPEN, _CLOSE = "(（[［【", ")）]］】"


@dataclass(frozen=True, slots=True)
class _Line:
    """One source line, its stripped cells, and what kind of line it is.

    Kinds: blank, title, as-of, header, row (a ward's row), continuation
    (first cell empty), overflow (only the first one or two cells), bad.
    """

    number: int
    raw: str
    cells: tuple[str, ...]
    kind: str

    def cell(self, index: int) -> str:
        return self.cells[index] if index < len(self.cells) else ""


@dataclass(slots=True)
class _Draft:
    """The lines of one project while it is read; ``main`` is the ward's row."""

    main: _Line
    lines: list[_Line] = field(default_factory=list)


def split_partners(cell: str) -> list[str]:
    """Split a partner cell into names, each verbatim.

    A space separates two names only where the next piece starts with a
    prefecture name outside brackets; any other space is a PDF line break
    inside one name. ``、``, ``，`` and ``・`` separate names only where the pieces on
    both sides start with a prefecture name (``金沢・富山県西部…`` is one body).

    >>> split_partners("群馬県嬬恋村 秋田県五城目町")
    ['群馬県嬬恋村', '秋田県五城目町']
    >>> split_partners("高知県土佐町中土佐 町")
    ['高知県土佐町中土佐 町']
    >>> split_partners("長野県茅野市・宮城県石巻市")
    ['長野県茅野市', '宮城県石巻市']
    >>> split_partners("金沢・富山県西部広 域観光推進協議会")
    ['金沢・富山県西部広 域観光推進協議会']
    >>> split_partners("群馬県沼田市（平成30年度から、群馬県沼田市と連携）")
    ['群馬県沼田市（平成30年度から、群馬県沼田市と連携）']

    A list of governments written without prefectures is split too
    (:func:`_government_list`): ``目黒区 大田区`` are two wards.
    """
    names: list[str] = []
    current = ""
    depth = 0
    pieces = _SEPARATOR.split(cell.strip())
    for index in range(0, len(pieces), 2):
        piece = pieces[index]
        separator = pieces[index - 1] if index else ""
        if depth == 0 and _is_boundary(current, separator, piece):
            names.append(current)
            current = piece
        else:
            current += separator + piece
        depth += sum(ch in _OPEN for ch in piece) - sum(ch in _CLOSE for ch in piece)
        depth = max(depth, 0)
    if current.strip():
        names.append(current.strip())
    return [piece for name in names for piece in _government_list(name)]


_GOVERNMENT = re.compile(r"^\S{2,}?[都道府県区市町村]$")
_LIST_SEPARATOR = re.compile(r"[\s、，・]+")
_COLLECTIVE_PIECE = re.compile(r"\d|^都内|^(?:区市町村|市区町村|市町村|町村|特別区)$")


def _government_list(name: str) -> list[str]:
    """A name that is a list of governments without prefectures (``目黒区 大田区``) as its names.

    Every piece must end like a government's name (都道府県区市町村) and be no
    collective (``都内23特別区``, ``市区町村``); otherwise the text is one name.

    >>> _government_list("目黒区 大田区 世田谷区 渋谷区")
    ['目黒区', '大田区', '世田谷区', '渋谷区']
    >>> _government_list("東京都、都内23特別区、都内26市"), _government_list("高知県土佐町中土佐 町")
    (['東京都、都内23特別区、都内26市'], ['高知県土佐町中土佐 町'])
    """
    pieces = [piece for piece in _LIST_SEPARATOR.split(name) if piece]
    if len(pieces) > 1 and all(_GOVERNMENT.match(p) and not _COLLECTIVE_PIECE.search(p) for p in pieces):
        return pieces
    return [name]


def _is_boundary(before: str, separator: str, piece: str) -> bool:
    """Whether ``separator`` ends one partner name and ``piece`` starts the next."""
    if not (before and piece and starts_with_prefecture(piece)):
        return False
    return separator.isspace() or starts_with_prefecture(before)


def start_entries(cell: str) -> list[PartialDate | None] | None:
    """The start years a cell lists, one per space-separated token, or ``None``.

    A token is an entry if it is a dash (no year: ``None``) or begins with the
    only date it holds (``平成8年度``, ``平成21年度から参加``, ``平成8年度頃``).
    Any other token (``不明``, ``(区事業に``, ``検討開始``) makes the cell a note.

    >>> [d and d.year for d in start_entries("平成25年度 - 令和元年度")]
    [2013, None, 2019]
    >>> start_entries("平成25年度 （大田区は平成27年度より参加）") is None
    True
    >>> start_entries("")
    []
    """
    entries: list[PartialDate | None] = []
    for token in cell.split():
        if set(token) <= DASHES:
            entries.append(None)
            continue
        dates = find_dates(token)
        if len(dates) != 1 or dates[0][0] != 0:
            return None
        entries.append(dates[0][2])
    return entries


def _aligned(partners: int, cell: str) -> list[PartialDate | None] | None:
    """Starts for the partners of one line: one entry each, or one for all."""
    entries = start_entries(cell)
    if not partners or not entries:
        return None
    if len(entries) == partners:
        return entries
    return entries * partners if len(entries) == 1 else None


def _is_list(partners: int, cell: str) -> bool:
    """Whether a cell lists one start entry for each of two or more partners."""
    entries = start_entries(cell)
    return entries is not None and partners > 1 and len(entries) == partners


def _single_cell_kind(text: str) -> str:
    """Title and as-of lines are the only lines without tabs.

    >>> _single_cell_kind("令和8年3月31日現在"), _single_cell_kind("各特別区と全国市町村等連携事業一覧")
    ('as-of', 'title')
    """
    if text.endswith("現在") and find_dates(text):
        return "as-of"
    return "title" if text.endswith("一覧") else "bad"


def _classify(number: int, raw: str) -> _Line:
    """Split a line into cells and tell what kind of line it is."""
    cells = tuple(cell.strip() for cell in raw.split("\t"))
    if not raw.strip():
        kind = "blank"
    elif _SPACE.sub("", cells[0]).startswith(HEADER[0]):
        kind = "header"  # repeated on every page, words sometimes broken by spaces
    elif len(cells) == 1:
        kind = _single_cell_kind(cells[0])
    elif len(cells) != COLUMNS:
        kind = "bad"
    elif cells[WARD] in WARDS:
        kind = "row"
    elif not cells[WARD]:
        kind = "continuation"
    elif not any(cells[TITLE:]):
        kind = "overflow"
    else:
        kind = "bad"
    return _Line(number, raw, cells, kind)


def _header_extra(line: _Line) -> str:
    """Text in a page header beyond the column names (a split row's cell), if any.

    >>> cells = "各特別 区名", "連携カテ ゴリ 産業", "事業名称等", "事業 主体", "連携相手方", "事業内容", "事業開始 年度"
    >>> _header_extra(_classify(139, "\\t".join(cells)))
    '産業'
    """
    extras = []
    for index, cell in enumerate(line.cells):
        compact = _SPACE.sub("", cell)
        name = HEADER[index] if index < COLUMNS else ""
        extra = compact[len(name) :] if compact.startswith(name) else compact
        if extra:
            extras.append(extra)
    return JOIN.join(extras)


def _bad_reason(line: _Line) -> str:
    if len(line.cells) != COLUMNS:
        return f"line {line.number}: {len(line.cells)} tab-separated cells, expected {COLUMNS}"
    return (
        f"line {line.number}: first cell {line.cells[WARD]!r} is not a special ward,"
        " and the row is not column overflow"
    )


def _neighbour(lines: Sequence[_Line], index: int, step: int, skip: tuple[str, ...]) -> _Line | None:
    """The nearest line before (``step=-1``) or after (``step=1``) whose kind is not skipped."""
    index += step
    while 0 <= index < len(lines):
        if lines[index].kind not in skip:
            return lines[index]
        index += step
    return None


def _is_top_half(lines: Sequence[_Line], index: int, draft: _Draft) -> bool:
    """Whether a continuation line is the top of the next ward's first row (page split).

    Only a line with partners and a description qualifies; one just below a
    page header is the bottom half of the row above, and a row of the same
    ward below leaves the line with the project above.
    """
    line = lines[index]
    if not (line.cell(PARTNER) and line.cell(DESCRIPTION)):
        return False
    before = _neighbour(lines, index, -1, ("blank",))
    after = _neighbour(lines, index, 1, ("blank", "header"))
    return (
        before is not None
        and before.kind != "header"
        and after is not None
        and after.kind == "row"
        and after.cells[WARD] != draft.main.cells[WARD]
    )


def _repeats_next_row(lines: Sequence[_Line], index: int) -> _Line | None:
    """The row a continuation line repeats: same organiser, partners and description (a PDF duplicate)."""
    line = lines[index]
    after = _neighbour(lines, index, 1, ("blank", "header"))
    if after is None or after.kind != "row" or not (line.cell(PARTNER) and line.cell(DESCRIPTION)):
        return None
    if all(line.cell(c) == after.cell(c) for c in (ORGANIZER, PARTNER, DESCRIPTION)):
        return after
    return None


# --- the last line of a page ------------------------------------------------------------

_MEMBER_COUNT = re.compile(r"(\d+)\s*(?:団体|区市町村|市区町村|区市町|市区町|市区|市町村|自治体|都市)")
_SAME_TITLE_SPACE = re.compile(r"\s+")


def _below_header(lines: Sequence[_Line], index: int) -> bool:
    before = _neighbour(lines, index, -1, ("blank",))
    return before is not None and before.kind == "header"


def _next_page_row(lines: Sequence[_Line], index: int) -> _Line | None:
    """The first row of the next page, when ``index`` is the last line of a page and a row opens the next."""
    after = _neighbour(lines, index, 1, ("blank",))
    if after is None or after.kind != "header":
        return None
    first = _neighbour(lines, after.number - 1, 1, ("blank", "header"))
    return first if first is not None and first.kind == "row" else None


def _names(line: _Line) -> list[str]:
    partner_text, _ = _parts(line)
    return split_partners(partner_text) if partner_text else []


def _short(name: str) -> str:
    """A partner's name without its prefecture and spaces (``群馬県前橋市`` → ``前橋市``)."""
    return split_prefecture(_SAME_TITLE_SPACE.sub("", name))[1]


def _member_count_full(line: _Line, draft: _Draft) -> bool:
    """The row above states its number of members, and already lists them all."""
    title = _SAME_TITLE_SPACE.sub("", _joined(draft, TITLE))
    counts = [int(found) for found in _MEMBER_COUNT.findall(nfkc(title))]
    listed = sum(len(_names(other)) for other in draft.lines)
    return bool(counts) and bool(_names(line)) and listed >= max(counts) - 1


def _title_names_its_partners(line: _Line, draft: _Draft) -> bool:
    """The row above is an agreement ``…との…`` whose title names each of its partners, and not this line's."""
    title = _SAME_TITLE_SPACE.sub("", _joined(draft, TITLE))
    listed = [name for other in draft.lines for name in _names(other)]
    names = _names(line)
    return ("との" in title and bool(listed) and bool(names)
            and all(_short(name) and _short(name) in title for name in listed)
            and not any(_short(name) in title for name in names))


def _dated_list(line: _Line, draft: _Draft) -> bool:
    """Every partner line above gives its own start year, and this one gives none."""
    others = [other for other in draft.lines if other is not draft.main]
    if not others or not _names(line) or _parts(line)[1]:
        return False
    return all(_names(other) and _aligned(len(_names(other)), _parts(other)[1]) for other in others)


def _same_title(next_row: _Line | None, draft: _Draft) -> bool:
    if next_row is None:
        return False
    here = _SAME_TITLE_SPACE.sub("", _joined(draft, TITLE))
    there = _SAME_TITLE_SPACE.sub("", next_row.cells[TITLE])
    return next_row.cells[WARD] == draft.main.cells[WARD] and here == there


def _shape(line: _Line) -> tuple[int, bool, bool]:
    """What a line holds: how many partners, whether a start year, whether a description."""
    partner_text, start_text = _parts(line)
    return len(_names(line)), bool(start_text), bool(line.cell(DESCRIPTION)) and line.kind != "overflow"


def _list_continues(line: _Line, draft: _Draft) -> bool:
    """The line is one more of a run of lines holding the same (one partner a line, say)."""
    previous = draft.lines[-1]
    return previous is not draft.main and _shape(previous) == _shape(line)


def _start_note(line: _Line, draft: _Draft) -> bool:
    return not _names(line)


def _own_start(line: _Line, draft: _Draft) -> bool:
    return _aligned(len(_names(line)), _parts(line)[1]) is not None


TailRule = tuple[str, bool, bool]
TAIL_RULES: tuple[tuple[str, bool, bool, object], ...] = (
    ("member-count-full", True, True, _member_count_full),
    ("title-names-its-partners", True, True, _title_names_its_partners),
    ("dated-list-ends", True, True, _dated_list),
    ("same-title-both-pages", False, True, None),
    ("list-continues", False, True, _list_continues),
    ("start-note", False, True, _start_note),
    ("own-start-year", False, False, _own_start),
)
"""Rules for the last line of a page, in order: (name, joins the next page's row, certain, test).

A rule that sends the line to the next row applies only where the next page
opens with a row. The first rule that holds decides. ``own-start-year`` (the
line dates its own partners, as continuation lines of a list do) keeps the
line above but is no proof, so it is reported as uncertain; none holding, the
line stays with the row above, reported as uncertain (``tail-kept-above``).
"""


def _tail_decision(lines: Sequence[_Line], index: int, draft: _Draft) -> TailRule | None:
    """How the last line of a page is attributed: (rule, joins the next row, certain), or ``None``."""
    line = lines[index]
    after = _neighbour(lines, index, 1, ("blank",))
    if after is None or after.kind != "header" or _below_header(lines, index):
        return None
    next_row = _next_page_row(lines, index)
    for name, to_next, certain, test in TAIL_RULES:
        if to_next and next_row is None:
            continue
        holds = _same_title(next_row, draft) if test is None else test(line, draft)  # type: ignore[operator]
        if holds:
            return name, to_next, certain
    return "tail-kept-above", False, False


_MARKUP = re.compile(r"<[^>]*>")
_LEAD = re.compile(r"^(?:<[^>]*>|\s|・)*")
TEXT_COLUMNS = (CATEGORY, TITLE, ORGANIZER, DESCRIPTION)
"""Columns of running text a page break can repeat (start years repeat legitimately: one per partner)."""


def _repeat_length(above: str, cell: str) -> int:
    """How many characters at the start of ``cell`` repeat the end of the text ``above`` (0: none).

    The repeat is the last printed line of the cell above (its last space-separated
    piece, since PDF line breaks are spaces), or the whole cell when the text above
    already ends with it (four characters or more). Markup and list bullets are ignored.

    >>> _repeat_length("東海道53次市区町災害 時相互応援に関する協 定", "定")
    1
    >>> cell = '<ul style="list-style-type: none"> ・よび物資の提供。 ・応急対策'
    >>> cell[_repeat_length("必要な資機材お よび物資の提供", cell):]
    '。 ・応急対策'
    >>> _repeat_length("…目指す。", "日本全体の底上げを目指す。"), _repeat_length("災害時相互", "応援協定")
    (0, 0)
    >>> _repeat_length("…広域的な連携の下、日本全体の底上げを目指す。", "日本全体の底上げを目指す。")
    13
    """
    text = _SPACE.sub("", _MARKUP.sub("", above))
    lead = len(_LEAD.match(cell).group(0))  # type: ignore[union-attr]
    body = _SPACE.sub("", cell[lead:])
    if len(body) >= 4 and text.endswith(body):
        return len(cell)
    pieces = _MARKUP.sub("", above).split()
    last = pieces[-1].lstrip("・") if pieces else ""
    if not last or not body.startswith(last):
        return 0
    count, index = 0, lead
    while count < len(last) and index < len(cell):
        count += not cell[index].isspace()
        index += 1
    return index


def _page_repeat(line: _Line, draft: _Draft) -> tuple[_Line, list[str]]:
    """A line just below a page header without what the PDF printed twice; what was dropped, for the report."""
    cells = list(line.cells)
    dropped = []
    for column in TEXT_COLUMNS:
        above = _joined(draft, column)
        length = _repeat_length(above, cells[column]) if above and cells[column] else 0
        if length:
            dropped.append(f"{HEADER[column]} {cells[column][:length].strip()!r}")
            cells[column] = cells[column][length:].strip()
    above_names = [name for other in draft.lines for name in _names(other)]
    names = split_partners(cells[PARTNER]) if cells[PARTNER] else []
    if above_names and names and _SPACE.sub("", names[0]) == _SPACE.sub("", above_names[-1]):
        dropped.append(f"{HEADER[PARTNER]} {names[0]!r}")
        cells[PARTNER] = cells[PARTNER].strip()[len(names[0]):].strip()
    if not dropped:
        return line, []
    return _Line(line.number, line.raw, tuple(cells), line.kind), dropped


def _parts(line: _Line) -> tuple[str, str]:
    """Partner text and start text of a line (overflow shifts them to the left)."""
    if line.kind != "overflow":
        return line.cell(PARTNER), line.cell(START)
    if not line.cell(CATEGORY) and parse_date(line.cell(WARD)) is not None:
        return "", line.cell(WARD)  # a start year pushed into the first column
    return line.cell(WARD), line.cell(CATEGORY)


def _joined(draft: _Draft, column: int) -> str:
    """A text column over the lines of a project, pieces joined with :data:`JOIN`."""
    pieces = (line.cells[column] for line in draft.lines if line.kind != "overflow")
    return JOIN.join(piece for piece in pieces if piece)


def _partners_and_start(draft: _Draft) -> tuple[list[ProjectPartner], str]:
    """The project's partners, with their own start years where given, and its start text.

    A line's start cell belongs to the partners on that line when it lists one
    entry per partner, or one entry for all of them. On the ward's row this
    holds only when the row lists entries for two or more partners, or when
    other lines give their partners their own years; otherwise the row's year
    is the project's start, shared by all. Start cells not given to partners
    are notes: the start text is the row's cell, then those notes in line order.
    """
    per_line = []
    for line in draft.lines:
        partner_text, start_text = _parts(line)
        names = split_partners(partner_text) if partner_text else []
        per_line.append((line, names, start_text, _aligned(len(names), start_text)))
    dated = any(line is not draft.main and starts is not None for line, _, _, starts in per_line)
    partners: list[ProjectPartner] = []
    notes: list[str] = []
    for line, names, start_text, starts in per_line:
        is_main = line is draft.main
        if is_main and not (dated or _is_list(len(names), start_text)):
            starts = None
        if starts is None:
            starts = [None] * len(names)
            if start_text and not is_main:
                notes.append(start_text)
        for name, start in zip(names, starts):
            partners.append(ProjectPartner(Mention(name), (line.number,), start))
    main_start = draft.main.cells[START]
    return partners, JOIN.join(([main_start] if main_start else []) + notes)


def _record(draft: _Draft, source: str) -> ProjectRecord:
    """The project a draft's lines describe; its start is the first date of its start text."""
    partners, start_text = _partners_and_start(draft)
    dates = find_dates(start_text)
    numbers = tuple(line.number for line in draft.lines)
    return ProjectRecord(
        provenance=Provenance(source, numbers, "\n".join(line.raw for line in draft.lines)),
        ward=Mention(name=draft.main.cells[WARD] + "区", prefecture="東京都"),
        category=_joined(draft, CATEGORY),
        title=_joined(draft, TITLE),
        organizer=_joined(draft, ORGANIZER),
        partners=tuple(partners),
        description=_joined(draft, DESCRIPTION),
        start=dates[0][2] if dates else None,
        start_text=start_text,
    )


def _structural(line: _Line, result: ParseResult) -> None:
    """Record a title, as-of or header line; a header carrying row text is also a problem."""
    result.structural[line.number] = line.kind  # type: ignore[assignment]
    extra = _header_extra(line) if line.kind == "header" else ""
    if extra:
        reason = (
            f"line {line.number}: page header carries extra text {extra!r}"
            " (a cell of a row split by the page break); not attached to a project"
        )
        result.problems.append(Problem(result.source, (line.number,), line.raw, reason))


def parse(lines: Sequence[str], source_id: str) -> ParseResult:
    """Read the wards' project table; every non-blank line ends up somewhere."""
    result = ParseResult(source_id)
    classified = [_classify(number, raw) for number, raw in enumerate(lines, start=1)]
    draft: _Draft | None = None
    pending: list[_Line] = []  # top halves of the next row
    for index, line in enumerate(classified):
        if line.kind == "blank":
            continue
        if line.kind in ("title", "as-of", "header"):
            _structural(line, result)
        elif line.kind == "bad":
            result.problems.append(Problem(source_id, (line.number,), line.raw, _bad_reason(line)))
        elif line.kind == "row":
            if draft is not None:
                result.records.append(_record(draft, source_id))
            draft = _Draft(line, [*pending, line])
            pending = []
        elif draft is None:
            reason = f"line {line.number}: continuation line with no project above"
            result.problems.append(Problem(source_id, (line.number,), line.raw, reason))
        elif line.kind == "continuation" and (repeated := _repeats_next_row(classified, index)):
            reason = f"line {line.number}: repeats line {repeated.number} (a PDF duplicate); not attached to a project"
            result.problems.append(Problem(source_id, (line.number,), line.raw, reason))
        elif line.kind == "continuation" and _is_top_half(classified, index, draft):
            pending.append(line)
            after = _neighbour(classified, index, 1, ("blank", "header"))
            result.decisions.append(Decision(source_id, (line.number,), "top-half-of-next-ward",
                                             f"joins the {after.cells[WARD]} row of line {after.number}"))
        elif (tail := _tail_decision(classified, index, draft)) is not None:
            rule, to_next, certain = tail
            after = _neighbour(classified, index, 1, ("blank", "header"))
            if to_next:
                pending.append(line)
                outcome = f"joins the row of line {after.number}, not the row of line {draft.main.number}"
            else:
                draft.lines.append(line)
                outcome = f"stays with the row of line {draft.main.number}"
                if not certain and after is not None:
                    outcome += f" (could be the row of line {after.number})"
            result.decisions.append(Decision(source_id, (line.number,), rule, outcome, certain))
        else:
            if _below_header(classified, index):
                result.decisions.append(Decision(source_id, (line.number,), "below-page-header",
                                                 f"stays with the row of line {draft.main.number}"))
                line, dropped = _page_repeat(line, draft)
                if dropped:
                    result.decisions.append(Decision(
                        source_id, (line.number,), "page-repeat",
                        f"{'; '.join(dropped)} repeats the end of the same cell of the row of line "
                        f"{draft.main.number} (printed again after the page break): dropped"))
            draft.lines.append(line)
    if draft is not None:
        result.records.append(_record(draft, source_id))
    result.records = agreements(result.records, result.decisions)  # type: ignore[arg-type]
    return result
