"""Run a report notebook with papermill and publish its outputs atomically.

One notebook run: execute with the project kernel (IPC transport, fixed working
directory, a timeout) into a staging folder beside the outputs, export the HTML, then
rename .json, .ipynb and .html into place. A failure keeps the executed notebook in
failed/ and leaves the last good outputs untouched.

Each worker process keeps its kernel warm between notebooks (starting one and importing
pandas, matplotlib and DuckDB costs more than most reports): before each notebook the
kernel's namespace is reset, after a failure or every KERNEL_RUNS notebooks it is
replaced by a fresh one.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

from rapport import paths
from rapport.config import Client, load_client
from rapport.errors import ReportFailed, UserError
from rapport.files import atomic_write
from rapport.i18n import text
from rapport.periods import Period
from rapport.present import html as display

KERNEL = "rapport"
KERNEL_RUNS = 25  # notebooks per kernel before a fresh one (bounds what a long agency run accumulates)
TIMEOUT = 300  # seconds per cell: a report cell takes seconds; a hung kernel must not block a run for ever


def kernel_config(socket_dir: str) -> Config:
    """IPC sockets in a folder of this run's own instead of TCP ports: parallel kernels can
    neither race for a port nor share a socket (the IPC default is ./kernel-ipc-N)."""
    return Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(socket_dir, "kernel")}})


@dataclass(frozen=True)
class Job:
    client: str
    report: str
    period: Period
    notebook: Path | None = None  # default: notebooks/<NN-report>.ipynb


@dataclass(frozen=True)
class Outcome:
    job: Job
    seconds: float
    html: Path | None = None
    error: str | None = None


def use_project_kernel() -> None:
    """Make the venv's own kernelspec win over any user-level one, registering it if missing."""
    share = Path(sys.prefix) / "share" / "jupyter"
    current = os.environ.get("JUPYTER_PATH", "")
    if not current.startswith(str(share)):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(share), current) if p)
    if not (share / "kernels" / KERNEL / "kernel.json").is_file():
        from ipykernel.kernelspec import install

        install(kernel_name=KERNEL, display_name="Python (rapport)", prefix=sys.prefix)


def _executing():
    """papermill, nbformat and the exporter, imported where notebooks run (not in a parent
    that only hands jobs to workers: it starts them sooner)."""
    import nbformat
    import papermill

    from . import export

    return nbformat, papermill, export


def run(job: Job, timeout: int = TIMEOUT) -> Outcome:
    """Run one report; raise ReportFailed (one or two lines) when its notebook fails."""
    _, papermill, export = _executing()
    started = time.perf_counter()
    use_project_kernel()
    client = load_client(job.client)
    notebook = job.notebook or paths.notebook_path(job.report)
    out = paths.report_dir(job.client, job.period.label)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{job.report}-", dir=out))
    try:
        executed = staging / f"{job.report}.ipynb"
        try:
            result = papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters={"client": job.client, "period": job.period.label, "output_dir": str(staging)},
                kernel_name=KERNEL,
                cwd=str(notebook.parent),
                execution_timeout=timeout,
                progress_bar=False,
                log_output=False,
                km=_warm_kernel(notebook.parent),
                request_save_on_cell_execute=False,  # written once at the end, not after every cell
            )
        except Exception as error:  # the notebook failed: keep it for the post-mortem
            stop_kernel()  # and never reuse a kernel in an unknown state
            raise _failure(job, notebook, executed, out, error) from None
        finally:
            if _kernel:
                _kernel["km"].close_clients()
        title = " · ".join([client.params.name, text(f"report.{job.report}", client.params.language),
                            display.period_text(job.period, client.params.language)])
        atomic_write(staging / f"{job.report}.html", export.to_html(result, title, client.params.language))
        for suffix in ("json", "ipynb", "html"):  # the HTML last: it is what people open
            staged = staging / f"{job.report}.{suffix}"
            if staged.exists():
                os.replace(staged, out / staged.name)
        (out / "failed" / f"{job.report}.ipynb").unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Outcome(job, time.perf_counter() - started, out / f"{job.report}.html")


_kernel: dict = {}  # this process's warm kernel: manager, working directory, socket folder, runs


def _manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class WarmKernelManager(AsyncKernelManager):
        """Remembers the clients it hands out: nbclient leaves its client connected to a
        kernel it does not own (a heartbeat thread and sockets per notebook), so the runner
        closes them after each notebook."""

        def client(self, **kwargs):
            client = super().client(**kwargs)
            self.__dict__.setdefault("_handed_out", []).append(client)
            return client

        def close_clients(self) -> None:
            for client in self.__dict__.pop("_handed_out", []):
                if client.channels_running:
                    client.stop_channels()

    return WarmKernelManager


def _warm_kernel(cwd: Path):
    """This process's kernel, started in `cwd`, with a clean namespace."""
    from jupyter_core.utils import run_sync

    if _kernel and (_kernel["cwd"] != cwd or _kernel["runs"] >= KERNEL_RUNS or not run_sync(_kernel["km"].is_alive)()):
        stop_kernel()
    if not _kernel:
        sockets = tempfile.mkdtemp(prefix="rapport-")  # short: a socket path has ~100 bytes at most
        km = _manager_class()(kernel_name=KERNEL, config=kernel_config(sockets))
        run_sync(km.start_kernel)(cwd=str(cwd))
        _kernel.update(km=km, cwd=cwd, sockets=sockets, runs=0)
    elif not run_sync(_reset)(_kernel["km"]):
        stop_kernel()
        return _warm_kernel(cwd)
    _kernel["runs"] += 1
    return _kernel["km"]


