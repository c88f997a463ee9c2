"""The goal and OKR rules of analysis/goals.py, one rule at a time, at their edges (issue 16,
make mutation): the trend line and its interval, the growth a goal needs and how often the
account managed it, the status on and around the deadline, the pace in words, the S.M.A.R.T.
letters and the OKR scores. Every expected figure is worked out by hand in the test."""

import math
from datetime import date, timedelta

import pytest

from rapport import periods
from rapport.analysis import goals
from rapport.config import Okr, parse_params

from test_analysis import ACTIVITIES, LINEAR, PARAMS, at, goal, monthly_followers, store


def months(values, first="2026-07"):
    """A monthly history as goals keeps it: [(Period, value)], oldest first, from `first`."""
    month, out = periods.for_report("monthly", first), []
    for v in values:
        out.append((month, v))
        month = periods.month_of(month.end + timedelta(days=1))
    return out


# --- the trend line ------------------------------------------------------------------------


def test_the_forecast_is_the_least_squares_line_at_the_deadlines_month_with_its_interval():
    """0, 2, 1, 3 from July to October: slope 0.8, intercept 0.3 (x̄ = ȳ = 1.5, Sxx = 5,
    Sxy = 4); residuals −0.3, 0.9, −0.9, 0.3, so s² = 1.8 / 2. December is x = 5."""
    low_high = 1.96 * math.sqrt(0.9) * math.sqrt(1 + 1 / 4 + (5 - 1.5) ** 2 / 5)
    forecast, low, high = goals.forecast_to(months([0, 2, 1, 3]), date(2026, 12, 31))
    assert forecast == pytest.approx(0.8 * 5 + 0.3)
    assert (low, high) == (pytest.approx(4.3 - low_high), pytest.approx(4.3 + low_high))
    # a deadline in the history's last month, or before it, is forecast at that last month (x = 3)
    for deadline in (date(2026, 10, 1), date(2026, 8, 31)):
        now, low, high = goals.forecast_to(months([0, 2, 1, 3]), deadline)
        half = 1.96 * math.sqrt(0.9) * math.sqrt(1 + 1 / 4 + (3 - 1.5) ** 2 / 5)
        assert (now, low, high) == (pytest.approx(2.7), pytest.approx(2.7 - half), pytest.approx(2.7 + half))


def test_the_forecast_counts_the_months_to_a_deadline_in_a_later_year():
    # July to October 2026 on the line 10 x + 10; March 2027 is five months after October: x = 8
    line = months([10, 20, 30, 40])
    assert goals.forecast_to(line, date(2027, 3, 1))[0] == pytest.approx(90)
    assert goals.forecast_to(line, date(2028, 1, 31))[0] == pytest.approx(10 * (3 + 15) + 10)


def test_the_forecast_skips_missing_months_yet_keeps_their_place_on_the_time_axis():
    """10, –, 30, 40: the points are at x = 0, 2, 3 — a line 10 x + 10 exactly, December is x = 5."""
    forecast, low, high = goals.forecast_to(months([10, None, 30, 40]), date(2026, 12, 31))
    assert (forecast, low, high) == (pytest.approx(60), pytest.approx(60), pytest.approx(60))
    # a missing last month still counts as the history's end: 10, 20, 30, – puts December at x = 5
    assert goals.forecast_to(months([10, 20, 30, None]), date(2026, 12, 31))[0] == pytest.approx(60)


def test_the_forecast_needs_three_values_and_uses_only_the_last_twelve():
    assert goals.forecast_to(months([10, None, 30]), date(2026, 12, 31)) == (None, None, None)
    assert goals.forecast_to(months([]), date(2026, 12, 31)) == (None, None, None)
    # three values are enough: 0, 2, 1 give slope 0.5, intercept 0.5, residuals −0.5, 1, −0.5
    # (s² = 1.5 / 1); September is x = 2, x̄ = 1, Sxx = 2
    half = 1.96 * math.sqrt(1.5) * math.sqrt(1 + 1 / 3 + 1 / 2)
    three = goals.forecast_to(months([0, 2, 1]), date(2026, 9, 30))
    assert three == (pytest.approx(1.5), pytest.approx(1.5 - half), pytest.approx(1.5 + half))
    # 14 months: two wild ones first, then twelve on the line 5 x (x = 2 … 13); March 2028 is x = 20
    history = months([900, -900] + [5 * x for x in range(2, 14)], first="2026-01")
    assert history[-1][0].label == "2027-02"
    assert goals.forecast_to(history, date(2027, 9, 15)) == (
        pytest.approx(5 * 20),
        pytest.approx(5 * 20),
        pytest.approx(5 * 20),
    )


