"""For analysts in JupyterLab: pick a platform, a metric and a date range, see the figure
per channel against the previous range of equal length and its weekly course. The
notebooks call `explorer(r)` in a cell tagged `remove-cell`, so reports stay static."""

from __future__ import annotations

from datetime import date

from rapport import periods
from rapport.analysis import metrics
from rapport.catalog import PLATFORMS

from . import charts, html as show

SERIES = ("posts", "impressions", "engagements", "engagement_rate")


def view(con, params, platform: str, metric: str, start: date, end: date, language: str):
    """(HTML table, figure or None) for one metric over [start, end]."""
    window = periods.window(start, end)
    now, before = (metrics.kpis(con, p, params.timezone) for p in (window, window.previous()))
    rows = [p for p in now.index if platform in ("all", p)]
    table = show.kpi_table(now.loc[rows, [metric]], [metric], language)
    changes = show.tiles(dict(now.loc[rows[0]]) if rows else {}, dict(before.loc[rows[0]]) if rows and rows[0] in
                         before.index else {}, [metric], language)
    figure = None
    if metric in SERIES:
        weekly = metrics.series(con, window, params.timezone, "week")
        weekly = weekly if platform == "all" else weekly[weekly["platform"] == platform]
        if not weekly.empty:
            figure = charts.daily(weekly.rename(columns={"bucket": "date"}), metric, language)
    return changes + table, figure


def explorer(report):
    """The widget: platform, metric and date range (default: the report's period). In a
    published run (`rapport report`) there is nobody to click: nothing is built."""
    if report.published:
        return None
    import ipywidgets as widgets
    from IPython.display import HTML, display

    platform = widgets.Dropdown(options=["all", *PLATFORMS], value="all", description="platform")
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
            html, figure = view(report.con, report.params, platform.value, metric.value, start.value, end.value,
                                report.language)
            display(HTML(html))
            if figure is not None:
                display(figure)
                charts.plt.close(figure)

    for control in (platform, metric, start, end):
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([widgets.HBox([platform, metric]), widgets.HBox([start, end]), out])
