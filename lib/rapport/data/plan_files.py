"""The team's own files: the activity plan (data/<client>/plan.csv) and the problem log
(data/<client>/problems.csv).

Columns are documented in the README. Loading validates every cell and names the file,
row and column of the first problem found.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rapport import paths
from rapport.catalog import PLATFORMS
from rapport.errors import UserError

PLAN_COLUMNS = {
    "id": "text",
    "activity": "text",
    "channel": "text",
    "owner": "text",
    "start": "date",
    "due": "date",
    "done": "date",
    "status": "text",
    "hours_planned": "number",
    "hours_spent": "number",
    "cost_planned": "number",
    "cost_spent": "number",
    "campaign": "text",
}
PLAN_REQUIRED = ("id", "activity", "due")
PLAN_CHOICES = {
    "status": ("not started", "in progress", "done", "cancelled"),
    "channel": PLATFORMS + ("all", "web", "email", "ads", "other"),
}
PROBLEM_COLUMNS = {
    "date": "date",
    "problem": "text",
    "cause": "text",
    "solution": "text",
    "consequence": "text",
    "status": "text",
    "severity": "text",
}
PROBLEM_REQUIRED = ("date", "problem")
PROBLEM_CHOICES = {"status": ("open", "in progress", "solved"), "severity": ("low", "medium", "high")}
# (earlier, later): a row whose later date comes before its earlier one is refused
PLAN_ORDER = (("start", "due"), ("start", "done"))


def load_plan(folder: Path) -> pd.DataFrame:
    """plan.csv as a frame (no file: no activities); UserError with a line per problem."""
    return _load(folder / "plan.csv", Rules(PLAN_COLUMNS, PLAN_REQUIRED, PLAN_CHOICES, PLAN_ORDER))


def load_problems(folder: Path) -> pd.DataFrame:
    """problems.csv as a frame (no file: no problems); UserError with a line per problem."""
    return _load(folder / "problems.csv", Rules(PROBLEM_COLUMNS, PROBLEM_REQUIRED, PROBLEM_CHOICES))


def header_line(columns: dict) -> str:
    return ",".join(columns) + "\n"


@dataclass(frozen=True)
class Rules:
    columns: dict  # name -> text, date or number
    required: tuple
    choices: dict  # name -> the values allowed (compared in lower case)
    order: tuple = ()  # (earlier, later) date columns


def _load(path: Path, rules: Rules) -> pd.DataFrame:
    shown = paths.relative(path)
    if not path.is_file():
        return pd.DataFrame({name: pd.Series(dtype="object") for name in rules.columns})
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise UserError(
            f"{shown}: cannot be read as a UTF-8 CSV ({type(error).__name__}): save it as CSV UTF-8, "
            f"with the header {header_line(rules.columns).strip()}"
        ) from None
    raw.columns = [c.strip() for c in raw.columns]
    unknown = [c for c in raw.columns if c not in rules.columns]
    if unknown:
        raise UserError(
            f"{shown}: unknown column {unknown[0]!r}{_did_you_mean(unknown[0], rules.columns)} "
            f"(columns: {', '.join(rules.columns)})"
        )
    problems: list[tuple[int, str]] = []
    out = pd.DataFrame(index=raw.index)
    for name, kind in rules.columns.items():
        values = raw[name].str.strip() if name in raw else pd.Series("", index=raw.index)
        out[name], found = _column(values, name, kind, rules)
        problems += [(row, f"column {name}: {message}") for row, message in found]
    problems += _out_of_order(out, rules.order)
    if problems:  # row by row, as the user reads the file (a spreadsheet's row 2 is the first)
        raise UserError(
            *[f"{shown}: row {row + 2}: {message}" for row, message in sorted(problems, key=lambda p: p[0])]
        )
    return out


def _column(values: pd.Series, name: str, kind: str, rules: Rules) -> tuple[pd.Series, list[tuple[int, str]]]:
    """One column's values and its problems, (row index, message) each."""
    empty = values == ""
    found = [(int(row), "empty (it is required)") for row in values.index[empty]] if name in rules.required else []
    if kind == "date":
        parsed = pd.to_datetime(values.where(~empty), format="%Y-%m-%d", errors="coerce")
        found += [
            (int(row), f"{values[row]!r} is not a date (write YYYY-MM-DD)")
            for row in values.index[parsed.isna() & ~empty]
        ]
        return parsed.dt.date, found
    if kind == "number":
        parsed = pd.to_numeric(values.where(~empty), errors="coerce")
        found += [
            (int(row), f"{values[row]!r} is not a number (write it like 12.5)")
            for row in values.index[parsed.isna() & ~empty]
        ]
        found += [(int(row), f"{values[row]!r} is negative") for row in values.index[parsed < 0]]
        return parsed, found
    lower = values.where(~empty).str.lower()
    allowed = rules.choices.get(name)
    if allowed:
        found += [
            (int(row), f"{values[row]!r} is not one of {', '.join(allowed)}{_did_you_mean(values[row], allowed)}")
            for row in values.index[~empty & ~lower.isin(allowed)]
        ]
        return lower, found
    return values.where(~empty), found


def _out_of_order(frame: pd.DataFrame, order: tuple) -> list[tuple[int, str]]:
    found = []
    for earlier, later in order:
        both = frame[earlier].notna() & frame[later].notna()
        wrong = both & (frame[later].where(both) < frame[earlier].where(both)).fillna(False)
        found += [
            (int(row), f"{later} {frame.at[row, later]} is before {earlier} {frame.at[row, earlier]}")
            for row in frame.index[wrong]
        ]
    return found


def _did_you_mean(value: str, allowed) -> str:
    close = difflib.get_close_matches(str(value).lower(), list(allowed), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
