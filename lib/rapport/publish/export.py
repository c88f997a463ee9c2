"""Executed notebook → the stakeholder HTML: our template, no code, nothing from other hosts."""

from __future__ import annotations

from functools import cache

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from rapport.paths import TEMPLATES
from rapport.present import html

REMOVED_CELLS = {"remove-cell", "parameters", "injected-parameters"}


class DropNoise(Preprocessor):
    """Drop stderr streams and warnings: a stakeholder never sees a library's complaints."""

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") == "code":
            cell.outputs = [
                out
                for out in cell.get("outputs", [])
                if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
                and out.get("output_type") != "error"
            ]
        return cell, resources


@cache
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
    page = (TEMPLATES / "rapport" / "report.css").read_text(encoding="utf-8")
    resources = {"rapport_css": page + html.stylesheet()}
    body, _ = _exporter(language).from_notebook_node(notebook, resources=resources)
    return finish(body)


def finish(page: str) -> str:
    """What only the whole page knows: the table of contents (its sections, in order), the
    footnote numbers (defined metrics in order of first mention; the definitions listed in
    that order; a reference without a definition on the page is dropped) and the column
    names a phone shows in record tables."""
    soup = BeautifulSoup(page, "html.parser")  # the parser nbconvert itself serialises the page with
    _contents(soup)
    _footnotes(soup)
    _labels(soup)
    return str(soup)


def _labels(soup: BeautifulSoup) -> None:
    """Each cell of a record table carries its column's name (data-label), which a phone
    shows beside the value when the rows become stacked cards (fragments.css)."""
    for table in soup.select("table.rapport-rows"):
        names = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        for row in table.select("tbody tr"):
            for name, cell in zip(names, row.find_all("td", recursive=False), strict=False):
                cell["data-label"] = name


def _contents(soup: BeautifulSoup) -> None:
    """Every section heading (<h2 id>), in reading order, as a link in the header's list."""
    toc = soup.select_one("nav.rapport-toc ol")
    if toc is None:
        return
    for heading in soup.select("h2[id]"):
        link = soup.new_tag("a", href=f"#{heading['id']}", string=heading.get_text())
        item = soup.new_tag("li")
        item.append(link)
        toc.append(item)


def _footnotes(soup: BeautifulSoup) -> None:
    """Numbers the references (<a data-fn>) in order of first mention, lists the
    definitions in that order, drops references to nothing and the marks left empty."""
    notes = soup.select_one("ol.rapport-footnotes")
    defined = {str(item["id"]).removeprefix("def-"): item for item in notes.select('li[id^="def-"]')} if notes else {}
    references = soup.select("a[data-fn]")
    numbers: dict[str, int] = {}
    for metric in [str(a["data-fn"]) for a in references if a["data-fn"] in defined] + list(defined):
        numbers.setdefault(metric, len(numbers) + 1)
    if notes is not None:  # appending moves an item: the list ends up in number order
        for metric in sorted(defined, key=numbers.__getitem__):
            notes.append(defined[metric])
    for reference in references:
        metric = str(reference.attrs.pop("data-fn"))
        if metric in numbers:
            reference.string = str(numbers[metric])
        else:
            reference.decompose()
    for mark in soup.select("sup.rapport-fn"):
        if not mark.contents:
            mark.decompose()