async def _reset(km) -> bool:
    """Forget the previous notebook: its variables, its history and its cell numbers."""
    return await _execute(km, "get_ipython().run_line_magic('reset', '-f'); get_ipython().execution_count = 1")


async def _execute(km, code: str) -> bool:
    """Run `code` in the kernel, outside any notebook; whether it went well."""
    client = km.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        reply = await client.execute_interactive(code, store_history=False, timeout=60,
                                                 output_hook=lambda message: None)
        return reply["content"]["status"] == "ok"
    except Exception:  # noqa: BLE001 - a kernel that cannot do this is replaced
        return False
    finally:
        client.stop_channels()


def stop_kernel() -> None:
    """Shut this process's warm kernel down (after a failure, and when the process ends)."""
    from jupyter_core.utils import run_sync

    if not _kernel:
        return
    try:
        run_sync(_kernel["km"].shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - already gone is fine
        pass
    shutil.rmtree(_kernel["sockets"], ignore_errors=True)
    _kernel.clear()


atexit.register(stop_kernel)  # a worker (or a test process) never leaves its kernel behind


def _failure(job: Job, notebook: Path, executed: Path, out: Path, error: Exception) -> ReportFailed:
    kept = out / "failed" / f"{job.report}.ipynb"
    if executed.exists():
        kept.parent.mkdir(exist_ok=True)
        os.replace(executed, kept)
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        reason = f"cell {_source_cell(kept, error.cell_index)}: {error.ename}: {_first_line(error.evalue)}"
    else:
        reason = f"{type(error).__name__}: {_first_line(error)}"
    where = f"executed notebook kept in {paths.relative(kept)}" if kept.exists() else "nothing was executed"
    return ReportFailed(f"{paths.relative(notebook)}: {reason.rstrip(': ')}",
                        f"  {where}; the last good report is untouched")


def _source_cell(executed: Path, index: int) -> int:
    """The failing cell's number (1-based) in the notebook as committed, before papermill
    injected its parameters cell."""
    nbformat, _, _ = _executing()
    try:
        cells = nbformat.read(executed, as_version=4).cells[:index]
    except (OSError, ValueError):
        return index + 1
    return index + 1 - sum("injected-parameters" in c.metadata.get("tags", []) for c in cells)


def _first_line(value) -> str:
    lines = str(value).strip().splitlines()
    return lines[0] if lines else ""


def _run_quietly(job: Job, timeout: int) -> Outcome:
    started = time.perf_counter()
    try:
        return run(job, timeout)
    except UserError as error:
        return Outcome(job, time.perf_counter() - started, error="\n".join(error.lines))


class Workers:
    """The processes that run notebooks, started early: each starts its kernel and imports
    the report modules into it while the caller still ingests. One worker means this process."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = None
        if workers > 1:
            # spawn, not fork: the parent has run DuckDB and Excel readers, whose threads a fork
            # would copy mid-lock (a child then hangs)
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=warm_up)
            for _ in range(workers):  # the pool spawns a process per task waiting: all of them, now
                self.pool.submit(int)

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool:
            self.pool.shutdown()
        stop_kernel()


def warm_up() -> None:
    """Start this process's kernel in notebooks/ and import what every report needs into it."""
    from jupyter_core.utils import run_sync

    try:
        use_project_kernel()
        km = _warm_kernel(paths.NOTEBOOKS)  # the kernel boots while this process imports the rest
        _kernel["runs"] -= 1  # a warm-up is not a notebook
        _executing()
        run_sync(_execute)(km, "import rapport.present.report, rapport.analysis.month, rapport.analysis.audit, rapport.analysis.summary, rapport.present.explore")
    except Exception:  # noqa: BLE001 - the first notebook will start its kernel and report any trouble
        stop_kernel()


def run_all(jobs: list[Job], workers: int | Workers, progress=print, timeout: int = TIMEOUT) -> list[Outcome]:
    """Run jobs on `workers` processes (a number, or Workers already started); one progress
    line per notebook as it finishes."""
    use_project_kernel()
    if isinstance(workers, int):
        with Workers(workers if len(jobs) > 1 else 1) as started:
            return run_all(jobs, started, progress, timeout)
    outcomes = []
    if workers.pool is None:
        for job in jobs:
            outcome = _run_quietly(job, timeout)
            progress(describe(outcome))
            outcomes.append(outcome)
        return outcomes
    futures = [workers.pool.submit(_run_quietly, job, timeout) for job in jobs]
    for future in as_completed(futures):
        outcome = future.result()
        progress(describe(outcome))
        outcomes.append(outcome)
    return outcomes


def describe(outcome: Outcome) -> str:
    job = outcome.job
    head = f"  {job.client:<12} {job.report:<11} {job.period.label:<10} {outcome.seconds:5.1f} s"
    if outcome.error:
        return f"{head}  FAILED\n" + "\n".join("    " + line.strip() for line in outcome.error.splitlines())
    return f"{head}  {paths.relative(outcome.html)}"


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def prepare(client: Client, job: Job) -> Path:
    """A parameterised copy of a notebook to explore in JupyterLab (not executed)."""
    nbformat, papermill, _ = _executing()
    notebook = job.notebook or paths.notebook_path(job.report)
    target = paths.report_dir(client.slug, job.period.label) / "explore" / notebook.name
    target.parent.mkdir(parents=True, exist_ok=True)
    result = papermill.execute_notebook(
        str(notebook), None, parameters={"client": client.slug, "period": job.period.label},
        kernel_name=KERNEL, prepare_only=True, progress_bar=False,
    )
    atomic_write(target, nbformat.writes(result))
    return target
