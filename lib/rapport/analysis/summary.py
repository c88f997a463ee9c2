"""The monthly report's first screen in words: three to five sentences on what happened,
then what needs a decision. Each sentence is {"key", "values"} (rapport.i18n.phrase), so
the report words it in the client's language; the JSON keeps the same structure."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from rapport.i18n import phrase
from rapport.jsonable import values

from .metrics import change
from .month import Month

MAX_SENTENCES = 5
MAX_DECISIONS = 3


@dataclass(frozen=True)
class Summary:
    sentences: list[dict]  # what happened
    decisions: list[dict]  # what management must decide

    def as_json(self) -> dict:
        return asdict(self)


def summarise(month: Month) -> Summary:
    """Sentences and decisions from the month's figures."""
    return Summary(happened(month)[:MAX_SENTENCES], decisions(month)[:MAX_DECISIONS])


def happened(month: Month) -> list[dict]:
    """Impressions, engagement rate, the channel that brought most engagements, followers,
    goals on track, ROI: each a sentence when its figure exists."""
    kpis, previous = values(month.kpis), values(month.previous)
    now, before = kpis.loc["all"], previous.loc["all"] if "all" in previous.index else None
    said = []

    def was(metric):
        return None if before is None else before[metric]

    impressions, rate = now["impressions"], now["engagement_rate"]
    if impressions is not None:
        said.append(_impressions(impressions, was("impressions"), _year_ago(month, "impressions")))
    if rate is not None:
        points = change(rate, was("engagement_rate"), "rate")
        said.append(
            phrase("summary.engagement_rate", rate=rate, change_pp=points)
            if points is not None
            else phrase("summary.engagement_rate_only", rate=rate)
        )
    channels = kpis.drop(index="all")["engagements"].dropna()
    if len(channels) > 1 and now["engagements"]:
        best = channels.astype(float).idxmax()
        said.append(phrase("summary.top_channel", platform=best, share=channels[best] / now["engagements"]))
    if now["follower_growth"] is not None:
        said.append(phrase("summary.followers", growth=now["follower_growth"], value=now["followers"]))
    goals = month.goals
    if goals:
        good = sum(g.status in ("achieved", "on track") for g in goals)
        said.append(phrase("summary.goals", good=good, total=len(goals)))
    if month.roi.roi is not None:
        said.append(phrase("summary.roi", rate=month.roi.roi))
    return said


def _impressions(impressions, before, year_ago) -> dict:
    """Impressions against the previous month, or against the same month a year before
    when that is the larger change (a seasonal business reads its month against last year's)."""
    relative, yearly = change(impressions, before, "count"), change(impressions, year_ago, "count")
    if yearly is not None and (relative is None or abs(yearly) > abs(relative)):
        return phrase("summary.impressions_year", value=impressions, change_pct=yearly, change_month=relative)
    if relative is not None:
        return phrase("summary.impressions", value=impressions, change_pct=relative)
    return phrase("summary.impressions_only", value=impressions)


def _year_ago(month: Month, metric: str):
    """The metric a year before, when the warehouse held posts then (else nothing to compare)."""
    year = values(month.year_before)
    if "all" not in year.index or not year.at["all", "posts"]:
        return None
    return year.at["all", metric]


def decisions(month: Month) -> list[dict]:
    """What management must decide: goals off track, spending over plan, the subjects with a
    critical deviation (month.exceptions)."""
    out = [phrase("decision.goal", goal=g.name) for g in month.goals if g.status == "off track"]
    out += [
        phrase("decision.budget", budget=f.subject)
        for f in month.findings
        if f.kind == "over_budget" and f.severity == "critical"
    ]
    critical = [s for s in month.exceptions if s.severity == "critical" and s.kind not in ("budget", "goal")]
    if critical:
        out.append(phrase("decision.critical", count=len(critical)))
    return out or [phrase("decision.none")]
