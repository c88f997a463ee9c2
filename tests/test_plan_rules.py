"""The activity plan's rules of analysis/plan.py at their edges (issue 16, make mutation): which
activities a window talks about and in which state, schedule adherence on the first and last
day, hours and money against plan and budget, ROI's value and cost, posts linked to an
activity by tag or by channel and dates, and the deviations worth a sentence. Every expected
figure is worked out by hand in the test."""

from datetime import date

import pandas as pd
import pytest

from rapport import periods
from rapport.analysis import metrics, plan
from rapport.config import parse_params
from rapport.jsonable import values

from test_analysis import at, post, store

OCTOBER = periods.for_report("monthly", "2026-10")
OCT_1, OCT_31 = OCTOBER.start, OCTOBER.end


def activity(i, due, done=None, status="in progress", **figures) -> dict:
    """One row of plan.csv as plan_files.load_plan reads it (dates as dates, missing as None)."""
    row = dict(id=f"A{i}", activity=f"act{i}", due=due, done=done, status=status)
    row.update(hours_planned=None, hours_spent=None, cost_planned=None, cost_spent=None)
    return row | figures


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


# --- the activities of a window ---------------------------------------------------------------


def test_a_window_keeps_what_was_done_in_it_what_is_late_and_what_is_due_within_the_days_ahead():
    """Window 1–31 October, 14 days ahead: up to 14 November."""
    rows = frame(
        activity(1, date(2026, 10, 10), done=date(2026, 10, 10)),  # done on its due day: done
        activity(2, date(2026, 10, 10), done=date(2026, 10, 11)),  # a day after: done late
        activity(3, date(2026, 9, 20), done=OCT_1),  # done on the window's first day
        activity(4, date(2026, 10, 31), done=OCT_31),  # and on its last
        activity(5, date(2026, 9, 20), done=date(2026, 9, 30)),  # done before the window: left out
        activity(6, date(2026, 10, 20), done=date(2026, 11, 1)),  # done after it: left out
        activity(7, OCT_31),  # due on the last day, not done: late
        activity(8, date(2026, 11, 1)),  # due the day after: due soon
        activity(9, date(2026, 11, 14)),  # due on the horizon's last day: due soon
        activity(10, date(2026, 11, 15)),  # beyond it: left out
        activity(11, date(2026, 10, 5), status="cancelled"),  # cancelled: left out
        activity(12, date(2026, 10, 5), done=pd.NaT),  # a missing date read as NaT: not done, late
    )
    window = plan.activity_window(rows, OCT_1, OCT_31)
    assert list(zip(window["id"], window["state"])) == [
        ("A1", "done"),
        ("A2", "done late"),
        ("A3", "done late"),
        ("A4", "done"),
        ("A7", "late"),
        ("A8", "due soon"),
        ("A9", "due soon"),
        ("A12", "late"),
    ]
    assert list(window.columns) == list(rows.columns) + ["state"]
    # fewer days ahead: the 14th of November is no longer due soon, the 1st still is
    near = plan.activity_window(rows, OCT_1, OCT_31, ahead_days=1)
    assert [i for i, s in zip(near["id"], near["state"]) if s == "due soon"] == ["A8"]


def test_an_empty_window_keeps_the_plans_columns_and_a_state():
    empty = plan.activity_window(frame(activity(1, date(2026, 12, 1))), OCT_1, OCT_31)
    assert len(empty) == 0 and list(empty.columns) == list(activity(1, OCT_1)) + ["state"]


# --- schedule adherence -------------------------------------------------------------------------


