"""Long lists on pages: filtered, sorted and cut into pages of :data:`PER_PAGE` rows.

A page's data function gathers every row; the page shows one page of them,
chosen by query parameters: ``kind``, ``country``, ``decade``, ``source`` (ties)
or ``decade``, ``field`` (projects) filter, ``sort`` orders, ``page`` picks the
page. Projects take the same words with a ``p_`` prefix, so a page listing both
pages them apart. Each filter comes with its values and counts (facets), and every
link a listing draws is a query string on the page's own address.

>>> from endpoint.pages.views.common import Ref, When
>>> kind = Ref("http://x/def/kind/sister-city", "姉妹都市", "sister city")
>>> rows = [(None, SimpleTie(Ref(f"http://x/id/p/{n}", f"p{n}"), kind, When(f"{1950 + n}", "year"))) for n in range(150)]
>>> listing = ties_listing(rows, {"decade": "1990", "sort": "-date"})
>>> listing.total, listing.pages, [tie.date.value for _, tie in listing.rows][:2]
(10, 1, ['1999', '1998'])
>>> [(f.value, f.count) for f in listing.facets["decade"]][:2]
[('1950', 10), ('1960', 10)]
>>> ties_listing(rows, {"page": "2"}).rows[0][1].date.value, listing.url(page=None, decade=None)
('2050', '?sort=-date')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlencode

from endpoint.pages import fields

PER_PAGE = 100
"""Rows a page of a list shows: a page of 100 ties stays well under 200 KB."""


class SimpleTie(NamedTuple):
    """A tie with only what a listing reads (for examples)."""

    partnership: object
    kind: object
    date: object
    countries: tuple = ()
    sources: tuple = ()


@dataclass(frozen=True, slots=True)
class Facet:
    """One value a list can be filtered by, with how many rows have it."""

    value: str
    label: str
    count: int
    selected: bool
    en: str | None = None
    """The label in English, when there is one."""


@dataclass(frozen=True)
class Listing:
    """One page of a filtered, sorted list, with what a page needs to draw its controls."""

    rows: list
    total: int
    """Rows that pass the filters."""
    every: int
    """Rows before filtering."""
    page: int
    pages: int
    sort: str
    sorts: Sequence[tuple[str, str, str]]
    """``(value, Japanese, English)`` of each order offered."""
    facets: dict[str, list[Facet]]
    chosen: dict[str, str]
    """The list's own parameters as asked (filters, sort, page), without the prefix."""
    prefix: str = ""
    others: dict[str, str] = field(default_factory=dict)
    """The page's other parameters (another list's, ``lang``…), kept in every link."""
    per_page: int = PER_PAGE

    def param(self, name: str) -> str:
        return self.prefix + name

    def url(self, **changes: str | None) -> str:
        """The query string of this page with ``changes`` (None drops a parameter); a new
        filter or order starts again at page 1."""
        chosen = dict(self.chosen)
        if any(name != "page" for name in changes):
            chosen.pop("page", None)
        for name, value in changes.items():
            if value is None:
                chosen.pop(name, None)
            else:
                chosen[name] = value
        if chosen.get("page") == "1":
            chosen.pop("page")
        params = {**self.others, **{self.param(name): value for name, value in chosen.items()}}
        return "?" + urlencode(sorted(params.items())) if params else "?"

    def cleared(self) -> str:
        """The query string of this list without its filters."""
        return self.url(**dict.fromkeys(self.facets))

    @property
    def first(self) -> int:
        """Number of the first row shown (1-based; 0 when none)."""
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * self.per_page, self.total)


Key = Callable[[object], list[tuple]]
"""``(value, label)`` or ``(value, label, English label)`` of each value a row has for one facet."""


