"""Run a report notebook with papermill and publish its outputs atomically.

One notebook run is two steps (docs/architecture.md, "The runner"): `produce` executes the
notebook with the project kernel (IPC transport, fixed working directory, a timeout) in a
folder of its own under $TMPDIR and exports the HTML; `deliver` writes the files into a
staging folder beside the outputs and renames .ipynb, .html and, last, .json into place.
A failure keeps the executed notebook in failed/ and leaves the last good outputs
untouched. On a Dask cluster (rapport.publish.cluster) the first step runs on a worker.

Each worker process keeps its kernel warm between notebooks (rapport.publish.kernel).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from rapport import paths
from rapport.config import Client, load_client
from rapport.errors import ReportFailed, UserError
from rapport.files import atomic_write, sweep
from rapport.periods import Period
from rapport.present.format import Formatter

TIMEOUT = 300  # seconds per cell: a report cell takes seconds; a hung kernel must not block a run for ever


@dataclass(frozen=True)
class Job:
    client: str
    report: str
    period: Period
    notebook: Path | None = None  # default: notebooks/<NN-report>.ipynb
    fingerprint: str | None = None  # of its inputs (publish.fresh), written into its JSON


@dataclass(frozen=True)
class Outcome:
    job: Job
    seconds: float
    html: Path | None = None
    error: str | None = None


def _executing():
    """papermill, nbformat, the exporter and the kernel, imported where notebooks run (not in
    a parent that only hands jobs to workers: it starts them sooner)."""
    import nbformat
    import papermill

    from . import export, kernel

    return nbformat, papermill, export, kernel


def run(job: Job, timeout: int = TIMEOUT) -> Outcome:
    """Run one report here; raise ReportFailed (one or two lines) when its notebook fails or
    its outputs cannot be written."""
    check_writable(job)
    return deliver(job, produce(job, timeout))


def check_writable(job: Job) -> None:
    """Raise ReportFailed now, before its notebook runs, when the report's outputs folder
    cannot be written."""
    shutil.rmtree(_staging(paths.report_dir(job.client, job.period.label), job.report))


@dataclass(frozen=True)
class Produced:
    """What running a report's notebook gave, wherever it ran (here, or on a cluster's worker,
    which sends it back): its files by name, or why it failed (and, when the notebook ran,
    the executed notebook among the files)."""

    files: dict[str, bytes]
    seconds: float
    error: tuple[str, ...] = ()
    ran: bool = True  # whether the notebook was executed (a failure before it changes the words)


def produce(job: Job, timeout: int = TIMEOUT) -> Produced:
    """Execute the job's notebook in this process's warm kernel and export its page, in a
    folder of its own; never raises for the report's own trouble (it is in `error`)."""
    started = time.perf_counter()
    try:
        work = Path(tempfile.mkdtemp(prefix=f"rapport-{os.getpid()}-run-"))
    except OSError as full:
        where = f"cannot write to {tempfile.gettempdir()}: {full.strerror or full}"
        return Produced({}, 0.0, (f"{where}: free some space (or set TMPDIR to a writable folder)",), ran=False)
    try:
        files, failure = _execute(job, work, timeout)
    except UserError as problem:  # params that no longer load
        return Produced({}, time.perf_counter() - started, tuple(problem.lines), ran=False)
    except OSError as problem:  # $TMPDIR full while the page was written
        files, failure = {}, (f"cannot write to {tempfile.gettempdir()}: {problem.strerror or problem}",)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Produced(files, time.perf_counter() - started, failure)


