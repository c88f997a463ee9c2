"""The classic "Facebook Insights Data Export (Post Level)" (about 2013–2020), for backfills.

As docs/formats.md describes it (legacy Facebook Insights, from a real file): row 1 is the header, row 2 a
description of each column (dropped), data from row 3. "Post ID" (pageid_postid),
"Permalink", "Post Message", "Type" (Photo, Link, Video, Status), "Posted"
("01/19/2017 09:03:47 AM" or "10/1/2015 21:00", the client's time), "Lifetime Post Total
Reach", "Lifetime Post Total Impressions", "Lifetime Talking About This (Post) by action
type - like / comment / share", "Lifetime Post Consumers by type - link clicks". Some
names repeat (unique users vs total count); the first of each is used.
"""

from __future__ import annotations

from . import Parsed, Reader, build, columns_of, csv_header, find_header
from .values import to_utc

TYPES = {"photo": "image", "link": "link", "video": "video", "status": "text", "shared video": "video"}
TALKING = "Lifetime Talking About This (Post) by action type - "


def _header(export):
    if export.kind == "csv":
        return csv_header(export, "Post ID", "Posted", "Lifetime Post Total Reach")
    sheet = next(
        (
            s
            for s in export.sheets
            if find_header(s, "Post ID", "Posted", "Lifetime Post Total Reach", within=1) is not None
        ),
        None,
    )
    return 0 if sheet is not None else None


def _read(export, context) -> Parsed:
    sheet = next(
        s
        for s in export.sheets
        if find_header(s, "Post ID", "Posted", "Lifetime Post Total Reach", within=1) is not None
    )
    top = sheet.top(2)
    description = not any(cell.strip() for cell in top[1][:3]) if len(top) > 1 else False
    c = columns_of(export, 0, context, sheet, skip=1 if description else 0, platform="facebook")
    posts = build(
        "posts",
        platform=["facebook"] * len(c),
        post_id=c.text("Post ID"),
        published_at=to_utc(c.dates("Posted"), context.timezone),
        format=c.text("Type").str.lower().map(TYPES),
        text=c.text("Post Message"),
        url=c.text("Permalink"),
        impressions=c.number("Lifetime Post Total Impressions"),
        reach=c.number("Lifetime Post Total Reach"),
        reactions=c.number(TALKING + "like"),
        comments=c.number(TALKING + "comment"),
        shares=c.number(TALKING + "share"),
        clicks=c.number("Lifetime Post Consumers by type - link clicks"),
    ).drop_duplicates(["platform", "post_id"], keep="last")
    return Parsed("Facebook Insights (legacy post level)", {"posts": posts})


READERS = [Reader("Facebook Insights (legacy post level)", lambda e, c: _header(e) is not None, _read)]
