"""Each report, in each language, opened in Debian's headless Chromium, offline, on a
desktop and a phone: nothing fetched from another host, no console error, no broken image,
no code, no catalogue key, the tiles and KPI tables showing the JSON's numbers. Screenshots
go to test-artifacts/screenshots/<language>/ (CI keeps the folder as an artefact)."""

import json

import pytest
from babel.numbers import parse_decimal
from playwright.sync_api import sync_playwright

from rapport.analysis.metrics import change
from rapport.catalog import METRICS

import pages
from conftest import LANGUAGES, PROJECT, REPORTS, language_outputs

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = PROJECT / "test-artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCALES = {"en": "en_GB", "sv": "sv_SE", "fr": "fr_FR", "bg": "bg_BG"}
FIGURES = {"audit": "baseline", "goals": "kpis", "monthly": "kpis", "activity": "kpis", "exceptions": "kpis"}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def open_offline(browser, page_file, width):
    """The page in a fresh context where every request but the file itself is refused."""
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
    page.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
    page.goto(page_file.as_uri(), wait_until="load")
    return context, page, blocked, errors


def shown_number(text: str, metric: str, language: str):
    """A displayed figure read back as a number (Babel's parser for the locale)."""
    if text.strip() == "–":
        return None
    digits = text.replace("%", "").replace("\u202f", "").replace("\u00a0", "").replace(" ", "").strip()
    value = float(parse_decimal(digits, locale=LOCALES[language], strict=False))
    return value / 100 if METRICS[metric].kind == "rate" else value


def shown_change(text: str, language: str):
    """A tile's change read back: "▲ +4.8% " → 0.048, "▼ −0.6 pp" → -0.6 (points: the number
    before the unit); "–" or words ("first period in the data") → None."""
    words = text.strip().lstrip("▲▼■").strip().replace("\u2212", "-").replace("+", "")
    if not any(c.isdigit() for c in words):
        return None
    if "%" in words:
        return shown_number(words.replace("%", ""), "posts", language) / 100
    return shown_number(words.split("\u00a0")[0], "posts", language)


def close_to(shown, value, metric):
    """The JSON value rounded as the page rounds it: one decimal of a percent, whole counts."""
    if value is None or shown is None:
        return shown is value is None
    kind = METRICS[metric].kind
    tolerance = 0.0005 if kind == "rate" else (0.05 if kind == "average" else (0.005 if kind == "money" else 0.5))
    return abs(shown - value) <= tolerance


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_report_in_the_browser(browser, translated, language, report, width):
    root, month = translated
    stem = language_outputs(root, month, language)[report]
    context, page, blocked, errors = open_offline(browser, stem.with_suffix(".html"), width)
    assert blocked == []
    assert errors == []
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
    assert images and all(complete and natural > 0 for complete, natural in images)
    assert page.locator("h1").first.inner_text() != ""
    assert page.locator(".jp-InputArea, .jp-InputPrompt, .jp-Widget, .widget-area").count() == 0
    text = page.inner_text("body")
    assert not pages.KEY.search(text), pages.KEY.search(text)
    assert "import rapport" not in text and "Traceback" not in text
    # every section is in the table of contents, every footnote number leads to a definition
    sections = page.eval_on_selector_all("h2[id]", "els => els.map(e => e.id)")
    assert page.eval_on_selector_all(".rapport-toc a", "els => els.map(e => e.hash.slice(1))") == sections
    notes = page.eval_on_selector_all("sup.rapport-fn a", "els => els.map(e => e.hash.slice(1))")
    assert notes and all(page.locator(f"li#{n}").count() == 1 for n in notes)
    # the numbers shown are the JSON's
    figures = json.loads(stem.with_suffix(".json").read_text())[FIGURES[report]]
    tiles = page.eval_on_selector_all(
        ".rapport-tile[data-metric]",
        """els => els.map(e =>
        [e.dataset.metric, e.querySelector('.rapport-tile-value').innerText])""",
    )
    cells = page.eval_on_selector_all(
        "tr[data-platform] td[data-metric]",
        """els => els.map(e =>
        [e.closest('tr').dataset.platform, e.dataset.metric, e.firstChild ? e.firstChild.textContent : '',
         e.querySelector('.rapport-yoy') ? e.querySelector('.rapport-yoy').innerText : null])""",
    )
    assert tiles and bool(cells) == (report != "activity")  # every report opens with tiles
    for metric, shown in tiles:
        assert close_to(shown_number(shown, metric, language), figures["all"][metric], metric), (metric, shown)
    # each tile's change as shown: the JSON's figure against the previous period's (% or pp)
    document = json.loads(stem.with_suffix(".json").read_text())
    changes = page.eval_on_selector_all(
        ".rapport-tile[data-metric] .rapport-tile-change:not(.rapport-tile-year)",
        "els => els.map(e => [e.closest('.rapport-tile').dataset.metric, e.firstChild.textContent])",
    )
    for metric, shown in changes:
        kind = METRICS[metric].kind
        expected = change(figures["all"][metric], document["previous"]["all"].get(metric), kind)
        rounding = 0.05 if kind == "rate" else 0.0005  # shown: one decimal of a point, of a percent
        assert shown_change(shown, language) == (None if expected is None else pytest.approx(expected, abs=rounding))
    for platform, metric, shown, _ in cells:
        assert close_to(shown_number(shown, metric, language), figures[platform][metric], metric), (platform, metric)
    # each goal's progress and time elapsed as shown: the JSON's
    progress = page.eval_on_selector_all(
        "tr[data-goal] td[data-field=progress]",
        "els => els.map(e => [e.closest('tr').dataset.goal, e.firstChild.textContent])",
    )
    assert bool(progress) == (report in ("goals", "monthly"))
    goals = {g["id"]: g for g in document.get("goals", [])}
    for goal, shown in progress:
        done, elapsed = (shown_change(part, language) for part in shown.split(" / "))
        assert done == pytest.approx(goals[goal]["progress"], abs=0.0005), goal
        assert elapsed == pytest.approx(goals[goal]["expected_progress"], abs=0.0005), goal
    # the demo reaches a year back: under each figure of the monthly's, audit's and exceptions'
    # tables, its change against the same period a year before
    assert (bool(cells) and all(yearly for *_, yearly in cells)) == (report in ("audit", "monthly", "exceptions"))
    # on a phone nothing but the tables' own scroll areas may be wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    if width == 1280:
        read_in_two_minutes(page, report, stem.with_suffix(".html").read_text())
    (SCREENSHOTS / language).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / language / f"{report}-{width}.png"), full_page=True)
    context.close()


