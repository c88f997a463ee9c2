"""Everything a month's reports say, computed in one place from the warehouse, the plan and
the params: KPIs and comparisons, goals, OKRs, schedule, resources, ROI, paid, web, share of
voice and the findings. The monthly and exception notebooks show it; the JSON carries it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rapport.config import Client
from rapport.data import plan_files
from rapport.jsonable import by_index, scalar

from . import exceptions, findings, goals, metrics, plan
from .findings import Finding
from .goals import GoalReport, OkrScore
from .metrics import Voice, Web
from .plan import Resources, Roi, Schedule
from .scope import Scope


@dataclass
class Month:
    """A month's figures. KPI frames have one row per platform and 'all'."""

    kpis: pd.DataFrame
    previous: pd.DataFrame  # the month before
    year_before: pd.DataFrame  # the same month a year before
    goals: list[GoalReport]
    okrs: list[OkrScore]
    schedule: Schedule
    resources: Resources
    roi: Roi
    paid: pd.DataFrame  # ad results per ad platform and 'all'
    web: Web
    voice: Voice
    problems: pd.DataFrame  # the problem log
    activities: pd.DataFrame  # the activity plan
    activity_posts: pd.DataFrame  # the activities due this month and the posts that served each (plan.served)
    served: dict  # their totals (plan.served_totals)
    findings: list[Finding] = field(default_factory=list)
    exceptions: list[exceptions.Subject] = field(default_factory=list)  # the findings by subject, explained
    label: str = ""  # the month, YYYY-MM (the report's JSON says it in its own "period")

    def __repr__(self) -> str:
        channels = len(self.kpis.index) - ("all" in self.kpis.index)
        return (
            f"<Month {self.label} · {channels} channels · {len(self.goals)} goals · {len(self.okrs)} OKRs · "
            f"{len(self.findings)} findings>"
        )

    def as_json(self) -> dict:
        """The month as JSON: KPI frames as {platform: {metric: value}}, tables as records."""
        out: dict = {}
        for key, value in vars(self).items():
            if key == "label":
                continue
            if key in ("kpis", "previous", "year_before", "paid"):
                out[key] = by_index(value)
            elif key in ("problems", "activities", "activity_posts"):
                out[key] = value.to_dict("records")
            else:
                out[key] = value
        return out


def figures(scope: Scope, client: Client) -> Month:
    """The month of `scope` (its period is a month) for `client`."""
    params = client.params
    activities = plan_files.load_plan(client.data_dir)
    paid = metrics.paid(scope)
    resources = plan.resources(activities, scope.period, params.budget, scalar(paid.at["all", "spend"]))
    web = metrics.web(scope)
    due = activities[(activities["due"] >= scope.period.start) & (activities["due"] <= scope.period.end)]
    per_activity, _ = plan.served(scope, due[due["status"] != "cancelled"])
    month = Month(
        kpis=metrics.kpis(scope),
        previous=metrics.kpis(scope.previous()),
        year_before=metrics.kpis(scope.year_before()),
        goals=[goals.evaluate(scope, params, goal, activities=activities) for goal in params.goals],
        okrs=[goals.evaluate_okr(scope, params, okr, activities=activities) for okr in params.okrs],
        schedule=plan.schedule(activities, scope.period.start, scope.period.end),
        resources=resources,
        roi=plan.roi_inputs(params, resources, web),
        paid=paid,
        web=web,
        voice=metrics.voice(scope, params.name, params.competitors),
        problems=plan_files.load_problems(client.data_dir),
        activities=activities,
        activity_posts=per_activity,
        served=plan.served_totals(per_activity),
        label=scope.period.label,
    )
    month.findings = findings.collect(scope, params, month)
    month.exceptions = exceptions.explain(scope, params, month)
    return month
