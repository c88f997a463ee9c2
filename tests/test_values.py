"""The cells-to-values layer on its own (rapport.data.sources.values): every refusal's whole
line (file, spreadsheet row, column, the fix), each plausibility bound on both sides, the
decimal mark decided from the hints, and time zones at the DST changes. The expected values
are written out by hand."""

from datetime import date, datetime

import pandas as pd
import pytest

from rapport.data import plausible
from rapport.data.sources.values import Columns, Hints, day_before, read_numbers, to_utc, yearless
from rapport.errors import BadFile


def columns(platform: str | None = None, downloaded: date | None = date(2026, 11, 2), **cells) -> Columns:
    """An export's rows under a header on spreadsheet row 1 (data from row 2)."""
    return Columns(pd.DataFrame(cells, dtype=object), "raw/x.csv", 2, ",", platform=platform, downloaded=downloaded)


def refusal(read) -> str:
    with pytest.raises(BadFile) as caught:
        read()
    return str(caught.value)


# --- numbers ---------------------------------------------------------------------------


def test_counts_are_whole_nullable_integers_rounded_and_money_stays_fractional():
    c = columns(Views=["1", "2.6", "", "N/A"], Spend=["1.5", "2", "-", "nan"])
    views = c.number("Views")
    assert str(views.dtype) == "Int64" and views.tolist() == [1, 3, pd.NA, pd.NA]
    spend = c.number("Spend", whole=False)
    assert spend.dtype == float and spend.iloc[0] == 1.5 and spend.iloc[2:].isna().all()


def test_a_count_at_the_limit_is_read_and_one_above_refused_with_its_row():
    assert columns(Views=["1", str(plausible.MAX_COUNT)]).number("Views").tolist() == [1, plausible.MAX_COUNT]
    assert refusal(lambda: columns(Views=["1", str(plausible.MAX_COUNT + 1)]).number("Views")) == (
        "raw/x.csv: row 3: column Views: '1000000000001' is not a plausible figure (more than 1,000,000,000,000)"
    )


def test_money_has_its_own_limit():
    assert columns(Spend=[str(plausible.MAX_MONEY)]).number("Spend", whole=False).tolist() == [plausible.MAX_MONEY]
    assert "more than 100,000,000,000" in refusal(
        lambda: columns(Spend=[str(plausible.MAX_MONEY + 1)]).number("Spend", whole=False)
    )
    # a count may be larger than any amount of money
    assert columns(Views=[str(plausible.MAX_MONEY + 1)]).number("Views").tolist() == [plausible.MAX_MONEY + 1]


def test_a_negative_count_is_refused_zero_is_not_and_a_signed_one_may_be_negative():
    assert columns(Views=["0", "3"]).number("Views").tolist() == [0, 3]
    assert refusal(lambda: columns(Views=["3", "-1"]).number("Views")) == (
        "raw/x.csv: row 3: column Views: '-1' is negative: a count cannot be"
    )
    assert columns(Net=["-1", "2"]).number("Net", signed=True).tolist() == [-1, 2]


def test_a_column_the_file_lacks_reads_as_missing_on_every_row():
    c = columns(Views=["1", "2", "3"])
    assert c.number("Reach").isna().tolist() == [True, True, True]
    assert c.text("Reach").isna().tolist() == [True, True, True]


def test_missing_markers_are_none_whatever_their_case_and_text_is_stripped():
    c = columns(Name=[" a ", "N/A", "NaN", "None", "--", "(not set)*", "b"])
    text = c.text("name")
    assert text.isna().tolist() == [False, True, True, True, True, True, False]
    assert text[~text.isna()].tolist() == ["a", "b"]


@pytest.mark.parametrize(
    "cells, message",
    [
        (["5", "1.2E+5"], "'1.2E+5' was rounded by Excel (scientific notation): use the file as downloaded, "
         "or format the column as numbers before saving"),
        (["5", "12x"], "'12x' is not a number"),
        (["1.5", "2,5"], "'2,5' writes its decimals unlike the rows above it (',' and '.' in one column): "
         "export the file again"),
    ],
)  # fmt: skip
def test_numbers_refused_say_the_row_the_value_and_the_fix(cells, message):
    assert refusal(lambda: columns(Spend=cells).number("Spend", whole=False)) == (
        f"raw/x.csv: row 3: column Spend: {message}"
    )


