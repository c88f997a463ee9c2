"""Adapters that read one export format each into canonical tables (rapport.tables).

A format is recognised by the file's header and content, never by its name: each adapter
module lists Readers, each with `matches(export)` and `read(export, context)`. The header
names each one relies on, and where they were seen, are in docs/formats.md; the README
tells users which export to download for each platform.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from rapport.errors import BadFile
from rapport.tables import TABLES
from rapport.tables import columns as table_columns

from . import table
from .encoding import UnknownEncoding


@dataclass
class Context:
    shown: str  # the path as the user sees it
    timezone: str  # the client's: times a file gives without a zone are in it
    hint: str = ""  # the parent folder's name, lower case: settles a platform a file does not name
    mappings: list = field(default_factory=list)  # params `imports:` (the generic adapter)


@dataclass
class Parsed:
    format: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # canonical table -> rows
    as_of: date | None = None  # when the export was current, if the file says (else its last date)

    @property
    def rows(self) -> int:
        return sum(len(frame) for frame in self.tables.values())


@dataclass(frozen=True)
class Reader:
    name: str
    matches: Callable[[table.Export, Context], bool]
    read: Callable[[table.Export, Context], Parsed]


def readers() -> list[Reader]:
    from . import canonical, facebook_legacy, ga4, generic, linkedin, meta, tiktok, x, youtube

    # the generic mapping goes first: a user's explicit mapping beats our guess
    return (
        generic.READERS
        + meta.READERS
        + facebook_legacy.READERS
        + linkedin.READERS
        + x.READERS
        + tiktok.READERS
        + youtube.READERS
        + ga4.READERS
        + canonical.READERS
    )


def read(path: Path, context: Context) -> Parsed:
    """Parse one export; raise BadFile with a one-line reason."""
    if path.suffix.lower() == ".zip":
        return _read_zip(path, context)
    try:
        export = table.read(path)
    except UnknownEncoding as error:
        raise BadFile(
            f"{context.shown}: its text is in an encoding rapport cannot tell ({error}): save it as "
            "UTF-8 (Excel: Save As → CSV UTF-8) and put it back"
        ) from None
    except Exception as error:  # a corrupt workbook, an unreadable file
        raise BadFile(f"{context.shown}: cannot be read as CSV or Excel ({type(error).__name__}: {error})") from None
    return _read_export(export, context)


def _read_export(export: table.Export | None, context: Context) -> Parsed:
    """The first reader that knows the export reads it (a CSV's rows are read as the
    readers ask for them: a download cut off is found then)."""
    try:
        if export is not None:
            for reader in readers():
                if reader.matches(export, context):
                    return reader.read(export, context)
    except table.CutOff as error:
        raise BadFile(f"{context.shown}: the download was cut off ({error}): download the export again") from None
    raise BadFile(f"{context.shown}: not an export format rapport knows (see README: Supported exports)")


def _read_zip(path: Path, context: Context) -> Parsed:
    """A zip of CSVs as TikTok Studio downloads it: every entry read on its own (never
    extracted), merged; entries in no format rapport knows (TikTok's audience breakdowns)
    are left aside, a zip with none it knows is refused."""
    merged = Parsed("zip")
    formats = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                part = _read_zip_entry(archive, info, context)
                if part is None:
                    continue
                formats.append(part.format)
                for name, frame in part.tables.items():
                    merged.tables[name] = pd.concat([merged.tables[name], frame]) if name in merged.tables else frame
    except (zipfile.BadZipFile, EOFError) as error:
        raise BadFile(f"{context.shown}: a damaged zip ({error}): download it again") from None
    if not formats:
        raise BadFile(f"{context.shown}: a zip without any CSV rapport knows (see README: Supported exports)")
    merged.format = " + ".join(sorted(set(formats)))
    for name, frame in merged.tables.items():  # one row per key: each entry gives some columns
        key = list(TABLES[name][0])
        merged.tables[name] = frame.groupby(key, as_index=False, sort=False, dropna=False).first()
    return merged


def _read_zip_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, context: Context) -> Parsed | None:
    if info.is_dir() or not info.filename.lower().endswith(".csv"):
        return None
    shown = f"{context.shown}:{info.filename}"
    try:
        text = table.decode(archive.read(info))
    except UnknownEncoding as error:
        raise BadFile(f"{shown}: its text is in an encoding rapport cannot tell ({error})") from None
    if text is None:
        return None
    export = table.Export(Path(info.filename), [table.parse_csv(text, info.filename)], date(*info.date_time[:3]), "csv")
    entry = Context(shown, context.timezone, context.hint, context.mappings)
    try:
        if not any(reader.matches(export, entry) for reader in readers()):
            return None
    except table.CutOff as error:
        raise BadFile(f"{shown}: the download was cut off ({error}): download the export again") from None
    return _read_export(export, entry)


def find_header(sheet: table.Sheet, *required: str, within: int = 6) -> int | None:
    """The index of the first of the top rows holding every required name (case-insensitive)."""
    wanted = {name.lower() for name in required}
    for index in range(len(sheet.top(within))):
        names = {name.lower() for name in sheet.header_at(index)}
        if wanted <= names:
            return index
    return None


def sheet_named(export: table.Export, name: str) -> table.Sheet | None:
    return next((s for s in export.sheets if s.name.strip().lower() == name.lower()), None)


def build(table_name: str, **columns) -> pd.DataFrame:
    """A canonical table from the columns an adapter provides (the others are left out, so an
    import never blanks what another export already gave)."""
    names = table_columns(table_name)
    unknown = set(columns) - set(names)
    if unknown:
        raise ValueError(f"not columns of {table_name}: {sorted(unknown)}")
    length = max((len(v) for v in columns.values() if hasattr(v, "__len__") and not isinstance(v, str)), default=0)
    frame = pd.DataFrame(index=range(length))
    for name in names:
        if name in columns:
            value = columns[name]
            frame[name] = value.reset_index(drop=True) if isinstance(value, pd.Series) else value
    return frame


def csv_header(export: table.Export, *required: str, within: int = 1) -> int | None:
    """Where a CSV export's header is, if it has every required name."""
    if export.kind != "csv":
        return None
    return find_header(export.sheets[0], *required, within=within)


def columns_of(
    export: table.Export,
    header: int | None,
    context: Context,
    sheet: table.Sheet | None = None,
    skip: int = 0,
    *,
    platform: str | None = None,
):
    """The rows under the header row `header` of a sheet (the first by default), as Columns
    that know the file, the delimiter, the platform and the download day (for the checks)."""
    from .values import Columns

    sheet = sheet or export.sheets[0]
    if header is None:
        raise BadFile(f"{context.shown}: no header row found")
    try:
        frame = sheet.frame(header, skip)  # a CSV's frame checks the file is whole
    except table.CutOff as error:
        raise BadFile(f"{context.shown}: the download was cut off ({error}): download the export again") from None
    # rows as a spreadsheet numbers them: the header is on row header+1, data after it
    return Columns(
        frame,
        context.shown,
        sheet.offset + header + 2 + skip,
        sheet.delimiter,
        platform=platform,
        downloaded=export.modified,
    )
