import hashlib
import json
import os
import random
import shutil
import subprocess

import pytest

from rapport import config
from rapport.data import ingest, warehouse

POSTS = "platform,post_id,published_at,format,impressions,reach,reactions,comments,shares,saves,clicks\n"


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def tables(client, provenance: bool = True) -> dict:
    # Two downloads with identical bytes are one import (the ledger is by checksum), so which
    # of their paths is recorded depends on order: compare without the path when order varies.
    skip = "imported_at" if provenance else "imported_at, source_file"
    with warehouse.open_read(client.warehouse_path) as con:
        return {t: con.execute(f"SELECT * EXCLUDE ({skip}) FROM {t} ORDER BY ALL").fetchall() for t in warehouse.TABLES}


@pytest.fixture
def client(workspace):
    (workspace / "data" / "demo" / "raw").mkdir(parents=True)
    return config.load_client("demo")


def test_overlapping_exports_keep_the_newest_lifetime_values(client):
    raw = client.raw_dir
    write(
        raw / "sep.csv",
        POSTS + "instagram,1,2026-09-20T10:00:00Z,image,100,80,10,1,1,1,\n"
        "instagram,2,2026-09-30T10:00:00Z,reel,50,40,5,0,0,0,\n",
    )
    write(
        raw / "oct.csv",
        POSTS + "instagram,2,2026-09-30T10:00:00Z,reel,400,300,40,4,2,2,\n"
        "instagram,3,2026-10-02T10:00:00Z,image,70,60,7,0,0,0,\n",
    )
    result = ingest.ingest(client)
    assert (len(result.imported), result.rejected) == (2, [])
    with warehouse.open_read(client.warehouse_path) as con:
        rows = con.execute("SELECT post_id, impressions, source_file FROM posts ORDER BY post_id").fetchall()
    assert rows == [
        ("1", 100, "data/demo/raw/sep.csv"),
        ("2", 400, "data/demo/raw/oct.csv"),
        ("3", 70, "data/demo/raw/oct.csv"),
    ]


def test_importing_twice_or_in_any_order_gives_identical_tables(workspace, session_root):
    source = session_root / "data" / "demo" / "raw"
    months = sorted(p.name for p in source.iterdir())[-4:]  # four overlapping downloads, every format
    files = sorted(p for m in months for p in (source / m).rglob("*") if p.is_file())
    results = []
    for order in range(2):
        shuffled = files[:]
        random.Random(order).shuffle(shuffled)
        folder = workspace / "data" / "demo"
        shutil.rmtree(folder, ignore_errors=True)
        client_ = None
        for n, path in enumerate(shuffled):  # import one file at a time, in shuffled order
            target = folder / "raw" / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            client_ = client_ or config.load_client("demo")
            if n % 7 == 0:
                ingest.ingest(client_)
        ingest.ingest(client_)
        again = ingest.ingest(client_)
        assert again.imported == [] and again.unchanged == len(files)
        results.append(tables(client_, provenance=False))
    assert results[0] == results[1]
    assert len(results[0]["posts"]) > 200 and len(results[0]["mentions"]) > 1000


