"""Cells to values: numbers, percentages and dates as the platforms write them.

Each column is read as a whole, so its format is decided from all its values: a decimal
comma (`1 234,5`, `1.234,5`) or point (`1,234.5`); `3.4%` or a fraction; day-first or
month-first dates. A cell that does not fit raises BadFile naming the file, the row (as
the user sees it in a spreadsheet) and the column.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import pandas as pd
from babel.dates import get_month_names

MISSING = {"", "-", "--", "—", "–", "n/a", "na", "undefined", "null", "nan", "none", "(not set)*"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_GROUPED_COMMA = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_GROUPED_DOT = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$")

# Tried in this order; the first that reads every value of the column wins.
DATE_FORMATS = [
    "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M %z",
    "%Y%m%d", "%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y",
    "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y",
    "%a, %b %d, %Y", "%b %d, %Y", "%d %b %Y", "%B %d, %Y", "%d %B %Y",
]


class Columns:
    """An export's rows with their columns looked up by any of their names (case-insensitive)."""

    def __init__(self, frame: pd.DataFrame, shown: str, first_row: int, delimiter: str = ","):
        self.frame = frame.reset_index(drop=True)
        self.shown = shown
        self.first_row = first_row  # the spreadsheet row number of frame row 0
        self.delimiter = delimiter
        self._names = {name.strip().lower(): name for name in frame.columns}

    def __len__(self) -> int:
        return len(self.frame)

    def name(self, *aliases: str) -> str | None:
        for alias in aliases:
            found = self._names.get(alias.strip().lower())
            if found is not None:
                return found
        return None

    def has(self, *aliases: str) -> bool:
        return self.name(*aliases) is not None

    def starting(self, prefix: str) -> str | None:
        """The first column whose name starts with `prefix` (for 'Amount spent (EUR)')."""
        return next((n for key, n in self._names.items() if key.startswith(prefix.lower())), None)

    def raw(self, *aliases: str) -> pd.Series:
        name = self.name(*aliases)
        if name is None:
            return pd.Series([None] * len(self.frame), dtype=object)
        values = self.frame[name].astype(str).str.strip()
        return values.where(~values.str.lower().isin(MISSING), None)

    def text(self, *aliases: str) -> pd.Series:
        return self.raw(*aliases)

    def number(self, *aliases: str, whole: bool = True) -> pd.Series:
        name = self.name(*aliases)
        values = parse_numbers(self.raw(*aliases), self.delimiter)
        self._check(values, name, "a number")
        if whole:
            values = values.round().astype("Int64")
        return values

    def percent(self, *aliases: str, scale_100: bool = False) -> pd.Series:
        """A rate as a fraction: '3.4%' → 0.034; with scale_100, plain values are 0–100."""
        raw = self.raw(*aliases)
        has_sign = raw.fillna("").str.endswith("%")
        values = parse_numbers(raw.str.rstrip("%").str.strip(), self.delimiter)
        self._check(values, self.name(*aliases), "a percentage")
        return values.where(~(has_sign | scale_100), values / 100)

    def dates(self, *aliases: str, day_first: bool | None = None) -> pd.Series:
        """Naive timestamps (a zone in the text is converted to UTC)."""
        name = self.name(*aliases)
        values, error = parse_dates(self.raw(*aliases), day_first)
        if error is not None:
            self._fail(error, name, "a date")
        return values

    def fail(self, index: int, column: str | None, message: str):
        from . import BadFile

        where = f"row {self.first_row + index}: " if index is not None else ""
        col = f"column {column}: " if column else ""
        raise BadFile(f"{self.shown}: {where}{col}{message}")

    def _check(self, values: pd.Series, name: str | None, expected: str) -> None:
        bad = values.attrs.get("bad")
        if bad is not None:
            self._fail(bad, name, expected)

    def _fail(self, index: int, name: str | None, expected: str):
        value = self.frame[name].iloc[index] if name in self.frame else None
        self.fail(index, name, f"{value!r} is not {expected}")


def parse_numbers(values: pd.Series, delimiter: str = ",") -> pd.Series:
    """Text to floats, the separators decided for the whole column; NaN where missing.

    On a value that is not a number, the result's attrs['bad'] holds its index.
    """
    plain = pd.to_numeric(values, errors="coerce")
    if (plain.notna() | values.isna()).all():  # the common case: plain numbers, no separators
        return plain.astype(float)
    text = values.fillna("").astype(str).str.replace(_SPACES, "", regex=True)
    present = text != ""
    decimal, group = _separators(text[present], delimiter)
    normal = text.str.replace(group, "", regex=False) if group else text
    if decimal == ",":
        normal = normal.str.replace(",", ".", regex=False)
    out = pd.to_numeric(normal.where(present, None), errors="coerce").astype(float)
    bad = out.isna() & present
    if bad.any():
        out.attrs["bad"] = int(np.flatnonzero(bad.to_numpy())[0])
    return out


def _separators(present: pd.Series, delimiter: str) -> tuple[str, str | None]:
    both = present[present.str.contains(",", regex=False) & present.str.contains(".", regex=False)]
    if len(both):
        sample = both.iloc[0]
        return (",", ".") if sample.rfind(",") > sample.rfind(".") else (".", ",")
    commas = present[present.str.contains(",", regex=False)]
    if len(commas):
        grouped = commas.str.match(_GROUPED_COMMA).all()
        return (".", ",") if grouped and delimiter != ";" else (",", None)
    dots = present[present.str.contains(".", regex=False)]
    if len(dots) and delimiter == ";" and dots.str.match(_GROUPED_DOT).all():
        return (",", ".")
    return ".", None


