"""The figures that come from other exports than posts: ads (Meta Ads), the website (GA4),
mentions (social listening) and the daily account series, against values worked out by
hand; and the types the KPI table hands on (whole counts stay whole)."""

from datetime import date, timedelta

import pandas as pd
import pytest

from rapport.analysis import metrics
from rapport.catalog import METRICS
from rapport.config import parse_params
from rapport.jsonable import values

from test_analysis import at, post, store

PARAMS = parse_params("name: Acme\ncompetitors: [Rival, Other]\n", "t")
DAY = date(2026, 10, 10)


def ad(day, campaign, spend, impressions, clicks, conversions=None, value=None, platform="facebook"):
    return dict(
        platform=platform,
        date=day,
        campaign=campaign,
        spend=spend,
        impressions=impressions,
        reach=impressions // 2,
        clicks=clicks,
        conversions=conversions,
        conversion_value=value,
        currency="SEK",
    )


ADS = [
    ad(DAY, "a", 100.10, 10_000, 50, 2, 300.0),
    ad(DAY, "b", 49.90, 5_000, 25, 1, 100.0, platform="instagram"),
    ad(DAY + timedelta(days=1), "a", 50.0, 5_000, 25),
    ad(date(2026, 9, 30), "a", 999.0, 1, 1, 9, 9.0),  # September: not in October's figures
]


def test_paid_sums_per_platform_and_overall_with_cpc_and_cpm():
    frame = metrics.paid(at(store(ads_daily=ADS)))
    assert list(frame.index) == ["facebook", "instagram", "all"]
    assert frame.loc[
        "all", ["spend", "impressions", "reach", "clicks", "conversions", "conversion_value"]
    ].tolist() == [
        200.0,
        20_000,
        10_000,
        100,
        3.0,
        400.0,
    ]
    assert frame.at["facebook", "campaigns"] == 1 and frame.at["all", "campaigns"] == 2
    assert frame.at["all", "cpc"] == pytest.approx(200.0 / 100)
    assert frame.at["all", "cpm"] == pytest.approx(1000 * 200.0 / 20_000)
    assert frame.at["instagram", "cpc"] == pytest.approx(49.90 / 25)


def test_paid_without_ads_is_one_row_of_nothing():
    frame = metrics.paid(at(store(ads_daily=[ADS[-1]])))
    assert list(frame.index) == ["all"] and frame.index.name == "platform"
    columns = ["spend", "impressions", "reach", "clicks", "conversions", "conversion_value", "campaigns", "cpc", "cpm"]
    assert list(frame.columns) == columns
    assert frame.at["all", "campaigns"] == 0
    assert all(frame.at["all", c] is pd.NA for c in columns if c != "campaigns")


WEB = [
    dict(
        date=DAY,
        source="facebook",
        medium="social",
        campaign="a",
        sessions=100,
        users=80,
        conversions=4,
        revenue=1000.5,
    ),
    dict(
        date=DAY, source="google", medium="organic", campaign="", sessions=300, users=250, conversions=9, revenue=5000
    ),
    dict(
        date=DAY,
        source="newsletter",
        medium="paid-social",
        campaign="b",
        sessions=50,
        users=45,
        conversions=1,
        revenue=99.5,
    ),
    dict(
        date=date(2026, 11, 1),
        source="facebook",
        medium="social",
        campaign="a",
        sessions=7,
        users=7,
        conversions=7,
        revenue=7,
    ),
]


def test_web_counts_social_sources_only_and_the_share_of_all_sessions():
    web = metrics.web(at(store(web_daily=WEB)))
    assert (web.sessions, web.users, web.conversions, web.revenue) == (150, 125, 5, 1100.0)
    assert web.conversion_rate == pytest.approx(5 / 150)
    assert web.social_share_of_sessions == pytest.approx(150 / 450)
    assert isinstance(web.sessions, int) and isinstance(web.users, int)
    assert web.as_json() == dict(
        sessions=150,
        users=125,
        conversions=5,
        revenue=1100.0,
        conversion_rate=web.conversion_rate,
        social_share_of_sessions=web.social_share_of_sessions,
    )
    assert metrics.web(at(store(web_daily=WEB[-1:]))) == metrics.Web()


def mention(i, brand, sentiment, day=DAY):
    return dict(
        platform="x", mention_id=str(i), date=day, brand=brand, author="a", text="t", sentiment=sentiment, reach=10
    )


MENTIONS = [
    mention(1, "Acme", "positive"),
    mention(2, "acme", "positive"),
    mention(3, "ACME", "negative"),
    mention(4, "Acme", "neutral", DAY + timedelta(days=2)),
    mention(5, "Rival", "negative"),
    mention(6, "Stranger", "positive"),  # not a competitor: not counted
    mention(7, "Acme", "negative", date(2026, 9, 30)),
]


