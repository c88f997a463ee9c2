"""An agency's month: `rapport reports` for 40 clients of varied size, on one worker, on two,
on a Dask LocalCluster of two workers, in interleaved rounds, then once more with nothing
changed, in one run.

    BENCH_CLIENTS=40 BENCH_ROUNDS=3 .venv/bin/python bench/batch.py
    BENCH_WAYS=jobs2,cluster ...   # the cluster ratio alone: JOBS=2 and the cluster in each round

Clients: one in ten has 5 years x 6 platforms in its warehouse (bench/monthly.py's), two in
ten only a week of posts, the rest the demo's 18 months. Every client's exports are
imported before the clock starts, so each timed run does what a monthly cron run does:
look for new exports, fingerprint each report, build it (FORCE=1) and publish.

Each round times the three ways back to back, in an order that turns from round to round
(1, 2, cluster; 2, cluster, 1; cluster, 1, 2), and takes its ratios from its own three
times: this VM's speed drifts by up to a third over minutes, and a ratio of two times taken
far apart measures the drift. The verdict is the median of the rounds' ratios.

Ratios (goals, issue 11): speed-up = JOBS=1 / JOBS=2 (>= 1.8 on 2 cores); cluster = the
LocalCluster's time / JOBS=2 (<= 1.15); rerun = the no-change run / JOBS=2's median (<= 0.1).
Peak memory: the largest resident size of one worker and the kernel it runs, polled every
0.2 s. Two figures say what holds the speed-up: the machine's ceiling (two processes against
one on pure Python work that shares nothing, measured in every round) and the cores each
run kept busy on average. Each command runs under bench/phases.py, which says how long each
of its phases took: the seconds before the builds are in the table, every phase in the JSON.
Results go to bench/results/batch.json and a row in bench/README.md.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

from monthly import big_warehouse
from record import machine, record

PROJECT = Path(__file__).resolve().parents[1]
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "40"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CORES: dict[str, list[float]] = {}  # command -> cores kept busy on average, each time it ran
BUILDS: list[float] = []  # the seconds of each run's builds alone, as its summary line says
PHASES: list[dict[str, float]] = []  # each run's phases, as bench/phases.py says them
TINY_POSTS = "platform,post_id,published_at,impressions,reactions,text\n" + "".join(
    f"instagram,{n},2026-10-{20 + n % 7:02d}T1{n % 10}:00:00,{100 + n},{n},post {n}\n" for n in range(20)
)


def workspace(root: Path) -> list[str]:
    """`CLIENTS` clients in `root`, each ingested; their slugs."""
    os.environ["RAPPORT_ROOT"] = str(root)
    from rapport import config, demo, periods
    from rapport.data import ingest

    (root / "params").mkdir(parents=True)
    shutil.copyfile(PROJECT / "params" / "demo-logo.svg", root / "params" / "demo-logo.svg")
    params = (PROJECT / "params" / "demo.yaml").read_text()
    period = periods.last_complete_month(demo.TIMEZONE)
    demo.write(root / "data" / "_demo", period)
    slugs = [f"client-{n:02d}" for n in range(CLIENTS)]
    for n, slug in enumerate(slugs):
        (root / "params" / f"{slug}.yaml").write_text(params.replace("name: Nordkaffe", f"name: Client {n}"))
        data = root / "data" / slug
        if n % 10 == 0:
            (data / "raw").mkdir(parents=True)
            for name in ("plan.csv", "problems.csv"):
                shutil.copyfile(root / "data" / "_demo" / name, data / name)
            big_warehouse(data / "warehouse.duckdb", period.end)
        elif n % 10 in (1, 2):
            (data / "raw").mkdir(parents=True)
            (data / "raw" / "posts.csv").write_text(TINY_POSTS.replace("2026-10", period.label))
        else:
            shutil.copytree(root / "data" / "_demo", data)
        ingest.ingest(config.load_client(slug))
    shutil.rmtree(root / "data" / "_demo")
    return slugs


class PeakMemory:
    """The largest resident size of one worker process with its kernels, while a command runs
    (with one worker, the command itself runs the notebooks: it is the worker)."""

    def __init__(self, process: subprocess.Popen, itself: bool):
        self.process, self.itself, self.peak, self.done = psutil.Process(process.pid), itself, 0, False
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self) -> None:
        while not self.done:
            workers = [self.process] if self.itself else self.process.children()
            for worker in workers:
                try:
                    tree = [worker, *worker.children(recursive=True)]
                    self.peak = max(self.peak, sum(p.memory_info().rss for p in tree))
                except psutil.Error:  # a process that ended meanwhile
                    pass
            time.sleep(0.2)

    def stop(self) -> int:
        self.done = True
        self.thread.join()
        return self.peak


def timed(root: Path, *args: str) -> tuple[float, int]:
    """Seconds and a worker's peak memory (bytes) of `rapport reports <args>` in `root`; how
    many cores it kept busy on average (CPU seconds of it and every process it waited for,
    over the seconds) goes to CORES, the seconds of its builds alone to BUILDS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "bench" / "phases.py"), "reports", *args],
        cwd=PROJECT,
        env=dict(os.environ, RAPPORT_ROOT=str(root)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    memory = PeakMemory(process, itself=args[-2:] == ("--jobs", "1"))
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CORES.setdefault(" ".join(args), []).append(round(cpu / seconds, 2))
    peak = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"rapport reports {' '.join(args)} failed:\n{out[-2000:]}\n{err[-2000:]}")
    summary = out.splitlines()[-1]
    print(summary, flush=True)
    BUILDS.append(float(re.search(r" in ([0-9.]+) s ", summary).group(1)))
    phases = {name: float(s) for name, s in re.findall(r"^phase (\w+) ([0-9.]+)$", err, re.MULTILINE)}
    PHASES.append({**phases, "rest": round(seconds - sum(phases.values()), 2)})
    return seconds, peak