SCREENS = {"monthly": 8, "activity": 4}  # a manager's and a team's reading, in screens of 1280 × 800


def read_in_two_minutes(page, report: str, html: str) -> None:
    """On a desktop: no table scrolls sideways; the management and team reports fit their
    screens; the summary (tiles and sentences) is on the first screen; the page weighs at
    most 150 KB apart from its embedded images."""
    sideways = page.eval_on_selector_all(
        ".rapport-table-wrap",
        "els => els.filter(e => e.scrollWidth > e.clientWidth).map(e => e.innerText.slice(0, 60))",
    )
    assert sideways == []
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= SCREENS.get(report, 99) * 800, (report, height)
    if report in SCREENS:  # the summary: the first tiles (and the monthly's sentences) on the first screen
        first = ["div.rapport-tiles"] + (["ul.rapport-summary"] if report == "monthly" else [])
        bottoms = [page.locator(selector).first.bounding_box() for selector in first]
        assert all(box is not None and box["y"] + box["height"] <= 800 for box in bottoms), bottoms
    images = sum(len(src) for src in page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('src'))"))
    assert len(html.encode()) - images <= 150_000, len(html.encode()) - images


@pytest.mark.parametrize("report", REPORTS)
def test_text_from_data_and_params_cannot_inject_markup_or_script(browser, hostile_reports, report):
    root, month = hostile_reports
    stem = {r: p for r, p in language_outputs(root, month, "en").items()}[report]
    page_file = stem.parent.parent.parent / "hostile" / stem.parent.name / stem.with_suffix(".html").name
    context, page, blocked, errors = open_offline(browser, page_file, 1280)
    assert errors == [] and blocked == []
    assert page.evaluate("window.injected") is None
    assert page.locator("#injected").count() == 0
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    text = page.inner_text("body")
    assert "<script>window.injected=1</script>" in text  # shown as the words they are
    context.close()


def test_the_team_variant_of_the_monthly_report_is_short(hostile_reports, demo_reports):
    root, month = hostile_reports
    team = (root / "outputs" / "hostile" / month / "monthly.html").read_text()
    management = (root / "outputs" / "demo" / month / "monthly.html").read_text()
    for section in ("summary", "decisions", "channels", "schedule", "problems", "exceptions"):
        assert f'<h2 id="{section}">' in team and f'<h2 id="{section}">' in management
    for section in ("goals", "okrs", "growth", "resources"):
        assert f'<h2 id="{section}">' not in team and f'<h2 id="{section}">' in management
    assert len(team) < len(management)


def test_pdf_prints_each_report_of_the_period(demo_reports):
    import re

    from conftest import outputs, rapport

    root, _, month = demo_reports
    result = rapport("pdf", "demo", "--period", month, root=root, check=True)
    for report, stem in outputs(root, month).items():
        pdf = stem.with_suffix(".pdf").read_bytes()
        assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 1, report
        assert str(stem.with_suffix(".pdf").relative_to(root)) in result.stdout
        assert (
            f'href="{stem.with_suffix(".pdf").relative_to(root / "outputs")}"'
            in (root / "outputs" / "index.html").read_text()
        )
    missing = rapport("pdf", "demo", "--period", "2001-01", root=root)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr.strip().splitlines() == [
        "rapport: no reports to print in outputs/demo/2001-01, outputs/demo/2001-01-31: "
        "build them first with make report CLIENT=demo PERIOD=2001-01"
    ]
