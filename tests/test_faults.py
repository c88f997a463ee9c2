"""Faults, as they happen: runs killed at random moments (SIGKILL to the whole process group,
as a machine going down or cron's timeout would), a warehouse held by an analyst's kernel,
an outputs folder that cannot be written. The warehouse must equal an uninterrupted import,
the last good reports must stay whole, what a killed run leaves is swept by the next one,
and every refusal is one line."""

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest
from jupyter_client.manager import KernelManager

from conftest import PROJECT, rapport

TRIALS = 12  # kills at random moments per test (was 20: 12 keeps make test under 10 minutes on 2 cores)
TABLES = ("posts", "account_daily", "ads_daily", "web_daily", "mentions")


def client_with_months(tmp: Path, session_root: Path, months: list[str], slug: str = "kill") -> Path:
    """A workspace whose client `slug` holds the demo's downloads of `months` (its params are
    the demo's)."""
    root = tmp / slug
    (root / "params").mkdir(parents=True)
    for name in ("demo.yaml", "demo-logo.svg"):
        shutil.copyfile(session_root / "params" / name, root / "params" / name.replace("demo.yaml", f"{slug}.yaml"))
    raw = root / "data" / slug / "raw"
    for month in months:
        shutil.copytree(session_root / "data" / "demo" / "raw" / month, raw / month)
    for name in ("plan.csv", "problems.csv"):
        shutil.copyfile(session_root / "data" / "demo" / name, root / "data" / slug / name)
    return root


def contents(warehouse: Path) -> dict:
    """Every row of every table and the ledger, without the time of import."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for table in TABLES:
            columns = [c for (c, *_) in con.execute(f"DESCRIBE {table}").fetchall() if c != "imported_at"]
            out[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()
        out["imports"] = con.execute("SELECT sha256, path, rows FROM imports ORDER BY sha256").fetchall()
        return out
    finally:
        con.close()


def start(args: list[str], root: Path, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rapport.cli", *args],
        cwd=PROJECT,
        start_new_session=True,
        env=dict(os.environ, RAPPORT_ROOT=str(root), **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_after(process: subprocess.Popen, seconds: float) -> None:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def ingest_in_process(root: Path, monkeypatch) -> None:
    from rapport import config
    from rapport.data import ingest

    monkeypatch.setenv("RAPPORT_ROOT", str(root))
    assert not ingest.ingest(config.load_client("kill")).rejected


def test_a_killed_ingest_leaves_what_an_uninterrupted_one_would_once_run_again(session_root, tmp_path, monkeypatch):
    months = sorted(p.name for p in (session_root / "data" / "demo" / "raw").iterdir())[-1:]
    whole = client_with_months(tmp_path / "whole", session_root, months)
    ingest_in_process(whole, monkeypatch)
    expected = contents(whole / "data" / "kill" / "warehouse.duckdb")
    root = client_with_months(tmp_path / "killed", session_root, months)
    warehouse = root / "data" / "kill" / "warehouse.duckdb"
    chance = random.Random(20261125)
    interrupted = 0
    for _ in range(TRIALS):
        for stale in warehouse.parent.glob("warehouse.duckdb*"):
            stale.unlink()
        process = start(["ingest", "kill"], root)
        kill_after(process, chance.uniform(0.5, 1.8))
        interrupted += process.returncode == -signal.SIGKILL
        ingest_in_process(root, monkeypatch)  # the next run, in full
        assert contents(warehouse) == expected
    assert interrupted >= TRIALS // 2  # most trials did stop an import half-way


def digests(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.*") if p.is_file()}


def test_a_killed_report_run_leaves_the_last_good_report_whole_and_the_next_run_sweeps(session_root, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(session_root, root, ignore=shutil.ignore_patterns("outputs"))
    period = ["--report", "activity", "--period", "2026-10-18"]
    assert rapport("report", "demo", *period, root=root).returncode == 0
    out = root / "outputs" / "demo" / "2026-10-18"
    good = digests(out)
    chance = random.Random(7)
    for _ in range(TRIALS):
        process = start(["report", "demo", *period, "--force"], root)  # up to date: built anyway
        kill_after(process, chance.uniform(0.5, 4.5))
        now = digests(out)
        for name in ("activity.html", "activity.json", "activity.ipynb"):  # the old file or a whole new one
            if now[name] != good[name]:
                text = (out / name).read_text()
                assert text.rstrip().endswith("</html>") if name.endswith(".html") else json.loads(text)
        good = now
    time.sleep(1.5)  # a killed worker's kernel notices its parent is gone and exits
    assert rapport("report", "demo", *period, root=root).returncode == 0
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no staging folder left
    sockets = [p for p in Path(tempfile.gettempdir()).glob("rapport-*-*") if p.name.split("-")[1].isdigit()]
    assert all(_alive(int(p.name.split("-")[1])) for p in sockets)  # only live processes' sockets remain


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_an_outputs_folder_that_cannot_be_written_is_one_line(session_root, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(session_root, root, ignore=shutil.ignore_patterns("outputs"))
    (root / "outputs" / "demo").mkdir(parents=True)
    (root / "outputs" / "demo" / "2026-10").write_text("a file where the period's folder goes")
    result = rapport("report", "demo", "--report", "monthly", "--period", "2026-10", root=root)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert "cannot write to outputs/demo/2026-10: " in result.stdout
    assert "make the folder writable" in result.stdout


@pytest.fixture
def analyst_kernel(session_root, tmp_path):
    """A real kernel of the project's, as JupyterLab starts it, in its own workspace copy."""
    root = tmp_path / "ws"
    shutil.copytree(session_root, root, ignore=shutil.ignore_patterns("outputs"))
    manager = KernelManager(kernel_name="rapport")
    manager.start_kernel(cwd=str(PROJECT / "notebooks"), env=dict(os.environ, RAPPORT_ROOT=str(root)))
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    try:
        yield root, lambda code: client.execute_interactive(code, timeout=60, output_hook=lambda m: None)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def new_export(root: Path, name: str) -> None:
    (root / "data" / "demo" / "raw" / name).write_text(
        f"platform,post_id,published_at,impressions\nx,{name},2026-10-05T10:00:00,5\n"
    )


