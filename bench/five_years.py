"""The five reports of a large client against the demo's, in one run: `rapport report <client>
--force` for a client with 5 years x 6 platforms x 50 posts a day (bench/monthly.py's
warehouse, 547,500 posts) and for the demo client (18 months), alternating, medians of
BENCH_ROUNDS (default 3).

    .venv/bin/python bench/five_years.py

Goal (issue 11): ratio (5 years / demo) <= 1.3, because each report reads only the rows of
its period and comparisons from DuckDB. Results go to bench/results/five_years.json and a row
in bench/README.md.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from monthly import big_warehouse
from record import machine, record

PROJECT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
POSTS_PER_DAY = 50


def timed(root: Path, client: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "rapport.cli", "report", client, "--force"],
        cwd=PROJECT,
        env=dict(os.environ, RAPPORT_ROOT=str(root)),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="rapport-bench-five-years-"))
    (root / "params").mkdir()
    for name in ("demo.yaml", "demo-logo.svg"):
        shutil.copyfile(PROJECT / "params" / name, root / "params" / name)
    (root / "params" / "big.yaml").write_text((PROJECT / "params" / "demo.yaml").read_text())
    os.environ["RAPPORT_ROOT"] = str(root)
    from rapport import config, demo, periods
    from rapport.data import ingest

    period = periods.last_complete_month(demo.TIMEZONE)
    demo.write(root / "data" / "demo", period)
    ingest.ingest(config.load_client("demo"))
    (root / "data" / "big" / "raw").mkdir(parents=True)
    for name in ("plan.csv", "problems.csv"):
        shutil.copyfile(root / "data" / "demo" / name, root / "data" / "big" / name)
    big_warehouse(root / "data" / "big" / "warehouse.duckdb", period.end, POSTS_PER_DAY)
    timed(root, "demo")  # warm-up: the disk cache, the kernelspec
    small, large = [], []
    for _ in range(ROUNDS):
        small.append(timed(root, "demo"))
        large.append(timed(root, "big"))
    shutil.rmtree(root, ignore_errors=True)
    result = {
        **machine(),
        "rounds": ROUNDS,
        "posts": 5 * 365 * 6 * POSTS_PER_DAY,
        "demo_s": round(statistics.median(small), 2),
        "five_years_s": round(statistics.median(large), 2),
        "ratio": round(statistics.median(large) / statistics.median(small), 2),
    }
    record(
        "five_years",
        result,
        [
            result["date"],
            result["machine"],
            ROUNDS,
            f"{result['posts']:,}",
            f"{result['demo_s']} s",
            f"{result['five_years_s']} s",
            result["ratio"],
        ],
    )


if __name__ == "__main__":
    main()
