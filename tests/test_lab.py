"""The analysts' JupyterLab, for real: `make lab` (JupyterLab from .venv) on a free port with its token,
driven by Debian's headless Chromium. Each of the five notebooks and a `rapport prepare` copy
is opened and run with Run All Cells; the saved notebook holds no error, the report's styles
apply inside Lab, the explorer renders, and changing its platform and metric shows the figure
the report's JSON holds. Screenshots go to test-artifacts/screenshots/lab/, and the time from
Run All to idle per notebook to test-artifacts/lab-timings.json (bench/README.md quotes it)."""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import sync_playwright

from rapport.present.format import Formatter
from test_browser import ARGS, CHROMIUM

from conftest import PROJECT

ARTIFACTS = PROJECT / "test-artifacts"
NOTEBOOKS = sorted(p.name for p in (PROJECT / "notebooks").glob("*.ipynb"))
IDLE_TIMEOUT = 60  # seconds for one notebook to run all its cells
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in view


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A workspace copy holding the demo and the notebooks, served by `make lab` (root: the
    workspace, RAPPORT_ROOT; the kernel: Python (rapport))."""
    root = tmp_path_factory.mktemp("lab") / "ws"
    shutil.copytree(os.environ["RAPPORT_ROOT"], root, ignore=shutil.ignore_patterns("outputs"))  # conftest's
    shutil.copytree(PROJECT / "notebooks", root / "notebooks")
    env = dict(os.environ, RAPPORT_ROOT=str(root), JUPYTER_PATH=str(PROJECT / ".venv" / "share" / "jupyter"))
    prepared = subprocess.run(
        [sys.executable, "-m", "rapport.cli", "prepare", "demo", "--report", "monthly"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    written = prepared.split("/lab/tree/", 1)[1].strip()
    port, token = free_port(), secrets.token_hex(16)
    options = [  # what a user would add to make lab on a shared machine
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--LabApp.workspaces_dir={root.parent / 'workspaces'}",  # no tabs restored from another run
    ]
    server = subprocess.Popen(
        ["make", "-s", "lab", "LAB_ARGS=" + " ".join(options)],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "JupyterLab did not start"
            time.sleep(0.5)
    try:
        yield dict(root=root, base=base, token=token, prepared=written)
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # make and the JupyterLab it started
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def page(lab):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


def run_all(page, lab, path: str) -> float:
    """Open a notebook, Run All Cells, wait until every cell ran; seconds from Run All to idle.
    Then save, so the file on disk shows what ran."""
    page.goto(f"{lab['base']}/lab/tree/{path}?reset&token={lab['token']}")  # reset: this notebook's tab only
    page.wait_for_selector(f"{PANEL} .jp-CodeCell", timeout=60_000, state="attached")
    kernel_idle(lab, path)
    started = time.monotonic()
    for attempt in range(3):  # a Run All sent while the page still connects to the kernel is lost
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_function(
                "(panel) => [...document.querySelectorAll(panel + ' .jp-CodeCell .jp-InputPrompt')]"
                ".some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))",
                arg=PANEL,
                timeout=10_000,
            )
            break
        except Exception:
            assert attempt < 2, f"{path}: Run All Cells started nothing"
    try:
        _wait_until_all_ran(page)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "screenshots" / "lab" / f"timeout-{Path(path).stem}.png"))
        raise
    page.wait_for_selector(
        ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=IDLE_TIMEOUT * 1000, state="attached"
    )
    elapsed = time.monotonic() - started
    news = page.get_by_role("button", name="No", exact=True)  # Lab's "notified about Jupyter news?" toast
    if news.count():
        news.first.click()
    page.keyboard.press("Control+s")
    page.wait_for_timeout(1500)
    return elapsed


def kernel_idle(lab, path: str) -> None:
    """Wait until the server has a kernel for the notebook and it is idle."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{lab['base']}/api/sessions?token={lab['token']}", timeout=5) as answer:
            sessions = json.loads(answer.read())
        if any(s["path"] == path and s["kernel"]["execution_state"] == "idle" for s in sessions):
            return
        time.sleep(0.3)
    raise AssertionError(f"{path}: no idle kernel after 60 s")


def _wait_until_all_ran(page) -> None:
    page.wait_for_function(
        """(panel) => {
            const prompts = [...document.querySelectorAll(panel + ' .jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        arg=PANEL,
        timeout=IDLE_TIMEOUT * 1000,
    )


def errors_in(notebook: Path) -> list[str]:
    nb = nbformat.read(notebook, as_version=4)
    return [
        f"{out.get('ename')}: {out.get('evalue')}"
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]


def headline(page) -> str:
    # textContent: Lab skips painting cells out of view (content-visibility), innerText is "" there
    return (page.locator(f"{PANEL} .widget-output .rapport-tile-value").first.text_content() or "").strip()


def test_every_notebook_and_a_prepared_copy_run_in_jupyterlab(lab, page):
    timings = {}
    screenshots = ARTIFACTS / "screenshots" / "lab"
    screenshots.mkdir(parents=True, exist_ok=True)
    for path in [f"notebooks/{name}" for name in NOTEBOOKS] + [lab["prepared"]]:
        timings[path] = round(run_all(page, lab, path), 1)
        assert errors_in(lab["root"] / path) == [], path
        # the report's own styles inside Lab: tiles side by side in a grid, no empty contents
        assert page.locator(f"{PANEL} .rapport-tiles").first.evaluate("e => getComputedStyle(e).display") == "grid", (
            path
        )
        assert page.locator(f"{PANEL} nav.rapport-toc").count() == 0, path
        assert page.locator(f"{PANEL} .widget-output .rapport-tile-value").count() >= 1, path  # the explorer rendered
        for part, selector in (("top", ".rapport-header"), ("explorer", ".widget-output")):
            page.locator(f"{PANEL} {selector}").first.scroll_into_view_if_needed()
            page.wait_for_timeout(300)  # Lab paints cells as they come into view
            page.screenshot(path=str(screenshots / f"{Path(path).stem}-{part}.png"))
    (ARTIFACTS / "lab-timings.json").write_text(json.dumps(timings, indent=1))


def test_the_explorer_in_lab_says_what_the_report_says(lab, page):
    if lab["prepared"] not in page.url:  # the test before ends on it, run; alone, this one runs it
        run_all(page, lab, lab["prepared"])
    saved = sorted((lab["root"] / "outputs" / "demo").glob("*/explore/monthly.json"))[-1]
    report = json.loads(saved.read_text())
    fmt = Formatter("en")
    selects = page.locator(f"{PANEL} .widget-dropdown select")
    for platform, metric in [
        ("all", "engagement_rate"),  # as the notebook opens
        ("instagram", "impressions"),
        ("tiktok", "engagement_rate"),
        ("all", "posts"),
    ]:
        selects.nth(0).select_option(platform)
        selects.nth(1).select_option(metric)
        expected = fmt.metric(report["kpis"][platform][metric], metric)
        page.wait_for_function(
            "([panel, expected]) => { const t = document.querySelector(panel + ' .widget-output .rapport-tile-value');"
            " return t && t.textContent.trim() === expected; }",
            arg=[PANEL, expected],
            timeout=30_000,
        )
        assert headline(page) == expected, (platform, metric)
    page.locator(f"{PANEL} .widget-output").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "screenshots" / "lab" / "explorer-changed.png"))