def _listing(
    rows: list, params: Mapping[str, str], *, facets: dict[str, Key], sorts: dict[str, tuple[str, str, Callable]],
    default_sort: str, prefix: str = "", per_page: int = PER_PAGE,
) -> Listing:
    own = {name: params[prefix + name] for name in [*facets, "sort", "page"] if params.get(prefix + name)}
    mine = {prefix + name for name in [*facets, "sort", "page"]}
    others = {name: value for name, value in params.items() if name not in mine and value}
    chosen_filters = {name: own[name] for name in facets if name in own}
    kept = [row for row in rows if all(value in {v for v, *_ in facets[name](row)} for name, value in chosen_filters.items())]
    counted: dict[str, list[Facet]] = {}
    for name, key in facets.items():
        # A facet counts the rows the other filters keep, so its counts say what choosing it gives.
        others_kept = [row for row in rows if all(
            value in {v for v, *_ in facets[other](row)} for other, value in chosen_filters.items() if other != name)]
        counts: Counter[str] = Counter()
        labels: dict[str, tuple] = {}
        for row in others_kept:
            for value, *label in {found[0]: found for found in key(row)}.values():
                counts[value] += 1
                labels.setdefault(value, label)
        counted[name] = [Facet(value, labels[value][0], counts[value], chosen_filters.get(name) == value,
                               labels[value][1] if len(labels[value]) > 1 else None)
                         for value in sorted(counts)]
    sort = own.get("sort") if own.get("sort") in sorts else default_sort
    kept.sort(key=sorts[sort][2])
    pages = max(1, -(-len(kept) // per_page))
    try:
        page = min(max(1, int(own.get("page", "1"))), pages)
    except ValueError:
        page = 1
    shown = kept[(page - 1) * per_page: page * per_page]
    return Listing(shown, len(kept), len(rows), page, pages, sort,
                   [(value, ja, en) for value, (ja, en, _) in sorts.items()], counted, own, prefix, others, per_page)


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _decade(when) -> list[tuple[str, str]]:
    if when is None or not when.value[:4].isdigit():
        return []
    decade = when.value[:3] + "0"
    return [(decade, f"{decade}s", f"{decade}s")]


def _dated(when, descending: bool = False):
    if when is None:
        return (1, "")
    if descending:
        return (0, "".join(chr(0x10FFFF - ord(c)) for c in when.value))
    return (0, when.value)


TIE_FACETS: dict[str, Key] = {
    "kind": lambda row: [(_local(row[1].kind.iri), row[1].kind.name, row[1].kind.en)] if row[1].kind else [],
    "country": lambda row: [(ref.code or _local(ref.iri), ref.name, ref.en) for ref in row[1].countries]
    or [("JP", "日本", "Japan")],
    "decade": lambda row: _decade(row[1].date),
    "source": lambda row: [(_local(ref.iri), ref.name) for ref in row[1].sources],
}


def _party_name(row) -> tuple:
    party = row[0]
    return (party.code or "", party.name) if party is not None else ("", "")


TIE_SORTS: dict[str, tuple[str, str, Callable]] = {
    "party": ("団体順", "by government", lambda row: (_party_name(row), _dated(row[1].date))),
    "date": ("古い順", "oldest first", lambda row: (_dated(row[1].date), row[1].partnership.name)),
    "-date": ("新しい順", "newest first", lambda row: (_dated(row[1].date, True), row[1].partnership.name)),
    "kind": ("種類順", "by kind", lambda row: (row[1].kind.name if row[1].kind else "~", _dated(row[1].date))),
    "name": ("名称順", "by name", lambda row: (row[1].partnership.name,)),
}


def ties_listing(rows: list[tuple], params: Mapping[str, str], *, default_sort: str = "date") -> Listing:
    """A page of ``(party, tie)`` rows: the party whose list it is (None on a party's own page) and its tie."""
    sorts = TIE_SORTS if any(party is not None for party, _ in rows) else {k: v for k, v in TIE_SORTS.items() if k != "party"}
    return _listing(rows, params, facets=TIE_FACETS, sorts=sorts, default_sort=default_sort)


PROJECT_FACETS: dict[str, Key] = {
    "field": lambda row: [(row.field, row.field, fields.english(row.field))] if row.field else [],
    "decade": lambda row: _decade(row.start),
    "ward": lambda row: [(row.ward.code or _local(row.ward.iri), row.ward.name, row.ward.en)] if row.ward else [],
}
PROJECT_SORTS: dict[str, tuple[str, str, Callable]] = {
    "ward": ("区順", "by ward", lambda row: ((row.ward.code or "") if row.ward else "~", _dated(row.start), row.project.name)),
    "date": ("古い順", "oldest first", lambda row: (_dated(row.start), row.project.name)),
    "-date": ("新しい順", "newest first", lambda row: (_dated(row.start, True), row.project.name)),
    "name": ("名称順", "by name", lambda row: (row.project.name,)),
}


def projects_listing(rows: list, params: Mapping[str, str]) -> Listing:
    """A page of projects (``p_`` parameters), :data:`PER_PAGE` / 4 to a page: their rows are longer."""
    return _listing(rows, params, facets=PROJECT_FACETS, sorts=PROJECT_SORTS, default_sort="ward", prefix="p_",
                    per_page=PER_PAGE // 4)


def member_rows(members) -> list[tuple]:
    """``(party, tie)`` rows of lists grouped by party (``party`` and ``ties`` attributes)."""
    return [(member.party, tie) for member in members for tie in member.ties]


def own_rows(ties) -> list[tuple]:
    """``(None, tie)`` rows of one party's own ties."""
    return [(None, tie) for tie in ties]


FACET_NAMES = {
    "kind": ("種類", "Kind"), "country": ("国", "Country"), "decade": ("年代", "Decade"),
    "source": ("出典", "Source"), "field": ("分野", "Field"), "ward": ("区", "Ward"), "type": ("種類", "Type"),
}


ROW_SORTS: dict[str, dict[str, tuple[str, str, Callable]]] = {
    "line": {"line": ("行順", "by line", lambda row: (row.line,))},
    "date": {
        "date": ("古い順", "oldest first", lambda row: (_dated(row.date), row.partnership.name)),
        "-date": ("新しい順", "newest first", lambda row: (_dated(row.date, True), row.partnership.name)),
    },
}
ROW_FACETS: dict[str, dict[str, Key]] = {"line": {}, "date": {"decade": lambda row: _decade(row.date)}}


def rows_listing(rows: list, params: Mapping[str, str], by: str) -> Listing:
    """A page of a plain list: a source's lines (``by="line"``) or dated partnerships (``by="date"``)."""
    sorts = ROW_SORTS[by]
    return _listing(rows, params, facets=ROW_FACETS[by], sorts=sorts, default_sort=next(iter(sorts)))
