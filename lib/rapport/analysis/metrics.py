"""Metrics over the warehouse, one definition each (catalog.METRICS, docs/metrics.md).

Aggregation runs in DuckDB where the data lives. Rates are ratios of sums; a zero or
missing denominator gives None ("undefined", shown as "–"), never 0.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from rapport.catalog import METRICS
from rapport.jsonable import number
from rapport.periods import Period

POST_COUNTS = ["posts", "impressions", "reach", "reactions", "comments", "shares", "saves",
               "clicks", "video_views", "engagements"]
POST_RATES = {  # rate: (numerator, denominator) over the posts that have both
    "engagement_rate": ("engagements", "impressions"),
    "engagement_rate_reach": ("engagements", "reach"),
    "virality_rate": ("shares", "impressions"),
    "ctr": ("clicks", "impressions"),
}
PER_POST_PER_FOLLOWER = {"applause_rate": "reactions", "amplification_rate": "shares", "conversation_rate": "comments"}
KPIS = POST_COUNTS + ["posts_per_week"] + list(POST_RATES) + ["followers", "follower_growth",
                                                             "audience_growth_rate"] + list(PER_POST_PER_FOLLOWER)
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
                   {', '.join(_paired(n, d, rate) for rate, (n, d) in POST_RATES.items())}
            FROM p GROUP BY ROLLUP (platform)""",
        [start, end],
    ).df()
    followers = _followers(con, period)
    frame = posts.merge(followers, on="platform", how="outer").set_index("platform")
    if frame.empty:
        frame = pd.DataFrame(index=pd.Index([ALL], name="platform"))
    frame["posts"] = frame.get("posts", pd.Series(dtype="float")).fillna(0)
    frame["posts_per_week"] = frame["posts"] * 7 / period.days
    for rate in POST_RATES:
        frame[rate] = [ratio(n, d) for n, d in zip(_col(frame, f"{rate}_num"), _col(frame, f"{rate}_den"))]
    followers, growth = _col(frame, "followers"), _col(frame, "follower_growth")
    frame["audience_growth_rate"] = [None if g is None or pd.isna(g) else ratio(g, f - g) for f, g in zip(followers, growth)]
    for rate, part in PER_POST_PER_FOLLOWER.items():  # per post and per follower (at period end)
        frame[rate] = [ratio(v, None if n is None or f is None or pd.isna(f) else n * f)
                       for v, n, f in zip(_col(frame, part), _col(frame, "posts"), followers)]
    order = sorted(p for p in frame.index if p != ALL) + [ALL]
    frame = frame.reindex(order).reindex(columns=KPIS).astype("object")
    for name in KPIS:
        whole = METRICS[name].kind in ("count", "level")
        frame[name] = pd.Series([number(v, whole) for v in frame[name]], index=frame.index, dtype=object)
    return frame


def _paired(numerator: str, denominator: str, prefix: str) -> str:
    """Sums for a rate over the rows that have both parts (a platform without clicks
    must not dilute the click-through rate of the others)."""
    both = f"{numerator} IS NOT NULL AND {denominator} IS NOT NULL"
    return (f"sum({numerator}) FILTER (WHERE {both}) AS {prefix}_num, "
            f"sum({denominator}) FILTER (WHERE {both}) AS {prefix}_den")


def _col(frame: pd.DataFrame, name: str) -> list:
    return list(frame[name]) if name in frame else [None] * len(frame)


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


def value(con, params, metric: str, platform: str, period: Period):
    """One metric's value for a platform (or 'all') over a period, by its definition's source."""
    source = METRICS[metric].source
    if source in ("posts", "account_daily"):
        frame = kpis(con, period, params.timezone)
        return frame.at[platform, metric] if platform in frame.index and metric in frame.columns else None
    if source == "ads_daily":
        frame = paid(con, period)
        key = {"spend": "spend", "cpc": "cpc", "cpm": "cpm"}[metric]
        return frame.at["all", key] if "all" in frame.index else None
    if source == "mentions":
        return voice(con, period, params.name, params.competitors).get(metric)
    if metric == "roi":
        return None  # needs the activity plan: analysis.plan.roi
    return web(con, period).get(metric)


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


