"""Parser for Gunma prefecture's list of its municipalities' ties (format ``gunma-list``).

The file is tab-separated: ``[市 | 郡 name | N市M町共通] TAB municipality TAB
partner cell``, in three sections (domestic, disaster, international), but
columns are shifted or merged in places, so a row is read by the shape of its
cells rather than by position. A partner cell lists items ``NAMES(DETAILS)``
separated by ``、`` or spaces; DETAILS hold prefectures (or a foreign
location), then one or more dated wordings.

>>> lines = ["(1) 姉妹都市・友好都市等提携(国内)", "市\\t前橋市\\t萩市(山口県・H14.12.18 友好都市提携)"]
>>> record = parse(lines, "demo").records[0]
>>> [(p.name, p.prefecture) for p in record.parties], record.date.iso, record.wording
([('前橋市', '群馬県'), ('萩市', '山口県')], '2002-12-18', '友好都市提携')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mapping.dates import PartialDate, find_dates, parse_date
from mapping.places import split_prefecture
from mapping.records import Mention, ParseResult, PartnershipRecord, Problem, Provenance, Section

PREFECTURE = "群馬県"
_OPEN, _CLOSE = "(（【「『", ")）】」』"
_PARENS = "(（"
_SPANS = "~〜～"  # a date followed by one of these starts a period, it is not the tie's date
_SEPARATORS = " \u3000・、"
_NAME = r"[^\s()（）【】「」『』、・]+"
_MUNICIPALITY = re.compile(_NAME + r"[市町村]")
_DISTRICT = re.compile(_NAME + r"郡")
_HEADING = re.compile(r"[(（]\s*[0-9０-９]\s*[)）]\s*(.+)")
_SECTIONS: tuple[tuple[str, Section], ...] = (("災害", "disaster"), ("国外", "international"), ("国内", "domestic"))
_REGION_SUFFIXES = ("州", "県", "省", "市", "郡", "区", "地方", "道", "府")
_TRAILING_GROUP = re.compile(r"[(（]([^()（）]*)[)）]$")


class FragmentError(ValueError):
    """A partner fragment that cannot be read; it becomes a Problem."""


@dataclass(frozen=True, slots=True)
class Event:
    """One dated (or undated) wording found in a DETAILS text."""

    date: PartialDate | None
    wording: str | None
    remark: str | None = None
    other_dates: tuple[PartialDate, ...] = ()


@dataclass(frozen=True, slots=True)
class Row:
    """Where a row is, for records and problems."""

    source: str
    line: int
    section: Section

    def problem(self, raw: str, reason: str) -> Problem:
        return Problem(self.source, (self.line,), raw, reason)

    def record(self, raw: str, parties, event: Event, summary: list[str | None]) -> PartnershipRecord:
        notes = [s for s in (*summary, event.remark) if s]
        return PartnershipRecord(
            provenance=Provenance(self.source, (self.line,), raw),
            parties=tuple(_unique(parties, key=lambda m: m)),
            wording=event.wording,
            date=event.date,
            summary="; ".join(notes) or None,
            section=self.section,
            other_dates=event.other_dates,
        )


def parse(lines: Sequence[str], source_id: str) -> ParseResult:
    """Read the whole file; never raises on bad content."""
    result = ParseResult(source_id)
    section: Section | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        kind, heading = _structural(line, section, "title" in result.structural.values())
        if kind == "section" and heading is None:
            result.problems.append(Problem(source_id, (number,), line, "section heading not recognised"))
        elif kind:
            result.structural[number] = kind
            section = heading or section
        elif section is None:
            result.problems.append(Problem(source_id, (number,), line, "row before any section heading"))
        else:
            row = Row(source_id, number, section)
            try:
                records, problems = _row(line, row)
            except Exception as error:  # noqa: BLE001 - a bug on one row must not lose the file
                records, problems = [], [row.problem(line, f"row not read ({type(error).__name__}: {error})")]
            result.records.extend(records)
            result.problems.extend(problems)
    return result


def _structural(line: str, section: Section | None, titled: bool):
    """``(kind, section)`` for a title, as-of, header or section line; ``(None, None)`` otherwise."""
    text = line.strip()
    cells = [c.strip() for c in line.split("\t")]
    heading = _HEADING.fullmatch(text)
    if heading and "\t" not in text:
        return "section", next((name for key, name in _SECTIONS if key in heading[1]), None)
    if "市町村名" in cells:
        return "header", None
    if text.endswith("現在") and parse_date(text) is not None:
        return "as-of", None
    if section is None and not titled and "\t" not in text:
        return "title", None
    return None, None


def _row(line: str, row: Row) -> tuple[list[PartnershipRecord], list[Problem]]:
    """Find the marker, the reporting municipality and the partner cell of a row."""
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    marker = cells[0] if cells[0] == "市" or _DISTRICT.fullmatch(cells[0]) or cells[0].endswith("共通") else None
    if marker and marker.endswith("共通"):
        return _common_row(line, cells, row)
    rest = cells[1:] if marker else cells
    if not rest:
        return [], [row.problem(line, f"no municipality after {marker}")]
    head, _, tail = re.sub(r"\s+", " ", rest[0], count=1).partition(" ")
    if not _MUNICIPALITY.fullmatch(head):
        return [], [row.problem(line, f"no reporting municipality (a name ending in 市, 町 or 村) in {rest[0]!r}")]
    partners = " ".join(p for p in (tail.strip(), *rest[1:]) if p)
    if not partners:
        return [], [row.problem(line, f"no partner listed for {head}")]
    return _cell(partners, Mention(head, prefecture=PREFECTURE), row)


def _cell(cell: str, reporter: Mention, row: Row) -> tuple[list[PartnershipRecord], list[Problem]]:
    """Records of one partner cell; a fragment that cannot be read becomes a Problem."""
    spans = split_top(cell, "、", spaces=True)
    prefix = None
    if len(spans) > 1 and _is_prefix(cell, spans):
        prefix, spans = cell[spans[0][0] : spans[0][1]], spans[1:]
    found: list[tuple[tuple[int, int], PartnershipRecord]] = []
    problems = []
    for span in spans:
        fragment = cell[span[0] : span[1]]
        try:
            members, label, events = parse_item(fragment, row.section)
        except FragmentError as error:
            problems.append(row.problem(fragment, f"partner fragment not read: {error}"))
            continue
        for event in events:
            notes = [label]
            if prefix and event.wording:
                notes.append(prefix)  # the item's own wording wins; keep the cell's in the summary
            elif prefix:
                event = replace(event, wording=prefix)
            found.append((span, row.record(fragment, (reporter, *members), event, notes)))
    return _merge(found, cell), problems


def _is_prefix(cell: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the first piece is a wording for the whole cell (``地域間交流 逗子市(…)、…``)."""
    first = cell[spans[0][0] : spans[0][1]]
    gap = cell[spans[0][1] : spans[1][0]]
    return not any(ch in _OPEN + _CLOSE for ch in first) and not first.endswith(("市", "町", "村", "区")) and "、" not in gap


