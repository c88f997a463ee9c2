"""The batch on a Dask cluster (`rapport reports --cluster`), as an agency runs it: a real
LocalCluster of two worker processes, the real CLI, the figures compared with the reports
built on this machine."""

import json
import shutil

import pytest
from distributed import Client, LocalCluster

from conftest import REPORTS, make_workspace, outputs, rapport

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
    from rapport.publish import kernel

    return [(k.manager.provisioner.pid, k.runs) for k in kernel._STARTED if k.manager]


def test_the_cluster_builds_the_reports_this_machine_builds_on_warm_kernels(cluster, demo_reports):
    root, address = cluster
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
        plugged = client.run(lambda dask_worker: "rapport-kernel" in dask_worker.plugins)
    assert list(plugged.values()) == [True, True]
    # each worker kept one kernel (its plugin started it) and ran its notebooks in it
    assert sorted(len(k) for k in kernels.values()) == [1, 1]
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


def test_no_scheduler_at_the_address_is_one_line(workspace):
    (workspace / "params" / "demo.yaml").unlink()
    assert rapport("new-client", "solo", root=workspace).returncode == 0
    refused = rapport("reports", "--cluster", "tcp://127.0.0.1:9", root=workspace)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "rapport: --cluster tcp://127.0.0.1:9: no Dask scheduler answers there" in refused.stderr
