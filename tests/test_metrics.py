import pandas as pd
import pytest

from rapport import config, periods
from rapport.analysis import metrics
from rapport.analysis.scope import Scope
from rapport.data import ingest, warehouse
from rapport.jsonable import values
from rapport.present.format import Formatter

POSTS = """platform,post_id,published_at,impressions,reach,reactions,comments,shares,saves,clicks
facebook,1,2026-10-01T08:00:00Z,1000,800,50,5,5,,20
facebook,2,2026-10-15T08:00:00Z,3000,2000,100,10,20,,40
instagram,3,2026-10-20T10:00:00Z,2000,1500,150,20,10,20,
linkedin,4,2026-10-31T23:30:00Z,900,,9,0,0,,9
linkedin,5,2026-09-30T22:30:00Z,500,,10,2,3,,5
instagram,6,2026-09-15T10:00:00Z,1000,700,30,3,2,5,
x,7,2026-10-10T10:00:00Z,0,,0,0,0,,0
"""
DAILY = """platform,account,date,followers
facebook,acme,2026-09-30,1000
facebook,acme,2026-10-31,1100
instagram,acme,2026-10-31,500
"""
OCTOBER = periods.for_report("monthly", "2026-10")


@pytest.fixture
def con(workspace):
    raw = workspace / "data" / "demo" / "raw"
    raw.mkdir(parents=True)
    (raw / "posts.csv").write_text(POSTS)
    (raw / "daily.csv").write_text(DAILY)
    client = config.load_client("demo")
    assert ingest.ingest(client).rejected == []
    with warehouse.open_read(client.warehouse_path) as connection:
        yield connection


def test_kpis_by_hand(con):
    typed = metrics.kpis(Scope(con, OCTOBER, "Europe/Stockholm"))
    k = values(typed)  # plain values: ints, floats, None for missing
    assert list(k.index) == ["facebook", "instagram", "linkedin", "x", "all"]
    assert k.loc["facebook", ["posts", "impressions", "reach", "engagements", "clicks"]].tolist() == [
        2,
        4000,
        2800,
        190,
        60,
    ]
    assert k.at["facebook", "engagement_rate"] == pytest.approx(190 / 4000)
    assert k.at["facebook", "ctr"] == pytest.approx(60 / 4000)
    # Instagram has saves, no clicks: its click-through rate is undefined, not 0
    assert k.loc["instagram", ["engagements", "saves", "clicks", "ctr"]].tolist() == [200, 20, None, None]
    # post 5 is 1 October 00:30 in Stockholm (CEST), post 4 is 1 November 00:30 (CET)
    assert k.loc["linkedin", ["posts", "impressions", "reach", "engagements"]].tolist() == [1, 500, None, 15]
    # a zero denominator is undefined, never 0 and never an exception
    assert k.loc["x", ["posts", "impressions", "engagement_rate", "ctr"]].tolist() == [1, 0, None, None]
    total = k.loc["all"]
    assert total[["posts", "impressions", "reach", "engagements", "clicks"]].tolist() == [5, 6500, 4300, 405, 65]
    assert total["engagement_rate"] == pytest.approx(405 / 6500)
    # rates are ratios of sums over the posts that have both parts: Instagram's impressions
    # (no clicks) do not dilute the click-through rate
    assert total["ctr"] == pytest.approx(65 / 4500)


def test_posts_without_any_engagement_figure_do_not_dilute_the_engagement_rate(workspace):
    """A post whose export carries impressions but none of reactions, comments, shares and
    saves has unknown engagements (not 0): the engagement rate is over the posts that have both."""
    raw = workspace / "data" / "demo" / "raw"
    raw.mkdir(parents=True)
    (raw / "posts.csv").write_text(
        "platform,post_id,published_at,impressions,reactions,comments,shares,saves\n"
        "instagram,1,2026-10-05T10:00:00Z,1000,40,5,5,\n"
        "instagram,2,2026-10-06T10:00:00Z,3000,,,,\n"
    )
    client = config.load_client("demo")
    assert ingest.ingest(client).rejected == []
    with warehouse.open_read(client.warehouse_path) as con:
        k = metrics.kpis(Scope(con, OCTOBER, "Europe/Stockholm"))
        posts = metrics.posts_in(Scope(con, OCTOBER, "Europe/Stockholm")).set_index("post_id")
    assert k.loc["instagram", ["posts", "impressions", "engagements"]].tolist() == [2, 4000, 50]
    assert k.at["instagram", "engagement_rate"] == pytest.approx(50 / 1000)  # not 50 / 4000
    assert pd.isna(posts.at["2", "engagements"]) and pd.isna(posts.at["2", "engagement_rate"])


def test_followers_at_period_end_and_growth(con):
    k = values(metrics.kpis(Scope(con, OCTOBER, "Europe/Stockholm")))
    assert k.loc["facebook", ["followers", "follower_growth"]].tolist() == [1100, 100]
    # Instagram's start is unknown, so its growth (and the total's) is undefined
    assert k.loc["instagram", ["followers", "follower_growth"]].tolist() == [500, None]
    assert k.loc["all", ["followers", "follower_growth"]].tolist() == [1600, None]


def test_a_period_without_data_is_all_undefined(con):
    k = metrics.kpis(Scope(con, periods.for_report("monthly", "2020-01"), "Europe/Stockholm"))
    assert list(k.index) == ["all"]
    assert k.at["all", "posts"] == 0
    assert k.at["all", "posts_per_week"] == 0  # no posts is a frequency of zero, not unknown
    assert all(k.at["all", m] is pd.NA for m in metrics.KPIS if m not in ("posts", "posts_per_week"))


def test_time_zone_decides_the_month(con):
    utc = metrics.kpis(Scope(con, OCTOBER, "UTC"))
    assert utc.at["linkedin", "impressions"] == 900  # in UTC post 4 is October, post 5 September


def test_change_is_relative_for_counts_and_points_for_rates():
    assert metrics.change(110, 100, "count") == pytest.approx(0.10)
    assert metrics.change(0.05, 0.04, "rate") == pytest.approx(1.0)  # +1 percentage point
    assert metrics.change(5, 0, "count") is None
    assert metrics.change(None, 3, "count") is None


def test_posts_in_period_newest_first(con):
    posts = metrics.posts_in(Scope(con, OCTOBER, "Europe/Stockholm"))
    assert posts["post_id"].tolist() == ["3", "2", "7", "1", "5"]
    assert str(posts.iloc[-1]["published"]) == "2026-10-01 00:30:00"
    assert posts.set_index("post_id").at["7", "engagement_rate"] is pd.NA


def test_numbers_are_formatted_for_the_reader():
    en, sv, fr = Formatter("en"), Formatter("sv"), Formatter("fr")
    assert en.metric(12345, "impressions") == "12,345"
    assert sv.metric(12345, "impressions") == "12\u00a0345"
    assert en.metric(0.0475, "engagement_rate") == "4.8%"
    assert fr.metric(0.0475, "engagement_rate") == "4,8\u00a0%"
    assert en.metric(None, "impressions") == "–"
    assert en.change(0.1, "impressions") == "+10.0%"
    assert en.change(-1.25, "engagement_rate") == "-1.2\u00a0pp"
