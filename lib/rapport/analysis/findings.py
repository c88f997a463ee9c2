"""Findings: the deviations from plan that need action now (the exception report), each
a structured Finding, most severe first. Thresholds come from the params (`thresholds:`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

import pandas as pd

from rapport.jsonable import values

from .metrics import daily_mentions, ratio
from .plan import Resources
from .scope import Scope

SEVERITY_ORDER = {"critical": 0, "warning": 1}
ANOMALY_WINDOW = 28
WATCHED = ("impressions", "engagements", "engagement_rate", "clicks", "follower_growth")


@dataclass(frozen=True)
class Finding:
    kind: str  # kpi_drop, open_problem, ...
    severity: str  # critical or warning
    subject: str  # platform, goal id, activity id, ...
    metric: str | None
    measured: float | str | None
    expected: float | str | None
    message_key: str

    def as_json(self) -> dict:
        return asdict(self)


def kpi_drops(current: pd.DataFrame, previous: pd.DataFrame, drop_pct: float) -> list[Finding]:
    """A watched KPI down by more than `drop_pct` % of its previous value (rates too, relative).

    Twice the threshold is critical. Undefined values never fire.
    """
    findings = []
    current, previous = values(current), values(previous)
    for platform in current.index:
        if platform not in previous.index:
            continue
        for metric in WATCHED:
            now, before = current.at[platform, metric], previous.at[platform, metric]
            relative = None if now is None or before is None else ratio(before - now, abs(before))
            if relative is None:
                continue
            drop = round(relative * 100, 9)
            if drop > drop_pct:
                findings.append(
                    Finding(
                        "kpi_drop",
                        "critical" if drop > 2 * drop_pct else "warning",
                        platform,
                        metric,
                        now,
                        before,
                        "exception.kpi_drop",
                    )
                )
    return sort(findings)


def open_problems(problems: pd.DataFrame) -> list[Finding]:
    """Problems in the log that are still open and of high severity."""
    rows = problems[(problems["status"].fillna("").str.lower() != "solved") & (problems["severity"] == "high")]
    return sort(
        [
            Finding(
                "open_problem",
                "critical",
                str(row.problem),
                None,
                row.status if isinstance(row.status, str) else "open",
                "solved",
                "exception.open_problem",
            )
            for row in rows.itertuples()
        ]
    )


def sort(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.kind, f.subject, f.metric or ""))


def goals_off_track(reports) -> list[Finding]:
    """Goals whose status is off track (critical) or at risk (warning)."""
    found = []
    for goal in reports:
        if goal.status in ("off track", "at risk"):
            found.append(
                Finding(
                    "goal_" + goal.status.replace(" ", "_"),
                    "critical" if goal.status == "off track" else "warning",
                    goal.id,
                    goal.metric,
                    goal.current,
                    goal.target,
                    f"exception.goal_{goal.status.replace(' ', '_')}",
                )
            )
    return sort(found)


def over_budget(spent: Resources, over_pct: float) -> list[Finding]:
    """Hours or money beyond plan (or budget) by more than `over_pct` %."""
    found = []
    checks = [
        ("hours", spent.hours_spent, spent.hours_planned),
        ("hours_budget", spent.hours_spent, spent.hours_budget),
        ("money", spent.cost_spent, spent.cost_planned),
        ("money_budget", spent.money_spent, spent.money_budget),
    ]
    for subject, used, planned in checks:
        if used is None or not planned:
            continue
        over = round((used / planned - 1) * 100, 9)  # 11 h on 10 planned is 10 %, not 10.000000000000009
        if over > over_pct:
            found.append(
                Finding(
                    "over_budget",
                    "critical" if over > 2 * over_pct else "warning",
                    subject,
                    None,
                    used,
                    planned,
                    "exception.over_budget",
                )
            )
    return sort(found)


def late_activities(activities: pd.DataFrame, today, late_days: int) -> list[Finding]:
    """Activities not done more than `late_days` days after their due date."""
    found = []
    for row in activities.to_dict("records"):
        done = row["done"]
        if row["status"] == "cancelled" or (done is not None and done == done):
            continue
        days = (today - row["due"]).days
        if days > late_days:
            found.append(
                Finding(
                    "activity_late",
                    "critical" if days > 3 * late_days else "warning",
                    f"{row['id']} {row['activity']}",
                    None,
                    days,
                    row["due"].isoformat(),
                    "exception.activity_late",
                )
            )
    return sort(found)


def robust_z(values: pd.Series, window: int = 28) -> pd.Series:
    """Each value's distance from the median of the `window` values before it, in robust
    standard deviations: MAD × 1.4826, or (for sparse counts, mostly zeros, whose MAD is 0)
    the mean absolute deviation × 1.2533; undefined where the window has no spread at all."""
    out: list[float | None] = []
    for index in range(len(values)):
        history = values.iloc[max(0, index - window) : index].dropna()
        value = values.iloc[index]
        if len(history) < 7 or value != value:
            out.append(None)
            continue
        median = history.median()
        deviations = (history - median).abs()
        spread = deviations.median() * 1.4826 or deviations.mean() * 1.2533
        out.append(None if spread == 0 else float((value - median) / spread))
    return pd.Series(out, index=values.index, dtype=object)


def anomalies(
    daily: pd.DataFrame,
    column: str,
    start,
    end,
    *,
    threshold: float,
    message_key: str,
    critical_when: str = "up",
    min_delta: float = 0,
) -> list[Finding]:
    """Days in [start, end] whose value is more than `threshold` robust z-scores from the
    rolling median of the 28 days before. `daily` has a date and `column`, one row a day,
    history before `start` included (ANOMALY_WINDOW days). A jump in the `critical_when` direction is critical
    (a spike of negative mentions signals a crisis). For small counts `min_delta` is the least
    distance from the median that matters (three mentions on a quiet day are not a crisis)."""
    if daily.empty:
        return []
    series = daily.set_index("date")[column].astype(float).sort_index()
    z = robust_z(series)
    found = []
    for day, score in z.items():
        if score is None or not (start <= day <= end) or abs(score) <= threshold:
            continue
        median = float(series[:day].iloc[-(ANOMALY_WINDOW + 1) : -1].median())
        if abs(float(series[day]) - median) < min_delta:
            continue
        direction = "up" if score > 0 else "down"
        found.append(
            Finding(
                "anomaly",
                "critical" if direction == critical_when else "warning",
                day.isoformat(),
                None,
                float(series[day]),
                median,
                message_key if direction == "up" else "exception.anomaly_down",
            )
        )
    return sort(found)


def collect(scope: Scope, params, month) -> list[Finding]:
    """Every rule over the month's figures (rapport.analysis.month.Month, findings aside),
    with the thresholds from the params: what needs action now."""
    period, t = scope.period, params.thresholds
    negative = daily_mentions(
        scope.between(period.start - timedelta(days=ANOMALY_WINDOW), period.end), params.name, "negative"
    )
    found = (
        kpi_drops(month.kpis, month.previous, t.kpi_drop_pct)
        + goals_off_track(month.goals)
        + over_budget(month.resources, t.over_budget_pct)
        + late_activities(month.activities, period.end, t.late_days)
        + open_problems(month.problems)
        + anomalies(
            negative,
            "mentions",
            period.start,
            period.end,
            threshold=t.anomaly_z,
            message_key="exception.negative_mentions",
            min_delta=5,
        )
    )
    return sort(found)
