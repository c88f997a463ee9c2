"""The rules of analysis/metrics.py that the older tests left open (make mutation): posts per
week and a channel with followers but no posts, the ranking's default size, floor and tie
order, the year-on-year reach of the data, the monthly follower series, the daily comments
in the client's day, the ad campaigns, the breakdowns and series each function accepts, the
daily account columns, the account found in files that name none, and the types every frame
hands on (counts as Int64). Every expected figure is worked out by hand in the test.

Survivors explained: the metrics mutants no test can tell from the original are listed with
their reasons in docs/mutation.md ("Survivors explained", `analysis/metrics.py`).
"""

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from rapport import periods
from rapport.analysis import metrics
from rapport.analysis.scope import Scope

from test_analysis import at, post, store

# instagram: three posts (engagements 50, 40, 20), facebook: one (10); two on the 5th; every post
# reports its clicks and reach (DuckDB hands a BIGINT column without a missing value on as int64)
POSTS = [
    post(1, date(2026, 10, 3), 1000, reactions=40, comments=10, clicks=9, reach=800, campaign="autumn"),
    post(
        2,
        date(2026, 10, 5),
        2000,
        reactions=30,
        shares=10,
        clicks=8,
        reach=1500,
        hour=18,
        fmt="video",
        campaign="autumn",
        paid=True,
    ),
    post(3, date(2026, 10, 20), 500, reactions=20, clicks=7, reach=450, hour=9),
    post(4, date(2026, 10, 5), 400, reactions=8, comments=2, clicks=6, reach=300, platform="facebook", hour=8),
]


@pytest.fixture(scope="module")
def october():
    return at(store(posts=POSTS))


def day_of(value) -> date:
    return pd.Timestamp(value).date()


# --- KPIs ------------------------------------------------------------------------------------


def test_posts_per_week_and_a_channel_with_followers_but_no_posts():
    """October has 31 days: 3 posts are 3 · 7 / 31 a week. LinkedIn has follower figures but
    no post in the period: it has 0 posts (not missing) and 0 posts a week."""
    followers = [
        dict(platform="linkedin", account="acme", date=date(2026, 9, 30), followers=500),
        dict(platform="linkedin", account="acme", date=date(2026, 10, 31), followers=520),
    ]
    frame = metrics.kpis(at(store(posts=POSTS[:3], account_daily=followers)))
    assert list(frame.index) == ["instagram", "linkedin", "all"]
    assert frame["posts"].tolist() == [3, 0, 3]
    assert frame.at["instagram", "posts_per_week"] == pytest.approx(21 / 31)
    assert frame.at["all", "posts_per_week"] == pytest.approx(21 / 31)
    assert frame.at["linkedin", "posts_per_week"] == 0
    assert (frame.at["linkedin", "followers"], frame.at["linkedin", "follower_growth"]) == (520, 20)


# --- rankings --------------------------------------------------------------------------------

# engagements 5, 10, 30, 30, 20, 1, 2 on impressions 10, 100, 200, 300, 400, 50, 60 (Oct 1–7)
RANKED = [
    post(i, date(2026, 10, i), impressions, reactions=reactions)
    for i, impressions, reactions in [(1, 10, 5), (2, 100, 10), (3, 200, 30), (4, 300, 30), (5, 400, 20), (6, 50, 1)]
] + [post(7, date(2026, 10, 7), 60, reactions=2)]
POST_COLUMNS = [
    "platform",
    "post_id",
    "published",
    "format",
    "text",
    "url",
    "campaign",
    "impressions",
    "reach",
    "clicks",
    "engagements",
    "engagement_rate",
]


@pytest.fixture(scope="module")
def ranked():
    return at(store(posts=RANKED))


def test_ranking_by_engagements_gives_five_posts_and_the_newer_of_a_tie_first(ranked):
    """By engagements: posts 3 and 4 both have 30, the newer (4, Oct 4) comes first; then
    5 (20), 2 (10), 1 (5). Five posts by default, of seven; the index is 0…4, not a column."""
    top = metrics.ranked_posts(ranked, by="engagements")
    assert top["post_id"].tolist() == ["4", "3", "5", "2", "1"]
    assert list(top.columns) == POST_COLUMNS
    assert list(top.index) == [0, 1, 2, 3, 4]


