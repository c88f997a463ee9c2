"""The per-client DuckDB warehouse: canonical tables (DESIGN.md §3.7) and the import ledger.

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

SCHEMA_VERSION = 1

# table -> (natural key, [(column, type)])
TABLES: dict[str, tuple[tuple[str, ...], list[tuple[str, str]]]] = {
    "posts": (
        ("platform", "post_id"),
        [
            ("platform", "VARCHAR"),
            ("post_id", "VARCHAR"),
            ("account", "VARCHAR"),
            ("published_at", "TIMESTAMP"),  # UTC
            ("format", "VARCHAR"),
            ("text", "VARCHAR"),
            ("url", "VARCHAR"),
            ("campaign", "VARCHAR"),
            ("impressions", "BIGINT"),
            ("reach", "BIGINT"),
            ("reactions", "BIGINT"),
            ("comments", "BIGINT"),
            ("shares", "BIGINT"),
            ("saves", "BIGINT"),
            ("clicks", "BIGINT"),
            ("video_views", "BIGINT"),
            ("paid", "BOOLEAN"),
        ],
    ),
    "account_daily": (
        ("platform", "account", "date"),
        [
            ("platform", "VARCHAR"),
            ("account", "VARCHAR"),
            ("date", "DATE"),
            ("followers", "BIGINT"),
            ("follower_gains", "BIGINT"),
            ("follower_losses", "BIGINT"),
            ("impressions", "BIGINT"),
            ("reach", "BIGINT"),
            ("profile_visits", "BIGINT"),
            ("page_views", "BIGINT"),
        ],
    ),
    "ads_daily": (
        ("platform", "date", "campaign"),
        [
            ("platform", "VARCHAR"),
            ("date", "DATE"),
            ("campaign", "VARCHAR"),
            ("spend", "DOUBLE"),
            ("impressions", "BIGINT"),
            ("reach", "BIGINT"),
            ("clicks", "BIGINT"),
            ("conversions", "DOUBLE"),
            ("conversion_value", "DOUBLE"),
            ("currency", "VARCHAR"),
        ],
    ),
    "web_daily": (
        ("date", "source", "medium", "campaign"),
        [
            ("date", "DATE"),
            ("source", "VARCHAR"),
            ("medium", "VARCHAR"),
            ("campaign", "VARCHAR"),
            ("sessions", "BIGINT"),
            ("users", "BIGINT"),
            ("conversions", "DOUBLE"),
            ("revenue", "DOUBLE"),
        ],
    ),
    "mentions": (
        ("platform", "mention_id"),
        [
            ("platform", "VARCHAR"),
            ("mention_id", "VARCHAR"),
            ("date", "DATE"),
            ("brand", "VARCHAR"),
            ("author", "VARCHAR"),
            ("text", "VARCHAR"),
            ("sentiment", "VARCHAR"),
            ("reach", "BIGINT"),
        ],
    ),
}

PROVENANCE = [
    ("source_file", "VARCHAR"),
    ("source_sha256", "VARCHAR"),
    ("as_of", "DATE"),
    ("imported_at", "TIMESTAMP"),
]


def columns(table: str) -> list[str]:
    return [name for name, _ in TABLES[table][1]]


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
    """Insert rows of canonical `frame`; on a key conflict the newer export wins."""
    key, cols = TABLES[table]
    names = [name for name, _ in cols] + [name for name, _ in PROVENANCE]
    casts = ", ".join(f"CAST({name} AS {kind}) AS {name}" for name, kind in cols + PROVENANCE)
    updates = ", ".join(f"{name} = excluded.{name}" for name in names if name not in key)
    con.register("incoming", frame[names])
    try:
        con.execute(
            f"""INSERT INTO {table} ({', '.join(names)}) SELECT {casts} FROM incoming
            ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}
            WHERE excluded.as_of > {table}.as_of
               OR (excluded.as_of = {table}.as_of AND excluded.source_sha256 > {table}.source_sha256)"""
        )
    finally:
        con.unregister("incoming")