def test_files_parsed_on_every_core_give_the_tables_and_refusals_of_one(workspace, session_root, monkeypatch):
    """Much to read: each file is parsed in a worker process. The same files read in this
    process are the oracle: same tables, same files imported, same refusal line."""
    source = session_root / "data" / "demo" / "raw"
    month = sorted(p for p in source.iterdir())[-1]
    folder = workspace / "data" / "demo"
    shutil.copytree(month, folder / "raw" / month.name)
    write(folder / "raw" / "bad.csv", POSTS + "facebook,9,2026-10-01T10:00:00Z,image,12x,,,,,,\n")
    client = config.load_client("demo")
    one = ingest.ingest(client)
    expected = tables(client, provenance=False)
    client.warehouse_path.unlink()
    pools = []

    class Pool(ingest.ProcessPoolExecutor):  # the real pool, counted
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(ingest, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(ingest, "PARALLEL_BYTES", 0)
    every = ingest.ingest(client)
    assert len(pools) == 1 and len(one.imported) > 5
    assert (every.imported, every.rejected) == (one.imported, one.rejected)
    assert one.rejected == ["data/demo/raw/bad.csv: row 2: column impressions: '12x' is not a number"]
    assert tables(client, provenance=False) == expected


@pytest.mark.parametrize(
    "body, message",
    [
        (
            POSTS + "facebook,9,2026-10-01T10:00:00Z,image,12x,,,,,,\n",
            "row 2: column impressions: '12x' is not a number",
        ),
        (
            POSTS + "facebook,9,2026-10-01T10:00:00Z,image,1,,,,,,\nfacebook,9,2026-10-02T10:00:00Z,image,1,,,,,,\n",
            "row 3: the same platform, post_id appears twice in the file",
        ),
        (
            POSTS + "facebook,,2026-10-01T10:00:00Z,image,1,,,,,,\n",
            "row 2: column post_id: empty (it identifies the row)",
        ),
        (POSTS + "facebook,9,yesterday,image,1,,,,,,\n", "row 2: column published_at: 'yesterday' is not a date"),
        ("colour,size\nred,3\n", "not an export format rapport knows"),
    ],
)
def test_a_bad_file_is_rejected_in_one_line_and_changes_nothing(client, body, message):
    write(client.raw_dir / "good.csv", POSTS + "facebook,1,2026-10-01T10:00:00Z,image,5,,1,,,,\n")
    ingest.ingest(client)
    before = tables(client)
    write(client.raw_dir / "bad.csv", body)
    write(client.raw_dir / "later.csv", POSTS + "facebook,2,2026-10-03T10:00:00Z,image,6,,1,,,,\n")
    result = ingest.ingest(client)
    assert result.rejected == [
        f"data/demo/raw/bad.csv: {message}"
        if "rapport knows" not in message
        else "data/demo/raw/bad.csv: not an export format rapport knows (see README: Supported exports)"
    ]
    assert result.imported == ["data/demo/raw/later.csv"]
    after = tables(client)
    assert [r for r in after["posts"] if r[1] != "2"] == before["posts"]
    with warehouse.open_read(client.warehouse_path) as con:
        assert con.execute("SELECT count(*) FROM imports WHERE path LIKE '%bad.csv'").fetchone() == (0,)


def test_bom_and_blank_values_stay_missing(client):
    write(client.raw_dir / "bom.csv", POSTS + "linkedin,7,2026-10-05T08:00:00+02:00,text,300,,12,2,1,,9\n", "utf-8-sig")
    assert ingest.ingest(client).rejected == []
    with warehouse.open_read(client.warehouse_path) as con:
        row = con.execute("SELECT published_at, reach, saves, clicks FROM posts").fetchone()
    assert str(row[0]) == "2026-10-05 06:00:00" and row[1] is None and row[2] is None and row[3] == 9


def test_sources_lists_ranges_rows_and_gaps(client):
    write(
        client.raw_dir / "daily.csv",
        "platform,account,date,impressions\n" + "".join(f"tiktok,a,2026-10-{d:02d},{d}\n" for d in (1, 2, 5, 6, 7, 10)),
    )
    write(client.raw_dir / "posts.csv", POSTS + "tiktok,1,2026-10-03T10:00:00Z,,100,,1,,,,\n")
    ingest.ingest(client)
    from conftest import rapport

    listing = rapport("sources", "demo", root=client.data_dir.parents[1])
    assert listing.returncode == 0, listing.stderr
    daily = next(line for line in listing.stdout.splitlines() if line.startswith("account_daily"))
    assert "2026-10-01 – 2026-10-10" in daily and " 6 " in daily
    assert daily.split()[6] == "4" and "gaps: 2026-10-03..2026-10-04, 2026-10-08..2026-10-09" in daily
    assert any(line.startswith("posts          tiktok") for line in listing.stdout.splitlines())


def test_a_warehouse_appears_with_its_tables_and_a_killed_creation_is_swept(client):
    # A run killed while creating the warehouse leaves its file named by its (dead) process;
    # the warehouse itself never exists without tables (the next ingest then failed on it).
    dead = subprocess.Popen(["true"])
    dead.wait()
    left = client.warehouse_path.parent / f".{client.warehouse_path.name}-{dead.pid}-new"
    write(left, "half a database")
    write(client.raw_dir / "posts.csv", POSTS + "instagram,1,2026-09-20T10:00:00Z,image,100,80,10,1,1,1,\n")
    assert len(ingest.ingest(client).imported) == 1
    assert not left.exists()
    assert [p.name for p in client.warehouse_path.parent.iterdir() if p.name.startswith(".")] == []
    assert ingest.imported(client) and tables(client)["posts"]


def test_checksums_kept_between_runs_are_the_files_and_are_used(client, monkeypatch):
    monkeypatch.setattr(ingest, "SETTLED_NS", 0)  # the files of this test count as settled at once
    files = [
        write(client.raw_dir / name, POSTS + f"instagram,{n},2026-09-2{n}T10:00:00Z,image,{n},,,,,,\n")
        for n, name in enumerate(["a.csv", "sub/b.csv"], 1)
    ]
    assert len(ingest.ingest(client).imported) == 2
    kept = json.loads((client.data_dir / ingest.CHECKSUMS).read_text())
    assert {name: entry[1] for name, entry in kept.items()} == {
        "a.csv": hashlib.sha256(files[0].read_bytes()).hexdigest(),
        "sub/b.csv": hashlib.sha256(files[1].read_bytes()).hexdigest(),
    }
    # a file whose size, times and inode are unchanged is not read again: its kept checksum is used
    kept["a.csv"][1] = "0" * 64
    (client.data_dir / ingest.CHECKSUMS).write_text(json.dumps(kept))
    assert ingest.checksums(client, files) == ["0" * 64, kept["sub/b.csv"][1]]


def test_a_file_changed_in_place_is_read_again_even_with_its_size_and_mtime_kept(client, monkeypatch):
    monkeypatch.setattr(ingest, "SETTLED_NS", 0)
    path = write(client.raw_dir / "posts.csv", POSTS + "instagram,1,2026-09-20T10:00:00Z,image,100,,,,,,\n")
    ingest.ingest(client)
    before = path.stat()
    path.write_text(POSTS + "instagram,1,2026-09-29T10:00:00Z,image,900,,,,,,\n")  # same size, newer
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and its mtime put back
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert ingest.ingest(client).imported == ["data/demo/raw/posts.csv"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() in ingest.imported(client)
    with warehouse.open_read(client.warehouse_path) as con:
        assert con.execute("SELECT impressions FROM posts").fetchall() == [(900,)]


def test_a_file_written_a_moment_ago_or_a_broken_cache_is_read_again(client):
    path = write(client.raw_dir / "posts.csv", POSTS + "instagram,1,2026-09-20T10:00:00Z,image,100,,,,,,\n")
    ingest.ingest(client)  # changed within SETTLED_NS: its times may not move on a change as quick
    assert not (client.data_dir / ingest.CHECKSUMS).exists()
    (client.data_dir / ingest.CHECKSUMS).write_text('{"posts.csv": ["garbage"]')
    assert ingest.checksums(client, [path]) == [hashlib.sha256(path.read_bytes()).hexdigest()]
    assert ingest.ingest(client).unchanged == 1
