"""The runner with the real papermill, kernel and nbconvert, on small notebooks of the test's own."""

import json
import threading

import nbformat
import pytest

from rapport import periods
from rapport.errors import ReportFailed
from rapport.publish import run

from conftest import notebook

OCTOBER = periods.for_report("monthly", "2026-10")


@pytest.fixture
def outputs(workspace):
    (workspace / "data" / "demo").mkdir(parents=True)
    folder = workspace / "outputs" / "demo" / "2026-10"
    folder.mkdir(parents=True)
    return folder


def test_a_failing_notebook_leaves_the_last_good_report(workspace, outputs):
    (outputs / "monthly.html").write_text("last good html")
    (outputs / "monthly.json").write_text('{"last": "good"}')
    book = notebook(
        workspace / "broken.ipynb",
        "import json, pathlib\nx = 1",
        "pathlib.Path(output_dir, 'monthly.json').write_text('{}')\n1 / 0",
    )
    with pytest.raises(ReportFailed) as caught:
        run.run(run.Job("demo", "monthly", OCTOBER, notebook=book))
    assert caught.value.lines[0].endswith("broken.ipynb: cell 3: ZeroDivisionError: division by zero")
    assert "outputs/demo/2026-10/failed/monthly.ipynb" in caught.value.lines[1]
    assert (outputs / "monthly.html").read_text() == "last good html"
    assert (outputs / "monthly.json").read_text() == '{"last": "good"}'
    kept = nbformat.read(outputs / "failed" / "monthly.ipynb", as_version=4)
    assert kept.cells[-1].outputs[0]["ename"] == "ZeroDivisionError"
    assert [p.name for p in outputs.iterdir()] and not [p for p in outputs.iterdir() if p.name.startswith(".")]


def test_a_good_run_publishes_html_json_and_notebook_and_clears_the_failure(workspace, outputs):
    (outputs / "failed").mkdir()
    (outputs / "failed" / "monthly.ipynb").write_text("{}")
    book = notebook(
        workspace / "good.ipynb",
        "import json, pathlib, sys\nprint('to stderr', file=sys.stderr)\n"
        "pathlib.Path(output_dir, 'monthly.json').write_text(json.dumps({'client': client, 'period': period}))",
        "from IPython.display import HTML\nHTML('<p id=shown>shown &amp; told</p>')",
    )
    outcome = run.run(run.Job("demo", "monthly", OCTOBER, notebook=book))
    assert outcome.html == outputs / "monthly.html"
    assert json.loads((outputs / "monthly.json").read_text()) == {"client": "demo", "period": "2026-10"}
    html = (outputs / "monthly.html").read_text()
    assert '<p id="shown">shown &amp; told</p>' in html
    assert "to stderr" not in html and "pathlib" not in html
    assert "<title>Nordkaffe · Monthly report · October 2026</title>" in html
    assert not (outputs / "failed" / "monthly.ipynb").exists()
    executed = nbformat.read(outputs / "monthly.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)


def test_parallel_runs_do_not_collide(workspace, outputs):
    lines = []
    jobs = []
    for n, report in enumerate(["audit", "goals", "monthly"]):
        book = notebook(
            workspace / f"nb{n}.ipynb",
            f"import pathlib, time\ntime.sleep(0.5)\npathlib.Path(output_dir, '{report}.json').write_text('{n}')",
        )
        jobs.append(run.Job("demo", report, OCTOBER, notebook=book))
    outcomes = run.run_all(jobs, workers=3, progress=lines.append)
    assert [o.error for o in outcomes] == [None, None, None]
    assert sorted((outputs / f"{r}.json").read_text() for r in ["audit", "goals", "monthly"]) == ["0", "1", "2"]
    assert len(lines) == 3 and all(" s  outputs/demo/2026-10/" in line for line in lines)


def test_a_warm_kernel_forgets_the_previous_notebook_and_a_failed_one_is_replaced(workspace, outputs):
    first = notebook(workspace / "first.ipynb", "import os\nleak = os.getpid()\nleak")
    second = notebook(
        workspace / "second.ipynb",
        "import os\nprint(os.getpid(), 'leak' in globals(), get_ipython().history_manager.enabled)",
    )
    broken = notebook(workspace / "broken.ipynb", "1 / 0")
    try:
        run.run(run.Job("demo", "monthly", OCTOBER, notebook=first))
        pid = nbformat.read(outputs / "monthly.ipynb", as_version=4).cells[-1].outputs[0]["data"]["text/plain"]
        threads = threading.active_count()
        run.run(run.Job("demo", "monthly", OCTOBER, notebook=second))
        assert threading.active_count() == threads  # no client (heartbeat thread) left behind per notebook
        again = nbformat.read(outputs / "monthly.ipynb", as_version=4).cells[-1]
        # the same kernel, a clean namespace, no history file that kernels would fight over
        assert again.outputs[0]["text"] == f"{pid} False False\n"
        assert again.execution_count == 3  # numbered from 1 again: parameters, injected parameters, this
        with pytest.raises(ReportFailed):
            run.run(run.Job("demo", "monthly", OCTOBER, notebook=broken))
        run.run(run.Job("demo", "monthly", OCTOBER, notebook=second))
        fresh = nbformat.read(outputs / "monthly.ipynb", as_version=4).cells[-1].outputs[0]["text"]
        assert fresh.split()[0] != pid and fresh.split()[1] == "False"  # a new kernel after the failure
    finally:
        run.stop_kernel()


def test_a_hung_cell_hits_the_timeout_and_the_last_good_report_stays(workspace, outputs):
    (outputs / "monthly.html").write_text("last good html")
    book = notebook(workspace / "hung.ipynb", "import time\ntime.sleep(120)")
    started = __import__("time").perf_counter()
    with pytest.raises(ReportFailed) as caught:
        run.run(run.Job("demo", "monthly", OCTOBER, notebook=book), timeout=3)
    assert __import__("time").perf_counter() - started < 60
    assert "CellTimeoutError: A cell timed out while it was being executed, after 3 seconds" in caught.value.lines[0]
    assert (outputs / "monthly.html").read_text() == "last good html"
