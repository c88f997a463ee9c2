"""Executed notebook → the stakeholder HTML: our template, no code, nothing from other hosts."""

from __future__ import annotations

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from .paths import TEMPLATES

REMOVED_CELLS = {"remove-cell", "parameters", "injected-parameters"}


class DropNoise(Preprocessor):
    """Drop stderr streams and warnings: a stakeholder never sees a library's complaints."""

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") == "code":
            cell.outputs = [
                out for out in cell.get("outputs", [])
                if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
                and out.get("output_type") != "error"
            ]
        return cell, resources


def _exporter(language: str) -> HTMLExporter:
    exporter = HTMLExporter(
        template_name="rapport",
        language_code=language,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags=REMOVED_CELLS,
            remove_input_tags={"remove-input"},
            remove_all_outputs_tags={"remove-output"},
            enabled=True,
        ),
        enabled=True,
    )
    exporter.register_preprocessor(DropNoise(enabled=True), enabled=True)
    return exporter


def to_html(notebook: nbformat.NotebookNode, title: str, language: str = "en") -> str:
    """Render an executed notebook as a self-contained page titled `title`."""
    notebook = nbformat.from_dict(notebook)  # a copy: the executed .ipynb keeps everything
    notebook.metadata["title"] = title
    notebook.metadata.pop("widgets", None)
    resources = {"rapport_css": (TEMPLATES / "rapport" / "report.css").read_text(encoding="utf-8")}
    body, _ = _exporter(language).from_notebook_node(notebook, resources=resources)
    return body
