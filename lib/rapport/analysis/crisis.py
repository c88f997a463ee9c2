"""Signs of a reputation crisis (docs/crisis.md): the three signals that open the crisis
plan, with their thresholds from the params (`crisis.signals`, defaults without one).

- negative_mentions: a day whose negative mentions of the brand lie more than `z` robust
  z-scores above the median of the 28 days before, and at least `min_excess` above it
  (by default the exception report's own rule: `thresholds.anomaly_z`, 5 mentions);
- comment_surge: the same for the comments on the client's posts, a day's comments being
  the (lifetime) comments of the posts published that day in the client's time zone;
- sentiment_drop: the brand's net sentiment (the metric's: (positive − negative) / (positive +
  negative), metrics.voice) down by more than `points` percentage points against the previous
  period of equal length.

Exactly at a threshold does not fire; a day needs 7 days of history before it can.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rapport.config import Signals
from rapport.periods import Period

from .findings import ANOMALY_WINDOW, anomalies
from .metrics import daily_comments, daily_mentions, voice
from .scope import Scope

KINDS = ("negative_mentions", "comment_surge", "sentiment_drop")


@dataclass(frozen=True)
class Signal:
    """One fired signal: a day (negative_mentions, comment_surge) or a period (sentiment_drop)
    whose measured figure left what was expected by more than the threshold."""

    kind: str  # one of KINDS
    start: date  # the day; for sentiment_drop the period's first day
    end: date  # the same day; for sentiment_drop the period's last day
    measured: float  # the day's count; the period's net sentiment (a share, 0.25 = 25 %)
    expected: float  # median of the 28 days before; the previous period's net sentiment
    threshold: float  # robust z-score; percentage points

    @property
    def daily(self) -> bool:
        return self.kind != "sentiment_drop"

    def as_json(self) -> dict:
        return dict(
            kind=self.kind,
            day=self.start.isoformat() if self.daily else None,
            period=None if self.daily else dict(start=self.start.isoformat(), end=self.end.isoformat()),
            measured=self.measured,
            expected=self.expected,
            threshold=self.threshold,
        )


def signals(scope: Scope, params) -> list[Signal]:
    """Every signal that fired in the scope's period, the days first (in order), then the
    period's sentiment drop, with the thresholds of `params.crisis.signals` (their defaults
    when the params have no crisis plan): `crisis.signals(r.scope, r.params)` in a notebook."""
    limits = params.crisis.signals if params.crisis else Signals()
    z = limits.negative_mentions.z if limits.negative_mentions.z is not None else params.thresholds.anomaly_z
    period = scope.period
    history = scope.between(period.start - timedelta(days=ANOMALY_WINDOW), period.end)
    found = (
        bursts(
            daily_mentions(history, params.name, "negative"), "mentions", period, z, limits.negative_mentions.min_excess
        )
        + bursts(daily_comments(history), "comments", period, limits.comments.z, limits.comments.min_excess)
        + sentiment_drop(scope, params.name, limits.sentiment.points)
    )
    return sorted(found, key=lambda s: (not s.daily, s.start, KINDS.index(s.kind)))


def bursts(daily, column: str, period: Period, z: float, min_excess: float) -> list[Signal]:
    """Days of `period` whose `column` (negative mentions, comments) lies more than
    `z` robust z-scores above the median of the 28 days before and at least `min_excess`
    above it (findings.anomalies); drops are no crisis."""
    kind = "negative_mentions" if column == "mentions" else "comment_surge"
    found = anomalies(
        daily, column, period.start, period.end, threshold=z, message_key="crisis." + kind, min_delta=min_excess
    )
    return [
        Signal(kind, date.fromisoformat(f.subject), date.fromisoformat(f.subject), f.measured, f.expected, z)
        for f in found
        if isinstance(f.measured, float) and isinstance(f.expected, float) and f.measured > f.expected
    ]


def net_sentiment(scope: Scope, brand: str) -> float | None:
    """The brand's net sentiment over the scope's period, as docs/metrics.md defines it
    (metrics.voice); undefined (None) without positive or negative mentions."""
    return voice(scope, brand, []).net_sentiment


def sentiment_drop(scope: Scope, brand: str, points: float) -> list[Signal]:
    """The brand's net sentiment down by more than `points` percentage points against the
    previous period of equal length; nothing when either period has no mention."""
    now, before = net_sentiment(scope, brand), net_sentiment(scope.previous(), brand)
    if now is None or before is None or round((before - now) * 100, 9) <= points:
        return []
    return [Signal("sentiment_drop", scope.period.start, scope.period.end, now, before, points)]
