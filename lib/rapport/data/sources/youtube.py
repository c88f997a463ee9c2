"""YouTube Studio (Analytics → Advanced mode → Export → CSV): "Table data.csv" and "Totals.csv".

Headers as docs/formats.md describes them (YouTube):
- Table data, content report: "Content" (the video id, sometimes with a leading space),
  "Video title", "Video publish time" ("Aug 12, 2024"), "Duration" (seconds), then the
  metrics the user chose ("Views", "Likes", "Comments added", "Shares", "Impressions", …);
  the first data row is "Total". Totals for the export's date range, so the file's
  modification day is when they were current.
- Chart data: "Date", "Content", "Video title", "Video publish time", "Duration", one chart
  metric; a row per day and video, summed per day.
- Totals: "Date", one chart metric ("Views", "Subscribers gained", …), daily.
"""

from __future__ import annotations

from . import Parsed, Reader, build, columns_of, csv_header
from .values import to_utc

TOTALS = {"views": "impressions", "subscribers gained": "follower_gains", "subscribers lost": "follower_losses"}


def _is_table(export, context) -> bool:
    header = csv_header(export, "Content", "Video title", "Video publish time")
    return header is not None and export.sheets[0].header_at(0)[0].lower() == "content"


def _table(export, context) -> Parsed:
    c = columns_of(export, 0, context, platform="youtube")
    keep = (c.text("Content").fillna("").str.lower() != "total").to_numpy()
    c.frame = c.frame[keep].reset_index(drop=True)
    c.first_row += int((~keep[:1]).sum())
    ids = c.text("Content").str.strip()
    duration = c.number("Duration")
    views = c.number("Views")
    posts = build(
        "posts",
        platform=["youtube"] * len(c),
        post_id=ids,
        published_at=to_utc(c.dates("Video publish time"), context.timezone),
        format=["short" if d is not None and d == d and d <= 60 else "video" for d in duration],
        text=c.text("Video title"),
        url=[f"https://www.youtube.com/watch?v={i}" for i in ids],
        impressions=views,
        reactions=c.number("Likes"),
        comments=c.number("Comments added"),
        shares=c.number("Shares"),
        video_views=views,
    )
    return Parsed("YouTube Studio: table data (content)", {"posts": posts}, as_of=export.modified)


def _is_chart(export, context) -> bool:
    header = [n.lower() for n in export.sheets[0].header_at(0)] if export.kind == "csv" else []
    return (
        header[:5] == ["date", "content", "video title", "video publish time", "duration"]
        and len(header) == 6
        and header[5] in TOTALS
    )


def _chart(export, context) -> Parsed:
    """Chart data: one row per day and video; summed per day for the channel."""
    c = columns_of(export, 0, context, platform="youtube")
    metric = export.sheets[0].header_at(0)[5]
    frame = build(
        "account_daily",
        platform=["youtube"] * len(c),
        account=["channel"] * len(c),
        date=c.dates("Date").dt.date,
        **{TOTALS[metric.lower()]: c.number(metric)},
    )
    column = TOTALS[metric.lower()]
    daily = frame.groupby(["platform", "account", "date"], as_index=False)[column].sum(min_count=1)
    return Parsed(f"YouTube Studio: chart data ({metric})", {"account_daily": daily})


def _is_totals(export, context) -> bool:
    header = export.sheets[0].header_at(0) if export.kind == "csv" else []
    return len(header) == 2 and header[0].lower() == "date" and header[1].lower() in TOTALS


def _totals(export, context) -> Parsed:
    c = columns_of(export, 0, context, platform="youtube")
    metric = export.sheets[0].header_at(0)[1]
    daily = build(
        "account_daily",
        platform=["youtube"] * len(c),
        account=["channel"] * len(c),
        date=c.dates("Date").dt.date,
        **{TOTALS[metric.lower()]: c.number(metric)},
    )
    return Parsed(f"YouTube Studio: totals ({metric})", {"account_daily": daily})


READERS = [
    Reader("YouTube Studio: table data", _is_table, _table),
    Reader("YouTube Studio: chart data", _is_chart, _chart),
    Reader("YouTube Studio: totals", _is_totals, _totals),
]
