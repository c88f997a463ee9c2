"""The per-client DuckDB warehouse: the canonical tables (rapport.tables) and the import ledger.

Every row keeps the file it came from (source_file, source_sha256) and the date its export
was current (as_of). Overlapping exports upsert by natural key; the newest export wins
(larger as_of, then larger checksum so the result does not depend on import order).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from rapport.tables import PROVENANCE, TABLES, columns

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
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {table} ({body}, PRIMARY KEY ({', '.join(key)}))"
        )
    return statements


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SET TimeZone = 'UTC'")  # naive timestamps in the warehouse are UTC


@contextmanager
def open_write(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open (creating and migrating) the warehouse for writing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        _prepare(con)
        for statement in _ddl():
            con.execute(statement)
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        yield con
    finally:
        con.close()


def open_read(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection: several notebooks may read one warehouse at once.

    A client with no warehouse yet gets an empty in-memory one with the same tables,
    so a report says "no data" instead of failing.
    """
    if path.exists():
        con = duckdb.connect(str(path), read_only=True)
    else:
        con = duckdb.connect()
        for statement in _ddl():
            con.execute(statement)
    _prepare(con)
    return con


def upsert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert the rows of canonical `frame` (any subset of the table's columns plus provenance).

    On a key conflict each column the frame provides takes the newer export's value (larger
    as_of, then larger checksum, so the result does not depend on import order), or fills a
    value still missing; columns the frame does not provide keep what other exports gave
    (the Meta page exports come one metric per file).
    """
    key, cols = TABLES[table]
    # one row per key (the last value given for each column): a statement may not update a row twice
    frame = frame.groupby(list(key), as_index=False, sort=False, dropna=False).last()
    kinds = dict(cols + PROVENANCE)
    provided = [name for name, _ in cols if name in frame.columns]
    names = provided + [name for name, _ in PROVENANCE]
    casts = ", ".join(f"CAST({name} AS {kinds[name]}) AS {name}" for name in names)
    newer = (f"(excluded.as_of > {table}.as_of OR (excluded.as_of = {table}.as_of"
             f" AND excluded.source_sha256 > {table}.source_sha256))")
    updates = [f"{name} = CASE WHEN {newer} OR {table}.{name} IS NULL THEN excluded.{name} ELSE {table}.{name} END"
               for name in provided if name not in key]
    updates += [f"{name} = CASE WHEN {newer} THEN excluded.{name} ELSE {table}.{name} END" for name, _ in PROVENANCE]
    con.register("incoming", frame[names])
    try:
        con.execute(
            f"""INSERT INTO {table} ({', '.join(names)}) SELECT {casts} FROM incoming
            ON CONFLICT ({', '.join(key)}) DO UPDATE SET {', '.join(updates)}"""
        )
    finally:
        con.unregister("incoming")


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
                       count(DISTINCT {day}) AS days, max(imported_at) AS imported
                FROM {table} GROUP BY 1 ORDER BY 1"""
        ).fetchall()
        for name, first, last, count, days, imported in rows:
            missing = _gaps(con, table, platform, name, day, first, last) if daily else []
            out.append(dict(table=table, platform=name, first=first, last=last, rows=count,
                            missing_days=sum(n for _, _, n in missing) if daily else None,
                            gaps=missing[:3], last_import=imported))
    return out


def _gaps(con, table, platform, name, day, first, last) -> list[tuple]:
    """Runs of days with no row between first and last: (from, to, days)."""
    return con.execute(
        f"""WITH calendar AS (SELECT CAST(d AS DATE) AS d FROM generate_series(CAST(? AS DATE), CAST(? AS DATE),
                                                                   INTERVAL 1 DAY) t(d)),
                present AS (SELECT DISTINCT {day} AS d FROM {table} WHERE {platform} = ?),
                missing AS (SELECT d, d - CAST(row_number() OVER (ORDER BY d) AS INTEGER) AS run
                            FROM calendar WHERE d NOT IN (SELECT d FROM present))
            SELECT min(d), max(d), count(*) FROM missing GROUP BY run ORDER BY 1""",
        [first, last, name],
    ).fetchall()