def test_schedule_counts_the_activities_due_in_the_period_first_and_last_day_included():
    rows = frame(
        activity(1, OCT_1, done=OCT_1),  # on time, on the first day
        activity(2, OCT_31, done=date(2026, 11, 2)),  # due on the last day, done two days late
        activity(3, date(2026, 10, 15), status="not started"),  # late and not started
        activity(4, date(2026, 10, 16)),  # late, started
        activity(5, date(2026, 10, 17), status="cancelled"),  # left out
        activity(6, date(2026, 9, 30), done=date(2026, 9, 30)),  # due the day before: not this period's
        activity(7, date(2026, 11, 1)),  # due the day after: due next
        activity(8, date(2026, 11, 14)),  # the 14th day after: due next
        activity(9, date(2026, 11, 15)),  # the 15th: not yet
        activity(10, date(2026, 11, 3), done=date(2026, 10, 30)),  # done early: not due next
        activity(11, date(2026, 11, 4), status="cancelled"),  # cancelled: not due next
        activity(12, date(2026, 10, 20), done=date(2026, 10, 19)),  # a day early: on time
        activity(13, OCT_31),  # due on the last day, not done: late, not due next
    )
    sched = plan.schedule(rows, OCT_1, OCT_31)
    assert sched.as_json() == {
        "due": 6,
        "done_on_time": 2,
        "done_late": 1,
        "late": 3,
        "not_started": 1,
        "on_time_rate": pytest.approx(2 / 6),
        "due_next": 2,
    }
    assert plan.schedule(rows, OCT_1, OCT_31, ahead_days=13).due_next == 1


def test_schedule_without_activities_due_has_no_on_time_rate():
    sched = plan.schedule(frame(activity(1, date(2026, 12, 1))), OCT_1, OCT_31)
    assert (sched.due, sched.done_on_time, sched.late, sched.on_time_rate, sched.due_next) == (0, 0, 0, None, 0)


# --- hours and money ------------------------------------------------------------------------------

BUDGET = parse_params("name: x\nbudget: {money: 1000, hours: 20, hourly_rate: 40, other_costs: 30}", "t").budget


def test_resources_add_up_the_activities_due_in_the_period_against_plan_and_budget():
    rows = frame(
        activity(1, OCT_1, hours_planned=4, hours_spent=6, cost_planned=100, cost_spent=120),
        activity(2, OCT_31, hours_planned="3", hours_spent=None, cost_planned=None, cost_spent=80),
        activity(3, date(2026, 10, 9), status="cancelled", hours_planned=50, hours_spent=50, cost_spent=999),
        activity(4, date(2026, 9, 30), hours_planned=7, hours_spent=7, cost_spent=999),
        activity(5, date(2026, 11, 1), hours_planned=7, hours_spent=7, cost_spent=999),
        activity(6, date(2026, 10, 9), hours_planned="n/a", hours_spent=5, cost_planned=10, cost_spent=0),
    )
    res = plan.resources(rows, OCTOBER, BUDGET, ad_spend=250)
    # A1, A2 and A6: hours 4 + 3 (+ "n/a" as nothing) planned, 6 + 5 spent; money 120 + 80 + 0 and the ads
    assert res.as_json() == {
        "hours_planned": 7.0,
        "hours_spent": 11.0,
        "hours_budget": 20,
        "hours_vs_plan": pytest.approx(11 / 7),
        "hours_vs_budget": pytest.approx(11 / 20),
        "cost_planned": 110.0,
        "cost_spent": 200.0,
        "ad_spend": 250,
        "money_spent": 450.0,
        "money_budget": 1000,
        "money_vs_budget": pytest.approx(450 / 1000),
        "labour_cost": 11 * 40,
    }


def test_resources_without_ads_a_budget_or_an_hourly_rate():
    rows = frame(activity(1, OCT_1, hours_planned=0, hours_spent=2, cost_planned=0, cost_spent=5))
    bare = parse_params("name: x", "t").budget
    res = plan.resources(rows, OCTOBER, bare)
    assert (res.ad_spend, res.money_spent, res.money_budget, res.money_vs_budget) == (None, 5.0, None, None)
    assert (res.hours_budget, res.hours_vs_plan, res.hours_vs_budget, res.labour_cost) == (None, None, None, None)
    free = parse_params("name: x\nbudget: {hourly_rate: 0}", "t").budget  # volunteers: no labour cost, but known
    assert plan.resources(rows, OCTOBER, free, ad_spend=0).labour_cost == 0
    assert plan.resources(rows, OCTOBER, free, ad_spend=0).money_spent == 5.0