# what adapters store as the account when an export does not name it (page-level files)
UNNAMED_ACCOUNTS = ("", "page", "account")


def accounts(con) -> pd.DataFrame:
    """Every account found in the data, from its posts and its daily account figures:
    platform, account, first and last day, posts and days with account figures.

    Names that differ only in case are one account; figures from files that name no account
    belong to the platform's account when the data names exactly one (else: account None)."""
    found = con.execute("SELECT DISTINCT platform, account FROM posts UNION SELECT DISTINCT platform, account "
                        "FROM account_daily").df()
    con.register("account_names", _account_names(found))
    try:
        return con.execute(
            """WITH p AS (SELECT n.shown AS key, posts.platform, min(CAST(published_at AS DATE)) AS first_date,
                                 max(CAST(published_at AS DATE)) AS last_date, count(*) AS posts
                          FROM posts JOIN account_names n ON posts.platform = n.platform
                               AND coalesce(posts.account, '') = n.account GROUP BY ALL),
                    d AS (SELECT n.shown AS key, a.platform, min(date) AS first_date, max(date) AS last_date,
                                 count(DISTINCT date) AS days
                          FROM account_daily a JOIN account_names n ON a.platform = n.platform
                               AND coalesce(a.account, '') = n.account GROUP BY ALL)
               SELECT platform, nullif(key, '') AS account, least(p.first_date, d.first_date) AS first_date,
                      greatest(p.last_date, d.last_date) AS last_date, coalesce(posts, 0) AS posts,
                      coalesce(days, 0) AS days
               FROM p FULL OUTER JOIN d USING (platform, key) ORDER BY platform, account"""
        ).df()
    finally:
        con.unregister("account_names")


def _account_names(found: pd.DataFrame) -> pd.DataFrame:
    """(platform, account as stored, account as shown): one spelling per account, files
    without a name folded into the platform's only named account."""
    found = found.assign(account=found["account"].fillna(""))
    found["key"] = found["account"].str.lower()
    named = found[~found["key"].isin(UNNAMED_ACCOUNTS)]
    spelling = named.groupby(["platform", "key"])["account"].min()  # "Nordkaffe" over "nordkaffe"
    only = {platform: names.iloc[0] for platform, names in spelling.groupby(level=0) if len(names) == 1}
    shown = [spelling[(p, k)] if (p, k) in spelling.index else only.get(p, "")
             for p, k in zip(found["platform"], found["key"])]
    return pd.DataFrame({"platform": found["platform"], "account": found["account"], "shown": shown})


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


# --- paid, web, voice ----------------------------------------------------------------------

SOCIAL_SOURCES = ("facebook", "instagram", "linkedin", "x", "twitter", "t.co", "tiktok", "youtube",
                  "l.facebook.com", "m.facebook.com", "lm.facebook.com", "l.instagram.com", "lnkd.in")
SOCIAL_MEDIUMS = ("social", "social-network", "social-media", "sm", "social network", "social media",
                  "paid_social", "paid-social", "paidsocial")


def paid(con, period: Period) -> pd.DataFrame:
    """Ad results per ad platform and overall: spend, impressions, clicks, conversions,
    conversion value, cpc, cpm (money in the ads' currency)."""
    frame = con.execute(
        """SELECT coalesce(platform, 'all') AS platform, sum(spend) AS spend, sum(impressions) AS impressions,
                  sum(reach) AS reach, sum(clicks) AS clicks, sum(conversions) AS conversions,
                  sum(conversion_value) AS conversion_value, count(DISTINCT campaign) AS campaigns
           FROM ads_daily WHERE date BETWEEN ? AND ? GROUP BY ROLLUP (platform) ORDER BY platform = 'all', platform""",
        [period.start, period.end],
    ).df().set_index("platform")
    if frame.empty:
        frame = pd.DataFrame({c: [None] for c in ("spend", "impressions", "reach", "clicks", "conversions",
                                                  "conversion_value", "campaigns")}, index=pd.Index([ALL], name="platform"))
    frame["cpc"] = [ratio(s, c) for s, c in zip(frame["spend"], frame["clicks"])]
    frame["cpm"] = [None if r is None else 1000 * r for r in (ratio(s, i) for s, i in zip(frame["spend"], frame["impressions"]))]
    return _objects(frame)


