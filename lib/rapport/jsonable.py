"""Figures as plain values: the one place that turns what the analysis computes (numpy and
pandas scalars, NaN, NA and NaT, dates, frames, typed results) into what JSON and the
catalogue's sentences hold. Missing is None, never 0 and never NaN."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def missing(value: Any) -> bool:
    """None, NaN, NA and NaT are missing; so is nothing else (0 is a value)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is not a missing scalar
        return False


def scalar(value: Any) -> Any:
    """A numpy or pandas scalar as Python's own (int, float, bool, str); missing as None."""
    if missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def number(value: Any, whole: bool | None = None) -> int | float | None:
    """A figure as int or float: `whole=True` for counts, False for rates and money, None to
    keep whole numbers whole (12.0 → 12) and the rest as floats."""
    if missing(value):
        return None
    if whole is None:
        whole = float(value).is_integer()
    return int(value) if whole else float(value)


def values(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame's cells as Python's own values (Int64 → int, Float64 → float), missing as None:
    what sentences, tables and the JSON take from the analysts' typed frames."""
    return frame.astype(object).where(frame.notna(), None)


def rows(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as dicts, missing values as None (tables in the JSON)."""
    return values(frame).to_dict("records")


def by_index(frame: pd.DataFrame) -> dict:
    """A frame keyed by its index, e.g. KPIs as {platform: {metric: value}}, plain values."""
    return {key: dict(row.items()) for key, row in values(frame).iterrows()}


def plain(value: Any) -> Any:
    """Any figure as JSON: typed results through their `as_json()`, a frame keyed by a named
    index (KPIs by platform) as `by_index`, any other frame as `rows`, mappings and sequences
    element by element, dates as ISO text, NaN as None."""
    if hasattr(value, "as_json"):
        return plain(value.as_json())
    if isinstance(value, pd.DataFrame):
        return plain(by_index(value) if value.index.name else rows(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value) or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
