"""Metrics over the warehouse, one definition each (catalog.METRICS, DESIGN.md §3.5).

Aggregation runs in DuckDB where the data lives. Rates are ratios of sums; a zero or
missing denominator gives None ("undefined", shown as "–"), never 0.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from .catalog import METRICS
from .periods import Period

POST_COUNTS = ["posts", "impressions", "reach", "reactions", "comments", "shares", "saves",
               "clicks", "video_views", "engagements"]
KPIS = POST_COUNTS + ["engagement_rate", "ctr", "followers", "follower_growth"]
ALL = "all"


def utc_bounds(period: Period, timezone: str) -> tuple[datetime, datetime]:
    """[start, end) of the period's days in the client's time zone, as naive UTC."""
    zone, utc = ZoneInfo(timezone), ZoneInfo("UTC")
    start = datetime.combine(period.start, time(0), zone).astimezone(utc).replace(tzinfo=None)
    end = datetime.combine(period.end + timedelta(days=1), time(0), zone).astimezone(utc)
    return start, end.replace(tzinfo=None)


def ratio(numerator, denominator):
    """A ratio of sums; undefined (None) when the denominator is zero or missing."""
    if numerator is None or denominator is None or pd.isna(numerator) or pd.isna(denominator):
        return None
    return None if denominator == 0 else float(numerator) / float(denominator)


_ENGAGEMENTS = """CASE WHEN reactions IS NULL AND comments IS NULL AND shares IS NULL AND saves IS NULL
    THEN NULL ELSE coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(saves, 0) END"""


def kpis(con: duckdb.DuckDBPyConnection, period: Period, timezone: str) -> pd.DataFrame:
    """KPIs per platform and overall ('all') for posts published in the period.

    Rows: platforms with any data, then 'all'. Columns: KPIS. Missing inputs stay missing.
    """
    start, end = utc_bounds(period, timezone)
    sums = ", ".join(f"sum({c}) AS {c}" for c in POST_COUNTS[1:])
    posts = con.execute(
        f"""WITH p AS (
              SELECT platform, impressions, reach, reactions, comments, shares, saves, clicks,
                     video_views, {_ENGAGEMENTS} AS engagements
              FROM posts WHERE published_at >= ? AND published_at < ?)
            SELECT coalesce(platform, '{ALL}') AS platform, count(*) AS posts, {sums},
                   {_paired('engagements', 'impressions', 'er')}, {_paired('clicks', 'impressions', 'ctr')}
            FROM p GROUP BY ROLLUP (platform)""",
        [start, end],
    ).df()
    followers = _followers(con, period)
    frame = posts.merge(followers, on="platform", how="outer").set_index("platform")
    if frame.empty:
        frame = pd.DataFrame(index=pd.Index([ALL], name="platform"))
    frame["posts"] = frame.get("posts", pd.Series(dtype="float")).fillna(0)
    for name, prefix in (("engagement_rate", "er"), ("ctr", "ctr")):
        frame[name] = [ratio(n, d) for n, d in zip(_col(frame, f"{prefix}_num"), _col(frame, f"{prefix}_den"))]
    order = sorted(p for p in frame.index if p != ALL) + [ALL]
    frame = frame.reindex(order).reindex(columns=KPIS).astype("object")
    for name in KPIS:
        frame[name] = pd.Series([_plain(v, name) for v in frame[name]], index=frame.index, dtype=object)
    return frame


def _paired(numerator: str, denominator: str, prefix: str) -> str:
    """Sums for a rate over the rows that have both parts (a platform without clicks
    must not dilute the click-through rate of the others)."""
    both = f"{numerator} IS NOT NULL AND {denominator} IS NOT NULL"
    return (f"sum({numerator}) FILTER (WHERE {both}) AS {prefix}_num, "
            f"sum({denominator}) FILTER (WHERE {both}) AS {prefix}_den")


def _col(frame: pd.DataFrame, name: str) -> list:
    return list(frame[name]) if name in frame else [None] * len(frame)


def _plain(value, name: str):
    """Python numbers for JSON and display: None for missing, int for counts."""
    if value is None or pd.isna(value):
        return None
    if METRICS[name].kind in ("count", "level"):
        return int(value)
    return float(value)


def _followers(con, period: Period) -> pd.DataFrame:
    """Followers at the end of the period and growth over it, per platform and overall."""
    frame = con.execute(
        """WITH daily AS (
              SELECT platform, date, sum(followers) AS followers FROM account_daily
              WHERE followers IS NOT NULL GROUP BY platform, date),
            ends AS (
              SELECT platform,
                     arg_max(followers, date) FILTER (WHERE date <= ?) AS followers,
                     arg_max(followers, date) FILTER (WHERE date < ?) AS before
              FROM daily GROUP BY platform)
            SELECT coalesce(platform, 'all') AS platform, sum(followers) AS followers,
                   sum(followers) - sum(before) AS follower_growth,
                   count(*) FILTER (WHERE before IS NULL) AS no_start
            FROM ends WHERE followers IS NOT NULL GROUP BY ROLLUP (platform)""",
        [period.end, period.start],
    ).df()
    # growth is undefined where the start is unknown (no data before the period)
    frame.loc[frame["no_start"] > 0, "follower_growth"] = None
    return frame.drop(columns="no_start")


def change(current, previous, kind: str):
    """Change vs a comparison period: relative for counts, percentage points for rates."""
    if current is None or previous is None:
        return None
    if kind == "rate":
        return (current - previous) * 100  # percentage points
    return ratio(current - previous, abs(previous))


def followers_monthly(con, timezone: str, end: Period, months: int = 18) -> pd.DataFrame:
    """Followers at each month's end per platform, for growth charts."""
    return con.execute(
        """SELECT platform, last_day(date) AS month_end, arg_max(followers, date) AS followers
           FROM (SELECT platform, date, sum(followers) AS followers FROM account_daily
                 WHERE followers IS NOT NULL AND date <= ? AND date > ? - INTERVAL (?) MONTH
                 GROUP BY platform, date)
           GROUP BY platform, month_end ORDER BY month_end, platform""",
        [end.end, end.end, months],
    ).df()


