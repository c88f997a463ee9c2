"""Numbers read as their writer meant, or refused: figures formatted by Babel (the oracle)
in the locales our users' Excel writes, saved as an export, read back exactly."""

import csv
import io
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import format_decimal, get_decimal_symbol
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.data import sources
from rapport.errors import BadFile

LOCALES = ["en", "sv", "fr", "de", "nl", "it", "pt", "bg", "de_CH"]
FILES = tempfile.TemporaryDirectory(prefix="test-numbers-")  # the generated exports, removed at exit
HEADER = ["Reporting starts", "Reporting ends", "Campaign name", "Day", "Amount spent (EUR)", "Impressions", "Reach"]


def ads_export(cells: list[list[str]], delimiter: str) -> Path:
    """An Ads Manager export by day, as Excel in that locale saves it (UTF-8 with BOM)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([HEADER] + cells)
    path = Path(tempfile.mkdtemp(dir=FILES.name)) / "ads.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def read_ads(path: Path) -> list[dict]:
    parsed = sources.read(path, sources.Context("ads.csv", "Europe/Stockholm"))
    frame = parsed.tables["ads_daily"].sort_values("campaign")
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def excel_delimiter(locale: str) -> str:
    """Excel's list separator: ';' where the decimal mark is ',' (it cannot be both)."""
    return ";" if get_decimal_symbol(locale) == "," else ","


figures = st.tuples(st.integers(0, 10**9), st.decimals(0, 10**7, places=2), st.integers(0, 10**7))


@settings(max_examples=120, deadline=None)
@given(locale=st.sampled_from(LOCALES), rows=st.lists(figures, min_size=1, max_size=6))
def test_figures_babel_writes_in_any_locale_are_read_back_exactly(locale, rows):
    cells = []
    for i, (impressions, spend, reach) in enumerate(rows):
        day = (date(2026, 10, 1) + timedelta(days=i)).isoformat()
        cells.append(
            [
                day,
                day,
                f"c{i}",
                day,
                format_decimal(spend, "#,##0.##", locale=locale),
                format_decimal(impressions, locale=locale),
                format_decimal(reach, locale=locale),
            ]
        )
    got = read_ads(ads_export(cells, excel_delimiter(locale)))
    assert [(r["impressions"], r["reach"]) for r in got] == [(i, r) for i, _, r in rows]
    assert [Decimal(str(r["spend"])) for r in got] == [s for _, s, _ in rows]


def test_a_german_excel_export_keeps_its_thousands():
    """The issue's example: Views 1.234 and 12.345 from a German or Dutch Excel are 1234 and 12345."""
    cells = [
        ["2026-10-01", "2026-10-01", "a", "2026-10-01", "12,50", "1.234", "1.000"],
        ["2026-10-02", "2026-10-02", "b", "2026-10-02", "3,00", "12.345", "999"],
    ]
    got = read_ads(ads_export(cells, ";"))
    assert [(r["impressions"], r["reach"], r["spend"]) for r in got] == [(1234, 1000, 12.5), (12345, 999, 3.0)]


@pytest.mark.parametrize(
    "spend, impressions, delimiter, message",
    [
        ("1.234", "5", "\t", "row 2: column Amount spent (EUR): '1.234' could be a whole number or a fraction"),
        ("5", "1,234", ";", "row 2: column Impressions: '1,234' could be a whole number or a fraction"),
        ("5", "-3", ",", "row 2: column Impressions: '-3' is negative: a count cannot be"),
        ("5", "1e30", ",", "row 2: column Impressions: '1e30' was rounded by Excel (scientific notation)"),
        ("5", "2000000000000", ",", "row 2: column Impressions: '2000000000000' is not a plausible figure"),
        ("5", "12x", ",", "row 2: column Impressions: '12x' is not a number"),
    ],
)
def test_numbers_that_cannot_be_read_for_sure_are_refused_with_row_and_column(spend, impressions, delimiter, message):
    path = ads_export([["2026-10-01", "2026-10-01", "a", "2026-10-01", spend, impressions, "1"]], delimiter)
    with pytest.raises(BadFile, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_ads(path)


def test_the_file_s_other_columns_settle_an_ambiguous_one():
    """Spend 1,234 alone could be either; a cost per click of 0,35 in the same file says ','
    is the decimal mark, so the spend is 1.234 (and refused without that column)."""
    header = HEADER + ["CPC (cost per link click) (EUR)"]
    cells = [header, ["2026-10-01", "2026-10-01", "a", "2026-10-01", "1,234", "7", "7", "0,35"]]
    path = Path(tempfile.mkdtemp(dir=FILES.name)) / "ads.csv"
    path.write_text("\n".join("\t".join(row) for row in cells) + "\n", encoding="utf-8")
    assert [r["spend"] for r in read_ads(path)] == [1.234]
    with pytest.raises(BadFile, match="could be a whole number or a fraction"):
        read_ads(ads_export([cells[1][:-1]], "\t"))
