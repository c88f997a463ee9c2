"""The activity plan against what happened: the activities of a window and their state,
schedule adherence, hours and money against plan and budget, ROI, posts linked to
activities, and the deviations worth a sentence. The plan itself is read by
rapport.data.plan_files.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import timedelta

import pandas as pd

from rapport.catalog import PLATFORMS
from rapport.i18n import phrase

from .metrics import posts_in, ratio


def activity_window(frame: pd.DataFrame, start, end, ahead_days: int = 14) -> pd.DataFrame:
    """The activities a 14-day team report talks about, each with its state:

    done / done late: finished within [start, end]; late: not done and due by `end`;
    due soon: not done and due within `ahead_days` after `end`. Cancelled ones are left out.
    """
    horizon = end + timedelta(days=ahead_days)
    rows = []
    for row in frame.to_dict("records"):
        due, done = row["due"], row["done"]
        if row["status"] == "cancelled":
            continue
        if _given(done):
            if not start <= done <= end:
                continue
            state = "done late" if done > due else "done"
        elif due <= end:
            state = "late"
        elif due <= horizon:
            state = "due soon"
        else:
            continue
        rows.append(dict(row, state=state))
    return pd.DataFrame(rows, columns=list(frame.columns) + ["state"])


def _given(value) -> bool:
    return value is not None and value == value  # NaN/NaT are missing too


# --- schedule, resources, ROI ------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """Schedule adherence of the activities due in a period (cancelled ones left out)."""

    due: int
    done_on_time: int
    done_late: int
    late: int  # not done by the period's end
    not_started: int
    on_time_rate: float | None
    due_next: int  # due in the days after the period (not done)

    def as_json(self) -> dict:
        return asdict(self)


def schedule(frame: pd.DataFrame, start, end, ahead_days: int = 14) -> Schedule:
    """Schedule adherence for activities due in [start, end]: done on time, done late, late
    (not done by the end), not started; and what is due in the next `ahead_days` days."""
    due = frame[(frame["due"] >= start) & (frame["due"] <= end) & (frame["status"] != "cancelled")]
    done = due["done"].map(_given)
    on_time = done & (due["done"].map(lambda d: d if _given(d) else None) <= due["due"]).fillna(False)
    late_done = done & ~on_time
    not_done = ~done
    upcoming = frame[
        (frame["due"] > end)
        & (frame["due"] <= end + timedelta(days=ahead_days))
        & ~frame["done"].map(_given)
        & (frame["status"] != "cancelled")
    ]
    return Schedule(
        due=int(len(due)),
        done_on_time=int(on_time.sum()),
        done_late=int(late_done.sum()),
        late=int(not_done.sum()),
        not_started=int((not_done & (due["status"] == "not started")).sum()),
        on_time_rate=ratio(int(on_time.sum()), len(due)),
        due_next=int(len(upcoming)),
    )


@dataclass(frozen=True)
class Resources:
    """Hours and money of the activities due in a period against their plan and the monthly
    budget; money spent includes the period's ad spend."""

    hours_planned: float
    hours_spent: float
    hours_budget: float | None
    hours_vs_plan: float | None
    hours_vs_budget: float | None
    cost_planned: float
    cost_spent: float
    ad_spend: float | None
    money_spent: float
    money_budget: float | None
    money_vs_budget: float | None
    labour_cost: float | None  # hours spent × hourly rate

    def as_json(self) -> dict:
        return asdict(self)


def resources(frame: pd.DataFrame, period, budget, ad_spend=None) -> Resources:
    """Hours and money of the activities due in the period against their plan and the
    monthly budget (money includes the period's ad spend)."""
    due = frame[(frame["due"] >= period.start) & (frame["due"] <= period.end) & (frame["status"] != "cancelled")]
    hours_planned, hours_spent = _sum(due["hours_planned"]), _sum(due["hours_spent"])
    cost_planned, cost_spent = _sum(due["cost_planned"]), _sum(due["cost_spent"])
    money_spent = cost_spent + (ad_spend or 0)
    return Resources(
        hours_planned=hours_planned,
        hours_spent=hours_spent,
        hours_budget=budget.hours,
        hours_vs_plan=ratio(hours_spent, hours_planned),
        hours_vs_budget=ratio(hours_spent, budget.hours),
        cost_planned=cost_planned,
        cost_spent=cost_spent,
        ad_spend=ad_spend,
        money_spent=money_spent,
        money_budget=budget.money,
        money_vs_budget=ratio(money_spent, budget.money),
        labour_cost=hours_spent * budget.hourly_rate if budget.hourly_rate is not None else None,
    )


def roi(value, cost):
    """(value − cost) / cost; undefined without a cost."""
    return ratio(None if value is None or cost is None else value - cost, cost)


@dataclass(frozen=True)
class Roi:
    """The return on social media: value against everything it cost."""

    value: float | None
    value_basis: str | None  # "revenue" or "conversions × value per conversion"
    ad_spend: float | None
    labour_cost: float | None
    activity_costs: float | None
    other_costs: float
    cost: float | None
    roi: float | None

    def as_json(self) -> dict:
        return asdict(self)