# --- the growth a goal needs, against the account's own --------------------------------------

# 64 → 64 → 80 → 120 → 240: growths 0, 0.25, 0.5 and 1 (exact in binary); the 75th
# percentile is 0.5 + 0.25 × (1 − 0.5) = 0.625, the 95th 0.5 + 0.85 × 0.5 = 0.925
GROWING = months([64, 64, 80, 120, 240])
OCT_31, NOV_30 = date(2026, 10, 31), date(2026, 11, 30)  # one month left


def test_the_growth_needed_is_the_monthly_rate_that_compounds_to_the_target():
    # one month left: 100 → 150 needs 50 %; three months: 100 → 125 needs 125 ** (1/3) − 1 a month
    assert goals.achievable(GROWING, 100, 150, OCT_31, NOV_30)[0] == pytest.approx(0.5)
    assert goals.achievable(GROWING, 100, 125, OCT_31, date(2027, 1, 1))[0] == pytest.approx(1.25 ** (1 / 3) - 1)
    # across a year end: December 2026 to March 2027 is three months
    assert goals.achievable(GROWING, 8, 27, date(2026, 12, 1), date(2027, 3, 31))[0] == pytest.approx(0.5)


@pytest.mark.parametrize(
    "target, percentile, verdict",
    [
        (64, 1 / 4, "realistic"),  # needs nothing: only the flat month is at or under 0
        (96, 3 / 4, "realistic"),  # needs 0.5: at or over 0, 0.25 and 0.5 (the share counts ties)
        (104, 3 / 4, "realistic"),  # needs 0.625: exactly the 75th percentile
        (112, 3 / 4, "stretch"),  # needs 0.75
        (128, 4 / 4, "unrealistic"),  # needs 1: beyond the 95th percentile, 0.925
    ],
)
def test_the_verdict_places_the_growth_needed_among_the_accounts_own_growths(target, percentile, verdict):
    needed, share, said = goals.achievable(GROWING, 64, target, OCT_31, NOV_30)
    assert (needed, share, said) == (pytest.approx(target / 64 - 1), percentile, verdict)


def test_the_verdict_bands_end_at_the_75th_and_the_95th_percentile_not_beyond():
    # just past the 75th percentile (0.625; the 76th would be 0.64) and the 95th (0.925; the 96th 0.94)
    assert goals.achievable(GROWING, 64, 64 * 1.63, OCT_31, NOV_30)[2] == "stretch"
    assert goals.achievable(GROWING, 64, 64 * 1.93, OCT_31, NOV_30)[2] == "unrealistic"


def test_holding_the_current_value_is_realistic_even_for_an_account_that_only_shrinks():
    # 240 → 120 → 80 → 64: growths −0.5, −1/3, −0.2, so every percentile is below 0
    shrinking = months([240, 120, 80, 64])
    assert goals.achievable(shrinking, 64, 64, OCT_31, NOV_30) == (0.0, 1.0, "realistic")
    assert goals.achievable(shrinking, 64, 65, OCT_31, NOV_30)[2] == "unrealistic"  # any growth at all


def test_a_growth_exactly_at_the_95th_percentile_is_a_stretch():
    """Growths 0, 0, 0, 0.25, 1, 1: the 75th percentile is 0.25 + 0.75 × 0.75 = 0.8125, the
    95th lies between the two 1s, so 1."""
    history = months([64, 64, 64, 64, 80, 160, 320])
    assert goals.achievable(history, 64, 64 * 1.8125, OCT_31, NOV_30)[1:] == (4 / 6, "realistic")
    assert goals.achievable(history, 64, 128, OCT_31, NOV_30)[1:] == (1.0, "stretch")
    assert goals.achievable(history, 64, 129, OCT_31, NOV_30)[1:] == (1.0, "unrealistic")


def test_a_reduction_needs_a_decline_and_is_judged_against_the_accounts_declines():
    """320 → 160 → 80 → 80: declines of 0.5, 0.5 and 0; halving in a month is what the account
    did twice (realistic, the 75th percentile of the declines being 0.5), quartering never."""
    history = months([320, 160, 80, 80])
    assert goals.achievable(history, 100, 50, OCT_31, NOV_30, reduction=True) == (
        pytest.approx(-0.5),
        1.0,
        "realistic",
    )
    assert goals.achievable(history, 100, 25, OCT_31, NOV_30, reduction=True) == (
        pytest.approx(-0.75),
        1.0,
        "unrealistic",
    )
    # the same halving read as growth (no reduction) is a decline: realistic, and 0 of 3 months grew less
    assert goals.achievable(history, 100, 50, OCT_31, NOV_30)[1:] == (2 / 3, "realistic")


