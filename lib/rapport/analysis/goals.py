"""SMART goals and OKRs measured against the warehouse (README: Metrics, Goals).

A goal is on the metric's monthly value (for followers, its value at the month's end):
- baseline: given, or the value in the month before the goal starts;
- target: given, or the baseline changed by target_change_pct;
- progress = (current − baseline) / (target − baseline) (a target below the baseline is a
  reduction goal; the same formula holds), expected progress = the share of the goal's time
  elapsed;
- forecast: a straight line through the last twelve monthly values, extended to the
  deadline's month, with a 95 % prediction interval;
- status: achieved, on track, at risk, off track (or no data);
- achievable: the monthly growth the goal still needs, placed in the distribution of the
  account's own month-on-month growth of that metric (realistic up to the 75th percentile,
  stretch up to the 95th, unrealistic beyond);
- a S.M.A.R.T. check per letter with its reason.
OKR: key result score = clip((current − start) / (target − start), 0, 1), objective score =
the mean; 0.7 and above is success.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

import numpy as np

from rapport import periods
from rapport.catalog import GOAL_TYPES, METRICS
from rapport.config import Goal, Okr, Params
from rapport.i18n import phrase

from . import metrics, plan
from .scope import Scope

HISTORY_MONTHS = 24
TREND_MONTHS = 12


@dataclass
class GoalReport:
    id: str
    name: str
    type: str
    metric: str
    platform: str
    start: date
    deadline: date
    baseline: float | None
    baseline_measured: bool
    target: float | None
    current: float | None
    progress: float | None
    expected_progress: float
    status: str
    forecast: float | None
    forecast_low: float | None
    forecast_high: float | None
    needed_monthly_growth: float | None
    growth_percentile: float | None
    achievability: str
    smart: dict = field(default_factory=dict)  # letter -> {"ok": bool, "reason": str}
    recommended_kpis: list = field(default_factory=list)
    history: list = field(default_factory=list)  # [(month label, value)]
    months_managed: int | None = None  # past months whose growth reached the growth needed
    months_seen: int | None = None  # past months with a growth (the history's, less one)

    def __repr__(self) -> str:
        done = "–" if self.progress is None else f"{self.progress:.0%}"
        return f"<GoalReport {self.id} · {self.metric} ({self.platform}) · {self.status} · progress {done}>"

    def as_json(self) -> dict:
        return asdict(self)


def value(scope: Scope, params: Params, metric: str, platform: str = "all", *, activities=None):
    """One metric's value over the scope's period as the monthly report computes it: every
    metric of the catalogue (metrics.value), and ROI from the activity plan (`activities`,
    plan_files.load_plan), the ad spend and the website's value (plan.roi_inputs), as the
    monthly report's ROI. Without the plan, ROI is unknown (None).

    >>> goals.value(r.scope, r.params, "roi", activities=r.plan()) == figures(r.scope, r.client).roi.roi
    True
    """
    if metric != "roi":
        return metrics.value(scope, params, metric, platform)
    if activities is None:
        return None
    spend = metrics.value(scope, params, "spend")
    resources = plan.resources(activities, scope.period, params.budget, spend)
    return plan.roi_inputs(params, resources, metrics.web(scope)).roi


def monthly_values(
    scope: Scope, params: Params, metric: str, platform: str, months: int = HISTORY_MONTHS, *, activities=None
) -> list[tuple[periods.Period, float | None]]:
    """The metric's value in each of the `months` months ending with the scope's, oldest first."""
    out, month = [], periods.month_of(scope.period.end)
    for _ in range(months):
        out.append((month, value(scope.over(month), params, metric, platform, activities=activities)))
        month = month.previous()
    return list(reversed(out))


def evaluate(scope: Scope, params: Params, goal: Goal, *, activities=None) -> GoalReport:
    """A goal at the end of the scope's period: baseline, current value, progress against the
    time elapsed, status, forecast, achievability (ROI needs `activities=r.plan()`); e.g.
    `goals.evaluate(r.scope, r.params, r.params.goals[0])` → <GoalReport G1 · followers …>."""
    end = scope.period.end
    history = monthly_values(scope, params, goal.metric, goal.platform, activities=activities)
    current = dict((m.label, v) for m, v in history).get(periods.month_of(end).label)
    baseline, measured = _baseline(scope, params, goal, history, activities)
    target = goal.target
    if target is None and baseline is not None and goal.target_change_pct is not None:
        target = baseline * (1 + goal.target_change_pct / 100)
    progress = metrics.ratio(
        None if current is None or baseline is None else current - baseline,
        None if target is None or baseline is None else target - baseline,
    )
    expected = _elapsed(goal.start, goal.deadline, end)
    forecast = forecast_to(history, goal.deadline)
    reduction = baseline is not None and target is not None and target < baseline
    needed, percentile, verdict = achievable(history, current, target, end, goal.deadline, reduction=reduction)
    hits, seen = managed(history, needed, reduction=reduction)
    when = dict(expected=expected, forecast=forecast, today=end, deadline=goal.deadline)
    status = _status(current, baseline, target, progress=progress, **when)
    return GoalReport(
        **goal.model_dump(include={"id", "name", "type", "metric", "platform", "start", "deadline"}),
        baseline=baseline,
        baseline_measured=measured,
        target=target,
        current=current,
        progress=progress,
        expected_progress=expected,
        status=status,
        forecast=forecast[0],
        forecast_low=forecast[1],
        forecast_high=forecast[2],
        needed_monthly_growth=needed,
        growth_percentile=percentile,
        achievability=verdict,
        smart=smart_check(goal, params, current, verdict, (needed, hits, seen)),
        recommended_kpis=list(GOAL_TYPES[goal.type]),
        history=[(m.label, v) for m, v in history if v is not None],
        months_managed=hits,
        months_seen=seen,
    )


def _baseline(scope: Scope, params: Params, goal: Goal, history, activities) -> tuple[float | None, bool]:
    """The goal's baseline and whether it was measured: given, or the month before the start."""
    if goal.baseline is not None:
        return goal.baseline, False
    before = month_before(goal.start)
    known = dict((m.label, v) for m, v in history)
    if before.label in known:
        baseline = known[before.label]
    else:
        baseline = value(scope.over(before), params, goal.metric, goal.platform, activities=activities)
    return baseline, baseline is not None


