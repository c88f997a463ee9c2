"""SMART goals as the params state them, with the current value from the warehouse.

The goals issue adds baselines, progress, status, forecasts and achievability; this
module is where they go.
"""

from __future__ import annotations

import pandas as pd

from .config import Goal


def overview(goals: list[Goal], kpis: pd.DataFrame) -> list[dict]:
    """One record per goal: what it asks for and the metric's value in the period (None when
    the metric is not among the KPIs computed or the platform has no data)."""
    rows = []
    for goal in goals:
        current = None
        if goal.platform in kpis.index and goal.metric in kpis.columns:
            current = kpis.at[goal.platform, goal.metric]
        rows.append(dict(id=goal.id, name=goal.name, type=goal.type, metric=goal.metric, platform=goal.platform,
                         target=goal.target, target_change_pct=goal.target_change_pct,
                         start=goal.start, deadline=goal.deadline, current=current))
    return rows
