"""The reports in each client language: every visible word from the catalogues, numbers and
dates in the locale's format, and no catalogue key ever shown."""

import json
import re

import pytest
from babel import Locale
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
            reference = EN[key]["other"] if isinstance(EN[key], dict) else EN[key]
            if isinstance(words, dict):  # plural forms: the ones the language's CLDR rules name, no other
                assert words["plural"] == EN[key]["plural"] and words["plural"] in re.findall(r"{(\w+)}", reference)
                assert set(words) - {"plural"} == set(Locale.parse(language).plural_form.tags) | {"other"}, key
            forms = [form for name, form in words.items() if name != "plural"] if isinstance(words, dict) else [words]
            for form in forms:
                assert set(re.findall(r"{(\w+)}", form)) == set(re.findall(r"{(\w+)}", reference)), (language, key)
                assert form.strip() or key == "col.item", (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("number", [0, 1, 2, 5, 21, 1.0, 1.5, 1_000_000])
def test_words_after_a_number_take_the_plural_form_babel_names(language, number):
    """The form chosen is the one CLDR's rules (Babel) give the number; French 0 and 1 are
    singular, English 0 plural, and "1 days late" never reads."""
    from rapport.i18n import text

    expected = Locale.parse(language).plural_form(int(number) if float(number).is_integer() else number)
    forms = CATALOGUES[language]["label.days_late"]
    assert text("label.days_late", language, days=number) == forms.get(expected, forms["other"]).format(days=number)
    assert (
        text("label.days_late", "en", days=1) == "1 day late"
        and text("label.days_late", "fr", days=0) == "0 jour de retard"
    )
    assert text("label.days_late", "en", days=0) == "0 days late"


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