def test_roi_is_value_less_cost_over_cost_and_undefined_without_a_cost():
    assert plan.roi(300, 200) == pytest.approx(0.5) and plan.roi(100, 200) == pytest.approx(-0.5)
    assert plan.roi(0, 200) == -1.0
    assert plan.roi(None, 200) is None and plan.roi(300, None) is None and plan.roi(300, 0) is None


def spent(**figures) -> plan.Resources:
    base = dict(hours_planned=10.0, hours_spent=10.0, hours_budget=None, hours_vs_plan=1.0, hours_vs_budget=None)
    base.update(cost_planned=0.0, cost_spent=50.0, ad_spend=100.0, money_spent=150.0, money_budget=None)
    base.update(money_vs_budget=None, labour_cost=400.0)
    return plan.Resources(**(base | figures))


PARAMS = parse_params("name: x\nvalue_per_conversion: 25\nbudget: {hourly_rate: 40, other_costs: 30}", "t")


def test_roi_values_revenue_first_else_conversions_at_their_value_and_counts_every_cost():
    # cost: 100 of ads + 400 of labour + 50 of activity costs + 30 other = 580
    by_revenue = plan.roi_inputs(PARAMS, spent(), metrics.Web(revenue=870.0, conversions=3))
    assert by_revenue.as_json() == {
        "value": 870.0,
        "value_basis": "revenue",
        "ad_spend": 100.0,
        "labour_cost": 400.0,
        "activity_costs": 50.0,
        "other_costs": 30,
        "cost": 580.0,
        "roi": pytest.approx(0.5),
    }
    by_conversions = plan.roi_inputs(PARAMS, spent(), metrics.Web(revenue=0.0, conversions=29))
    assert (by_conversions.value, by_conversions.value_basis) == (725.0, "conversions × value per conversion")
    assert by_conversions.roi == pytest.approx((725 - 580) / 580)
    no_revenue = plan.roi_inputs(PARAMS, spent(), metrics.Web(revenue=None, conversions=0))
    assert (no_revenue.value, no_revenue.roi) == (0.0, -1.0)  # none converted: all the cost is lost


def test_roi_has_no_value_without_revenue_or_a_value_per_conversion_and_no_cost_without_labour():
    nothing = plan.roi_inputs(PARAMS, spent(), metrics.Web(revenue=None, conversions=None))
    assert (nothing.value, nothing.value_basis, nothing.cost, nothing.roi) == (None, None, 580.0, None)
    unpriced = parse_params("name: x\nbudget: {hourly_rate: 40}", "t")
    assert plan.roi_inputs(unpriced, spent(), metrics.Web(conversions=10)).value is None
    # without an hourly rate the hours cannot be priced: the cost (and ROI) is unknown
    unknown = plan.roi_inputs(PARAMS, spent(labour_cost=None), metrics.Web(revenue=900.0))
    assert (unknown.value, unknown.labour_cost, unknown.cost, unknown.roi) == (900.0, None, None, None)
    # no ads: the other costs still count (400 + 50 + 30)
    assert plan.roi_inputs(PARAMS, spent(ad_spend=None), metrics.Web(revenue=960.0)).cost == 480.0


# --- posts served by an activity ------------------------------------------------------------------


def tagged(i, day, platform, text=None, *, campaign=None, impressions=1000, reactions=10, reach=None):
    return dict(post(i, day, impressions, reactions, platform=platform, campaign=campaign, reach=reach), text=text)


POSTS = [
    tagged(1, date(2026, 10, 2), "instagram", campaign="launch"),  # the export's campaign field
    tagged(2, date(2026, 10, 3), "instagram", "Big news #Launch today", impressions=3000, reactions=70),
    tagged(3, date(2026, 10, 4), "facebook", "#launch2 is another tag", reach=40),
    tagged(4, date(2026, 10, 5), "facebook", "pre#launch is not a tag", reach=60),
    tagged(5, date(2026, 10, 6), "tiktok", "##launch neither"),
    tagged(6, date(2026, 10, 7), "tiktok", "#launch-day neither"),
    tagged(7, date(2026, 10, 8), "instagram", "the #launch.", impressions=None, reactions=30, reach=200),
]


