"""Metrics over the warehouse, one definition each (catalog.METRICS, docs/metrics.md).

Aggregation runs in DuckDB where the data lives. Rates are ratios of sums; a zero or
missing denominator gives None ("undefined", shown as "–"), never 0.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from rapport.catalog import METRICS
from rapport.jsonable import number, scalar

from .scope import Scope

POST_COUNTS = [
    "posts",
    "impressions",
    "reach",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "video_views",
    "engagements",
]
POST_RATES = {  # rate: (numerator, denominator) over the posts that have both
    "engagement_rate": ("engagements", "impressions"),
    "engagement_rate_reach": ("engagements", "reach"),
    "virality_rate": ("shares", "impressions"),
    "ctr": ("clicks", "impressions"),
}
PER_POST_PER_FOLLOWER = {"applause_rate": "reactions", "amplification_rate": "shares", "conversation_rate": "comments"}
KPIS = (
    POST_COUNTS
    + ["posts_per_week"]
    + list(POST_RATES)
    + ["followers", "follower_growth", "audience_growth_rate"]
    + list(PER_POST_PER_FOLLOWER)
)
ALL = "all"


def ratio(numerator, denominator):
    """A ratio of sums; undefined (None) when the denominator is zero or missing."""
    if numerator is None or denominator is None or pd.isna(numerator) or pd.isna(denominator):
        return None
    return None if denominator == 0 else float(numerator) / float(denominator)


_ENGAGEMENTS = """CASE WHEN reactions IS NULL AND comments IS NULL AND shares IS NULL AND saves IS NULL
    THEN NULL ELSE coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(saves, 0) END"""


def kpis(scope: Scope) -> pd.DataFrame:
    """KPIs per platform and overall ('all') for posts published in the period.

    Rows (index `platform`): platforms with any data, then 'all'. Columns: KPIS, counts as
    Int64, rates and averages as Float64; missing inputs stay missing (NA).

    >>> metrics.kpis(r.scope).dtypes[["posts", "engagement_rate"]].tolist()
    [Int64Dtype(), Float64Dtype()]
    """
    start, end = scope.utc_bounds()
    period = scope.period
    sums = ", ".join(f"sum({c}) AS {c}" for c in POST_COUNTS[1:])
    posts = scope.con.execute(
        f"""WITH p AS (
              SELECT platform, impressions, reach, reactions, comments, shares, saves, clicks,
                     video_views, {_ENGAGEMENTS} AS engagements
              FROM posts WHERE published_at >= ? AND published_at < ?)
            SELECT coalesce(platform, '{ALL}') AS platform, count(*) AS posts, {sums},
                   {", ".join(_paired(n, d, rate) for rate, (n, d) in POST_RATES.items())}
            FROM p GROUP BY ROLLUP (platform)""",
        [start, end],
    ).df()
    followers = _followers(scope)
    frame = posts.merge(followers, on="platform", how="outer").set_index("platform")
    if frame.empty:
        frame = pd.DataFrame(index=pd.Index([ALL], name="platform"))
    frame["posts"] = frame.get("posts", pd.Series(dtype="float")).fillna(0)
    frame["posts_per_week"] = frame["posts"] * 7 / period.days
    for rate in POST_RATES:
        frame[rate] = [ratio(n, d) for n, d in zip(_col(frame, f"{rate}_num"), _col(frame, f"{rate}_den"))]
    followers, growth = _col(frame, "followers"), _col(frame, "follower_growth")
    frame["audience_growth_rate"] = [
        None if g is None or pd.isna(g) else ratio(g, f - g) for f, g in zip(followers, growth)
    ]
    for rate, part in PER_POST_PER_FOLLOWER.items():  # per post and per follower (at period end)
        frame[rate] = [
            ratio(v, None if n is None or f is None or pd.isna(f) else n * f)
            for v, n, f in zip(_col(frame, part), _col(frame, "posts"), followers)
        ]
    order = sorted(p for p in frame.index if p != ALL) + [ALL]
    frame = frame.reindex(order).reindex(columns=KPIS)
    whole = [m for m in KPIS if METRICS[m].kind in ("count", "level")]
    return typed(frame, whole, [m for m in KPIS if m not in whole])


def _paired(numerator: str, denominator: str, prefix: str) -> str:
    """Sums for a rate over the rows that have both parts (a platform without clicks
    must not dilute the click-through rate of the others)."""
    both = f"{numerator} IS NOT NULL AND {denominator} IS NOT NULL"
    return (
        f"sum({numerator}) FILTER (WHERE {both}) AS {prefix}_num, "
        f"sum({denominator}) FILTER (WHERE {both}) AS {prefix}_den"
    )


def _col(frame: pd.DataFrame, name: str) -> list:
    return list(frame[name]) if name in frame else [None] * len(frame)


def _followers(scope: Scope) -> pd.DataFrame:
    """Followers at the end of the period and growth over it, per platform and overall."""
    frame = scope.con.execute(
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
        [scope.period.end, scope.period.start],
    ).df()
    # growth is undefined where the start is unknown (no data before the period)
    frame.loc[frame["no_start"] > 0, "follower_growth"] = None
    return frame.drop(columns="no_start")


def value(scope: Scope, params, metric: str, platform: str = ALL):
    """One metric's value for a platform (or 'all') over the scope's period, by its
    definition's source."""
    source = METRICS[metric].source
    if source in ("posts", "account_daily"):
        frame = kpis(scope)
        return scalar(frame.at[platform, metric]) if platform in frame.index and metric in frame.columns else None
    if source == "ads_daily":
        frame = paid(scope)
        return scalar(frame.at[ALL, metric]) if ALL in frame.index else None
    if source == "mentions":
        return getattr(voice(scope, params.name, params.competitors), metric)
    if metric == "roi":
        return None  # needs the activity plan: goals.value
    return getattr(web(scope), metric)