@pytest.mark.parametrize(
    "history, current, target, deadline",
    [
        (GROWING, None, 150, NOV_30),  # nothing measured yet
        (GROWING, 100, None, NOV_30),  # no target
        (GROWING, 0, 150, NOV_30),  # no growth rate from zero
        (GROWING, 100, 150, date(2026, 10, 31)),  # the deadline's month is today's: no month left
        (GROWING, 100, 150, date(2026, 9, 30)),  # past the deadline
        (GROWING[:3], 64, 96, NOV_30),  # two growths only
        (GROWING, 100, 0, NOV_30),  # a target of zero: no rate compounds to it
        (GROWING, 100, -10, NOV_30),  # nor to a negative one
    ],
)
def test_the_verdict_is_unknown_without_a_rate_to_judge(history, current, target, deadline):
    assert goals.achievable(history, current, target, OCT_31, deadline) == (None, None, "unknown")


def test_three_growths_are_enough_and_a_zero_month_starts_no_growth():
    # 64 → 64 → 80 → 120: three growths, 0, 0.25, 0.5, whose 75th percentile is 0.375
    assert goals.achievable(GROWING[:4], 64, 88, OCT_31, NOV_30)[1:] == (2 / 3, "realistic")
    # 0 → 10 → 20 → 40 → 80 (a missing month aside): the three doublings, none from zero
    doubling = months([0, 10, None, 20, 40, 80])
    assert goals.achievable(doubling, 80, 160, OCT_31, NOV_30)[1:] == (1.0, "realistic")
    assert goals.managed(doubling, 1.0) == (3, 3)


def test_months_managed_count_the_growths_at_or_beyond_the_pace_needed():
    assert goals.managed(GROWING, 0.5) == (2, 4)  # 0.5 and 1
    assert goals.managed(GROWING, 0.500001) == (1, 4)
    assert goals.managed(GROWING, None) == (None, None)
    assert goals.managed(months([5]), 0.1) == (None, None)  # no growth at all
    # a reduction: the declines at least as deep as the one needed (0.5): 320 → 160 → 80 only
    assert goals.managed(months([320, 160, 80, 80]), -0.5, reduction=True) == (2, 3)
    assert goals.managed(months([320, 160, 80, 80]), -0.4, reduction=True) == (2, 3)
    assert goals.managed(months([320, 160, 80, 80]), -0.6, reduction=True) == (0, 3)


# --- time elapsed and status ---------------------------------------------------------------


def test_time_elapsed_is_the_share_of_the_goals_days_gone_clipped_to_0_and_1():
    start, deadline = date(2026, 1, 1), date(2026, 1, 11)  # ten days
    assert goals._elapsed(start, deadline, date(2026, 1, 4)) == pytest.approx(0.3)
    assert goals._elapsed(start, deadline, start) == 0.0
    assert goals._elapsed(start, deadline, date(2026, 1, 12)) == 1.0  # a day after the deadline
    # a goal with no time at all (or a deadline before its start) is due at once
    assert goals._elapsed(start, start, date(2025, 12, 1)) == 1.0
    assert goals._elapsed(deadline, start, date(2025, 12, 1)) == 1.0
    assert goals._elapsed(start, date(2026, 1, 2), start) == 0.0  # a one-day goal on its first day


def decide(current, baseline=100.0, target=200.0, *, forecast=(None, None, None), progress=None, today=OCT_31):
    """goals._status for a goal due at the end of December, 2026, half its time gone."""
    when = dict(expected=0.5, forecast=forecast, today=today, deadline=date(2026, 12, 31))
    return goals._status(current, baseline, target, progress=progress, **when)


def test_a_forecast_that_reaches_the_target_keeps_a_goal_on_track_however_slow_it_is_so_far():
    assert decide(110, forecast=(200, 150, 250), progress=0.1) == "on track"  # reaches 200 exactly
    assert decide(110, forecast=(199, 150, 250), progress=0.1) == "at risk"  # only the interval's top does
    assert decide(110, forecast=(150, 120, 199), progress=0.1) == "off track"  # not even that
    assert decide(110, forecast=(150, 120, 200), progress=0.1) == "at risk"  # the top exactly at the target
    assert decide(110, forecast=(150, 120, 199), progress=0.5) == "on track"  # but on schedule
    assert decide(110, forecast=(None, None, None), progress=None) == "off track"


