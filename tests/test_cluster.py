"""The batch on a Dask cluster (`rapport reports --cluster`), as an agency runs it: a real
LocalCluster of two worker processes, the real CLI, the figures compared with the reports
built on this machine."""

import json
import shutil
import socket
import time

import pytest
from distributed import Client, LocalCluster

from rapport import periods
from rapport.publish import cluster as dask_cluster
from rapport.publish import run

from conftest import REPORTS, make_workspace, notebook, outputs, rapport

VARYING = {"generated_at", "fingerprint"}  # when and from which warehouse file: not the figures


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, session_root):
    """A workspace with the demo client's data, and a LocalCluster whose workers share it:
    (workspace, scheduler address)."""
    root = make_workspace(tmp_path_factory.mktemp("cluster"))
    shutil.copytree(session_root / "data" / "demo", root / "data" / "demo")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("RAPPORT_ROOT", str(root))  # the workers' data folder, as docs/cluster.md says
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
            yield root, local.scheduler_address


def _kernels() -> list[tuple[int, int]]:
    """On a worker: (kernel process, notebooks it ran) of each warm kernel it keeps."""
    import sys

    # not imported here: the worker's task thread may be importing it at this very moment
    kernel = sys.modules.get("rapport.publish.kernel")
    started = [
        k for k in getattr(kernel, "_STARTED", []) if k.manager is not None and k.manager.provisioner is not None
    ]
    return [(k.manager.provisioner.pid, k.runs) for k in started]


def _profiling(dask_worker) -> list[str]:
    """On a worker: which of the periodic callbacks its plugin stops still run."""
    return [name for name in dask_cluster.QUIET if dask_worker.periodic_callbacks[name].is_running()]


def _warmed(client: Client) -> dict:
    """Each worker's kernels once its plugin has started one (as the worker joins) and has
    imported the report modules into it (a warm-up is not counted as a notebook run)."""
    for _ in range(120):
        kernels = client.run(_kernels)
        if all(k and all(runs == 0 for _, runs in k) for k in kernels.values()):
            return kernels
        time.sleep(0.5)
    raise AssertionError(f"no warm kernel on some worker: {kernels}")


def test_the_cluster_builds_the_reports_this_machine_builds_on_warm_kernels(cluster, demo_reports, monkeypatch):
    root, address = cluster
    monkeypatch.setenv("RAPPORT_ROOT", str(root))
    with dask_cluster.connected(address, ["demo"]) as client:
        warm = _warmed(client)  # before any notebook: started by the plugin, none run yet
        # and the profiler and latency check that would take the GIL from its task thread are stopped
        assert client.run(_profiling) == {worker: [] for worker in warm}
    assert sorted(len(k) for k in warm.values()) == [1, 1] and all(k[0][1] == 0 for k in warm.values())
    built = rapport("reports", "--cluster", address, root=root)
    assert built.returncode == 0, built.stderr
    assert f"Building 5 report(s) on the cluster at {address}" in built.stdout
    assert "5 built, 0 failed, 0 up to date" in built.stdout
    here, _, month = demo_reports
    theirs, ours = outputs(root, month), outputs(here, month)
    for report in REPORTS:
        remote = json.loads(theirs[report].with_suffix(".json").read_text())
        local = json.loads(ours[report].with_suffix(".json").read_text())
        assert {k: v for k, v in remote.items() if k not in VARYING} == {
            k: v for k, v in local.items() if k not in VARYING
        }, report
        assert theirs[report].with_suffix(".html").stat().st_size > 10_000
        assert remote["fingerprint"]  # published here, stamped so the next run can skip it
    with Client(address) as client:
        kernels = client.run(_kernels)
    # each worker ran its notebooks in the kernel its plugin started (registered again by the
    # run, the plugin kept it)
    assert {w: [pid for pid, _ in k] for w, k in kernels.items()} == {w: [pid for pid, _ in k] for w, k in warm.items()}
    assert sum(runs for k in kernels.values() for _, runs in k) == 5
    again = rapport("reports", "--cluster", address, root=root)
    assert again.returncode == 0 and "0 built, 0 failed, 5 up to date" in again.stdout


