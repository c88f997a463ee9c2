"""The analysis library against values computed by hand, and properties that must hold for
any data (hypothesis)."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport import catalog, periods
from rapport.analysis import findings as exceptions
from rapport.analysis import goals, metrics, plan
from rapport.analysis.plan import Resources
from rapport.analysis.scope import Scope
from rapport.config import Goal, Okr, parse_params
from rapport.data import warehouse
from rapport.jsonable import values

TZ = "UTC"
OCTOBER = periods.for_report("monthly", "2026-10")


def at(con, period=OCTOBER) -> Scope:
    """The question's scope: this warehouse over `period`, days in UTC."""
    return Scope(con, period, TZ)


def store(**tables) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse holding the given rows (as the importers would leave them)."""
    con = warehouse.open_read(__import__("pathlib").Path("/nonexistent"))
    for name, rows in tables.items():
        frame = pd.DataFrame(rows)
        frame = frame.assign(
            source_file="t", source_sha256="t", as_of=date(2030, 1, 1), imported_at=datetime(2030, 1, 1)
        )
        warehouse.upsert(con, name, frame)
    return con


def post(
    i,
    day,
    impressions,
    reactions=0,
    comments=0,
    shares=0,
    saves=None,
    clicks=None,
    reach=None,
    platform="instagram",
    hour=12,
    fmt="image",
    campaign=None,
    paid=False,
):
    return dict(
        platform=platform,
        post_id=str(i),
        published_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=hour),
        impressions=impressions,
        reactions=reactions,
        comments=comments,
        shares=shares,
        saves=saves,
        clicks=clicks,
        reach=reach,
        format=fmt,
        campaign=campaign,
        paid=paid,
    )


PARAMS = parse_params(
    """name: Acme