def _execute(job: Job, work: Path, timeout: int) -> tuple[dict[str, bytes], tuple[str, ...]]:
    _, papermill, export, kernel = _executing()
    kernel.use_project_kernel()
    warm = kernel.warm_kernel()
    client = load_client(job.client)
    notebook = job.notebook or paths.notebook_path(job.report)
    executed = work / f"{job.report}.ipynb"
    try:
        result = papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters={"client": job.client, "period": job.period.label, "output_dir": str(work)},
            kernel_name=kernel.KERNEL,
            cwd=str(notebook.parent),
            execution_timeout=timeout,
            progress_bar=False,
            log_output=False,
            km=warm.for_notebook(notebook.parent),
            request_save_on_cell_execute=False,  # written once at the end, not after every cell
        )
    except Exception as error:  # the notebook failed: send it back for the post-mortem
        warm.stop()  # and never reuse a kernel in an unknown state
        kept = {executed.name: executed.read_bytes()} if executed.exists() else {}
        return kept, (f"{paths.relative(notebook)}: {_reason(executed, error)}",)
    finally:
        warm.after_notebook()
    words = Formatter(client.params.language)
    title = " · ".join([client.params.name, words.word(f"report.{job.report}"), words.period(job.period)])
    try:
        page = export.to_html(result, title, client.params.language)
    except Exception as error:  # noqa: BLE001 - a notebook whose output the exporter cannot read
        kept = {executed.name: executed.read_bytes()}
        return kept, (f"{paths.relative(notebook)}: its page could not be made: {_reason(executed, error)}",)
    atomic_write(work / f"{job.report}.html", page)
    names = [f"{job.report}.{suffix}" for suffix in ("ipynb", "html", "json")]
    return {name: (work / name).read_bytes() for name in names if (work / name).exists()}, ()


def deliver(job: Job, produced: Produced) -> Outcome:
    """Publish what a run produced beside the last good outputs (a failure keeps its executed
    notebook in failed/); raise ReportFailed when it failed or cannot be written."""
    out = paths.report_dir(job.client, job.period.label)
    if produced.error:
        raise _failure(job, produced, out)
    staging = _staging(out, job.report)
    try:
        for name, data in produced.files.items():
            (staging / name).write_bytes(data)
        if job.fingerprint:
            _stamp(staging / f"{job.report}.json", job.fingerprint)
        _publish(staging, out, job.report)
    except OSError as error:
        raise _unwritable(out, error) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Outcome(job, produced.seconds, out / f"{job.report}.html")


def _staging(out: Path, report: str) -> Path:
    """A folder of this process's own beside the outputs, stale ones of killed runs swept."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        sweep(out, f".{report}-")
        return Path(tempfile.mkdtemp(prefix=f".{report}-{os.getpid()}-", dir=out))
    except OSError as error:
        raise _unwritable(out, error) from None


def _stamp(figures: Path, fingerprint: str) -> None:
    """The fingerprint of the report's inputs into its JSON, so the next run can tell it is
    up to date (publish.fresh)."""
    if figures.exists():
        document = json.loads(figures.read_text(encoding="utf-8"))
        document["fingerprint"] = fingerprint
        atomic_write(figures, json.dumps(document, ensure_ascii=False, indent=1))


def _publish(staging: Path, out: Path, report: str) -> None:
    """Each file renamed into place (a reader sees the old file or the new, never half of
    one), the JSON last: its fingerprint says the report is up to date, so it must not land
    before the page it describes (a run killed in between builds again)."""
    for suffix in ("ipynb", "html", "json"):
        staged = staging / f"{report}.{suffix}"
        if staged.exists():
            os.replace(staged, out / staged.name)
    (out / "failed" / f"{report}.ipynb").unlink(missing_ok=True)


def _unwritable(out: Path, error: OSError) -> ReportFailed:
    return ReportFailed(
        f"cannot write to {paths.relative(out)}: {error.strerror or error}: make the folder "
        "writable (or free some space), then run again; the last good report is untouched"
    )


def _failure(job: Job, produced: Produced, out: Path) -> ReportFailed:
    """The failure's lines, then where the executed notebook is kept (failed/) or that
    nothing was executed; the last good report is untouched either way."""
    kept = out / "failed" / f"{job.report}.ipynb"
    notebook = produced.files.get(kept.name)
    where = "nothing was executed" if not produced.ran else "the notebook was not kept"
    if notebook is not None:
        try:
            atomic_write(kept, notebook)
            where = f"executed notebook kept in {paths.relative(kept)}"
        except OSError as error:
            where = f"the executed notebook could not be kept in {paths.relative(kept)} ({error.strerror or error})"
    return ReportFailed(*produced.error, f"  {where}; the last good report is untouched")


def _reason(executed: Path, error: Exception) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        reason = f"cell {_source_cell(executed, error.cell_index)}: {error.ename}: {first_line(error.evalue)}"
    else:
        reason = f"{type(error).__name__}: {first_line(error)}"
    return reason.rstrip(": ")


def _source_cell(executed: Path, index: int) -> int:
    """The failing cell's number (1-based) in the notebook as committed, before papermill
    injected its parameters cell."""
    nbformat = _executing()[0]
    try:
        cells = nbformat.read(executed, as_version=4).cells[:index]
    except (OSError, ValueError):
        return index + 1
    return index + 1 - sum("injected-parameters" in c.metadata.get("tags", []) for c in cells)


def first_line(value) -> str:
    lines = str(value).strip().splitlines()
    return lines[0] if lines else ""


def _run_quietly(job: Job, timeout: int) -> Outcome:
    started = time.perf_counter()
    try:
        return run(job, timeout)
    except UserError as error:
        return Outcome(job, time.perf_counter() - started, error="\n".join(error.lines))


class Workers:
    """The processes that run notebooks, all started at once (the pool would start one per
    waiting job): each starts its kernel and imports the report modules into it before its
    first notebook. One worker means this process."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = None
        sweep_temporary()
        if workers > 1:
            # spawn, not fork: the parent has run DuckDB and Excel readers, whose threads a fork
            # would copy mid-lock (a child then hangs)
            self.pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=warm_up
            )
            for _ in range(workers):  # the pool spawns a process per task waiting: all of them, now
                self.pool.submit(int)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool:
            self.pool.shutdown()
        stop_kernel()