def test_ranking_by_rate_only_counts_posts_seen_at_least_the_median_number_of_times(ranked):
    """Impressions 10, 50, 60, 100, 200, 300, 400: the median is 100, so post 1 (rate 0.5,
    seen 10 times) and posts 6 and 7 are left out. Rates: post 3 0.15, posts 4 and 2 0.1
    (4 is newer), post 5 0.05."""
    top = metrics.ranked_posts(ranked)
    assert top["post_id"].tolist() == ["3", "4", "2", "5"]
    assert top["engagement_rate"].tolist() == pytest.approx([0.15, 0.1, 0.1, 0.05])
    # a floor given by the caller replaces the median: 200 leaves 3, 4 and 5
    assert metrics.ranked_posts(ranked, min_impressions=200)["post_id"].tolist() == ["3", "4", "5"]


# --- comparisons ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tables, reaches",
    [
        (dict(posts=[post(1, date(2025, 10, 1), 100)]), True),  # the first day a year before
        (dict(posts=[post(1, date(2025, 10, 2), 100)]), False),  # one day short
        (dict(account_daily=[dict(platform="x", account="a", date=date(2025, 10, 1), followers=1)]), True),
        (
            dict(
                posts=[post(1, date(2025, 10, 2), 100)],
                account_daily=[dict(platform="x", account="a", date=date(2025, 9, 15), followers=1)],
            ),
            True,  # the account figures reach back though the posts do not
        ),
        (dict(posts=[post(1, date(2026, 10, 2), 100)]), False),
        (dict(), False),  # an empty warehouse
    ],
)
def test_the_data_reaches_back_a_year_only_from_the_first_day_of_that_period(tables, reaches):
    """October 2026's year-before period starts on 2025-10-01: the data reaches back when
    its first post or account day is on or before that day."""
    assert metrics.reaches_back(at(store(**tables))) is reaches


# --- followers per month -----------------------------------------------------------------------


def monthly_rows():
    """instagram: on the 1st and the 15th of every month from March 2025 to November 2026,
    1000 + 10 · k and 1000 + 10 · k + 5 (k = 0 in March 2025), and 1 on 2025-04-30;
    facebook: two accounts on 10 and 20 October 2026 (100 + 50, then 110 + 60)."""
    rows, month = [], date(2025, 3, 1)
    for k in range(21):
        for day, extra in ((1, 0), (15, 5)):
            rows.append(
                dict(platform="instagram", account="a", date=month.replace(day=day), followers=1000 + 10 * k + extra)
            )
        month = (month + timedelta(days=32)).replace(day=1)
    rows.append(dict(platform="instagram", account="a", date=date(2025, 4, 30), followers=1))
    for account, first, second in (("a", 100, 110), ("b", 50, 60)):
        rows.append(dict(platform="facebook", account=account, date=date(2026, 10, 10), followers=first))
        rows.append(dict(platform="facebook", account=account, date=date(2026, 10, 20), followers=second))
    return rows


def month_end(year, month):
    return periods.for_report("monthly", f"{year}-{month:02d}").end


def test_followers_at_each_months_end_over_the_last_18_months():
    """Ending October 2026, 18 months start in May 2025 (k = 2): each month's last figure is
    the 15th's, 1005 + 10 · k; April 2025 (and its 30th) is out, November 2026 too. Facebook's
    two accounts add up on their last day: 110 + 60."""
    scope = at(store(account_daily=monthly_rows()))
    frame = metrics.followers_monthly(scope)
    assert list(frame.columns) == ["platform", "month_end", "followers"]
    assert str(frame["followers"].dtype) == "Int64"
    got = [(p, day_of(m), f) for p, m, f in zip(frame["platform"], frame["month_end"], frame["followers"])]
    expected = []
    for k in range(2, 20):
        year, month = 2025 + (k + 2) // 12, (k + 2) % 12 + 1
        if (year, month) == (2026, 10):
            expected.append(("facebook", month_end(year, month), 170))
        expected.append(("instagram", month_end(year, month), 1005 + 10 * k))
    assert got == expected
    two = metrics.followers_monthly(scope, months=2)
    assert [(p, day_of(m)) for p, m in zip(two["platform"], two["month_end"])] == [
        ("instagram", date(2026, 9, 30)),
        ("facebook", date(2026, 10, 31)),
        ("instagram", date(2026, 10, 31)),
    ]


def test_the_months_of_followers_start_on_a_first_day_whatever_the_months_length():
    """18 months ending September 2026 are April 2025 to September 2026: 31 March 2025 (18
    months before 30 September would be the 30th) is not a 19th month. One month ending
    February 2026 is February alone, not also the last days of January (28 February minus a
    month is 28 January)."""
    days = [(date(2025, 3, 31), 1), (date(2025, 4, 2), 2), (date(2026, 1, 30), 3), (date(2026, 2, 10), 4)]
    con = store(account_daily=[dict(platform="x", account="a", date=d, followers=f) for d, f in days])
    september = metrics.followers_monthly(at(con, periods.for_report("monthly", "2026-09")))
    got = [(day_of(m), f) for m, f in zip(september["month_end"], september["followers"])]
    assert got == [(date(2025, 4, 30), 2), (date(2026, 1, 31), 3), (date(2026, 2, 28), 4)]
    february = metrics.followers_monthly(at(con, periods.for_report("monthly", "2026-02")), months=1)
    assert [(day_of(m), f) for m, f in zip(february["month_end"], february["followers"])] == [(date(2026, 2, 28), 4)]


