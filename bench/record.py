"""What every benchmark does with its result: the machine it ran on, a JSON file in
bench/results/, and a row at the top of its table in bench/README.md."""

from __future__ import annotations

import json
import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def machine() -> dict:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
    }


def record(name: str, result: dict, cells: list) -> None:
    """Save `result` as bench/results/<name>.json and add `cells` as the newest row of the
    table under `<!-- name -->` in bench/README.md."""
    results = README.parent / "results"
    results.mkdir(exist_ok=True)
    (results / f"{name}.json").write_text(json.dumps(result, indent=1))
    row = "| " + " | ".join(str(c) for c in cells) + " |"
    text = README.read_text()
    text = re.sub(rf"(<!-- {name} -->\n(?:\|.*\n){{2}})", lambda m: m.group(1) + row + "\n", text, count=1)
    README.write_text(text)
    print(json.dumps(result, indent=1))
