"""Ingest throughput: ~1M post rows in Meta's own export format, and 5 years x 6 platforms of
daily account rows, through `rapport ingest`, against DuckDB's own CSV reader loading the
same files into a table (the floor: no format detection, validation, time zones or upsert).

    BENCH_POSTS=1000000 python bench/ingest.py

Results go to bench/results/ingest.json and a row in bench/README.md.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from record import machine, record

PROJECT = Path(__file__).resolve().parents[1]
POSTS = int(os.environ.get("BENCH_POSTS", "1000000"))
FILES = 10
PLATFORMS = ["facebook", "instagram", "linkedin", "x", "tiktok", "youtube"]


def write_exports(raw: Path) -> tuple[int, int]:
    rng = np.random.default_rng(1)
    raw.mkdir(parents=True)
    per_file = POSTS // FILES
    header = (
        "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,Permalink,"
        "Is crosspost,Is share,Post type,Languages,Custom labels,Funded content status,Data comment,Date,"
        'Views,Reach,"Reactions, Comments and Shares",Reactions,Comments,Shares,Total clicks'
    )
    start = pd.Timestamp("2021-01-01")
    for n in range(FILES):
        ids = np.arange(n * per_file, (n + 1) * per_file)
        minutes = rng.integers(0, 5 * 365 * 24 * 60, per_file)
        published = (start + pd.to_timedelta(minutes, unit="m")).strftime("%m/%d/%Y %H:%M")
        views = rng.integers(100, 50_000, per_file)
        frame = pd.DataFrame(
            {
                "Post ID": [f"1039829308656930_{i:015d}" for i in ids],
                "Page ID": "1039829308656930",
                "Page name": "Bench",
                "Title": "",
                "Description": "A post about coffee, beans & brewing",
                "Duration (sec)": "",
                "Publish time": published,
                "Caption type": "N/A",
                "Permalink": [f"https://www.facebook.com/1039829308656930/posts/{i:015d}" for i in ids],
                "Is crosspost": 0,
                "Is share": 0,
                "Post type": "Photos",
                "Languages": "",
                "Custom labels": "",
                "Funded content status": "",
                "Data comment": "",
                "Date": "Lifetime",
                "Views": views,
                "Reach": views * 7 // 10,
                "RCS": views // 25,
                "Reactions": views // 30,
                "Comments": views // 300,
                "Shares": views // 200,
                "Total clicks": views // 100,
            }
        )
        text = header + "\n" + frame.to_csv(index=False, header=False, lineterminator="\n")
        (raw / f"posts-{n:02d}.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    days = pd.date_range("2021-01-01", periods=5 * 365, freq="D")
    daily = pd.concat(
        [
            pd.DataFrame(
                {
                    "platform": p,
                    "account": "main",
                    "date": days.strftime("%Y-%m-%d"),
                    "followers": rng.integers(1000, 9000, len(days)),
                    "impressions": rng.integers(100, 9000, len(days)),
                }
            )
            for p in PLATFORMS
        ]
    )
    daily.to_csv(raw / "daily.csv", index=False)
    return POSTS, len(daily)


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="rapport-bench-ingest-"))
    (root / "params").mkdir()
    (root / "params" / "bench.yaml").write_text("name: Bench\ntimezone: Europe/Stockholm\n")
    os.environ["RAPPORT_ROOT"] = str(root)
    from rapport import config
    from rapport.data import ingest

    posts, daily = write_exports(root / "data" / "bench" / "raw")
    client = config.load_client("bench")
    started = time.perf_counter()
    result = ingest.ingest(client)
    ours = time.perf_counter() - started
    assert not result.rejected, result.rejected
    again = time.perf_counter()
    assert ingest.ingest(client).unchanged == FILES + 1
    repeat = time.perf_counter() - again

    started = time.perf_counter()
    con = duckdb.connect(str(root / "floor.duckdb"))
    con.execute(f"CREATE TABLE posts AS SELECT * FROM read_csv('{root}/data/bench/raw/posts-*.csv', all_varchar=false)")
    con.execute(f"CREATE TABLE daily AS SELECT * FROM read_csv('{root}/data/bench/raw/daily.csv')")
    con.close()
    floor = time.perf_counter() - started
    shutil.rmtree(root, ignore_errors=True)

    result = {
        **machine(),
        "post_rows": posts,
        "daily_rows": daily,
        "ingest_s": round(ours, 1),
        "rows_per_s": int((posts + daily) / ours),
        "reingest_s": round(repeat, 2),
        "duckdb_read_csv_s": round(floor, 1),
        "ratio": round(ours / floor, 1),
    }
    record(
        "ingest",
        result,
        [
            result["date"],
            result["machine"],
            f"{posts:,} + {daily:,}",
            f"{result['ingest_s']} s ({result['rows_per_s']:,} rows/s)",
            f"{result['reingest_s']} s",
            f"{result['duckdb_read_csv_s']} s",
            result["ratio"],
        ],
    )


if __name__ == "__main__":
    main()
