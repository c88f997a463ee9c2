"""Charts: one seaborn theme with the client's brand colour, figures sized for a phone,
labels and numbers in the reader's language (`Charts(fmt)`, the report's Formatter)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.dates import AutoDateLocator, num2date
from matplotlib.ticker import FuncFormatter, MaxNLocator

from rapport.catalog import METRICS, PLATFORM_COLOURS, PLATFORMS

from .format import Formatter

PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2"]
# A chart is drawn WIDTH inches wide at DPI; a phone shows it 355 px wide, a desktop at its own
# width. Type is sized for the phone: TEXT points read as 10 px or more there (tests/test_charts.py).
WIDTH, DPI, PHONE = 6.0, 110, 355
TEXT, SMALL = 12.5, 11.5  # points: labels, ticks and legends; the words inside a chart (cells, bar values)


def theme(brand_colour: str) -> None:
    """The house style: brand colour first, quiet axes, readable on a 375 px screen."""
    sns.set_theme(
        style="whitegrid",
        palette=[brand_colour] + PALETTE,
        rc={
            "figure.figsize": (WIDTH, 3.4),
            "figure.dpi": DPI,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "axes.titlesize": TEXT + 1,
            "font.size": TEXT,
            "axes.labelsize": TEXT,
            "xtick.labelsize": TEXT,
            "ytick.labelsize": TEXT,
            "legend.fontsize": TEXT,
        },
    )


class Charts:
    """The report's charts in one reader's language. Each returns a figure, or None when
    there is nothing to draw (the report then says so in a line)."""

    def __init__(self, fmt: Formatter):
        self.fmt = fmt

    def followers(self, frame: pd.DataFrame, year_before: pd.DataFrame | None = None):
        """Followers at each month's end (metrics.followers_monthly), one line per channel;
        with `year_before` (the same query a year earlier), each channel a year before, dashed."""
        return self._lines(frame, "followers", marker="o", year_before=year_before)

    def daily(self, frame: pd.DataFrame, metric: str, year_before: pd.DataFrame | None = None):
        """A series per channel, rates in percent: metrics.series (per day, week or month)
        or metrics.account_daily; with `year_before` (the same series a year earlier), each
        channel a year before, dashed (counts and levels; rates keep one comparison line each)."""
        return self._lines(frame, metric, year_before=year_before)

    def _lines(self, frame: pd.DataFrame, metric: str, marker: str | None = None, year_before=None):
        """One line per channel in its own colour, the legend in the catalogue's order."""
        frame = frame.rename(columns={"bucket": "date", "month_end": "date"})
        frame = frame[frame[metric].notna()]
        if frame.empty:
            return None
        rate = METRICS[metric].kind == "rate"
        shown = [p for p in PLATFORMS if p in set(frame["platform"])]
        names = {p: self.fmt.word("platform." + p) for p in shown}
        fig, ax = plt.subplots()
        for platform in shown:
            rows = frame[frame["platform"] == platform].sort_values("date")
            values = [float(v) * (100 if rate else 1) for v in rows[metric]]
            ax.plot(
                pd.to_datetime(rows["date"]),
                values,
                color=PLATFORM_COLOURS[platform],
                marker=marker or ("o" if len(rows) < 3 else None),  # a line of one point is a dot
                markersize=4,
                linewidth=1.8,
                label=names[platform],
            )
        if year_before is not None and not rate:
            self._year_before(ax, year_before, metric, frame["date"])
        ax.set(xlabel="", ylabel="", title=self.fmt.word("metric." + metric))
        if rate:  # ticks at 0.1, 0.2, 0.5, 1 … points: one decimal says each exactly
            ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: self.fmt.percent(y / 100)))
        else:
            ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: self.fmt.decimal(y)))
        self._legend(fig, ax)
        self._dates(fig, ax, pd.to_datetime(frame["date"]))
        return fig

    def _year_before(self, ax, frame: pd.DataFrame, metric: str, shown: pd.Series) -> None:
        """Each channel a year before, dashed in its own colour and moved a year on to lie
        under this year's days; one legend entry says what the dashes are."""
        frame = frame.rename(columns={"bucket": "date", "month_end": "date"})
        frame = frame[frame[metric].notna()]
        first = pd.to_datetime(shown).min() - pd.Timedelta(days=1)
        drawn = False
        for platform in [p for p in PLATFORMS if p in set(frame["platform"])]:
            rows = frame[frame["platform"] == platform].sort_values("date")
            dates = pd.to_datetime(rows["date"]) + pd.DateOffset(years=1)
            keep = (dates >= first).to_numpy()
            if keep.any():
                values = [float(v) for v in rows[metric]]
                ax.plot(
                    dates[keep],
                    [v for v, k in zip(values, keep) if k],
                    color=PLATFORM_COLOURS[platform],
                    linestyle="--",
                    linewidth=1.1,
                    alpha=0.6,
                )
                drawn = True
        if drawn:
            ax.plot([], [], color="#777777", linestyle="--", linewidth=1.1, label=self.fmt.word("chart.year_before"))

    def _legend(self, fig, ax) -> None:
        """The legend under the plot, in the order the lines were drawn."""
        handles, labels = ax.get_legend_handles_labels()
        if handles:
            fig.legend(handles, labels, loc="lower center", ncols=min(5, len(handles)), frameon=False)
        fig.tight_layout(rect=(0, 0.1 if handles else 0, 1, 1))

    def _dates(self, fig, ax, dates: pd.Series) -> None:
        """Localised date ticks (month and year beyond four months), as many as fit without
        two labels touching."""
        pattern = "LLL yy" if (dates.max() - dates.min()).days > 120 else "d MMM"
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: self.fmt.date(num2date(x), pattern)))
        for most in (7, 6, 5, 4, 3, 2):
            ax.xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=most))
            if not overlapping(fig, ax.xaxis):
                return

    def by_platform(self, kpis: pd.DataFrame, metric: str):
        """One metric per channel as horizontal bars in the channels' colours, the 'all' row
        left out."""
        rows = kpis.drop(index="all", errors="ignore")
        rows = rows[rows[metric].notna()]
        rows = rows.reindex([p for p in PLATFORMS if p in rows.index])
        if rows.empty:
            return None
        labels = [self.fmt.word("platform." + p) for p in rows.index]
        fig, ax = plt.subplots(figsize=(WIDTH, 0.6 + 0.6 * max(1, len(rows))))
        values = [float(v) for v in rows[metric]]
        ax.barh(labels, values, color=[PLATFORM_COLOURS[p] for p in rows.index])
        ax.invert_yaxis()  # the catalogue's first platform on top
        for y, value in enumerate(rows[metric]):
            ax.annotate(
                self.fmt.metric(value, metric),
                (float(value), y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=SMALL,
            )
        ax.set(xlabel="", ylabel="", title=self.fmt.word("metric." + metric), xticks=[])
        ax.grid(False)
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
        fig, ax = plt.subplots(figsize=(WIDTH, 4.6))
        sns.heatmap(
            rates.astype(float) * 100,
            annot=labels,
            fmt="",
            cmap=sns.light_palette(sns.color_palette()[0], as_cmap=True),
            cbar=False,
            linewidths=1,
            linecolor="white",
            annot_kws={"fontsize": SMALL},
            ax=ax,
        )
        ax.set_yticklabels(self.fmt.weekdays(), rotation=0)
        ax.set_xticklabels([f"{h:02d}–{h + hours:02d}" for h in blocks], rotation=0)
        ax.set(xlabel="", ylabel="", title=self.fmt.word("chart.posting_times"))
        fig.tight_layout()
        return fig

    def goal(self, report):
        """A goal at a glance: left, the metric month by month with baseline, target,
        deadline and the forecast (95 % interval); right, the monthly growth the goal needs
        against the account's own month-on-month growth (achievability)."""
        if not report.history:
            return None
        fig, (left, right) = plt.subplots(1, 2, figsize=(WIDTH, 4.3), gridspec_kw={"width_ratios": [3, 2]})
        self._goal_course(left, report)
        self._goal_growth(right, report)
        handles, labels = [
            sum(pair, []) for pair in zip(left.get_legend_handles_labels(), right.get_legend_handles_labels())
        ]
        # one legend under both panes: inside them it would cover the lines at a phone's type size
        fig.legend(handles, labels, loc="lower center", ncol=3, frameon=False, fontsize=SMALL)
        fig.tight_layout(rect=(0, 0.16, 1, 1))
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
        ax.xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=3))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: self.fmt.date(num2date(x), "LLL yy")))
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda y, _: self.fmt.decimal(y, "#,##0.#") + " %" if rate else self.fmt.decimal(y))
        )

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
        ax.set(xlabel=self.fmt.word("chart.monthly_growth"), ylabel="")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # months: whole numbers
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: self.fmt.decimal(x) + " %"))
        ax.set_title(self.fmt.word("col.achievability"), loc="left")


def overlapping(fig, axis) -> bool:
    """Whether any two of the axis's tick labels in view touch once the figure is drawn."""
    fig.canvas.draw()
    low, high = sorted(axis.get_view_interval())
    shown = [
        label
        for tick, label in zip(axis.get_majorticklocs(), axis.get_ticklabels(), strict=False)
        if low <= tick <= high and label.get_text()
    ]
    boxes = [label.get_window_extent() for label in shown]
    return any(a.overlaps(b) for a, b in zip(boxes, boxes[1:], strict=False))
