"""Edges where small bugs hide (issue 16): a post at 23:59:59 and at 00:00:00 local time, days
that are 23 or 25 hours long (DST), month and year ends, a goal exactly on schedule and on its
deadline day, and zero or missing denominators. Every expected value here is worked out from
the calendar, not from rapport."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from rapport import periods
from rapport.analysis import findings, goals, metrics
from rapport.analysis.scope import Scope
from rapport.jsonable import values

from test_analysis import post, store

UTC = ZoneInfo("UTC")
# zones and their DST changes in 2026: (zone, the day clocks go forward, the day they go back)
CHANGES = [
    ("Europe/Stockholm", date(2026, 3, 29), date(2026, 10, 25)),
    ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
    ("Australia/Sydney", date(2026, 10, 4), date(2026, 4, 5)),
]


def at_local(day: date, clock: time, zone: str) -> datetime:
    """A local wall-clock moment as the warehouse stores it: naive UTC."""
    return datetime.combine(day, clock, ZoneInfo(zone)).astimezone(UTC).replace(tzinfo=None)


def edge_posts(days, zone):
    """Two posts on each day: at 00:00:00 and at 23:59:59 local time, 100 and 10 impressions."""
    rows = []
    for n, day in enumerate(days):
        for k, (clock, seen) in enumerate([(time(0, 0, 0), 100), (time(23, 59, 59), 10)]):
            row = post(2 * n + k, day, seen, 1)
            rows.append(dict(row, published_at=at_local(day, clock, zone)))
    return rows


@pytest.mark.parametrize("zone, forward, back", CHANGES)
def test_days_of_23_and_25_hours_keep_their_first_and_last_second(zone, forward, back):
    days = [d + timedelta(days=k) for d in (forward, back) for k in (-1, 0, 1)]
    con = store(posts=edge_posts(days, zone))
    for change in (forward, back):
        scope = Scope(con, periods.window(change - timedelta(days=1), change + timedelta(days=1)), zone)
        daily = metrics.series(scope, "day")
        assert [pd.Timestamp(b).date() for b in daily["bucket"]] == [
            change - timedelta(days=1),
            change,
            change + timedelta(days=1),
        ]
        assert list(daily["posts"]) == [2, 2, 2] and list(daily["impressions"]) == [110, 110, 110]
        assert values(metrics.kpis(scope)).at["all", "posts"] == 6


@pytest.mark.parametrize("zone", [zone for zone, *_ in CHANGES])
def test_month_and_year_ends_split_at_local_midnight(zone):
    """23:59:59 on 31 December is December's; 00:00:00 on 1 January is January's, and
    January's previous period is the December before."""
    con = store(posts=edge_posts([date(2025, 12, 31), date(2026, 1, 1)], zone))
    january = periods.for_report("monthly", "2026-01")
    assert january.previous() == periods.for_report("monthly", "2025-12")
    assert january.year_before() == periods.for_report("monthly", "2025-01")
    now, before = (values(metrics.kpis(Scope(con, p, zone))) for p in (january, january.previous()))
    # January holds the 1st's two posts; December only the 31st's two (its first second and last)
    assert (now.at["all", "posts"], now.at["all", "impressions"]) == (2, 110)
    assert (before.at["all", "posts"], before.at["all", "impressions"]) == (2, 110)
    october = periods.for_report("monthly", "2026-10")
    edges = store(posts=edge_posts([date(2026, 10, 31), date(2026, 11, 1)], zone))
    assert values(metrics.kpis(Scope(edges, october, zone))).at["all", "impressions"] == 110


def status(current, *, progress, expected, today, deadline=date(2026, 12, 31), baseline=0.0, target=10.0):
    return goals._status(
        current,
        baseline,
        target,
        progress=progress,
        expected=expected,
        forecast=(None, None, None),
        today=today,
        deadline=deadline,
    )


def test_a_goal_exactly_on_schedule_is_on_track_and_on_its_deadline_day_it_is_decided():
    june = date(2026, 6, 1)
    assert status(5.0, progress=0.5, expected=0.5, today=june) == "on track"  # equal is enough
    assert status(4.99, progress=0.499, expected=0.5, today=june) == "off track"  # no forecast to save it
    deadline = date(2026, 12, 31)
    assert status(9.99, progress=0.999, expected=1.0, today=deadline) == "off track"
    assert status(10.0, progress=1.0, expected=1.0, today=deadline) == "achieved"
    # a reduction goal (cost per click from 10 down to 6): reaching 6 on the day achieves it
    assert status(6.0, progress=1.0, expected=1.0, today=deadline, baseline=10.0, target=6.0) == "achieved"
    assert status(6.01, progress=0.9975, expected=1.0, today=deadline, baseline=10.0, target=6.0) == "off track"
    assert goals._elapsed(date(2026, 1, 1), deadline, deadline) == 1.0
    assert goals._elapsed(date(2026, 1, 1), deadline, date(2025, 12, 1)) == 0.0  # before the start


def test_zero_and_missing_denominators_are_undefined_never_zero_or_an_error():
    assert metrics.ratio(5, 0) is None and metrics.ratio(0, 0) is None and metrics.ratio(None, 3) is None
    assert metrics.change(5, 0, "count") is None and metrics.change(5, None, "count") is None
    assert metrics.change(None, 5, "rate") is None and metrics.change(0.05, 0.0, "rate") == pytest.approx(5.0)
    unseen = [dict(post(1, date(2026, 10, 5), 0, 3), clicks=2), post(2, date(2026, 10, 6), 0, 0)]
    kpis = values(metrics.kpis(Scope(store(posts=unseen), periods.for_report("monthly", "2026-10"), "UTC")))
    assert kpis.at["all", "impressions"] == 0 and kpis.at["all", "engagements"] == 3
    for rate in ("engagement_rate", "ctr", "virality_rate", "applause_rate"):
        assert kpis.at["all", rate] is None, rate  # 0 impressions, no followers: undefined
    empty = Scope(store(), periods.for_report("monthly", "2026-10"), "UTC")
    assert values(metrics.kpis(empty)).at["all", "posts"] == 0
    previous = values(metrics.kpis(empty))
    assert findings.kpi_drops(kpis, previous, 20) == []  # nothing before: no drop
    assert findings.kpi_drops(previous, kpis, 20) == []  # a fall to undefined rates fires nothing
