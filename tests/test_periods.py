from datetime import date

import pytest

from rapport import periods
from rapport.errors import UserError


def test_month_and_its_neighbours():
    october = periods.for_report("monthly", "2026-10")
    assert (october.start, october.end, october.label, october.days) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        "2026-10",
        31,
    )
    assert october.previous().label == "2026-09" and october.previous().days == 30
    assert october.year_before().label == "2025-10"
    assert periods.for_report("monthly", "2026-03").previous().label == "2026-02"
    assert periods.for_report("monthly", "2026-01").previous().label == "2025-12"


def test_default_is_last_complete_month():
    assert periods.for_report("monthly", "", today=date(2026, 11, 23)).label == "2026-10"
    assert periods.for_report("monthly", "", today=date(2026, 1, 1)).label == "2025-12"


def test_activity_window_is_14_days_ending_on_the_day():
    window = periods.for_report("activity", "2026-10-18")
    assert (window.start, window.end, window.label, window.days) == (
        date(2026, 10, 5),
        date(2026, 10, 18),
        "2026-10-18",
        14,
    )
    assert window.previous().end == date(2026, 10, 4) and window.previous().days == 14
    month = periods.for_report("activity", "2026-10")
    assert (month.start, month.end, month.label) == (date(2026, 10, 18), date(2026, 10, 31), "2026-10-31")


def test_audit_window_covers_whole_months():
    window = periods.for_report("audit", "2026-10")
    assert (window.start, window.end, window.label) == (date(2026, 8, 1), date(2026, 10, 31), "2026-10")
    assert window.previous().end == date(2026, 7, 31) and window.previous().days == window.days


def test_a_period_given_as_a_date_or_a_period():
    assert periods.for_report("monthly", date(2026, 10, 17)) == periods.for_report("monthly", "2026-10")
    assert periods.for_report("activity", date(2026, 10, 18)) == periods.for_report("activity", "2026-10-18")
    assert periods.for_report("audit", date(2026, 10, 1)).start == date(2026, 8, 1)
    window = periods.window(date(2026, 1, 1), date(2026, 1, 9))
    assert periods.for_report("monthly", window) is window


@pytest.mark.parametrize(
    "text, report, message",
    [
        ("2026-13", "monthly", "not a month"),
        ("2026-02-30", "activity", "not a date"),
        ("2026-10-18", "monthly", "only the activity report takes a day"),
        ("October", "monthly", "write a month as YYYY-MM"),
    ],
)
def test_bad_periods(text, report, message):
    with pytest.raises(UserError, match=message):
        periods.for_report(report, text)
