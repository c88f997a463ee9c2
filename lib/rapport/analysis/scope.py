"""What every analysis question is asked over: one client's warehouse, a period, and the
client's time zone (a day is the client's day; the warehouse keeps UTC)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import duckdb

from rapport.periods import Period


@dataclass(frozen=True)
class Scope:
    """A read-only connection to the client's warehouse, the period asked about and the
    client's time zone. `r.scope` in a notebook; `scope.previous()` and
    `scope.year_before()` ask the same question of the comparison periods.

    >>> scope.over(periods.for_report("monthly", "2026-09"))  # doctest: +SKIP
    """

    con: duckdb.DuckDBPyConnection
    period: Period
    timezone: str = "UTC"

    def over(self, period: Period) -> Scope:
        """The same warehouse and time zone, another period."""
        return replace(self, period=period)

    def between(self, start: date, end: date) -> Scope:
        """The same warehouse and time zone, the days from `start` to `end` (inclusive)."""
        return self.over(Period(start, end, end.isoformat()))

    def previous(self) -> Scope:
        return self.over(self.period.previous())

    def year_before(self) -> Scope:
        return self.over(self.period.year_before())

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) of the period's days in the client's time zone, as naive UTC."""
        zone, utc = ZoneInfo(self.timezone), ZoneInfo("UTC")
        start = datetime.combine(self.period.start, time(0), zone).astimezone(utc)
        end = datetime.combine(self.period.end + timedelta(days=1), time(0), zone).astimezone(utc)
        return start.replace(tzinfo=None), end.replace(tzinfo=None)

    def __repr__(self) -> str:
        return f"Scope({self.period.start} – {self.period.end}, {self.timezone})"
