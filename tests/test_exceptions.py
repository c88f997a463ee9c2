"""Exceptions by subject: one sentence per channel, goal, activity, budget line, problem or
day of mentions, with the likely reason the data shows, most severe first. The posts are made
here, so each reason is known before the code looks."""

from datetime import date
from types import SimpleNamespace

import pandas as pd
from bs4 import BeautifulSoup

from rapport import periods
from rapport.analysis.exceptions import explain
from rapport.analysis.findings import Finding
from rapport.present.format import Formatter
from rapport.present.html import Html

from test_analysis import at, post, store

NOVEMBER = periods.for_report("monthly", "2026-11")
THRESHOLDS = SimpleNamespace(kpi_drop_pct=20, over_budget_pct=10, late_days=3)
PARAMS = SimpleNamespace(thresholds=THRESHOLDS)
PLAN = pd.DataFrame(
    [
        dict(id="A7", activity="Reels", channel="tiktok", owner="Sam"),
        dict(id="A8", activity="Quiz", channel="x", owner=None),
    ]
)


def drop(platform, metric, now, before):
    return Finding(
        "kpi_drop", "critical" if now < before * 0.6 else "warning", platform, metric, now, before, "exception.kpi_drop"
    )


def month(findings):
    return SimpleNamespace(
        findings=findings,
        goals=[],
        activities=PLAN,
        problems=pd.DataFrame([dict(problem="Card expired", cause="Bank")]),
        resources=SimpleNamespace(ad_spend=300.0, money_spent=1200.0),
    )


def posts():
    """Instagram: 10 reels at 18:00 in October, 3 images at 18:00 in November (fewer posts).
    LinkedIn: 4 posts a month, videos tagged #fika in October and text posts in November
    (a format that stopped). TikTok: 4 a month at 9:00, then at 20:00 (hours moved). X: 4 and
    4 at the same hour, same format: no reason but its late activity."""
    rows, i = [], 0
    for platform, before, now in [
        ("instagram", [("reel", 18)] * 10, [("image", 18)] * 3),
        ("linkedin", [("video", 10)] * 4, [("text", 10)] * 4),
        ("tiktok", [("short", 9)] * 4, [("short", 20)] * 4),
        ("x", [("text", 11)] * 4, [("text", 11)] * 4),
    ]:
        for month_start, made in ((date(2026, 10, 3), before), (date(2026, 11, 3), now)):
            for n, (fmt, hour) in enumerate(made):
                i += 1
                rows.append(post(i, month_start.replace(day=3 + n), 100, 5, platform=platform, fmt=fmt, hour=hour - 1))
    return rows


def test_each_subject_is_one_sentence_with_the_reason_the_data_shows():
    con = store(posts=posts())
    found = [
        drop("instagram", "impressions", 300, 1000),
        drop("instagram", "engagements", 15, 50),
        drop("linkedin", "clicks", 7, 10),
        drop("tiktok", "engagements", 7, 10),
        drop("x", "impressions", 70, 100),
        Finding("activity_late", "warning", "A8 Quiz", None, 5, "2026-11-25", "exception.activity_late"),
        Finding("over_budget", "warning", "money", None, 1200.0, 1000.0, "exception.over_budget"),
        Finding("over_budget", "critical", "money_budget", None, 1200.0, 900.0, "exception.over_budget"),
        Finding("open_problem", "critical", "Card expired", None, "open", "solved", "exception.open_problem"),
    ]
    subjects = explain(at(con, NOVEMBER), PARAMS, month(found))
    said = {(s.kind, s.name): s for s in subjects}
    assert len(subjects) == 7  # instagram's two drops are one subject, the money's two lines one
    instagram = said["channel", "instagram"]
    assert instagram.sentence["values"] | {"change_pct": round(instagram.sentence["values"]["change_pct"], 6)} == {
        "platform": "instagram",
        "metric": "impressions",
        "change_pct": -0.7,
        "more": 1,
    }
    assert instagram.reason == {"key": "reason.fewer_posts", "values": {"posts": 3, "before": 10}}
    assert said["channel", "linkedin"].reason["key"] == "reason.format_stopped"
    assert said["channel", "linkedin"].reason["values"] == {"format": "video", "before": 4}
    assert said["channel", "tiktok"].reason == {"key": "reason.times_moved", "values": {"hour": 19, "before": 8}}
    assert said["channel", "x"].reason == {"key": "reason.late_activity", "values": {"activity": "A8 Quiz", "days": 5}}
    money = said["budget", "money"]
    assert money.sentence["key"] == "explain.money_over_budget" and money.severity == "critical"
    assert round(money.sentence["values"]["change_pct"], 6) == round(1200 / 900 - 1, 6)
    assert said["problem", "Card expired"].reason == {"key": "reason.cause", "values": {"cause": "Bank"}}
    assert said["activity", "A8 Quiz"].reason is None  # no owner in the plan: nothing made up
    # critical first, then by how far beyond its threshold: 70 % down is 3.5 × a 20 % threshold
    assert [s.severity for s in subjects] == ["critical"] * 3 + ["warning"] * 4
    assert [s.name for s in subjects][:3] == ["instagram", "money", "Card expired"]
    assert [s.name for s in subjects][3:] == ["A8 Quiz", "linkedin", "tiktok", "x"]  # ties: by name


