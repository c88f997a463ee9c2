"""Charts: one seaborn theme with the client's brand colour, figures sized for a phone."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from babel.dates import format_date
from babel.numbers import format_decimal
from matplotlib.dates import num2date
from matplotlib.ticker import FuncFormatter

from .display import LOCALES, number
from .i18n import text

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
