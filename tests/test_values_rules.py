"""The rules of data/sources/values.py that the older tests left open (make mutation): a date
whose year a timestamp cannot hold is refused with its row, not a crash, and the first and
last times one holds are read; a zone written Z after a space; zoned ISO times with and without
fractions in one column; day-first dates without leading zeros; an hour padded with a space;
every value after the first 50 held to the format as strictly as strptime holds it; the row
named when no one format reads a column; eight digits as a date, never an Excel serial day;
a reading's rows and index, refused or not; a text column's dtype when every cell is missing.
Expected values are written out by hand, or read by strptime (pandas' to_datetime with the
format) as the oracle.

Survivors explained: the values mutants no test can tell from the original are listed with
their reasons in docs/mutation.md ("Survivors explained", `data/sources/values.py`).
"""

from datetime import date

import pandas as pd
import pytest

from rapport.data.sources.values import Columns, parse_dates, read_numbers
from rapport.errors import BadFile


def columns(**cells) -> Columns:
    """An export's rows under a header on spreadsheet row 1 (data from row 2), downloaded 2 November 2026."""
    return Columns(pd.DataFrame(cells, dtype=object), "raw/x.csv", 2, ",", downloaded=date(2026, 11, 2))


def dates(values: list, day_first: bool | None = None):
    return parse_dates(pd.Series(values, dtype=object), day_first)


def refusal(read) -> str:
    with pytest.raises(BadFile) as caught:
        read()
    return str(caught.value)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column",
    [
        ["2026-10-01", None, "3026-10-02"],  # a year after 2262 (strptime reads years up to 9999)
        ["10/01/2026", None, "10/02/1500"],  # a year before 1677, in a fixed-width column
        ["2026-10-01T10:00:00Z", None, "3026-10-02T10:00:00Z"],  # zoned ISO times
    ],
)
def test_a_year_a_timestamp_cannot_hold_is_refused_with_its_row(column):
    """pandas' timestamps hold 1677-09-21 to 2262-04-11; strptime reads any year of four
    digits. A typo like 3026 is the value at fault, not a crash of the whole read."""
    values, bad = dates(column)
    assert bad == 2 and len(values) == 3 and values.isna().all()


def test_a_year_a_timestamp_cannot_hold_is_refused_naming_row_and_column():
    assert refusal(lambda: columns(Day=["2026-10-01", "3026-10-02"]).dates("Day")) == (
        "raw/x.csv: row 3: column Day: '3026-10-02' is not a date"
    )


def test_the_first_and_last_times_a_timestamp_holds_are_read():
    values, bad = dates(["2262-04-11T23:47:16.854775807Z", "1677-09-21T00:12:43.145224193Z"])
    assert bad is None
    assert values.tolist() == [
        pd.Timestamp("2262-04-11 23:47:16.854775807"),
        pd.Timestamp("1677-09-21 00:12:43.145224193"),
    ]


def test_a_time_zoned_by_a_letter_after_a_space_is_read_as_utc():
    """`2026-10-25 01:30 Z`: the format with %z reads it (Z is UTC); the fixed-width reading
    knows no %z and leaves it to strptime."""
    values, bad = dates(["2026-10-25 01:30 Z", "2026-10-26 23:05 Z"])
    assert bad is None and values.tolist() == [pd.Timestamp("2026-10-25 01:30"), pd.Timestamp("2026-10-26 23:05")]


def test_zoned_iso_times_with_and_without_fractions_in_one_column_are_all_read():
    """ISO 8601 allows a fraction of a second or none in the same column (pandas would take
    the first value's shape for all of them)."""
    values, bad = dates(["2026-10-25T01:30:00Z", "2026-10-25T01:30:00.250+02:00"])
    assert bad is None
    assert values.tolist() == [pd.Timestamp("2026-10-25 01:30:00"), pd.Timestamp("2026-10-24 23:30:00.250")]


def test_day_first_dates_without_leading_zeros_are_read_with_the_format_the_column_chose():
    """13 cannot be a month: the column is day-first, and 5/10/2026 is 5 October (not the
    month-first reading pandas would guess from the first value alone)."""
    values, bad = dates(["5/10/2026", "13/10/2026"])
    assert bad is None and values.tolist() == [pd.Timestamp("2026-10-05"), pd.Timestamp("2026-10-13")]