def test_a_cluster_that_cannot_build_a_client_is_refused_in_one_line(cluster, workspace):
    _, address = cluster
    (workspace / "params" / "demo.yaml").unlink()  # solo alone: nothing but it to ingest
    assert rapport("new-client", "solo", root=workspace).returncode == 0
    refused = rapport("reports", "--cluster", address, root=workspace)
    # the workers read another data folder: they would build nothing, or another client's figures
    assert refused.returncode == 1
    lines = [line for line in refused.stderr.splitlines() if line.startswith("rapport:")]
    assert len(lines) == 1 and "Traceback" not in refused.stderr
    assert lines[0].startswith("rapport: worker tcp://127.0.0.1:")
    assert "no params/solo.yaml under" in lines[0] and "RAPPORT_ROOT" in lines[0]
    assert not list((workspace / "outputs").glob("solo/*/*.html"))


def test_a_notebook_failing_on_a_worker_is_kept_here_and_said_in_two_lines(cluster, monkeypatch):
    root, address = cluster
    monkeypatch.setenv("RAPPORT_ROOT", str(root))
    october = periods.for_report("monthly", "2026-10")
    out = root / "outputs" / "demo" / "2026-10"
    out.mkdir(parents=True, exist_ok=True)
    (out / "monthly.html").write_text("last good html")
    broken = notebook(root / "broken.ipynb", "x = 1", "1 / 0")
    with dask_cluster.connected(address, ["demo"]) as client:
        (outcome,) = dask_cluster.run_all([run.Job("demo", "monthly", october, notebook=broken)], client, print)
    assert outcome.error.splitlines() == [
        "broken.ipynb: cell 3: ZeroDivisionError: division by zero",
        "  executed notebook kept in outputs/demo/2026-10/failed/monthly.ipynb; the last good report is untouched",
    ]
    assert (out / "monthly.html").read_text() == "last good html"
    assert "ZeroDivisionError" in (out / "failed" / "monthly.ipynb").read_text()


def _held(dask_worker) -> int:
    """On a worker: how many results it keeps in memory."""
    return len(dask_worker.data)


def _settled(client: Client, at_most: int) -> int:
    """The results the workers keep, once the releases already sent have reached them."""
    for _ in range(40):
        held = sum(client.run(_held).values())
        if held <= at_most:
            return held
        time.sleep(0.05)
    return held


def test_a_report_published_here_is_forgotten_by_its_worker(cluster, monkeypatch):
    """A worker keeps a report's files only until this side has published them: a batch of
    thousands of reports does not pile up in the workers' memory."""
    root, address = cluster
    monkeypatch.setenv("RAPPORT_ROOT", str(root))
    small = notebook(root / "small.ipynb", "x = 1")
    jobs = [run.Job("demo", "monthly", periods.for_report("monthly", f"2026-0{m}"), notebook=small) for m in (1, 2, 3)]
    held: list[int] = []
    with dask_cluster.connected(address, ["demo"]) as client:
        # after each report is published: at most the reports not yet published are kept
        outcomes = dask_cluster.run_all(jobs, client, lambda line: held.append(_settled(client, 2 - len(held))))
    assert [outcome.error for outcome in outcomes] == [None, None, None]
    assert held[-1] == 0 and all(kept <= 2 - i for i, kept in enumerate(held)), held


def test_a_worker_that_sees_other_inputs_than_this_machine_builds_nothing(cluster, workspace):
    """The workers read `cluster`'s folder; this machine has the same client with other params:
    a page built there would carry a fingerprint of inputs it was not built from."""
    root, address = cluster
    shutil.copytree(root / "data" / "demo", workspace / "data" / "demo", ignore=shutil.ignore_patterns("*.wal"))
    params = workspace / "params" / "demo.yaml"
    params.write_text(params.read_text().replace("name: Nordkaffe", "name: Nordkaffe AB"))
    refused = rapport("reports", "--cluster", address, "--force", root=workspace)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr + refused.stdout
    assert "0 built, 5 failed" in refused.stdout
    assert refused.stdout.count("sees other inputs than this machine") == 5
    assert not list((workspace / "outputs").glob("demo/*/*.html"))


def test_an_address_where_no_scheduler_answers_is_one_line_within_seconds(workspace):
    """A port where something else listens (here: a socket that accepts and never speaks)
    takes the connection but never the handshake: refused at the deadline, not waited on."""
    (workspace / "params" / "demo.yaml").unlink()
    assert rapport("new-client", "solo", root=workspace).returncode == 0
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        started = time.perf_counter()
        refused = rapport("reports", "--cluster", f"tcp://127.0.0.1:{port}", root=workspace)
        waited = time.perf_counter() - started
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"rapport: --cluster tcp://127.0.0.1:{port}: no Dask scheduler answers there" in refused.stderr
    assert waited < 30