def posts_in(con, period: Period, timezone: str) -> pd.DataFrame:
    """Every post published in the period, newest first, with its engagements and rate."""
    start, end = utc_bounds(period, timezone)
    frame = con.execute(
        f"""SELECT platform, post_id, timezone(?, published_at::TIMESTAMPTZ) AS published, format, text, url,
                   campaign, impressions, reach, clicks, {_ENGAGEMENTS} AS engagements
            FROM posts WHERE published_at >= ? AND published_at < ?
            ORDER BY published_at DESC, platform, post_id""",
        [timezone, start, end],
    ).df()
    frame["engagement_rate"] = pd.Series([ratio(e, i) for e, i in zip(frame["engagements"], frame["impressions"])],
                                         index=frame.index, dtype=object)
    return frame


def accounts(con) -> pd.DataFrame:
    """Every account found in the data: platform, account, first and last day, rows."""
    return con.execute(
        """SELECT platform, account, min(date) AS first_date, max(date) AS last_date, count(*) AS days
           FROM account_daily GROUP BY platform, account ORDER BY platform, account"""
    ).df()


def account_daily(con, period: Period, column: str) -> pd.DataFrame:
    """A daily account-level series (activity in the period, not post lifetime) per platform."""
    if column not in ("followers", "follower_gains", "follower_losses", "impressions", "reach",
                      "profile_visits", "page_views"):
        raise ValueError(f"not an account_daily column: {column}")
    return con.execute(
        f"""SELECT platform, date, sum({column}) AS {column} FROM account_daily
            WHERE date BETWEEN ? AND ? AND {column} IS NOT NULL
            GROUP BY platform, date ORDER BY date, platform""",
        [period.start, period.end],
    ).df()
