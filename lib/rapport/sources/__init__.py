"""Adapters that read one export format each into canonical tables.

An adapter is chosen by the file's header and content, never by its name. Each module
offers `detect(header: list[str]) -> bool` and `read(path) -> Parsed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import UserError
from . import canonical

ADAPTERS = [canonical]


class BadFile(UserError):
    """One file that cannot be imported: names file, row, column and why."""


@dataclass
class Parsed:
    format: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # canonical table -> rows

    @property
    def rows(self) -> int:
        return sum(len(frame) for frame in self.tables.values())


def read(path: Path, shown: str) -> Parsed:
    """Parse one export; raise BadFile with a one-line reason."""
    for adapter in ADAPTERS:
        header = adapter.header(path)
        if header is not None and adapter.detect(header):
            return adapter.read(path, shown)
    raise BadFile(f"{shown}: not an export format rapport knows (see README: Supported exports)")
