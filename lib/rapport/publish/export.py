"""Executed notebook → the stakeholder HTML: our template, no code, nothing from other hosts."""

from __future__ import annotations

import re
from functools import lru_cache

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from rapport.paths import TEMPLATES

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


@lru_cache(maxsize=None)
def _exporter(language: str) -> HTMLExporter:
    """One exporter per language and process (building one loads the templates)."""
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
    return finish(body)


_SECTION = re.compile(r'<h2 id="([\w-]+)">(.*?)</h2>', re.S)
# nbconvert re-serialises output HTML (attributes in any order): match attributes loosely
_REFERENCE = re.compile(r'<a [^>]*\bdata-fn="(\w+)"[^>]*></a>')
_FOOTNOTES = re.compile(r'(<ol class="rapport-footnotes">)(.*?)(</ol>)', re.S)
_FOOTNOTE = re.compile(r'<li [^>]*\bid="def-(\w+)"[^>]*>.*?</li>', re.S)


def finish(page: str) -> str:
    """What only the whole page knows: the table of contents (its sections, in order) and
    the footnote numbers (defined metrics in order of first mention; the definitions listed
    in that order). A reference without a definition on the page is dropped."""
    toc = "".join(f'<li><a href="#{key}">{title}</a></li>' for key, title in _SECTION.findall(page))
    page = page.replace("<ol></ol></nav>", f"<ol>{toc}</ol></nav>", 1)
    notes = _FOOTNOTES.search(page)
    items = {m.group(1): m.group(0) for m in _FOOTNOTE.finditer(notes.group(2))} if notes else {}
    numbers: dict[str, int] = {}
    for metric in [m for m in _REFERENCE.findall(page) if m in items] + list(items):
        numbers.setdefault(metric, len(numbers) + 1)
    if notes:
        ordered = "".join(items[m] for m in sorted(items, key=numbers.__getitem__))
        page = page[:notes.start(2)] + ordered + page[notes.end(2):]
    page = _REFERENCE.sub(
        lambda m: f'<a href="#def-{m.group(1)}">{numbers[m.group(1)]}</a>' if m.group(1) in numbers else "", page)
    return page.replace('<sup class="rapport-fn"></sup>', "")
