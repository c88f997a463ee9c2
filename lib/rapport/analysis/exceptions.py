"""Exceptions a manager acts on: the findings (rapport.analysis.findings) grouped by subject
(a channel, a goal, an activity, a budget line, a problem, the brand's mentions), one
sentence each naming what left tolerance and by how much, with the likely reason the data
shows (fewer posts, a format or campaign that stopped, posting times moved, a late activity
on that channel), most severe first. docs/architecture.md, "Exceptions", says how each is found.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from rapport.i18n import phrase
from rapport.jsonable import values

from .findings import SEVERITY_ORDER, Finding
from .goals import pace
from .metrics import ad_campaigns, posts_in
from .scope import Scope

MONTHLY = 7  # the monthly report shows the seven most severe; the exception report all
MOVED_HOURS = 3  # the usual posting hour moved by this much or more
AD_PLATFORMS = {"facebook": "meta", "instagram": "meta"}  # whose ads a channel's figures include


@dataclass(frozen=True)
class Subject:
    """One subject's findings, explained: what left tolerance (`sentence`), the likely reason
    (`reason`, a sentence or None) and how far beyond its threshold (`size`, for the order)."""

    kind: str  # channel, goal, activity, budget, problem, mentions
    name: str  # the platform, goal id, activity, budget line or problem; for mentions its kind
    severity: str
    size: float
    sentence: dict
    reason: dict | None
    findings: list[Finding]

    def as_json(self) -> dict:
        return asdict(self)


def explain(scope: Scope, params, month) -> list[Subject]:
    """The month's findings (month.findings) by subject, most severe first."""
    t = params.thresholds
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in month.findings:
        groups.setdefault(_subject_of(f), []).append(f)
    mix = _Mix(scope)
    subjects = []
    for (kind, name), found in groups.items():
        sentence, size = _SAY[kind](name, found, month, t)
        reason = _channel_reason(name, mix, month, t) if kind == "channel" else _reason(kind, name, found, month)
        severity = min((f.severity for f in found), key=SEVERITY_ORDER.__getitem__)
        subjects.append(Subject(kind, name, severity, round(size, 6), sentence, reason, found))
    return sorted(subjects, key=lambda s: (SEVERITY_ORDER[s.severity], -s.size, s.kind, s.name))


def _subject_of(f: Finding) -> tuple[str, str]:
    if f.kind == "kpi_drop":
        return "channel", f.subject
    if f.kind.startswith("goal_"):
        return "goal", f.subject
    if f.kind == "activity_late":
        return "activity", f.subject
    if f.kind == "over_budget":
        return "budget", f.subject.removesuffix("_budget")
    if f.kind == "open_problem":
        return "problem", f.subject
    # the brand's mentions: its bursts one subject, its unusually quiet days another
    return "mentions", f.message_key.removeprefix("exception.")


# --- what left tolerance -------------------------------------------------------------


def _channel(name, found, month, t):
    """The channel's figures down against the previous period: the largest drop named."""
    drops = sorted(found, key=lambda f: -_drop(f))
    worst = drops[0]
    change = -_drop(worst)
    more = len(drops) - 1
    key = "explain.channel" if more else "explain.channel_single"
    return phrase(key, platform=name, metric=worst.metric, change_pct=change, more=more), _drop(
        worst
    ) * 100 / t.kpi_drop_pct


def _drop(f: Finding) -> float:
    before, now = float(f.expected or 0), float(f.measured or 0)
    return (before - now) / abs(before) if before else 0.0


def _goal(name, found, month, t):
    goal = next(g for g in month.goals if g.id == name)
    key = "explain.goal_" + goal.status.replace(" ", "_")
    sentence = phrase(key, goal=goal.id, name=goal.name, metric=goal.metric, current=goal.current, target=goal.target)
    return sentence, 2.0 if goal.status == "off track" else 1.0


def _activity(name, found, month, t):
    days = max(int(f.measured or 0) for f in found)
    return phrase("explain.activity", activity=name, days=days, due=found[0].expected), days / (t.late_days or 1)


def _budget(name, found, month, t):
    """Hours or money over the plan and, worse, over the budget: the larger overrun named."""
    worst = max(found, key=lambda f: float(f.measured or 0) / float(f.expected or 1))
    over = float(worst.measured or 0) / float(worst.expected or 1) - 1
    against = "budget" if worst.subject.endswith("_budget") else "plan"
    figures = (
        dict(actual=worst.measured, planned=worst.expected)
        if name == "hours"
        else dict(money=worst.measured, money_planned=worst.expected)
    )
    key = f"explain.{name}_over_{against}"
    # a threshold of 0 (every overrun counts, as the params allow) sizes by one per cent
    return phrase(key, change_pct=over, **figures), over * 100 / (t.over_budget_pct or 1)


