"""The other commands as a user runs them: new-client, check, reports, demo, index."""

import hashlib
import json

import pytest

from rapport import demo, periods

from conftest import make_workspace, rapport

CANARY = "CANARY-7f3a9"  # planted in one client's files: no other client's outputs may show it


def test_new_client_then_check_then_reports_for_every_client(workspace):
    created = rapport("new-client", "acme", root=workspace)
    assert created.returncode == 0, created.stderr
    assert (workspace / "data" / "acme" / "raw").is_dir()
    assert (workspace / "data" / "acme" / "plan.csv").read_text().startswith("id,activity,channel,owner,start,due")
    assert "name: Acme" in (workspace / "params" / "acme.yaml").read_text()
    again = rapport("new-client", "acme", root=workspace)
    assert again.returncode == 1 and "params/acme.yaml already exists" in again.stderr
    assert rapport("check", "acme", root=workspace).returncode == 0
    (workspace / "data" / "acme" / "problems.csv").write_text("date,problem,severity\n2026-10-01,Late post,urgent\n")
    bad = rapport("check", "acme", root=workspace)
    assert bad.returncode == 1
    assert "data/acme/problems.csv: row 2: column severity: 'urgent' is not one of low, medium, high" in bad.stderr
    (workspace / "data" / "acme" / "problems.csv").write_text("date,problem,severity\n2026-10-01,Late post,high\n")
    # a canary in acme's exports and params must reach acme's reports and no other client's
    (workspace / "data" / "acme" / "raw" / "posts.csv").write_text(
        f"platform,post_id,published_at,impressions,text\ninstagram,1,2026-10-25T10:00:00,50,{CANARY} post\n"
    )
    params = workspace / "params" / "acme.yaml"
    params.write_text(params.read_text().replace('objective: ""', f'objective: "{CANARY} objective"', 1))
    built = rapport("reports", "--period", "2026-10", root=workspace)
    assert built.returncode == 0, built.stderr
    assert "10 built, 0 failed, 0 up to date" in built.stdout
    lines = built.stdout.splitlines()
    head = lines.index(next(line for line in lines if line.startswith("client ")))
    assert lines[head].split() == ["client", "built", "up", "to", "date", "failed", "seconds"]
    assert [line.split()[:4] for line in lines[head + 1 : head + 3]] == [
        ["acme", "5", "0", "0"],
        ["demo", "5", "0", "0"],
    ]
    leaked = [p for p in (workspace / "outputs" / "demo").rglob("*.*") if CANARY in p.read_text(errors="replace")]
    assert leaked == []
    shown = {p.name for p in (workspace / "outputs" / "acme").rglob("*.*") if CANARY in p.read_text(errors="replace")}
    assert {"goals.html", "activity.html", "activity.json"} <= shown  # the objective; the post text
    # nothing changed: the batch (fingerprints taken beside each client's ingest) builds nothing
    again = rapport("reports", "--period", "2026-10", root=workspace)
    assert again.returncode == 0 and "0 built, 0 failed, 10 up to date" in again.stdout, again.stdout
    # a client without data gets reports that say so rather than empty charts
    html = (workspace / "outputs" / "acme" / "2026-10" / "monthly.html").read_text()
    assert "No data for this period." in html and "<img" not in html
    loud = rapport("exceptions", "acme", "--period", "2026-10", "--fail-on", "critical", root=workspace)
    assert loud.returncode == 3 and "critical open_problem   Late post: open (expected solved)" in loud.stdout
    (workspace / "data" / "acme" / "problems.csv").write_text(
        "date,problem,severity,status\n2026-10-01,Late post,high,solved\n"
    )
    quiet = rapport("exceptions", "acme", "--period", "2026-10", "--fail-on", "warning", root=workspace)
    assert quiet.returncode == 0 and "no deviations need action" in quiet.stdout
    index = (workspace / "outputs" / "index.html").read_text()
    assert 'href="acme/2026-10/monthly.html"' in index and 'href="demo/2026-10-31/activity.html"' in index


