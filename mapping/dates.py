"""Dates as Japanese sources write them, with their precision kept.

Handles Japanese eras in every form the sources use (``S40.6.18``, ``H1.10.27``,
``R3.4.1``, ``平成30.2.15``, ``昭和63年``, ``令和5年度``, ``平成元年度``) and
Western forms (``1986/6/13``, ``1995.6.13``, ``2006年5月22日``, ``2005年12月``,
``[2008年]``). A fiscal year (年度) starts on 1 April of its year.

>>> parse_date("H14.12.18")
PartialDate(year=2002, month=12, day=18, fiscal=False)
>>> parse_date("令和5年度").precision
'fiscal-year'
>>> parse_date("平成元年").year
1989
>>> [d.iso for _, _, d in find_dates("2005年12月釜山広域市と、[2008年]も")]
['2005-12', '2008']
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

Precision = Literal["day", "month", "year", "fiscal-year"]

# First Gregorian year of each era (era year 1) and the last era year in use.
ERAS: dict[str, tuple[int, int]] = {
    "明治": (1868, 45),
    "大正": (1912, 15),
    "昭和": (1926, 64),
    "平成": (1989, 31),
    "令和": (2019, 99),
}
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
EARLIEST_YEAR = 1868
LATEST_YEAR = 2100


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the day, the month, the year or the fiscal year.

    ``text`` keeps the string it was read from and takes no part in equality.
    """

    year: int
    month: int | None = None
    day: int | None = None
    fiscal: bool = False
    text: str = field(default="", compare=False)

    def __repr__(self) -> str:
        return (
            f"PartialDate(year={self.year}, month={self.month}, "
            f"day={self.day}, fiscal={self.fiscal})"
        )

    @property
    def precision(self) -> Precision:
        if self.fiscal:
            return "fiscal-year"
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def iso(self) -> str:
        """ISO 8601 form at the date's precision (a fiscal year gives its year).

        >>> parse_date("2005年12月").iso
        '2005-12'
        """
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def xsd_type(self) -> str:
        """Local name of the XML Schema datatype for :attr:`iso`."""
        if self.day is not None:
            return "date"
        if self.month is not None:
            return "gYearMonth"
        return "gYear"

    def interval(self) -> tuple[dt.date, dt.date]:
        """First and last day the date may stand for.

        >>> parse_date("令和5年度").interval()
        (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
        """
        if self.fiscal:
            return dt.date(self.year, 4, 1), dt.date(self.year + 1, 3, 31)
        if self.day is not None:
            day = dt.date(self.year, self.month, self.day)
            return day, day
        if self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            return dt.date(self.year, self.month, 1), dt.date(self.year, self.month, last)
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    def agrees_with(self, other: PartialDate) -> bool:
        """Whether both can be the same day (a day inside a stated year agrees).

        >>> parse_date("S63.10.25").agrees_with(parse_date("昭和63年度"))
        True
        >>> parse_date("H19.8.28").agrees_with(parse_date("H20.8.27"))
        False
        """
        a_first, a_last = self.interval()
        b_first, b_last = other.interval()
        return a_first <= b_last and b_first <= a_last

    def japanese(self) -> str:
        """The date written with its Japanese era, as documents do.

        >>> parse_date("2018-02-15").japanese()
        '平成30年2月15日'
        >>> parse_date("1989年度").japanese()
        '平成元年度'
        """
        era, era_year = _to_era(self)
        text = f"{era}{'元' if era_year == 1 else era_year}年"
        if self.fiscal:
            return text + "度"
        if self.month is not None:
            text += f"{self.month}月"
        if self.day is not None:
            text += f"{self.day}日"
        return text


def _to_era(date: PartialDate) -> tuple[str, int]:
    """Era and era year of a date; a year that spans two eras takes the later."""
    if date.precision in ("day", "month"):
        when = date.interval()[0]
    else:
        when = dt.date(date.year, 12, 31)
    era = "明治"
    for name, first_day in ERA_START_DAY.items():
        if first_day <= when:
            era = name
    return era, date.year - ERAS[era][0] + 1


ERA_START_DAY = {
    "明治": dt.date(1868, 1, 25),
    "大正": dt.date(1912, 7, 30),
    "昭和": dt.date(1926, 12, 25),
    "平成": dt.date(1989, 1, 8),
    "令和": dt.date(2019, 5, 1),
}

