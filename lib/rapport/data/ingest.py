"""Import every new export in data/<client>/raw/ into the client's warehouse.

Each file is one transaction with its ledger row: importing the same file again changes
nothing; a file that fails validation is reported in one line and skipped, leaving the
warehouse exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from rapport import paths
from rapport.config import Client
from rapport.errors import BadFile
from rapport.files import atomic_write

from . import sources, warehouse

IGNORED = {".DS_Store", "Thumbs.db", "desktop.ini"}
CHECKSUMS = ".checksums.json"  # in data/<client>/: each raw file's sha256 under its size, times and inode
SETTLED_NS = 2_000_000_000  # a file changed more recently than this is read again next time
PARALLEL_BYTES = 64 << 20  # new files this large in all are parsed on every core


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


def checksums(client: Client, files: list[Path]) -> list[str]:
    """Each raw file's sha256, read again only when its size, times or inode changed since
    ingest last read it (docs/architecture.md, "The warehouse"); nothing is written."""
    return _checksums(client, files)[0]


def _checksums(client: Client, files: list[Path]) -> tuple[list[str], dict | None]:
    """The checksums, and what to keep in data/<client>/.checksums.json for the next run
    (None when that is what it holds already)."""
    try:
        seen = json.loads((client.data_dir / CHECKSUMS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        seen = {}
    seen = seen if isinstance(seen, dict) else {}
    started = time.time_ns()
    kept, result = {}, []
    for path in files:
        stat = path.stat()
        key = f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns} {stat.st_ino}"
        name = path.relative_to(client.raw_dir).as_posix()
        entry = seen.get(name)
        checksum = entry[1] if isinstance(entry, list) and len(entry) == 2 and entry[0] == key else sha256(path)
        # a file changed within the clock's tick of being read could keep its times: not kept
        if started - max(stat.st_mtime_ns, stat.st_ctime_ns) > SETTLED_NS:
            kept[name] = [key, checksum]
        result.append(checksum)
    return result, (None if kept == seen else kept)


def _keep(client: Client, kept: dict) -> None:
    try:
        atomic_write(client.data_dir / CHECKSUMS, json.dumps(kept))
    except OSError:  # only a shortcut: the next run reads the files again
        pass


def raw_files(client: Client) -> list[Path]:
    if not client.raw_dir.is_dir():
        return []
    return sorted(
        p
        for p in client.raw_dir.rglob("*")
        if p.is_file() and p.name not in IGNORED and not p.name.startswith((".", "~$"))
    )


def parse(client: Client, path: Path) -> sources.Parsed:
    """The one way a raw file becomes canonical rows (ingest and check both call it): read
    with the client's time zone, the folder the file sits in (it settles a platform the
    file does not name) and the params' `imports:` mappings. Raises BadFile."""
    shown = paths.relative(path)
    if not path.resolve().is_relative_to(client.raw_dir.resolve()):
        raise BadFile(f"{shown}: a link to a file outside raw/: copy the file itself into raw/")
    context = sources.Context(shown, client.params.timezone, path.parent.name.lower(), client.params.imports)
    return sources.read(path, context)


def ingest(client: Client) -> IngestResult:
    """Import every file of raw/ the ledger does not know. Files are parsed before the
    warehouse is opened for writing, and it is opened only when one of them is new and good."""
    result = IngestResult()
    known = imported(client)
    new = []
    files = raw_files(client)
    sums, keep = _checksums(client, files)
    for path, checksum in zip(files, sums, strict=True):
        if checksum in known:
            result.unchanged += 1
            continue
        new.append((path, checksum))
        known.add(checksum)  # the same bytes twice in raw/ are one file
    good = []
    for (path, checksum), parsed in zip(new, _parse_all(client, [path for path, _ in new])):
        if isinstance(parsed, str):
            result.rejected.append(parsed)
        else:
            good.append((path, checksum, parsed))
    if good:
        with warehouse.open_write(client.warehouse_path) as con:
            for path, checksum, parsed in good:
                _store(con, parsed, path, paths.relative(path), checksum)
                result.imported.append(paths.relative(path))
    if keep is not None and not result.rejected:  # a refused file leaves everything as it was
        _keep(client, keep)
    return result


def _parse_all(client: Client, files: list[Path]) -> list[sources.Parsed | str]:
    """Each file parsed, or its one-line refusal, in order: on every core when there is
    much to read (bench/README.md, ingest), in this process otherwise (a worker costs a
    second to start)."""
    workers = min(len(files), os.cpu_count() or 1)
    if workers < 2 or sum(path.stat().st_size for path in files) < PARALLEL_BYTES:
        return [_parsed_or_refusal(client, path) for path in files]
    # spawn, not fork: this process may have run DuckDB, whose threads a fork would copy
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_parsed_or_refusal, [client] * len(files), files))


def _parsed_or_refusal(client: Client, path: Path) -> sources.Parsed | str:
    try:
        return parse(client, path)
    except BadFile as error:
        return str(error)


def imported(client: Client) -> set[str]:
    """The checksums of the files already in the client's warehouse (the ledger)."""
    if not client.warehouse_path.exists():
        return set()
    con = warehouse.open_read(client.warehouse_path)
    try:
        return {row[0] for row in con.execute("SELECT sha256 FROM imports").fetchall()}
    finally:
        con.close()


def _store(con, parsed: sources.Parsed, path: Path, shown: str, checksum: str) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    first, last = _date_range(parsed)
    # when the export was current: what the file says, else its last day, else its mtime
    as_of = parsed.as_of or last or datetime.fromtimestamp(path.stat().st_mtime).date()
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in parsed.tables.items():
            # as_of as a timestamp column: DuckDB reads a column of date objects one by one
            frame = frame.assign(source_file=shown, source_sha256=checksum, as_of=pd.Timestamp(as_of), imported_at=now)
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
