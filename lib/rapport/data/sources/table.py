"""Reading an export as downloaded into text cells, before any adapter looks at it.

CSV: the encoding is told by encoding.decode (a BOM, UTF-8, else the code page that reads
as language, else refused), a `sep=` line and `#` comment lines (GA4) are taken aside, blank lines
before the header are skipped, and the delimiter (comma, semicolon or tab) is the one that
splits the first lines most consistently. XLS/XLSX: every sheet, through pandas (calamine).

Two readers give a CSV's cells, one meaning (docs/architecture.md, "Reading a CSV"):
- the row path, Python's csv module, is the reference: it reads the rows above a table's
  header (titles, descriptions, the header itself), every row of a file an adapter cuts
  (GA4), and every file the bulk reader declines;
- the bulk path, pandas' C reader, reads the rows under the header of a well-formed file in
  one go. It declines (and the row path reads the file) whenever it could differ: a row
  wider than the header, a quote left open, a header it splits otherwise, a last row that
  may be short (a cut-off download). tests/test_table.py checks both give the same cells.
"""

from __future__ import annotations

import csv
import io
import itertools
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .encoding import decode

DELIMITERS = (",", ";", "\t")
HEAD = 1 << 16  # characters: a file's comment lines, title rows and header are read from its head
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"


class Sheet:
    """One table of text: the rows above the header (preamble) and the rows under it.

    A workbook's sheet is given its rows; a CSV's is given its text (after the comment
    lines), read on demand: the top rows by the row path, the body in bulk when it can be."""

    def __init__(
        self,
        name: str,
        rows: list[list[str]] | None = None,
        *,
        comments: list[str] | None = None,
        delimiter: str = "",  # a workbook has none
        offset: int = 0,  # lines before the first row in the file (preamble)
        text: str | None = None,  # a CSV's text from its first row on
    ):
        self.name = name
        self.comments = comments or []  # '#' lines (GA4) and the sep= line
        self.delimiter = delimiter
        self.offset = offset
        self._text = text
        self._rows = rows
        self._top: list[list[str]] = []

    @property
    def rows(self) -> list[list[str]]:
        """Every row, header included, as text (the row path reads the whole file)."""
        if self._rows is None:
            self._rows = _csv_rows(self._text or "", self.delimiter)
        return self._rows

    @rows.setter
    def rows(self, rows: list[list[str]]) -> None:
        """Keep only these rows (an adapter cutting the file's first table off the rest)."""
        self._rows, self._text = rows, None

    def top(self, count: int) -> list[list[str]]:
        """The first `count` rows (fewer when the file has fewer), read without the rest."""
        if self._rows is not None:
            return self._rows[:count]
        if len(self._top) < count:
            self._top = _csv_rows(self._text or "", self.delimiter, count)
        return self._top[:count]

    def header_at(self, index: int) -> list[str]:
        top = self.top(index + 1)
        return [clean_name(c) for c in top[index]] if index < len(top) else []

    def frame(self, header_row: int, skip: int = 0) -> pd.DataFrame:
        """The rows under `header_row` (after `skip` more rows) as text columns, blank rows
        left out; duplicate names get a suffix (.1, .2) as pandas does. Raises CutOff for a
        download that stopped in the middle of a row."""
        names = _unique(self.header_at(header_row))
        if self._rows is None:
            bulk = _bulk_body(self._text, self.delimiter, header_row + 1 + skip, len(names))
            if bulk is not None:
                return bulk.set_axis(names, axis=1)
        check_complete(self, header_row)
        body = [r + [""] * (len(names) - len(r)) for r in self.rows[header_row + 1 + skip :]]
        body = [r[: len(names)] for r in body if any(cell.strip() for cell in r)]
        return pd.DataFrame(body, columns=names, dtype=object)


@dataclass
class Export:
    path: Path
    sheets: list[Sheet]
    modified: date  # the file's modification day: the download day for year-less dates
    kind: str  # csv, xls, xlsx


def clean_name(name) -> str:
    return " ".join(str(name if name is not None else "").replace("\ufeff", "").split())


def read(path: Path) -> Export | None:
    """The file's tables as text, or None when it is not a table at all."""
    raw = path.read_bytes()
    modified = datetime.fromtimestamp(path.stat().st_mtime).date()
    if raw.startswith(XLS_MAGIC) or (raw.startswith(ZIP_MAGIC) and _is_xlsx(raw)):
        return Export(path, _excel(raw), modified, "xls" if raw.startswith(XLS_MAGIC) else "xlsx")
    if raw.startswith(ZIP_MAGIC):
        return None  # a zip of CSVs (TikTok Studio) is opened by ingest, entry by entry
    text = decode(raw)
    if text is None:
        return None
    return Export(path, [parse_csv(text, path.name)], modified, "csv")


