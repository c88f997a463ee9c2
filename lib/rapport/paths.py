"""Where things live.

The *project* holds the code and notebooks (this repository). The *workspace* holds
params/, data/ and outputs/; it is the project itself unless RAPPORT_ROOT points
elsewhere (tests and agencies keeping client data apart from the code use that).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import UserError

PROJECT = Path(__file__).resolve().parents[2]
NOTEBOOKS = PROJECT / "notebooks"
TEMPLATES = Path(__file__).resolve().parent / "publish" / "templates"

REPORTS = {
    "audit": "01-audit",
    "goals": "02-goals",
    "monthly": "03-monthly",
    "activity": "04-activity",
    "exceptions": "05-exceptions",
}

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def workspace() -> Path:
    return Path(os.environ.get("RAPPORT_ROOT") or PROJECT).resolve()


def params_dir() -> Path:
    return workspace() / "params"


def params_file(client: str) -> Path:
    return params_dir() / f"{check_slug(client)}.yaml"


def outputs_dir() -> Path:
    return workspace() / "outputs"


def report_dir(client: str, period_label: str) -> Path:
    return outputs_dir() / check_slug(client) / period_label


def notebook_path(report: str) -> Path:
    return NOTEBOOKS / f"{REPORTS[report]}.ipynb"


def check_slug(client: str) -> str:
    """Refuse client names that are not a simple slug (no paths, no surprises)."""
    if not isinstance(client, str) or not _SLUG.match(client):
        raise UserError(
            f"client {client!r} is not a simple name: use lower-case letters, digits, '-' "
            "or '_' (for example CLIENT=acme)"
        )
    return client


def clients() -> list[str]:
    """Every client with a params file, template excluded."""
    folder = params_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml") if _SLUG.match(p.stem) and not p.stem.startswith("_"))


def relative(path: Path) -> str:
    """A path as the user typed it: relative to the workspace where possible."""
    for candidate in (Path(path).absolute(), Path(path).resolve()):  # a link is shown where it lies
        try:
            return str(candidate.relative_to(workspace()))
        except ValueError:
            continue
    return str(path)