# --- comments per day ----------------------------------------------------------------------------


def test_comments_per_day_of_the_clients_time_zone():
    """Stockholm is UTC+2 in October. 1 October: a post at 23:00 UTC on 30 September (01:00
    local, 5 comments) and one at 12:00 (3): 8. 2 October: no post, 0. 3 October: a post
    that reports no comments, missing; a post at 22:30 UTC on the 3rd is the 4th locally."""
    posts = [
        post(1, date(2026, 9, 30), 100, comments=5, hour=23),
        post(2, date(2026, 10, 1), 100, comments=3),
        post(3, date(2026, 10, 3), 100, comments=None),
        dict(post(4, date(2026, 10, 3), 100, comments=7), published_at=datetime(2026, 10, 3, 22, 30)),
    ]
    scope = Scope(store(posts=posts), periods.window(date(2026, 10, 1), date(2026, 10, 3)), "Europe/Stockholm")
    frame = metrics.daily_comments(scope)
    assert frame["date"].tolist() == [date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)]
    assert str(frame["comments"].dtype) == "Int64"
    assert frame["comments"].tolist()[:2] == [8, 0] and frame["comments"].iloc[2] is pd.NA


# --- ads -------------------------------------------------------------------------------------------


def test_ad_campaigns_by_spend_in_the_period():
    """a: 100.10 + 50.00 in October (999 in September is out); aa and b: 49.90 each (the tie
    by name); c spent nothing and is left out."""

    def ad(day, campaign, spend, platform="facebook"):
        return dict(platform=platform, date=day, campaign=campaign, spend=spend, impressions=1, clicks=1)

    ads = [
        ad(date(2026, 10, 10), "a", 100.10),
        ad(date(2026, 10, 11), "a", 50.0),
        ad(date(2026, 9, 30), "a", 999.0),
        ad(date(2026, 10, 12), "b", 49.90, platform="instagram"),
        ad(date(2026, 10, 12), "aa", 49.90),
        ad(date(2026, 10, 12), "c", 0.0),
    ]
    frame = metrics.ad_campaigns(at(store(ads_daily=ads)))
    assert list(frame.columns) == ["campaign", "platform", "spend"]
    assert frame[["campaign", "platform"]].values.tolist() == [
        ["a", "facebook"],
        ["aa", "facebook"],
        ["b", "instagram"],
    ]
    assert frame["spend"].tolist() == pytest.approx([150.10, 49.90, 49.90])


# --- series and breakdowns -------------------------------------------------------------------------


def test_series_per_day_by_default_and_per_month(october):
    """Per day (the default): the 3rd, the 5th (facebook then instagram) and the 20th; per
    month: October's first day, facebook 1 post, instagram 3 (1000 + 2000 + 500 seen,
    50 + 40 + 20 engagements)."""
    frame = metrics.series(october)
    got = list(zip(map(day_of, frame["bucket"]), frame["platform"], frame["posts"], frame["engagements"]))
    assert got == [
        (date(2026, 10, 3), "instagram", 1, 50),
        (date(2026, 10, 5), "facebook", 1, 10),
        (date(2026, 10, 5), "instagram", 1, 40),
        (date(2026, 10, 20), "instagram", 1, 20),
    ]
    month = metrics.series(october, "month")
    got = list(zip(map(day_of, month["bucket"]), month["platform"], month["posts"], month["impressions"]))
    assert got == [(date(2026, 10, 1), "facebook", 1, 400), (date(2026, 10, 1), "instagram", 3, 3500)]
    assert month["engagement_rate"].tolist() == pytest.approx([10 / 400, 110 / 3500])


