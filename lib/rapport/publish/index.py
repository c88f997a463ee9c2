"""outputs/index.html: every client and period, a link to each report, when it last ran."""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape

from rapport import paths
from rapport.files import atomic_write
from rapport.i18n import text

ORDER = list(paths.REPORTS)


def write() -> str:
    root = paths.outputs_dir()
    sections = []
    for client_dir in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        rows = []
        for period_dir in sorted((p for p in client_dir.iterdir() if p.is_dir()), reverse=True):
            reports = sorted(period_dir.glob("*.html"), key=lambda p: ORDER.index(p.stem) if p.stem in ORDER else 99)
            if not reports:
                continue
            latest = max(p.stat().st_mtime for p in reports)
            links = " ".join(
                f'<a href="{escape(client_dir.name)}/{escape(period_dir.name)}/{escape(p.name)}">'
                f"{escape(text('report.' + p.stem) if p.stem in ORDER else p.stem)}</a>"
                + (f' <a class="pdf" href="{escape(client_dir.name)}/{escape(period_dir.name)}/{escape(p.stem)}.pdf">'
                   "PDF</a>" if p.with_suffix(".pdf").is_file() else "")
                for p in reports
            )
            when = datetime.fromtimestamp(latest, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            rows.append(f"<tr><td>{escape(period_dir.name)}</td><td>{links}</td><td>{when}</td></tr>")
        if rows:
            sections.append(f"<h2>{escape(client_dir.name)}</h2><table><thead><tr><th>Period</th><th>Reports</th>"
                            f"<th>Last run</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
    body = "".join(sections) or "<p>No reports yet: run <code>make report CLIENT=demo</code>.</p>"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>rapport · reports</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 900px; margin: 0 auto; padding: 16px; color: #1d2329; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 24px; }}
th, td {{ text-align: left; padding: 6px 8px; border-bottom: 1px solid #dde3e8; vertical-align: top; }}
th {{ color: #5f6b76; font-weight: 600; }} a {{ margin-right: 10px; white-space: nowrap; }}
a.pdf {{ font-size: .8em; margin-left: -6px; }}
</style></head>
<body><h1>Reports</h1>{body}</body></html>
"""
    atomic_write(root / "index.html", page)
    return page
