"""Parser for the list of agreements other than sister cities (``agreement-tsv``).

Tab-separated, six cells: 自治体名, 協定名, 協定締結先(国・地域名/都市名), 分野,
概要(骨子、締結年等), URL. Title, as-of line and header repeat on every page.
The partner cell is free-form (``韓国/釜山広域市``, ``中国 大連市``,
``香港(香港貿易発展局)``, lists with or without a country per item) and the
agreement date sits somewhere in the summary's free text.

>>> result = parse(["自治体名\\t協定名\\t協定締結先(国・地域名/都市名)\\t分野\\t概要(骨子、締結年等)\\tURL",
...                 "札幌市\\t覚書\\t韓国/釜山広域市\\t経済\\t相互協力[2008年]\\t"], "doc")
>>> record = result.records[0]
>>> [(p.name, p.country) for p in record.parties], record.date.iso, record.url
([('札幌市', None), ('釜山広域市', '韓国')], '2008', None)
"""

from __future__ import annotations

import csv
import dataclasses
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from mapping.dates import PartialDate, find_dates, parse_date
from mapping.errors import InputError
from mapping.paths import default_data_dir
from mapping.parsers._rows import problem, provenance, tab_cells
from mapping.records import Mention, ParseResult, PartnershipRecord, Provenance, StructuralKind

CELLS = 6
HEADER_FIRST_CELL = "自治体名"
# Country names as Japanese lists write them (``data/curated/list-countries.csv``, each with
# its reason). Only used to tell a country written before a space or a parenthesis
# (``中国 大連市``, ``香港(…)``) or alone in a list (``…、シンガポール、…``) from the name of a partner.


@cache
def _country_names(path: Path | None = None) -> frozenset[str]:
    """The ``name`` column of the table; a missing table or column is an error naming the file.

    >>> "タイ王国" in _country_names()
    True
    """
    path = path or default_data_dir() / "data" / "curated" / "list-countries.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise InputError(f"{path}: curated table not found") from None
    if not rows or "name" not in rows[0]:
        raise InputError(f"{path}:1: missing column(s) name")
    return frozenset(row["name"].strip() for row in rows if row["name"].strip())


# Words saying the tie was concluded; a date shortly before one of them is the agreement's.
_KEYWORD = re.compile(r"締結|提携|調印|合意|署名")
# The same words as a label in front of a date: ``締結年:2008年``, ``[調印日 2007年5月3日]``.
_LABEL = re.compile(r"(?:締結|提携|調印|合意|署名)(?:年月日|年|日)\s*[:：]?\s*$")
# At most this many characters between a date and the word that makes it the agreement's.
MAX_GAP = 20
_SAME_YEAR = re.compile(r"同年\s?(\d{1,2})\s?月(?:\s?(\d{1,2})\s?日)?")
_QUOTE = re.compile(r"「([^」]+)」")
_OPENERS, _CLOSERS = "([（「『【［", ")]）」』】］"
# The URL cell sometimes says there is none.
NO_URL = frozenset({"-", "－", "—", "無し", "なし", "無"})

Found = tuple[int, int, PartialDate]


def parse(lines: Sequence[str], source_id: str) -> ParseResult:
    """Records, problems and structural lines of the whole file."""
    result = ParseResult(source_id)
    titles: set[str] = set()
    header_seen = False
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        where = provenance(source_id, lines, number)
        cells = tab_cells(line)
        if cells[0] == HEADER_FIRST_CELL:
            result.structural[number] = "header"
            header_seen = True
        elif len(cells) == 1:
            kind = _untabbed_kind(text, titles, header_seen)
            if kind is None:
                result.problems.append(problem(where, "line without tab-separated cells"))
            else:
                result.structural[number] = kind
        else:
            _read_row(where, cells, result)
    return result


def _untabbed_kind(text: str, titles: set[str], header_seen: bool) -> StructuralKind | None:
    """``as-of`` for a ``…現在`` date line, ``title`` for the title and its repeats.

    >>> _untabbed_kind("平成28年9月現在 (地方自治体からの提供)", set(), False)
    'as-of'
    """
    if "現在" in text and find_dates(text):
        return "as-of"
    if not header_seen:
        titles.add(text)
    return "title" if text in titles else None


