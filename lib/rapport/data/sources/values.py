"""Cells to values: numbers, percentages and dates as the platforms (and Excel) write them.

Each column is read as a whole, so its format is decided from all its values: a decimal
comma (`1 234,5`, `1.234,5`) or point (`1,234.5`); day-first or month-first dates. A column
whose values alone cannot tell (only `1.234`: 1234 or 1.234?) is decided by the file's other
number columns, then by what the column holds (a count has no fraction), then by the
delimiter; if it is still open, the file is refused: rapport never guesses a figure. What
cannot be true (data/plausible.py) is refused too. Every refusal raises BadFile naming the
file, the row (as a spreadsheet numbers it) and the column, and says what to do.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from babel.dates import get_month_names

from rapport.errors import BadFile

from .. import plausible

MISSING = {"", "-", "--", "—", "–", "n/a", "na", "undefined", "null", "nan", "none", "(not set)*"}
# every way of writing them in upper and lower case (a set lookup, not a lower() per cell)
_MISSING_ANY_CASE = {
    "".join(letters) for word in MISSING for letters in itertools.product(*({c, c.upper()} for c in word))
}
# grouping marks that cannot be a decimal mark: spaces of every width, ' and ’ (de_CH)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007'\u2019]")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})  # Babel's minus (sv, fr…) and Excel's en dash
# ASCII digits only: pandas reads no other (١٢ or １２ would become missing, silently)
_DOT_DECIMAL = re.compile(r"^[-+]?(?:\d+|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?$", re.ASCII)  # 1,234.5
_COMMA_DECIMAL = re.compile(r"^[-+]?(?:\d+|[1-9]\d{0,2}(?:\.\d{3})+)(?:,\d+)?$", re.ASCII)  # 1.234,5
_SCIENTIFIC = re.compile(r"^[-+]?\d+(?:[.,]\d+)?[eE][-+]?\d+$", re.ASCII)
_PLAIN_INTEGER = re.compile(r"^[-+]?\d+$", re.ASCII)
_NUMERIC_DAY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.]\d{4}")  # 05/14/2023, 14.05.2023 (matched at the start)
_ZONED_ISO = re.compile(r"T\d\d:\d\d.*(?:Z|[+-]\d\d:?\d\d)$")

# Tried in this order; the first that reads every value of the column wins.
DATE_FORMATS = [
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M %z",
    "%Y%m%d",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%a, %b %d, %Y",
    "%b %d, %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%d %B %Y",
]


class Columns:
    """An export's rows with their columns looked up by any of their names (case-insensitive)."""

    def __init__(
        self,
        frame: pd.DataFrame,
        shown: str,
        first_row: int,
        delimiter: str = "",
        *,
        platform: str | None = None,
        downloaded: date | None = None,
    ):
        self.frame = frame
        self.shown = shown
        self.first_row = first_row  # the spreadsheet row number of frame row 0
        self.delimiter = delimiter  # "" for a workbook
        self.first_day = plausible.earliest(platform)
        self.last_day = plausible.latest(downloaded) if downloaded else None
        self._names = {name.strip().lower(): name for name in frame.columns}

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    @frame.setter
    def frame(self, frame: pd.DataFrame) -> None:
        """The rows (an adapter may keep only some of them): what was read of the old ones is forgotten."""
        self._frame = frame.reset_index(drop=True)
        self._raw: dict[str, pd.Series] = {}  # each column's cells, stripped, missing as None
        self._decimal: str | None | bool = False  # the file's decimal mark, once its columns are read

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
        if name not in self._raw:  # read once: several readers (and the decimal mark) ask for a column
            cells = map(str, self.frame[name].to_numpy(dtype=object))
            kept = [text if (text := cell.strip()) not in _MISSING_ANY_CASE else None for cell in cells]
            self._raw[name] = pd.Series(kept, index=self.frame.index, dtype="str")
        return self._raw[name].copy()

    def text(self, *aliases: str) -> pd.Series:
        return self.raw(*aliases)

    def number(self, *aliases: str, whole: bool = True, signed: bool = False) -> pd.Series:
        """A column of numbers; `whole`: a count (non-negative unless `signed`, below
        plausible.MAX_COUNT, Int64); else a float (money, conversions) below MAX_MONEY."""
        name = self.name(*aliases)
        digits = _digits_only(self.frame[name].tolist()) if name is not None and len(self.frame) else None
        if digits is not None:  # every cell ASCII digits: nothing to strip, nothing missing, no mark to decide
            values = pd.Series(digits, index=self.frame.index)
        else:
            raw = self.raw(*aliases)
            reading = read_numbers(raw, Hints(self.delimiter, whole, lambda: self.decimal_mark))
            if reading.problem is not None:
                index, message = reading.problem
                self.fail(index, name, message.format(value=repr(raw.iloc[index])))
            values = reading.values
        limit = plausible.MAX_COUNT if whole else plausible.MAX_MONEY
        too_big = values.abs() > limit
        if too_big.any():
            self._fail_at(too_big, name, f"is not a plausible figure (more than {limit:,})")
        if whole and not signed and (values < 0).any():
            self._fail_at(values < 0, name, "is negative: a count cannot be")
        return values.round().astype("Int64") if whole else values

    @property
    def decimal_mark(self) -> str | None:
        """The decimal mark the file's number columns agree on ('.' or ','), or None when
        they do not tell (read once, when a column needs it)."""
        if self._decimal is False:
            marks = {column_mark(self.raw(name)) for name in self.frame.columns} - {None}
            self._decimal = marks.pop() if len(marks) == 1 else None
        return self._decimal  # type: ignore[return-value]

    def ids(self, *aliases: str) -> pd.Series:
        """Identifiers as text; one Excel turned into 1.22233E+15 has lost its digits: refused."""
        values = self.text(*aliases)
        mangled = values.fillna("").str.match(_SCIENTIFIC)
        if mangled.any():
            self._fail_at(
                mangled,
                self.name(*aliases),
                "is an id Excel rounded (scientific notation): "
                "use the file as downloaded, or format the column as text before saving",
            )
        return values

    def dates(self, *aliases: str, day_first: bool | None = None) -> pd.Series:
        """Naive timestamps (a zone in the text is converted to UTC), each between the
        platform's launch and the day the file was downloaded."""
        name = self.name(*aliases)
        values, error = parse_dates(self.raw(*aliases), day_first)
        if error is not None:
            self._fail(error, name, "a date")
        # compared as times (a day's date is before D when its time is before D's midnight)
        early, late = values < pd.Timestamp(self.first_day), None
        if self.last_day:
            late = values >= pd.Timestamp(self.last_day + timedelta(days=1))
        if early.any():
            self._fail_at(
                early,
                name,
                f"is before {self.first_day} (the platform's launch): "
                "a date format misread? Check the column in the file",
            )
        if late is not None and late.any():
            self._fail_at(
                late,
                name,
                f"is after the file was downloaded ({self.last_day}): a date format misread, or a clock set wrong?",
            )
        return values

    def fail(self, index: int, column: str | None, message: str):
        where = f"row {self.first_row + index}: " if index is not None else ""
        col = f"column {column}: " if column else ""
        raise BadFile(f"{self.shown}: {where}{col}{message}")

    def _fail(self, index: int, name: str | None, expected: str):
        value = self.frame[name].iloc[index] if name in self.frame else None
        self.fail(index, name, f"{value!r} is not {expected}")

    def _fail_at(self, where: pd.Series, name: str | None, message: str):
        """Refuse the first value where `where` holds, quoting it as the file has it."""
        index = int(np.flatnonzero(where.fillna(False).to_numpy())[0])
        value = self.frame[name].iloc[index] if name in self.frame else None
        self.fail(index, name, f"{value!r} {message}")


