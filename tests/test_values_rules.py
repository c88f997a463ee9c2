"""The rules of data/sources/values.py that the older tests left open (make mutation): a date
whose year a timestamp cannot hold is refused with its row, not a crash.

Survivors explained: the values mutants no test can tell from the original are listed with
their reasons in docs/mutation.md ("Survivors explained", `data/sources/values.py`).
"""

from datetime import date

import pandas as pd
import pytest

from rapport.data.sources.values import Columns, parse_dates
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
