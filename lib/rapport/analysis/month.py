"""Everything a month's reports say, computed in one place from the warehouse, the plan and
the params: KPIs and comparisons, goals, OKRs, schedule, resources, ROI, paid, web, share of
voice and the exceptions. The notebooks show it; the JSON carries it."""

from __future__ import annotations

from rapport.config import Client
from rapport.jsonable import by_index
from rapport.data import plan_files
from rapport.periods import Period

from . import findings as exceptions, goals, metrics, plan


def month(con, client: Client, period: Period) -> dict:
    params = client.params
    kpis = metrics.kpis(con, period, params.timezone)
    previous = metrics.kpis(con, period.previous(), params.timezone)
    year_before = metrics.kpis(con, period.year_before(), params.timezone)
    goal_reports = [goals.evaluate(con, params, goal, period) for goal in params.goals]
    okrs = [goals.evaluate_okr(con, params, okr, period) for okr in params.okrs]
    activities = plan_files.load_plan(client.data_dir)
    problems = plan_files.load_problems(client.data_dir)
    paid = metrics.paid(con, period)
    resources = plan.resources(activities, period.start, period.end, params.budget, paid.at["all", "spend"])
    web = metrics.web(con, period)
    due = activities[(activities["due"] >= period.start) & (activities["due"] <= period.end)]
    campaigns = metrics.by_dimension(con, period, params.timezone, "campaign")
    findings = exceptions.collect(con, params, period, kpis, previous, goal_reports, resources, activities, problems)
    return dict(
        kpis=kpis, previous=previous, year_before=year_before, goals=goal_reports, okrs=okrs,
        schedule=plan.schedule(activities, period.start, period.end), resources=resources,
        roi=plan.roi_inputs(params, resources, web), paid=paid, web=web,
        voice=metrics.voice(con, period, params.name, params.competitors),
        problems=problems, activities=activities, findings=findings,
        activity_posts=plan.posts_by_activity(due, campaigns),
    )


def as_json(figures: dict) -> dict:
    """The month's figures as plain JSON values (tables as {row: {column: value}})."""
    out = {}
    for key, value in figures.items():
        if key in ("kpis", "previous", "year_before", "paid"):
            out[key] = by_index(value)
        elif key == "goals":
            out[key] = [g.as_dict() for g in value]
        elif key == "findings":
            out[key] = [f.as_dict() for f in value]
        elif key in ("problems", "activities"):
            out[key] = value.to_dict("records")
        else:
            out[key] = value
    return out