def month_before(start: date) -> periods.Period:
    """The whole month before the one `start` falls in: a baseline measured there holds
    nothing of what was done once the goal started (README: Goals)."""
    return periods.month_of(start.replace(day=1) - timedelta(days=1))


def _elapsed(start: date, deadline: date, today: date) -> float:
    total = (deadline - start).days
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (today - start).days / total))


def _reached(value, baseline, target) -> bool:
    if value is None or target is None:
        return False
    return value <= target if baseline is not None and target < baseline else value >= target


def _status(current, baseline, target, *, progress, expected, forecast, today, deadline) -> str:
    forecast, low, high = forecast
    if current is None or target is None:
        return "no data"
    if _reached(current, baseline, target):
        return "achieved"
    if today >= deadline:
        return "off track"
    if _reached(forecast, baseline, target) or (progress is not None and progress >= expected):
        return "on track"
    favourable = low if baseline is not None and target < baseline else high
    if _reached(favourable, baseline, target):
        return "at risk"
    return "off track"


def forecast_to(history: list[tuple[periods.Period, float | None]], deadline: date):
    """Linear trend of the last TREND_MONTHS monthly values at the deadline's month, with a
    95 % prediction interval; (None, None, None) with fewer than three values."""
    points = [(i, v) for i, (_, v) in enumerate(history) if v is not None][-TREND_MONTHS:]
    if len(points) < 3:
        return None, None, None
    x = np.array([p[0] for p in points], dtype=float)
    y = np.array([p[1] for p in points], dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    last_month = history[-1][0]
    ahead = (deadline.year - last_month.start.year) * 12 + deadline.month - last_month.start.month
    x0 = len(history) - 1 + max(ahead, 0)
    prediction = slope * x0 + intercept
    residuals = y - (slope * x + intercept)
    n = len(x)
    spread = math.sqrt(float(residuals @ residuals) / (n - 2)) if n > 2 else 0.0
    sxx = float(((x - x.mean()) ** 2).sum())
    half = 1.96 * spread * math.sqrt(1 + 1 / n + ((x0 - x.mean()) ** 2) / sxx) if sxx else 0.0
    return float(prediction), float(prediction - half), float(prediction + half)


def achievable(history, current, target, today: date, deadline: date, *, reduction: bool = False):
    """(needed monthly growth, its percentile in the account's history, verdict). For a
    reduction goal the growth needed is a decline, compared with the account's declines."""
    months_left = (deadline.year - today.year) * 12 + deadline.month - today.month
    values = [v for _, v in history if v is not None]
    growth = [b / a - 1 for a, b in zip(values, values[1:]) if a]
    if current is None or target is None or not current or months_left <= 0 or len(growth) < 3:
        return None, None, "unknown"
    if target / current <= 0:
        return None, None, "unknown"
    needed = (target / current) ** (1 / months_left) - 1
    sample = np.array([-g for g in growth] if reduction else growth)
    wanted = -needed if reduction else needed
    percentile = float((sample <= wanted).mean())
    if wanted <= 0 or wanted <= np.percentile(sample, 75):
        verdict = "realistic"
    elif wanted <= np.percentile(sample, 95):
        verdict = "stretch"
    else:
        verdict = "unrealistic"
    return float(needed), percentile, verdict


def managed(history, needed, *, reduction: bool = False) -> tuple[int | None, int | None]:
    """(months whose growth reached `needed`, months with a growth) in the account's own
    history: how often it managed the pace a goal needs (a decline, for a reduction)."""
    values = [v for _, v in history if v is not None]
    growth = [b / a - 1 for a, b in zip(values, values[1:]) if a]
    if needed is None or not growth:
        return None, None
    return sum((-g >= -needed) if reduction else (g >= needed) for g in growth), len(growth)


def pace(goal: GoalReport) -> dict | None:
    """A goal's progress in words: reached; moving away from the target; or the growth it
    needs a month and how often the account managed that; None when there is no progress."""
    if goal.status == "achieved":
        return phrase("pace.achieved")
    if goal.progress is None:
        return None
    if goal.progress < 0:
        return phrase("pace.away", metric=goal.metric, current=goal.current, baseline=goal.baseline)
    if goal.needed_monthly_growth is not None and goal.months_seen:
        return phrase(
            "pace.needed",
            change_month=goal.needed_monthly_growth,
            deadline=goal.deadline.isoformat(),
            hits=goal.months_managed,
            months=goal.months_seen,
        )
    return phrase("pace.progress", progress=goal.progress, expected=goal.expected_progress)


def smart_check(goal: Goal, params: Params, current, achievability: str, pace_needed) -> dict:
    """Each letter of S.M.A.R.T.: whether it holds, and why (a catalogue key and its values,
    so each report says it in its language; `reason` is the English for the JSON)."""
    from rapport.i18n import text

    def letter(ok: bool, key: str, **values) -> dict:
        english = dict(values)
        return {"ok": ok, "key": key, "values": values, "reason": text(key, "en", **english)}

    measurable = goal.metric in METRICS and current is not None
    needed, hits, seen = pace_needed
    judged = achievability in ("realistic", "stretch", "unrealistic") and seen is not None
    return {
        "S": letter(True, "smart.specific", metric=goal.metric, platform=goal.platform),
        "M": letter(measurable, "smart.measured" if measurable else "smart.not_measured"),
        "A": letter(
            achievability in ("realistic", "stretch"),
            *(("smart.achievable",) if judged else ("smart.achievable_unknown",)),
            **({"verdict": achievability, "change_month": needed, "hits": hits, "months": seen} if judged else {}),
        ),
        "R": letter(
            bool(params.objective.strip()),
            "smart.relevant" if params.objective.strip() else "smart.not_relevant",
            **({"objective": params.objective.strip()} if params.objective.strip() else {}),
        ),
        "T": letter(
            goal.deadline > goal.start,
            "smart.time_bound" if goal.deadline > goal.start else "smart.not_time_bound",
            **(
                {"start": goal.start.isoformat(), "deadline": goal.deadline.isoformat()}
                if goal.deadline > goal.start
                else {}
            ),
        ),
    }


# --- OKRs -------------------------------------------------------------------------------


def okr_score(current, start, target) -> float | None:
    """clip((current − start) / (target − start), 0, 1); None when undefined."""
    score = metrics.ratio(
        None if current is None or start is None else current - start, None if start is None else target - start
    )
    return None if score is None else min(1.0, max(0.0, score))


OKR_SUCCESS = 0.7  # and above: the stretch goal is met
OKR_MIDDLE = 0.35  # the bands 0–0.3 and 0.4–0.6 leave a gap: it is cut in the middle


def grade(score: float | None) -> str | None:
    """An OKR score's band: 0.7–1 a success, 0.4–0.6 progress, 0–0.3 a failure.

    >>> grade(0.7), grade(0.69), grade(0.3)
    ('0.7–1', '0.4–0.6', '0–0.3')
    """
    if score is None:
        return None
    return "0.7–1" if score >= OKR_SUCCESS else ("0.4–0.6" if score >= OKR_MIDDLE else "0–0.3")


@dataclass(frozen=True)
class KeyResultScore:
    name: str
    metric: str
    platform: str
    start: float | None
    target: float
    current: float | None
    score: float | None
    grade: str | None

    def as_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class OkrScore:
    objective: str
    start: date
    deadline: date
    key_results: list[KeyResultScore]
    score: float | None  # the mean of the key results' scores
    grade: str | None
    success: bool  # score at or above OKR_SUCCESS

    def __repr__(self) -> str:
        score = "–" if self.score is None else f"{self.score:.2f}"
        return f"<OkrScore {self.objective[:40]!r} · {len(self.key_results)} key results · score {score}>"

    def as_json(self) -> dict:
        return asdict(self)


def evaluate_okr(scope: Scope, params: Params, okr: Okr, *, activities=None) -> OkrScore:
    """An OKR's key results scored at the end of the scope's period (a key result on ROI
    needs the activity plan, as in `evaluate`)."""
    month = periods.month_of(scope.period.end)
    results = []
    for kr in okr.key_results:
        current = value(scope.over(month), params, kr.metric, kr.platform, activities=activities)
        start = kr.start
        if start is None:
            before = month_before(okr.start)
            start = value(scope.over(before), params, kr.metric, kr.platform, activities=activities)
        score = okr_score(current, start, kr.target)
        results.append(KeyResultScore(kr.name, kr.metric, kr.platform, start, kr.target, current, score, grade(score)))
    scores = [r.score for r in results if r.score is not None]
    objective = float(np.mean(scores)) if scores else None
    return OkrScore(
        okr.objective,
        okr.start,
        okr.deadline,
        results,
        objective,
        grade(objective),
        objective is not None and objective >= OKR_SUCCESS,
    )