def parse_csv(text: str, name: str) -> Sheet:
    """A CSV's text as a Sheet: the comment lines and blank lines on top taken aside, the
    delimiter told; its rows are read when an adapter asks for them."""
    comments, start, delimiter, position = [], 0, None, 0
    for line in io.StringIO(text[:HEAD], newline=""):
        stripped = line.strip()
        if stripped.lower().startswith("sep=") and len(stripped) <= 6:
            delimiter = stripped[4:5] or ","
            comments.append(stripped)
        elif stripped.startswith("#"):
            comments.append(stripped.lstrip("#").strip().rstrip(","))
        elif stripped.strip(",;\t") != "":
            break
        start += 1
        position += len(line)
    body = text[position:]
    delimiter = delimiter or sniff_delimiter(list(itertools.islice(io.StringIO(body[:HEAD], newline=""), 20)))
    return Sheet(name, comments=comments, delimiter=delimiter, offset=start, text=body)


def _csv_rows(text: str, delimiter: str, count: int | None = None) -> list[list[str]]:
    """The row path: the first `count` rows (every row by default). Stray quotes are read
    as Excel reads them; a text ending inside quotes raises CutOff."""
    try:
        return list(
            itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True), count)
        )
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise CutOff("it ends inside a quoted text") from None
        return list(itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), count))


def _after_rows(text: str, delimiter: str, count: int) -> int | None:
    """Where the text goes on after its first `count` rows (None if it has fewer, or a quote
    is out of place in them): the csv module reads a line at a time, so the lines it took
    are exactly those rows. The file's head is enough, unless the rows are longer."""
    if len(text) > HEAD:
        found = _after_rows(text[:HEAD], delimiter, count)
        if found is not None and found < HEAD:
            return found
    taken = 0

    def lines() -> Iterator[str]:
        nonlocal taken
        for line in io.StringIO(text, newline=""):
            taken += len(line)
            yield line

    rows = csv.reader(lines(), delimiter=delimiter, strict=True)
    try:
        if len(list(itertools.islice(rows, count))) < count:
            return None
    except csv.Error:
        return None
    return taken


def _bulk_body(text: str | None, delimiter: str, above: int, width: int) -> pd.DataFrame | None:
    """The rows after the first `above` (the header and what it skips) by pandas' C reader,
    `width` cells each, blank rows left out; None (the row path reads them) when it could
    read them otherwise than the csv module would."""
    if text is None or width == 0:
        return None
    position = _after_rows(text, delimiter, above)
    if position is None or text.count("\r", position) != text.count("\r\n", position):
        return None  # lines ended by a lone CR (old Mac Excel): pandas misreads a blank one
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # pandas warns where it would drop or move cells
            body = pd.read_csv(
                io.BytesIO(text[position:].encode("utf-8")),  # pandas reads bytes faster than text
                encoding="utf-8",
                sep=delimiter,
                header=None,
                names=list(range(width)),
                index_col=False,
                dtype=object,
                na_filter=False,
                quotechar='"',
                doublequote=True,
                skip_blank_lines=True,
                engine="c",
            )
    except Exception:  # no rows, a row wider than the header, a quote left open: the row path decides
        return None
    body = body[_not_blank(body)].reset_index(drop=True)
    if body.empty or body.iloc[-1, width - 1] == "":
        return None  # the last row may be shorter than the header (cut off): the row path checks
    return body


def _not_blank(body: pd.DataFrame) -> np.ndarray:
    """Rows with some text (most rows show it in their first cells: only the others are read further)."""
    blank = np.ones(len(body), dtype=bool)
    for name in body.columns:
        cells = body[name].to_numpy()[blank]
        blank[blank] = np.array([not cell.strip() for cell in cells], dtype=bool)
        if not blank.any():
            break
    return ~blank


class CutOff(ValueError):
    """A download that stopped before the end of the file."""


def check_complete(sheet: Sheet, header: int) -> None:
    """Refuse a CSV whose last row is shorter than its header while every row before it has
    the header's width: the download stopped in the middle of that row."""
    if not sheet.delimiter:
        return
    width = len(sheet.rows[header])
    body = [row for row in sheet.rows[header + 1 :] if any(cell.strip() for cell in row)]
    if body and len(body[-1]) < width and all(len(row) >= width for row in body[:-1]):
        raise CutOff(f"its last row has {len(body[-1])} of the header's {width} columns")


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the header into most fields while the next lines agree."""
    best, best_score = ",", (0, 0)
    sample = "".join(lines)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))[:10]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        agreeing = sum(1 for r in rows[1:] if len(r) == width)
        score = (width > 1 and agreeing == len(rows) - 1, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _is_xlsx(raw: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _excel(raw: bytes) -> list[Sheet]:
    books = pd.read_excel(io.BytesIO(raw), sheet_name=None, header=None, dtype=object, engine="calamine")
    sheets = []
    for name, frame in books.items():
        rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
        while rows and not any(rows[-1]):
            rows.pop()
        sheets.append(Sheet(str(name), rows))
    return sheets


def _cell(value) -> str:
    """Excel cells as text: dates ISO, whole floats without '.0'."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, datetime):
        return (
            value.isoformat(sep=" ")
            if (value.hour, value.minute, value.second) != (0, 0, 0)
            else value.date().isoformat()
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0)
        out.append(name if count == 0 else f"{name}.{count}")
        seen[name] = count + 1
    return out
