"""X (Twitter): the legacy tweet activity exports and the current account analytics exports.

Headers as docs/formats.md describes them (X):
- legacy tweets: "Tweet id", "Tweet permalink", "Tweet text" (HTML-escaped), "time"
  ("2021-08-31 19:53 +0000"), "impressions", "retweets", "replies", "likes" (2015:
  "favorites"), "url clicks", "media views"; counts written as floats ("89.0").
- legacy daily: "Date", "Tweets published", "impressions", …, "follows".
- content (2024+): "Post id", "Date" ("Tue, Jul 14, 2026", no time), "Post text", "Post Link",
  "Impressions", "Likes", "Bookmarks", "Shares", "Replies", "Reposts", "URL Clicks"; replies
  (text starting with @) are conversation, not posts, and are left out.
- account overview (2024+): "Date", "Impressions", "New follows", "Unfollows",
  "Profile visits", "Create Post".
X's own "engagements" counts clicks too, so it is not used: engagements are recomputed.
"""

from __future__ import annotations

import html

from . import Parsed, Reader, build, columns_of, csv_header
from .values import to_utc


def _legacy_tweets(export, context) -> Parsed:
    c = columns_of(export, csv_header(export, "Tweet id", "Tweet permalink", "time"), context, platform="x")
    posts = build(
        "posts",
        platform=["x"] * len(c),
        post_id=c.ids("Tweet id").str.replace(r"\.0$", "", regex=True),
        published_at=c.dates("time"),
        format=["text"] * len(c),
        text=c.text("Tweet text").map(lambda t: html.unescape(t) if t else t),
        url=c.text("Tweet permalink"),
        impressions=c.number("impressions"),
        reactions=c.number("likes", "favorites"),
        comments=c.number("replies"),
        shares=c.number("retweets"),
        clicks=c.number("url clicks"),
        video_views=c.number("media views"),
    ).drop_duplicates(["platform", "post_id"], keep="last")
    return Parsed("X: tweet activity (legacy)", {"posts": posts})


def _legacy_daily(export, context) -> Parsed:
    c = columns_of(export, csv_header(export, "Date", "Tweets published", "impressions"), context, platform="x")
    daily = build(
        "account_daily",
        platform=["x"] * len(c),
        account=["account"] * len(c),
        date=c.dates("Date").dt.date,
        impressions=c.number("impressions"),
        follower_gains=c.number("follows"),
        profile_visits=c.number("user profile clicks"),
    )
    return Parsed("X: daily tweet activity (legacy)", {"account_daily": daily})


def _content(export, context) -> Parsed:
    c = columns_of(export, csv_header(export, "Post id", "Post Link", "Impressions"), context, platform="x")
    posts = build(
        "posts",
        platform=["x"] * len(c),
        post_id=c.ids("Post id"),
        published_at=to_utc(c.dates("Date"), context.timezone),
        format=["text"] * len(c),
        text=c.text("Post text"),
        url=c.text("Post Link"),
        impressions=c.number("Impressions"),
        reactions=c.number("Likes"),
        comments=c.number("Replies"),
        shares=c.number("Reposts"),
        saves=c.number("Bookmarks"),
        clicks=c.number("URL Clicks"),
    )
    replies = posts["text"].fillna("").str.startswith("@")  # conversation, not content
    posts = posts[~replies].drop_duplicates(["platform", "post_id"], keep="last")
    return Parsed("X: account analytics content", {"posts": posts})


def _overview(export, context) -> Parsed:
    c = columns_of(export, csv_header(export, "Date", "Impressions", "Unfollows"), context, platform="x")
    daily = build(
        "account_daily",
        platform=["x"] * len(c),
        account=["account"] * len(c),
        date=c.dates("Date").dt.date,
        impressions=c.number("Impressions"),
        follower_gains=c.number("New follows"),
        follower_losses=c.number("Unfollows"),
        profile_visits=c.number("Profile visits"),
    )
    return Parsed("X: account analytics overview", {"account_daily": daily})


READERS = [
    Reader(
        "X: tweet activity (legacy)",
        lambda e, c: csv_header(e, "Tweet id", "Tweet permalink", "time") is not None,
        _legacy_tweets,
    ),
    Reader(
        "X: daily tweet activity (legacy)",
        lambda e, c: csv_header(e, "Date", "Tweets published", "impressions") is not None,
        _legacy_daily,
    ),
    Reader("X: content", lambda e, c: csv_header(e, "Post id", "Post Link", "Impressions") is not None, _content),
    Reader(
        "X: account overview", lambda e, c: csv_header(e, "Date", "Impressions", "Unfollows") is not None, _overview
    ),
]