def change(current, previous, kind: str):
    """Change vs a comparison period: relative for counts, percentage points for rates."""
    if current is None or previous is None:
        return None
    if kind == "rate":
        return (current - previous) * 100  # percentage points
    return ratio(current - previous, abs(previous))


def reaches_back(scope: Scope) -> bool:
    """Whether the warehouse holds posts or account figures from the first day of the same
    period a year before (else a year-on-year change would compare with nothing)."""
    start = scope.year_before().period.start
    (first,) = scope.con.execute(
        """SELECT min(d) FROM (SELECT min(CAST(published_at AS DATE)) AS d FROM posts
                              UNION ALL SELECT min(date) FROM account_daily)"""
    ).fetchone() or (None,)
    return first is not None and first <= start


def followers_monthly(scope: Scope, months: int = 18) -> pd.DataFrame:
    """Followers at each month's end per platform over the `months` months ending with the
    scope's period, for growth charts: from the first day of the month `months` − 1 before
    the period's last month (not part of a longer month before it)."""
    end = scope.period
    return (
        scope.con.execute(
            """SELECT platform, last_day(date) AS month_end, arg_max(followers, date) AS followers
           FROM (SELECT platform, date, sum(followers) AS followers FROM account_daily
                 WHERE followers IS NOT NULL AND date <= ? AND date > last_day(? - INTERVAL (?) MONTH)
                 GROUP BY platform, date)
           GROUP BY platform, month_end ORDER BY month_end, platform""",
            [end.end, end.end, months],
        )
        .df()
        .pipe(typed, ["followers"])
    )


def posts_in(scope: Scope) -> pd.DataFrame:
    """Every post published in the period, newest first, with its engagements and rate."""
    start, end = scope.utc_bounds()
    frame = scope.con.execute(
        f"""SELECT platform, post_id, timezone(?, published_at::TIMESTAMPTZ) AS published, format, text, url,
                   campaign, impressions, reach, clicks, {_ENGAGEMENTS} AS engagements
            FROM posts WHERE published_at >= ? AND published_at < ?
            ORDER BY published_at DESC, platform, post_id""",
        [scope.timezone, start, end],
    ).df()
    frame["engagement_rate"] = [ratio(e, i) for e, i in zip(frame["engagements"], frame["impressions"])]
    return typed(frame, ["impressions", "reach", "clicks", "engagements"])