def _merge(found: list[tuple[tuple[int, int], PartnershipRecord]], cell: str) -> list[PartnershipRecord]:
    """Merge consecutive items of one cell that continue one agreement (see :func:`_continues`)."""
    merged: list[tuple[tuple[int, int], PartnershipRecord]] = []
    for span, record in found:
        if merged and merged[-1][0] != span and _continues(merged[-1][1], record):
            (start, _), last = merged[-1]
            parties = tuple(_unique((*last.parties, *record.parties[1:]), key=lambda m: m))
            provenance = replace(last.provenance, raw=cell[start : span[1]])
            others = (*last.other_dates, *record.other_dates)
            merged[-1] = ((start, span[1]), replace(last, provenance=provenance, parties=parties, other_dates=others))
        else:
            merged.append((span, record))
    return [record for _, record in merged]


def _continues(last: PartnershipRecord, record: PartnershipRecord) -> bool:
    """Same date, wording and remarks, and a new prefecture: the publisher split one member list.

    Groups without prefectures, or with the same one, are separate agreements that happen to share a date.
    """
    previous, first = last.parties[-1].prefecture, record.parties[1].prefecture
    same = (record.date, record.wording, record.summary) == (last.date, last.wording, last.summary)
    return same and record.date is not None and None not in (previous, first) and previous != first


