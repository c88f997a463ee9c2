"""What a notebook works with: the client, the period, the warehouse, and its outputs.

    r = rapport.open_report("monthly", client, period, output_dir)

The notebook then asks the library for figures, shows them, and `r.save(...)` writes
the figures shown to <report>.json (next to the HTML; atomically).
"""

from __future__ import annotations

import base64
import json
import math
from html import escape
from datetime import datetime, timezone
from pathlib import Path

import matplotlib.pyplot as plt
from IPython.display import HTML, display

from rapport import __version__, paths, periods
from rapport.analysis import metrics
from rapport.config import load_client
from rapport.data import warehouse
from rapport.files import atomic_write
from rapport.i18n import text

from . import charts, html as show



class Report:
    def __init__(self, name: str, client: str, period: str = "", output_dir: str = ""):
        self.name = name
        self.client = load_client(client)
        self.params = self.client.params
        self.language = self.params.language
        self.period = periods.for_report(name, period, self.params.timezone)
        self.con = warehouse.open_read(self.client.warehouse_path)
        # Run by hand (JupyterLab), a notebook writes beside the published report, in explore/,
        # so only `rapport report` ever replaces what stakeholders see.
        self.published = bool(output_dir)  # run by `rapport report`, not by hand
        self.output_dir = Path(output_dir) if output_dir else paths.report_dir(client, self.period.label) / "explore"
        self.generated_at = datetime.now(timezone.utc)
        self.shown: list[str] = []  # metrics shown so far: their definitions close the page
        charts.theme(self.params.brand.colour)

    @property
    def title(self) -> str:
        return text(f"report.{self.name}", self.language)

    # --- figures ---------------------------------------------------------------------

    def kpis(self, period: periods.Period | None = None):
        return metrics.kpis(self.con, period or self.period, self.params.timezone)

    def inputs(self) -> list[dict]:
        frame = self.con.execute(
            "SELECT path, format, rows, sha256, first_date, last_date FROM imports ORDER BY path"
        ).df()
        return [dict(row, first_date=_iso(row["first_date"]), last_date=_iso(row["last_date"]))
                for row in frame.to_dict("records")]

    # --- showing ---------------------------------------------------------------------

    def show(self, html: str) -> None:
        display(HTML(html))

    def section(self, key: str) -> None:
        self.show(f'<h2 id="{escape(key)}">{escape(text("section." + key, self.language))}</h2>')

    def tiles(self, current, previous, metrics_shown: list[str]) -> None:
        self.shown += metrics_shown
        self.show(show.tiles(dict(current.loc["all"]), dict(previous.loc["all"]), metrics_shown, self.language))

    def table(self, kpis, metrics_shown: list[str]) -> None:
        self.shown += metrics_shown
        self.show(show.kpi_table(kpis, metrics_shown, self.language))

    def figure(self, fig) -> None:
        """Show a chart once (closing it keeps the inline backend from showing it again);
        a chart without data (None) is a one-line note instead."""
        if fig is None:
            self.note("label.no_data")
            return
        display(fig)
        plt.close(fig)

    def note(self, key: str) -> None:
        self.show(f'<p class="rapport-note">{escape(text(key, self.language))}</p>')

    def header(self) -> None:
        self.show(show.header(self.params.name, self.title, show.period_text(self.period, self.language),
                              self.params.brand.colour, self.language, logo_uri(self.client.logo_path)))

    def footer(self, metrics_shown: list[str] = ()) -> None:
        """Definitions of every metric shown (and of `metrics_shown`), then provenance."""
        self.show(show.definitions(self.shown + list(metrics_shown), self.language))
        self.show(show.footer(self.inputs(), paths.relative(self.client.params_path), self.client.params_sha256,
                              __version__, self.generated_at, self.language))

    # --- saving ----------------------------------------------------------------------

    def save(self, **figures) -> Path:
        """Write the figures shown, with what they were computed from, to <report>.json."""
        document = {
            "client": self.client.slug,
            "client_name": self.params.name,
            "report": self.name,
            "language": self.language,
            "period": {"label": self.period.label, "start": self.period.start.isoformat(),
                       "end": self.period.end.isoformat()},
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "version": __version__,
            "params_sha256": self.client.params_sha256,
            "inputs": self.inputs(),
            **figures,
        }
        path = self.output_dir / f"{self.name}.json"
        atomic_write(path, json.dumps(_plain(document), ensure_ascii=False, indent=1))
        return path


LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def logo_uri(path: Path | None) -> str | None:
    """The brand logo as a data: URI, so the page needs no other file."""
    if path is None:
        return None
    return f"data:{LOGO_TYPES[path.suffix.lower()]};base64,{base64.b64encode(path.read_bytes()).decode()}"


def open_report(name: str, client: str, period: str = "", output_dir: str = "") -> Report:
    return Report(name, client, period, output_dir)


def records(frame) -> list[dict]:
    """A frame's rows as dicts, missing values as None (for tables and JSON)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def table(frame) -> dict:
    """A KPI frame as JSON: {platform: {metric: value}}."""
    return {platform: {k: v for k, v in row.items()} for platform, row in frame.iterrows()}


def _iso(value):
    return None if value is None or value != value else value.isoformat()[:10]


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
