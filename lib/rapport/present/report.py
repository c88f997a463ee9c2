"""What a notebook works with: the client, the period, the warehouse, and its outputs.

    r = rapport.open_report("monthly", client, period, output_dir)

The notebook then asks the library for figures and shows them in the client's language:
`r.section`, `r.tiles`, `r.table`, `r.note`, `r.show(r.html.<fragment>(...))`,
`r.figure(r.charts.<chart>(...))`. `r.save(...)` writes the figures shown to
<report>.json (next to the HTML; atomically).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display

from rapport import __version__, paths, periods
from rapport.analysis import metrics
from rapport.analysis.scope import Scope
from rapport.config import load_client
from rapport.data import plan_files, warehouse
from rapport.files import atomic_write
from rapport.jsonable import by_index, missing, plain

from .charts import Charts, theme
from .format import Formatter
from .html import Html


class Report:
    """One report of one client over its period, as a notebook builds it.

    `r.scope` is what analysis functions ask their questions of (the client's warehouse, the
    period, the time zone); `r.fmt`, `r.html` and `r.charts` say things in the client's
    language; `r.save(...)` writes the figures shown. Run by hand (JupyterLab) the notebook
    works on a copy of the warehouse in memory, so ingest can write while it is open, and
    writes beside the published report, in explore/.

    >>> r = open_report("monthly", "demo", "2026-10")
    >>> r.period, r.language, r.published
    (Period(2026-10-01 – 2026-10-31), 'en', False)
    """

    def __init__(self, name: str, client: str, period: str = "", output_dir: str = ""):
        self.name = name
        self.client = load_client(client)
        self.params = self.client.params
        self.language = self.params.language
        self.period = periods.for_report(name, period, self.params.timezone)
        self.published = bool(output_dir)  # run by `rapport report`, not by hand
        path = self.client.warehouse_path
        con = warehouse.open_read(path) if self.published else warehouse.snapshot(path)
        self.scope = Scope(con, self.period, self.params.timezone)
        # only `rapport report` ever replaces what stakeholders see
        self.output_dir = Path(output_dir) if output_dir else paths.report_dir(client, self.period.label) / "explore"
        self.generated_at = datetime.now(UTC)
        self.shown: list[str] = []  # metrics shown so far: their definitions close the page
        self.fmt = Formatter(self.language, self.params.currency)
        self.html = Html(self.fmt)  # fragments for `show`: r.show(r.html.posts_table(posts))
        self.charts = Charts(self.fmt)  # figures for `figure`: r.figure(r.charts.followers(frame))
        theme(self.params.brand.colour)

    def __repr__(self) -> str:
        return f"<Report {self.name} · {self.client.slug} · {self.period.start} – {self.period.end}>"

    @property
    def title(self) -> str:
        return self.fmt.word(f"report.{self.name}")

    # --- figures ---------------------------------------------------------------------

    def over(self, period: periods.Period | date | str) -> Scope:
        """The scope of another period as this report covers one: a Period, "2026-09", a
        day or a date (a month; for the activity report the 14 days ending that day).

        >>> r.over("2026-09-15")
        Scope(2026-09-01 – 2026-09-30, Europe/Stockholm)
        """
        return self.scope.over(periods.of(period, self.name))

    def kpis(self, period: periods.Period | date | str | None = None) -> pd.DataFrame:
        """KPIs (catalog.METRICS) per channel and for all channels together ('all'), over the
        report's period or another one; counts as Int64, rates as Float64, missing as NA.

        >>> r.kpis("2026-09").loc["all", ["posts", "engagement_rate"]].index.tolist()
        ['posts', 'engagement_rate']
        """
        return metrics.kpis(self.scope if period is None else self.over(period))

    def plan(self):
        """The client's activity plan (data/<client>/plan.csv)."""
        return plan_files.load_plan(self.client.data_dir)

    def inputs(self) -> list[dict]:
        """The files the warehouse was built from, with their checksums (for the footer and JSON)."""
        frame = self.scope.con.execute(
            "SELECT path, format, rows, sha256, first_date, last_date FROM imports ORDER BY path"
        ).df()
        return [
            dict(row, first_date=_day(row["first_date"]), last_date=_day(row["last_date"]))
            for row in frame.to_dict("records")
        ]

    # --- showing ---------------------------------------------------------------------

    def show(self, html: str) -> None:
        """Show a fragment (from `self.html`)."""
        display(HTML(html))

    def section(self, key: str) -> None:
        """A section's heading; the table of contents lists it."""
        self.show(self.html.section(key))

    def tiles(self, current, previous, metrics_shown: list[str], year_before=None) -> None:
        """KPI tiles for all channels: this period's figures against the previous one's and,
        given `year_before` (the KPIs of the same period a year before), against those too;
        where the warehouse does not reach back that far, the tile says so."""
        self.shown += metrics_shown
        now, before = by_index(current), by_index(previous)
        year = None
        if year_before is not None:
            year = by_index(year_before).get("all", {}) if metrics.reaches_back(self.scope) else {}
        self.show(self.html.tiles(now["all"], before.get("all", {}), metrics_shown, year))

    def table(self, kpis, metrics_shown: list[str], year_before=None) -> None:
        """The KPI table, one row per channel; given `year_before`, each figure with its change
        against the same period a year before (or a line saying the data does not reach back)."""
        self.shown += metrics_shown
        if year_before is not None and not metrics.reaches_back(self.scope):
            year_before = year_before.iloc[0:0]
        self.show(self.html.kpi_table(kpis, metrics_shown, year_before))

    def figure(self, fig) -> None:
        """Show a chart once (closing it keeps the inline backend from showing it again);
        a chart without data (None) is a one-line note instead."""
        if fig is None:
            self.note("label.no_data")
            return
        display(fig)
        plt.close(fig)

    def note(self, key: str) -> None:
        """A one-line remark in place of a table or chart (no data, nothing to report)."""
        self.show(self.html.note(key))

    def header(self) -> None:
        """The branded header; published, with the (yet empty) table of contents, by hand in
        JupyterLab with the report's styles."""
        self.show(
            self.html.header(
                self.params.name,
                self.title,
                self.period,
                self.params.brand.colour,
                logo=logo_uri(self.client.logo_path),
                published=self.published,
            )
        )

    def footer(self, metrics_shown: Sequence[str] = ()) -> None:
        """Definitions of every metric shown (and of `metrics_shown`), then provenance."""
        self.show(self.html.definitions(self.shown + list(metrics_shown)))
        self.show(
            self.html.footer(
                self.inputs(),
                params_file=paths.relative(self.client.params_path),
                params_sha256=self.client.params_sha256,
                version=__version__,
                generated_at=self.generated_at,
            )
        )

    # --- saving ----------------------------------------------------------------------

    def save(self, **figures) -> Path:
        """Write the figures shown (frames, typed results, plain values: rapport.jsonable),
        with what they were computed from, to <report>.json."""
        document = {
            "client": self.client.slug,
            "client_name": self.params.name,
            "report": self.name,
            "language": self.language,
            "period": {
                "label": self.period.label,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            },
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "version": __version__,
            "params_sha256": self.client.params_sha256,
            "inputs": self.inputs(),
            **figures,
        }
        path = self.output_dir / f"{self.name}.json"
        atomic_write(path, json.dumps(plain(document), ensure_ascii=False, indent=1))
        return path


LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def logo_uri(path: Path | None) -> str | None:
    """The brand logo as a data: URI, so the page needs no other file."""
    if path is None:
        return None
    return f"data:{LOGO_TYPES[path.suffix.lower()]};base64,{base64.b64encode(path.read_bytes()).decode()}"


def open_report(name: str, client: str, period: str = "", output_dir: str = "") -> Report:
    """The report `name` (audit, goals, monthly, activity, exceptions) of `client` over
    `period` (as PERIOD is written: '' for the last complete month); see Report.

    >>> open_report("activity", "demo", "2026-10-31").period
    Period(2026-10-18 – 2026-10-31)
    """
    return Report(name, client, period, output_dir)


def _day(value) -> str | None:
    return None if missing(value) else value.isoformat()[:10]