def _read_row(where: Provenance, cells: list[str], result: ParseResult) -> None:
    """Add the row's record, or a problem naming the line, to ``result``."""
    if len(cells) != CELLS:
        result.problems.append(problem(where, f"expected {CELLS} tab-separated cells, found {len(cells)}"))
        return
    municipality, title, partner, field, summary, url = cells
    missing = [name for name, cell in (("自治体名", municipality), ("協定締結先", partner)) if not cell]
    if missing:
        result.problems.append(problem(where, f"empty {'/'.join(missing)}"))
        return
    date, other_dates = agreement_date(summary, title)
    result.records.append(
        PartnershipRecord(
            where,
            japanese_parties(municipality) + partner_mentions(partner),
            wording=title or None,
            date=date,
            title=title or None,
            field=field or None,
            summary=summary or None,
            url=None if not url or url in NO_URL else url,
            other_dates=other_dates,
        )
    )


def japanese_parties(cell: str) -> tuple[Mention, ...]:
    """The reporting governments, each verbatim (prefix kept, prefecture not split off).

    >>> [p.name for p in japanese_parties("熊本県 熊本県熊本市")]
    ['熊本県', '熊本県熊本市']
    >>> [p.name for p in japanese_parties("神奈川県・山梨県・静岡県")]
    ['神奈川県', '山梨県', '静岡県']
    """
    return tuple(Mention(name) for name in re.split(r"[・、\s]+", cell) if name)


# --- partners -----------------------------------------------------------------


def partner_mentions(cell: str) -> tuple[Mention, ...]:
    """The partners a cell names; an item without a country takes the last one written.

    >>> [(p.name, p.country) for p in partner_mentions("台湾/高雄市、台北縣")]
    [('高雄市', '台湾'), ('台北縣', '台湾')]
    >>> [(p.name, p.country) for p in partner_mentions("中国/香港、シンガポール、タイ/バンコク")]
    [('香港', '中国'), ('シンガポール', 'シンガポール'), ('バンコク', 'タイ')]
    >>> [(p.name, p.country) for p in partner_mentions("ベトナム社会主義共和国(農業農村開発省)")]
    [('農業農村開発省', 'ベトナム社会主義共和国')]
    """
    mentions: list[Mention] = []
    country: str | None = None
    for item in list_items(cell):
        mention = _partner(item, country)
        country = mention.country
        mentions.append(mention)
    return tuple(mentions)


def list_items(cell: str) -> list[str]:
    """Items of a ``、`` list, not split inside brackets; ``A、B及びC`` gives three.

    A cell whose items would start with a number is a description of counts
    (ICLEI's ``世界85カ国、1,000以上の自治体``), not a list.

    >>> list_items("中国/湖北省3館(武昌起義記念館、辛亥革命博物館)")
    ['中国/湖北省3館(武昌起義記念館、辛亥革命博物館)']
    >>> list_items("世界85カ国、1,000以上の自治体 (2014年4月現在)")
    ['世界85カ国、1,000以上の自治体 (2014年4月現在)']
    >>> list_items("A庁、B大学及びC機構")
    ['A庁', 'B大学', 'C機構']
    """
    items, depth, start = [], 0, 0
    for index, char in enumerate(cell):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
        elif char == "、" and depth == 0:
            items.append(cell[start:index])
            start = index + 1
    items.append(cell[start:])
    items = [item.strip() for item in items if item.strip()]
    if any(item[0].isdigit() for item in items):
        return [cell.strip()]
    if len(items) > 1 and "及び" in items[-1]:
        items[-1:] = [part.strip() for part in items[-1].split("及び") if part.strip()]
    return items