# what adapters store as the account when an export does not name it (page-level files)
UNNAMED_ACCOUNTS = ("", "page", "account")


def accounts(scope: Scope) -> pd.DataFrame:
    """Every account found in the data, from its posts and its daily account figures:
    platform, account, first and last day, posts and days with account figures.

    Names that differ only in case are one account; figures from files that name no account
    belong to the platform's account when the data names exactly one (else: account None).
    Over all the data the warehouse holds, whatever the scope's period."""
    con = scope.con
    found = con.execute(
        "SELECT DISTINCT platform, account FROM posts UNION SELECT DISTINCT platform, account FROM account_daily"
    ).df()
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
    shown = [
        spelling[(p, k)] if (p, k) in spelling.index else only.get(p, "")
        for p, k in zip(found["platform"], found["key"])
    ]
    return pd.DataFrame({"platform": found["platform"], "account": found["account"], "shown": shown})


def account_daily(scope: Scope, column: str) -> pd.DataFrame:
    """A daily account-level series (activity in the period, not post lifetime) per platform."""
    if column not in (
        "followers",
        "follower_gains",
        "follower_losses",
        "impressions",
        "reach",
        "profile_visits",
        "page_views",
    ):
        raise ValueError(f"not an account_daily column: {column}")
    return (
        scope.con.execute(
            f"""SELECT platform, date, sum({column}) AS {column} FROM account_daily
            WHERE date BETWEEN ? AND ? AND {column} IS NOT NULL
            GROUP BY platform, date ORDER BY date, platform""",
            [scope.period.start, scope.period.end],
        )
        .df()
        .pipe(typed, [column])
    )


# --- paid, web, voice ----------------------------------------------------------------------

SOCIAL_SOURCES = (
    "facebook",
    "instagram",
    "linkedin",
    "x",
    "twitter",
    "t.co",
    "tiktok",
    "youtube",
    "l.facebook.com",
    "m.facebook.com",
    "lm.facebook.com",
    "l.instagram.com",
    "lnkd.in",
)
SOCIAL_MEDIUMS = (
    "social",
    "social-network",
    "social-media",
    "sm",
    "social network",
    "social media",
    "paid_social",
    "paid-social",
    "paidsocial",
)


def paid(scope: Scope) -> pd.DataFrame:
    """Ad results per ad platform and overall: spend, impressions, clicks, conversions,
    conversion value, cpc, cpm (money in the ads' currency)."""
    frame = (
        scope.con.execute(
            f"""SELECT coalesce(platform, 'all') AS platform, {_exact_sum("spend")} AS spend,
                  sum(impressions) AS impressions, sum(reach) AS reach, sum(clicks) AS clicks,
                  {_exact_sum("conversions")} AS conversions, {_exact_sum("conversion_value")} AS conversion_value,
                  count(DISTINCT campaign) AS campaigns
           FROM ads_daily WHERE date BETWEEN ? AND ? GROUP BY ROLLUP (platform) ORDER BY platform = 'all', platform""",
            [scope.period.start, scope.period.end],
        )
        .df()
        .set_index("platform")
    )
    # without ads in the period ROLLUP still gives the 'all' row: no campaigns, nothing summed
    frame["cpc"] = [ratio(s, c) for s, c in zip(frame["spend"], frame["clicks"])]
    frame["cpm"] = [
        None if r is None else 1000 * r for r in (ratio(s, i) for s, i in zip(frame["spend"], frame["impressions"]))
    ]
    return typed(
        frame,
        ["impressions", "reach", "clicks", "campaigns"],
        ["spend", "conversions", "conversion_value", "cpc", "cpm"],
    )


