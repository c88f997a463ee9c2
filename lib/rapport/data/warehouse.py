"""The per-client DuckDB warehouse: the canonical tables (rapport.tables) and the import ledger.

Every row keeps the file it came from (source_file, source_sha256) and the date its export
was current (as_of). Overlapping exports upsert by natural key; the newest export wins
(larger as_of, then larger checksum so the result does not depend on import order).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from rapport import paths
from rapport.errors import UserError
from rapport.files import sweep
from rapport.tables import PROVENANCE, TABLES

SCHEMA_VERSION = 1


def _ddl() -> list[str]:
    statements = [
        "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        """CREATE TABLE IF NOT EXISTS imports (
            sha256 VARCHAR PRIMARY KEY, path VARCHAR, format VARCHAR, rows BIGINT,
            first_date DATE, last_date DATE, imported_at TIMESTAMP, status VARCHAR)""",
    ]
    for table, (key, cols) in TABLES.items():
        body = ", ".join(f"{name} {kind}" for name, kind in cols + PROVENANCE)
        statements.append(f"CREATE TABLE IF NOT EXISTS {table} ({body}, PRIMARY KEY ({', '.join(key)}))")
    return statements


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SET TimeZone = 'UTC'")  # naive timestamps in the warehouse are UTC


LOCK_WAIT = float(os.environ.get("RAPPORT_LOCK_WAIT", "20"))  # seconds to wait for another process's lock


@contextmanager
def open_write(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open (creating and migrating) the warehouse for writing; only ingest does, and only
    when it has something new to store."""
    if not path.exists():
        _create(path)
    con = _connect(path, read_only=False)
    try:
        _prepare(con)
        _schema(con)  # a warehouse of an earlier version gains the tables it lacks
        yield con
    finally:
        con.close()


def _schema(con: duckdb.DuckDBPyConnection) -> None:
    for statement in _ddl():
        con.execute(statement)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def _create(path: Path) -> None:
    """A new warehouse appears with its tables or not at all: they are made in a file named
    by this process, then linked into place (a run killed meanwhile leaves no warehouse
    without tables, and what it left is swept by the next one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep(path.parent, f".{path.name}-")
    temp = path.with_name(f".{path.name}-{os.getpid()}-new")
    con = duckdb.connect(str(temp))
    try:
        _schema(con)
    finally:
        con.close()
    try:
        os.link(temp, path)  # never over a warehouse another process made meanwhile
    except FileExistsError:
        pass
    finally:
        temp.unlink()


def open_read(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection: several processes may read one warehouse at once (close it
    when done: while it is open, ingest cannot write).

    A client with no warehouse yet gets an empty in-memory one with the same tables,
    so a report says "no data" instead of failing.
    """
    if path.exists():
        con = _connect(path, read_only=True)
    else:
        con = duckdb.connect()
        for statement in _ddl():
            con.execute(statement)
    _prepare(con)
    return con


def snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse copied into memory and the file let go at once: for a notebook an
    analyst keeps open for hours, so ingest can still write."""
    con = duckdb.connect()
    _prepare(con)
    if not path.exists():
        for statement in _ddl():
            con.execute(statement)
        return con
    _connect(path, read_only=True).close()  # wait for a writer, as every reader does
    con.execute("ATTACH ? AS stored (READ_ONLY)", [str(path)])
    try:
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'stored'").fetchall():
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM stored.{table}")
    finally:
        con.execute("DETACH stored")
    return con


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Connect, waiting up to LOCK_WAIT seconds while another process holds the file."""
    deadline, pause = time.monotonic() + LOCK_WAIT, 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(path, _holder(str(error)), read_only) from None
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


class WarehouseBusy(UserError):
    """Another process holds the warehouse (an analyst's notebook, another rapport run)."""

    def __init__(self, path: Path, holder: str, read_only: bool):
        doing = "read" if read_only else "write to"
        super().__init__(
            f"cannot {doing} {paths.relative(path)}: {holder} holds it (waited {LOCK_WAIT:g} s). Close what "
            "uses it (a notebook: Kernel → Shut Down Kernel; another rapport run: let it finish), then run again"
        )


def _holder(message: str) -> str:
    """'process 1234 (a Jupyter kernel)' from DuckDB's lock message."""
    found = re.search(r"\(PID (\d+)\)", message)
    if not found:
        return "another process"
    pid = found.group(1)
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        command = ""
    kind = (
        "a Jupyter kernel"
        if "ipykernel" in command
        else "a rapport run"
        if "rapport" in command
        else command.split(" ")[0].rsplit("/", 1)[-1] or "a process"
    )
    return f"process {pid} ({kind})"