def _unknown() -> str | None:
    return None


@dataclass(frozen=True)
class Hints:
    """What else tells a column's decimal mark when its own values cannot."""

    delimiter: str = ""  # ';' is written by Excel where the decimal mark is ','; ',' where it is '.'
    whole: bool = False  # a count: a separator with three digits after it groups thousands
    # the mark the file's other number columns use: asked only when the column's own values
    # cannot tell (reading every column of a large file for it costs more than the rest)
    file_mark: Callable[[], str | None] = _unknown


@dataclass
class Reading:
    values: pd.Series  # floats, NaN where missing
    problem: tuple[int, str] | None = None  # (row index, message with {value})


def column_mark(values: pd.Series) -> str | None:
    """The decimal mark a column's own values show ('.' or ','), or None when none of them
    tells (only whole numbers, or only values like 1.234) or they disagree."""
    text = _normal(values.dropna())
    dot, comma = text.str.match(_DOT_DECIMAL), text.str.match(_COMMA_DECIMAL)
    marks = ({"."} if (dot & ~comma).any() else set()) | ({","} if (comma & ~dot).any() else set())
    return marks.pop() if len(marks) == 1 else None


def read_numbers(values: pd.Series, hints: Hints = Hints()) -> Reading:
    """Text to floats, the decimal mark decided for the whole column (module docstring)."""
    present = values.notna()
    whole = _digits_only(values[present].astype(str).tolist())
    if whole is not None:  # the common case: no sign, no separators
        numbers = np.full(len(values), np.nan)
        numbers[present.to_numpy()] = whole
        return Reading(pd.Series(numbers, index=values.index))
    if values[present].astype(str).str.match(_PLAIN_INTEGER).all():
        return Reading(pd.to_numeric(values, errors="coerce").astype(float))
    text = _normal(values.where(present, ""))
    present &= text != ""
    dot, comma = text.str.match(_DOT_DECIMAL), text.str.match(_COMMA_DECIMAL)
    scientific = text.str.match(_SCIENTIFIC)
    if scientific.any():
        return _problem(
            values,
            scientific,
            "{value} was rounded by Excel (scientific notation): use the file as "
            "downloaded, or format the column as numbers before saving",
        )
    unreadable = present & ~dot & ~comma
    if unreadable.any():
        return _problem(values, unreadable, "{value} is not a number")
    says_dot, says_comma = (dot & ~comma & present).any(), (comma & ~dot & present).any()
    if says_dot and says_comma:
        mixed = comma & ~dot & present
        return _problem(
            values,
            mixed,
            "{value} writes its decimals unlike the rows above it (',' and '.' in one column): export the file again",
        )
    mark = "." if says_dot else "," if says_comma else _decide(text[dot & comma & present], hints)
    if mark is None:
        open_ = dot & comma & present & text.str.contains(r"[.,]", regex=True)
        return _problem(
            values,
            open_,
            "{value} could be a whole number or a fraction (is the separator a "
            "decimal mark or a thousands mark?): export with the decimal mark of "
            "your language, or write the figure without thousands separators",
        )
    group = "," if mark == "." else "."
    numbers = text.str.replace(group, "", regex=False).str.replace(mark, ".", regex=False)
    return Reading(pd.to_numeric(numbers.where(present, None), errors="coerce").astype(float))


