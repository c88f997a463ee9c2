"""Dates read as their writer meant: timestamps written by Babel (the oracle) in the patterns
the platforms and Excel use, read back exactly by the date parser; month names of every
language TikTok Studio writes; year-less dates given back their year."""

from datetime import date, datetime, timedelta

import pandas as pd
from babel.dates import format_date, format_datetime
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.data.sources.values import _fixed_width, month_day, parse_dates, yearless

# Babel's pattern for each format the exports write, and how much of the time it keeps
WRITTEN = {
    "yyyy-MM-dd": "day",
    "yyyy-MM-dd'T'HH:mm:ss": "second",
    "yyyy-MM-dd HH:mm:ss": "second",
    "yyyy-MM-dd HH:mm": "minute",
    "yyyyMMdd": "day",
    "yyyy/MM/dd": "day",
    "yyyy/MM/dd HH:mm:ss": "second",
    "MM/dd/yyyy HH:mm": "minute",
    "MM/dd/yyyy hh:mm:ss a": "second",
    "M/d/yyyy": "day",
    "dd.MM.yyyy HH:mm": "minute",
    "dd.MM.yyyy": "day",
    "EEE, MMM d, yyyy": "day",
    "MMM d, yyyy": "day",
    "d MMM yyyy": "day",
    "MMMM d, yyyy": "day",
    "d MMMM yyyy": "day",
}
moments = st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2026, 11, 30, 23, 59, 59))


def kept(moment: datetime, precision: str) -> datetime:
    if precision == "day":
        return datetime(moment.year, moment.month, moment.day)
    return moment.replace(microsecond=0, second=moment.second if precision == "second" else 0)


@settings(max_examples=150, deadline=None)
@given(pattern=st.sampled_from(sorted(WRITTEN)), column=st.lists(moments, min_size=1, max_size=8))
def test_timestamps_babel_writes_in_each_export_pattern_are_read_back_exactly(pattern, column):
    texts = pd.Series([format_datetime(m, pattern, locale="en_US") for m in column], dtype=object)
    values, bad = parse_dates(texts)
    assert bad is None, (pattern, list(texts))
    assert list(values) == [pd.Timestamp(kept(m, WRITTEN[pattern])) for m in column]


@settings(max_examples=100, deadline=None)
@given(column=st.lists(moments, min_size=1, max_size=8), day_first=st.booleans())
def test_day_first_or_month_first_is_told_by_a_day_above_12_else_by_the_hint(column, day_first):
    """A column of 05/10/2026 alone is read as the hint says (month first by default); one
    day above 12 in any row settles it for the whole column."""
    pattern = "dd/MM/yyyy" if day_first else "MM/dd/yyyy"
    texts = pd.Series([format_date(m, pattern, locale="en_GB") for m in column], dtype=object)
    values, bad = parse_dates(texts, day_first=day_first)
    assert bad is None and list(values) == [pd.Timestamp(kept(m, "day")) for m in column]
    if day_first and any(m.day > 12 for m in column):
        told, _ = parse_dates(texts)  # no hint: the values alone tell
        assert list(told) == list(values)


def test_an_ambiguous_slash_column_without_a_hint_is_month_first():
    values, bad = parse_dates(pd.Series(["05/10/2026", "11/12/2026"], dtype=object))
    assert bad is None and list(values) == [pd.Timestamp("2026-05-10"), pd.Timestamp("2026-11-12")]


def test_an_unreadable_date_is_named_by_its_row():
    values, bad = parse_dates(pd.Series(["2026-10-01", None, "2026-10-03", "soon"], dtype=object))
    assert bad == 3 and values.isna().all()


def test_zoned_iso_timestamps_are_converted_to_utc_and_excel_serial_days_read():
    zoned, bad = parse_dates(pd.Series(["2026-10-25T01:30:00+02:00", "2026-10-25T02:30:00Z"], dtype=object))
    assert bad is None and list(zoned) == [pd.Timestamp("2026-10-24 23:30"), pd.Timestamp("2026-10-25 02:30")]
    serial, bad = parse_dates(pd.Series(["46000", "46000.5"], dtype=object))  # 46000: 2025-12-09
    assert bad is None and list(serial) == [pd.Timestamp("2025-12-09"), pd.Timestamp("2025-12-09 12:00")]


