"""rapport's own canonical CSV: one file per table, columns named as in DESIGN.md §3.7.

Used by the demo client until it is written in the platforms' native formats, and by
users who prepare data themselves. UTF-8 (BOM allowed), comma-separated, ISO dates,
published_at in UTC (ISO 8601; a zone suffix is honoured).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from .. import warehouse

FORMAT = "rapport canonical CSV"
_DATE_COLUMN = {"posts": "published_at"}


def header(path: Path) -> list[str] | None:
    if path.suffix.lower() != ".csv":
        return None
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return [name.strip() for name in next(csv.reader(handle), [])]
    except (UnicodeDecodeError, OSError):
        return None


def table_of(header: list[str]) -> str | None:
    names = set(header)
    for table, (key, cols) in warehouse.TABLES.items():
        if set(key) <= names and names <= {name for name, _ in cols}:
            return table
    return None


def detect(header: list[str]) -> bool:
    return table_of(header) is not None


def read(path: Path, shown: str):
    from . import BadFile, Parsed

    table = table_of(header(path))
    key, cols = warehouse.TABLES[table]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [c.strip() for c in frame.columns]
    out = pd.DataFrame(index=frame.index)
    for name, kind in cols:
        raw = frame[name].str.strip() if name in frame else pd.Series("", index=frame.index)
        missing = raw.isin(["", "-", "--"])
        if kind in ("BIGINT", "DOUBLE"):
            values = pd.to_numeric(raw.where(~missing), errors="coerce")
            bad = values.isna() & ~missing
            if kind == "BIGINT":
                bad |= values.notna() & (values != values.round())
        elif kind == "DATE":
            values = pd.to_datetime(raw.where(~missing), format="%Y-%m-%d", errors="coerce").dt.date
            bad = values.isna() & ~missing
        elif kind == "TIMESTAMP":
            values = pd.to_datetime(raw.where(~missing), format="ISO8601", utc=True, errors="coerce")
            bad = values.isna() & ~missing
            values = values.dt.tz_localize(None)
        elif kind == "BOOLEAN":
            lowered = raw.str.lower()
            values = lowered.map({"true": True, "1": True, "false": False, "0": False})
            bad = values.isna() & ~missing
        else:
            values, bad = raw.where(~missing), pd.Series(False, index=frame.index)
        if bad.any():
            row = int(bad.idxmax())
            raise BadFile(f"{shown}: row {row + 2}: column {name}: {raw[row]!r} is not a valid {kind.lower()}")
        if name in key and missing.any():
            raise BadFile(f"{shown}: row {int(missing.idxmax()) + 2}: column {name}: empty (it identifies the row)")
        out[name] = values
    duplicated = out.duplicated(list(key), keep="first")
    if duplicated.any():
        row = int(duplicated.idxmax())
        raise BadFile(f"{shown}: row {row + 2}: the same {', '.join(key)} appears twice in the file")
    return Parsed(FORMAT, {table: out})


def date_column(table: str) -> str:
    return _DATE_COLUMN.get(table, "date")
