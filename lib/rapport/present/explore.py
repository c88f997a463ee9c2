"""For analysts in JupyterLab: pick a platform, a metric and a date range, see the figure
per channel against the previous range of equal length and its weekly course. The
notebooks call `explorer(r)` in a cell tagged `remove-cell`, so reports stay static."""

from __future__ import annotations

from datetime import date

import matplotlib.pyplot as plt
from markupsafe import escape

from rapport.analysis import metrics
from rapport.catalog import PLATFORMS
from rapport.jsonable import by_index

SERIES = ("posts", "impressions", "engagements", "engagement_rate")


def view(report, platform: str, metric: str, start: date, end: date):
    """(HTML tile and table, figure or None) for one metric over [start, end], in the
    report's language (its `scope`, `html` and `charts`). The tile is the selection's own
    figure: all channels together for "all", as the report's tiles are."""
    scope = report.scope.between(start, end)
    now, before = metrics.kpis(scope), metrics.kpis(scope.previous())
    if platform not in now.index:
        fmt = report.html.fmt
        words = fmt.word("explore.empty", platform=fmt.name("platform", platform) if platform != "all" else "–")
        return f"<p>{escape(words)} ({escape(fmt.date(start))} – {escape(fmt.date(end))})</p>", None
    rows = [p for p in now.index if platform in ("all", p)]
    table = report.html.kpi_table(now.loc[rows, [metric]], [metric])
    now_values, before_values = by_index(now), by_index(before)
    changes = report.html.tiles(now_values[platform], before_values.get(platform, {}), [metric])
    figure = None
    if metric in SERIES:
        weekly = metrics.series(scope, "week")
        weekly = weekly if platform == "all" else weekly[weekly["platform"] == platform]
        if not weekly.empty:
            figure = report.charts.daily(weekly, metric)
    return changes + table, figure


def channels(scope) -> list[str]:
    """The channels the warehouse holds anything of, in the catalogue's order."""
    held = set(metrics.accounts(scope)["platform"])
    return [platform for platform in PLATFORMS if platform in held]


def explorer(report):
    """The widget: platform, metric and date range (default: the report's period). In a
    published run (`rapport report`) there is nobody to click: nothing is built."""
    if report.published:
        return None
    import ipywidgets as widgets
    from IPython.display import HTML, display

    platform = widgets.Dropdown(options=["all", *channels(report.scope)], value="all", description="platform")
    metric = widgets.Dropdown(options=metrics.KPIS, value="engagement_rate", description="metric")
    start = widgets.DatePicker(value=report.period.start, description="from")
    end = widgets.DatePicker(value=report.period.end, description="to")
    out = widgets.Output()

    def refresh(*_):
        out.clear_output(wait=True)
        with out:
            if not (start.value and end.value) or start.value > end.value:
                print("choose a start date on or before the end date")
                return
            html, figure = view(report, platform.value, metric.value, start.value, end.value)
            display(HTML(html))
            if figure is not None:
                display(figure)
                plt.close(figure)

    for control in (platform, metric, start, end):
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([widgets.HBox([platform, metric]), widgets.HBox([start, end]), out])