# the languages TikTok Studio writes its month names in (values._MONTHS)
LANGUAGES = ["en", "sv", "fr", "de", "es", "it", "pt", "nl", "ru", "bg", "pl", "tr", "id"]
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31))


@settings(max_examples=200, deadline=None)
@given(day=days, language=st.sampled_from(LANGUAGES), width=st.sampled_from(["MMMM", "MMM"]))
def test_a_day_and_month_name_in_any_language_is_read_back(day, language, width):
    for pattern in (f"d {width}", f"{width} d"):
        text = format_date(day, pattern, locale=language)
        assert month_day(text) == (day.month, day.day), (language, text)


def test_chinese_and_japanese_month_days_are_read_and_nonsense_is_not():
    assert month_day("9月13日") == (9, 13)
    assert month_day("Smarch 13") is None and month_day("13") is None


@settings(max_examples=100, deadline=None)
@given(last=st.dates(min_value=date(2024, 3, 1), max_value=date(2026, 11, 30)), gaps=st.lists(st.integers(0, 40)))
def test_year_less_dates_get_back_their_year_walking_backwards(last, gaps):
    """Oldest first, less than a year between neighbours and before the download day: each
    date gets its year back (29 February included when the year has one)."""
    column = [last]
    for gap in gaps:
        column.insert(0, column[0] - timedelta(days=gap))
    texts = [format_date(d, "MMMM d", locale="en") for d in column]
    download = last + timedelta(days=3)
    assert yearless(texts, download) == column


FIXED = ["%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d %H:%M:%S"]
FIELD = {"%Y": (1990, 2040), "%m": (0, 13), "%d": (0, 32), "%H": (0, 24), "%M": (0, 60), "%S": (0, 60)}


@st.composite
def fixed_texts(draw, fmt: str) -> str:
    """A text in `fmt` with every field at its full width, sometimes out of range (month 13,
    30 February, hour 24): strptime refuses those."""
    text = fmt
    for field, (low, high) in FIELD.items():
        text = text.replace(field, str(draw(st.integers(low, high))).zfill(4 if field == "%Y" else 2))
    return text


@settings(max_examples=200, deadline=None)
@given(data=st.data(), fmt=st.sampled_from(FIXED))
def test_fixed_width_times_read_by_arithmetic_are_what_strptime_reads(data, fmt):
    """strptime (pandas' to_datetime with the format) is the oracle: when it reads every
    value, the arithmetic reads the same times; when it refuses one, the arithmetic gives
    up and leaves the column to it."""
    texts = data.draw(st.lists(fixed_texts(fmt), min_size=1, max_size=6))
    expected = pd.to_datetime(pd.Series(texts), format=fmt, errors="coerce")
    read = _fixed_width(texts, fmt)
    if expected.notna().all():
        assert read is not None and list(read) == list(expected)
    else:
        assert read is None


def test_fixed_width_reads_leap_seconds_as_strptime_does_and_refuses_what_it_refuses():
    fmt = "%Y/%m/%d %H:%M:%S"
    texts = ["1990/01/01 00:00:60", "1990/01/01 23:59:61"]
    assert list(_fixed_width(texts, fmt)) == list(pd.to_datetime(pd.Series(texts), format=fmt))
    assert list(_fixed_width(texts, fmt)) == [pd.Timestamp("1990-01-01 00:01:00"), pd.Timestamp("1990-01-02 00:00:01")]
    for wrong in ("1990/01/01 00:00:62", "1990/01/01 00:60:00", "1990/01/01 24:00:00", "1990/02/30 00:00:00"):
        assert _fixed_width([wrong], fmt) is None


def test_fixed_width_gives_up_on_times_written_otherwise():
    assert _fixed_width(["5/14/2023 13:39"], "%m/%d/%Y %H:%M") is None  # no leading zero: strptime reads it
    assert _fixed_width(["05-14-2023 13:39"], "%m/%d/%Y %H:%M") is None
    assert _fixed_width(["05/14/2023 1a:39"], "%m/%d/%Y %H:%M") is None
    assert _fixed_width(["05/14/2023 01:39 PM"], "%m/%d/%Y %I:%M %p") is None  # not a fixed-width format
    assert parse_dates(pd.Series(["5/14/2023 13:39", "05/15/2023 08:00"]))[0].tolist() == [
        pd.Timestamp("2023-05-14 13:39"),
        pd.Timestamp("2023-05-15 08:00"),
    ]