def test_value_reads_each_metric_from_its_own_export():
    con = store(ads_daily=ADS, web_daily=WEB, mentions=MENTIONS, posts=[post(1, DAY, 1000, 40)])
    scope = at(con)
    assert metrics.value(scope, PARAMS, "spend") == pytest.approx(200.0)
    assert metrics.value(scope, PARAMS, "cpc") == pytest.approx(2.0)
    assert metrics.value(scope, PARAMS, "sessions") == 150
    assert metrics.value(scope, PARAMS, "conversion_rate") == pytest.approx(5 / 150)
    assert metrics.value(scope, PARAMS, "mentions") == 4  # Acme however it is spelt
    assert metrics.value(scope, PARAMS, "share_of_voice") == pytest.approx(4 / 5)
    assert metrics.value(scope, PARAMS, "net_sentiment") == pytest.approx((2 - 1) / 3)
    assert metrics.value(scope, PARAMS, "roi") is None  # needs the activity plan: analysis.plan.roi
    assert metrics.value(scope, PARAMS, "impressions", "instagram") == 1000
    assert metrics.value(scope, PARAMS, "impressions", "tiktok") is None
    assert metrics.value(at(store(web_daily=WEB)), PARAMS, "spend") is None


def test_voice_per_brand_and_without_mentions():
    voice = metrics.voice(at(store(mentions=MENTIONS)), "Acme", ["Rival", "Other"])
    assert voice.mentions == 4 and voice.share_of_voice == pytest.approx(0.8)
    assert voice.brands == {  # one entry per brand, named as the params name it
        "Acme": dict(mentions=4, positive=2, negative=1),
        "Rival": dict(mentions=1, positive=0, negative=1),
    }
    only_rival = metrics.voice(at(store(mentions=[MENTIONS[4]])), "Acme", ["Rival"])
    assert (only_rival.mentions, only_rival.share_of_voice, only_rival.net_sentiment) == (0, 0.0, None)
    assert metrics.voice(at(store(mentions=MENTIONS[-1:])), "Acme", []) == metrics.Voice()
    assert set(voice.as_json()) == {"mentions", "share_of_voice", "net_sentiment", "brands"}


def test_daily_mentions_every_day_of_the_period_zeros_included():
    con = store(mentions=MENTIONS)
    every = metrics.daily_mentions(at(con), "acme")
    assert len(every) == 31 and every["date"].tolist()[0] == date(2026, 10, 1)
    by_day = dict(zip(every["date"], every["mentions"]))
    assert by_day[DAY] == 3 and by_day[DAY + timedelta(days=2)] == 1 and by_day[date(2026, 10, 11)] == 0
    negative = dict(zip(*metrics.daily_mentions(at(con), "Acme", "negative").to_dict("list").values()))
    assert negative[DAY] == 1 and sum(negative.values()) == 1


def test_account_daily_sums_accounts_per_platform_and_day():
    rows = [
        dict(platform="facebook", account=a, date=d, followers=f, impressions=i)
        for a, d, f, i in [
            ("one", DAY, 100, 10),
            ("two", DAY, 50, None),
            ("one", DAY + timedelta(days=1), 110, 20),
            ("one", date(2026, 11, 1), 999, 999),
        ]
    ]
    con = store(account_daily=rows)
    followers = metrics.account_daily(at(con), "followers")
    assert followers["followers"].tolist() == [150, 110]
    impressions = metrics.account_daily(at(con), "impressions")
    assert impressions["impressions"].tolist() == [10, 20]
    with pytest.raises(ValueError, match="not an account_daily column: spend"):
        metrics.account_daily(at(con), "spend")


def test_kpis_hand_on_whole_counts_and_per_follower_rates():
    con = store(
        posts=[post(1, DAY, 1000, 40, 6, 4), post(2, DAY, 3000, 20, 4, 6)],
        account_daily=[
            dict(platform="instagram", account="a", date=date(2026, 9, 30), followers=900),
            dict(platform="instagram", account="a", date=date(2026, 10, 31), followers=1000),
        ],
    )
    k = metrics.kpis(at(con))
    row = values(k).loc["instagram"]
    for name in ("posts", "impressions", "reactions", "engagements", "followers", "follower_growth"):
        assert type(row[name]) is int, name  # counts are whole: 1000, not 1000.0
        assert k[name].dtype == "Int64", name
    assert row["applause_rate"] == pytest.approx(60 / (2 * 1000))
    assert row["conversation_rate"] == pytest.approx(10 / (2 * 1000))
    assert row["amplification_rate"] == pytest.approx(10 / (2 * 1000))
    assert row["audience_growth_rate"] == pytest.approx(100 / 900)
    assert list(k.columns) == list(metrics.KPIS) and k.index.name == "platform"
    assert all(k[m].dtype == "Float64" for m in metrics.KPIS if METRICS[m].kind in ("rate", "average"))
    assert k.describe().loc["mean", "impressions"] == 4000  # numbers, so describe() describes them
    no_followers = metrics.kpis(at(store(posts=[post(1, DAY, 1000, 40)])))
    assert no_followers.at["all", "applause_rate"] is pd.NA and no_followers.at["all", "audience_growth_rate"] is pd.NA
