"""The month's computation (rapport.analysis.month.figures: KPIs, comparisons, goals with their
history, OKRs, plan, ROI, exceptions) on 5 years of daily data for 6 platforms, against the
same computation on the demo client (18 months, 4 platforms), in one run.

Goal (issue: analysis library): the large warehouse takes no more than 1.3x the demo's time,
because aggregation runs in DuckDB on the period's rows only. Results go to
bench/results/monthly.json and a row in bench/README.md.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from record import machine, record

PROJECT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
PLATFORMS = ["facebook", "instagram", "linkedin", "x", "tiktok", "youtube"]


def big_warehouse(path: Path, end: date, posts_per_day: int = 3) -> None:
    """5 years x 6 platforms: daily account rows, `posts_per_day` posts a day a platform,
    daily web, ads and mentions, written straight into the warehouse."""
    from rapport.data import warehouse

    rng = np.random.default_rng(5)
    days = pd.date_range(end - timedelta(days=5 * 365 - 1), end, freq="D")
    stamp = dict(source_file="bench", source_sha256="bench", as_of=end, imported_at=datetime(2030, 1, 1))
    with warehouse.open_write(path) as con:
        for name in PLATFORMS:
            growth = np.cumsum(rng.integers(0, 30, len(days)))
            warehouse.upsert(
                con,
                "account_daily",
                pd.DataFrame(
                    dict(
                        platform=name,
                        account="main",
                        date=days.date,
                        followers=5000 + growth,
                        impressions=rng.integers(1000, 9000, len(days)),
                        **stamp,
                    )
                ),
            )
            times = np.repeat(days.values, posts_per_day)
            times = times + pd.to_timedelta(rng.integers(7 * 60, 21 * 60, len(times)), unit="min").values
            n = len(times)
            impressions = rng.integers(100, 20000, n)
            warehouse.upsert(
                con,
                "posts",
                pd.DataFrame(
                    dict(
                        platform=name,
                        post_id=[f"{name}{i}" for i in range(n)],
                        published_at=times,
                        format="image",
                        impressions=impressions,
                        reach=impressions * 7 // 10,
                        reactions=impressions // 30,
                        comments=impressions // 300,
                        shares=impressions // 200,
                        clicks=impressions // 100,
                        **stamp,
                    )
                ),
            )
        warehouse.upsert(
            con,
            "web_daily",
            pd.DataFrame(
                dict(
                    date=days.date,
                    source="instagram",
                    medium="social",
                    campaign="(not set)",
                    sessions=rng.integers(50, 150, len(days)),
                    conversions=rng.integers(0, 5, len(days)).astype(float),
                    revenue=rng.integers(0, 900, len(days)).astype(float),
                    **stamp,
                )
            ),
        )
        warehouse.upsert(
            con,
            "ads_daily",
            pd.DataFrame(
                dict(
                    platform="meta",
                    date=days.date,
                    campaign="always-on",
                    spend=rng.uniform(100, 500, len(days)),
                    impressions=rng.integers(5000, 9000, len(days)),
                    clicks=rng.integers(50, 150, len(days)),
                    **stamp,
                )
            ),
        )
        mentions_per_day = 20
        warehouse.upsert(
            con,
            "mentions",
            pd.DataFrame(
                dict(
                    platform="x",
                    mention_id=[f"m{i}" for i in range(len(days) * mentions_per_day)],
                    date=np.repeat(days.date, mentions_per_day),
                    brand=rng.choice(["Nordkaffe", "Bryggargatan"], len(days) * mentions_per_day),
                    sentiment=rng.choice(["positive", "neutral", "negative"], len(days) * mentions_per_day),
                    **stamp,
                )
            ),
        )


def timed_month(client, period) -> float:
    from rapport.analysis import month
    from rapport.analysis.scope import Scope
    from rapport.data import warehouse

    started = time.perf_counter()
    with warehouse.open_read(client.warehouse_path) as con:
        month.figures(Scope(con, period, client.params.timezone), client)
    return time.perf_counter() - started


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="rapport-bench-monthly-"))
    (root / "params").mkdir()
    shutil.copyfile(PROJECT / "params" / "demo.yaml", root / "params" / "demo.yaml")
    shutil.copyfile(PROJECT / "params" / "demo-logo.svg", root / "params" / "demo-logo.svg")
    big = (PROJECT / "params" / "demo.yaml").read_text()
    (root / "params" / "big.yaml").write_text(big)
    os.environ["RAPPORT_ROOT"] = str(root)
    from rapport import config, demo, periods
    from rapport.data import ingest

    period = periods.last_complete_month(demo.TIMEZONE)
    demo.write(root / "data" / "demo", period)
    ingest.ingest(config.load_client("demo"))
    (root / "data" / "big").mkdir(parents=True)
    shutil.copyfile(root / "data" / "demo" / "plan.csv", root / "data" / "big" / "plan.csv")
    shutil.copyfile(root / "data" / "demo" / "problems.csv", root / "data" / "big" / "problems.csv")
    big_warehouse(root / "data" / "big" / "warehouse.duckdb", period.end)
    small_client, big_client = config.load_client("demo"), config.load_client("big")
    timed_month(small_client, period)  # warm-up: imports, first queries
    small, large = [], []
    for _ in range(ROUNDS):
        small.append(timed_month(small_client, period))
        large.append(timed_month(big_client, period))
    shutil.rmtree(root, ignore_errors=True)
    result = {
        **machine(),
        "rounds": ROUNDS,
        "demo_s": round(statistics.median(small), 3),
        "five_years_s": round(statistics.median(large), 3),
        "ratio": round(statistics.median(large) / statistics.median(small), 2),
    }
    record(
        "monthly",
        result,
        [
            result["date"],
            result["machine"],
            ROUNDS,
            f"{result['demo_s']} s",
            f"{result['five_years_s']} s",
            result["ratio"],
        ],
    )


if __name__ == "__main__":
    main()