def _problem(name, found, month, t):
    return phrase("explain.problem", problem=name), 2.0


def _mentions(name, found, month, t):
    """The period's bursts of negative mentions (or its unusually quiet days): the one furthest
    from usual named, with its day and how many days in all."""
    worst = max(found, key=lambda f: abs(float(f.measured or 0) - float(f.expected or 0)))
    key = "explain.mentions" if worst.message_key == "exception.negative_mentions" else "explain.unusual_day"
    return phrase(key, day=worst.subject, value=worst.measured, usual=worst.expected, count=len(found)), 3.0


_SAY = {
    "channel": _channel,
    "goal": _goal,
    "activity": _activity,
    "budget": _budget,
    "problem": _problem,
    "mentions": _mentions,
}


# --- the likely reason --------------------------------------------------------------


class _Mix:
    """The posts of the period and the period before, per channel: how many, which formats
    and campaigns, at what hour (in the client's time zone; date-only posts have no hour)."""

    def __init__(self, scope: Scope):
        self.now, self.before = posts_in(scope), posts_in(scope.previous())
        self.ads_now, self.ads_before = ad_campaigns(scope), ad_campaigns(scope.previous())

    def paused(self, platform: str) -> str | None:
        """An ad campaign of the channel's ad platform that spent the period before and not now."""
        ads = AD_PLATFORMS.get(platform)
        before = self.ads_before[self.ads_before["platform"] == ads]
        running = set(self.ads_now.loc[self.ads_now["platform"] == ads, "campaign"])
        gone = [c for c in before["campaign"] if c not in running]
        return gone[0] if gone else None

    @staticmethod
    def of(frame: pd.DataFrame, platform: str) -> pd.DataFrame:
        return frame[frame["platform"] == platform]

    @staticmethod
    def hour(frame: pd.DataFrame) -> float | None:
        times = pd.to_datetime(frame["published"])
        timed = times[(times.dt.hour != 0) | (times.dt.minute != 0)]
        return None if len(timed) < 3 else float(timed.dt.hour.median())


def _channel_reason(platform: str, mix: _Mix, month, t) -> dict | None:
    """The first reason the data shows, in this order: fewer posts, a format that stopped, a
    campaign tag that stopped, an ad campaign paused, posting hours moved, a late activity on
    the channel."""
    now, before = _Mix.of(mix.now, platform), _Mix.of(mix.before, platform)
    if len(now) < len(before) * (1 - t.kpi_drop_pct / 100):
        return phrase("reason.fewer_posts", posts=len(now), before=len(before))
    for column, key in (("format", "reason.format_stopped"), ("campaign", "reason.campaign_stopped")):
        counts = before[column].dropna().value_counts()
        gone = [value for value, n in counts.items() if n >= 2 and value not in set(now[column].dropna())]
        if gone:
            return phrase(key, **{column: gone[0]}, before=int(counts[gone[0]]))
    paused = mix.paused(platform)
    if paused is not None:
        return phrase("reason.campaign_paused", campaign=paused)
    hour_now, hour_before = _Mix.hour(now), _Mix.hour(before)
    if hour_now is not None and hour_before is not None and abs(hour_now - hour_before) >= MOVED_HOURS:
        return phrase("reason.times_moved", hour=int(hour_now), before=int(hour_before))
    return _late_on(platform, month)


def _late_on(platform: str, month) -> dict | None:
    late = [f for f in month.findings if f.kind == "activity_late"]
    for f in late:
        channel = _planned(month.activities, f.subject)["channel"]
        if len(channel) and channel.iloc[0] == platform:
            return phrase("reason.late_activity", activity=f.subject, days=int(f.measured))
    return None


def _planned(plan: pd.DataFrame, subject: str) -> pd.DataFrame:
    """The plan's row of a late activity's finding, whose subject is "<id> <activity>" (an id
    may hold a space: it is not cut at the first one)."""
    return plan[plan["id"].astype(str) + " " + plan["activity"].astype(str) == subject]


def _reason(kind: str, name: str, found: list[Finding], month) -> dict | None:
    """Goals: their pace in words; activities: the owner; budget lines: the ad spend's part."""
    if kind == "goal":
        return pace(next(g for g in month.goals if g.id == name))
    if kind == "activity":
        owner = _planned(month.activities, name)["owner"]
        return phrase("reason.owner", owner=owner.iloc[0]) if len(owner) and isinstance(owner.iloc[0], str) else None
    if kind == "budget" and name == "money" and month.resources.ad_spend:
        spent = month.resources.money_spent
        return phrase("reason.ad_spend", money=month.resources.ad_spend, share=month.resources.ad_spend / spent)
    if kind == "problem":
        problems = values(month.problems)
        row = problems[problems["problem"] == name]
        cause = row["cause"].iloc[0] if len(row) else None
        return phrase("reason.cause", cause=cause) if cause else None
    return None