def _common_row(line: str, cells: list[str], row: Row) -> tuple[list[PartnershipRecord], list[Problem]]:
    """A ``N市M町共通`` row: Gunma members in column 2, one multilateral agreement in column 3."""
    if len(cells) < 3:
        return [], [row.problem(line, f"{cells[0]} row needs its members and a partner cell")]
    gunma = cells[1].split()
    if not all(_MUNICIPALITY.fullmatch(name) for name in gunma):
        return [], [row.problem(cells[1], f"{cells[0]} members are not all municipality names")]
    cell = " ".join(cells[2:])
    try:
        members, label, events = parse_item(cell, row.section, name_separators="・、")
    except FragmentError as error:
        return [], [row.problem(cell, f"partner cell not read: {error}")]
    # The partner list usually repeats the Gunma members: keep each name once, first spelling wins.
    parties = list(_unique([Mention(name, prefecture=PREFECTURE) for name in gunma] + members, key=lambda m: m.name))
    return [row.record(cell, parties, event, [cells[0], label]) for event in events], []


def parse_item(fragment: str, section: Section, name_separators: str | None = None):
    """``(members, label, events)`` of one ``NAMES(DETAILS)`` fragment; raises FragmentError.

    >>> members, label, events = parse_item("本庄市・深谷市(埼玉県・H18.6.28 災害時における相互援助に関する協定)", "disaster")
    >>> [(m.name, m.prefecture) for m in members], label, events[0].date.iso
    ([('本庄市', '埼玉県'), ('深谷市', '埼玉県')], None, '2006-06-28')
    """
    if name_separators is None:
        # Foreign names use ・ between the words of one name (スノーイ・リバー町).
        name_separators = "" if section == "international" else "・"
    names_text, details = _split_parens(fragment)
    label, names = _split_names(names_text, name_separators)
    if section == "international":
        components, country, region, rest = foreign_places(details)
        if components:
            if len(names) > 1 or not all(components):
                raise FragmentError(f"member list not read: {'、'.join(components)!r}")
            label, names = names[0], components
        return [Mention(n, country=country, region=region, foreign=True) for n in names], label, events_of(rest)
    prefectures, rest = domestic_places(details)
    if len(prefectures) > 1 and len(prefectures) != len(names):
        raise FragmentError(f"{len(names)} names but {len(prefectures)} prefectures")
    if len(prefectures) <= 1:
        prefectures = [prefectures[0] if prefectures else None] * len(names)
    members = [Mention(n, prefecture=p) for n, p in zip(names, prefectures)]
    return members, label, events_of(rest)


def _split_parens(fragment: str) -> tuple[str, str]:
    """Names before the first top-level parenthesis and the text inside it."""
    depth, start = 0, None
    for i, ch in enumerate(fragment):
        if ch in _PARENS and depth == 0 and start is None:
            start = i
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth < 0:
                raise FragmentError("closing bracket without an opening one")
            if depth == 0 and start is not None:
                tail = fragment[i + 1 :].strip()
                if tail:
                    raise FragmentError(f"text after the closing parenthesis: {tail!r}")
                return fragment[:start].strip(), fragment[start + 1 : i]
    if depth:
        raise FragmentError("unbalanced brackets")
    return fragment.strip(), ""


def _split_names(text: str, separators: str) -> tuple[str | None, list[str]]:
    """Label (before a 【…】 list) and names, as written."""
    label = None
    if "【" in text:
        label, _, inner = text.partition("【")
        if not inner.endswith("】"):
            raise FragmentError(f"text after the 【】 list: {text!r}")
        text, separators, label = inner[:-1], "・", label.strip() or None
    names = [n.strip() for n in re.split(f"[{separators}]", text)] if separators else [text.strip()]
    if not all(re.search(r"\w", n) for n in names):
        raise FragmentError("no partner name" if len(names) == 1 else f"empty name in {text!r}")
    return label, names


