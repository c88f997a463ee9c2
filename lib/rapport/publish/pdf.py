"""Headless Chromium (Debian's, as the tests use): the stakeholder pages printed to PDF with
the page's own print style (no table of contents, no scroll areas), A4, backgrounds kept, each
PDF written beside its HTML through a temporary file; and an SVG logo drawn as a PNG for the
slides (python-pptx places only bitmaps)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from rapport import paths
from rapport.errors import UserError
from rapport.files import atomic_write

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def _page() -> Iterator:
    """A Chromium page that may fetch nothing from another host."""
    if not CHROMIUM.is_file():
        raise UserError(
            f"PDFs and slides need Chromium at {CHROMIUM}: run `make chromium` (or: sudo apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            # a report never needs another host; nothing may be fetched while printing either
            page.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort(),
            )
            yield page
        finally:
            browser.close()


def print_pages(pages: list[Path]) -> list[Path]:
    """Print each HTML page to <page>.pdf; return the PDFs written."""
    written = []
    with _page() as page:
        for html in pages:
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            pdf = page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=False,
                margin={"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"},
            )
            target = html.with_suffix(".pdf")
            atomic_write(target, pdf)
            written.append(target)
    return written


@lru_cache(maxsize=4)  # one drawing per logo in a run, though two messages or five decks show it
def logo_bitmap(logo: Path | None) -> tuple[bytes, str] | None:
    """The brand logo as a bitmap and its MIME type, for the slides (python-pptx places only
    bitmaps) and the e-mail (mail programs do not show SVG): a PNG or JPEG as it is, an SVG
    drawn by Chromium."""
    if logo is None or not logo.is_file():
        return None
    if logo.suffix.lower() == ".svg":
        return png_of(logo), "image/png"
    return logo.read_bytes(), "image/jpeg" if logo.suffix.lower() in (".jpg", ".jpeg") else "image/png"


def png_of(svg: Path, height: int = 240) -> bytes:
    """An SVG image drawn `height` pixels high on a transparent background, as a PNG."""
    with _page() as page:
        page.goto(svg.resolve().as_uri(), wait_until="load")
        size = page.evaluate(
            "() => { const r = document.documentElement.getBoundingClientRect(); return [r.width, r.height]; }"
        )
        scale = height / size[1] if size[1] else 1
        page.set_viewport_size({"width": max(1, round(size[0] * scale)), "height": height})
        page.evaluate(
            f"() => {{ const s = document.documentElement; s.setAttribute('width', '{round(size[0] * scale)}');"
            f" s.setAttribute('height', '{height}'); }}"
        )
        return page.screenshot(omit_background=True)


def report_pages(client: str, labels: list[str], period: str = "", doing: str = "print") -> list[Path]:
    """The HTML reports of a client in the given output folders (a month and the activity
    report's last day), for printing or `doing` something else with them."""
    found, labels = [], list(dict.fromkeys(labels))
    for label in labels:
        found += [page for page in sorted(paths.report_dir(client, label).glob("*.html")) if page.stem in paths.REPORTS]
    if not found:
        where = ", ".join(paths.relative(paths.report_dir(client, label)) for label in labels)
        raise UserError(
            f"no reports to {doing} in {where}: build them first with "
            f"make report CLIENT={client}{f' PERIOD={period}' if period else ''}"
        )
    return found