def parse_dates(values: pd.Series, day_first: bool | None = None) -> tuple[pd.Series, int | None]:
    """Text to naive timestamps with the first format that reads the whole column.

    Returns (values, index of the first unreadable value or None). Day-first or month-first
    numeric dates are decided by the values (a first part above 12 means day-first), else
    by `day_first`, else month-first (the US exports' default).
    """
    present = values.notna()
    sample = values[present].astype(str)
    empty = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if sample.empty:
        return empty, None
    formats = DATE_FORMATS
    slash = sample.str.match(r"^\d{1,2}[/.]\d{1,2}[/.]\d{4}")
    if slash.any():
        parts = sample[slash].str.extract(r"^(\d{1,2})[/.](\d{1,2})")
        first_big, second_big = (parts[0].astype(int) > 12).any(), (parts[1].astype(int) > 12).any()
        prefer_day = first_big or (not second_big and bool(day_first))
        formats = sorted(formats, key=lambda f: f.startswith("%m/") if prefer_day else f.startswith("%d/"))
    if sample.str.contains(r"T\d\d:\d\d.*(?:Z|[+-]\d\d:?\d\d)$", regex=True).all():
        parsed = pd.to_datetime(sample, format="ISO8601", utc=True, errors="coerce")
        if parsed.notna().all():
            return _naive(parsed, values.index), None
    serial = pd.to_numeric(sample, errors="coerce")
    if serial.notna().all() and serial.between(20000, 80000).all() and not sample.str.match(r"^\d{8}$").all():
        # Excel serial day numbers (a date column the workbook did not format as dates)
        days = pd.to_datetime("1899-12-30") + pd.to_timedelta(serial, unit="D")
        return days.dt.round("s").reindex(values.index).astype("datetime64[ns]"), None
    head = sample.iloc[:50]
    for fmt in formats:
        # try a format on the first values before the whole column (a column is one format)
        if pd.to_datetime(head, format=fmt, errors="coerce", utc="%z" in fmt).isna().any():
            continue
        parsed = pd.to_datetime(sample, format=fmt, errors="coerce", utc="%z" in fmt)
        if parsed.notna().all():
            return _naive(parsed, values.index), None
    # report the first value no single format reads
    for index, value in sample.items():
        if not any(pd.notna(pd.to_datetime(value, format=f, errors="coerce")) for f in formats):
            return empty, int(values.index.get_loc(index))
    return empty, int(values.index.get_loc(sample.index[0]))


def _naive(parsed: pd.Series, index) -> pd.Series:
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.reindex(index).astype("datetime64[ns]")


def to_utc(local: pd.Series, timezone: str) -> pd.Series:
    """Naive local times (the client's time zone) to naive UTC; DST gaps shift forward,
    repeated hours are read as standard time."""
    if local.dropna().empty:
        return local
    aware = local.dt.tz_localize(timezone, ambiguous=np.zeros(len(local), dtype=bool), nonexistent="shift_forward")
    return aware.dt.tz_convert("UTC").dt.tz_localize(None)


# --- year-less dates (TikTok Studio) ---------------------------------------------------

_MONTHS: dict[str, int] = {}
for _locale in ("en", "sv", "fr", "de", "es", "it", "pt", "nl", "ru", "bg", "pl", "vi", "tr", "id"):
    for _context in ("format", "stand-alone"):
        for _width in ("wide", "abbreviated"):
            for _number, _name in get_month_names(_width, _context, _locale).items():
                _MONTHS.setdefault(_name.lower().rstrip("."), _number)


def month_day(text: str) -> tuple[int, int] | None:
    """'September 25', '28 May', '28 апреля', '9月13日' → (month, day)."""
    text = text.strip().lower()
    cjk = re.fullmatch(r"(\d{1,2})月(\d{1,2})日", text)
    if cjk:
        return int(cjk.group(1)), int(cjk.group(2))
    match = re.fullmatch(r"(\d{1,2})\.?\s+(?:de\s+|tháng\s+)?(.+?)\.?", text) or None
    if match and match.group(2) in _MONTHS:
        return _MONTHS[match.group(2)], int(match.group(1))
    match = re.fullmatch(r"(.+?)\.?\s+(\d{1,2})", text)
    if match and match.group(1) in _MONTHS:
        return _MONTHS[match.group(1)], int(match.group(2))
    return None


def yearless(values: list[str], last_day: date) -> list[date | None]:
    """Dates without a year, oldest first, the last one on or before `last_day`: the year
    is walked backwards, one less each time the month and day go up."""
    parsed = [month_day(v) if v else None for v in values]
    out: list[date | None] = [None] * len(values)
    year, following = last_day.year, (last_day.month, last_day.day)
    for index in range(len(parsed) - 1, -1, -1):
        current = parsed[index]
        if current is None:
            continue
        if current > following:
            year -= 1
        out[index] = date(year, *current) if _valid(year, *current) else None
        following = current
    return out


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
        return True
    except ValueError:
        return False


def day_before(day: date) -> date:
    return day - timedelta(days=1)