def domestic_places(details: str) -> tuple[list[str], str]:
    """Leading prefectures of a DETAILS text (or one right after the date) and the rest.

    >>> domestic_places("兵庫県・神奈川県・H29.7.22 協定")
    (['兵庫県', '神奈川県'], 'H29.7.22 協定')
    >>> domestic_places("H9.4.18 埼玉県・大規模災害の相互援助に関する協定")
    (['埼玉県'], 'H9.4.18 大規模災害の相互援助に関する協定')
    """
    prefectures, rest = [], details.strip()
    while True:
        prefecture, after = split_prefecture(rest)
        if prefecture is None or not (after == "" or after[0] in _SEPARATORS + "「" or _lead_date(after)):
            break
        prefectures.append(prefecture)
        rest = after.lstrip(_SEPARATORS)
    lead = _lead_date(rest)
    if not prefectures and lead:
        # Some rows put the prefecture after the date: ``H9.4.18 埼玉県・…``.
        prefecture, after = split_prefecture(rest[lead[1] :].lstrip())
        if prefecture and after.startswith("・"):
            prefectures.append(prefecture)
            rest = f"{rest[: lead[1]]} {after[1:]}"
    return prefectures, rest


def foreign_places(details: str) -> tuple[list[str], str | None, str | None, str]:
    """``(components, country, region, rest)`` of a foreign partner's DETAILS.

    >>> foreign_places("オーストラリア連邦・クイーンズランド州・H8.4.17友好都市提携")
    ([], 'オーストラリア連邦', 'クイーンズランド州', 'H8.4.17友好都市提携')
    >>> foreign_places("ドイツ連邦共和国バーデン・ヴェルテンベルグ州・S37.10.11姉妹都市提携")[1:3]
    ('ドイツ連邦共和国バーデン・ヴェルテンベルグ州', None)
    """
    spans = split_top(details, "・")
    components: list[str] = []
    first = details[slice(*spans[0])] if spans else ""
    if "、" in first and not find_dates(first):
        # ``グレイターラファイエット(ラファイエット市、西ラファイエット市、ティピカヌー郡・…)``
        components, spans = [n.strip() for n in first.split("、")], spans[1:]
    n = next((i for i, (s, e) in enumerate(spans) if _lead_date(details[s:e])), None)
    if n is None:  # no date: the location is the first part, plus a region after a bare country
        n = min(1, len(spans))
        if len(spans) >= 2 and _bare_country(details[slice(*spans[0])]):
            n += details[slice(*spans[1])].endswith(_REGION_SUFFIXES)
    location, rest = spans[:n], details[spans[n][0] :] if n < len(spans) else ""
    if not location:
        return components, None, None, rest
    country, region = details[location[0][0] : location[-1][1]], None
    if len(location) > 1 and _bare_country(details[slice(*location[0])]):
        country, region = details[slice(*location[0])], details[location[1][0] : location[-1][1]]
    return components, country, region, rest


def _bare_country(text: str) -> bool:
    """A country with nothing after it: ``台湾``, ``オーストラリア連邦``, not ``ドイツ連邦共和国バーデン``."""
    return "国" not in text or text.endswith(("国", "連邦"))