@pytest.mark.parametrize("digits", ["\u0661\u0662", "\uff11\uff12", "\u00b2"])  # Arabic-Indic, full-width, superscript
def test_digits_of_other_scripts_are_refused_not_read_as_missing(digits):
    assert refusal(lambda: columns(Views=["5", digits]).number("Views")) == (
        f"raw/x.csv: row 3: column Views: {digits!r} is not a number"
    )


def test_a_column_of_plain_digits_is_read_exactly_and_others_by_their_mark():
    assert columns(Views=["0", "007", "999999999999"]).number("Views").tolist() == [0, 7, 999999999999]
    assert columns(Views=["5", " 6 ", "", "n/a"]).number("Views").tolist() == [5, 6, pd.NA, pd.NA]
    assert columns(Spend=["5", "-6"]).number("Spend", whole=False).tolist() == [5.0, -6.0]


def test_an_ambiguous_figure_is_refused_with_the_first_one_that_is_open():
    c = Columns(pd.DataFrame({"Spend": ["5", "7", "1.234"]}, dtype=object), "raw/x.csv", 2, "\t")
    assert refusal(lambda: c.number("Spend", whole=False)) == (
        "raw/x.csv: row 4: column Spend: '1.234' could be a whole number or a fraction (is the separator a "
        "decimal mark or a thousands mark?): export with the decimal mark of your language, or write the "
        "figure without thousands separators"
    )


def _read(values: list, hints: Hints) -> list:
    reading = read_numbers(pd.Series(values, dtype=object), hints)
    return ["refused", reading.problem[0]] if reading.problem else [None if pd.isna(v) else v for v in reading.values]


@pytest.mark.parametrize(
    "values, hints, expected",
    [
        (["1.234"], Hints("", whole=True), [1234.0]),  # a count has no fraction: '.' groups
        (["1,234"], Hints("", whole=True), [1234.0]),
        (["1.234", "5,678"], Hints("", whole=True), ["refused", 0]),  # one of the two is not what it seems
        (["1.234"], Hints("", whole=True, file_mark=lambda: ","), [1234.0]),  # the file's mark says it groups
        (["1.234"], Hints("", whole=True, file_mark=lambda: "."), ["refused", 0]),  # a count with a fraction?
        (["1,234"], Hints("", whole=False, file_mark=lambda: "."), [1234.0]),
        (["1,234"], Hints("", whole=False, file_mark=lambda: ","), [1.234]),
        (["1.234"], Hints(";", whole=True), [1234.0]),  # ';' says decimal comma: '.' groups
        (["1,234"], Hints(";", whole=True), ["refused", 0]),  # …and ',' would be a fraction of a count
        (["1.234"], Hints(",", whole=False), [1.234]),  # ',' says decimal point
        (["1,234"], Hints("\t"), ["refused", 0]),  # nothing tells
        (["7", None, "", "1,5"], Hints(), [7.0, None, None, 1.5]),
        (["1 234,5", "12"], Hints(), [1234.5, 12.0]),
        (["12", "1.5"], Hints(), [12.0, 1.5]),
    ],
)
def test_the_decimal_mark_of_a_column_its_values_cannot_settle(values, hints, expected):
    assert _read(values, hints) == expected


def test_the_file_s_other_columns_are_asked_only_when_a_column_cannot_tell():
    asked = []

    def file_mark():
        asked.append(True)
        return ","

    assert _read(["1.5", "2"], Hints("", False, file_mark)) == [1.5, 2.0] and asked == []
    assert _read(["1.234"], Hints("", False, file_mark)) == [1234.0] and asked == [True]


def test_a_column_with_a_point_decimal_tells_the_file_s_mark_to_an_ambiguous_one():
    tab = Columns(pd.DataFrame({"Spend": ["1,234"], "CPC": ["0.35"]}, dtype=object), "raw/x.csv", 2, "\t")
    assert tab.number("Spend", whole=False).tolist() == [1234.0]  # the tab says nothing: CPC's point does


def test_a_column_s_own_decimals_settle_its_ambiguous_values():
    assert _read(["1.5", "1,234"], Hints("\t")) == [1.5, 1234.0]
    assert _read(["1,5", "1.234"], Hints("\t")) == [1.5, 1234.0]


