"""Shared fixtures. Every test runs against a throwaway workspace (RAPPORT_ROOT), never the
project's own params/, data/ or outputs/.

pytest_configure prepares one workspace holding the demo client (data written and
ingested) before anything is collected, so that the notebooks nbval runs with their
default parameters (client "demo", the last complete month) read it too.

`make test` runs the tests on every core (pytest-xdist): each worker process has a workspace
of its own, and pytest_xdist_make_scheduler keeps together on one worker what must share a
process (README.md, "Development", Tests).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
_SESSION_ROOT = Path(tempfile.mkdtemp(prefix="rapport-tests-"))


def pytest_configure(config):
    os.environ["RAPPORT_ROOT"] = str(_SESSION_ROOT)
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        return  # pytest-xdist's controller hands the tests out and runs none: no demo needed
    if os.environ.get("RAPPORT_TESTS_NO_DEMO"):  # bench/mutation.py: unit tests only, run per mutant
        make_workspace(_SESSION_ROOT)
        return
    from rapport import config as params
    from rapport import demo, periods
    from rapport.data import ingest

    make_workspace(_SESSION_ROOT)
    client = params.load_client("demo", require_data=False)
    demo.write(client.data_dir, periods.last_complete_month(demo.TIMEZONE))
    ingest.ingest(params.load_client("demo"))


# The session fixtures that build the demo's reports in one workspace of the session, and
# the modules that use them: with pytest-xdist these run on one worker, which builds them once
SHARED_REPORTS = {"demo_reports", "translated", "hostile_reports"}
SHARED_REPORTS_MODULES = {
    "test_browser.py",
    "test_cluster.py",
    "test_commands.py",
    "test_end_to_end.py",
    "test_goal_metrics.py",
    "test_languages.py",
    "test_reports.py",
    "test_send.py",
    "test_slides.py",
}


@pytest.hookimpl(optionalhook=True)  # pytest -p no:xdist runs without it
def pytest_xdist_make_scheduler(config, log):
    """`make test` on every core: a module's tests (or a notebook's cells) run on one worker,
    in order, so that its module fixtures are built once and nbval runs the cells in one
    kernel; the modules of SHARED_REPORTS_MODULES share one worker, which builds the demo's
    reports once. The largest groups are handed out first."""
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return "the demo's reports" if Path(module).name in SHARED_REPORTS_MODULES else module

    return ByModule(config, log)


def pytest_runtest_setup(item):
    """A test of a module using the demo's built reports that SHARED_REPORTS_MODULES misses
    fails, in any selection: on another worker it would build them again, and race with the
    tests that write the languages and the hostile client into their workspace."""
    if SHARED_REPORTS & set(getattr(item, "fixturenames", ())) and item.path.name not in SHARED_REPORTS_MODULES:
        pytest.fail(f"add {item.path.name} to SHARED_REPORTS_MODULES in tests/conftest.py", pytrace=False)


def pytest_unconfigure(config):
    shutil.rmtree(_SESSION_ROOT, ignore_errors=True)


def make_workspace(root: Path) -> Path:
    (root / "params").mkdir(parents=True, exist_ok=True)
    for name in ("demo.yaml", "demo-logo.svg", "_template.yaml"):
        shutil.copyfile(PROJECT / "params" / name, root / "params" / name)
    return root


@pytest.fixture(scope="session")
def session_root() -> Path:
    """The shared workspace with the demo client ingested (read it, do not change it)."""
    return _SESSION_ROOT


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    """An empty workspace of the test's own, with params/demo.yaml and the template."""
    make_workspace(tmp_path)
    monkeypatch.setenv("RAPPORT_ROOT", str(tmp_path))
    return tmp_path


def rapport(*args: str, root: Path, check: bool = False) -> subprocess.CompletedProcess:
    """Run the real `rapport` command in a workspace, as a user would."""
    env = dict(os.environ, RAPPORT_ROOT=str(root))
    result = subprocess.run(
        [sys.executable, "-m", "rapport.cli", *args], capture_output=True, text=True, env=env, cwd=PROJECT, timeout=900
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"rapport {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


REPORTS = ["audit", "goals", "monthly", "activity", "exceptions"]


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory):
    """`rapport report demo` run once, in a fresh workspace, exactly as a consultant runs it:
    returns (workspace, completed process, the month reported)."""
    import json

    root = make_workspace(tmp_path_factory.mktemp("e2e"))
    result = rapport("report", "demo", root=root, check=True)
    month = json.loads(next(root.glob("outputs/demo/*/monthly.json")).read_text())["period"]["label"]
    return root, result, month