def busy(_: int) -> int:
    """A second or so of pure Python: no I/O, no memory to share."""
    return sum(i * i % 7 for i in range(6_000_000))


def ceiling() -> float:
    """The speed-up this machine gives two processes over one on work that shares nothing
    (eight such pieces on a pool of one, then of two): what the batch's speed-up is held to."""
    seconds = []
    for workers in (1, 2):
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            list(pool.map(busy, range(workers)))  # the workers started before the clock
            started = time.perf_counter()
            list(pool.map(busy, range(8)))
            seconds.append(time.perf_counter() - started)
    return round(seconds[0] / seconds[1], 2)


def cluster_time(root: Path) -> tuple[float, int]:
    """The batch on a LocalCluster of two worker processes (started before the clock, as a
    cluster is), and the peak memory of one of its workers with its kernel."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        workers = [psutil.Process(w.process.pid) for w in cluster.workers.values()]
        peak = [0]
        done = threading.Event()

        def poll() -> None:
            while not done.is_set():
                for w in workers:
                    try:
                        peak[0] = max(peak[0], sum(p.memory_info().rss for p in [w, *w.children(recursive=True)]))
                    except psutil.Error:
                        pass
                time.sleep(0.2)

        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        seconds, _ = timed(root, "--force", "--cluster", cluster.scheduler_address)
        done.set()
        watcher.join()
    return seconds, peak[0]


ALL_WAYS = ("jobs1", "jobs2", "cluster")
# BENCH_WAYS=jobs2,cluster measures the cluster ratio alone (what is not run is "–"); JOBS=2 is always run
WAYS = tuple(w for w in ALL_WAYS if w in os.environ.get("BENCH_WAYS", ",".join(ALL_WAYS)).split(",") or w == "jobs2")


def one_round(root: Path, number: int) -> dict:
    """The ways timed back to back, starting with the `number`-th; their seconds, peak
    memory, ratios and the machine's ceiling in between."""
    run = {
        "jobs1": lambda: timed(root, "--force", "--jobs", "1"),
        "jobs2": lambda: timed(root, "--force", "--jobs", "2"),
        "cluster": lambda: cluster_time(root),
    }
    order = WAYS[number % len(WAYS) :] + WAYS[: number % len(WAYS)]
    seconds, peak, builds, phases = {}, {}, {}, {}
    for way in order:
        seconds[way], peak[way] = run[way]()
        builds[way], phases[way] = BUILDS[-1], PHASES[-1]
    result = {
        "order": list(order),
        "seconds": {way: round(seconds[way], 1) for way in WAYS},
        "peak_mib": {way: peak[way] >> 20 for way in WAYS},
        "speedup": ratio(seconds, "jobs1", "jobs2"),
        "cluster_ratio": ratio(seconds, "cluster", "jobs2"),
        "build_s": builds,
        "build_speedup": ratio(builds, "jobs1", "jobs2"),
        "before_builds_s": {way: round(seconds[way] - phases[way]["builds"] - phases[way]["index"], 1) for way in WAYS},
        "phases": phases,
        "machine_ceiling": ceiling(),
    }
    print(f"round {number + 1}: {result}", flush=True)
    return result