def test_a_reduction_goal_is_at_risk_when_the_low_end_of_its_interval_reaches_the_target():
    # from 200 down to 100: the favourable end of the interval is the low one
    assert decide(180, 200, 100, forecast=(120, 100, 140), progress=0.2) == "at risk"
    assert decide(180, 200, 100, forecast=(120, 101, 99), progress=0.2) == "off track"
    assert decide(180, 200, 100, forecast=(100, 90, 110), progress=0.2) == "on track"
    assert decide(100, 200, 100) == "achieved" and decide(99, 200, 100) == "achieved"
    assert decide(101, 200, 100, forecast=(101, 101, 101)) == "off track"


def test_on_the_deadline_day_a_goal_not_reached_is_off_track_whatever_its_forecast():
    december_31 = date(2026, 12, 31)
    assert decide(199, forecast=(400, 300, 500), progress=0.99, today=december_31) == "off track"
    assert decide(200, forecast=(400, 300, 500), today=december_31) == "achieved"
    assert decide(199, forecast=(400, 300, 500), progress=0.99, today=date(2026, 12, 30)) == "on track"


def test_a_goal_without_a_current_value_or_a_target_has_no_data_and_without_a_baseline_it_grows():
    assert decide(None, forecast=(400, 300, 500)) == "no data"
    assert decide(150, 100, None, forecast=(400, 300, 500)) == "no data"
    # no baseline: nothing says it is a reduction, so the target is one to reach upwards
    assert decide(250, None, 200) == "achieved" and decide(150, None, 200, forecast=(210, 0, 0)) == "on track"
    assert not goals._reached(None, 100, 200) and not goals._reached(150, 100, None)
    assert goals._reached(200, 100, 200) and not goals._reached(199.99, 100, 200)
    assert goals._reached(100, 200, 100) and not goals._reached(100.01, 200, 100)
    assert goals._reached(200, 200, 200)  # a target equal to the baseline is reached from below
    assert not goals._reached(199, 200, 200)


def test_a_goal_to_hold_its_baseline_is_at_risk_when_the_top_of_its_interval_reaches_it():
    # 200 to keep 200, now 150: no progress to measure (no way to go); the interval's top, 210, reaches it
    assert decide(150, 200, 200, forecast=(150, 100, 210)) == "at risk"
    assert decide(150, 200, 200, forecast=(150, 100, 190)) == "off track"


# --- the pace in words ----------------------------------------------------------------------


def report(**fields) -> goals.GoalReport:
    """A goal's figures as goals.evaluate leaves them: followers from 100 towards 200 by the end of 2026."""
    base = dict(id="G1", name="n", type="engaged_community", metric="followers", platform="instagram")
    base.update(start=date(2026, 7, 1), deadline=date(2026, 12, 31), baseline=100.0, baseline_measured=True)
    base.update(target=200.0, current=150.0, progress=0.5, expected_progress=0.67, status="at risk")
    base.update(forecast=None, forecast_low=None, forecast_high=None, needed_monthly_growth=0.1)
    base.update(growth_percentile=0.4, achievability="stretch", months_managed=3, months_seen=9)
    base.update(fields)
    return goals.GoalReport(**base)


def test_the_pace_says_reached_moving_away_or_the_growth_needed_and_how_often_the_account_managed_it():
    assert goals.pace(report(status="achieved", progress=1.2)) == {"key": "pace.achieved", "values": {}}
    assert goals.pace(report(status="achieved", progress=None)) == {"key": "pace.achieved", "values": {}}
    assert goals.pace(report(progress=None)) is None
    away = {"key": "pace.away", "values": {"metric": "followers", "current": 90.0, "baseline": 100.0}}
    assert goals.pace(report(current=90.0, progress=-0.1)) == away
    needed = {"change_month": 0.1, "deadline": "2026-12-31", "hits": 3, "months": 9}
    assert goals.pace(report()) == {"key": "pace.needed", "values": needed}
    # no progress at all yet is not moving away: it still needs its growth
    assert goals.pace(report(current=100.0, progress=0.0))["key"] == "pace.needed"


def test_without_a_growth_needed_or_a_history_the_pace_is_progress_against_time():
    progress = {"key": "pace.progress", "values": {"progress": 0.5, "expected": 0.67}}
    assert goals.pace(report(needed_monthly_growth=None)) == progress
    assert goals.pace(report(months_seen=0, months_managed=0)) == progress
    assert goals.pace(report(months_seen=None, months_managed=None)) == progress


def test_a_goal_report_reads_as_its_id_metric_platform_status_and_progress():
    assert repr(report()) == "<GoalReport G1 · followers (instagram) · at risk · progress 50%>"
    assert (
        repr(report(progress=None, status="no data"))
        == "<GoalReport G1 · followers (instagram) · no data · progress –>"
    )
    json = report(history=[("2026-10", 150.0)]).as_json()
    assert (json["id"], json["deadline"], json["months_seen"], json["history"]) == (
        "G1",
        date(2026, 12, 31),
        9,
        [("2026-10", 150.0)],
    )