def _partner(item: str, inherited: str | None) -> Mention:
    """One partner: ``country/name``, ``country name``, ``country(name)``, a country, or a name.

    >>> _partner("ベトナム ホーチミン市", None)
    Mention(name='ホーチミン市', prefecture=None, country='ベトナム', region=None, foreign=True)
    >>> _partner("タイ国政府観光庁", None).country is None
    True
    """
    for slash in ("/", "／"):
        if slash in item:
            country, name = (part.strip() for part in item.split(slash, 1))
            return Mention(name or country, country=country or inherited, foreign=True)
    bracketed = re.fullmatch(r"(?P<country>[^\s(（]+)\s*[(（](?P<name>.+)[)）]", item)
    if bracketed and bracketed["country"] in _country_names():
        return Mention(bracketed["name"].strip(), country=bracketed["country"], foreign=True)
    head, _, rest = item.partition(" ")
    if head in _country_names() and rest.strip():
        return Mention(rest.strip(), country=head, foreign=True)
    if item in _country_names():
        # Only the country is named: it stands for the partner, and is its country.
        return Mention(item, country=item, foreign=True)
    # Everything in this list is abroad, even where no country is written.
    return Mention(item, country=inherited, foreign=True)


# --- dates --------------------------------------------------------------------


def agreement_date(summary: str, title: str = "") -> tuple[PartialDate | None, tuple[PartialDate, ...]]:
    """The agreement's date in a summary, and the summary's other dates.

    In order of preference: the date in the sentence that quotes the
    agreement's name, the date closest before 締結/提携/調印/合意/署名 (or
    labelled by one), the first date in brackets, the first date.

    >>> date, others = agreement_date("2005年にオープンし、2006年6月に慶尚南道と交流趣意書に調印した。")
    >>> date.iso, [d.iso for d in others]
    ('2006-06', ['2005'])
    >>> agreement_date("[2005年11月2日、2005年11月4日]")[0].iso
    '2005-11-02'
    """
    found = dates_in(summary)
    if not found:
        return None, ()
    chosen = (
        _quoted_title_date(summary, title, found)
        or _keyword_date(summary, found)
        or next((f for f in found if _in_brackets(summary, f[0])), None)
        or found[0]
    )
    return chosen[2], tuple(f[2] for f in found if f is not chosen)


def dates_in(text: str) -> list[Found]:
    """:func:`find_dates` plus ``同年N月`` (same year as the date before it).

    >>> [d.iso for _, _, d in dates_in("2010年に訪問し、同年10月に締結")]
    ['2010', '2010-10']
    """
    found = find_dates(text)
    for match in _SAME_YEAR.finditer(text):
        before = [f for f in found if f[1] <= match.start()]
        if not before:
            continue
        year = before[-1][2].year
        day = f"{match[2]}日" if match[2] else ""
        date = parse_date(f"{year}年{match[1]}月{day}")
        if date is not None:
            found.append((match.start(), match.end(), dataclasses.replace(date, text=match.group())))
    return sorted(found, key=lambda f: f[0])


def _quoted_title_date(summary: str, title: str, found: list[Found]) -> Found | None:
    """The last date before a 「quotation」 of the agreement's name, in the same sentence."""
    name = title.strip("「」 ")
    for quote in _QUOTE.finditer(summary):
        if len(quote[1]) < 6 or not name.startswith(quote[1]):
            continue
        before = [f for f in found if f[1] <= quote.start() and "。" not in summary[f[1] : quote.start()]]
        if before:
            return before[-1]
    return None


def _keyword_date(summary: str, found: list[Found]) -> Found | None:
    """The date with the fewest characters before a concluding word (first on a tie)."""
    best: tuple[int, Found] | None = None
    for index, current in enumerate(found):
        gap = _keyword_gap(summary, current, found[index + 1 :])
        if gap is not None and (best is None or gap < best[0]):
            best = (gap, current)
    return best[1] if best else None


def _keyword_gap(summary: str, current: Found, later: list[Found]) -> int | None:
    """Characters between a date and the concluding word after it (0 when labelled by one).

    The word must come before the next date and the end of the sentence.
    """
    start, end, _ = current
    if _LABEL.search(summary[:start]):
        return 0
    stop = min([f[0] for f in later] + [end + MAX_GAP + 2, len(summary)])
    window = summary[end:stop].split("。")[0]
    match = _KEYWORD.search(window)
    return match.start() if match and match.start() <= MAX_GAP else None


def _in_brackets(text: str, position: int) -> bool:
    """Whether ``position`` is inside ``[…]``.

    >>> _in_brackets("相互協力[2008年]", 5)
    True
    """
    before = text[:position]
    opened = max(before.rfind("["), before.rfind("［"))
    return opened > max(before.rfind("]"), before.rfind("］"))
