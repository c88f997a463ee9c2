"""The bare-Python floor of the report set: the five notebooks' code run in this one
process, with no kernel, papermill or nbconvert. Every chart is still rendered to an
embedded PNG and every HTML fragment still written to a page per report, so the work left
is the figures themselves: what rapport's machinery adds is measured against this.

    python bench/floor.py <output folder> <month> <last day>   (RAPPORT_ROOT names the workspace)
"""

from __future__ import annotations

import base64
import io
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat  # noqa: E402

from rapport.present import report as report_module  # noqa: E402  (first: it spares nbformat a slow import)

PROJECT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ["01-audit", "02-goals", "03-monthly", "04-activity", "05-exceptions"]


def main(out: Path, month: str, last_day: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in NOTEBOOKS:
        parts: list[str] = []

        def display(obj, *_, parts=parts, **__):
            if hasattr(obj, "savefig"):
                buffer = io.BytesIO()
                obj.savefig(buffer, format="png", bbox_inches="tight")
                parts.append(f'<img src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">')
            elif hasattr(obj, "_repr_html_"):
                parts.append(obj._repr_html_())
            elif hasattr(obj, "data"):
                parts.append(str(obj.data))

        report_module.display = display  # where the notebooks' output goes
        namespace = {"display": display}
        book = nbformat.read(PROJECT / "notebooks" / f"{name}.ipynb", as_version=4)
        for cell in book.cells:
            if cell.cell_type != "code":
                continue
            source = cell.source
            if "parameters" in cell.metadata.get("tags", []):
                period = last_day if name == "04-activity" else month
                source += f"\nclient = 'demo'\nperiod = {period!r}\noutput_dir = {str(out / name)!r}"
            exec(compile(source, f"{name}.ipynb", "exec"), namespace)  # noqa: S102 - our own notebooks
        (out / f"{name}.html").write_text("<!DOCTYPE html><html><body>" + "".join(parts) + "</body></html>")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
    print(json.dumps({"written": len(NOTEBOOKS)}))