def test_the_monthly_shows_seven_and_a_line_for_the_rest_the_exception_report_all_with_detail():
    con = store(posts=posts())
    found = [drop(p, m, 1, 10) for p in ("instagram", "linkedin", "tiktok", "x") for m in ("impressions", "clicks")]
    found += [
        Finding("activity_late", "warning", f"A{n} Task", None, 4 + n, "2026-11-20", "exception.activity_late")
        for n in range(6)
    ]
    subjects = explain(at(con, NOVEMBER), PARAMS, month(found))
    assert len(subjects) == 10
    monthly = BeautifulSoup(Html(Formatter("sv")).exceptions(subjects, shown=7), "html.parser")
    assert len(monthly.select("ol.rapport-exceptions > li")) == 7 and not monthly.select("details")
    assert monthly.select_one("p.rapport-note").get_text() == "3 till i avvikelserapporten."
    full = BeautifulSoup(Html(Formatter("en")).exceptions(subjects, detail=True), "html.parser")
    items = full.select("ol.rapport-exceptions > li")
    assert len(items) == 10 and not full.select("p.rapport-note")
    assert [len(li.select("details tbody tr")) for li in items[:4]] == [2, 2, 2, 2]
    assert "Instagram: Impressions -90.0% against the previous period, and 1 other figure down." in full.get_text()


def test_a_paused_ad_campaign_is_the_reason_for_a_meta_channel():
    """Facebook posts as before, but Meta's "autumn" campaign spent in October and not in
    November: that is the reason; an ad campaign of another platform is not Facebook's."""
    rows = [post(i, date(2026, m, 3 + i % 20), 100, 5, platform="facebook", hour=9) for m in (10, 11) for i in range(4)]
    rows = [dict(r, post_id=f"{r['published_at']:%m}{r['post_id']}") for r in rows]

    def ad(day, campaign, platform="meta"):
        return dict(platform=platform, date=day, campaign=campaign, spend=50.0, impressions=1000, reach=None, clicks=10)

    ads = [ad(date(2026, 10, 5), "autumn"), ad(date(2026, 10, 6), "brand"), ad(date(2026, 11, 6), "brand")]
    found = [drop("facebook", "impressions", 50, 100)]
    subjects = explain(at(store(posts=rows, ads_daily=ads), NOVEMBER), PARAMS, month(found))
    assert subjects[0].reason == {"key": "reason.campaign_paused", "values": {"campaign": "autumn"}}
    elsewhere = [ad(date(2026, 10, 5), "autumn", "linkedin"), ad(date(2026, 11, 6), "brand")]
    subjects = explain(at(store(posts=rows, ads_daily=elsewhere), NOVEMBER), PARAMS, month(found))
    assert subjects[0].reason is None