def test_an_hour_padded_with_a_space_is_read_as_strptime_reads_it():
    """`05/14/2023  9:05` has the width of `05/14/2023 09:05` but a space where a digit goes:
    the arithmetic gives up and strptime (the oracle) reads 09:05."""
    texts = ["05/14/2023  9:05", "05/15/2023 13:39"]
    oracle = pd.to_datetime(pd.Series(texts), format="%m/%d/%Y %H:%M")
    values, bad = dates(texts)
    assert bad is None and values.tolist() == oracle.tolist()
    assert values.tolist() == [pd.Timestamp("2023-05-14 09:05"), pd.Timestamp("2023-05-15 13:39")]


FIFTY = [f"05/{1 + n % 28:02d}/2023 13:39" for n in range(50)]  # the values a format is tried on first


@pytest.mark.parametrize(
    "last",
    [
        "05/14/2023 1::39",  # ':' is the character after '9': not a digit
        "05/14/2023 13:39x",  # something after the minutes (cutting it off would read 13:39)
    ],
)
def test_a_time_after_the_first_fifty_is_refused_as_strptime_refuses_it(last):
    """The first 50 values choose the format; every value after them is held to it as
    strictly (strptime refuses both of these: the oracle)."""
    assert pd.isna(pd.to_datetime(last, format="%m/%d/%Y %H:%M", errors="coerce"))
    values, bad = dates(FIFTY + [last])
    assert bad == 50 and values.isna().all()


@pytest.mark.parametrize(
    "column, day_first, bad",
    [
        # the first value no format of ours reads, though pandas would guess it
        (["2026-10-01", "10/03/2026", "2026.10.02"], None, 2),
        # each value readable: the first value's format (month first) names the misfit
        (["10/01/2026", "2026-10-02", "10/03/2026"], None, 1),
        # a first part of 13: the column is day-first, so 13/01 fits and the ISO date does not
        (["10/01/2026", "13/01/2026", "2026-01-14"], None, 2),
        # a second part of 13: month-first, whatever the hint says
        (["05/06/2026", "05/13/2026", "2026-01-01"], True, 2),
        # zoned times with two offsets, then a day without a time
        (["2026-10-25 01:30 +0200", "2026-10-26 01:30 +0100", "2026-10-27"], None, 2),
        # a column that starts like numbers (eight-digit dates), then a text
        (["20261001", "soon"], None, 1),
    ],
)
def test_the_row_named_in_a_column_no_one_format_reads(column, day_first, bad):
    """The rule (parse_dates): the first value no format reads; else the first value that the
    first value's format (in the column's day-first or month-first order) cannot read."""
    values, found = dates(column, day_first)
    assert found == bad and values.isna().all()


# --- numbers ---------------------------------------------------------------------------------


def test_a_reading_keeps_the_labels_of_the_rows_it_reads():
    """One value per row under the column's own index (a column cut from a frame keeps its
    labels), on the shortcut for plain digits as on the general reading."""
    digits = read_numbers(pd.Series(["7", None, "12"], index=[10, 11, 12], dtype=object))
    assert digits.problem is None and digits.values.index.tolist() == [10, 11, 12]
    assert digits.values.iloc[[0, 2]].tolist() == [7.0, 12.0] and pd.isna(digits.values.iloc[1])
    signed = read_numbers(pd.Series(["-7", None, "1.5"], index=[10, 11, 12], dtype=object))
    assert signed.values.index.tolist() == [10, 11, 12] and signed.values.iloc[[0, 2]].tolist() == [-7.0, 1.5]


def test_a_refused_column_hands_back_no_figure_on_any_of_its_rows():
    """With a problem, Reading.values is still floats (NaN) row for row: a caller that read
    them would find no figure, not a crash or a shorter column."""
    reading = read_numbers(pd.Series(["5", "12x", "7"], index=[3, 4, 5], dtype=object))
    assert reading.problem == (1, "{value} is not a number")
    assert reading.values.dtype == "float64" and reading.values.index.tolist() == [3, 4, 5]
    assert reading.values.isna().all()


# --- text ------------------------------------------------------------------------------------


def test_a_text_column_is_text_even_when_every_cell_is_missing():
    """Its type does not depend on its cells: pandas' text dtype (str), missing as NaN."""
    c = columns(Name=["N/A", "", "--"], Other=["a", "", "b"])
    name = c.text("Name")
    assert str(name.dtype) == "str" and name.isna().all()
    assert str(c.text("Other").dtype) == "str" and c.text("Other").tolist()[::2] == ["a", "b"]


def test_eight_digits_are_a_date_written_yyyymmdd_never_an_excel_serial_day():
    """00020101 is 20101 as a number (a serial day of 1955), but eight digits are a date
    written YYYYMMDD: the year 2, which no timestamp holds, so it is refused."""
    values, bad = dates(["00020101"])
    assert bad == 0 and values.isna().all()
