"""TikTok: TikTok Studio's CSVs (loose or in their zip) and the TikTok Business overview.

Headers as docs/formats.md describes them (TikTok):
- Studio Overview.csv: "Date" (no year: "September 25", month names in the UI's language),
  "Video Views", "Profile Views", "Likes", "Comments", "Shares", newer "New followers";
  oldest first, the last row is the day before the download.
- Studio FollowerHistory.csv: "Date", "Followers" (the running total),
  "Difference in followers from previous day".
- Studio Content.csv: "Time", "Video title", "Video link", "Post time", "Total likes",
  "Total comments", "Total shares", "Total views" (totals when downloaded).
- Business overview: "Date" (2026/05/10), "Video views", "Reached audience", "Profile views",
  "Website clicks ", "Net growth", "New followers", "Lost followers".
A year-less date is placed by the download day: the file's modification day (a zip entry's
own date inside the zip).
"""

from __future__ import annotations

import pandas as pd

from . import Parsed, Reader, build, columns_of, csv_header
from .values import day_before, to_utc, yearless


def _days(c, export, column: str = "Date") -> pd.Series:
    raw = c.text(column)
    if raw.dropna().str.match(r"^\d{4}").all():
        return c.dates(column).dt.date
    days = yearless(list(raw.fillna("")), day_before(export.modified))
    for index, (text, day) in enumerate(zip(raw, days)):
        if text and day is None:
            c.fail(index, column, f"{text!r} is not a date")
    return pd.Series(days, dtype=object)


def _overview(export, context) -> Parsed:
    c = columns_of(export, csv_header(export, "Date", "Video Views", "Profile Views"), context, platform="tiktok")
    gains = c.number("New followers", signed=True)  # net: can be below zero
    daily = build(
        "account_daily",
        platform=["tiktok"] * len(c),
        account=["account"] * len(c),
        date=_days(c, export),
        impressions=c.number("Video Views"),
        profile_visits=c.number("Profile Views"),
        **({"follower_gains": gains} if c.has("New followers") else {}),
    )
    return Parsed("TikTok Studio: overview", {"account_daily": daily})


def _follower_history(export, context) -> Parsed:
    c = columns_of(
        export,
        csv_header(export, "Date", "Followers", "Difference in followers from previous day"),
        context,
        platform="tiktok",
    )
    daily = build(
        "account_daily",
        platform=["tiktok"] * len(c),
        account=["account"] * len(c),
        date=_days(c, export),
        followers=c.number("Followers"),
    )
    return Parsed("TikTok Studio: follower history", {"account_daily": daily})


def _content(export, context) -> Parsed:
    c = columns_of(export, csv_header(export, "Video link", "Post time", "Total views"), context, platform="tiktok")
    links = c.text("Video link")
    ids = links.fillna("").str.extract(r"/video/(\d+)")[0]
    missing = ids.isna()
    if missing.any():
        c.fail(int(missing.idxmax()), "Video link", "has no video id (…/video/<id>)")
    posted = c.text("Post time")
    if posted.dropna().str.match(r"^\d{4}").all():
        published = to_utc(c.dates("Post time"), context.timezone)
    else:
        published = to_utc(pd.to_datetime(pd.Series(_days(c, export, "Post time"))), context.timezone)
    views = c.number("Total views")
    posts = build(
        "posts",
        platform=["tiktok"] * len(c),
        post_id=ids,
        published_at=published,
        format=["short"] * len(c),
        text=c.text("Video title"),
        url=links,
        impressions=views,
        reactions=c.number("Total likes"),
        comments=c.number("Total comments"),
        shares=c.number("Total shares"),
        video_views=views,
    )
    return Parsed("TikTok Studio: content", {"posts": posts.drop_duplicates(["platform", "post_id"], keep="last")})


def _business(export, context) -> Parsed:
    c = columns_of(export, csv_header(export, "Date", "Reached audience", "Net growth"), context, platform="tiktok")
    daily = build(
        "account_daily",
        platform=["tiktok"] * len(c),
        account=["account"] * len(c),
        date=c.dates("Date").dt.date,
        impressions=c.number("Video views"),
        reach=c.number("Reached audience"),
        profile_visits=c.number("Profile views"),
        follower_gains=c.number("New followers"),
        follower_losses=c.number("Lost followers"),
    )
    return Parsed("TikTok Business: overview", {"account_daily": daily})


READERS = [
    Reader(
        "TikTok Studio: overview",
        lambda e, c: csv_header(e, "Date", "Video Views", "Profile Views") is not None,
        _overview,
    ),
    Reader(
        "TikTok Studio: follower history",
        lambda e, c: csv_header(e, "Date", "Followers", "Difference in followers from previous day") is not None,
        _follower_history,
    ),
    Reader(
        "TikTok Studio: content",
        lambda e, c: csv_header(e, "Video link", "Post time", "Total views") is not None,
        _content,
    ),
    Reader(
        "TikTok Business: overview",
        lambda e, c: csv_header(e, "Date", "Reached audience", "Net growth") is not None,
        _business,
    ),
]
