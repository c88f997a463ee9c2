"""The demo client: a fictional Stockholm roastery, 18 months of data.

`write(folder, end)` writes what a consultant would have after 18 monthly downloads: every
month each platform's export of the last three months, in its own format (rapport.demo.exports),
so windows overlap and lifetime post metrics are still growing in the earlier downloads;
plus an activity plan and a problem log. `model(end)` (rapport.demo.truth) is the truth the
exports show, for tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rapport import periods

from . import exports
from .truth import BRAND, COMPETITORS, MARKER, TIMEZONE, Model, model

__all__ = ["BRAND", "COMPETITORS", "TIMEZONE", "Model", "is_current", "model", "write"]


def write(folder: Path, end: periods.Period | None = None) -> periods.Period:
    """(Re)write the demo client's data into `folder`, the exports in each platform's own
    format; return the last month covered."""
    end = end or periods.last_complete_month(TIMEZONE)
    truth = model(end)
    if folder.exists():
        shutil.rmtree(folder)
    for month, start in truth.downloads():
        exports.download(truth, folder / "raw" / month.label, start, month.end)
    truth.plan.to_csv(folder / "plan.csv", index=False)
    truth.problems.to_csv(folder / "problems.csv", index=False)
    (folder / MARKER).write_text(end.label + "\n")
    return end


def is_current(folder: Path, end: periods.Period) -> bool:
    marker = folder / MARKER
    return marker.is_file() and marker.read_text().strip() >= end.label