def ad_campaigns(scope: Scope) -> pd.DataFrame:
    """Each ad campaign's spend in the period, per ad platform (meta covers Facebook and
    Instagram): campaign, platform, spend; campaigns without spend left out."""
    return scope.con.execute(
        f"""SELECT campaign, platform, {_exact_sum("spend")} AS spend FROM ads_daily
            WHERE date BETWEEN ? AND ? GROUP BY ALL HAVING sum(spend) > 0 ORDER BY spend DESC, campaign""",
        [scope.period.start, scope.period.end],
    ).df()


def _exact_sum(column: str, where: str | None = None) -> str:
    """A sum of money (or fractional conversions) that does not depend on the order DuckDB's
    threads add the rows in: in decimals, back to a float."""
    only = f" FILTER (WHERE {where})" if where else ""
    return f"CAST(sum(CAST({column} AS DECIMAL(38, 6))){only} AS DOUBLE)"


def social_condition() -> str:
    """The SQL condition that picks GA4 rows from social sources or mediums."""
    sources = ", ".join(f"'{s}'" for s in SOCIAL_SOURCES)
    mediums = ", ".join(f"'{m}'" for m in SOCIAL_MEDIUMS)
    return f"(lower(source) IN ({sources}) OR lower(medium) IN ({mediums}))"


@dataclass(frozen=True)
class Web:
    """Website results from social sources (GA4) over a period; the site's sessions for context."""

    sessions: int | float | None = None
    users: int | float | None = None
    conversions: int | float | None = None
    revenue: int | float | None = None
    conversion_rate: float | None = None  # conversions / social sessions
    social_share_of_sessions: float | None = None

    def as_json(self) -> dict:
        return asdict(self)


def web(scope: Scope) -> Web:
    """Website results from social sources (GA4): sessions, users, conversions, revenue and
    conversion_rate = conversions / social sessions; all missing without GA4 data."""
    row = (
        scope.con.execute(
            f"""SELECT sum(sessions) FILTER (WHERE {social_condition()}) AS sessions,
                   sum(users) FILTER (WHERE {social_condition()}) AS users,
                   {_exact_sum("conversions", social_condition())} AS conversions,
                   {_exact_sum("revenue", social_condition())} AS revenue,
                   sum(sessions) AS all_sessions, count(*) AS rows
            FROM web_daily WHERE date BETWEEN ? AND ?""",
            [scope.period.start, scope.period.end],
        ).fetchone()
        or (None,) * 6
    )
    sessions, users, conversions, revenue, all_sessions, rows = row
    if not rows:
        return Web()
    return Web(
        sessions=number(sessions),
        users=number(users),
        conversions=number(conversions),
        revenue=number(revenue),
        conversion_rate=ratio(conversions, sessions),
        social_share_of_sessions=ratio(sessions, all_sessions),
    )


@dataclass(frozen=True)
class Voice:
    """Mentions of the brand and its competitors over a period (a social listening export)."""

    mentions: int | None = None  # the brand's own
    share_of_voice: float | None = None  # own / own + competitors
    net_sentiment: float | None = None  # (positive − negative) / (positive + negative), own
    brands: dict = field(default_factory=dict)  # brand -> {mentions, positive, negative}

    def as_json(self) -> dict:
        return asdict(self)


def voice(scope: Scope, brand: str, competitors: list[str]) -> Voice:
    """Mentions per brand, share of voice and the brand's net sentiment; all missing without
    mention data."""
    # a brand however the export spells it (Acme, ACME), named as the params name it
    names = {name.lower(): name for name in reversed([brand, *competitors])}
    frame = scope.con.execute(
        """SELECT lower(brand) AS key, count(*) AS mentions, count(*) FILTER (WHERE sentiment = 'positive') AS positive,
                  count(*) FILTER (WHERE sentiment = 'negative') AS negative
           FROM mentions WHERE date BETWEEN ? AND ? GROUP BY lower(brand) ORDER BY key""",
        [scope.period.start, scope.period.end],
    ).df()
    by_brand = {
        names[row.key]: dict(mentions=int(row.mentions), positive=int(row.positive), negative=int(row.negative))
        for row in frame.itertuples()
        if row.key in names
    }
    if not by_brand:
        return Voice()
    own = by_brand.get(brand)
    total = sum(v["mentions"] for v in by_brand.values())
    return Voice(
        mentions=own["mentions"] if own else 0,
        share_of_voice=ratio(own["mentions"] if own else 0, total),
        net_sentiment=ratio(own["positive"] - own["negative"], own["positive"] + own["negative"]) if own else None,
        brands=by_brand,
    )


