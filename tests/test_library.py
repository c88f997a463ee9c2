"""Library pieces the notebooks call: exceptions, the activity window, the HTML export."""

from datetime import date

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from rapport.analysis import findings as exceptions
from rapport.analysis import plan
from rapport.data import plan_files
from rapport.present.format import Formatter
from rapport.present.html import Html
from rapport.publish import export


def kpis(**columns):
    frame = pd.DataFrame(columns, index=["facebook", "all"]).astype(object)
    for metric in exceptions.WATCHED:
        if metric not in frame:
            frame[metric] = None
    return frame


def test_kpi_drop_fires_beyond_the_threshold_only():
    previous = kpis(impressions=[1000, 2000], engagement_rate=[0.05, 0.05])
    current = kpis(impressions=[790, 1700], engagement_rate=[0.02, 0.045])
    found = exceptions.kpi_drops(current, previous, drop_pct=20)
    # facebook impressions -21 %: warning; engagement rate -60 %: critical (over twice 20);
    # all: impressions -15 % and rate -10 % stay quiet
    assert [(f.subject, f.metric, f.severity) for f in found] == [
        ("facebook", "engagement_rate", "critical"),
        ("facebook", "impressions", "warning"),
    ]
    assert exceptions.kpi_drops(current, previous, drop_pct=80) == []
    undefined = kpis(impressions=[0, None])
    assert exceptions.kpi_drops(undefined, kpis(impressions=[0, 5]), drop_pct=20) == []


def test_open_high_severity_problems():
    problems = pd.DataFrame(
        {"problem": ["a", "b", "c"], "status": ["open", "solved", None], "severity": ["high", "high", "high"]}
    )
    assert [f.subject for f in exceptions.open_problems(problems)] == ["a", "c"]


def test_activity_window_states():
    frame = pd.DataFrame(
        [
            dict(id="A", due=date(2026, 10, 10), done=date(2026, 10, 9), status="done"),
            dict(id="B", due=date(2026, 10, 10), done=date(2026, 10, 12), status="done"),
            dict(id="C", due=date(2026, 10, 12), done=None, status="in progress"),
            dict(id="D", due=date(2026, 10, 25), done=None, status="not started"),
            dict(id="E", due=date(2026, 11, 20), done=None, status="not started"),
            dict(id="F", due=date(2026, 9, 1), done=date(2026, 9, 1), status="done"),
            dict(id="G", due=date(2026, 10, 12), done=None, status="cancelled"),
        ]
    )
    window = plan.activity_window(frame, date(2026, 10, 5), date(2026, 10, 18))
    assert dict(zip(window["id"], window["state"])) == {"A": "done", "B": "done late", "C": "late", "D": "due soon"}


def test_plan_file_errors_name_file_row_and_column(workspace):
    folder = workspace / "data" / "acme"
    folder.mkdir(parents=True)
    (folder / "plan.csv").write_text("id,activity,due,hours_planned\nA1,Shoot,2026-10-01,6\nA2,Edit,2026-10-40,4\n")
    with pytest.raises(Exception, match=r"data/acme/plan.csv: row 3: column due: '2026-10-40' is not a date"):
        plan_files.load_plan(folder)
    (folder / "plan.csv").write_text("id,activity,due,hours\nA1,Shoot,2026-10-01,6\n")
    with pytest.raises(Exception, match=r"plan.csv: unknown column 'hours'"):
        plan_files.load_plan(folder)


def test_text_from_data_is_escaped():
    html = Html(Formatter("en")).rows_table(
        [{"text": "<script>alert(1)</script> & co"}], [("text", "col.text", "excerpt")]
    )
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_fragments_add_no_space_between_tags():
    # the templates' line breaks are for reading them: on the page they would be spaces
    tiles = Html(Formatter("en")).tiles({"posts": 3}, {"posts": 2}, ["posts"])
    assert BeautifulSoup(tiles, "html.parser").get_text() == "Posts3▲ +50.0% vs previous period"


def test_export_keeps_outputs_and_drops_code_parameters_widgets_and_noise():
    book = new_notebook(metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {}}})
    book.cells = [
        new_code_cell("client = 'demo'", metadata={"tags": ["parameters"]}),
        new_code_cell(
            "client = 'acme'",
            metadata={"tags": ["injected-parameters"]},
            outputs=[new_output("stream", name="stdout", text="SECRET PARAM")],
        ),
        new_markdown_cell("Analyst notes", metadata={"tags": ["remove-cell"]}),
        new_code_cell(
            "print('shown')",
            outputs=[
                new_output("stream", name="stdout", text="visible output"),
                new_output("stream", name="stderr", text="DeprecationWarning"),
            ],
        ),
    ]
    html = export.to_html(nbformat.from_dict(book), "Acme · Monthly report · October 2026")
    assert "<title>Acme · Monthly report · October 2026</title>" in html
    assert "visible output" in html
    for gone in (
        "SECRET PARAM",
        "Analyst notes",
        "DeprecationWarning",
        "print(",
        "require.js",
        "mathjax",
        "unpkg",
        "<script src",
    ):
        assert gone.lower() not in html.lower(), gone
