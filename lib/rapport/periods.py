"""Reporting periods: a month (monthly, audit, goals, exceptions) or a 14-day window (activity)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .errors import UserError

ACTIVITY_DAYS = 14
AUDIT_MONTHS = 3  # the audit's baseline covers the quarter ending with its month


@dataclass(frozen=True)
class Period:
    start: date  # first day, inclusive
    end: date  # last day, inclusive
    label: str  # the outputs folder: YYYY-MM for a month, the last day for a window

    def __repr__(self) -> str:
        return f"Period({self.start} – {self.end})"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and (self.end + timedelta(days=1)).day == 1 and self.start.month == self.end.month

    def previous(self) -> Period:
        """The period of equal length just before (the previous calendar month for a month)."""
        if self.is_month:
            return month_of(self.start - timedelta(days=1))
        end = self.start - timedelta(days=1)
        return window(end - timedelta(days=self.days - 1), end)

    def year_before(self) -> Period:
        if self.is_month:
            return month_of(date(self.start.year - 1, self.start.month, 1))
        return window(_minus_year(self.start), _minus_year(self.end))


def window(start: date, end: date) -> Period:
    return Period(start, end, end.isoformat())


def month_of(day: date) -> Period:
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return Period(start, following - timedelta(days=1), start.strftime("%Y-%m"))


def months_ending(period: Period, count: int) -> Period:
    """The `count` whole months ending with `period`'s month (the audit window)."""
    start = period.start.replace(day=1)
    for _ in range(count - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return Period(start, period.end, period.label)


def last_complete_month(timezone: str = "UTC", today: date | None = None) -> Period:
    today = today or datetime.now(ZoneInfo(timezone)).date()
    return month_of(today.replace(day=1) - timedelta(days=1))


def for_report(
    report: str, period: str | date | Period | None = "", timezone: str = "UTC", today: date | None = None
) -> Period:
    """The period `report` covers, the one way the CLI, pdf and the notebooks decide it.

    `period` as the user gives it: '' (the last complete month in `timezone`), 'YYYY-MM', a
    day 'YYYY-MM-DD' or a date (the activity report's last day; for the other reports the
    day's month), or a Period (taken as it is). The activity report covers 14 days (a month
    means its last 14), the audit the three months ending with the month, the others a month.

    >>> for_report("audit", "2026-10")
    Period(2026-08-01 – 2026-10-31)
    """
    if isinstance(period, Period):
        return period
    if isinstance(period, date):
        period = period.isoformat() if report == "activity" else period.strftime("%Y-%m")
    resolved = _parse(period, report, timezone, today)
    return months_ending(resolved, AUDIT_MONTHS) if report == "audit" else resolved


def of(value: Period | date | str, report: str = "monthly") -> Period:
    """The period `report` covers, from what an analyst types at the prompt: a Period, a
    date, 'YYYY-MM' or 'YYYY-MM-DD'. Unlike PERIOD on the command line, a day is welcome for
    every report: it means its month (for the activity report, the 14 days ending with it).

    >>> of("2026-10-31")
    Period(2026-10-01 – 2026-10-31)
    >>> of("2026-10-31", "activity")
    Period(2026-10-18 – 2026-10-31)
    """
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        value = day(value)
    return for_report(report, value)


def day(value: date | str) -> date:
    """A day as a date or written YYYY-MM-DD; anything else is refused in one line."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UserError(f"{value!r}: not a day (write YYYY-MM-DD, e.g. 2026-10-31)") from None


def _parse(text: str | None, report: str, timezone: str, today: date | None) -> Period:
    """PERIOD as the user gives it: '' (last complete month), 'YYYY-MM' or, for activity, 'YYYY-MM-DD'."""
    text = (text or "").strip()
    if not text:
        period = last_complete_month(timezone, today)
    elif re.fullmatch(r"\d{4}-\d{2}", text):
        try:
            period = month_of(date.fromisoformat(text + "-01"))
        except ValueError:
            raise UserError(f"PERIOD={text}: not a month (write YYYY-MM, e.g. 2026-10)") from None
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise UserError(f"PERIOD={text}: not a date (write YYYY-MM-DD)") from None
        if report != "activity":
            raise UserError(
                f"PERIOD={text} is a day: only the activity report takes a day "
                "(REPORT=activity); the other reports take a month (YYYY-MM)"
            )
        return window(day - timedelta(days=ACTIVITY_DAYS - 1), day)
    else:
        raise UserError(f"PERIOD={text}: write a month as YYYY-MM (or a day, YYYY-MM-DD, for the activity report)")
    if report == "activity":
        return window(period.end - timedelta(days=ACTIVITY_DAYS - 1), period.end)
    return period


def _minus_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