def test_demo_data_is_deterministic_and_spans_18_months(tmp_path):
    end = periods.for_report("monthly", "2026-10")
    digests = []
    for name in ("a", "b"):
        demo.write(tmp_path / name, end)
        files = sorted(p for p in (tmp_path / name).rglob("*") if p.is_file())
        digests.append({str(p.relative_to(tmp_path / name)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files})
    assert digests[0] == digests[1]
    months = sorted(p.name for p in (tmp_path / "a" / "raw").iterdir())
    assert len(months) == 18 and months[0] == "2025-05" and months[-1] == "2026-10"
    assert demo.is_current(tmp_path / "a", end) and not demo.is_current(
        tmp_path / "a", periods.for_report("monthly", "2026-11")
    )


def test_exceptions_json_lists_findings_most_severe_first(demo_reports):
    root, _, month = demo_reports
    findings = json.loads((root / "outputs" / "demo" / month / "exceptions.json").read_text())["findings"]
    order = {"critical": 0, "warning": 1}
    assert [order[f["severity"]] for f in findings] == sorted(order[f["severity"]] for f in findings)
    problems = [f for f in findings if f["kind"] == "open_problem"]
    assert [f["subject"] for f in problems] == ["Photographer unavailable for December shoot"]


def test_exceptions_command_exits_3_at_or_above_the_level(demo_reports):
    root, _, month = demo_reports
    findings = json.loads((root / "outputs" / "demo" / month / "exceptions.json").read_text())["findings"]
    assert any(f["severity"] == "critical" for f in findings)  # the demo has critical findings
    failing = rapport("exceptions", "demo", "--fail-on", "critical", root=root)
    assert failing.returncode == 3
    assert failing.stdout.count("\ncritical ") + failing.stdout.startswith("critical ") >= 1
    assert rapport("exceptions", "demo", root=root).returncode == 0


META_HEADER = (
    "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,Permalink,"
    "Is crosspost,Is share,Post type,Languages,Custom labels,Funded content status,Data comment,Date,"
    'Views,Reach,"Reactions, Comments and Shares",Reactions,Comments,Shares,Total clicks,Other Clicks,'
    "Link Clicks\n"
)


def meta_row(views: str) -> str:
    return (
        f"1_2,1,Acme,Hello,,,10/02/2026 09:00,N/A,https://www.facebook.com/1/posts/2,0,0,Photos,,,,,Lifetime,"
        f"{views},900,65,50,5,10,30,10,20\n"
    )


def test_check_reads_new_raw_files_the_way_ingest_does_and_changes_nothing(workspace):
    """`make check` with a file not yet imported (README: New client, step 4): a good file
    passes, a bad one is one line naming file, row and column; nothing is written."""
    assert rapport("new-client", "acme", root=workspace).returncode == 0
    raw = workspace / "data" / "acme" / "raw"
    (raw / "posts.csv").write_text(META_HEADER + meta_row('"1,234"'), encoding="utf-8")
    good = rapport("check", "acme", root=workspace)
    assert good.returncode == 0, good.stderr
    assert "1 raw file(s), 0 problem(s)" in good.stdout and "Traceback" not in good.stderr
    (raw / "later.csv").write_text(META_HEADER + meta_row("12x"), encoding="utf-8")
    bad = rapport("check", "acme", root=workspace)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines() == [
        "rapport: data/acme/raw/later.csv: row 2: column Views: '12x' is not a number"
    ]
    assert not (workspace / "data" / "acme" / "warehouse.duckdb").exists()


@pytest.fixture(scope="module")
def refusing(tmp_path_factory):
    """A workspace with the demo's params and a new client, acme, whose raw/ holds one file
    no platform wrote."""
    root = make_workspace(tmp_path_factory.mktemp("refusing"))
    assert rapport("new-client", "acme", root=root).returncode == 0
    (root / "data" / "acme" / "raw" / "export.csv").write_text("colour,shape\nred,round\n")
    return root


# Every command of the README as a user types it, with a bad input: (arguments, exit status,
# the start of the one line on stderr).
REFUSALS = [
    (["report", "nosuch"], 1, "rapport: unknown client 'nosuch': params/nosuch.yaml not found"),
    (["report", "../etc"], 1, "rapport: client '../etc' is not a simple name"),
    (["report", "demo", "--period", "2026-13"], 1, "rapport: PERIOD=2026-13: not a month (write YYYY-MM"),
    (["reports", "--period", "2026-13"], 1, "rapport: PERIOD=2026-13: not a month"),
    (["exceptions", "demo", "--period", "13-2026"], 1, "rapport: PERIOD=13-2026: write a month as YYYY-MM"),
    (["ingest", "acme"], 1, "rapport: rejected: data/acme/raw/export.csv: not an export format rapport knows"),
    (["sources", "nosuch"], 1, "rapport: unknown client 'nosuch'"),
    (["check", "acme"], 1, "rapport: data/acme/raw/export.csv: not an export format rapport knows"),
    (["new-client", "demo"], 1, "rapport: params/demo.yaml already exists: edit it, or choose another name"),
    (["new-client", "Acme Corp"], 1, "rapport: client 'Acme Corp' is not a simple name"),
    (["prepare", "demo", "--report", "monthly", "--period", "2026-13"], 1, "rapport: PERIOD=2026-13: not a month"),
    (["demo", "--end", "2026-99"], 1, "rapport: --end 2026-99: not a month (write YYYY-MM"),
    (["pdf", "demo", "--period", "2001-01"], 1, "rapport: no reports to print in outputs/demo/2001-01"),
    (["send", "acme", "--dry-run"], 1, "rapport: params/acme.yaml: recipients: nobody to send to"),
    (["slides", "demo", "--period", "2001-01"], 1, "rapport: no reports to put on slides in outputs/demo/2001-01"),
]


@pytest.mark.parametrize("args, status, line", REFUSALS, ids=[" ".join(case[0]) for case in REFUSALS])
def test_every_command_refuses_a_bad_input_in_one_line(refusing, args, status, line):
    before = sorted(str(p.relative_to(refusing)) for p in refusing.rglob("*"))
    result = rapport(*args, root=refusing)
    assert result.returncode == status, result.stderr
    assert result.stderr.startswith(line) and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert sorted(str(p.relative_to(refusing)) for p in refusing.rglob("*")) == before  # nothing written


def test_index_with_outputs_not_a_folder_is_one_line(workspace):
    (workspace / "outputs").write_text("not a folder")
    result = rapport("index", root=workspace)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("rapport: outputs"), result.stderr


def test_a_new_client_with_only_post_exports_gets_no_empty_table_and_no_dash_only_tile(workspace, tmp_path):
    """README, New client: `make new-client`, one Instagram posts export in raw/, `make report`.
    Every state has words: no table of headers only, no tile without a figure, no goals or plan
    said in a sentence; the audit's first quarter reads "first period in the data"."""
    from bs4 import BeautifulSoup

    from rapport.i18n import EN

    demo.write(tmp_path / "demo", periods.for_report("monthly", "2026-10"))
    export = next((tmp_path / "demo" / "raw" / "2026-10").glob("*_ig.csv"))
    assert rapport("new-client", "acme", root=workspace).returncode == 0
    (workspace / "data" / "acme" / "raw" / export.name).write_bytes(export.read_bytes())
    built = rapport("report", "acme", "--period", "2026-10", root=workspace)
    assert built.returncode == 0 and "5 built, 0 failed" in built.stdout, built.stderr
    pages = {
        p.stem: BeautifulSoup(p.read_text(), "html.parser") for p in (workspace / "outputs" / "acme").glob("*/*.html")
    }
    assert len(pages) == 5
    for report, page in pages.items():
        assert all(table.select("tbody tr") for table in page.select("table")), report
        for tile in page.select(".rapport-tile[data-metric]"):
            assert tile.select_one(".rapport-tile-value").get_text() != "–", (report, tile["data-metric"])
            changes = [c.get_text(" ", strip=True) for c in tile.select(".rapport-tile-change")]
            assert not any(c.startswith("■ –") for c in changes), (report, tile["data-metric"], changes)
    monthly, goals = pages["monthly"].get_text(" "), pages["goals"].get_text(" ")
    assert EN["note.no_goals"] in monthly and EN["note.no_okrs"] in monthly and EN["note.no_problems"] in monthly
    assert EN["note.no_goals"] in goals and goals.count(EN["note.no_goals"]) == 1
    assert EN["note.no_activities"] in pages["activity"].get_text(" ")
    carried = pages["monthly"].select("p.rapport-not-carried")
    assert {p["data-metric"] for p in carried} >= {"followers", "follower_growth"}  # no followers export or log
    assert all(
        f.select_one("span").get_text() == EN["label.first_period"] for f in pages["audit"].select(".rapport-first")
    )
    assert len(pages["audit"].select(".rapport-first")) == len(pages["audit"].select(".rapport-tile[data-metric]"))