def linked(*rows, posts=POSTS):
    activities = pd.DataFrame([dict(id=f"A{i}", activity=f"act{i}", due=None) | r for i, r in enumerate(rows, 1)])
    return plan.posts_per_activity(activities, metrics.posts_in(at(store(posts=posts))))


def test_posts_serve_the_activity_whose_campaign_they_carry_in_the_field_or_as_a_hashtag():
    per_activity, served = linked(dict(campaign="launch", channel="facebook", start=OCT_1, due=OCT_31))
    # posts 1, 2 (#Launch, any case) and 7 (#launch.), not #launch2, pre#launch, ##launch or #launch-day
    (row,) = per_activity.to_dict("records")
    assert (row["activity"], row["channel"], row["due"]) == ("act1", "facebook", OCT_31)
    assert (row["id"], row["rule"], row["posts"], row["impressions"], row["engagements"]) == (
        "A1",
        "campaign",
        3,
        4000,
        110,
    )
    assert row["reach"] == 200  # only post 7 has a reach
    assert row["engagement_rate"] == pytest.approx(80 / 4000)  # post 7 has no impressions: left out of the rate
    assert sorted(served["post_id"]) == ["1", "2", "7"] and set(served["activity_id"]) == {"A1"}
    assert list(served.index) == [0, 1, 2]
    assert set(served["rule"]) == {"campaign"}


def test_a_tag_is_matched_as_written_not_as_a_pattern():
    texts = pd.Series(["#v1x0 is not it", "out now: #V1.0!", None, "#v1.0"])
    assert list(plan._hashtag(texts, "v1.0")) == [False, True, False, True]


def test_without_a_tag_an_activity_is_served_by_its_channels_posts_from_its_start_to_its_due_day():
    per_activity, served = linked(
        dict(campaign="", channel="facebook", start=date(2026, 10, 4), due=date(2026, 10, 5)),
        dict(campaign=None, channel="tiktok", start=date(2026, 10, 7), due=date(2026, 10, 7)),
        dict(channel="facebook", start=None, due=date(2026, 10, 5)),  # no start: nothing ties a post to it
        dict(channel="myspace", start=date(2026, 10, 1), due=date(2026, 10, 31)),  # no such platform
    )
    rows = values(per_activity).to_dict("records")
    assert [(r["rule"], r["posts"], r["impressions"], r["reach"]) for r in rows] == [
        ("channel_dates", 2, 2000, 100),  # posts 3 and 4, both days included
        ("channel_dates", 1, 1000, None),  # post 6 (post 5 is the day before the start); no reach
        ("none", 0, None, None),
        ("none", 0, None, None),
    ]
    assert [r["engagement_rate"] for r in rows] == [pytest.approx(20 / 2000), pytest.approx(10 / 1000), None, None]
    assert list(served.index) == [0, 1, 2]  # numbered afresh across the activities
    assert list(zip(served["activity_id"], served["post_id"], served["rule"])) == [
        ("A1", "4", "channel_dates"),
        ("A1", "3", "channel_dates"),
        ("A2", "6", "channel_dates"),
    ]
    assert list(per_activity.columns) == [
        "id",
        "activity",
        "channel",
        "due",
        "rule",
        "posts",
        "impressions",
        "reach",
        "engagements",
        "engagement_rate",
    ]


def test_no_activities_link_no_posts_and_no_posts_serve_no_activity():
    per_activity, served = linked()
    assert len(per_activity) == 0 and len(served) == 0
    assert list(per_activity.columns) == [
        "id",
        "activity",
        "channel",
        "due",
        "rule",
        "posts",
        "impressions",
        "reach",
        "engagements",
        "engagement_rate",
    ]
    assert {"activity_id", "rule", "post_id"} <= set(served.columns)
    september = [tagged(1, date(2026, 9, 30), "facebook", "#launch")]  # nothing in October
    per_activity, served = linked(dict(campaign="launch"), dict(channel="facebook", start=OCT_1), posts=september)
    assert [(r["rule"], r["posts"]) for r in per_activity.to_dict("records")] == [("campaign", 0), ("channel_dates", 0)]


