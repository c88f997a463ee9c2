"""Import every new export in data/<client>/raw/ into the client's warehouse.

Each file is one transaction with its ledger row: importing the same file again changes
nothing; a file that fails validation is reported in one line and skipped, leaving the
warehouse exactly as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from rapport import paths
from rapport.config import Client
from rapport.errors import BadFile

from . import sources, warehouse

IGNORED = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class IngestResult:
    imported: list[str] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)  # one line per file

    def summary(self) -> str:
        text = f"{len(self.imported)} imported, {self.unchanged} already in the warehouse"
        return text + (f", {len(self.rejected)} rejected" if self.rejected else "")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def raw_files(client: Client) -> list[Path]:
    if not client.raw_dir.is_dir():
        return []
    return sorted(
        p for p in client.raw_dir.rglob("*")
        if p.is_file() and p.name not in IGNORED and not p.name.startswith((".", "~$"))
    )


def parse(client: Client, path: Path) -> sources.Parsed:
    """The one way a raw file becomes canonical rows (ingest and check both call it): read
    with the client's time zone, the folder the file sits in (it settles a platform the
    file does not name) and the params' `imports:` mappings. Raises BadFile."""
    context = sources.Context(paths.relative(path), client.params.timezone, path.parent.name.lower(),
                              client.params.imports)
    return sources.read(path, context)


def ingest(client: Client) -> IngestResult:
    result = IngestResult()
    files = raw_files(client)
    with warehouse.open_write(client.warehouse_path) as con:
        known = {row[0] for row in con.execute("SELECT sha256 FROM imports").fetchall()}
        for path in files:
            checksum = sha256(path)
            if checksum in known:
                result.unchanged += 1
                continue
            try:
                parsed = parse(client, path)
            except BadFile as error:
                result.rejected.append(str(error))
                continue
            shown = paths.relative(path)
            _store(con, parsed, path, shown, checksum)
            known.add(checksum)
            result.imported.append(shown)
    return result


def _store(con, parsed: sources.Parsed, path: Path, shown: str, checksum: str) -> None:
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    first, last = _date_range(parsed)
    # when the export was current: what the file says, else its last day, else its mtime
    as_of = parsed.as_of or last or datetime.fromtimestamp(path.stat().st_mtime).date()
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in parsed.tables.items():
            frame = frame.assign(source_file=shown, source_sha256=checksum, as_of=as_of, imported_at=now)
            warehouse.upsert(con, table, frame)
        con.execute(
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, 'ok')",
            [checksum, shown, parsed.format, parsed.rows, first, last, now],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _date_range(parsed: sources.Parsed):
    dates = []
    for table, frame in parsed.tables.items():
        column = "published_at" if table == "posts" else "date"
        if column not in frame:
            continue
        values = pd.to_datetime(pd.Series(frame[column]), errors="coerce").dropna()
        if len(values):
            dates += [values.min().date(), values.max().date()]
    return (min(dates), max(dates)) if dates else (None, None)
