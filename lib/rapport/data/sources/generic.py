"""Any CSV/XLSX export, read through a column mapping from the params file (`imports:`).

For social listening mention exports, other networks, hand-kept sheets. A mapping names
the header columns that identify the file (`detect`), which of its columns fill which
canonical column, constants, and how its sentiment words translate.
"""

from __future__ import annotations

from rapport import tables

from . import Parsed, Reader, build, columns_of, find_header


def _mapping(export, context):
    for mapping in context.mappings:
        for sheet in export.sheets:
            header = find_header(sheet, *mapping.detect)
            if header is not None:
                return mapping, sheet, header
    return None


def _matches(export, context) -> bool:
    return bool(context.mappings) and _mapping(export, context) is not None


def _read(export, context) -> Parsed:
    mapping, sheet, header = _mapping(export, context)
    key, cols = tables.TABLES[mapping.table]
    kinds = dict(cols)
    c = columns_of(export, header, context, sheet)
    out = {}
    for column, source in mapping.columns.items():
        if not c.has(source):
            c.fail(None, None, f"has no column {source!r} (params imports '{mapping.name}': columns.{column})")
        kind = kinds[column]
        if kind in ("BIGINT", "DOUBLE"):
            out[column] = c.number(source, whole=kind == "BIGINT")
        elif kind == "DATE":
            out[column] = c.dates(source, day_first=mapping.day_first).dt.date
        elif kind == "TIMESTAMP":
            from .values import to_utc

            out[column] = to_utc(c.dates(source, day_first=mapping.day_first), context.timezone)
        elif kind == "BOOLEAN":
            out[column] = c.text(source).str.lower().isin(["true", "1", "yes", "paid"])
        elif column in ("post_id", "mention_id"):
            out[column] = c.ids(source)
        else:
            out[column] = c.text(source)
    if "sentiment" in out and mapping.sentiment:
        words = {k.lower(): v for k, v in mapping.sentiment.items()}
        out["sentiment"] = out["sentiment"].map(lambda v: words.get(str(v).lower(), v) if v is not None else None)
    for column, value in mapping.values.items():
        out[column] = [value] * len(c)
    frame = build(mapping.table, **out)
    for column in key:
        missing = frame[column].isna()
        if missing.any():
            c.fail(int(missing.idxmax()), mapping.columns.get(column, column), "empty (it identifies the row)")
    frame = frame.drop_duplicates(list(key), keep="last")
    return Parsed(f"mapped: {mapping.name}", {mapping.table: frame})


READERS = [Reader("mapped export (params imports)", _matches, _read)]