def social_condition() -> str:
    sources = ", ".join(f"'{s}'" for s in SOCIAL_SOURCES)
    mediums = ", ".join(f"'{m}'" for m in SOCIAL_MEDIUMS)
    return f"(lower(source) IN ({sources}) OR lower(medium) IN ({mediums}))"


def web(con, period: Period) -> dict:
    """Website results from social sources (GA4): sessions, users, conversions, revenue and
    conversion_rate = conversions / social sessions; the site's totals for context."""
    row = con.execute(
        f"""SELECT sum(sessions) FILTER (WHERE {social_condition()}) AS sessions,
                   sum(users) FILTER (WHERE {social_condition()}) AS users,
                   sum(conversions) FILTER (WHERE {social_condition()}) AS conversions,
                   sum(revenue) FILTER (WHERE {social_condition()}) AS revenue,
                   sum(sessions) AS all_sessions, count(*) AS rows
            FROM web_daily WHERE date BETWEEN ? AND ?""",
        [period.start, period.end],
    ).fetchone()
    sessions, users, conversions, revenue, all_sessions, rows = row
    if not rows:
        return dict(sessions=None, users=None, conversions=None, revenue=None, conversion_rate=None,
                    social_share_of_sessions=None)
    return dict(sessions=number(sessions), users=number(users), conversions=number(conversions), revenue=number(revenue),
                conversion_rate=ratio(conversions, sessions), social_share_of_sessions=ratio(sessions, all_sessions))


def voice(con, period: Period, brand: str, competitors: list[str]) -> dict:
    """Mentions per brand, share of voice (own / own + competitors) and the brand's net
    sentiment ((positive − negative) / (positive + negative)); None without mention data."""
    names = [brand] + list(competitors)
    frame = con.execute(
        """SELECT brand, count(*) AS mentions, count(*) FILTER (WHERE sentiment = 'positive') AS positive,
                  count(*) FILTER (WHERE sentiment = 'negative') AS negative, sum(reach) AS reach
           FROM mentions WHERE date BETWEEN ? AND ? GROUP BY brand""",
        [period.start, period.end],
    ).df()
    frame = frame[frame["brand"].str.lower().isin([n.lower() for n in names])]
    by_brand = {row.brand: dict(mentions=int(row.mentions), positive=int(row.positive), negative=int(row.negative))
                for row in frame.itertuples()}
    own = next((v for k, v in by_brand.items() if k.lower() == brand.lower()), None)
    total = sum(v["mentions"] for v in by_brand.values())
    if not by_brand:
        return dict(mentions=None, share_of_voice=None, net_sentiment=None, brands={})
    return dict(
        mentions=own["mentions"] if own else 0,
        share_of_voice=ratio(own["mentions"] if own else 0, total),
        net_sentiment=ratio(own["positive"] - own["negative"], own["positive"] + own["negative"]) if own else None,
        brands=by_brand,
    )


# --- posts: series, rankings, breakdowns -------------------------------------------------------

def series(con, period: Period, timezone: str, freq: str = "day") -> pd.DataFrame:
    """Posts, impressions, engagements and engagement rate per day, week or month of
    publication (client time zone) and platform."""
    if freq not in ("day", "week", "month"):
        raise ValueError(f"freq must be day, week or month, not {freq!r}")
    start, end = utc_bounds(period, timezone)
    frame = con.execute(
        f"""WITH p AS (SELECT platform, date_trunc('{freq}', timezone(?, published_at::TIMESTAMPTZ)) AS bucket,
                              impressions, {_ENGAGEMENTS} AS engagements
                       FROM posts WHERE published_at >= ? AND published_at < ?)
            SELECT CAST(bucket AS DATE) AS bucket, platform, count(*) AS posts, sum(impressions) AS impressions,
                   sum(engagements) AS engagements, {_paired('engagements', 'impressions', 'er')}
            FROM p GROUP BY ALL ORDER BY bucket, platform""",
        [timezone, start, end],
    ).df()
    frame["engagement_rate"] = [ratio(n, d) for n, d in zip(frame["er_num"], frame["er_den"])]
    return frame.drop(columns=["er_num", "er_den"])


