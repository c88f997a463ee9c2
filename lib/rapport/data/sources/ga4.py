"""Google Analytics 4 report downloads (Reports → Share → Download file → CSV).

As docs/formats.md describes it (GA4): a `#` comment block ("# Start date: 20240101"),
then the table: "Session source / medium" with "Date" (YYYYMMDD) added as a dimension,
"Sessions", "Total users" or "Active users", "Key events" (older: "Conversions"),
"Total revenue". Only the first table of a multi-table file is read; a "Grand total"
row is dropped. Without a Date column the file is a total over its range, which cannot
be placed on days: it is refused with the way to add the dimension.
"""

from __future__ import annotations

from . import BadFile, Parsed, Reader, build, columns_of, find_header

SOURCE = ("Session source / medium", "First user source / medium")


def _header(export):
    if export.kind != "csv" or not any("start date" in line.lower() for line in export.sheets[0].comments):
        return None
    for source in SOURCE:
        header = find_header(export.sheets[0], source, "Sessions", within=2)
        if header is not None:
            return header
    return None


def _read(export, context) -> Parsed:
    header = _header(export)
    sheet = export.sheets[0]
    # several tables in one file: the first ends at the first blank or comment row
    end = next(
        (
            i
            for i, row in enumerate(sheet.rows[header + 1 :], header + 1)
            if not any(cell.strip() for cell in row) or (row and row[0].startswith("#"))
        ),
        len(sheet.rows),
    )
    sheet.rows = sheet.rows[:end]
    c = columns_of(export, header, context, platform="web")
    if not c.has("Date"):
        raise BadFile(
            f"{context.shown}: a GA4 table without a Date column (totals for the whole range); in the "
            "report add the dimension Date (the + next to the first column), then download again"
        )
    source = c.text(*SOURCE).fillna("")
    keep = (source.str.lower() != "grand total").to_numpy()
    c.frame = c.frame[keep].reset_index(drop=True)
    parts = c.text(*SOURCE).fillna("(not set) / (not set)").str.split(" / ", n=1, expand=True)
    web = build(
        "web_daily",
        date=c.dates("Date").dt.date,
        source=parts[0].str.strip().str.lower(),
        medium=parts[1].fillna("(not set)").str.strip().str.lower(),
        campaign=c.text("Session campaign").fillna("(not set)")
        if c.has("Session campaign")
        else ["(not set)"] * len(c),
        sessions=c.number("Sessions"),
        users=c.number("Total users", "Active users", "Users"),
        conversions=c.number("Key events", "Conversions", whole=False),
        revenue=c.number("Total revenue", "Purchase revenue", whole=False),
    )
    sums = ["sessions", "users", "conversions", "revenue"]
    web = web.groupby(["date", "source", "medium", "campaign"], as_index=False).agg(
        {k: (lambda s: s.sum(min_count=1)) for k in sums}
    )
    return Parsed("GA4: traffic acquisition by day", {"web_daily": web})


READERS = [Reader("GA4: traffic acquisition", lambda e, c: _header(e) is not None, _read)]
