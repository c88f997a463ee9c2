"""The two CSV readers of data/sources/table.py give the same cells.

The row path (Python's csv module) is the oracle: for any text, the bulk path (pandas' C
reader) either gives exactly the frame the row path gives, or declines and the row path
reads the file. Hypothesis writes the texts: quoted cells with delimiters, quotes and line
breaks, stray quotes, blank and short rows, rows wider than the header, a text cut off.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.data.sources import table

CELL = st.text(alphabet=st.sampled_from(list('ab1 .,;"\t\r\n')), max_size=6)


def reference(text: str, header: int, skip: int) -> pd.DataFrame | str:
    """The row path alone: the sheet given its rows, as a workbook's is."""
    sheet = table.parse_csv(text, "x.csv")
    try:
        rows = table._csv_rows(sheet._text or "", sheet.delimiter)
        return table.Sheet("x", rows, delimiter=sheet.delimiter, offset=sheet.offset).frame(header, skip)
    except (table.CutOff, IndexError) as error:  # IndexError: no row `header` (no adapter asks for one)
        return f"{type(error).__name__}: {error}"


def both(text: str, header: int = 0, skip: int = 0) -> tuple[pd.DataFrame | str, pd.DataFrame | str]:
    try:
        read = table.parse_csv(text, "x.csv").frame(header, skip)
    except (table.CutOff, IndexError) as error:
        read = f"{type(error).__name__}: {error}"
    return read, reference(text, header, skip)


def same(read, expected) -> None:
    if isinstance(expected, str) or isinstance(read, str):
        assert read == expected
        return
    assert list(read.columns) == list(expected.columns)
    assert read.to_numpy().tolist() == expected.to_numpy().tolist()
    assert all(dtype == "object" for dtype in read.dtypes)


def written(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def rows_of(width: int) -> st.SearchStrategy[list[str]]:
    """Mostly whole rows (the last cell filled, as in an export), some ragged."""
    whole = st.tuples(st.lists(CELL, min_size=width - 1, max_size=width - 1), CELL.filter(str.strip))
    return st.one_of(
        whole.map(lambda row: [*row[0], row[1]]),
        whole.map(lambda row: [*row[0], row[1]]),
        st.lists(CELL, max_size=width + 1),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(st.text(alphabet="abc ,", min_size=1, max_size=4), max_size=4).map(lambda names: ["id", *names]),
    data=st.data(),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_well_written_files_read_the_same_by_both_paths(header, data, delimiter):
    """Files as a program writes them (every cell quoted where needed), rows of any width."""
    body = data.draw(st.lists(rows_of(len(header)), max_size=8))
    same(*both(written([header, *body], delimiter)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(alphabet=st.sampled_from(list('ab1 ,,,;""\r\n')), max_size=80).map(lambda text: text + ",a,1"),
    header=st.integers(0, 2),
    skip=st.integers(0, 1),
)
def test_any_text_reads_the_same_by_both_paths(text, header, skip):
    """Hand-edited and broken files: stray quotes, quotes left open, ragged rows."""
    same(*both("h1,h2,h3\r\n" + text, header, skip))


@pytest.mark.parametrize(
    "text",
    [
        'a,b,c\r\n1,2,3\r\n"x\r\ny",5,6\r\n',  # a line break inside quotes
        'a,b,c\r\n1,2,3\r\n4,"5',  # cut off inside quotes
        "a,b,c\r\n1,2,3\r\n4,5",  # cut off: the last row short
        "a,b,c\r\n1,2\r\n4,5,6\r\n",  # a short row that is not the last
        "a,b,c\r\n1,2,3,4\r\n5,6,7\r\n",  # a row wider than the header
        'a,b,c\r\n"1"x,2,3\r\n',  # text after a closing quote
        "a,b,c\r\n\r\n,,\r\n1,2,3\r\n \r\n",  # blank rows
    ],
)
def test_the_files_that_make_the_bulk_path_decline_still_read_right(text):
    same(*both(text))


def test_a_file_cut_off_is_refused_by_both_paths():
    assert both("a,b,c\r\n1,2,3\r\n4,5")[0] == "CutOff: its last row has 2 of the header's 3 columns"
    assert both('a,b,c\r\n1,2,3\r\n4,"5')[0] == "CutOff: it ends inside a quoted text"


def test_the_bulk_path_reads_a_large_well_formed_file():
    """Not only that the paths agree: the bulk path is the one that read it."""
    rows = [["id", "text", "views"]] + [[str(i), f"post, {i}", str(i * 3)] for i in range(2000)]
    sheet = table.parse_csv(written(rows, ","), "x.csv")
    frame = sheet.frame(0)
    assert sheet._rows is None  # the row path never read the whole file
    assert frame.shape == (2000, 3) and frame.iloc[1999].tolist() == ["1999", "post, 1999", "5997"]
