"""Whether a report is up to date: the fingerprint of everything it is built from, kept in
its JSON (`fingerprint`), compared before a run (docs/architecture.md, "Incremental builds").

A report is built from: the warehouse rows of the days it can read (its period and up to
LOOKBACK_DAYS before it: the previous period, the same period a year before, goal histories
and followers over 18 months), the params file (and the logo it names), the activity plan
and the problem log, its notebook, and the library itself (code, templates, stylesheets and
the language catalogues). A change to any of them gives another fingerprint; `--force`
rebuilds regardless. The fingerprint is taken before the notebook runs, so data imported
during a run makes the next run build again: nothing stale is ever served.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from functools import cache
from pathlib import Path

import rapport
from rapport import paths
from rapport.config import Client
from rapport.data import warehouse
from rapport.files import sweep
from rapport.periods import Period
from rapport.publish.run import Job
from rapport.tables import TABLES

LOOKBACK_DAYS = 800  # two years and a little: the furthest back any report reads
DATED = {"posts": "CAST(published_at AS DATE)"}  # the day a row belongs to; other tables: `date`
LIBRARY_FILES = ("*.py", "*.j2", "*.css", "*.json")


def fingerprints(client: Client, jobs: list[Job]) -> list[str]:
    """The sha256 of everything each job's report is built from, in order (one connection
    to the warehouse for all of them: opening it costs more than a report's rows)."""
    con = warehouse.open_read(client.warehouse_path)
    try:
        return [_fingerprint(client, job, con) for job in jobs]
    finally:
        con.close()


def fingerprint(client: Client, report: str, period: Period, notebook: Path) -> str:
    """The sha256 of everything the report of `period` is built from."""
    return fingerprints(client, [Job(client.slug, report, period, notebook)])[0]


def _fingerprint(client: Client, job: Job, con) -> str:
    digest = hashlib.sha256()
    for part in (
        library(),
        _bytes(job.notebook or paths.notebook_path(job.report)),
        client.params_sha256.encode(),
        _bytes(client.logo_path) if client.logo_path else b"",
        _bytes(client.data_dir / "plan.csv"),
        _bytes(client.data_dir / "problems.csv"),
        rows(con, job.period.start - timedelta(days=LOOKBACK_DAYS), job.period.end).encode(),
        f"{job.report} {job.period.label}".encode(),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


@cache
def library() -> bytes:
    """The version and every file of the package a page depends on, read once per process."""
    root = Path(rapport.__file__).parent
    digest = hashlib.sha256(rapport.__version__.encode())
    for path in sorted(p for pattern in LIBRARY_FILES for p in root.rglob(pattern)):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.digest()


def rows(con, start, end) -> str:
    """Each table's rows dated from `start` to `end` in the warehouse `con` reads: how many
    and an order-free sum of their hashes (every column, provenance included), as text."""
    counts = {}
    for table in TABLES:
        day = DATED.get(table, "date")
        counts[table] = str(
            con.execute(
                f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {table} t WHERE {day} BETWEEN ? AND ?",
                [start, end],
            ).fetchone()
        )
    return json.dumps(counts, sort_keys=True)


def up_to_date(client: str, report: str, period: Period, seen: str) -> bool:
    """Whether the published report of `period` was built from `seen` (its JSON says so) and
    its page is there. What a killed run of it left behind is swept either way."""
    out = paths.report_dir(client, period.label)
    if out.is_dir():
        sweep(out, f".{report}-")
    try:
        built = json.loads((out / f"{report}.json").read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError):
        return False
    return built == seen and (out / f"{report}.html").is_file()


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