# --- S.M.A.R.T. -----------------------------------------------------------------------------


def test_each_smart_letter_holds_or_not_with_its_reason_in_english():
    letters = goals.smart_check(goal(target=2400), PARAMS, 2000, "stretch", (0.05, 3, 10))
    assert letters["S"] == {
        "ok": True,
        "key": "smart.specific",
        "values": {"metric": "followers", "platform": "instagram"},
        "reason": "followers on instagram",
    }
    assert letters["M"] == {"ok": True, "key": "smart.measured", "values": {}, "reason": "measured from the data"}
    assert letters["A"] == {
        "ok": True,
        "key": "smart.achievable",
        "values": {"verdict": "stretch", "change_month": 0.05, "hits": 3, "months": 10},
        "reason": "stretch: needs 0.05 a month; the account managed that in 3 of its last 10 months",
    }
    assert letters["R"] == {
        "ok": True,
        "key": "smart.relevant",
        "values": {"objective": "Sell more coffee"},
        "reason": "serves the objective: Sell more coffee",
    }
    assert letters["T"] == {
        "ok": True,
        "key": "smart.time_bound",
        "values": {"start": "2026-07-01", "deadline": "2026-12-31"},
        "reason": "2026-07-01 to 2026-12-31",
    }


def test_smart_letters_that_fail_say_why():
    backwards = goal(target=10).model_copy(update=dict(start=date(2026, 12, 31), deadline=date(2026, 12, 31)))
    blank = parse_params("name: x\nobjective: '   '", "t")
    letters = goals.smart_check(backwards, blank, None, "unrealistic", (0.5, 0, 1))
    assert letters["M"] == {
        "ok": False,
        "key": "smart.not_measured",
        "values": {},
        "reason": "no data for this metric yet",
    }
    assert letters["A"]["ok"] is False and letters["A"]["key"] == "smart.achievable"
    assert letters["A"]["reason"] == "unrealistic: needs 0.5 a month; the account managed that in 0 of its last 1 month"
    assert letters["R"] == {
        "ok": False,
        "key": "smart.not_relevant",
        "values": {},
        "reason": "no business objective in the params",
    }
    not_bound = {
        "ok": False,
        "key": "smart.not_time_bound",
        "values": {},
        "reason": "the deadline is not after the start",
    }
    assert letters["T"] == not_bound  # a deadline on the start day leaves no time


@pytest.mark.parametrize(
    "verdict, seen", [("unknown", 10), ("realistic", None), ("stretch", None), ("unrealistic", None)]
)
def test_achievable_is_unknown_without_a_verdict_or_a_history_to_judge_it_by(verdict, seen):
    letter = goals.smart_check(goal(target=2400), PARAMS, 2000, verdict, (0.05, None, seen))["A"]
    assert letter["key"] == "smart.achievable_unknown" and letter["values"] == {}
    assert letter["reason"] == "too little history to judge"
    assert letter["ok"] is (verdict in ("realistic", "stretch"))


# --- OKRs -----------------------------------------------------------------------------------


def test_a_key_result_score_is_the_share_of_the_way_clipped_and_undefined_without_a_way():
    assert goals.okr_score(170, 100, 200) == pytest.approx(0.7)
    assert goals.okr_score(100, 100, 200) == 0.0 and goals.okr_score(200, 100, 200) == 1.0
    assert goals.okr_score(99, 100, 200) == 0.0 and goals.okr_score(201, 100, 200) == 1.0
    assert goals.okr_score(130, 200, 100) == pytest.approx(0.7)  # a reduction: 70 of the 100 down
    assert goals.okr_score(150, None, 200) is None  # no start to measure from
    assert goals.okr_score(None, 100, 200) is None and goals.okr_score(150, 200, 200) is None


def key_results(*rows) -> Okr:
    """An OKR from July to December 2026 on instagram's followers: one key result per (start, target)."""
    krs = [
        {"name": f"kr{i}", "metric": "followers", "platform": platform, "target": target}
        | ({} if start is None else {"start": start})
        for i, (platform, start, target) in enumerate(rows)
    ]
    return Okr.model_validate(
        {"objective": "Grow the community", "start": "2026-07-01", "deadline": "2026-12-31", "key_results": krs}
    )