def _digits_only(texts: list) -> np.ndarray | None:
    """Texts of ASCII digits alone as floats (as pandas reads them); None when any text is
    something else."""
    try:
        if not (all(map(str.isdigit, texts)) and all(map(str.isascii, texts))):
            return None
    except TypeError:  # not text (a frame made in code)
        return None
    return np.fromiter(map(int, texts), dtype=float, count=len(texts))


def _decide(ambiguous: pd.Series, hints: Hints) -> str | None:
    """The decimal mark for values that fit either reading (1.234 and 1,234 alike)."""
    separators = {sep for sep in ".," if ambiguous.str.contains(sep, regex=False).any()}
    if not separators:
        return "."  # whole numbers: no mark to decide
    if len(separators) > 1:
        return None  # 1.234 and 5,678 in one column: one of them is not what it seems
    sep = separators.pop()
    other = "," if sep == "." else "."
    file_mark = hints.file_mark()
    if file_mark:
        return None if hints.whole and file_mark == sep else file_mark
    by_delimiter = {";": ",", ",": "."}.get(hints.delimiter)
    if hints.whole:  # a count has no fraction: the separator groups thousands…
        return other if by_delimiter in (None, other) else None  # …unless the delimiter says it is decimal
    return by_delimiter


def _normal(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip().str.translate(_MINUS).str.replace(_SPACES, "", regex=True)


def _problem(values: pd.Series, where: pd.Series, message: str) -> Reading:
    index = int(np.flatnonzero(where.to_numpy())[0])
    return Reading(pd.Series(np.nan, index=values.index), (index, message))


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
    texts = sample.tolist()
    parts = [found.groups() for found in map(_NUMERIC_DAY.match, {text[:10] for text in texts}) if found]
    if parts:  # numeric dates (the pattern reads at most 10 characters: each distinct start once)
        first_big, second_big = any(int(first) > 12 for first, _ in parts), any(int(second) > 12 for _, second in parts)
        prefer_day = first_big or (not second_big and bool(day_first))
        formats = sorted(formats, key=lambda f: f.startswith("%m/") if prefer_day else f.startswith("%d/"))
    if all(map(_ZONED_ISO.search, texts)):
        parsed = pd.to_datetime(sample, format="ISO8601", utc=True, errors="coerce")
        if parsed.notna().all():
            return _naive(parsed, values.index, empty)
        return empty, int(values.index.get_loc(parsed.isna().idxmax()))  # zoned ISO, but not a real time
    serial = pd.to_numeric(sample.iloc[:1], errors="coerce")  # a column of numbers? its first value tells
    if serial.notna().all():
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
        fixed = _fixed_width(texts, fmt)
        parsed = fixed if fixed is not None else pd.to_datetime(sample, format=fmt, errors="coerce", utc="%z" in fmt)
        if parsed.notna().all():
            return _naive(parsed.set_axis(sample.index), values.index, empty)
    # report the first value no format reads, else the first the first value's format cannot
    # (a column mixing formats: its values' order cannot be trusted)
    for index, value in sample.items():
        if not any(pd.notna(pd.to_datetime(value, format=f, errors="coerce")) for f in formats):
            return empty, int(values.index.get_loc(index))
    first = next(f for f in formats if pd.notna(pd.to_datetime(sample.iloc[0], format=f, errors="coerce")))
    misfit = pd.to_datetime(sample, format=first, errors="coerce", utc="%z" in first).isna()
    return empty, int(values.index.get_loc(misfit.idxmax()))


_WIDTHS = {
    "%Y": ("year", 4),
    "%m": ("month", 2),
    "%d": ("day", 2),
    "%H": ("hour", 2),
    "%M": ("minute", 2),
    "%S": ("second", 2),
}


def _fixed_width(texts: list[str], fmt: str) -> pd.Series | None:
    """Every text read by `fmt` when each writes each field with all its digits (05/14/2023
    13:39), by arithmetic on the characters: strptime reads these 1M values in 1.5 s, this in
    0.2 s. None when a text is written otherwise or is not a real time: strptime decides."""
    parts = re.findall(r"%[A-Za-z]|[^%]", fmt)
    if not texts or not all(part in _WIDTHS or not part.startswith("%") for part in parts):
        return None
    width = sum(_WIDTHS[part][1] if part in _WIDTHS else 1 for part in parts)
    if min(map(len, texts)) != width or max(map(len, texts)) != width:
        return None
    codes = np.array(texts, dtype=f"U{width}").view(np.uint32).reshape(len(texts), width).astype(np.int64)
    fields, at = {}, 0
    for part in parts:
        if part not in _WIDTHS:
            if not (codes[:, at] == ord(part)).all():
                return None
            at += 1
            continue
        name, size = _WIDTHS[part]
        digits = codes[:, at : at + size] - ord("0")
        if not ((digits >= 0) & (digits <= 9)).all():
            return None
        fields[name] = digits @ (10 ** np.arange(size - 1, -1, -1))
        at += size
    if not {"year", "month", "day"} <= set(fields):
        return None
    # pandas adds hours, minutes and seconds as durations (minute 60 would be the next hour): bounded
    # as strptime bounds them (it reads the leap seconds 60 and 61 as the next minute, as pandas adds them)
    bounds = (("hour", 24), ("minute", 60), ("second", 62))
    if any((fields[name] >= limit).any() for name, limit in bounds if name in fields):
        return None
    parsed = pd.to_datetime(pd.DataFrame(fields), errors="coerce")
    return parsed if parsed.notna().all() else None


def _naive(parsed: pd.Series, index, empty: pd.Series) -> tuple[pd.Series, int | None]:
    """Naive times on `index`; or `empty` and the row of the first time a timestamp cannot hold
    (pandas reads years 1 to 9999, its timestamps hold 1677 to 2262: a year like 3026 is a typo)."""
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    beyond = (parsed < pd.Timestamp.min) | (parsed > pd.Timestamp.max)
    if beyond.any():
        return empty, int(index.get_loc(beyond.idxmax()))
    return parsed.reindex(index).astype("datetime64[ns]"), None


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
