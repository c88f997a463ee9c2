"""Reports built on a Dask cluster: `rapport reports --cluster tcp://host:8786` (docs/cluster.md).

This side does what it does for the local pool: it imports the exports, fingerprints each
report and publishes what comes back, atomically (run.deliver). The cluster's workers only
run notebooks (run.produce): each keeps its warm kernel (KernelPlugin), reads the client's
warehouse read-only from the data folder they share with this side, and sends the files
back. Before anything is submitted, every worker is asked whether it runs this very library
and sees the clients' params: a worker that does not would build other figures than the
fingerprint promises.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager

from distributed import Client, KilledWorker, WorkerPlugin, as_completed, get_worker

from rapport import __version__, paths
from rapport.config import load_client
from rapport.errors import UserError

from . import fresh, run

CONNECT_SECONDS = 5  # a scheduler answers in well under a second: an address that does not is wrong
WORKERS_SECONDS = 60  # how long to wait for a scheduler's first worker
QUIET = ("profile", "profile-cycle", "tick")  # a worker's periodic callbacks its plugin stops


class KernelPlugin(WorkerPlugin):
    """Each worker starts its warm kernel when it joins (as the local pool's processes do)
    and shuts it down when it leaves."""

    name = "rapport-kernel"
    idempotent = True  # registered by every run: a worker's warm kernel (maybe busy) is kept

    def setup(self, worker) -> None:
        # Dask's profiler (every 10 ms) and its event-loop latency check (every 20 ms) take the
        # GIL from the task thread that talks to the kernel: on busy cores, each handoff waits
        # for a time slice. A report has nothing to profile there (docs/cluster.md).
        for name in QUIET:
            if name in worker.periodic_callbacks:
                worker.periodic_callbacks[name].stop()
        # on the thread that runs the worker's tasks, so the first notebook finds it warm
        worker.executors["default"].submit(run.warm_up)

    def teardown(self, worker) -> None:
        run.stop_kernel()


@contextmanager
def connected(address: str, slugs: list[str]) -> Iterator[Client]:
    """A client of the cluster at `address` whose workers can build the clients `slugs`
    (refused in one line otherwise), each worker with its warm kernel; closed at the end."""
    client = _connect(address)
    try:
        _check_workers(client, address, slugs)
        client.register_plugin(KernelPlugin())
        yield client
    finally:
        client.close()


def run_all(
    jobs: list[run.Job], client: Client, progress: Callable[[str], None], timeout: int = run.TIMEOUT
) -> list[run.Outcome]:
    """Run `jobs` on the cluster; a line per report as it is published here. A report whose
    outputs folder cannot be written is not sent."""
    outcomes, futures = [], {}
    for job in jobs:
        try:
            run.check_writable(job)
        except UserError as error:
            outcomes.append(run.Outcome(job, 0.0, error="\n".join(error.lines)))
            progress(run.describe(outcomes[-1]))
            continue
        # a key of its own: the scheduler takes a known key for a task already done
        key = f"rapport-{job.client}-{job.report}-{job.period.label}-{uuid.uuid4().hex}"
        futures[client.submit(produce, job, timeout, pure=False, key=key)] = job
    for future in as_completed(futures):
        outcome = _delivered(futures.pop(future), future)
        future.release()  # published here: its worker may forget the files
        progress(run.describe(outcome))
        outcomes.append(outcome)
    return outcomes


def produce(job: run.Job, timeout: int) -> run.Produced:
    """On a worker: the report built from the inputs this side fingerprinted, or refused: a
    worker that sees another data folder, notebook or library would publish other figures
    under this side's fingerprint."""
    if job.fingerprint:
        notebook = job.notebook or paths.notebook_path(job.report)
        try:
            seen = fresh.fingerprint(load_client(job.client), job.report, job.period, notebook)
        except UserError as error:
            return run.Produced({}, 0.0, tuple(error.lines), ran=False)
        if seen != job.fingerprint:
            where = f"worker {get_worker().address}"
            return run.Produced({}, 0.0, (f"{where} sees other inputs than this machine: {DIFFERENT}",), ran=False)
    return run.produce(job, timeout)


DIFFERENT = (
    "its data folder, notebooks or rapport differ from this one's; start the workers on the "
    "same commit with RAPPORT_ROOT set to the shared data folder (docs/cluster.md)"
)


def _connect(address: str) -> Client:
    """A client of the scheduler at `address`, or one line. Dask's own timeout covers the
    connection, not its handshake: a port where something else listens (a web server, a
    worker) would keep the batch waiting for ever, so the wait has a deadline of its own."""
    answer: dict = {}

    def connect() -> None:
        try:
            answer["client"] = Client(address, timeout=CONNECT_SECONDS)
        except Exception as error:  # noqa: BLE001 - said below, in one line
            answer["error"] = error

    attempt = threading.Thread(target=connect, daemon=True)
    attempt.start()
    attempt.join(2 * CONNECT_SECONDS)
    if "client" in answer:
        return answer["client"]
    error = answer.get("error") or TimeoutError(f"no answer in {2 * CONNECT_SECONDS} s")
    raise UserError(
        f"--cluster {address}: no Dask scheduler answers there ({run.first_line(error)}): start one "
        "(dask scheduler) or check the address (docs/cluster.md)"
    )


def _check_workers(client: Client, address: str, slugs: list[str]) -> None:
    """Refuse, in one line, a cluster without workers or with a worker that runs another
    library or does not see a client's params."""
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except TimeoutError:
        raise UserError(
            f"--cluster {address}: the scheduler has no workers: start some "
            f"(dask worker {address} --nthreads 1, docs/cluster.md)"
        ) from None
    ours = fresh.library().hex()
    for worker, seen in client.run(_probe, slugs, on_error="return").items():
        if isinstance(seen, BaseException):  # no rapport there, or one without this module
            raise UserError(
                f"worker {worker} cannot run rapport ({type(seen).__name__}: {run.first_line(seen)}): "
                "install the same commit on every worker (docs/cluster.md)"
            )
        if seen["library"] != ours:
            raise UserError(
                f"worker {worker} runs another rapport ({seen['version']}, other files than this "
                f"one's {__version__}): install the same commit on every worker (docs/cluster.md)"
            )
        if seen["missing"]:
            raise UserError(
                f"worker {worker}: no params/{seen['missing'][0]}.yaml under {seen['root']}: start "
                "the workers with RAPPORT_ROOT set to the shared data folder (docs/cluster.md)"
            )


def _probe(slugs: list[str]) -> dict:
    """What a worker sees: its library and the clients whose params it cannot find."""
    return {
        "version": __version__,
        "library": fresh.library().hex(),
        "root": str(paths.workspace()),
        "missing": [slug for slug in slugs if not paths.params_file(slug).is_file()],
    }


def _delivered(job: run.Job, future) -> run.Outcome:
    """The job's outputs published here, or why not (its own failure, the workers that died
    running it, the scheduler gone)."""
    try:
        produced = future.result()
    except (KilledWorker, CancelledError, asyncio.CancelledError) as error:  # cancelled: the scheduler is gone
        lost = f"the cluster lost this report ({type(error).__name__}: {run.first_line(error)}): run again"
        return run.Outcome(job, 0.0, error=lost)
    except Exception as error:  # noqa: BLE001 - what the worker raised: this report only
        return run.Outcome(job, 0.0, error=f"on the cluster: {type(error).__name__}: {run.first_line(error)}")
    try:
        return run.deliver(job, produced)
    except UserError as error:
        return run.Outcome(job, produced.seconds, error="\n".join(error.lines))
