"""The reader's Formatter: numbers, money, dates and sentences in each client language, with
Babel as the oracle (the locale's own separators, minus, percent and currency patterns),
and the same text wherever a figure shows (a table cell, the money table, a chart)."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent, get_minus_sign_symbol

from rapport import periods
from rapport.present.charts import Charts
from rapport.present.format import DASH, LOCALES, Formatter
from rapport.present.html import Html, tile_values

LANGUAGES = ["en", "sv", "fr", "bg"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_use_the_locales_separators_and_minus(language):
    """Babel's formatters are the oracle, with the locale's own minus sign from Babel's data
    (sv: U+2212; Babel's patterns write a hyphen for every locale)."""
    fmt, locale = Formatter(language), LOCALES[language]
    minus = get_minus_sign_symbol(locale)

    def signed(shown: str) -> str:
        return shown.replace("-", minus, 1)

    assert fmt.metric(-12345, "follower_growth") == signed(format_decimal(-12345, locale=locale))  # fr: narrow space
    assert fmt.metric(1234.5, "posts_per_week") == format_decimal(1234.5, locale=locale)
    assert fmt.metric(-0.048, "engagement_rate") == signed(
        format_percent(-0.048, locale=locale, decimal_quantization=False)
    )
    assert fmt.change(-0.125, "impressions") == signed(
        format_percent(-0.125, locale=locale, decimal_quantization=False)
    )
    assert fmt.change(0.125, "impressions") == "+" + format_percent(0.125, locale=locale, decimal_quantization=False)
    assert fmt.change(-1.5, "engagement_rate") == signed(format_decimal(-1.5, locale=locale)) + "\u00a0" + fmt.word(
        "label.pp"
    )
    assert fmt.cell(1234567, "int") == format_decimal(1234567, locale=locale)
    assert (minus == "\u2212") == (language == "sv")


def test_a_rate_has_one_decimal_and_a_missing_value_a_dash():
    en = Formatter("en")
    assert en.metric(0.04749, "engagement_rate") == "4.7%"
    assert en.metric(12.25, "cpc") == "12.25" and en.metric(3.25, "posts_per_week") == "3.2"
    assert en.metric(None, "impressions") == en.change(None, "impressions") == DASH
    assert en.cell(None, "int") == en.cell(float("nan"), "rate") == en.cell(pd.NaT, "date") == DASH


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_is_formatted_one_way_everywhere(language):
    fmt = Formatter(language, "SEK")
    expected = format_currency(-1234.5, "SEK", locale=LOCALES[language]).replace(
        "-", get_minus_sign_symbol(LOCALES[language])
    )
    assert fmt.money(-1234.5) == fmt.cell(-1234.5, "money") == expected
    assert fmt.money(None) == fmt.money(float("nan")) == DASH
    html = Html(fmt)
    resources = dict(
        hours_spent=1,
        hours_planned=2,
        hours_budget=3,
        money_spent=-1234.5,
        cost_planned=None,
        money_budget=None,
        ad_spend=None,
    )
    money = html.money_table(resources, dict(value=-1234.5, cost=None, roi=None))
    plan = html.rows_table([{"money_spent": -1234.5}], [("money_spent", "col.money_spent", "money")])
    assert money.count(f"<td>{expected}</td>") == 2 and f'data-field="money_spent">{expected}</td>' in plan


def test_dates_and_periods_in_the_language():
    sv = Formatter("sv")
    october = periods.for_report("monthly", "2026-10")
    assert sv.period(october) == "Oktober 2026"
    fortnight = periods.for_report("activity", "2026-10-18")
    assert sv.period(fortnight) == (
        f"{format_date(date(2026, 10, 5), 'medium', locale='sv_SE')} – "
        f"{format_date(date(2026, 10, 18), 'medium', locale='sv_SE')}"
    )
    assert Formatter("fr").cell(datetime(2026, 10, 5, 7, 30, tzinfo=UTC), "datetime") == "5 oct. 07:30"
    assert Formatter("en").weekdays()[0] == "Mon" and Formatter("bg").weekdays()[6] == "Нд"


def test_sentences_name_codes_and_format_values():
    en, fr = Formatter("en"), Formatter("fr")
    rate = {"key": "summary.engagement_rate", "values": {"rate": 0.04, "change_pp": -1.0}}
    assert fr.sentence(rate) == fr.word(
        "summary.engagement_rate", rate="4,0\u00a0%", change_pp="-1,0\u00a0" + fr.word("label.pp")
    )
    smart = {
        "key": "smart.achievable",
        "values": {"verdict": "stretch", "change_month": 0.071, "hits": 6, "months": 17},
    }
    assert en.sentence(smart) == "Stretch: needs +7.1% a month; the account managed that in 6 of its last 17 months"
    one = {"key": "pace.needed", "values": {"change_month": 0.05, "deadline": "2026-12-31", "hits": 0, "months": 1}}
    assert fr.sentence(one) == (
        "Il faut +5,0\u00a0% par mois jusqu’au 31 déc. 2026 ; le compte y est parvenu 0 fois sur son dernier 1 mois."
    )
    dates = {"key": "smart.time_bound", "values": {"start": "2026-01-01", "deadline": "2026-12-31"}}
    assert en.sentence(dates) == "1 Jan 2026 to 31 Dec 2026"
    assert en.sentence(
        {"key": "swot.best_channel", "values": {"platform": "my_forum", "rate": None, "overall": 0.05}}
    ) == en.word("swot.best_channel", platform="my_forum", rate=DASH, overall="5.0%")
    assert en.sentence({"text": "Holiday gifts"}) == "Holiday gifts"


def test_cells_name_known_codes_and_shorten_long_texts():
    en = Formatter("en")
    assert en.cell("linkedin", "platform") == "LinkedIn" and en.cell("podcast", "format") == "podcast"
    shown = en.cell("word " * 40, "excerpt")
    assert len(shown) == 90 and shown.endswith("…")
    assert en.cell("short", "excerpt") == "short"


def test_charts_and_tables_show_a_figure_the_same_way():
    fmt = Formatter("sv")
    kpis = pd.DataFrame({"engagement_rate": [0.0512, 0.03, 0.04]}, index=["instagram", "x", "all"])
    fig = Charts(fmt).by_platform(kpis, "engagement_rate")
    assert [t.get_text() for t in fig.axes[0].texts] == [
        fmt.metric(0.0512, "engagement_rate"),
        fmt.metric(0.03, "engagement_rate"),
    ]
    assert f">{fmt.metric(0.0512, 'engagement_rate')}</td>" in Html(fmt).kpi_table(kpis, ["engagement_rate"])


def test_a_change_that_rounds_to_nothing_reads_zero_and_flat():
    """−0.03 pp is shown 0.0 pp, not −0.0 pp under a red arrow; the same for a percent."""
    en = Formatter("en")
    assert (
        en.points(-0.026) == "0.0\u00a0pp" and en.points(-0.05) == "0.0\u00a0pp" and en.points(-0.07) == "-0.1\u00a0pp"
    )
    assert en.percent(-0.0004, sign=True) == "0.0%" and en.percent(0.0006, sign=True) == "+0.1%"
    tiles = tile_values(
        {"engagement_rate": 0.0500, "impressions": 1000},
        {"engagement_rate": 0.05026, "impressions": 1000.4},
        ["engagement_rate", "impressions"],
    )
    assert [t["trend"] for t in tiles] == ["flat", "flat"]
    assert tile_values({"impressions": 1000}, {"impressions": 998}, ["impressions"])[0]["trend"] == "up"