objective: Sell more coffee
competitors: [Rival]
value_per_conversion: 100
budget: {money: 1000, hours: 10, hourly_rate: 50, other_costs: 20}
""",
    "t",
)


def test_post_rates_by_hand():
    con = store(
        posts=[
            post(1, date(2026, 10, 2), 1000, 40, 10, 20, 30, reach=500),
            post(2, date(2026, 10, 9), 3000, 60, 5, 10, 15, reach=1500),
        ],
        account_daily=[
            dict(platform="instagram", account="a", date=date(2026, 9, 30), followers=800),
            dict(platform="instagram", account="a", date=date(2026, 10, 31), followers=1000),
        ],
    )
    k = metrics.kpis(at(con, OCTOBER)).loc["instagram"]
    assert k["engagements"] == 190  # 100 + 90
    assert k["engagement_rate"] == pytest.approx(190 / 4000)
    assert k["engagement_rate_reach"] == pytest.approx(190 / 2000)
    assert k["virality_rate"] == pytest.approx(30 / 4000)
    assert k["applause_rate"] == pytest.approx(100 / 2 / 1000)
    assert k["amplification_rate"] == pytest.approx(30 / 2 / 1000)
    assert k["conversation_rate"] == pytest.approx(15 / 2 / 1000)
    assert (k["follower_growth"], k["audience_growth_rate"]) == (200, pytest.approx(200 / 800))


def test_paid_web_and_voice_by_hand():
    con = store(
        ads_daily=[
            dict(
                platform="meta",
                date=date(2026, 10, 1),
                campaign="a",
                spend=100.0,
                impressions=20000,
                clicks=50,
                conversions=2.0,
                conversion_value=300.0,
            ),
            dict(platform="meta", date=date(2026, 10, 2), campaign="b", spend=50.0, impressions=10000, clicks=25),
        ],
        web_daily=[
            dict(
                date=date(2026, 10, 1),
                source="instagram",
                medium="social",
                campaign="(not set)",
                sessions=200,
                conversions=4.0,
                revenue=0.0,
            ),
            dict(
                date=date(2026, 10, 1),
                source="l.facebook.com",
                medium="referral",
                campaign="(not set)",
                sessions=100,
                conversions=1.0,
            ),
            dict(
                date=date(2026, 10, 1),
                source="google",
                medium="organic",
                campaign="(not set)",
                sessions=700,
                conversions=20.0,
            ),
        ],
        mentions=[
            dict(platform="x", mention_id=str(i), date=date(2026, 10, 3), brand=b, sentiment=s)
            for i, (b, s) in enumerate(
                [
                    ("Acme", "positive"),
                    ("Acme", "positive"),
                    ("Acme", "negative"),
                    ("Acme", "neutral"),
                    ("Rival", "positive"),
                    ("Other", "positive"),
                ]
            )
        ],
    )
    ads = metrics.paid(at(con)).loc["all"]
    assert (ads["spend"], ads["clicks"], ads["cpc"], ads["cpm"]) == (150, 75, pytest.approx(2.0), pytest.approx(5.0))
    web = metrics.web(at(con))
    assert (web.sessions, web.conversions) == (300, 5)  # google / organic is not social
    assert web.conversion_rate == pytest.approx(5 / 300) and web.social_share_of_sessions == pytest.approx(0.3)
    voice = metrics.voice(at(con), "Acme", ["Rival"])
    assert voice.mentions == 4 and voice.share_of_voice == pytest.approx(4 / 5)  # "Other" is not a competitor
    assert voice.net_sentiment == pytest.approx((2 - 1) / 3)
    empty = store()
    assert metrics.voice(at(empty), "Acme", []).share_of_voice is None
    assert metrics.paid(at(empty)).at["all", "cpc"] is pd.NA and metrics.web(at(empty)).conversion_rate is None


def test_rankings_breakdowns_and_posting_times():
    con = store(
        posts=[
            post(1, date(2026, 10, 1), 10, reactions=5, hour=9),  # 50 % on 10 impressions: below the floor
            post(2, date(2026, 10, 2), 1000, reactions=80, hour=9, fmt="reel", campaign="c"),
            post(3, date(2026, 10, 5), 2000, reactions=100, hour=18),
            post(4, date(2026, 10, 6), 3000, reactions=60, hour=18, fmt="reel", paid=True),
            post(5, date(2026, 10, 7), 500, reactions=5, hour=0, platform="linkedin"),  # a day-only export
        ]
    )
    top = metrics.ranked_posts(at(con), n=2, min_impressions=500)
    assert list(top["post_id"]) == ["2", "3"]
    assert list(metrics.ranked_posts(at(con), n=1, bottom=True, min_impressions=500)["post_id"]) == ["5"]
    assert list(metrics.ranked_posts(at(con), by="engagements", n=1)["post_id"]) == ["3"]
    formats = metrics.by_dimension(at(con), "format").set_index("value")
    assert formats.at["reel", "posts"] == 2 and formats.at["reel", "engagement_rate"] == pytest.approx(140 / 4000)
    times = metrics.posting_times(at(con))
    assert set(zip(times["weekday"], times["hour"])) == {(3, 9), (4, 9), (0, 18), (1, 18)}  # 2026-10-01 is a Thursday
    weekly = metrics.series(at(con), "week")
    assert weekly.groupby("bucket")["posts"].sum().tolist() == [2, 3]


def monthly_followers(values: dict) -> duckdb.DuckDBPyConnection:
    return store(
        account_daily=[
            dict(platform="instagram", account="a", date=periods.for_report("monthly", m).end, followers=v)
            for m, v in values.items()
        ]
    )


def goal(**overrides) -> Goal:
    base = dict(
        id="G",
        name="n",
        type="engaged_community",
        metric="followers",
        platform="instagram",
        start=date(2026, 7, 1),
        deadline=date(2026, 12, 31),
    )
    base.update(overrides)
    return Goal.model_validate({k: (v.isoformat() if isinstance(v, date) else v) for k, v in base.items()})


LINEAR = {f"2026-{m:02d}": 1000 + 100 * m for m in range(1, 11)}  # +100 a month: 1100 … 2000 in October


def test_goal_baseline_progress_forecast_and_status_by_hand():
    con = monthly_followers(LINEAR)
    report = goals.evaluate(at(con), PARAMS, goal(target_change_pct=50))
    assert report.baseline == 1600 and report.baseline_measured  # June, the month before the start
    assert report.target == pytest.approx(2400) and report.current == 2000
    assert report.progress == pytest.approx(400 / 800)
    assert report.expected_progress == pytest.approx((date(2026, 10, 31) - date(2026, 7, 1)).days / 183)
    # a perfect line: the forecast for December is 2200, with no spread
    assert (report.forecast, report.forecast_low, report.forecast_high) == (
        pytest.approx(2200),
        pytest.approx(2200),
        pytest.approx(2200),
    )
    assert report.status == "off track"  # 2200 < 2400 and no interval to reach it
    assert goals.evaluate(at(con), PARAMS, goal(target=2200)).status == "on track"
    assert goals.evaluate(at(con), PARAMS, goal(target=1900)).status == "achieved"
    assert goals.evaluate(at(con), PARAMS, goal(target=2400, deadline=date(2026, 10, 15))).status == "off track"


def test_reduction_goal_no_data_and_smart_letters():
    con = monthly_followers({f"2026-{m:02d}": 3000 - 100 * m for m in range(1, 11)})
    report = goals.evaluate(at(con), PARAMS, goal(target=1900, baseline=2400))
    assert report.progress == pytest.approx((2000 - 2400) / (1900 - 2400))
    assert report.forecast == pytest.approx(1800) and report.status == "on track"
    empty = goals.evaluate(at(store()), PARAMS, goal(target=10))
    assert (empty.status, empty.current, empty.achievability) == ("no data", None, "unknown")
    assert empty.smart["M"]["ok"] is False and empty.smart["S"]["ok"] is True and empty.smart["R"]["ok"] is True
    # params refuse such a goal (test_config); the check still says why when given one
    backwards = goal(target=10).model_copy(update=dict(start=date(2026, 12, 31), deadline=date(2026, 7, 1)))
    assert goals.smart_check(backwards, PARAMS, 5, "realistic", (0.05, 3, 10))["T"]["ok"] is False
    no_objective = parse_params("name: x", "t")
    assert goals.smart_check(goal(target=1), no_objective, 1, "unknown", (None, None, None))["R"]["ok"] is False


def test_achievability_against_the_accounts_own_growth():
    history = [
        (periods.for_report("monthly", f"2026-{m:02d}"), v)
        for m, v in enumerate([100, 110, 121, 133, 146, 161, 177, 195, 214, 236], start=1)
    ]  # +10 % a month
    today, deadline = date(2026, 10, 31), date(2027, 1, 31)
    needed, percentile, verdict = goals.achievable(history, 236, 236 * 1.05**3, today, deadline)
    assert needed == pytest.approx(0.05) and verdict == "realistic" and percentile == 0.0
    assert goals.achievable(history, 236, 236 * 1.3**3, today, deadline)[2] == "unrealistic"
    assert goals.achievable(history[:3], 121, 200, today, deadline)[2] == "unknown"  # too little history


def test_okr_scores_and_grades():
    assert goals.okr_score(150, 100, 200) == 0.5
    assert goals.okr_score(250, 100, 200) == 1.0 and goals.okr_score(50, 100, 200) == 0.0
    assert goals.okr_score(80, 100, 60) == 0.5  # a reduction key result
    assert goals.okr_score(None, 100, 200) is None and goals.okr_score(5, 100, 100) is None
    assert [goals.grade(s) for s in (0.1, 0.5, 0.7, 1.0, None)] == ["0–0.3", "0.4–0.6", "0.7–1", "0.7–1", None]
    con = monthly_followers(LINEAR)
    okr = Okr.model_validate(
        {
            "objective": "o",
            "start": "2026-07-01",
            "deadline": "2026-12-31",
            "key_results": [
                {"name": "a", "metric": "followers", "platform": "instagram", "target": 2400},
                {"name": "b", "metric": "followers", "platform": "instagram", "start": 1000, "target": 2000},
            ],
        }
    )
    result = goals.evaluate_okr(at(con), PARAMS, okr)
    assert [kr.score for kr in result.key_results] == [pytest.approx(0.5), 1.0]
    assert result.score == pytest.approx(0.75) and result.success is True


@pytest.mark.parametrize("start, success", [(1300, True), (1301, False), (1299, True)])
def test_an_okr_at_exactly_0_7_is_a_success(start, success):
    """October's 2000 followers from `start` towards start + 1000: exactly 0.7 of the way at
    1300 (the success band starts at 0.7, inclusive), just under it at 1301."""
    okr = Okr.model_validate(
        {
            "objective": "o",
            "start": "2026-07-01",
            "deadline": "2026-12-31",
            "key_results": [
                {"name": "a", "metric": "followers", "platform": "instagram", "start": start, "target": start + 1000}
            ],
        }
    )
    result = goals.evaluate_okr(at(monthly_followers(LINEAR)), PARAMS, okr)
    assert result.score == pytest.approx((2000 - start) / 1000)
    assert result.success is success and result.grade == ("0.7–1" if success else "0.4–0.6")


@pytest.mark.parametrize(
    "score, band",
    [(0.0, "0–0.3"), (0.3, "0–0.3"), (0.3499, "0–0.3"), (0.35, "0.4–0.6"), (0.6999, "0.4–0.6"), (0.7, "0.7–1")],
)
def test_okr_grade_band_edges(score, band):
    assert goals.grade(score) == band


ACTIVITIES = pd.DataFrame(
    [
        dict(
            id="A1",
            activity="a",
            due=date(2026, 10, 5),
            done=date(2026, 10, 5),
            status="done",
            hours_planned=10,
            hours_spent=12,
            cost_planned=100,
            cost_spent=150,
        ),
        dict(
            id="A2",
            activity="b",
            due=date(2026, 10, 10),
            done=date(2026, 10, 12),
            status="done",
            hours_planned=5,
            hours_spent=5,
            cost_planned=0,
            cost_spent=0,
        ),
        dict(
            id="A3",
            activity="c",
            due=date(2026, 10, 20),
            done=None,
            status="not started",
            hours_planned=5,
            hours_spent=0,
            cost_planned=0,
            cost_spent=0,
        ),
        dict(
            id="A4",
            activity="d",
            due=date(2026, 11, 5),
            done=None,
            status="not started",
            hours_planned=3,
            hours_spent=0,
            cost_planned=0,
            cost_spent=0,
        ),
        dict(
            id="A5",
            activity="e",
            due=date(2026, 10, 7),
            done=None,
            status="cancelled",
            hours_planned=9,
            hours_spent=0,
            cost_planned=0,
            cost_spent=0,
        ),
    ]
)


def test_schedule_resources_and_roi_by_hand():
    sched = plan.schedule(ACTIVITIES, OCTOBER.start, OCTOBER.end)
    assert sched.as_json() == dict(
        due=3, done_on_time=1, done_late=1, late=1, not_started=1, on_time_rate=pytest.approx(1 / 3), due_next=1
    )
    res = plan.resources(ACTIVITIES, OCTOBER, PARAMS.budget, ad_spend=300)
    assert (res.hours_spent, res.hours_planned, res.cost_spent, res.money_spent) == (17, 20, 150, 450)
    assert res.hours_vs_budget == pytest.approx(1.7) and res.labour_cost == 850
    value = plan.roi_inputs(PARAMS, res, metrics.Web(revenue=0.0, conversions=30))
    # value: 30 conversions x 100; cost: 300 ads + 850 labour + 150 activities + 20 other
    assert (value.value, value.cost) == (3000, 1320) and value.roi == pytest.approx((3000 - 1320) / 1320)
    assert plan.roi(100, 0) is None and plan.roi(None, 5) is None


def test_posts_linked_to_activities_by_campaign_tag():
    con = store(
        posts=[
            post(1, date(2026, 10, 2), 1000, reactions=50, campaign="launch"),
            post(2, date(2026, 10, 3), 3000, reactions=70, campaign="launch"),
            post(3, date(2026, 10, 4), 500, reactions=5),
        ]
    )
    activities = ACTIVITIES.assign(campaign=["launch", None, "other", None, None])
    per_activity, _ = plan.posts_per_activity(activities, metrics.posts_in(at(con)))
    linked = values(per_activity).to_dict("records")
    assert [(a["id"], a["rule"], a["posts"], a["impressions"], a["engagements"]) for a in linked] == [
        ("A1", "campaign", 2, 4000, 120),
        ("A2", "none", 0, None, None),  # no tag and no platform: nothing can link a post
        ("A3", "campaign", 0, None, None),
        ("A4", "none", 0, None, None),
        ("A5", "none", 0, None, None),
    ]
    assert linked[0]["engagement_rate"] == pytest.approx(120 / 4000)


def test_exception_rules_fire_exactly_at_their_thresholds():
    res = Resources(
        hours_spent=11.0,
        hours_planned=10.0,
        hours_budget=None,
        hours_vs_plan=None,
        hours_vs_budget=None,
        cost_spent=100.0,
        cost_planned=100.0,
        ad_spend=None,
        money_spent=100.0,
        money_budget=100.0,
        money_vs_budget=None,
        labour_cost=None,
    )
    assert exceptions.over_budget(res, 10) == []  # 10 % over is not more than 10 %
    (over,) = exceptions.over_budget(replace(res, hours_spent=11.5), 10)
    assert (over.subject, over.severity, over.measured, over.expected) == ("hours", "warning", 11.5, 10.0)
    (twice,) = exceptions.over_budget(replace(res, hours_spent=12.5), 10)  # 25 % over: more than twice 10 %
    assert twice.severity == "critical"
    late = exceptions.late_activities(ACTIVITIES, date(2026, 10, 23), late_days=3)
    assert late == []  # A3 is 3 days late: not more than 3
    assert [f.subject for f in exceptions.late_activities(ACTIVITIES, date(2026, 10, 24), 3)] == ["A3 c"]
    quiet = [3, 4, 3, 5, 4, 3, 4, 5, 3, 4] * 3
    days = [date(2026, 9, 1) + timedelta(days=i) for i in range(len(quiet) + 2)]
    daily = pd.DataFrame({"date": days, "n": quiet + [4, 30]})
    found = exceptions.anomalies(
        daily, "n", days[-2], days[-1], threshold=3.5, message_key="exception.negative_mentions", min_delta=5
    )
    assert [(f.subject, f.severity, f.message_key) for f in found] == [
        (days[-1].isoformat(), "critical", "exception.negative_mentions")
    ]


def test_every_metric_is_documented_and_labelled():
    from rapport.i18n import EN

    assert set(catalog.INPUTS) == set(catalog.METRICS)
    assert all(f"metric.{name}" in EN for name in catalog.METRICS)
    reference = (__import__("pathlib").Path(__file__).resolve().parents[1] / "docs" / "metrics.md").read_text()
    assert reference == catalog.reference(), "docs/metrics.md is stale: run make docs"


# --- properties ---------------------------------------------------------------------------

posts_strategy = st.lists(
    st.tuples(st.integers(1, 30), st.integers(0, 5000), st.integers(0, 300), st.sampled_from(["facebook", "x"])),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(rows=posts_strategy, seed=st.randoms())
def test_rates_are_ratios_of_sums_whatever_the_order_or_split(rows, seed):
    data = [post(i, date(2026, 10, d), imp, reactions=r, platform=p) for i, (d, imp, r, p) in enumerate(rows)]
    shuffled = data[:]
    seed.shuffle(shuffled)
    whole = metrics.kpis(at(store(posts=data)))
    again = metrics.kpis(at(store(posts=shuffled)))
    assert whole.equals(again)
    whole = values(whole)
    total_impressions, total_reactions = sum(r[1] for r in rows), sum(r[2] for r in rows)
    expected = None if total_impressions == 0 else total_reactions / total_impressions
    assert whole.at["all", "engagement_rate"] == (None if expected is None else pytest.approx(expected))
    con = store(posts=data)
    halves = [
        values(metrics.kpis(at(con, periods.window(date(2026, 10, 1), date(2026, 10, 15))))),
        values(metrics.kpis(at(con, periods.window(date(2026, 10, 16), date(2026, 10, 31))))),
    ]
    assert sum(h.at["all", "posts"] for h in halves) == whole.at["all", "posts"]
    assert sum(h.at["all", "impressions"] or 0 for h in halves) == (whole.at["all", "impressions"] or 0)
    assert sum(h.at["all", "engagements"] or 0 for h in halves) == (whole.at["all", "engagements"] or 0)


@settings(max_examples=60, deadline=None)
@given(
    numerator=st.one_of(st.none(), st.integers(-10, 10), st.floats(-5, 5)),
    denominator=st.one_of(st.none(), st.just(0), st.just(0.0), st.integers(-10, 10)),
)
def test_a_zero_or_missing_denominator_is_undefined_never_zero(numerator, denominator):
    result = metrics.ratio(numerator, denominator)
    if numerator is None or denominator is None or denominator == 0:
        assert result is None
    else:
        assert result == pytest.approx(numerator / denominator)
