"""The team's own files: the activity plan (data/<client>/plan.csv) and the problem log
(data/<client>/problems.csv).

Columns are documented in the README. Loading validates every cell and names the file,
row and column of the first problem found.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rapport import paths
from rapport.errors import UserError

PLAN_COLUMNS = {
    "id": "text", "activity": "text", "channel": "text", "owner": "text", "start": "date", "due": "date",
    "done": "date", "status": "text", "hours_planned": "number", "hours_spent": "number",
    "cost_planned": "number", "cost_spent": "number", "campaign": "text",
}
PLAN_REQUIRED = ("id", "activity", "due")
PLAN_STATUSES = ("not started", "in progress", "done", "cancelled")
PROBLEM_COLUMNS = {
    "date": "date", "problem": "text", "cause": "text", "solution": "text", "consequence": "text",
    "status": "text", "severity": "text",
}
PROBLEM_REQUIRED = ("date", "problem")
SEVERITIES = ("low", "medium", "high")


def load_plan(folder: Path) -> pd.DataFrame:
    frame = _load(folder / "plan.csv", PLAN_COLUMNS, PLAN_REQUIRED)
    _choice(frame, folder / "plan.csv", "status", PLAN_STATUSES)
    return frame


def load_problems(folder: Path) -> pd.DataFrame:
    frame = _load(folder / "problems.csv", PROBLEM_COLUMNS, PROBLEM_REQUIRED)
    _choice(frame, folder / "problems.csv", "severity", SEVERITIES)
    return frame


def header_line(columns: dict) -> str:
    return ",".join(columns) + "\n"


def _load(path: Path, columns: dict, required: tuple) -> pd.DataFrame:
    shown = paths.relative(path)
    if not path.is_file():
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw.columns = [c.strip() for c in raw.columns]
    unknown = [c for c in raw.columns if c not in columns]
    if unknown:
        raise UserError(f"{shown}: unknown column {unknown[0]!r} (columns: {', '.join(columns)})")
    out = pd.DataFrame(index=raw.index)
    for name, kind in columns.items():
        values = raw[name].str.strip() if name in raw else pd.Series("", index=raw.index)
        empty = values == ""
        if name in required and empty.any():
            raise UserError(f"{shown}: row {int(empty.idxmax()) + 2}: column {name}: empty (it is required)")
        if kind == "date":
            parsed = pd.to_datetime(values.where(~empty), format="%Y-%m-%d", errors="coerce")
            bad = parsed.isna() & ~empty
            parsed = parsed.dt.date
        elif kind == "number":
            parsed = pd.to_numeric(values.where(~empty), errors="coerce")
            bad = parsed.isna() & ~empty
        else:
            parsed, bad = values.where(~empty), pd.Series(False, index=raw.index)
        if bad.any():
            row = int(bad.idxmax())
            expected = "a date (YYYY-MM-DD)" if kind == "date" else "a number"
            raise UserError(f"{shown}: row {row + 2}: column {name}: {values[row]!r} is not {expected}")
        out[name] = parsed
    return out


def _choice(frame: pd.DataFrame, path: Path, column: str, allowed: tuple) -> None:
    values = frame[column].dropna().str.lower()
    bad = values[~values.isin(allowed)]
    if len(bad):
        raise UserError(f"{paths.relative(path)}: row {int(bad.index[0]) + 2}: column {column}: {bad.iloc[0]!r} "
                        f"is not one of {', '.join(allowed)}")
    frame[column] = frame[column].str.lower()