# --- posts: series, rankings, breakdowns -------------------------------------------------------


def series(scope: Scope, freq: str = "day") -> pd.DataFrame:
    """Posts, impressions, engagements and engagement rate per day, week or month of
    publication (client time zone) and platform."""
    if freq not in ("day", "week", "month"):
        raise ValueError(f"freq must be day, week or month, not {freq!r}")
    start, end = scope.utc_bounds()
    frame = scope.con.execute(
        f"""WITH p AS (SELECT platform, date_trunc('{freq}', timezone(?, published_at::TIMESTAMPTZ)) AS bucket,
                              impressions, {_ENGAGEMENTS} AS engagements
                       FROM posts WHERE published_at >= ? AND published_at < ?)
            SELECT CAST(bucket AS DATE) AS bucket, platform, count(*) AS posts, sum(impressions) AS impressions,
                   sum(engagements) AS engagements, {_paired("engagements", "impressions", "er")}
            FROM p GROUP BY ALL ORDER BY bucket, platform""",
        [scope.timezone, start, end],
    ).df()
    return _with_rate(frame)


def ranked_posts(
    scope: Scope, by: str = "engagement_rate", n: int = 5, bottom: bool = False, min_impressions: int | None = None
) -> pd.DataFrame:
    """The top (or bottom) `n` posts by engagement rate or engagements. For the rate only
    posts with at least `min_impressions` count (default: the period's median impressions),
    so a post seen 12 times cannot top the list."""
    if by not in ("engagement_rate", "engagements"):
        raise ValueError("rank posts by engagement_rate or engagements")
    posts = posts_in(scope)
    posts = posts[posts[by].notna()]
    if by == "engagement_rate":
        floor = min_impressions if min_impressions is not None else posts["impressions"].median()
        posts = posts[posts["impressions"] >= (0 if pd.isna(floor) else floor)]
    ordered = posts.sort_values([by, "published"], ascending=[bottom, False], kind="stable")
    return ordered.head(n).reset_index(drop=True)


def by_dimension(scope: Scope, dimension: str) -> pd.DataFrame:
    """Posts, impressions, engagements and engagement rate per format, campaign or paid flag."""
    if dimension not in ("format", "campaign", "paid", "platform"):
        raise ValueError(f"cannot break posts down by {dimension!r}")
    start, end = scope.utc_bounds()
    frame = scope.con.execute(
        f"""WITH p AS (SELECT {dimension} AS value, impressions, {_ENGAGEMENTS} AS engagements FROM posts
                       WHERE published_at >= ? AND published_at < ?)
            SELECT value, count(*) AS posts, sum(impressions) AS impressions, sum(engagements) AS engagements,
                   {_paired("engagements", "impressions", "er")}
            FROM p GROUP BY value ORDER BY posts DESC, value""",
        [start, end],
    ).df()
    return _with_rate(frame)


def posting_times(scope: Scope, hours: int = 1) -> pd.DataFrame:
    """Engagement rate (ratio of sums) and posts per weekday (0 = Monday) and hour of
    publication in the client's time zone (`hour` starts a block of `hours`): when posts do
    best. Exports that give only the day (LinkedIn, X's new export, YouTube) store midnight
    UTC: such posts have no hour and are left out."""
    start, end = scope.utc_bounds()
    frame = scope.con.execute(
        f"""WITH p AS (SELECT timezone(?, published_at::TIMESTAMPTZ) AS local, impressions,
                              {_ENGAGEMENTS} AS engagements FROM posts
                       WHERE published_at >= ? AND published_at < ? AND CAST(published_at AS TIME) <> TIME '00:00:00')
            SELECT isodow(local) - 1 AS weekday, hour(local) // {int(hours)} * {int(hours)} AS hour, count(*) AS posts,
                   {_paired("engagements", "impressions", "er")}
            FROM p GROUP BY ALL ORDER BY weekday, hour""",
        [scope.timezone, start, end],
    ).df()
    return _with_rate(frame)


