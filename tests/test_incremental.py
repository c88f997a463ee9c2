"""Incremental builds (issue 11): a report is rebuilt when, and only when, something it is
built from changed; its JSON keeps the fingerprint; --force builds anyway. Each input is
changed in turn through the CLI, as a consultant's cron run would meet it."""

import json

from rapport import periods
from rapport.config import load_client
from rapport.publish import fresh

from conftest import rapport

PERIOD = ["--report", "exceptions", "--period", "2026-10"]


def posts(raw, name: str, *rows: tuple[str, str, int]) -> None:
    """A canonical posts CSV in raw/: (post id, published at, impressions) per post."""
    lines = ["platform,post_id,published_at,impressions"] + [f"instagram,{i},{when},{seen}" for i, when, seen in rows]
    (raw / name).write_text("\n".join(lines) + "\n")


def build(workspace, *extra: str) -> str:
    result = rapport("report", "acme", *PERIOD, *extra, root=workspace)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_each_input_in_turn_rebuilds_the_report_and_nothing_else_does(workspace):
    assert rapport("new-client", "acme", root=workspace).returncode == 0
    data, raw = workspace / "data" / "acme", workspace / "data" / "acme" / "raw"
    posts(raw, "october.csv", ("1", "2026-09-20T10:00:00", 500), ("2", "2026-10-05T10:00:00", 700))
    assert "1 built, 0 failed, 0 up to date" in build(workspace)
    figures = workspace / "outputs" / "acme" / "2026-10" / "exceptions.json"
    stamped = json.loads(figures.read_text())["fingerprint"]
    assert len(stamped) == 64
    # posts of 2022 (long before anything the report reads) and of December: imported, still up to date
    posts(raw, "elsewhere.csv", ("3", "2022-03-01T10:00:00", 90), ("4", "2026-12-01T10:00:00", 80))
    quiet = build(workspace)
    assert "1 imported" in quiet and "exceptions  2026-10     up to date" in quiet and "0 built" in quiet
    # what the report is built from, one at a time: each rebuilds it
    changes = [
        ("a post of its month", lambda: posts(raw, "more.csv", ("5", "2026-10-30T10:00:00", 60))),
        ("the params", lambda: open(workspace / "params" / "acme.yaml", "a").write("# a note\n")),
        (
            "the plan",
            lambda: open(data / "plan.csv", "a").write("A1,Reels,instagram,Eva,2026-10-01,2026-10-20,,,,,,,\n"),
        ),
        ("the problem log", lambda: (data / "problems.csv").write_text("date,problem,severity\n2026-10-02,Late,low\n")),
    ]
    for what, change in changes:
        change()
        assert "1 built, 0 failed, 0 up to date" in build(workspace), what
    assert "1 built, 0 failed, 0 up to date" in build(workspace, "--force")
    assert json.loads(figures.read_text())["fingerprint"] != stamped


def test_the_fingerprint_follows_the_notebook_and_the_library(workspace, tmp_path, monkeypatch):
    """A changed notebook rebuilds its report only; a changed rapport (code, templates,
    catalogues: fresh.library) rebuilds every report."""
    assert rapport("new-client", "acme", root=workspace).returncode == 0
    monkeypatch.setenv("RAPPORT_ROOT", str(workspace))
    client, october = load_client("acme", require_data=False), periods.for_report("monthly", "2026-10")
    notebook = tmp_path / "03-monthly.ipynb"
    notebook.write_text('{"cells": []}')
    other = tmp_path / "05-exceptions.ipynb"
    other.write_text('{"cells": []}')
    monthly, exceptions = (
        fresh.fingerprint(client, r, october, nb) for r, nb in (("monthly", notebook), ("exceptions", other))
    )
    notebook.write_text('{"cells": [1]}')
    assert fresh.fingerprint(client, "monthly", october, notebook) != monthly
    assert fresh.fingerprint(client, "exceptions", october, other) == exceptions
    assert fresh.fingerprint(client, "exceptions", periods.for_report("monthly", "2026-09"), other) != exceptions
    monkeypatch.setattr(fresh, "library", lambda: b"another rapport")
    assert fresh.fingerprint(client, "exceptions", october, other) != exceptions