def test_the_value_quoted_is_the_one_at_fault_not_an_earlier_one():
    """The row named is the first that breaks the rule, never an earlier neighbour that is
    merely close to it (a zero before a negative, a missing value, the launch day itself)."""
    assert "row 4: column Views: '-1'" in refusal(lambda: columns(Views=["3", "0", "-1"]).number("Views"))
    assert "row 3: column Views: '-1'" in refusal(lambda: columns(Views=["", "-1"]).number("Views"))
    mixed = refusal(lambda: columns(Spend=["1.5", "1,234", "2,5"]).number("Spend", whole=False))
    assert "row 4: column Spend: '2,5' writes its decimals unlike" in mixed
    launch = plausible.LAUNCHED["tiktok"]
    early = [launch.isoformat(), "2016-08-31"]
    assert "row 3: column Day: '2016-08-31' is before" in refusal(lambda: columns("tiktok", Day=early).dates("Day"))
    late = ["2026-11-03", "2026-11-04"]
    assert "row 3: column Day: '2026-11-04' is after" in refusal(lambda: columns(Day=late).dates("Day"))


# --- ids and dates ---------------------------------------------------------------------


def test_an_id_excel_rounded_is_refused_and_one_missing_is_not():
    ids = columns(ID=["123", None, "456"]).ids("ID")
    assert ids.isna().tolist() == [False, True, False] and ids.iloc[[0, 2]].tolist() == ["123", "456"]
    assert refusal(lambda: columns(ID=["123", "1.22233E+15"]).ids("ID")) == (
        "raw/x.csv: row 3: column ID: '1.22233E+15' is an id Excel rounded (scientific notation): "
        "use the file as downloaded, or format the column as text before saving"
    )


def test_a_date_on_the_platform_s_launch_day_is_read_and_the_day_before_refused():
    launch = plausible.LAUNCHED["instagram"]
    assert columns("instagram", Day=[launch.isoformat()]).dates("Day").tolist() == [pd.Timestamp(launch)]
    assert refusal(lambda: columns("instagram", Day=["2026-10-01", "2010-10-05"]).dates("Day")) == (
        "raw/x.csv: row 3: column Day: '2010-10-05' is before 2010-10-06 (the platform's launch): "
        "a date format misread? Check the column in the file"
    )


def test_a_date_up_to_a_day_after_the_download_is_read_and_later_refused():
    assert columns(Day=["2026-11-03"]).dates("Day").tolist() == [pd.Timestamp("2026-11-03")]
    assert refusal(lambda: columns(Day=["2026-11-01", "2026-11-04"]).dates("Day")) == (
        "raw/x.csv: row 3: column Day: '2026-11-04' is after the file was downloaded (2026-11-03): "
        "a date format misread, or a clock set wrong?"
    )
    assert columns(downloaded=None, Day=["2030-01-01"]).dates("Day").tolist() == [pd.Timestamp("2030-01-01")]


def test_the_launch_and_download_day_bounds_hold_to_the_second():
    launch = plausible.LAUNCHED["instagram"]
    assert columns("instagram", Day=[f"{launch} 00:00:00"]).dates("Day").tolist() == [pd.Timestamp(launch)]
    assert "is before" in refusal(lambda: columns("instagram", Day=[f"{day_before(launch)} 23:59:59"]).dates("Day"))
    assert columns(Day=["2026-11-03 23:59:59"]).dates("Day").tolist() == [pd.Timestamp("2026-11-03 23:59:59")]
    assert "is after" in refusal(lambda: columns(Day=["2026-11-04 00:00:00"]).dates("Day"))


def test_an_unreadable_date_names_its_row_and_column():
    assert refusal(lambda: columns(Day=["2026-10-01", None, "soon"]).dates("Day")) == (
        "raw/x.csv: row 4: column Day: 'soon' is not a date"
    )


def test_a_refusal_without_a_row_or_a_column_says_neither():
    c = columns(Day=["2026-10-01"])
    assert refusal(lambda: c.fail(None, None, "no posts")) == "raw/x.csv: no posts"
    assert refusal(lambda: c.fail(0, None, "empty")) == "raw/x.csv: row 2: empty"


def test_rows_dropped_by_an_adapter_are_forgotten_with_what_was_read_of_them():
    c = columns(Views=["1", "2", "3"])
    assert c.number("Views").tolist() == [1, 2, 3]
    c.frame = c.frame.iloc[1:]
    assert c.number("Views").tolist() == [2, 3] and c.text("Views").tolist() == ["2", "3"]


