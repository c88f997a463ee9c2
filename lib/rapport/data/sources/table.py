"""Reading an export as downloaded into text cells, before any adapter looks at it.

CSV: the encoding is told by encoding.decode (a BOM, UTF-8, else the code page that reads
as language, else refused), a `sep=` line and `#` comment lines (GA4) are taken aside, blank lines
before the header are skipped, and the delimiter (comma, semicolon or tab) is the one that
splits the first lines most consistently. Python's csv module reads the rest (quoted fields
with newlines included). XLS/XLSX: every sheet, through pandas (calamine).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from .encoding import decode

DELIMITERS = (",", ";", "\t")
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Sheet:
    """One table of text: the rows above the header (preamble) and the rows under it."""

    name: str
    rows: list[list[str]]  # every row, header included, as text
    comments: list[str] = field(default_factory=list)  # '#' lines (GA4) and the sep= line
    delimiter: str = ""  # a workbook has none
    offset: int = 0  # lines before rows[0] in the file (preamble)

    def header_at(self, index: int) -> list[str]:
        return [clean_name(c) for c in self.rows[index]] if index < len(self.rows) else []

    def frame(self, header_row: int, skip: int = 0) -> pd.DataFrame:
        """The rows under `header_row` (after `skip` more rows) as text columns; duplicate
        names get a suffix (.1, .2) as pandas does."""
        names = _unique(self.header_at(header_row))
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
    lines = text.splitlines(keepends=True)
    comments, start, delimiter = [], 0, None
    while start < len(lines):
        stripped = lines[start].strip()
        if stripped.lower().startswith("sep=") and len(stripped) <= 6:
            delimiter = stripped[4:5] or ","
            comments.append(stripped)
        elif stripped.startswith("#"):
            comments.append(stripped.lstrip("#").strip().rstrip(","))
        elif stripped.strip(",;\t") == "":
            pass
        else:
            break
        start += 1
    body = "".join(lines[start:])
    delimiter = delimiter or sniff_delimiter(lines[start : start + 20])
    try:
        rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise CutOff("it ends inside a quoted text") from None
        rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter))  # stray quotes, as Excel reads them
    return Sheet(name, rows, comments, delimiter, start)


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
