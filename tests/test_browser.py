"""Each report opened in Debian's headless Chromium, offline, on a desktop and a phone."""


import pytest
from playwright.sync_api import sync_playwright

from conftest import PROJECT, REPORTS, outputs

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = PROJECT / "test-artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("report", REPORTS)
def test_report_opens_offline_without_errors(browser, demo_reports, report, width):
    root, _, month = demo_reports
    page_file = outputs(root, month)[report].with_suffix(".html")
    context = browser.new_context(viewport={"width": width, "height": 900})
    blocked, errors = [], []

    def only_this_file(route):
        url = route.request.url
        if url.startswith("data:") or url == page_file.as_uri():
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", only_this_file)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri(), wait_until="load")
    assert blocked == []
    assert errors == []
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
    assert images and all(complete and natural > 0 for complete, natural in images)
    assert page.locator("h1").first.inner_text() != ""
    assert page.locator(".jp-InputArea, .jp-InputPrompt").count() == 0
    # on a phone nothing but the tables' own scroll areas may be wider than the screen
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{report}-{width}.png"), full_page=True)
    context.close()
