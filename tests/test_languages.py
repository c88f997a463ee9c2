"""The reports in each client language: every visible word from the catalogues, numbers and
dates in the locale's format, and no catalogue key ever shown."""

import json
import re

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal

from rapport.i18n import CATALOGUES, EN, LANGUAGES

import pages

KEY = pages.KEY
LOCALE = {"sv": "sv_SE", "fr": "fr_FR", "bg": "bg_BG"}


def test_every_catalogue_has_the_reference_keys_and_placeholders():
    for language in LANGUAGES:
        catalogue = CATALOGUES[language]
        assert set(catalogue) == set(EN), language
        for key, words in catalogue.items():
            assert set(re.findall(r"{(\w+)}", words)) == set(re.findall(r"{(\w+)}", EN[key])), (language, key)
            assert words.strip() or key == "col.item", (language, key)


@pytest.mark.parametrize("language", list(LOCALE))
def test_reports_speak_the_clients_language(translated, language):
    root, month = translated
    folder = root / "outputs" / f"demo-{language}" / month
    words = CATALOGUES[language]
    html = (folder / "monthly.html").read_text()
    for page in (root / "outputs" / f"demo-{language}").glob("*/*.html"):
        visible = re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", page.read_text(), flags=re.S))
        assert not KEY.search(visible), (page.name, KEY.search(visible))
        assert f'<html lang="{language}">' in page.read_text()
    for key in (
        "report.monthly",
        "section.summary",
        "section.decisions",
        "section.channels",
        "section.goals",
        "section.resources",
        "section.exceptions",
        "label.definitions",
        "formula.engagement_rate",
        "platform.all",
    ):
        assert words[key] in html.replace("&#x27;", "'").replace("&#39;", "'"), key
    first_day = json.loads((folder / "monthly.json").read_text())["period"]["start"]
    from datetime import date

    assert format_date(date.fromisoformat(first_day), "LLLL y", locale=LOCALE[language]).capitalize() in html
    figures = json.loads((folder / "monthly.json").read_text())["kpis"]["all"]
    tile = pages.read(html).tiles["impressions"]
    assert tile == format_decimal(figures["impressions"], "#,##0", locale=LOCALE[language])
    goals = (folder / "goals.html").read_text()
    assert words["smart.measured"] in goals and words["achievability.realistic"] in goals
    activity = (root / "outputs" / f"demo-{language}").glob("*/activity.html")
    assert any(words["col.published"] in p.read_text() for p in activity)