@pytest.mark.parametrize(
    "dimension, expected",
    [
        ("platform", [("instagram", 3, 3500, 110), ("facebook", 1, 400, 10)]),
        ("campaign", [("autumn", 2, 3000, 90), (None, 2, 900, 30)]),
        ("paid", [(False, 3, 1900, 80), (True, 1, 2000, 40)]),
        ("format", [("image", 3, 1900, 80), ("video", 1, 2000, 40)]),
    ],
)
def test_posts_break_down_by_each_dimension(october, dimension, expected):
    """Posts, impressions and engagements per value, most posts first (a tie by value, the
    missing campaign last); the rate is the ratio of the sums."""
    frame = metrics.by_dimension(october, dimension)
    values = [None if pd.isna(v) else v for v in frame["value"]]
    assert list(zip(values, frame["posts"], frame["impressions"], frame["engagements"])) == expected
    assert frame["engagement_rate"].tolist() == pytest.approx([e / i for _, _, i, e in expected])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda s: metrics.series(s, "year"), "freq must be day, week or month, not 'year'"),
        (lambda s: metrics.by_dimension(s, "weekday"), "cannot break posts down by 'weekday'"),
        (lambda s: metrics.ranked_posts(s, by="reach"), "rank posts by engagement_rate or engagements"),
    ],
)
def test_a_question_the_functions_cannot_answer_is_refused_by_name(october, call, message):
    """The refusal says what was asked and what can be."""
    with pytest.raises(ValueError) as refused:
        call(october)
    assert str(refused.value) == message


# --- daily account figures -------------------------------------------------------------------------

ACCOUNT_COLUMNS = [
    "followers",
    "follower_gains",
    "follower_losses",
    "impressions",
    "reach",
    "profile_visits",
    "page_views",
]


@pytest.mark.parametrize("column", ACCOUNT_COLUMNS)
def test_each_daily_account_column_summed_over_the_accounts(column):
    """Column number c (1…7): account a has 10 · c on 2 October and 3 October, account b
    20 · c on 2 October; the 4th reports nothing and 30 September is out of the period."""
    c = ACCOUNT_COLUMNS.index(column) + 1

    def day(account, when, figure):
        return dict({name: figure for name in ACCOUNT_COLUMNS}, platform="instagram", account=account, date=when)

    rows = [
        day("a", date(2026, 10, 2), 10 * c),
        day("b", date(2026, 10, 2), 20 * c),
        day("a", date(2026, 10, 3), 10 * c),
        day("a", date(2026, 10, 4), None),
        day("a", date(2026, 9, 30), 99),
    ]
    frame = metrics.account_daily(at(store(account_daily=rows)), column)
    assert list(frame.columns) == ["platform", "date", column]
    assert str(frame[column].dtype) == "Int64"
    got = [(day_of(d), p, v) for d, p, v in zip(frame["date"], frame["platform"], frame[column])]
    assert got == [(date(2026, 10, 2), "instagram", 30 * c), (date(2026, 10, 3), "instagram", 10 * c)]


# --- accounts --------------------------------------------------------------------------------------


def test_files_naming_no_account_are_one_account_on_a_platform_without_a_named_one():
    """Facebook's posts name no account and its page file says "page": with no named
    account on the platform both are one account without a name (1 post, 2 days). Instagram's
    "Acme" is named. The helper table is gone from the connection afterwards."""
    posts = [dict(post(1, date(2026, 10, 3), 100, platform="facebook"), account=None)]
    posts.append(dict(post(2, date(2026, 10, 4), 100), account="Acme"))
    days = [dict(platform="facebook", account="page", date=date(2026, 10, d), followers=10) for d in (1, 2)]
    con = store(posts=posts, account_daily=days)
    found = metrics.accounts(at(con))
    rows = [
        (p, None if pd.isna(a) else a, int(n), int(d))
        for p, a, n, d in zip(found["platform"], found["account"], found["posts"], found["days"])
    ]
    assert rows == [("facebook", None, 1, 2), ("instagram", "Acme", 1, 0)]
    with pytest.raises(Exception, match="account_names"):
        con.execute("SELECT * FROM account_names")


# --- types ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "frame_of, counts",
    [
        (lambda s: metrics.posts_in(s), ["impressions", "reach", "clicks", "engagements"]),
        (lambda s: metrics.series(s), ["posts", "impressions", "engagements"]),
        (lambda s: metrics.by_dimension(s, "format"), ["posts", "impressions", "engagements"]),
        (lambda s: metrics.posting_times(s), ["weekday", "hour", "posts"]),
        (lambda s: metrics.daily_mentions(s, "Acme"), ["mentions"]),
        (lambda s: metrics.paid(s), ["impressions", "reach", "clicks", "campaigns"]),
    ],
)
def test_counts_are_handed_on_as_whole_nullable_numbers(october, frame_of, counts):
    """Counts leave metrics as Int64 (missing is NA, 12 is 12 and never 12.0), whatever
    type DuckDB gave them (a count is int64, a sum float64)."""
    frame = frame_of(october)
    assert len(frame) > 0
    assert {c: str(frame[c].dtype) for c in counts} == {c: "Int64" for c in counts}
