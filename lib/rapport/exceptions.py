"""Deviations that need action now, each a structured finding (most severe first)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from .metrics import ratio

SEVERITY_ORDER = {"critical": 0, "warning": 1}
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

    def as_dict(self) -> dict:
        return asdict(self)


def kpi_drops(current: pd.DataFrame, previous: pd.DataFrame, drop_pct: float) -> list[Finding]:
    """A watched KPI down by more than `drop_pct` % of its previous value (rates too, relative).

    Twice the threshold is critical. Undefined values never fire.
    """
    findings = []
    for platform in current.index:
        if platform not in previous.index:
            continue
        for metric in WATCHED:
            now, before = current.at[platform, metric], previous.at[platform, metric]
            relative = None if now is None or before is None else ratio(before - now, abs(before))
            if relative is None:
                continue
            drop = relative * 100
            if drop > drop_pct:
                findings.append(Finding("kpi_drop", "critical" if drop > 2 * drop_pct else "warning",
                                        platform, metric, now, before, "exception.kpi_drop"))
    return sort(findings)


def open_problems(problems: pd.DataFrame) -> list[Finding]:
    """Problems in the log that are still open and of high severity."""
    rows = problems[(problems["status"].fillna("").str.lower() != "solved") & (problems["severity"] == "high")]
    return sort([Finding("open_problem", "critical", str(row.problem), None, str(row.status), "solved",
                         "exception.open_problem") for row in rows.itertuples()])


def sort(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.kind, f.subject, f.metric or ""))
