"""Charts an analyst and a stakeholder can read: one colour per platform in every chart, the
legend in the catalogue's order, rate axes in percent, date labels that never touch."""

from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from babel.numbers import parse_decimal
from matplotlib.colors import to_hex

from rapport.catalog import PLATFORM_COLOURS, PLATFORMS
from rapport.present.charts import Charts, overlapping
from rapport.present.format import Formatter

LANGUAGES = ("en", "sv", "fr", "bg")


def series(platforms, start: date, days: int, step: int = 1, metric: str = "engagement_rate") -> pd.DataFrame:
    rows = [
        {"platform": p, "date": start + timedelta(days=d), metric: 0.03 + 0.01 * i + d / 10_000}
        for i, p in enumerate(platforms)
        for d in range(0, days, step)
    ]
    return pd.DataFrame(rows)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_every_platform_keeps_its_colour_and_the_legend_follows_the_catalogue():
    charts = Charts(Formatter("en"))
    shuffled = ["tiktok", "facebook", "youtube", "instagram"]  # the data's order must not matter
    for fig in (
        charts.daily(series(shuffled, date(2026, 10, 1), 31), "engagement_rate"),
        charts.daily(series(shuffled[1:3], date(2026, 10, 1), 31), "engagement_rate"),
        charts.followers(
            series(shuffled, date(2025, 5, 31), 540, 30, "followers").rename(columns={"date": "month_end"})
        ),
    ):
        lines = fig.axes[0].lines
        names = [line.get_label() for line in lines]
        expected = [p for p in PLATFORMS if Formatter("en").word("platform." + p) in names]
        assert names == [Formatter("en").word("platform." + p) for p in expected]
        assert [to_hex(line.get_color()) for line in lines] == [PLATFORM_COLOURS[p] for p in expected]
        assert [t.get_text() for t in fig.legends[0].get_texts()] == names
    kpis = pd.DataFrame(
        {"engagements": [5, 9, 7, 16]}, index=pd.Index(["tiktok", "facebook", "instagram", "all"], name="platform")
    )
    bars = charts.by_platform(kpis, "engagements").axes[0]
    assert [t.get_text() for t in bars.get_yticklabels()] == ["Facebook", "Instagram", "TikTok"]
    assert [to_hex(b.get_facecolor()) for b in bars.patches] == [
        PLATFORM_COLOURS[p] for p in PLATFORMS if p in kpis.index
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_rate_axes_read_in_percent_with_distinct_ticks(language):
    fmt = Formatter(language)
    fig = Charts(fmt).daily(series(["facebook", "instagram"], date(2026, 10, 1), 31), "engagement_rate")
    ax = fig.axes[0]
    fig.canvas.draw()
    low, high = ax.get_ylim()
    ticks = [(loc, label.get_text()) for loc, label in zip(ax.get_yticks(), ax.get_yticklabels()) if low <= loc <= high]
    assert len(ticks) >= 3
    texts = [text for _, text in ticks]
    assert len(set(texts)) == len(texts)  # the reported bug: every tick read "0"
    for loc, text in ticks:  # read back with Babel: the label says the tick's value in percent
        number = text.replace("%", "").replace("\u00a0", "").replace("\u202f", "").strip().replace("\u2212", "-")
        assert float(parse_decimal(number, locale=fmt.locale)) == pytest.approx(loc, abs=0.05)
    assert all("%" in text for text in texts)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("days, step", [(2, 1), (14, 1), (31, 1), (92, 7), (365, 7), (548, 30), (1100, 30)])
def test_date_labels_never_touch(language, days, step):
    fig = Charts(Formatter(language)).daily(
        series(list(PLATFORMS), date(2025, 12, 27), days, step, "impressions"), "impressions"
    )
    ax = fig.axes[0]
    assert not overlapping(fig, ax.xaxis)
    low, high = ax.get_xlim()
    assert len([t for t in ax.get_xticks() if low <= t <= high]) >= 2


def test_a_series_of_one_point_is_drawn_as_a_dot_and_nothing_is_no_chart():
    charts = Charts(Formatter("en"))
    fig = charts.daily(series(["x"], date(2026, 10, 1), 1), "engagement_rate")
    assert fig.axes[0].lines[0].get_marker() == "o"
    assert charts.daily(series(["x"], date(2026, 10, 1), 1).iloc[0:0], "engagement_rate") is None


def test_last_years_lines_are_each_channel_dashed_in_its_colour_a_year_on():
    charts = Charts(Formatter("en"))
    now = series(["facebook", "instagram"], date(2026, 10, 1), 31, metric="impressions")
    then = series(["tiktok", "facebook"], date(2025, 10, 1), 31, metric="impressions")
    ax = charts.daily(now, "impressions", then).axes[0]
    dashed = [line for line in ax.lines if line.get_linestyle() == "--" and len(line.get_xdata())]
    assert [to_hex(line.get_color()) for line in dashed] == [PLATFORM_COLOURS["facebook"], PLATFORM_COLOURS["tiktok"]]
    facebook = then[then["platform"] == "facebook"]
    assert list(dashed[0].get_ydata()) == pytest.approx(list(facebook["impressions"]))
    assert pd.Timestamp(dashed[0].get_xdata()[0]).date() == date(2026, 10, 1)  # a year on, under this year's days
    assert "a year before" in [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert charts.daily(now, "impressions").legends[0].get_texts()[-1].get_text() == "Instagram"  # not asked: none


def test_every_word_on_a_chart_reads_at_least_9_px_on_a_phone():
    """A phone shows a chart 355 px wide: every visible text (titles, ticks, legends, the
    values on bars and heat-map cells) is at least 9 px there, ticks and legends 10 px; the
    size in pixels is the text's points × dpi / 72 × 355 / the figure's width in pixels."""
    from matplotlib.text import Text

    from rapport.present import charts as module
    from test_reports import goal_report

    module.theme("#1f5f8b")
    draw = Charts(Formatter("bg"))
    kpis = pd.DataFrame({"engagement_rate": [0.05, 0.04, 0.03]}, index=["instagram", "tiktok", "all"])
    times = pd.DataFrame(
        [dict(weekday=d, hour=h, posts=2, engagement_rate=0.05) for d in range(7) for h in range(0, 24, 3)]
    )
    history = [(f"2025-{m:02d}", 1000 + 40 * m) for m in range(1, 13)]
    goal = goal_report("at risk").__class__(**{**goal_report("at risk").__dict__, "history": history})
    figures = [
        draw.daily(series(PLATFORMS[:4], date(2026, 1, 1), 92), "engagement_rate"),
        draw.by_platform(kpis, "engagement_rate"),
        draw.posting_heatmap(times, 3),
        draw.goal(goal),
    ]
    for fig in figures:
        fig.canvas.draw()
        scale = fig.dpi / 72 * module.PHONE / (fig.get_figwidth() * fig.dpi)
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        assert texts
        for text in texts:
            assert text.get_fontsize() * scale >= 9, (text.get_text(), text.get_fontsize())
        for label in [t for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]:
            assert label.get_fontsize() * scale >= 10, label.get_text()
