"""What every analysis question is asked over: one client's warehouse, a period, and the
client's time zone (a day is the client's day; the warehouse keeps UTC)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import duckdb

from rapport import periods
from rapport.errors import UserError
from rapport.periods import Period


@dataclass(frozen=True)
class Scope:
    """A read-only connection to the client's warehouse, the period asked about and the
    client's time zone. `r.scope` in a notebook; `scope.previous()` and
    `scope.year_before()` ask the same question of the comparison periods.

    >>> r.scope
    Scope(2026-10-01 – 2026-10-31, Europe/Stockholm)
    """

    con: duckdb.DuckDBPyConnection
    period: Period
    timezone: str = "UTC"

    def over(self, period: Period | date | str) -> Scope:
        """The same warehouse and time zone, another period: a Period, or a month as
        "2026-09", a day or a date (its month).

        >>> r.scope.over("2026-09").period
        Period(2026-09-01 – 2026-09-30)
        """
        return replace(self, period=periods.of(period))

    def between(self, start: date | str, end: date | str) -> Scope:
        """The same warehouse and time zone, the days from `start` to `end` (inclusive).

        >>> r.scope.between("2026-10-01", "2026-10-14").period.days
        14
        """
        first, last = periods.day(start), periods.day(end)
        if first > last:
            raise UserError(f"{first} – {last}: the start is after the end")
        return replace(self, period=periods.window(first, last))

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
