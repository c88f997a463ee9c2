"""outputs/index.html: every client and period, a link to each report, when it last ran
(the page: templates/outputs-index.html.j2)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rapport import paths
from rapport.files import atomic_write
from rapport.i18n import text

from .pages import template

ORDER = list(paths.REPORTS)
PAGE = template("outputs-index.html.j2")


def write() -> str:
    """Rewrite outputs/index.html from the reports on disk; returns the page."""
    root = paths.outputs_dir()
    clients = [dict(name=folder.name, periods=rows) for folder in _folders(root) if (rows := _periods(folder, root))]
    page = PAGE.render(clients=clients)
    atomic_write(root / "index.html", page)
    return page


def _folders(folder: Path, newest_first: bool = False) -> list[Path]:
    return sorted((p for p in folder.iterdir() if p.is_dir()), reverse=newest_first) if folder.is_dir() else []


def _periods(client: Path, root: Path) -> list[dict]:
    """A client's periods with reports, newest first: the reports in pipeline order."""
    rows = []
    for folder in _folders(client, newest_first=True):
        pages = sorted(folder.glob("*.html"), key=lambda p: ORDER.index(p.stem) if p.stem in ORDER else 99)
        if pages:
            latest = datetime.fromtimestamp(max(p.stat().st_mtime for p in pages), UTC)
            rows.append(
                dict(
                    name=folder.name,
                    reports=[_report(p, root) for p in pages],
                    last_run=latest.strftime("%Y-%m-%d %H:%M UTC"),
                )
            )
    return rows


def _report(page: Path, root: Path) -> dict:
    pdf = page.with_suffix(".pdf")
    return dict(
        href=page.relative_to(root).as_posix(),
        title=text("report." + page.stem) if page.stem in ORDER else page.stem,
        pdf=pdf.relative_to(root).as_posix() if pdf.is_file() else None,
    )