def ranked_posts(con, period: Period, timezone: str, by: str = "engagement_rate", n: int = 5,
                 bottom: bool = False, min_impressions: int | None = None) -> pd.DataFrame:
    """The top (or bottom) `n` posts by engagement rate or engagements. For the rate only
    posts with at least `min_impressions` count (default: the period's median impressions),
    so a post seen 12 times cannot top the list."""
    if by not in ("engagement_rate", "engagements"):
        raise ValueError("rank posts by engagement_rate or engagements")
    posts = posts_in(con, period, timezone)
    posts = posts[posts[by].notna()]
    if by == "engagement_rate":
        floor = min_impressions if min_impressions is not None else posts["impressions"].median()
        posts = posts[posts["impressions"] >= (floor if floor == floor else 0)]
    ordered = posts.sort_values([by, "published"], ascending=[bottom, False], kind="stable")
    return ordered.head(n).reset_index(drop=True)


def by_dimension(con, period: Period, timezone: str, dimension: str) -> pd.DataFrame:
    """Posts, impressions, engagements and engagement rate per format, campaign or paid flag."""
    if dimension not in ("format", "campaign", "paid", "platform"):
        raise ValueError(f"cannot break posts down by {dimension!r}")
    start, end = utc_bounds(period, timezone)
    frame = con.execute(
        f"""WITH p AS (SELECT {dimension} AS value, impressions, {_ENGAGEMENTS} AS engagements FROM posts
                       WHERE published_at >= ? AND published_at < ?)
            SELECT value, count(*) AS posts, sum(impressions) AS impressions, sum(engagements) AS engagements,
                   {_paired('engagements', 'impressions', 'er')}
            FROM p GROUP BY value ORDER BY posts DESC, value""",
        [start, end],
    ).df()
    frame["engagement_rate"] = [ratio(n, d) for n, d in zip(frame["er_num"], frame["er_den"])]
    return frame.drop(columns=["er_num", "er_den"])


def posting_times(con, period: Period, timezone: str, hours: int = 1) -> pd.DataFrame:
    """Engagement rate (ratio of sums) and posts per weekday (0 = Monday) and hour of
    publication in the client's time zone (`hour` starts a block of `hours`): when posts do
    best. Exports that give only the day (LinkedIn, X's new export, YouTube) store midnight
    UTC: such posts have no hour and are left out."""
    start, end = utc_bounds(period, timezone)
    frame = con.execute(
        f"""WITH p AS (SELECT timezone(?, published_at::TIMESTAMPTZ) AS local, impressions,
                              {_ENGAGEMENTS} AS engagements FROM posts
                       WHERE published_at >= ? AND published_at < ? AND CAST(published_at AS TIME) <> TIME '00:00:00')
            SELECT isodow(local) - 1 AS weekday, hour(local) // {int(hours)} * {int(hours)} AS hour, count(*) AS posts,
                   {_paired('engagements', 'impressions', 'er')}
            FROM p GROUP BY ALL ORDER BY weekday, hour""",
        [timezone, start, end],
    ).df()
    frame["engagement_rate"] = [ratio(n, d) for n, d in zip(frame["er_num"], frame["er_den"])]
    return frame.drop(columns=["er_num", "er_den"])


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(object)
    for column in frame.columns:
        frame[column] = pd.Series([number(v) for v in frame[column]], index=frame.index, dtype=object)
    return frame


def daily_mentions(con, start, end, brand: str, sentiment: str | None = None) -> pd.DataFrame:
    """Mentions of the brand per day (every day, zeros included), optionally of one sentiment."""
    condition = "AND sentiment = ?" if sentiment else ""
    params = [start, end, brand] + ([sentiment] if sentiment else [])
    return con.execute(
        f"""WITH days AS (SELECT CAST(d AS DATE) AS date FROM generate_series(CAST(? AS DATE), CAST(? AS DATE),
                                                                      INTERVAL 1 DAY) t(d)),
                 m AS (SELECT date, count(*) AS mentions FROM mentions WHERE lower(brand) = lower(?) {condition}
                       GROUP BY date)
            SELECT days.date, coalesce(m.mentions, 0) AS mentions FROM days LEFT JOIN m USING (date) ORDER BY date""",
        params,
    ).df().assign(date=lambda f: pd.to_datetime(f["date"]).dt.date)