def test_reports_build_while_an_analyst_has_a_notebook_open_and_a_held_warehouse_is_one_line(analyst_kernel):
    root, run_in_kernel = analyst_kernel
    opened = run_in_kernel('import rapport\nr = rapport.open_report("monthly", "demo", "2026-10")\nr.kpis()')
    assert opened["content"]["status"] == "ok"
    new_export(root, "while-open.csv")  # a notebook open on a copy: ingest can write
    built = rapport("report", "demo", "--report", "monthly", "--period", "2026-10", root=root)
    assert built.returncode == 0 and "1 imported" in built.stdout, built.stderr
    # an analyst's own connection, for writing: nobody else may open the file now
    warehouse = root / "data" / "demo" / "warehouse.duckdb"
    assert run_in_kernel(f"import duckdb\nheld = duckdb.connect({str(warehouse)!r})")["content"]["status"] == "ok"
    new_export(root, "while-held.csv")
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    (root / "params" / "acme.yaml").write_text("name: Acme\n")
    (root / "data" / "acme" / "raw").mkdir(parents=True)
    for args in (["report", "demo", "--report", "monthly", "--period", "2026-10"], ["reports", "--period", "2026-10"]):
        result = subprocess.run(
            [sys.executable, "-m", "rapport.cli", *args],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            env=dict(os.environ, RAPPORT_ROOT=str(root), RAPPORT_LOCK_WAIT="1"),
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr
        held = [line for line in result.stderr.splitlines() if "holds it" in line]
        assert len(held) == 1 and "(a Jupyter kernel)" in held[0], result.stderr
        assert held[0].startswith("rapport: cannot read data/demo/warehouse.duckdb: process ")
    assert "acme" in result.stdout and "5 built, 0 failed" in result.stdout  # the other client still built
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before
