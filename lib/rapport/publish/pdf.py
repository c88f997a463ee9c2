"""The stakeholder pages printed to PDF by headless Chromium (Debian's, as the tests use):
the page's own print style (no table of contents, no scroll areas), A4, backgrounds kept.
Each PDF is written beside its HTML, through a temporary file."""

from __future__ import annotations

from pathlib import Path

from rapport import paths
from rapport.errors import UserError
from rapport.files import atomic_write

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def print_pages(pages: list[Path]) -> list[Path]:
    """Print each HTML page to <page>.pdf; return the PDFs written."""
    if not CHROMIUM.is_file():
        raise UserError(f"printing to PDF needs Chromium at {CHROMIUM}: run `make chromium` "
                        "(or: sudo apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            # a report never needs another host; nothing may be fetched while printing either
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                       else route.abort())
            for html in pages:
                page.goto(html.resolve().as_uri(), wait_until="load")
                page.emulate_media(media="print")
                pdf = page.pdf(format="A4", print_background=True, display_header_footer=False,
                               margin={"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"})
                target = html.with_suffix(".pdf")
                atomic_write(target, pdf)
                written.append(target)
        finally:
            browser.close()
    return written


def report_pages(client: str, labels: list[str], period: str = "") -> list[Path]:
    """The HTML reports of a client in the given output folders (a month and the activity
    report's last day)."""
    found, labels = [], list(dict.fromkeys(labels))
    for label in labels:
        found += sorted(paths.report_dir(client, label).glob("*.html"))
    if not found:
        where = ", ".join(paths.relative(paths.report_dir(client, label)) for label in labels)
        raise UserError(f"no reports to print in {where}: build them first with "
                        f"make report CLIENT={client}{f' PERIOD={period}' if period else ''}")
    return found