def events_of(text: str) -> list[Event]:
    """Dated wordings of a DETAILS text (after the places); at least one event.

    >>> [(e.date.iso, e.wording) for e in events_of("S61.4.12 協定締結・H9.4.19 友好都市交流協定")]
    [('1986-04-12', '協定締結'), ('1997-04-19', '友好都市交流協定')]
    >>> [(e.date.iso, e.wording) for e in events_of("交流都市/中学生交流事業、H3~/フレンドシップ協定、R1.8.3")]
    [('1991', '交流都市/中学生交流事業'), ('2019-08-03', 'フレンドシップ協定')]
    """
    text = text.strip(_SEPARATORS)
    if not text:
        return [Event(None, None)]
    if _lead_date(text):
        # A new event starts at each top-level ・ followed by a date.
        groups: list[list[int]] = []
        for s, e in split_top(text, "・"):
            if _lead_date(text[s:e]) or not groups:
                groups.append([s, e])
            else:
                groups[-1][1] = e
        return [_dated_event(text[s:e]) for s, e in groups]
    return _trailing_events(text) or [_undated_event(text)]


def _dated_event(text: str) -> Event:
    """``DATE WORDING``; a later date in a trailing remark (``H9.4.1施行``) is an other date."""
    _, end, date = _lead_date(text)
    wording, remark = _split_remark(text[end:].lstrip(_SEPARATORS))
    others = tuple(d for _, _, d in find_dates(wording or ""))
    if wording and others:
        wording, trailing = _trailing_date_remark(wording)
        remark = "; ".join(r for r in (trailing, remark) if r) or None
    return Event(date, wording, remark, others)


def _trailing_events(text: str) -> list[Event]:
    """``WORDING、DATE[~]/WORDING、DATE`` (wording first); empty when the text is not so."""
    events, start = [], 0
    for s, e, date in find_dates(text):
        end = e + (text[e : e + 1] in _SPANS)
        if text[s - 1 : s] != "、" or (end < len(text) and text[end] != "/"):
            return []
        events.append(Event(date, text[start : s - 1].strip() or None))
        start = end + 1
    return events if events and start > len(text) else []


def _undated_event(text: str) -> Event:
    """Wording with no leading date; the first date inside that starts no period is the tie's."""
    wording, remark = _split_remark(text)
    dates = [(d, text[e : e + 1] in _SPANS) for _, e, d in find_dates(text)]
    date = next((d for d, span in dates if not span), None)
    return Event(date, wording, remark, tuple(d for d, _ in dates if d is not date))


def _split_remark(text: str) -> tuple[str | None, str | None]:
    """Split off trailing ``・…「facility」`` remarks: a quoted facility is not the tie's name."""
    spans = split_top(text, "・")
    if len(spans) > 1 and all("「" in text[s:e] for s, e in spans[1:]):
        return text[: spans[0][1]].strip(), text[spans[1][0] :]
    return text.strip() or None, None


def _trailing_date_remark(wording: str) -> tuple[str, str | None]:
    """Split ``…協定(R3.3.23再結成)`` or ``…協定 H9.4.1施行`` into wording and remark."""
    group = _TRAILING_GROUP.search(wording)
    if group and group.start() and find_dates(group[1]):
        return wording[: group.start()].rstrip(), group[1]
    head, _, last = wording.rpartition(" ")
    if head and find_dates(last):
        return head.rstrip(), last
    return wording, None


def _lead_date(text: str) -> tuple[int, int, PartialDate] | None:
    """The date a text starts with, unless it starts a period (``H1~3``)."""
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    dates = find_dates(stripped)
    if dates and dates[0][0] == 0 and stripped[dates[0][1] : dates[0][1] + 1] not in _SPANS:
        return offset, dates[0][1] + offset, dates[0][2]
    return None


def split_top(text: str, separators: str, spaces: bool = False) -> list[tuple[int, int]]:
    """Spans of the non-blank pieces of ``text`` between separators outside any brackets.

    >>> t = "萩市(山口県・H14)、姫路市・朝来市 南相馬市"
    >>> [t[s:e] for s, e in split_top(t, "、", spaces=True)]
    ['萩市(山口県・H14)', '姫路市・朝来市', '南相馬市']
    """
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text + "、"):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif (depth == 0 and (ch in separators or (spaces and ch.isspace()))) or i == len(text):
            piece = text[start:i]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                spans.append((start + lead, start + len(piece.rstrip())))
            start = i + 1
    return spans


def _unique(items, key):
    """Items in order, each key once."""
    seen = set()
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            yield item
