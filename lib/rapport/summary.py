"""The monthly report's first screen in words: three to five sentences on what happened,
then what needs a decision. Each sentence is {"key", "values"} (see display.point), so
it is worded in the client's language; the JSON keeps the same structure."""

from __future__ import annotations

from .metrics import ratio

MAX_SENTENCES = 5
MAX_DECISIONS = 3


def month(figures: dict) -> dict:
    """Sentences and decisions from `analysis.month`'s figures."""
    kpis, previous = figures["kpis"], figures["previous"]
    now, before = kpis.loc["all"], previous.loc["all"] if "all" in previous.index else None
    said = []

    impressions, was = now["impressions"], None if before is None else before["impressions"]
    if impressions is not None:
        change = ratio(None if was is None else impressions - was, None if was is None else abs(was))
        said.append(_say("summary.impressions", value=impressions, change_pct=change) if change is not None
                     else _say("summary.impressions_only", value=impressions))
    rate, rate_was = now["engagement_rate"], None if before is None else before["engagement_rate"]
    if rate is not None:
        said.append(_say("summary.engagement_rate", rate=rate, change_pp=(rate - rate_was) * 100)
                    if rate_was is not None else _say("summary.engagement_rate_only", rate=rate))
    channels = kpis.drop(index="all")["engagements"].dropna()
    if len(channels) > 1 and now["engagements"]:
        best = channels.astype(float).idxmax()
        said.append(_say("summary.top_channel", platform=best, share=channels[best] / now["engagements"]))
    if now["follower_growth"] is not None:
        said.append(_say("summary.followers", growth=now["follower_growth"], value=now["followers"]))
    goals = figures["goals"]
    if goals:
        good = sum(g.status in ("achieved", "on track") for g in goals)
        said.append(_say("summary.goals", good=good, total=len(goals)))
    roi = figures["roi"]["roi"]
    if roi is not None:
        said.append(_say("summary.roi", rate=roi))

    return dict(sentences=said[:MAX_SENTENCES], decisions=decisions(figures)[:MAX_DECISIONS])


def decisions(figures: dict) -> list[dict]:
    """What management must decide: goals off track, spending over plan, critical deviations."""
    out = [_say("decision.goal", goal=g.name) for g in figures["goals"] if g.status == "off track"]
    out += [_say("decision.budget", budget=f.subject) for f in figures["findings"] if f.kind == "over_budget"
            and f.severity == "critical"]
    critical = [f for f in figures["findings"] if f.severity == "critical" and f.kind not in ("over_budget",)
                and not f.kind.startswith("goal_")]
    if critical:
        out.append(_say("decision.critical", count=len(critical)))
    return out or [_say("decision.none")]


def _say(key: str, **values) -> dict:
    return {"key": key, "values": {k: (v.item() if hasattr(v, "item") else v) for k, v in values.items()}}