def roi_inputs(params, spent: Resources, web) -> Roi:
    """ROI as docs/metrics.md defines it: value = revenue from social, else conversions × value
    per conversion; cost = ad spend + hours × hourly rate + activity costs + other costs."""
    value, basis = None, None
    if web.revenue:
        value, basis = float(web.revenue), "revenue"
    elif web.conversions is not None and params.value_per_conversion is not None:
        value, basis = float(web.conversions) * params.value_per_conversion, "conversions × value per conversion"
    labour = spent.labour_cost
    parts = [spent.ad_spend, labour, spent.cost_spent, params.budget.other_costs]
    cost = sum(p for p in parts if p is not None) if labour is not None else None
    return Roi(
        value=value,
        value_basis=basis,
        ad_spend=spent.ad_spend,
        labour_cost=labour,
        activity_costs=spent.cost_spent,
        other_costs=params.budget.other_costs,
        cost=cost,
        roi=roi(value, cost),
    )


def _sum(series: pd.Series) -> float:
    return float(pd.to_numeric(series, errors="coerce").fillna(0).sum())


LINK_RULES = ("campaign", "channel_dates", "none")  # how posts are tied to an activity (rule.* in i18n)
POST_SUMS = ["impressions", "reach", "engagements"]


def posts_per_activity(activities: pd.DataFrame, posts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which posts served which activity, and by which rule: the posts tagged with the
    activity's campaign (the export's campaign field, or #campaign in the text); without a tag, the posts on its channel published from its start to
    its due day (the client's days); an activity on no platform and without a tag links none.

    `posts`: metrics.posts_in over the days the activities span. Returns (one row per activity:
    id, activity, channel, due, rule, posts, impressions, reach, engagements, engagement_rate;
    the activities without a post included) and (the linked posts, each with `activity_id`
    and `rule`)."""
    summary, linked = [], []
    days = pd.to_datetime(posts["published"]).dt.date if len(posts) else pd.Series(dtype=object)
    for row in activities.to_dict("records"):
        tag, channel = row.get("campaign"), row.get("channel")
        if isinstance(tag, str) and tag:
            rule, mask = "campaign", (posts["campaign"] == tag) | _hashtag(posts["text"], tag)
        elif channel in PLATFORMS and _given(row.get("start")):
            rule, mask = "channel_dates", (posts["platform"] == channel) & days.between(row["start"], row["due"])
        else:
            rule, mask = "none", pd.Series(False, index=posts.index)
        served = posts[mask.fillna(False).astype(bool)]
        totals = {c: (served[c].sum() if served[c].notna().any() else None) for c in POST_SUMS}
        both = served[served["engagements"].notna() & served["impressions"].notna()]
        summary.append(
            dict(
                id=row["id"],
                activity=row["activity"],
                channel=channel,
                due=row["due"],
                rule=rule,
                posts=len(served),
                **totals,
                engagement_rate=ratio(both["engagements"].sum(), both["impressions"].sum()) if len(both) else None,
            )
        )
        linked.append(served.assign(activity_id=row["id"], rule=rule))
    columns = ["id", "activity", "channel", "due", "rule", "posts", *POST_SUMS, "engagement_rate"]
    posts_out = pd.concat(linked, ignore_index=True) if linked else posts.assign(activity_id=None, rule=None).iloc[0:0]
    return pd.DataFrame(summary, columns=columns), posts_out


def _hashtag(texts: pd.Series, tag: str) -> pd.Series:
    """Posts whose text carries #tag (Meta's and TikTok's exports have no campaign field)."""
    return texts.fillna("").str.contains(rf"(?<![\w#])#{re.escape(tag)}(?![\w-])", case=False, regex=True)


def served(scope, activities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """posts_per_activity over the posts of the days the activities span, from the earliest
    start (or the scope's first day) to the scope's last day.

    >>> per_activity, posts = plan.served(r.scope, r.plan().head(3))
    >>> per_activity.columns.tolist()[:5]
    ['id', 'activity', 'channel', 'due', 'rule']
    """
    first = min([d for d in activities["start"] if _given(d)] + [scope.period.start])
    return posts_per_activity(activities, posts_in(scope.between(first, scope.period.end)))


def served_totals(per_activity: pd.DataFrame) -> dict:
    """The month's schedule in posts: how many posts served the activities due, how many of
    those activities produced at least one, and how many none (posts linked to two activities
    count for each)."""
    with_posts = int((per_activity["posts"] > 0).sum()) if len(per_activity) else 0
    return dict(
        posts_served=int(per_activity["posts"].sum()) if len(per_activity) else 0,
        activities_with_posts=with_posts,
        activities_without_posts=len(per_activity) - with_posts,
    )


def deviations(window: pd.DataFrame, end, over_pct: float) -> list[dict]:
    """What left the plan in an activity window (`activity_window`): activities late or done
    late, and hours or costs more than `over_pct` % over their plan. Each a sentence
    {"key", "values"}, late ones first."""
    out = []
    for row in window.to_dict("records"):
        name = f"{row['id']} {row['activity']}"
        if row["state"] == "late":
            out.append(phrase("deviation.late", activity=name, days=(end - row["due"]).days))
        elif row["state"] == "done late":
            out.append(phrase("deviation.done_late", activity=name, days=(row["done"] - row["due"]).days))
    for row in window.to_dict("records"):
        name = f"{row['id']} {row['activity']}"
        for spent, planned, key, names in (
            ("hours_spent", "hours_planned", "deviation.hours", ("actual", "planned")),
            ("cost_spent", "cost_planned", "deviation.cost", ("money", "money_planned")),
        ):
            over = ratio(
                None if not _given(row[spent]) or not _given(row[planned]) else row[spent] - row[planned],
                row[planned] if _given(row[planned]) else None,
            )
            if over is not None and over * 100 > over_pct:
                figures = dict(zip(names, (float(row[spent]), float(row[planned])), strict=True))
                out.append(phrase(key, activity=name, **figures, change_pct=over))
    return out
