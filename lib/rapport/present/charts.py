"""Charts: one seaborn theme with the client's brand colour, figures sized for a phone."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from babel.dates import format_date, get_day_names
from babel.numbers import format_decimal
from matplotlib.dates import AutoDateLocator, num2date
from matplotlib.ticker import FuncFormatter

from rapport.catalog import METRICS
from rapport.i18n import text

from .html import LOCALES, number

PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2"]


def theme(brand_colour: str) -> None:
    """The house style: brand colour first, quiet axes, readable on a 375 px screen."""
    sns.set_theme(
        style="whitegrid",
        palette=[brand_colour] + PALETTE,
        rc={"figure.figsize": (7.5, 3.6), "figure.dpi": 110, "axes.spines.top": False,
            "axes.spines.right": False, "axes.titleweight": "bold", "axes.titlesize": 12},
    )


def followers(frame: pd.DataFrame, language: str):
    """Followers at each month's end, one line per channel (None without data)."""
    if frame.empty:
        return None
    fig, ax = plt.subplots()
    data = frame.assign(platform=frame["platform"].map(lambda p: text("platform." + p, language)))
    sns.lineplot(data=data, x="month_end", y="followers", hue="platform", marker="o", ax=ax)
    ax.set(xlabel="", ylabel="", title=text("metric.followers", language))
    _finish(fig, ax, language, "LLL yy")
    return fig


def _finish(fig, ax, language: str, date_pattern: str) -> None:
    """Localised date ticks, thousands separators, the legend under the plot."""
    locale = LOCALES[language]
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_date(num2date(x), date_pattern, locale=locale)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: format_decimal(y, "#,##0", locale=locale)))
    handles, labels = ax.get_legend_handles_labels()
    if ax.get_legend():
        ax.get_legend().remove()
    if handles:
        fig.legend(handles, labels, loc="lower center", ncols=min(4, len(handles)), frameon=False)
    fig.tight_layout(rect=(0, 0.1 if handles else 0, 1, 1))


def by_platform(kpis: pd.DataFrame, metric: str, language: str):
    """One metric per channel as horizontal bars, the 'all' row left out (None without data)."""
    rows = kpis.drop(index="all", errors="ignore")
    rows = rows[rows[metric].notna()]
    if rows.empty:
        return None
    labels = [text("platform." + p, language) for p in rows.index]
    values = [float(v) for v in rows[metric]]
    fig, ax = plt.subplots(figsize=(7.5, 0.5 + 0.55 * max(1, len(rows))))
    sns.barplot(x=values, y=labels, ax=ax, orient="h")
    for y, value in enumerate(rows[metric]):
        ax.annotate(number(value, metric, language), (float(value), y), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=9)
    ax.set(xlabel="", ylabel="", title=text("metric." + metric, language), xticks=[])
    fig.tight_layout()
    return fig


def daily(frame: pd.DataFrame, metric: str, language: str):
    """A daily series per channel, account activity in the period (None without data)."""
    if frame.empty:
        return None
    fig, ax = plt.subplots()
    data = frame.assign(platform=frame["platform"].map(lambda p: text("platform." + p, language)))
    sns.lineplot(data=data, x="date", y=metric, hue="platform", ax=ax)
    ax.set(xlabel="", ylabel="", title=text("metric." + metric, language))
    _finish(fig, ax, language, "d MMM")
    return fig


def posting_heatmap(frame: pd.DataFrame, hours: int, language: str):
    """Engagement rate per weekday and block of hours of publication, each cell labelled
    with its rate and the posts behind it (None without timed posts)."""
    frame = frame[frame["engagement_rate"].notna()]
    if frame.empty:
        return None
    days = get_day_names("abbreviated", locale=LOCALES[language])
    blocks = [h for h in range(0, 24, hours) if h in set(frame["hour"])]  # hours nobody posts at take no room
    rates = frame.pivot(index="weekday", columns="hour", values="engagement_rate").reindex(index=range(7), columns=blocks)
    posts = frame.pivot(index="weekday", columns="hour", values="posts").reindex(index=range(7), columns=blocks)
    labels = [[("" if pd.isna(r) else f"{number(float(r), 'engagement_rate', language)}\n({int(n)})")
               for r, n in zip(rates.loc[d], posts.loc[d])] for d in range(7)]
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    sns.heatmap(rates.astype(float) * 100, annot=labels, fmt="", cmap=sns.light_palette(sns.color_palette()[0], as_cmap=True),
                cbar=False, linewidths=1, linecolor="white", annot_kws={"fontsize": 9}, ax=ax)
    ax.set_yticklabels([days[d].capitalize() for d in range(7)], rotation=0)
    ax.set_xticklabels([f"{h:02d}–{h + hours:02d}" for h in blocks], rotation=0, fontsize=9)
    ax.set(xlabel="", ylabel="", title=text("chart.posting_times", language))
    fig.tight_layout()
    return fig


def goal(report, language: str):
    """A goal at a glance: left, the metric month by month with baseline, target, deadline
    and the forecast (95 % interval); right, the monthly growth the goal needs against the
    account's own month-on-month growth (achievability). None without history."""
    if not report.history:
        return None
    kind = METRICS[report.metric].kind if report.metric in METRICS else "count"
    scale = 100 if kind == "rate" else 1
    months = [pd.Period(label, "M").to_timestamp(how="end").normalize() for label, _ in report.history]
    values = [v * scale for _, v in report.history]
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 3.2), gridspec_kw={"width_ratios": [3, 2]})
    left.plot(months, values, marker="o", markersize=3, label=text("col.actual", language))
    if report.target is not None:
        left.axhline(report.target * scale, color=PALETTE[4], linestyle="--", linewidth=1, label=text("col.target", language))
    if report.baseline is not None:
        left.axhline(report.baseline * scale, color="#999999", linestyle=":", linewidth=1, label=text("col.baseline", language))
    deadline = pd.Timestamp(report.deadline)
    if report.forecast is not None:
        left.errorbar([deadline], [report.forecast * scale], fmt="D", color=PALETTE[2], capsize=4,
                      yerr=[[(report.forecast - report.forecast_low) * scale], [(report.forecast_high - report.forecast) * scale]],
                      label=text("col.forecast", language))
    left.axvline(deadline, color="#999999", linewidth=0.8)
    left.set_title(f"{report.id}: {text('metric.' + report.metric, language)}", loc="left")
    locale = LOCALES[language]
    left.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=5))
    left.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_date(num2date(x), "LLL yy", locale=locale)))
    left.yaxis.set_major_formatter(FuncFormatter(
        lambda y, _: format_decimal(y, "#,##0.#" if kind == "rate" else "#,##0", locale=locale) + (" %" if kind == "rate" else "")))
    left.tick_params(axis="x", labelsize=8)
    left.legend(fontsize=7, frameon=False, loc="best")
    raw = [v for _, v in report.history]
    growth = [(b / a - 1) * 100 for a, b in zip(raw, raw[1:]) if a]
    if growth:
        sns.histplot(growth, ax=right, bins=min(12, max(4, len(growth))), color=sns.color_palette()[0])
    if report.needed_monthly_growth is not None:
        right.axvline(report.needed_monthly_growth * 100, color=PALETTE[4], linewidth=2, label=text("chart.needed", language))
        right.legend(fontsize=7, frameon=False)
    right.set(xlabel=text("chart.monthly_growth", language), ylabel="")
    right.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_decimal(x, "#,##0", locale=locale) + " %"))
    right.set_title(text("col.achievability", language), loc="left")
    fig.tight_layout()
    return fig