def outputs(root: Path, month: str) -> dict[str, Path]:
    """Each report's output path without suffix (the activity report files under its last day)."""
    import pandas as pd

    last_day = pd.Period(month).end_time.date().isoformat()
    return {r: root / "outputs" / "demo" / (last_day if r == "activity" else month) / r for r in REPORTS}


LANGUAGES = ["en", "sv", "fr", "bg"]


@pytest.fixture(scope="session")
def translated(demo_reports):
    """The demo's five reports in sv, fr and bg too (clients demo-sv, … sharing the demo's
    data folder): returns (workspace, month); outputs under outputs/demo-<language>/."""
    root, _, month = demo_reports
    params = (root / "params" / "demo.yaml").read_text()
    for language in LANGUAGES[1:]:
        (root / "params" / f"demo-{language}.yaml").write_text(
            params.replace("language: en", f"language: {language}") + "data_dir: data/demo\n"
        )
        rapport("report", f"demo-{language}", "--period", month, root=root, check=True)
    return root, month


def language_outputs(root: Path, month: str, language: str) -> dict[str, Path]:
    client = "demo" if language == "en" else f"demo-{language}"
    return {r: Path(str(p).replace("/outputs/demo/", f"/outputs/{client}/")) for r, p in outputs(root, month).items()}


HOSTILE = "<script>window.injected=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.injected=2">'


@pytest.fixture(scope="session")
def hostile_reports(demo_reports):
    """A client whose params, posts, plan and problem log are full of markup and script, and
    whose audience is the team: its five reports, built like any other. Returns (workspace,
    month)."""
    import textwrap

    import pandas as pd

    root, _, month = demo_reports
    first = pd.Period(month).start_time.date()
    (root / "params" / "hostile.yaml").write_text(
        textwrap.dedent(f"""\
        name: 'Acme <b id="injected">&amp;</b> {HOSTILE}'
        language: en
        timezone: Europe/Stockholm
        currency: EUR
        audience: team
        objective: '{HOSTILE_IMG}'
        post: {{people: '{HOSTILE}'}}
        goals:
          - {{id: '<i id="injected">G</i>', name: '{HOSTILE}', type: engaged_community, metric: engagements,
              target: 100000, start: "{first.replace(year=first.year - 1)}", deadline: "{first.replace(year=first.year + 1)}"}}
        competitors: ['<b id="injected">Rival</b>']
        swot: {{opportunities: ['{HOSTILE}'], threats: ['{HOSTILE_IMG}']}}
        crisis: {{steps: [{{do: '{HOSTILE}', owner: '{HOSTILE_IMG}', within: '{HOSTILE}'}}],
                  contacts: [{{name: '{HOSTILE}', role: '{HOSTILE_IMG}', email: a@acme.example}}],
                  holding_statements: [{{title: '{HOSTILE_IMG}', text: '{HOSTILE}'}}]}}
        """)
    )
    data = root / "data" / "hostile"
    (data / "raw").mkdir(parents=True)
    rows = [
        dict(
            platform="instagram",
            post_id=str(i),
            published_at=f"{first + pd.Timedelta(days=i)}T10:00:00",
            text=text,
            url=url,
            impressions=1000 + i,
            reactions=10 * i,
            comments=i,
            shares=1,
            format="image",
        )
        for i, (text, url) in enumerate(
            [
                (HOSTILE, "javascript:window.injected=3"),
                (HOSTILE_IMG, 'https://e.com/"><script>window.injected=4</script>'),
                ("plain", "https://example.com/p/1"),
            ]
            * 2
        )
    ]
    pd.DataFrame(rows).assign(post_id=lambda f: f.index.astype(str)).to_csv(data / "raw" / "posts.csv", index=False)
    due = first + pd.Timedelta(days=20)
    (data / "plan.csv").write_text(
        "id,activity,owner,due,status,hours_planned,hours_spent\n"
        f'A1,"{HOSTILE}","{HOSTILE_IMG}",{due},in progress,2,9\n'
    )
    (data / "problems.csv").write_text(
        f'date,problem,cause,solution,consequence,status,severity\n{first},"{HOSTILE_IMG}","{HOSTILE}",x,y,open,high\n'
    )
    rapport("report", "hostile", "--period", month, root=root, check=True)
    return root, month


def notebook(path: Path, *sources: str) -> Path:
    """A small notebook of a test's own for the runner: the parameters cell, then `sources`."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    book = new_notebook(metadata={"kernelspec": {"name": "rapport", "display_name": "rapport", "language": "python"}})
    book.cells = [new_code_cell('client = "demo"\nperiod = ""\noutput_dir = ""', metadata={"tags": ["parameters"]})]
    book.cells += [new_code_cell(source) for source in sources]
    nbformat.write(book, path)
    return path