def upsert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert the rows of canonical `frame` (any subset of the table's columns plus provenance).

    On a key conflict each column the frame provides takes the newer export's value (larger
    as_of, then larger checksum, so the result does not depend on import order), or fills a
    value still missing; columns the frame does not provide keep what other exports gave
    (the Meta page exports come one metric per file).
    """
    key, cols = TABLES[table]
    # one row per key (the last value given for each column): a statement may not update a row twice
    if frame.duplicated(list(key)).any():
        frame = frame.groupby(list(key), as_index=False, sort=False, dropna=False).last()
    kinds = dict(cols + PROVENANCE)
    provided = [name for name, _ in cols if name in frame.columns]
    names = provided + [name for name, _ in PROVENANCE]
    casts = ", ".join(f"CAST({name} AS {kinds[name]}) AS {name}" for name in names)
    newer = (
        f"(excluded.as_of > {table}.as_of OR (excluded.as_of = {table}.as_of"
        f" AND excluded.source_sha256 > {table}.source_sha256))"
    )
    updates = [
        f"{name} = CASE WHEN {newer} OR {table}.{name} IS NULL THEN excluded.{name} ELSE {table}.{name} END"
        for name in provided
        if name not in key
    ]
    updates += [f"{name} = CASE WHEN {newer} THEN excluded.{name} ELSE {table}.{name} END" for name, _ in PROVENANCE]
    con.register("incoming", frame[names])
    try:
        insert = f"INSERT INTO {table} ({', '.join(names)}) SELECT {casts} FROM incoming"
        if _meets(con, table, key, kinds):  # DuckDB inserts twice as fast with no conflict to look for
            insert += f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {', '.join(updates)}"
        con.execute(insert)
    finally:
        con.unregister("incoming")


def _meets(con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...], kinds: dict[str, str]) -> bool:
    """Whether a row of `incoming` has the key of a row already in `table`."""
    keys = ", ".join(f"CAST({name} AS {kinds[name]}) AS {name}" for name in key)
    found = con.execute(
        f"SELECT EXISTS (SELECT 1 FROM (SELECT {keys} FROM incoming) JOIN {table} USING ({', '.join(key)}))"
    )
    return bool(found.fetchone()[0])  # type: ignore[index]


def span(path: Path) -> tuple | None:
    """The first and last day any table of the warehouse holds; None when it holds nothing."""
    if not path.exists():
        return None
    con = open_read(path)
    try:
        first, last = con.execute(
            """SELECT min(first), max(last) FROM (
                 SELECT min(CAST(published_at AS DATE)) AS first, max(CAST(published_at AS DATE)) AS last FROM posts
                 UNION ALL SELECT min(date), max(date) FROM account_daily
                 UNION ALL SELECT min(date), max(date) FROM ads_daily
                 UNION ALL SELECT min(date), max(date) FROM web_daily
                 UNION ALL SELECT min(date), max(date) FROM mentions)"""
        ).fetchone() or (None, None)
    finally:
        con.close()
    return None if first is None else (first, last)


def coverage(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """What the warehouse holds per table and platform: first and last day, rows, the days
    missing between them (for daily tables) and the last import."""
    parts = {
        "posts": ("platform", "CAST(published_at AS DATE)", False),
        "account_daily": ("platform", "date", True),
        "ads_daily": ("platform", "date", False),
        "web_daily": ("'web'", "date", True),
        "mentions": ("platform", "date", False),
    }
    out = []
    for table, (platform, day, daily) in parts.items():
        rows = con.execute(
            f"""SELECT {platform} AS platform, min({day}) AS first, max({day}) AS last, count(*) AS rows,
                       max(imported_at) AS imported
                FROM {table} GROUP BY 1 ORDER BY 1"""
        ).fetchall()
        for name, first, last, count, imported in rows:
            missing = _gaps(con, table, (platform, day), name, (first, last)) if daily else []
            out.append(
                dict(
                    table=table,
                    platform=name,
                    first=first,
                    last=last,
                    rows=count,
                    missing_days=sum(n for _, _, n in missing) if daily else None,
                    gaps=missing[:3],
                    last_import=imported,
                )
            )
    return out


def _gaps(con, table: str, columns: tuple[str, str], name: str, span: tuple) -> list[tuple]:
    """Runs of days with no row of `name` (its platform column and day expression in
    `columns`) between the first and last day of `span`: (from, to, days)."""
    (platform, day), (first, last) = columns, span
    return con.execute(
        f"""WITH calendar AS (SELECT CAST(d AS DATE) AS d FROM generate_series(CAST(? AS DATE), CAST(? AS DATE),
                                                                   INTERVAL 1 DAY) t(d)),
                present AS (SELECT DISTINCT {day} AS d FROM {table} WHERE {platform} = ?),
                missing AS (SELECT d, d - CAST(row_number() OVER (ORDER BY d) AS INTEGER) AS run
                            FROM calendar WHERE d NOT IN (SELECT d FROM present))
            SELECT min(d), max(d), count(*) FROM missing GROUP BY run ORDER BY 1""",
        [first, last, name],
    ).fetchall()
