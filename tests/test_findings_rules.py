"""The exception rules of analysis/findings.py at their thresholds (issue 16, make mutation):
a KPI drop, hours or money over plan, a late activity, a goal off track, an open problem and
an anomaly of the day, each exactly at, just past and at twice (or thrice) its threshold, and
the order the findings come in. Every expected figure is worked out by hand in the test."""

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd
import pytest

from rapport import periods
from rapport.analysis import findings, month
from rapport.analysis.findings import Finding
from rapport.analysis.plan import Resources
from rapport.analysis.scope import Scope
from rapport.config import load_client

from test_analysis import post, store
from test_goals_rules import report

WATCHED = ["impressions", "engagements", "engagement_rate", "clicks", "follower_growth"]


def kpis(**platforms) -> pd.DataFrame:
    """A KPI table as metrics.kpis leaves it: a row per platform, the watched columns (missing: None)."""
    rows = {p: {m: figures.get(m) for m in WATCHED} for p, figures in platforms.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def drop(platform, metric, now, before, severity="warning") -> Finding:
    return Finding("kpi_drop", severity, platform, metric, now, before, "exception.kpi_drop")


# --- KPI drops ----------------------------------------------------------------------------------


def test_a_kpi_drop_fires_past_the_threshold_and_is_critical_past_twice_it():
    before = kpis(instagram=dict(impressions=1000, engagements=1000, clicks=1000, engagement_rate=0.05))
    now = kpis(instagram=dict(impressions=800, engagements=799, clicks=600, engagement_rate=0.0299))
    # 20 % down is not more than 20 %; 20.1 % is; 40 % is not more than twice 20; 40.2 % is
    assert findings.kpi_drops(now, before, 20) == [
        drop("instagram", "engagement_rate", 0.0299, 0.05, "critical"),
        drop("instagram", "clicks", 600, 1000),
        drop("instagram", "engagements", 799, 1000),
    ]


def test_a_drop_is_relative_to_the_size_of_the_previous_value_even_a_negative_one():
    # follower growth from −100 to −150: 50 % worse; from −100 to −50: better, no drop
    before = kpis(x=dict(follower_growth=-100), tiktok=dict(follower_growth=-100))
    now = kpis(x=dict(follower_growth=-150), tiktok=dict(follower_growth=-50))
    assert findings.kpi_drops(now, before, 20) == [drop("x", "follower_growth", -150, -100, "critical")]


def test_no_drop_from_nothing_to_nothing_or_against_a_platform_not_there_before():
    before = kpis(instagram=dict(impressions=0, clicks=None, engagements=100))
    now = kpis(instagram=dict(impressions=0, clicks=5, engagements=None), facebook=dict(impressions=1))
    assert findings.kpi_drops(now, before, 20) == []
    assert findings.kpi_drops(kpis(instagram=dict(clicks=0)), kpis(instagram=dict(clicks=10)), 99.9) == [
        drop("instagram", "clicks", 0, 10, "warning")  # 100 % down: past 99.9, not past twice it
    ]


def test_a_new_platform_is_skipped_and_the_ones_after_it_still_judged():
    before = kpis(instagram=dict(impressions=1000))
    now = kpis(tiktok=dict(impressions=10), instagram=dict(impressions=700))  # tiktok is new this month
    assert findings.kpi_drops(now, before, 20) == [drop("instagram", "impressions", 700, 1000)]


def test_a_drop_past_the_threshold_by_less_than_a_billionth_of_a_point_is_float_noise():
    # 0.05 → 0.04 is exactly 20 %; 3.5e-14 less is 20.00000000007 %: noise, not a drop past 20 %
    before, now = kpis(x=dict(engagement_rate=0.05)), kpis(x=dict(engagement_rate=0.04 - 3.5e-14))
    assert findings.kpi_drops(now, before, 20) == []
    assert findings.over_budget(spent(hours_spent=11.000000000007), 10) == []  # 10.00000000007 % over


def test_findings_come_critical_first_then_by_kind_subject_and_metric():
    before = kpis(x=dict(impressions=100, clicks=100), instagram=dict(impressions=100, clicks=100))
    now = kpis(x=dict(impressions=10, clicks=70), instagram=dict(impressions=70, clicks=10))
    assert [(f.severity, f.subject, f.metric) for f in findings.kpi_drops(now, before, 20)] == [
        ("critical", "instagram", "clicks"),
        ("critical", "x", "impressions"),
        ("warning", "instagram", "impressions"),
        ("warning", "x", "clicks"),
    ]
    mixed = [
        Finding("open_problem", "warning", "b", None, None, None, "k"),
        Finding("activity_late", "warning", "z", None, None, None, "k"),
        Finding("open_problem", "warning", "a", "m", None, None, "k"),
        Finding("open_problem", "warning", "a", None, None, None, "k"),
        Finding("over_budget", "critical", "z", None, None, None, "k"),
    ]
    assert findings.sort(mixed) == [mixed[4], mixed[1], mixed[3], mixed[2], mixed[0]]


# --- hours and money over plan ------------------------------------------------------------------


def spent(**figures) -> Resources:
    """Resources with nothing over: 10 hours of 10 planned and budgeted, 100 of money of 100."""
    base = dict(hours_spent=10.0, hours_planned=10.0, hours_budget=10.0, hours_vs_plan=None, hours_vs_budget=None)
    base.update(cost_spent=100.0, cost_planned=100.0, ad_spend=None, money_spent=100.0, money_budget=100.0)
    base.update(money_vs_budget=None, labour_cost=None)
    return Resources(**(base | figures))


def over(subject, used, planned, severity="warning") -> Finding:
    return Finding("over_budget", severity, subject, None, used, planned, "exception.over_budget")


def test_each_of_hours_and_money_against_plan_and_budget_fires_past_its_threshold():
    assert findings.over_budget(spent(), 10) == []
    # hours: 11.5 of 10 planned (15 %) but 11.5 of a budget of 12 is under it
    assert findings.over_budget(spent(hours_spent=11.5, hours_budget=12.0), 10) == [over("hours", 11.5, 10.0)]
    # money: 120 of 100 planned is exactly twice 10 %: a warning; 121 of a budget of 100 is critical
    assert findings.over_budget(spent(cost_spent=120.0, money_spent=121.0), 10) == [
        over("money_budget", 121.0, 100.0, "critical"),
        over("money", 120.0, 100.0),
    ]
    assert findings.over_budget(spent(hours_spent=12.0, hours_planned=20.0, hours_budget=11.0), 5) == [
        over("hours_budget", 12.0, 11.0)  # 9.09 % over the budget: past 5 %, not past 10 %
    ]


def test_nothing_is_over_a_plan_or_budget_of_zero_or_none_nor_without_a_figure():
    nothing = spent(hours_planned=0.0, hours_budget=None, cost_planned=None, money_budget=0.0, hours_spent=50.0)
    assert findings.over_budget(nothing, 10) == []
    assert findings.over_budget(spent(hours_spent=None, hours_budget=1.0), 10) == []
    # hours without a plan are skipped; the money after them is still judged (50 % over)
    assert findings.over_budget(spent(hours_planned=0.0, cost_spent=150.0), 10) == [
        over("money", 150.0, 100.0, "critical")
    ]
    assert findings.over_budget(spent(cost_spent=100.1, money_spent=100.1), 0) == [
        over("money", 100.1, 100.0, "critical"),  # any excess is past 0 %, and past twice 0 %
        over("money_budget", 100.1, 100.0, "critical"),
    ]


# --- late activities ----------------------------------------------------------------------------


def plan_rows(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        [dict(id=f"A{i}", activity=f"act{i}", status="in progress", done=None) | r for i, r in enumerate(rows, 1)]
    )


def test_an_activity_is_late_past_the_days_allowed_and_critical_past_three_times_them():
    today = date(2026, 10, 31)
    rows = plan_rows(
        dict(due=today - timedelta(days=3)),  # 3 days: not more than 3
        dict(due=today - timedelta(days=4)),  # 4: late
        dict(due=today - timedelta(days=9)),  # 9: three times 3, still a warning
        dict(due=today - timedelta(days=10)),  # 10: critical
        dict(due=today - timedelta(days=40), status="cancelled"),
        dict(due=today - timedelta(days=40), done=date(2026, 10, 1)),
        dict(due=today - timedelta(days=40), done=pd.NaT),  # a missing done date is not done
        dict(due=today + timedelta(days=5)),  # not due yet
    )
    found = findings.late_activities(rows, today, late_days=3)
    assert found == [
        Finding("activity_late", "critical", "A4 act4", None, 10, "2026-10-21", "exception.activity_late"),
        Finding("activity_late", "critical", "A7 act7", None, 40, "2026-09-21", "exception.activity_late"),
        Finding("activity_late", "warning", "A2 act2", None, 4, "2026-10-27", "exception.activity_late"),
        Finding("activity_late", "warning", "A3 act3", None, 9, "2026-10-22", "exception.activity_late"),
    ]
    assert found[0].as_json() == {
        "kind": "activity_late",
        "severity": "critical",
        "subject": "A4 act4",
        "metric": None,
        "measured": 10,
        "expected": "2026-10-21",
        "message_key": "exception.activity_late",
    }
    assert findings.late_activities(rows.iloc[:1], today, late_days=2)[0].severity == "warning"
    assert findings.late_activities(rows.iloc[:1], today, late_days=0)[0].severity == "critical"


# --- goals and problems -------------------------------------------------------------------------


def test_goals_off_track_are_critical_and_at_risk_a_warning():
    reports = [report(id=g, status=s) for g, s in [("G1", "at risk"), ("G2", "on track"), ("G3", "off track")]]
    reports += [report(id="G4", status="achieved"), report(id="G5", status="no data")]
    assert findings.goals_off_track(reports) == [
        Finding("goal_off_track", "critical", "G3", "followers", 150.0, 200.0, "exception.goal_off_track"),
        Finding("goal_at_risk", "warning", "G1", "followers", 150.0, 200.0, "exception.goal_at_risk"),
    ]


def test_open_problems_of_high_severity_are_critical_whatever_their_status_says_but_solved():
    log = pd.DataFrame(
        [
            dict(problem="outage", status="open", severity="high"),
            dict(problem="typo", status="open", severity="low"),
            dict(problem="leak", status="Solved", severity="high"),
            dict(problem="hack", status=None, severity="high"),
            dict(problem="spam", status="in progress", severity="high"),
        ]
    )
    assert findings.open_problems(log) == [
        Finding("open_problem", "critical", "hack", None, "open", "solved", "exception.open_problem"),
        Finding("open_problem", "critical", "outage", None, "open", "solved", "exception.open_problem"),
        Finding("open_problem", "critical", "spam", None, "in progress", "solved", "exception.open_problem"),
    ]


# --- anomalies ----------------------------------------------------------------------------------


def test_the_robust_z_score_is_the_distance_from_the_median_in_mads_or_mean_deviations():
    # seven values before: 1 … 7, median 4, absolute deviations 3 2 1 0 1 2 3, their median 2
    z = findings.robust_z(pd.Series([1, 2, 3, 4, 5, 6, 7, 10.0]))
    assert list(z[:7]) == [None] * 7  # fewer than seven values before
    assert z[7] == pytest.approx((10 - 4) / (2 * 1.4826))
    # mostly zeros: the MAD is 0, so the mean absolute deviation (2 / 7) stands in
    sparse = findings.robust_z(pd.Series([0, 0, 0, 1, 0, 0, 1, 5.0]))
    assert sparse[7] == pytest.approx(5 / (2 / 7 * 1.2533))
    # no spread at all: undefined; a missing value: undefined
    assert findings.robust_z(pd.Series([3.0] * 7 + [9.0]))[7] is None
    assert findings.robust_z(pd.Series([1, 2, 3, 4, 5, 6, 7, float("nan")]))[7] is None


# 29 days before 1 October: a 0 (2 September), then 0, 0, 10, 0, 10 … and 10, 10 at the end of
# September: the 28 days before October hold fourteen 0s and fourteen 10s, median 5, every
# value 5 from it (a robust deviation of 5 × 1.4826). The 26 or 29 days before October, or the
# 27 before 30 September, have a median of 10 or 0.
EVEN = [0, 0, 0] + [10, 0] * 12 + [10, 10]
BEFORE_OCTOBER = [date(2026, 9, 2) + timedelta(days=i) for i in range(29)]


def test_the_z_score_and_the_median_are_those_of_the_28_days_before():
    assert (EVEN[1:].count(0), EVEN[1:].count(10), len(EVEN), len(BEFORE_OCTOBER)) == (14, 14, 29, 29)
    assert findings.robust_z(pd.Series(EVEN + [50.0])).iloc[-1] == pytest.approx(45 / (5 * 1.4826))
    frame = pd.DataFrame({"date": BEFORE_OCTOBER + [OCT_1], "n": EVEN + [50]})
    assert anomalies(frame) == [
        Finding("anomaly", "critical", "2026-10-01", None, 50.0, 5.0, "exception.negative_mentions")
    ]
    assert anomalies(frame, threshold=6.1) == []  # 45 / 7.413 ≈ 6.07
    # a hundredth of it: 0.45 from the median matters, when no least distance is given
    small = frame.assign(n=[v / 100 for v in EVEN] + [0.5])
    assert [(f.measured, f.expected) for f in anomalies(small)] == [(0.5, 0.05)]


def test_the_robust_z_score_looks_back_over_the_window_only():
    # 30 values: two wild ones first, then 1 … 7 repeated; with a window of 7 only the last 7 count
    series = pd.Series([1000.0, -1000.0] + [1, 2, 3, 4, 5, 6, 7] * 4)
    z = findings.robust_z(series, window=7)
    assert z.iloc[-1] == pytest.approx((7 - 4) / (2 * 1.4826))
    gaps = pd.Series([None, 1, None, 2, 3, 4, 5, 6, 10.0])  # the gaps are not values: six is too few
    assert findings.robust_z(gaps)[8] is None
    # one more value, 0, makes seven: 0 … 6, median 3, absolute deviations' median 2
    assert findings.robust_z(pd.concat([pd.Series([0.0]), gaps], ignore_index=True))[9] == pytest.approx(7 / 2.9652)


# 28 quiet days before October: nine 3s, ten 4s, nine 5s. Median 4; absolute deviations ten 0s
# and eighteen 1s, their median 1: a robust standard deviation of 1.4826.
QUIET = [3, 4, 5] * 9 + [4]
SEPTEMBER = [date(2026, 9, 3) + timedelta(days=i) for i in range(28)]
OCT_1, OCT_2 = date(2026, 10, 1), date(2026, 10, 2)


def daily(*october) -> pd.DataFrame:
    """Negative mentions a day: the quiet September, then `october` from the 1st."""
    days = SEPTEMBER + [OCT_1 + timedelta(days=i) for i in range(len(october))]
    return pd.DataFrame({"date": days, "n": QUIET + list(october)})


def spike(day, value, severity="critical", key="exception.negative_mentions") -> Finding:
    return Finding("anomaly", severity, day.isoformat(), None, float(value), 4.0, key)


def anomalies(frame, start=OCT_1, end=OCT_1, threshold=3.5, **options):
    return findings.anomalies(
        frame, "n", start, end, threshold=threshold, message_key="exception.negative_mentions", **options
    )


def test_a_day_is_an_anomaly_past_the_threshold_in_robust_z_scores():
    assert anomalies(daily(10)) == [spike(OCT_1, 10)]  # (10 − 4) / 1.4826 ≈ 4.05
    assert anomalies(daily(9)) == []  # 5 / 1.4826 ≈ 3.37
    at_threshold = 6 / 1.4826  # exactly 10's score: not more than it
    assert anomalies(daily(10), threshold=at_threshold) == []
    assert anomalies(daily(10), threshold=at_threshold - 1e-9) == [spike(OCT_1, 10)]


def test_any_score_above_zero_is_a_rise_however_low_the_threshold():
    # 5 is 1 / 1.4826 ≈ 0.67 robust deviations above 4
    assert anomalies(daily(5), threshold=0.5) == [spike(OCT_1, 5)]


def test_a_drop_is_an_anomaly_too_a_warning_unless_drops_are_the_critical_direction():
    down = spike(OCT_1, -2, "warning", "exception.anomaly_down")  # (−2 − 4) / 1.4826 ≈ −4.05
    assert anomalies(daily(-2)) == [down]
    assert anomalies(daily(-2), critical_when="down") == [spike(OCT_1, -2, "critical", "exception.anomaly_down")]
    assert anomalies(daily(10), critical_when="down") == [spike(OCT_1, 10, "warning")]


def test_an_anomaly_needs_the_least_distance_from_the_median_that_matters():
    assert anomalies(daily(10), min_delta=6) == [spike(OCT_1, 10)]  # 10 is 6 from the median
    assert anomalies(daily(10), min_delta=6.5) == []
    # 1 October is too close to the median; 2 October (30, against a median still 4) is not
    assert anomalies(daily(10, 30), OCT_1, OCT_2, min_delta=6.5) == [spike(OCT_2, 30)]
    assert anomalies(daily(-2), min_delta=6) == [spike(OCT_1, -2, "warning", "exception.anomaly_down")]


def test_only_the_days_from_start_to_end_are_judged_both_included():
    # 1 October: 10; 2 October: 4 (back to the median); 3 October: 30, judged against the 28 days before it
    frame = daily(10, 4, 30)
    oct_3 = date(2026, 10, 3)
    assert [f.subject for f in anomalies(frame, OCT_1, oct_3)] == ["2026-10-01", "2026-10-03"]
    assert [f.subject for f in anomalies(frame, OCT_2, oct_3)] == ["2026-10-03"]
    assert anomalies(frame, OCT_2, OCT_2) == []
    # the 28 days before 3 October: September from the 5th (eight 3s, nine 4s, nine 5s), then 10 and 4: median 4
    (third,) = anomalies(frame, oct_3, oct_3)
    assert (third.measured, third.expected) == (30.0, 4.0)
    shuffled = frame.iloc[::-1].reset_index(drop=True)  # the days in any order
    assert [f.subject for f in anomalies(shuffled, OCT_1, oct_3)] == ["2026-10-01", "2026-10-03"]
    assert anomalies(frame.iloc[0:0], OCT_1, oct_3) == []


# --- every rule over a month, with the client's thresholds ----------------------------------------

ACME = """name: Acme
thresholds: {kpi_drop_pct: 30, over_budget_pct: 15, late_days: 5, anomaly_z: 3.5}
budget: {hourly_rate: 50}
"""


def acme_month(workspace):
    """Acme's October: impressions and engagements down 35 % from September, an activity due on
    the 20th not done (11 days late) with 12 hours spent of 10 planned (20 % over), a high problem
    open, and negative mentions after a month of one every fourth day: ten on 1 October, five on
    the 5th and four on the 8th (the median before each is 0)."""
    (workspace / "params" / "acme.yaml").write_text(ACME)
    data = workspace / "data" / "acme"
    data.mkdir(parents=True)
    (data / "plan.csv").write_text(
        "id,activity,due,status,hours_planned,hours_spent\nA1,launch,2026-10-20,in progress,10,12\n"
    )
    (data / "problems.csv").write_text(
        "date,problem,status,severity\n2026-10-02,outage,open,high\n2026-10-03,typo,open,low\n"
    )
    negative = (
        [date(2026, 9, 3) + timedelta(days=4 * i) for i in range(7)]
        + [OCT_1] * 10
        + [date(2026, 10, 5)] * 5
        + [date(2026, 10, 8)] * 4
    )
    mentions = [
        dict(platform="x", mention_id=str(i), date=d, brand="acme", sentiment="negative")
        for i, d in enumerate(negative)
    ]
    mentions += [
        dict(platform="x", mention_id=f"p{i}", date=OCT_2, brand="Acme", sentiment="positive") for i in range(30)
    ]
    mentions += [
        dict(platform="x", mention_id=f"r{i}", date=OCT_2, brand="Rival", sentiment="negative") for i in range(30)
    ]
    con = store(
        posts=[post(1, date(2026, 9, 10), 1000, reactions=100), post(2, date(2026, 10, 10), 650, reactions=65)],
        mentions=mentions,
    )
    client = load_client("acme")
    october = Scope(con, periods.for_report("monthly", "2026-10"), "UTC")
    return month.figures(october, client), october, client.params


def test_a_month_collects_every_rule_with_the_clients_thresholds_most_severe_first(workspace):
    figures, october, params = acme_month(workspace)
    with_goal = findings.collect(october, params, replace(figures, goals=[report(status="off track")]))
    assert {f.message_key for f in with_goal if f.kind == "anomaly"} == {"exception.negative_mentions"}
    assert [(f.severity, f.kind, f.subject, f.metric, f.measured, f.expected) for f in with_goal] == [
        ("critical", "anomaly", "2026-10-01", None, 10.0, 0.0),
        ("critical", "anomaly", "2026-10-05", None, 5.0, 0.0),  # 5 from the median; the 8th's 4 are too few
        ("critical", "goal_off_track", "G1", "followers", 150.0, 200.0),
        ("critical", "open_problem", "outage", None, "open", "solved"),
        ("warning", "activity_late", "A1 launch", None, 11, "2026-10-20"),  # more than 5 days, not more than 15
        ("warning", "kpi_drop", "all", "engagements", 65, 100),  # 35 %: more than 30, not more than 60
        ("warning", "kpi_drop", "all", "impressions", 650, 1000),
        ("warning", "kpi_drop", "instagram", "engagements", 65, 100),
        ("warning", "kpi_drop", "instagram", "impressions", 650, 1000),
        ("warning", "over_budget", "hours", None, 12.0, 10.0),  # 20 %: more than 15, not more than 30
    ]
    assert figures.findings == [f for f in with_goal if f.kind != "goal_off_track"]  # the month has no goals
