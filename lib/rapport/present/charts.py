"""Charts: one seaborn theme with the client's brand colour, figures sized for a phone,
labels and numbers in the reader's language (`Charts(fmt)`, the report's Formatter)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.dates import AutoDateLocator, num2date
from matplotlib.ticker import FuncFormatter

from rapport.catalog import METRICS

from .format import Formatter

PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2"]


def theme(brand_colour: str) -> None:
    """The house style: brand colour first, quiet axes, readable on a 375 px screen."""
    sns.set_theme(
        style="whitegrid",
        palette=[brand_colour] + PALETTE,
        rc={
            "figure.figsize": (7.5, 3.6),
            "figure.dpi": 110,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
        },
    )


class Charts:
    """The report's charts in one reader's language. Each returns a figure, or None when
    there is nothing to draw (the report then says so in a line)."""

    def __init__(self, fmt: Formatter):
        self.fmt = fmt

    def followers(self, frame: pd.DataFrame):
        """Followers at each month's end, one line per channel."""
        if frame.empty:
            return None
        fig, ax = plt.subplots()
        sns.lineplot(data=self._named(frame), x="month_end", y="followers", hue="platform", marker="o", ax=ax)
        ax.set(xlabel="", ylabel="", title=self.fmt.word("metric.followers"))
        self._finish(fig, ax, "LLL yy")
        return fig

    def daily(self, frame: pd.DataFrame, metric: str):
        """A daily series per channel, account activity in the period."""
        if frame.empty:
            return None
        fig, ax = plt.subplots()
        sns.lineplot(data=self._named(frame), x="date", y=metric, hue="platform", ax=ax)
        ax.set(xlabel="", ylabel="", title=self.fmt.word("metric." + metric))
        self._finish(fig, ax, "d MMM")
        return fig

    def _named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The platforms by their names, for the legend."""
        return frame.assign(platform=frame["platform"].map(lambda p: self.fmt.word("platform." + p)))

    def _finish(self, fig, ax, date_pattern: str) -> None:
        """Localised date ticks, thousands separators, the legend under the plot."""
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: self.fmt.date(num2date(x), date_pattern)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: self.fmt.decimal(y)))
        handles, labels = ax.get_legend_handles_labels()
        if ax.get_legend():
            ax.get_legend().remove()
        if handles:
            fig.legend(handles, labels, loc="lower center", ncols=min(4, len(handles)), frameon=False)
        fig.tight_layout(rect=(0, 0.1 if handles else 0, 1, 1))

    def by_platform(self, kpis: pd.DataFrame, metric: str):
        """One metric per channel as horizontal bars, the 'all' row left out."""
        rows = kpis.drop(index="all", errors="ignore")
        rows = rows[rows[metric].notna()]
        if rows.empty:
            return None
        labels = [self.fmt.word("platform." + p) for p in rows.index]
        fig, ax = plt.subplots(figsize=(7.5, 0.5 + 0.55 * max(1, len(rows))))
        sns.barplot(x=[float(v) for v in rows[metric]], y=labels, ax=ax, orient="h")
        for y, value in enumerate(rows[metric]):
            ax.annotate(
                self.fmt.metric(value, metric),
                (float(value), y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
            )
        ax.set(xlabel="", ylabel="", title=self.fmt.word("metric." + metric), xticks=[])
        fig.tight_layout()
        return fig

    def posting_heatmap(self, frame: pd.DataFrame, hours: int):
        """Engagement rate per weekday and block of hours of publication, each cell labelled
        with its rate and the posts behind it."""
        frame = frame[frame["engagement_rate"].notna()]
        if frame.empty:
            return None
        blocks = [h for h in range(0, 24, hours) if h in set(frame["hour"])]  # hours nobody posts at take no room
        rates = frame.pivot(index="weekday", columns="hour", values="engagement_rate").reindex(
            index=range(7), columns=blocks
        )
        posts = frame.pivot(index="weekday", columns="hour", values="posts").reindex(index=range(7), columns=blocks)
        labels = [
            [
                ("" if pd.isna(r) else f"{self.fmt.metric(float(r), 'engagement_rate')}\n({int(n)})")
                for r, n in zip(rates.loc[d], posts.loc[d], strict=True)
            ]
            for d in range(7)
        ]
        fig, ax = plt.subplots(figsize=(7.5, 4.4))
        sns.heatmap(
            rates.astype(float) * 100,
            annot=labels,
            fmt="",
            cmap=sns.light_palette(sns.color_palette()[0], as_cmap=True),
            cbar=False,
            linewidths=1,
            linecolor="white",
            annot_kws={"fontsize": 9},
            ax=ax,
        )
        ax.set_yticklabels(self.fmt.weekdays(), rotation=0)
        ax.set_xticklabels([f"{h:02d}–{h + hours:02d}" for h in blocks], rotation=0, fontsize=9)
        ax.set(xlabel="", ylabel="", title=self.fmt.word("chart.posting_times"))
        fig.tight_layout()
        return fig

    def goal(self, report):
        """A goal at a glance: left, the metric month by month with baseline, target,
        deadline and the forecast (95 % interval); right, the monthly growth the goal needs
        against the account's own month-on-month growth (achievability)."""
        if not report.history:
            return None
        fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 3.2), gridspec_kw={"width_ratios": [3, 2]})
        self._goal_course(left, report)
        self._goal_growth(right, report)
        fig.tight_layout()
        return fig

    def _goal_course(self, ax, report) -> None:
        """The metric month by month (rates in %), baseline, target, deadline, forecast."""
        rate = report.metric in METRICS and METRICS[report.metric].kind == "rate"
        scale = 100 if rate else 1
        months = [pd.Period(label, "M").to_timestamp(how="end").normalize() for label, _ in report.history]
        ax.plot(
            months, [v * scale for _, v in report.history], marker="o", markersize=3, label=self.fmt.word("col.actual")
        )
        if report.target is not None:
            ax.axhline(
                report.target * scale, color=PALETTE[4], linestyle="--", linewidth=1, label=self.fmt.word("col.target")
            )
        if report.baseline is not None:
            ax.axhline(
                report.baseline * scale,
                color="#999999",
                linestyle=":",
                linewidth=1,
                label=self.fmt.word("col.baseline"),
            )
        deadline = pd.Timestamp(report.deadline)
        if report.forecast is not None:
            ax.errorbar(
                [deadline],
                [report.forecast * scale],
                fmt="D",
                color=PALETTE[2],
                capsize=4,
                yerr=[
                    [(report.forecast - report.forecast_low) * scale],
                    [(report.forecast_high - report.forecast) * scale],
                ],
                label=self.fmt.word("col.forecast"),
            )
        ax.axvline(deadline, color="#999999", linewidth=0.8)
        ax.set_title(f"{report.id}: {self.fmt.word('metric.' + report.metric)}", loc="left")
        ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=5))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: self.fmt.date(num2date(x), "LLL yy")))
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda y, _: self.fmt.decimal(y, "#,##0.#") + " %" if rate else self.fmt.decimal(y))
        )
        ax.tick_params(axis="x", labelsize=8)
        ax.legend(fontsize=7, frameon=False, loc="best")

    def _goal_growth(self, ax, report) -> None:
        """The account's month-on-month growth (a histogram) and the growth the goal needs."""
        raw = [v for _, v in report.history]
        growth = [(b / a - 1) * 100 for a, b in zip(raw, raw[1:], strict=False) if a]
        if growth:
            sns.histplot(growth, ax=ax, bins=min(12, max(4, len(growth))), color=sns.color_palette()[0])
        if report.needed_monthly_growth is not None:
            ax.axvline(
                report.needed_monthly_growth * 100, color=PALETTE[4], linewidth=2, label=self.fmt.word("chart.needed")
            )
            ax.legend(fontsize=7, frameon=False)
        ax.set(xlabel=self.fmt.word("chart.monthly_growth"), ylabel="")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: self.fmt.decimal(x) + " %"))
        ax.set_title(self.fmt.word("col.achievability"), loc="left")