def test_an_okr_scores_its_key_results_at_the_months_end_from_their_start_or_the_month_before_its_own():
    # LINEAR: June 1600, October 2000. From 1600 (measured) to 2600: 0.4; from 1900 to 2100: 0.5
    result = goals.evaluate_okr(
        at(monthly_followers(LINEAR)), PARAMS, key_results(("instagram", None, 2600), ("instagram", 1900, 2100))
    )
    kr0, kr1 = result.key_results
    assert (kr0.start, kr0.current, kr0.target, kr0.score, kr0.grade) == (
        1600,
        2000,
        2600,
        pytest.approx(0.4),
        "0.4–0.6",
    )
    assert (kr1.name, kr1.metric, kr1.platform, kr1.start, kr1.score) == ("kr1", "followers", "instagram", 1900, 0.5)
    assert result.score == pytest.approx(0.45) and result.grade == "0.4–0.6" and result.success is False
    assert (result.objective, result.start, result.deadline) == (
        "Grow the community",
        date(2026, 7, 1),
        date(2026, 12, 31),
    )
    assert repr(result) == "<OkrScore 'Grow the community' · 2 key results · score 0.45>"
    assert kr1.as_json() == {
        "name": "kr1",
        "metric": "followers",
        "platform": "instagram",
        "start": 1900,
        "target": 2100,
        "current": 2000,
        "score": 0.5,
        "grade": "0.4–0.6",
    }
    long = goals.OkrScore("Become the coffee brand people talk about first", OCT_31, NOV_30, [], None, None, False)
    assert (
        repr(long) == "<OkrScore 'Become the coffee brand people talk abou' · 0 key results · score –>"
    )  # 40 characters


def test_a_key_result_without_data_is_left_out_of_the_objectives_mean_and_none_leave_it_unscored():
    con = monthly_followers(LINEAR)  # instagram only: tiktok has no followers
    result = goals.evaluate_okr(at(con), PARAMS, key_results(("tiktok", 10, 20), ("instagram", 1000, 2000)))
    assert [(kr.current, kr.score, kr.grade) for kr in result.key_results] == [(None, None, None), (2000, 1.0, "0.7–1")]
    assert (result.score, result.grade, result.success) == (1.0, "0.7–1", True)
    nothing = goals.evaluate_okr(at(con), PARAMS, key_results(("tiktok", 10, 20)))
    assert (nothing.score, nothing.grade, nothing.success) == (None, None, False)
    assert repr(nothing) == "<OkrScore 'Grow the community' · 1 key results · score –>"
    assert nothing.as_json()["key_results"][0] == {
        "name": "kr0",
        "metric": "followers",
        "platform": "tiktok",
        "start": 10,
        "target": 20,
        "current": None,
        "score": None,
        "grade": None,
    }


# --- a goal measured against the warehouse --------------------------------------------------


def test_the_monthly_history_ends_with_the_scopes_month_oldest_first():
    history = goals.monthly_values(at(monthly_followers(LINEAR)), PARAMS, "followers", "instagram", months=3)
    assert [(m.label, v) for m, v in history] == [("2026-08", 1800), ("2026-09", 1900), ("2026-10", 2000)]


def test_a_given_baseline_is_not_measured_and_the_target_may_be_a_change_from_it():
    report = goals.evaluate(at(monthly_followers(LINEAR)), PARAMS, goal(baseline=1500, target_change_pct=-20))
    assert (report.baseline, report.baseline_measured, report.target) == (1500, False, pytest.approx(1200))
    # from 1500 down to 1200 while October has 2000: moving away, progress (2000 − 1500) / (1200 − 1500)
    assert report.progress == pytest.approx(500 / -300) and report.status == "off track"
    assert goals.pace(report)["key"] == "pace.away"
    assert report.recommended_kpis == ["engagement_rate", "engagements", "conversation_rate", "amplification_rate"]


def followers(**platforms) -> object:
    """A warehouse of month-end followers: platform=dict(month=value)."""
    rows = [
        dict(platform=p, account="a", date=periods.for_report("monthly", m).end, followers=v)
        for p, by_month in platforms.items()
        for m, v in by_month.items()
    ]
    return store(account_daily=rows)


def test_a_goal_starting_mid_month_is_measured_from_the_whole_month_before_its_start():
    # July's own figure (1700) would count what was done after the start on 15 July
    con = followers(instagram={"2026-06": 1600, "2026-07": 1700, "2026-10": 2000})
    report = goals.evaluate(at(con), PARAMS, goal(start=date(2026, 7, 15), target=2600))
    assert (report.baseline, report.baseline_measured) == (1600, True)
    assert goals.month_before(date(2026, 1, 1)).label == "2025-12" == goals.month_before(date(2026, 1, 31)).label


