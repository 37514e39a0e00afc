"""Dates as the sources write them: value, precision, interval, and what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from mapping.dates import ERA_LETTERS, ERA_START_DAY, ERAS, EARLIEST_YEAR, LATEST_YEAR, PartialDate, find_dates, parse_date

D = dt.date


# --- every form the sources use ---------------------------------------------


@pytest.mark.parametrize(
    "text, year, month, day, precision",
    [
        # era letter, dotted
        ("S40.6.18", 1965, 6, 18, "day"),
        ("H1.10.27", 1989, 10, 27, "day"),
        ("R3.4.1", 2021, 4, 1, "day"),
        ("H14.12.18", 2002, 12, 18, "day"),
        ("S40.6", 1965, 6, None, "month"),
        ("R3", 2021, None, None, "year"),
        ("H14年", 2002, None, None, "year"),
        ("H14年度", 2002, None, None, "fiscal-year"),
        # era name, dotted or with 年月日
        ("平成30.2.15", 2018, 2, 15, "day"),
        ("昭和63年", 1988, None, None, "year"),
        ("令和5年度", 2023, None, None, "fiscal-year"),
        ("平成元年度", 1989, None, None, "fiscal-year"),
        ("令和元年", 2019, None, None, "year"),
        ("平成6年度", 1994, None, None, "fiscal-year"),
        ("平成14年7月", 2002, 7, None, "month"),
        ("昭和60年5月21日", 1985, 5, 21, "day"),
        ("明治元年", 1868, None, None, "year"),
        ("大正15年", 1926, None, None, "year"),
        ("平成 14 年 1 月 1 日", 2002, 1, 1, "day"),
        # Western
        ("1986/6/13", 1986, 6, 13, "day"),
        ("1995.6.13", 1995, 6, 13, "day"),
        ("2006年5月22日", 2006, 5, 22, "day"),
        ("2005年12月", 2005, 12, None, "month"),
        ("[2008年]", 2008, None, None, "year"),
        ("1989年度", 1989, None, None, "fiscal-year"),
        ("2006.05", 2006, 5, None, "month"),
        # ISO as dumps write it
        ("2005", 2005, None, None, "year"),
        ("2005-12", 2005, 12, None, "month"),
        ("2005-12-01", 2005, 12, 1, "day"),
        # full-width digits and letters
        ("２００６年５月２２日", 2006, 5, 22, "day"),
        ("Ｈ１４．１２．１８", 2002, 12, 18, "day"),
        ("平成３０．２．１５", 2018, 2, 15, "day"),
        ("令和５年度", 2023, None, None, "fiscal-year"),
        # surrounding brackets and a concluding word
        ("(2006年)", 2006, None, None, "year"),
        ("（平成14年7月）", 2002, 7, None, "month"),
        ("2006年5月22日締結", 2006, 5, 22, "day"),
        ("[2008年締結]", 2008, None, None, "year"),
    ],
)
def test_forms_the_sources_use(text, year, month, day, precision):
    date = parse_date(text)
    assert date is not None, text
    assert (date.year, date.month, date.day, date.precision) == (year, month, day, precision)
    assert date.fiscal == (precision == "fiscal-year")


def test_text_is_kept_but_not_compared():
    date = parse_date("Ｈ１４．１２．１８")
    assert date.text == "Ｈ１４．１２．１８"
    assert date == parse_date("2002-12-18")
    assert parse_date("平成14年12月18日").text == "平成14年12月18日"


@pytest.mark.parametrize(
    "text, iso, xsd",
    [("S40.6.18", "1965-06-18", "date"), ("2005年12月", "2005-12", "gYearMonth"),
     ("[2008年]", "2008", "gYear"), ("令和5年度", "2023", "gYear"), ("H1.1.8", "1989-01-08", "date")],
)
def test_iso_and_xsd_type(text, iso, xsd):
    date = parse_date(text)
    assert (date.iso, date.xsd_type) == (iso, xsd)


# --- what is refused ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "H31.2.30",  # no 30 February
        "2005/2/29",  # not a leap year
        "平成32年",  # 平成 ended in its 31st year
        "昭和65年",  # 昭和 ended in its 64th year
        "大正16年",
        "明治46年",
        "令和0年",
        "H0.1.1",
        "2005/13",  # no 13th month
        "2005年13月",
        "2005年12月32日",
        "S40.0.1",
        "1867年",  # before the earliest year
        "2101年",  # after the latest year
        "令和99年",  # in era range but after the latest year
        "2005年4月度",  # a fiscal year has no month
        "平成14年7月度",
        "—",
        "",
        "   ",
        "未定",
        "H14.12.18頃に",  # not exactly a date
        "12/18",
        "2005-1-1x",
    ],
)
def test_impossible_or_non_dates_are_refused(text):
    assert parse_date(text) is None


def test_leap_day_is_accepted():
    assert parse_date("2004/2/29") == PartialDate(2004, 2, 29)
    assert parse_date("H12.2.29") == PartialDate(2000, 2, 29)
    assert parse_date("1900/2/29") is None


def test_last_years_of_each_era_are_accepted():
    # The era years that run into the next era's first Gregorian year.
    assert parse_date("昭和64年").year == 1989
    assert parse_date("平成31年").year == 2019
    assert parse_date("大正15年").year == 1926
    assert parse_date("明治45年").year == 1912
    for era, (first, last) in ERAS.items():
        year = first + last - 1
        if year <= LATEST_YEAR:
            assert parse_date(f"{era}{last}年").year == year
        assert parse_date(f"{era}{last + 1}年") is None


def test_non_strings_are_refused_not_raised():
    assert parse_date(None) is None
    assert parse_date(2005) is None


# --- interval and agreement -----------------------------------------------------


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("令和5年度", D(2023, 4, 1), D(2024, 3, 31)),  # 年度 runs from 1 April
        ("平成元年度", D(1989, 4, 1), D(1990, 3, 31)),
        ("2005年12月", D(2005, 12, 1), D(2005, 12, 31)),
        ("2004年2月", D(2004, 2, 1), D(2004, 2, 29)),
        ("2005年2月", D(2005, 2, 1), D(2005, 2, 28)),
        ("[2008年]", D(2008, 1, 1), D(2008, 12, 31)),
        ("S40.6.18", D(1965, 6, 18), D(1965, 6, 18)),
    ],
)
def test_interval(text, first, last):
    assert parse_date(text).interval() == (first, last)


@pytest.mark.parametrize(
    "a, b, agree",
    [
        ("S63.10.25", "昭和63年度", True),
        ("H19.8.28", "H20.8.27", False),
        ("2024/3/31", "令和5年度", True),  # last day of the fiscal year
        ("2024/4/1", "令和5年度", False),  # first day of the next
        ("2023/3/31", "令和5年度", False),
        ("2023/4/1", "令和5年度", True),
        ("2024/2/1", "2023年", False),  # in fiscal 2023, but not in calendar 2023
        ("2024年", "令和5年度", True),  # the years overlap from January to March
        ("2005年12月", "2005/12/31", True),
        ("2005年12月", "2006/1/1", False),
        ("平成元年", "昭和64年", True),  # both are 1989
    ],
)
def test_agrees_with(a, b, agree):
    first, second = parse_date(a), parse_date(b)
    assert first.agrees_with(second) is agree
    assert second.agrees_with(first) is agree


# --- the Japanese form ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, japanese",
    [
        ("2018-02-15", "平成30年2月15日"),
        ("1989年度", "平成元年度"),
        ("1989/1/7", "昭和64年1月7日"),  # last day of 昭和
        ("1989/1/8", "平成元年1月8日"),  # first day of 平成
        ("2019/4/30", "平成31年4月30日"),
        ("2019/5/1", "令和元年5月1日"),
        ("2019年", "令和元年"),  # a year spanning two eras takes the later
        ("1989年", "平成元年"),
        ("2019年4月", "平成31年4月"),
        ("1926年12月", "大正15年12月"),
        ("2019年度", "令和元年度"),
        ("S40.6.18", "昭和40年6月18日"),
    ],
)
def test_japanese(text, japanese):
    assert parse_date(text).japanese() == japanese


# --- dates in free text ---------------------------------------------------------


def test_find_dates_spans():
    text = "2005年12月釜山広域市と、[2008年]も"
    found = find_dates(text)
    assert [(text[start:end], date.iso) for start, end, date in found] == [("2005年12月", "2005-12"), ("2008年", "2008")]


def test_find_dates_spans_refer_to_the_text_as_given():
    text = "協定締結（Ｈ１４．１２．１８）、見直しは平成１６年度"
    found = find_dates(text)
    assert [(text[start:end], date.precision) for start, end, date in found] == [
        ("Ｈ１４．１２．１８", "day"), ("平成１６年度", "fiscal-year")]
    assert [date for _, _, date in found] == [PartialDate(2002, 12, 18), PartialDate(2004, fiscal=True)]


def test_find_dates_mixed_forms():
    text = "S56.7.1姉妹都市提携、1986/6/13に覚書、令和元年度から交流、2006年5月22日締結"
    assert [d.iso + "/" + d.precision for _, _, d in find_dates(text)] == [
        "1981-07-01/day", "1986-06-13/day", "2019/fiscal-year", "2006-05-22/day"]


def test_find_dates_skips_impossible_dates_and_non_dates():
    text = "H31.2.30に予定、平成32年、電話03-1234-5678、No.12、ABS40.1.1、H14.12.18"
    assert [d.iso for _, _, d in find_dates(text)] == ["2002-12-18"]


def test_find_dates_does_not_take_a_letter_inside_a_word():
    assert find_dates("CHS40") == []
    assert [d.iso for _, _, d in find_dates("(S40)")] == ["1965"]


def test_find_dates_on_nothing():
    assert find_dates("") == []
    assert find_dates("姉妹都市提携") == []


# --- properties -----------------------------------------------------------------


def _round_trips(date: PartialDate) -> None:
    assert parse_date(date.japanese()) == date, date.japanese()
    if not date.fiscal:
        assert parse_date(date.iso) == date, date.iso
    assert date.interval()[0] <= date.interval()[1]
    assert date.agrees_with(date)


@settings(max_examples=500, deadline=None)
@given(st.text())
@example("H31.2.30")
@example("平成元年度")
@example("０")
@example("٢٠٠٥年")
def test_parse_date_never_raises_and_round_trips(text):
    date = parse_date(text)
    if date is not None:
        assert EARLIEST_YEAR <= date.year <= LATEST_YEAR
        _round_trips(date)


DATE_CHARS = st.sampled_from(list("0123456789０１２３４５６７８９./-年月日度元 []()MTSHR明治大正昭和平成令和締結"))


@settings(max_examples=500, deadline=None)
@given(st.text() | st.text(DATE_CHARS, max_size=20))
@example("S40.6.18、H1.10.27")
def test_find_dates_never_raises_and_spans_hold(text):
    found = find_dates(text)
    previous_end = 0
    for start, end, date in found:
        assert previous_end <= start < end <= len(text)
        previous_end = end
        # The span read on its own states the same date.
        assert parse_date(text[start:end]) == date, text[start:end]
        _round_trips(date)


@settings(max_examples=1000, deadline=None)
@given(
    era=st.sampled_from(sorted(ERAS) + sorted(ERA_LETTERS)),
    year=st.integers(0, 100) | st.just("元"),
    month=st.none() | st.integers(0, 13),
    day=st.none() | st.integers(0, 32),
    style=st.sampled_from(["dots", "kanji", "fiscal"]),
    full_width=st.booleans(),
)
def test_era_forms_round_trip(era, year, month, day, style, full_width):
    if style == "dots":
        text = f"{era}{year}" + (f".{month}" if month is not None else "") + (
            f".{day}" if month is not None and day is not None else "")
    elif style == "kanji":
        text = f"{era}{year}年" + (f"{month}月" if month is not None else "") + (
            f"{day}日" if month is not None and day is not None else "")
    else:
        text = f"{era}{year}年度"
    if full_width:
        text = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789."})
    date = parse_date(text)
    name = ERA_LETTERS.get(era, era)
    number = 1 if year == "元" else year
    first, last = ERAS[name]
    expected_year = first + number - 1
    valid = 1 <= number <= last and EARLIEST_YEAR <= expected_year <= LATEST_YEAR
    if style != "fiscal" and month is not None:
        valid = valid and 1 <= month <= 12
        if day is not None and valid:
            try:
                D(expected_year, month, day)
            except ValueError:
                valid = False
    # Not forms the sources use: H14年7月, and a bare 平成30 without 年 or a month.
    assume(not (style == "kanji" and era in ERA_LETTERS and month is not None))
    assume(not (style == "dots" and era in ERAS and month is None))
    if not valid:
        assert date is None, text
        return
    assert date is not None, text
    assert date.year == expected_year
    assert date.fiscal == (style == "fiscal")
    if style != "fiscal":
        assert date.month == month
        assert date.day == (day if month is not None else None)
    _round_trips(date)


def test_era_start_days_are_in_their_first_year():
    for era, first_day in ERA_START_DAY.items():
        assert first_day.year == ERAS[era][0]
        assert PartialDate(first_day.year, first_day.month, first_day.day).japanese().startswith(era + "元年")
        before = first_day - dt.timedelta(days=1)
        if era != "明治":  # days before 明治's first day are still written in 明治
            assert not PartialDate(before.year, before.month, before.day).japanese().startswith(era)