def sweep_temporary() -> None:
    """Remove the kernel socket and run folders ($TMPDIR/rapport-<pid>-…) of killed runs."""
    sweep(Path(tempfile.gettempdir()), "rapport-")


def stop_kernel() -> None:
    """Shut this process's warm kernels down, if it started any."""
    if "rapport.publish.kernel" in sys.modules:
        sys.modules["rapport.publish.kernel"].stop_all()


def warm_up() -> None:
    """Start this process's kernel in notebooks/ and import what every report needs into it."""
    try:
        kernel = _executing()[3]
        kernel.use_project_kernel()
        warm = kernel.warm_kernel()
        warm.for_notebook(paths.NOTEBOOKS)  # the kernel boots while this process imports the rest
        warm.runs -= 1  # a warm-up is not a notebook
        warm.execute(
            "import rapport.present.report, rapport.analysis.month, rapport.analysis.audit, "
            "rapport.analysis.summary, rapport.present.explore"
        )
    except Exception:  # noqa: BLE001 - the first notebook will start its kernel and report any trouble
        stop_kernel()


def run_all(jobs: list[Job], workers: int | Workers, progress=print, timeout: int = TIMEOUT) -> list[Outcome]:
    """Run jobs on `workers` processes (a number, or Workers already started); one progress
    line per notebook as it finishes."""
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
    return f"{head}  {paths.relative(outcome.html) if outcome.html else ''}"


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def prepare(client: Client, job: Job) -> Path:
    """A parameterised copy of a notebook to explore in JupyterLab (not executed)."""
    nbformat, papermill, _, kernel = _executing()
    notebook = job.notebook or paths.notebook_path(job.report)
    target = paths.report_dir(client.slug, job.period.label) / "explore" / notebook.name
    target.parent.mkdir(parents=True, exist_ok=True)
    result = papermill.execute_notebook(
        str(notebook),
        None,
        parameters={"client": client.slug, "period": job.period.label},
        kernel_name=kernel.KERNEL,
        prepare_only=True,
        progress_bar=False,
    )
    atomic_write(target, nbformat.writes(result))
    return target