def test_a_baseline_from_before_the_history_is_measured_in_the_month_before_the_start_on_the_goals_platform():
    # December 2023 is long before the 24 months of history (November 2024 on)
    con = followers(
        instagram={"2023-12": 400, "2026-06": 1600, "2026-10": 2000},
        facebook={"2023-12": 700, "2026-06": 500, "2026-10": 1000},
    )
    report = goals.evaluate(at(con), PARAMS, goal(start=date(2024, 1, 1), target=2400))
    assert (report.baseline, report.baseline_measured, report.current) == (400, True, 2000)
    assert report.progress == pytest.approx((2000 - 400) / (2400 - 400))
    # a key result, likewise, starts from its own platform's June (the OKR starts in July)
    (kr,) = goals.evaluate_okr(at(con), PARAMS, key_results(("instagram", None, 2400))).key_results
    assert (kr.start, kr.current, kr.score) == (1600, 2000, 0.5)
    # a goal's platform is "all" unless it names one: both platforms together
    assert (goals.value(at(con), PARAMS, "followers"), goals.value(at(con), PARAMS, "followers", "facebook")) == (
        3000,
        1000,
    )


def test_without_a_baseline_a_change_in_percent_has_no_target_and_the_goal_no_data():
    report = goals.evaluate(at(monthly_followers(LINEAR)), PARAMS, goal(start=date(2024, 1, 1), target_change_pct=10))
    assert (report.baseline, report.baseline_measured, report.target, report.progress) == (None, False, None, None)
    assert (report.current, report.status) == (2000, "no data")
    # the history keeps the months with a value only: January to October 2026 of the 24
    assert report.history == [(f"2026-{m:02d}", 1000 + 100 * m) for m in range(1, 11)]


def test_a_goal_to_hold_its_baseline_is_no_reduction_and_counts_the_months_that_did_not_shrink():
    # LINEAR grew every month: holding 2000 needs no growth (0), and all nine growths managed that
    report = goals.evaluate(at(monthly_followers(LINEAR)), PARAMS, goal(baseline=2000, target=2000))
    assert (report.status, report.needed_monthly_growth, report.achievability) == ("achieved", 0.0, "realistic")
    assert (report.growth_percentile, report.months_managed, report.months_seen) == (0.0, 9, 9)


def test_a_goal_reports_its_forecast_and_interval_from_an_uneven_history():
    """1000, 1200, 1100, 1300 from July to October: the line 1030 + 80 x from July (x = 0), with
    residuals −30, 90, −90, 30 (s² = 18000 / 2); December is x = 5: 1430."""
    con = monthly_followers({"2026-07": 1000, "2026-08": 1200, "2026-09": 1100, "2026-10": 1300})
    report = goals.evaluate(at(con), PARAMS, goal(baseline=1000, target=1400))
    half = 1.96 * math.sqrt(9000) * math.sqrt(1 + 1 / 4 + (5 - 1.5) ** 2 / 5)
    assert (report.forecast, report.forecast_low, report.forecast_high) == (
        pytest.approx(1430),
        pytest.approx(1430 - half),
        pytest.approx(1430 + half),
    )
    assert report.status == "on track" and report.progress == pytest.approx(300 / 400)
    # growths 0.2, −1/12 and 2/11; 1300 → 1400 in two months needs (14/13) ** 0.5 − 1 ≈ 3.8 % a month
    assert report.needed_monthly_growth == pytest.approx((1400 / 1300) ** 0.5 - 1)
    assert (report.growth_percentile, report.months_managed, report.months_seen) == (pytest.approx(1 / 3), 2, 3)
    assert report.smart["M"] == {"ok": True, "key": "smart.measured", "values": {}, "reason": "measured from the data"}
    assert (report.smart["A"]["ok"], report.smart["A"]["key"]) == (True, "smart.achievable")
    assert report.smart["A"]["values"]["verdict"] == "realistic"


def test_a_goal_knows_how_often_the_account_grew_as_fast_as_it_needs():
    """LINEAR grows by 100 a month, 1100 → 2000: the growths 100/1100 … 100/1900, between 9.1 %
    and 5.3 %. 2000 → 2200 by December needs 1.1 ** (1/2) − 1 ≈ 4.9 % a month: all nine
    months did it; 2000 → 2420 needs 10 %: none did."""
    con = monthly_followers(LINEAR)
    easy = goals.evaluate(at(con), PARAMS, goal(target=2200))
    assert easy.needed_monthly_growth == pytest.approx(1.1**0.5 - 1)
    assert (easy.months_managed, easy.months_seen, easy.growth_percentile) == (9, 9, 0.0)
    assert easy.achievability == "realistic" and easy.smart["A"]["ok"] is True
    hard = goals.evaluate(at(con), PARAMS, goal(target=2420))
    assert (hard.months_managed, hard.months_seen, hard.growth_percentile, hard.achievability) == (
        0,
        9,
        1.0,
        "unrealistic",
    )
    assert hard.smart["A"]["values"] == {
        "verdict": "unrealistic",
        "change_month": pytest.approx(0.1),
        "hits": 0,
        "months": 9,
    }