def _with_rate(frame: pd.DataFrame) -> pd.DataFrame:
    """The engagement rate from the paired sums `_paired` selected (then dropped)."""
    frame["engagement_rate"] = [ratio(n, d) for n, d in zip(frame["er_num"], frame["er_den"])]
    return typed(frame.drop(columns=["er_num", "er_den"]), ["posts", "impressions", "engagements", "weekday", "hour"])


def typed(
    frame: pd.DataFrame, whole: list[str], fractional: tuple[str, ...] | list[str] = ("engagement_rate",)
) -> pd.DataFrame:
    """The frame's figures as nullable numbers: counts (`whole`) as Int64, rates, money and
    averages (`fractional`) as Float64; missing is NA, never None or NaN. Sentences, tables
    and the JSON take plain values from it (jsonable.values)."""
    frame = frame.copy()
    for columns, whole_numbers, dtype in ((whole, True, "Int64"), (fractional, False, "Float64")):
        for column in [c for c in columns if c in frame.columns]:
            frame[column] = pd.array([number(v, whole_numbers) for v in frame[column]], dtype=dtype)
    return frame


def daily_mentions(scope: Scope, brand: str, sentiment: str | None = None) -> pd.DataFrame:
    """Mentions of the brand per day of the scope (every day, zeros included), optionally
    of one sentiment."""
    condition = "AND sentiment = ?" if sentiment else ""
    params = [scope.period.start, scope.period.end, brand] + ([sentiment] if sentiment else [])
    return (
        scope.con.execute(
            f"""WITH days AS (SELECT CAST(d AS DATE) AS date FROM generate_series(CAST(? AS DATE), CAST(? AS DATE),
                                                                      INTERVAL 1 DAY) t(d)),
                 m AS (SELECT date, count(*) AS mentions FROM mentions WHERE lower(brand) = lower(?) {condition}
                       GROUP BY date)
            SELECT days.date, coalesce(m.mentions, 0) AS mentions FROM days LEFT JOIN m USING (date) ORDER BY date""",
            params,
        )
        .df()
        .assign(date=lambda f: pd.to_datetime(f["date"]).dt.date)
        .pipe(typed, ["mentions"])
    )


def daily_comments(scope: Scope) -> pd.DataFrame:
    """Comments on the client's posts per day of the scope (every day): a day's comments are
    the lifetime comments of the posts published that day in the client's time zone (post
    view), 0 on a day without posts, missing (NA) when that day's posts report none.

    >>> metrics.daily_comments(r.scope.between("2026-10-01", "2026-10-03"))["date"].astype(str).tolist()
    ['2026-10-01', '2026-10-02', '2026-10-03']
    """
    start, end = scope.utc_bounds()
    return (
        scope.con.execute(
            """WITH days AS (SELECT CAST(d AS DATE) AS date FROM generate_series(CAST(? AS DATE), CAST(? AS DATE),
                                                                      INTERVAL 1 DAY) t(d)),
                 p AS (SELECT CAST(timezone(?, published_at::TIMESTAMPTZ) AS DATE) AS date, count(*) AS posts,
                              sum(comments) AS comments
                       FROM posts WHERE published_at >= ? AND published_at < ? GROUP BY 1)
            SELECT days.date, CASE WHEN p.posts IS NULL THEN 0 ELSE p.comments END AS comments
            FROM days LEFT JOIN p USING (date) ORDER BY date""",
            [scope.period.start, scope.period.end, scope.timezone, start, end],
        )
        .df()
        .assign(date=lambda f: pd.to_datetime(f["date"]).dt.date)
        .pipe(typed, ["comments"])
    )
