"""`make report CLIENT=demo` against the hand-rolled chain and the bare-Python floor, in one run.

The hand-rolled chain is what a team would script without rapport: for each of the five
notebooks, the papermill CLI, then `jupyter nbconvert --to html --no-input`, serially.
The floor (bench/floor.py) runs the five notebooks' code in one plain Python process: the
same queries, charts and PNGs, no kernel, papermill or nbconvert. All three build the
same notebooks from the same warehouse (ingested once beforehand, so all measure report
building). Each variant runs ROUNDS times, alternating; the figures are medians, and the
ratios are what we track (goal: make report within 1.5× of the floor; a rerun with nothing
changed, every report up to date, within 0.15× of a full build). Results go to
bench/results/ and bench/README.md.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from record import machine, record

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
NOTEBOOKS = ["01-audit", "02-goals", "03-monthly", "04-activity", "05-exceptions"]


def workspace() -> Path:
    root = Path(tempfile.mkdtemp(prefix="rapport-bench-"))
    (root / "params").mkdir()
    shutil.copyfile(PROJECT / "params" / "demo.yaml", root / "params" / "demo.yaml")
    shutil.copyfile(PROJECT / "params" / "demo-logo.svg", root / "params" / "demo-logo.svg")
    return root


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def rapport_make(env: dict, force: bool = True) -> float:
    """`make report CLIENT=demo`: every report built (FORCE=1), or only what changed (nothing)."""
    return timed(["make", "--no-print-directory", "report", "CLIENT=demo"] + (["FORCE=1"] if force else []), env)


def hand_rolled(env: dict, root: Path, month: str, last_day: str) -> float:
    out = root / "hand"
    out.mkdir(exist_ok=True)
    started = time.perf_counter()
    for name in NOTEBOOKS:
        period = last_day if name == "04-activity" else month
        executed = out / f"{name}.ipynb"
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(PROJECT / "notebooks" / f"{name}.ipynb"),
                str(executed),
                "-k",
                "rapport",
                "--cwd",
                str(PROJECT / "notebooks"),
                "-p",
                "client",
                "demo",
                "-p",
                "period",
                period,
                "-p",
                "output_dir",
                str(out),
            ],
            cwd=PROJECT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            cwd=PROJECT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return time.perf_counter() - started


def floor(env: dict, root: Path, month: str, last_day: str) -> float:
    return timed([sys.executable, str(PROJECT / "bench" / "floor.py"), str(root / "floor"), month, last_day], env)


def main() -> None:
    root = workspace()
    env = dict(os.environ, RAPPORT_ROOT=str(root), PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    rapport_make(env)  # warm-up: writes the demo data and ingests it
    month = json.loads(next(root.glob("outputs/demo/*/monthly.json")).read_text())["period"]["label"]
    last_day = json.loads(next(root.glob("outputs/demo/*/activity.json")).read_text())["period"]["label"]
    ours, theirs, bare, again = [], [], [], []
    for _ in range(ROUNDS):
        ours.append(rapport_make(env))
        again.append(rapport_make(env, force=False))  # nothing changed: every report up to date
        theirs.append(hand_rolled(env, root, month, last_day))
        bare.append(floor(env, root, month, last_day))
    ours_s, theirs_s, bare_s, again_s = (statistics.median(v) for v in (ours, theirs, bare, again))
    result = {
        **machine(),
        "rounds": ROUNDS,
        "make_report_s": round(ours_s, 2),
        "hand_rolled_s": round(theirs_s, 2),
        "floor_s": round(bare_s, 2),
        "ratio": round(ours_s / theirs_s, 2),
        "ratio_to_floor": round(ours_s / bare_s, 2),
        "rerun_s": round(again_s, 2),
        "rerun_ratio": round(again_s / ours_s, 2),
    }
    shutil.rmtree(root, ignore_errors=True)
    record(
        "report_chain",
        result,
        [
            result["date"],
            result["machine"],
            ROUNDS,
            f"{result['make_report_s']} s",
            f"{result['hand_rolled_s']} s",
            result["ratio"],
            f"{result['floor_s']} s",
            result["ratio_to_floor"],
            f"{result['rerun_s']} s",
            result["rerun_ratio"],
        ],
    )


if __name__ == "__main__":
    main()