_NUM = r"(?:\d{1,2}|元)"
_PATTERN = re.compile(
    r"""
    (?P<era_letter>(?<![A-Za-z])[MTSHR])\s?(?P<ly>\d{1,2}|元)
        (?:\.(?P<lm>\d{1,2})(?:\.(?P<ld>\d{1,2}))?(?!\d)|\s?年(?P<lf>度)?)?(?![\d.])
  | (?P<era>明治|大正|昭和|平成|令和)\s?(?P<ey>"""
    + _NUM
    + r""")\s?
        (?:年\s?(?:(?P<em>\d{1,2})\s?月(?:\s?(?P<ed>\d{1,2})\s?日)?)?(?P<ef>度)?
          |\.(?P<edm>\d{1,2})(?:\.(?P<edd>\d{1,2}))?(?!\d))
  | (?<!\d)(?P<wy>\d{4})\s?年(?:\s?(?P<wm>\d{1,2})\s?月(?:\s?(?P<wd>\d{1,2})\s?日)?)?(?P<wf>度)?
  | (?<![\d./])(?P<sy>\d{4})(?P<sep>[/.\-])(?P<sm>\d{1,2})(?:(?P=sep)(?P<sd>\d{1,2}))?(?![\d])
    """,
    re.VERBOSE,
)


def _number(text: str) -> int:
    return 1 if text == "元" else int(text)


def _build(match: re.Match[str], text: str) -> PartialDate | None:
    groups = match.groupdict()
    if groups["era_letter"]:
        era = ERA_LETTERS[groups["era_letter"]]
        era_year, month, day = groups["ly"], groups["lm"], groups["ld"]
        fiscal = bool(groups["lf"])
    elif groups["era"]:
        era = groups["era"]
        era_year = groups["ey"]
        month = groups["em"] or groups["edm"]
        day = groups["ed"] or groups["edd"]
        fiscal = bool(groups["ef"])
    else:
        era = None
        if groups["wy"]:
            year, month, day, fiscal = int(groups["wy"]), groups["wm"], groups["wd"], bool(groups["wf"])
        else:
            year, month, day, fiscal = int(groups["sy"]), groups["sm"], groups["sd"], False
    if era is not None:
        start, last = ERAS[era]
        number = _number(era_year)
        if not 1 <= number <= last:
            return None
        year = start + number - 1
    if fiscal and month is not None:
        return None
    return _checked(year, month, day, fiscal, text)


def _checked(year: int, month: str | int | None, day: str | int | None, fiscal: bool, text: str) -> PartialDate | None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    m = int(month) if month is not None else None
    d = int(day) if day is not None else None
    if m is not None and not 1 <= m <= 12:
        return None
    if d is not None:
        try:
            dt.date(year, m, d)
        except ValueError:
            return None
    return PartialDate(year, m, d, fiscal, text)


def find_dates(text: str) -> list[tuple[int, int, PartialDate]]:
    """Every date in a free text, as ``(start, end, date)`` spans of ``text``.

    Spans refer to the text as given; width variants (full-width digits) are
    read through NFKC, which keeps string length for the characters involved.
    """
    folded = _fold(text)
    found = []
    for match in _PATTERN.finditer(folded):
        date = _build(match, text[match.start() : match.end()])
        if date is not None:
            found.append((match.start(), match.end(), date))
    return found


def parse_date(text: str) -> PartialDate | None:
    """The date a whole string states, or ``None`` if it is not exactly a date.

    Surrounding brackets, spaces and a trailing ``締結``/``提携`` are allowed.
    Never raises.

    >>> parse_date("[2008年締結]").iso
    '2008'
    >>> parse_date("—") is None
    True
    """
    if not isinstance(text, str):
        return None
    core = _fold(text).strip().strip("[]()（）【】").strip()
    core = re.sub(r"\s*(締結|提携|合意|現在|から)$", "", core)
    match = _PATTERN.fullmatch(core)
    if match is None:
        iso = _ISO.fullmatch(core)
        if iso is None:
            return None
        return _checked(int(iso["y"]), iso["m"], iso["d"], False, text)
    date = _build(match, text.strip())
    return date


_ISO = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?")


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """Width-fold digits and Latin letters one character at a time (length kept)."""
    return "".join(
        unicodedata.normalize("NFKC", ch) if len(unicodedata.normalize("NFKC", ch)) == 1 else ch
        for ch in text
    )
