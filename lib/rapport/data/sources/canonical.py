"""rapport's own canonical CSV: one file per table, columns named as in rapport.tables (README: Canonical CSV).

For users who prepare data themselves (and anything no other adapter reads). UTF-8 (BOM
allowed), any of the usual delimiters, ISO dates; published_at is UTC unless it carries a
zone. Its header names columns of one table only, at least that table's key.
"""

from __future__ import annotations

from rapport import tables

from . import Parsed, Reader, build, columns_of

FORMAT = "rapport canonical CSV"


def table_of(header: list[str]) -> str | None:
    names = set(header)
    for name, (key, cols) in tables.TABLES.items():
        if set(key) <= names and names <= {c for c, _ in cols}:
            return name
    return None


def _matches(export, context) -> bool:
    return export.kind == "csv" and table_of(export.sheets[0].header_at(0)) is not None


def _read(export, context) -> Parsed:
    name = table_of(export.sheets[0].header_at(0))
    assert name is not None  # _matches found it
    key, cols = tables.TABLES[name]
    c = columns_of(export, 0, context)
    out = {}
    for column, kind in cols:
        if not c.has(column):
            continue
        if kind in ("BIGINT", "DOUBLE"):
            out[column] = c.number(column, whole=kind == "BIGINT")
        elif kind == "DATE":
            out[column] = c.dates(column).dt.date
        elif kind == "TIMESTAMP":
            out[column] = c.dates(column)
        elif kind == "BOOLEAN":
            raw = c.text(column)
            values = raw.str.lower().map({"true": True, "1": True, "false": False, "0": False})
            bad = values.isna() & raw.notna()
            if bad.any():
                c.fail(int(bad.idxmax()), column, f"{raw[bad.idxmax()]!r} is not true or false")
            out[column] = values.astype(object).where(values.notna(), None)
        elif column in ("post_id", "mention_id"):
            out[column] = c.ids(column)
        else:
            out[column] = c.text(column)
    frame = build(name, **out)
    for column in key:
        missing = frame[column].isna()
        if missing.any():
            c.fail(int(missing.idxmax()), column, "empty (it identifies the row)")
    duplicated = frame.duplicated(list(key))
    if duplicated.any():
        c.fail(int(duplicated.idxmax()), None, f"the same {', '.join(key)} appears twice in the file")
    return Parsed(FORMAT, {name: frame})


READERS = [Reader(FORMAT, _matches, _read)]