@pytest.mark.parametrize(
    "text, first, expected",
    [
        ("12/05/2026", None, "2026-12-05"),  # a first part of 12 is still a month
        ("05/12/2026", True, "2026-12-05"),  # a second part of 12 does not forbid day-first
        ("13/05/2026", None, "2026-05-13"),
        ("20000", None, "1954-10-03"),  # Excel serial days (from 1899-12-30), from 20000…
        ("80000", None, "2119-01-11"),  # …to 80000
    ],
)
def test_date_boundaries(text, first, expected):
    from rapport.data.sources.values import parse_dates

    values, bad = parse_dates(pd.Series([text, None], dtype=object), first)
    assert bad is None and values.iloc[0] == pd.Timestamp(expected) and pd.isna(values.iloc[1])


def _dates(values: list):
    from rapport.data.sources.values import parse_dates

    return parse_dates(pd.Series(values, dtype=object))


def test_a_column_without_any_date_is_all_missing_on_every_row():
    values, bad = _dates([None, None, None])
    assert bad is None and len(values) == 3 and values.isna().all() and str(values.dtype) == "datetime64[ns]"


def test_zoned_times_with_other_offsets_and_missing_values_keep_their_rows():
    values, bad = _dates(["2026-10-25 01:30 +0200", None, "2026-10-26 01:30 +0100"])
    assert bad is None and values.iloc[0] == pd.Timestamp("2026-10-24 23:30")
    assert pd.isna(values.iloc[1]) and values.iloc[2] == pd.Timestamp("2026-10-26 00:30")
    iso, bad = _dates(["2026-10-25T01:30:00+02:00", None])
    assert bad is None and len(iso) == 2 and iso.iloc[0] == pd.Timestamp("2026-10-24 23:30") and pd.isna(iso.iloc[1])


@pytest.mark.parametrize(
    "values, bad",
    [
        ([f"2026-10-{1 + n % 28:02d}" for n in range(60)] + ["2026-10-41"], 60),  # beyond the first 50 tried
        (["2026-10-01", "2026.10.02"], 1),  # a format none of ours is (pandas would guess it)
        (["2026-10-01T10:00:00Z", "2026-13-01T10:00:00Z"], 1),  # zoned ISO, a month 13
        (["2026-10-01", "2026-10-02", "10/03/2026"], 2),  # each readable, not in one format: the misfit
    ],
)
def test_the_row_of_the_date_that_breaks_the_column_is_named(values, bad):
    assert _dates(values)[1] == bad


@pytest.mark.parametrize("text", ["19999", "80001"])
def test_numbers_outside_excel_s_serial_days_are_not_dates(text):
    from rapport.data.sources.values import parse_dates

    assert parse_dates(pd.Series([text], dtype=object))[1] == 0


# --- time zones and year-less dates ------------------------------------------------------


def test_local_times_at_the_dst_changes_go_to_utc_as_documented():
    local = pd.Series(
        pd.to_datetime(["2026-10-25 02:30", "2026-03-29 02:30", "2026-07-01 12:00", None]), dtype="datetime64[ns]"
    )
    utc = to_utc(local, "Europe/Stockholm")
    # the repeated hour is read as standard time; the hour that does not exist moves forward
    assert utc.iloc[:3].tolist() == [pd.Timestamp("2026-10-25 01:30"), pd.Timestamp("2026-03-29 01:00"),
                                     pd.Timestamp("2026-07-01 10:00")]  # fmt: skip
    assert pd.isna(utc.iloc[3]) and utc.dt.tz is None


def test_year_less_dates_keep_an_unreadable_one_as_missing_and_29_february_only_in_leap_years():
    assert yearless(["May 1", "", "soon", "June 2"], date(2026, 6, 30)) == [
        date(2026, 5, 1), None, None, date(2026, 6, 2)
    ]  # fmt: skip
    assert yearless(["February 29", "March 1"], date(2026, 3, 2)) == [None, date(2026, 3, 1)]
    assert yearless(["February 29"], date(2024, 3, 1)) == [date(2024, 2, 29)]


def test_tiktok_s_last_day_is_the_day_before_the_download():
    assert day_before(date(2026, 3, 1)) == date(2026, 2, 28)


def test_month_names_with_de_are_read():
    from rapport.data.sources.values import month_day

    assert month_day("1 de mayo") == (5, 1) and month_day("28 de fevereiro") == (2, 28)


def test_a_day_is_a_datetime_at_midnight():
    assert columns(Day=["2026-10-05"]).dates("Day").iloc[0] == datetime(2026, 10, 5)