def test_a_reduction_goal_is_judged_on_the_declines_it_needs():
    """3000 − 100 m: 2900 in January down to 2000 in October; 2000 → 1800 by December needs a
    decline of 1 − 0.9 ** (1/2) ≈ 5.1 % a month; the account's declines were 100/2900 … 100/2100
    (3.4 % to 4.8 %): none deep enough."""
    con = monthly_followers({f"2026-{m:02d}": 3000 - 100 * m for m in range(1, 11)})
    report = goals.evaluate(at(con), PARAMS, goal(target=1800))
    assert report.baseline == 2400 and report.needed_monthly_growth == pytest.approx(0.9**0.5 - 1)
    assert (report.months_managed, report.months_seen, report.achievability) == (0, 9, "unrealistic")
    assert report.growth_percentile == 1.0  # every past decline is shallower than the one needed


def web(day, revenue) -> dict:
    return dict(date=day, source="instagram", medium="social", campaign="-", sessions=10, revenue=revenue)


# Revenue from social: 30 in December 2023, August and September 2026, 60 (1 September) and 2240
# (October). Costs: 20 of other costs a month; in October also 100 of ads and the plan's
# activities (test_analysis.ACTIVITIES): 17 hours at 50 (850) and 150 of costs, 1120 in all.
# ROI: (30 − 20) / 20 = 0.5 in December 2023 and August, 2 in September, (2240 − 1120) / 1120 = 1 in October.
ROI_STORE = dict(
    ads_daily=[dict(platform="meta", date=date(2026, 10, 1), campaign="a", spend=100.0, impressions=1, clicks=1)],
    web_daily=[
        web(date(2023, 12, 5), 30.0),
        web(date(2026, 8, 5), 30.0),
        web(date(2026, 9, 1), 60.0),
        web(date(2026, 10, 2), 2240.0),
    ],
)


def test_roi_is_measured_only_with_the_activity_plan_for_its_value_its_history_and_its_baseline():
    con = store(**ROI_STORE)
    assert goals.value(at(con), PARAMS, "roi") is None
    assert goals.value(at(con), PARAMS, "roi", activities=ACTIVITIES) == pytest.approx(1.0)
    roi = goal(metric="roi", platform="all", type="conversions_sales", start=date(2024, 1, 1), target=2.0)
    report = goals.evaluate(at(con), PARAMS, roi, activities=ACTIVITIES)
    assert (report.baseline, report.baseline_measured, report.current) == (pytest.approx(0.5), True, pytest.approx(1.0))
    assert report.progress == pytest.approx((1.0 - 0.5) / (2.0 - 0.5))
    assert report.history == [("2026-08", 0.5), ("2026-09", 2.0), ("2026-10", pytest.approx(1.0))]


def test_an_okr_on_roi_scores_the_scopes_month_from_the_month_before_its_start():
    okr = Okr.model_validate(
        {
            "objective": "Pay back",
            "start": "2026-09-01",
            "deadline": "2026-12-31",
            "key_results": [{"name": "roi", "metric": "roi", "target": 3.0}],
        }
    )
    september = at(store(**ROI_STORE), periods.for_report("monthly", "2026-09"))
    (kr,) = goals.evaluate_okr(september, PARAMS, okr, activities=ACTIVITIES).key_results
    # from August's 0.5 towards 3: September's 2 is 1.5 of the 2.5
    assert (kr.start, kr.current, kr.score) == (0.5, 2.0, pytest.approx(0.6))


def test_a_goal_on_mentions_reads_the_brand_from_the_params():
    """Acme's mentions: 2 in December 2023, the baseline; 5 in October 2026 (and one of Rival)."""
    days = [date(2023, 12, 5)] * 2 + [date(2026, 10, 5)] * 6
    brands = ["Acme"] * 7 + ["Rival"]
    mentions = [
        dict(platform="x", mention_id=str(i), date=d, brand=b, sentiment="neutral")
        for i, (d, b) in enumerate(zip(days, brands))
    ]
    talk = goal(metric="mentions", platform="all", type="customer_market_insights", start=date(2024, 1, 1), target=10)
    report = goals.evaluate(at(store(mentions=mentions)), PARAMS, talk)
    assert (report.baseline, report.current, report.progress) == (2, 5, pytest.approx(3 / 8))