def test_served_reads_the_posts_from_the_earliest_activity_start_or_the_periods_first_day():
    posts = [
        tagged(1, date(2026, 9, 28), "instagram", "#launch"),
        tagged(2, date(2026, 10, 31), "instagram", "#launch"),
    ]
    con = store(posts=posts)
    early = pd.DataFrame([dict(id="A1", activity="a", due=OCT_31, start=date(2026, 9, 28), campaign="launch")])
    assert plan.served(at(con), early)[0].at[0, "posts"] == 2
    late = early.assign(start=[date(2026, 10, 10)])
    assert plan.served(at(con), late)[0].at[0, "posts"] == 1  # from 1 October: the post of 28 September is not read
    none = early.assign(start=[None])
    assert plan.served(at(con), none)[0].at[0, "posts"] == 1


def test_served_totals_count_posts_and_activities_with_and_without_one():
    per_activity = pd.DataFrame({"posts": [3, 0, 1, 0, 2]})
    assert plan.served_totals(per_activity) == dict(posts_served=6, activities_with_posts=3, activities_without_posts=2)
    assert plan.served_totals(pd.DataFrame({"posts": []})) == dict(
        posts_served=0, activities_with_posts=0, activities_without_posts=0
    )


# --- deviations -----------------------------------------------------------------------------------


def test_deviations_say_how_late_first_then_hours_and_money_more_than_the_threshold_over_plan():
    window = frame(
        activity(1, date(2026, 10, 2), hours_planned=10, hours_spent=12, cost_planned=100, cost_spent=110)
        | {"state": "done"},
        activity(2, date(2026, 10, 20)) | {"state": "late"},
        activity(3, date(2026, 10, 5), done=date(2026, 10, 9), cost_planned=200, cost_spent=250)
        | {"state": "done late"},
        activity(4, date(2026, 11, 3), hours_planned=4, hours_spent=5) | {"state": "due soon"},
    )
    found = plan.deviations(window, OCT_31, over_pct=10)
    assert found == [
        {"key": "deviation.late", "values": {"activity": "A2 act2", "days": 11}},
        {"key": "deviation.done_late", "values": {"activity": "A3 act3", "days": 4}},
        {
            "key": "deviation.hours",
            "values": {"activity": "A1 act1", "actual": 12.0, "planned": 10.0, "change_pct": 0.2},
        },
        {
            "key": "deviation.cost",
            "values": {"activity": "A3 act3", "money": 250.0, "money_planned": 200.0, "change_pct": 0.25},
        },
        {
            "key": "deviation.hours",
            "values": {"activity": "A4 act4", "actual": 5.0, "planned": 4.0, "change_pct": 0.25},
        },
    ]  # A1's money is exactly 10 % over: not more than 10 %


def test_hours_or_money_without_a_plan_or_under_it_are_no_deviation():
    window = frame(
        activity(1, OCT_1, hours_planned=0, hours_spent=3, cost_planned=None, cost_spent=50) | {"state": "done"},
        activity(2, OCT_1, hours_planned=float("nan"), hours_spent=3, cost_planned=80, cost_spent=None)
        | {"state": "done"},
        activity(3, OCT_1, hours_planned=5, hours_spent=4, cost_planned=80, cost_spent=80) | {"state": "done"},
    )
    assert plan.deviations(window, OCT_31, over_pct=0) == []
    just_over = frame(activity(1, OCT_1, hours_planned=100, hours_spent=100.5) | {"state": "done"})
    assert [d["values"]["change_pct"] for d in plan.deviations(just_over, OCT_31, over_pct=0)] == [pytest.approx(0.005)]
    assert plan.deviations(just_over, OCT_31, over_pct=0.5) == []  # 0.5 % over is not more than 0.5 %
    late_today = frame(activity(1, OCT_31) | {"state": "late"})
    assert plan.deviations(late_today, OCT_31, 10) == [
        {"key": "deviation.late", "values": {"activity": "A1 act1", "days": 0}}
    ]
