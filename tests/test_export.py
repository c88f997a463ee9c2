"""What the export works out from the whole page: the table of contents and the footnotes."""

import re

import pandas as pd
from bs4 import BeautifulSoup

from rapport import periods
from rapport.present import html
from rapport.present.format import Formatter
from rapport.present.html import Html
from rapport.publish import export

HTML = Html(Formatter("en"))
KPIS = pd.DataFrame({"posts": [3], "clicks": [None]}, index=["all"])
REACH = '<sup class="rapport-fn"><a href="#def-reach" data-fn="reach"></a></sup>'  # a metric the page does not define


def page(*parts) -> BeautifulSoup:
    header = HTML.header("Acme", "Monthly report", periods.for_report("monthly", "2026-10"), "#1f5f8b")
    return BeautifulSoup(export.finish("".join([header, *parts])), "html.parser")


def test_the_table_of_contents_lists_every_section_in_order():
    done = page(
        HTML.section("summary"),
        '<h2 id="extra">Tom &amp; Jerry <em>now</em></h2>',
        "<h2>No id</h2>",
        HTML.section("channels"),
        HTML.definitions(["posts"]),
    )
    toc = [(a["href"], a.get_text()) for a in done.select("nav.rapport-toc ol > li > a")]
    assert toc == [
        ("#summary", "Summary"),
        ("#extra", "Tom & Jerry now"),
        ("#channels", "Channels"),
        ("#definitions", "Definitions"),
    ]


def test_footnotes_are_numbered_in_order_of_first_mention():
    done = page(
        HTML.kpi_table(KPIS, ["clicks", "posts"]),
        HTML.tiles({"posts": 3}, {"posts": 2}, ["posts"]),
        REACH,
        HTML.definitions(["posts", "roi", "clicks"]),
    )
    assert [(a["href"], a.get_text()) for a in done.select("sup.rapport-fn a")] == [
        ("#def-clicks", "1"),
        ("#def-posts", "2"),
        ("#def-posts", "2"),
    ]
    assert [li["id"] for li in done.select("ol.rapport-footnotes li")] == ["def-clicks", "def-posts", "def-roi"]
    # a reference without a definition on the page is dropped with its mark, not left a dead link
    assert not done.select('a[href="#def-reach"]') and len(done.select("sup.rapport-fn")) == 3
    assert not done.select("a[data-fn]")


def test_a_page_without_definitions_keeps_no_reference():
    done = page(HTML.section("summary"), HTML.tiles({"posts": 3}, {"posts": 2}, ["posts"]))
    assert not done.select("sup.rapport-fn") and done.select_one(".rapport-tile-value").get_text() == "3"


def test_by_hand_in_jupyterlab_the_header_brings_the_styles_and_no_empty_contents():
    october = periods.for_report("monthly", "2026-10")
    published = BeautifulSoup(HTML.header("Acme", "Monthly report", october, "#1f5f8b"), "html.parser")
    by_hand = BeautifulSoup(HTML.header("Acme", "Monthly report", october, "#1f5f8b", published=False), "html.parser")
    assert published.select("nav.rapport-toc") and not by_hand.select("nav.rapport-toc")
    styles = [s.get_text() for s in by_hand.select("style")]
    assert any(".rapport-tile {" in s and ".rapport-table-wrap" in s for s in styles)
    assert not any(".rapport-tile {" in s.get_text() for s in published.select("style"))
    # Lab's own interface keeps its look: the stylesheet shown in Lab touches only rapport- classes
    rules = re.sub(r"/\*.*?\*/", "", html.stylesheet(), flags=re.S)
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{[^{}]*\}", rules) for s in block.split(",")]
    assert selectors and all("rapport-" in s or s == ":root" or s.startswith("@") for s in selectors), selectors


def test_each_cell_of_a_record_table_carries_its_columns_name_for_the_phone():
    rows = [{"id": "A1", "activity": "Reels", "due": None}]
    columns = [("id", "col.id", "text"), ("activity", "col.activity", "text"), ("due", "col.due", "date")]
    done = page(HTML.rows_table(rows, columns), HTML.kpi_table(KPIS, ["posts"]))
    assert [td["data-label"] for td in done.select("table.rapport-rows td")] == ["Id", "Activity", "Due"]
    assert not done.select("table:not(.rapport-rows) td[data-label]")  # figure tables keep their header row


def test_the_page_brings_its_own_stylesheet_and_no_jupyterlab_one():
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    notebook.cells[0].outputs = [nbformat.v4.new_output("display_data", {"text/html": HTML.section("summary")})]
    done = export.to_html(notebook, "Acme")
    assert "--jp-" not in done and "rapport-tiles" in done and "body.jp-Notebook" in done
    assert len(done) < 20_000  # the style of a whole report page, with one heading