def ratio(values: dict, top: str, bottom: str) -> float | None:
    return round(values[top] / values[bottom], 2) if top in values and bottom in values else None


def middle(values) -> float | None:
    """The median, or None for a way that was not run."""
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def each(rounds: list[dict], pick) -> str:
    """`median (every round's, in order)` of one figure of the rounds; "–" when not run."""
    values = [pick(r) for r in rounds]
    if middle(values) is None:
        return "–"
    return f"{middle(values)} ({', '.join(str(v) for v in values)})"


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="rapport-bench-batch-"))
    slugs = workspace(root)
    print(f"{len(slugs)} clients ready in {root}", flush=True)
    rounds = [one_round(root, number) for number in range(ROUNDS)]
    two = statistics.median(r["seconds"]["jobs2"] for r in rounds)
    rerun, _ = timed(root, "--jobs", "2")
    reports = len(list(root.glob("outputs/*/*/*.html")))
    shutil.rmtree(root, ignore_errors=True)
    result = {
        **machine(),
        "clients": len(slugs),
        "reports": reports,
        "rounds": rounds,
        "ways": list(WAYS),
        "speedup": middle(r["speedup"] for r in rounds),
        "cluster_ratio": middle(r["cluster_ratio"] for r in rounds),
        "build_speedup": middle(r["build_speedup"] for r in rounds),
        "rerun_s": round(rerun, 1),
        "rerun_ratio": round(rerun / two, 3),
        "peak_worker_mib": {way: max(r["peak_mib"][way] for r in rounds) for way in WAYS},
        "cores_busy": {way: CORES.get(f"--force --jobs {way[-1]}", []) for way in ("jobs1", "jobs2")},
    }
    cores = {way: middle(values) or "–" for way, values in result["cores_busy"].items()}
    record(
        "batch",
        result,
        [
            result["date"],
            result["machine"],
            f"{len(slugs)} ({reports} reports)",
            len(rounds),
            each(rounds, lambda r: r["seconds"].get("jobs1")),
            each(rounds, lambda r: r["seconds"]["jobs2"]),
            each(rounds, lambda r: r["speedup"]),
            each(rounds, lambda r: r["build_speedup"]),
            " / ".join(each(rounds, lambda r, w=w: r["before_builds_s"].get(w)) for w in ALL_WAYS),
            each(rounds, lambda r: r["seconds"].get("cluster")),
            each(rounds, lambda r: r["cluster_ratio"]),
            f"{result['rerun_s']} s",
            result["rerun_ratio"],
            " / ".join(f"{result['peak_worker_mib'][w]} MiB" if w in WAYS else "–" for w in ALL_WAYS),
            each(rounds, lambda r: r["machine_ceiling"]),
            f"{cores['jobs1']} / {cores['jobs2']}",
        ],
    )


if __name__ == "__main__":
    main()
