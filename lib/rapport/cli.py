"""The `rapport` command: the same operations as the Makefile (README: Consultants).

User errors print one line each and exit non-zero (2 for bad params, 1 otherwise);
never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from rapport import __version__, demo, paths, periods
from rapport.config import Client, load_client
from rapport.data import ingest, plan_files
from rapport.errors import ParamsError, UserError
from rapport.files import atomic_write

TEMPLATE = "_template.yaml"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    try:
        return args.handler(args) or 0
    except UserError as error:
        for line in error.lines:
            print(f"rapport: {line}" if not line.startswith(" ") else line, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("rapport: interrupted; the last good reports are untouched", file=sys.stderr)
        return 130
    except OSError as error:  # a folder that is a file, a full disk, no permission: what and where
        where = paths.relative(Path(error.filename)) if error.filename else "rapport"
        print(f"rapport: {where}: {error.strerror or error}: nothing more was written", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rapport", description="Social media reports from platform exports.")
    parser.add_argument("--version", action="version", version=f"rapport {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name, handler, help_text, client=True):
        p = sub.add_parser(name, help=help_text, description=help_text)
        if client:
            p.add_argument("client", help="client slug: params/<client>.yaml")
        p.set_defaults(handler=handler, command=name)
        return p

    def period_opts(p, report_choice=True):
        p.add_argument("--period", default="", help="YYYY-MM (activity: YYYY-MM-DD); default: last complete month")
        if report_choice:
            p.add_argument("--report", choices=list(paths.REPORTS), help="one report only (default: all five)")
        p.add_argument("--jobs", type=int, default=0, help="notebooks run in parallel (default: cores, at most 4)")
        p.add_argument("--force", action="store_true", help="build even the reports that are up to date")

    period_opts(command("report", _report, "ingest new exports, then build the client's reports"))
    p = command("reports", _reports, "build the reports of every client in params/", client=False)
    period_opts(p, False)
    p.add_argument("--cluster", default="", help="a Dask scheduler's address (tcp://host:8786): build there")
    p = command("exceptions", _exceptions, "ingest, build the exception report and list what needs action now")
    p.add_argument("--period", default="", help="YYYY-MM; default: last complete month")
    p.add_argument(
        "--fail-on", choices=["warning", "critical"], help="exit 3 when a finding at or above this level exists"
    )
    command("ingest", _ingest, "import new files from data/<client>/raw/ into the warehouse")
    command("check", _check, "validate params and data; print every problem; change nothing")
    command("sources", _sources, "what the warehouse holds per platform: dates, rows, gaps, last import")
    command("new-client", _new_client, "scaffold params/<client>.yaml and data/<client>/ from the template")
    p = command("prepare", _prepare, "write a parameterised copy of a notebook to explore in JupyterLab")
    p.add_argument("--period", default="")
    p.add_argument("--report", choices=list(paths.REPORTS), required=True)
    p = command("demo", _demo, "(re)write the demo client's data into data/demo/", client=False)
    p.add_argument("--end", default="", help="last month of the demo data (YYYY-MM; default: last complete month)")
    command("index", _index, "rewrite outputs/index.html", client=False)
    p = command("pdf", _pdf, "print the client's HTML reports of a period to PDF (headless Chromium)")
    p.add_argument("--period", default="", help="YYYY-MM; default: last complete month")
    p = command("send", _send, "e-mail the period's reports to each audience (SMTP settings from the environment)")
    p.add_argument("--period", default="", help="YYYY-MM; default: last complete month")
    p.add_argument("--audience", choices=["management", "team"], help="one audience only (default: both)")
    p.add_argument("--dry-run", action="store_true", help="write the message (.eml) beside the reports instead")
    p.add_argument("--again", action="store_true", help="send even when the ledger says it was sent")
    p = command("slides", _slides, "write a PPTX deck per report of the period, for the meeting")
    p.add_argument("--period", default="", help="YYYY-MM; default: last complete month")
    return parser


# --- commands ------------------------------------------------------------------------


def _report(args) -> int:
    reports = [args.report] if args.report else list(paths.REPORTS)
    jobs = _jobs(load_client(paths.check_slug(args.client), require_data=False), reports, args.period)
    client = _client_ready(args.client)
    status = _run_ingest(client)
    _within_data(client, jobs, args.period)
    # the workers start only for reports to build: a run with nothing new is over in a second
    return _build(jobs, _workers(args.jobs, jobs), force=args.force) or status


def _reports(args) -> int:
    slugs = paths.clients()
    if not slugs:
        raise UserError(f"no clients in {paths.relative(paths.params_dir())}: make new-client CLIENT=<name>")
    for report in paths.REPORTS:  # a mistyped PERIOD is said once, not once per client
        periods.for_report(report, args.period)
    jobs, status = [], 0
    for client_jobs, client_status, out, err in _ready_all(slugs, args.period, _workers(args.jobs, slugs)):
        sys.stdout.write(out)
        sys.stderr.write(err)
        jobs += client_jobs
        status = client_status or status  # one bad client must not stop the agency's run
    return _build(jobs, _workers(args.jobs, jobs), force=args.force, table=True, cluster=args.cluster) or status


def _ready_all(slugs: list[str], period_text: str, workers: int):
    """Each client ingested (on `workers` processes when there are several clients), in the
    order of `slugs`: (its jobs, its status, what it printed, what it said on stderr)."""
    if workers < 2 or len(slugs) < 2:
        return [_ready(slug, period_text) for slug in slugs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(min(workers, len(slugs)), mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_ready, slugs, [period_text] * len(slugs)))


def _ready(slug: str, period_text: str) -> tuple[list, int, str, str]:
    """One client's part of `reports`: its data imported, its jobs; a client's error is its
    own (one line, its status) and never stops the others."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            client_jobs = _jobs(load_client(slug, require_data=False), list(paths.REPORTS), period_text)
            client = _client_ready(slug)
            status = _run_ingest(client)
            _within_data(client, client_jobs, period_text)
            client_jobs = _fingerprinted(client, client_jobs)  # beside the ingest, on its processes
        except UserError as error:
            for line in error.lines:
                print(f"rapport: {line}", file=sys.stderr)
            return [], error.exit_code, out.getvalue(), err.getvalue()
    return client_jobs, status, out.getvalue(), err.getvalue()


def _within_data(client: Client, jobs: list, period_text: str) -> None:
    """Refuse a PERIOD the warehouse holds nothing of (a typo, 2031-01), naming what it holds;
    a client with no data yet gets its reports (they say so)."""
    if not period_text:
        return
    from rapport.data import warehouse

    held = warehouse.span(client.warehouse_path)
    wanted = min(j.period.start for j in jobs), max(j.period.end for j in jobs)
    if held and (wanted[1] < held[0] or wanted[0] > held[1]):
        raise UserError(
            f"PERIOD={period_text}: {client.slug}'s warehouse holds {held[0]} – {held[1]}: choose a "
            f"period in it (make sources CLIENT={client.slug} shows what each platform holds)"
        )


def _jobs(client: Client, reports: list[str], period_text: str):
    from rapport.publish.run import Job

    return [
        Job(client.slug, report, periods.for_report(report, period_text, client.params.timezone)) for report in reports
    ]


def _workers(requested: int, jobs: list) -> int:
    from rapport.publish.run import default_workers

    return max(1, min(requested or default_workers(), len(jobs)))


def _build(work, workers: int, *, force: bool = False, table: bool = False, cluster: str = "") -> int:
    """Run the jobs on `workers` processes (or on the Dask `cluster`), the ones up to date
    skipped unless `force`: a line per report (and a progress bar on a terminal), with `table`
    a line per client, then the summary line."""
    from rapport.publish import index, run

    if not work:
        return 1
    run.sweep_temporary()  # what killed runs left, even when every report is up to date
    clients = list(dict.fromkeys(job.client for job in work))
    work, fresh = _up_to_date(work, force)
    for job in fresh:
        print(f"  {job.client:<12} {job.report:<11} {job.period.label:<10}  up to date")
    started = time.perf_counter()
    outcomes = []
    if work:
        outcomes = _run(work, workers, cluster)
    index.write()
    failed = [o for o in outcomes if o.error]
    if table:
        _per_client(clients, outcomes, fresh)
    print(
        f"{len(outcomes) - len(failed)} built, {len(failed)} failed, {len(fresh)} up to date in "
        f"{time.perf_counter() - started:.1f} s · {paths.relative(paths.outputs_dir() / 'index.html')}"
    )
    return 1 if failed else 0


def _run(work, workers: int, cluster: str):
    if cluster:
        from rapport.publish import cluster as dask_cluster

        with dask_cluster.connected(cluster, sorted({job.client for job in work})) as client:
            print(f"Building {len(work)} report(s) on the cluster at {cluster}...")
            with _progress(len(work)) as said:
                return dask_cluster.run_all(work, client, said)
    from rapport.publish import run

    print(f"Building {len(work)} report(s) on {min(workers, len(work))} worker(s)...")
    with _progress(len(work)) as said:
        return run.run_all(work, min(workers, len(work)), progress=said)


@contextmanager
def _progress(total: int):
    """A line per finished report; on a terminal, under them, a bar of all of them (tqdm)."""
    if not sys.stderr.isatty():
        yield print
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="report", file=sys.stderr, leave=False) as bar:

        def said(line: str) -> None:
            bar.write(line, file=sys.stdout)
            bar.update(1)

        yield said


def _per_client(clients: list[str], outcomes, fresh) -> None:
    """The batch's table: per client, reports built, up to date and failed, and their seconds."""
    print(f"{'client':<14}{'built':>7}{'up to date':>12}{'failed':>8}{'seconds':>9}")
    for slug in clients:
        mine = [o for o in outcomes if o.job.client == slug]
        failed = sum(1 for o in mine if o.error)
        skipped = sum(1 for job in fresh if job.client == slug)
        seconds = sum(o.seconds for o in mine)
        print(f"{slug:<14}{len(mine) - failed:>7}{skipped:>12}{failed:>8}{seconds:>9.1f}")


def _up_to_date(work, force: bool) -> tuple[list, list]:
    """(the jobs to build, each with the fingerprint of its inputs; the jobs up to date). A
    job whose inputs cannot be read now is built, and says why."""
    from rapport.publish import fresh

    todo: list = []
    skipped: list = []
    for slug in dict.fromkeys(job.client for job in work):
        jobs = [job for job in work if job.client == slug]
        try:
            jobs = _fingerprinted(load_client(slug), jobs)
        except UserError:
            todo += jobs
            continue
        for job in jobs:
            done = bool(job.fingerprint) and not force
            done = done and fresh.up_to_date(job.client, job.report, job.period, job.fingerprint)
            (skipped if done else todo).append(job)
    return todo, skipped


def _fingerprinted(client: Client, jobs: list) -> list:
    """The jobs, each with the fingerprint of its inputs (publish.fresh), taken once; as they
    were when the inputs cannot be read now (they are built, and say why)."""
    from dataclasses import replace

    from rapport.publish import fresh

    if all(job.fingerprint for job in jobs):
        return jobs
    try:
        seen = fresh.fingerprints(client, jobs)
    except UserError:
        return jobs
    return [replace(job, fingerprint=digest) for job, digest in zip(jobs, seen, strict=True)]


def _client_ready(slug: str) -> Client:
    """Load a client; the demo client's data is (re)generated when missing or stale."""
    paths.check_slug(slug)
    if slug == "demo":
        client = load_client(slug, require_data=False)
        end = periods.last_complete_month(demo.TIMEZONE)
        if not demo.is_current(client.data_dir, end):
            print(f"Writing the demo client's data up to {end.label} into {paths.relative(client.data_dir)}/ ...")
            demo.write(client.data_dir, end)
    return load_client(slug)


def _run_ingest(client: Client) -> int:
    result = ingest.ingest(client)
    print(f"{client.slug}: ingest: {result.summary()}")
    for line in result.rejected:
        print(f"rapport: rejected: {line}", file=sys.stderr)
    return 1 if result.rejected else 0


def _exceptions(args) -> int:
    """For cron after each ingest: the exception report, its findings one per line, and exit 3
    when any is at or above --fail-on."""
    import json

    jobs = _jobs(load_client(paths.check_slug(args.client), require_data=False), ["exceptions"], args.period)
    status = _run_ingest(_client_ready(args.client))
    built = _build(jobs, 1)
    if built:
        return built
    figures = json.loads((paths.report_dir(args.client, jobs[0].period.label) / "exceptions.json").read_text())
    findings = figures.get("findings", [])
    for f in findings:
        what = f" {f['metric']}" if f.get("metric") else ""
        print(f"{f['severity']:<8} {f['kind']:<14} {f['subject']}{what}: {f['measured']} (expected {f['expected']})")
    if not findings:
        print("no deviations need action")
    levels = {"warning": 1, "critical": 2}
    if args.fail_on and any(levels[f["severity"]] >= levels[args.fail_on] for f in findings):
        return 3
    return status


def _ingest(args) -> int:
    return _run_ingest(_client_ready(args.client))


def _sources(args) -> int:
    from rapport.data import warehouse

    client = load_client(args.client)
    if not client.warehouse_path.exists():
        _waiting(client)
        raise UserError(f"{client.slug}: no warehouse yet: run make ingest CLIENT={client.slug}")
    with warehouse.open_read(client.warehouse_path) as con:
        rows = warehouse.coverage(con)
    print(f"{'table':<14} {'platform':<10} {'first':<10}   {'last':<10} {'rows':>8} {'missing days':>12}  last import")
    for r in rows:
        missing = "" if r["missing_days"] is None else str(r["missing_days"])
        gaps = ", ".join(f"{a}" if a == b else f"{a}..{b}" for a, b, _ in r["gaps"])
        print(
            f"{r['table']:<14} {r['platform']:<10} {r['first']!s:<10} – {r['last']!s:<10} {r['rows']:>8} "
            f"{missing:>12}  {r['last_import']:%Y-%m-%d %H:%M}" + (f"  gaps: {gaps}" if gaps else "")
        )
    _waiting(client)
    return 0


def _waiting(client: Client) -> None:
    """The raw files not imported yet, each read as ingest will read it: what it holds, or why
    it will be refused."""
    known = ingest.imported(client)
    files = ingest.raw_files(client)
    waiting = [path for path, checksum in zip(files, ingest.checksums(client, files)) if checksum not in known]
    if waiting:
        print(f"\nnot imported yet ({len(waiting)}): make ingest CLIENT={client.slug}")
    for path in waiting:
        try:
            parsed = ingest.parse(client, path)
        except UserError as error:
            print(f"  refused: {error.lines[0]}")
        else:
            print(f"  {paths.relative(path)}: {parsed.format}, {parsed.rows} row(s)")


def _check(args) -> int:
    """Every problem at once, of the params, each new raw file, the plan and the problem log;
    nothing is written. Exit 2 when the params are wrong, 1 for any other problem."""
    slug = paths.check_slug(args.client)
    problems, files, params_wrong = [], [], False
    try:
        client = load_client(slug)
    except ParamsError as error:
        problems, params_wrong = list(error.lines), True
        data = paths.workspace() / "data" / slug
    else:
        data = client.data_dir
        files = ingest.raw_files(client)
        known = ingest.imported(client)
        for path, checksum in zip(files, ingest.checksums(client, files)):
            if checksum not in known:
                problems += _problems_of(ingest.parse, client, path)
    for load in (plan_files.load_plan, plan_files.load_problems):
        problems += _problems_of(load, data)
    for line in problems:
        print(f"rapport: {line}", file=sys.stderr)
    checked = "params not valid, raw files not checked" if params_wrong else f"params valid; {len(files)} raw file(s)"
    print(f"{slug}: {checked}, {len(problems)} problem(s)")
    return 2 if params_wrong else (1 if problems else 0)


def _problems_of(step, *arguments) -> list[str]:
    try:
        step(*arguments)
    except UserError as error:
        return error.lines
    return []


def _new_client(args) -> int:
    target = paths.params_file(args.client)
    if target.exists():
        raise UserError(f"{paths.relative(target)} already exists: edit it, or choose another name")
    template = paths.PROJECT / "params" / TEMPLATE
    text = template.read_text(encoding="utf-8").replace("CLIENT_NAME", args.client.replace("-", " ").title())
    data = paths.workspace() / "data" / args.client
    (data / "raw").mkdir(parents=True, exist_ok=True)
    for name, columns in (("plan.csv", plan_files.PLAN_COLUMNS), ("problems.csv", plan_files.PROBLEM_COLUMNS)):
        if not (data / name).exists():
            atomic_write(data / name, plan_files.header_line(columns))
    atomic_write(target, text)
    print(
        f"Created {paths.relative(target)} and {paths.relative(data)}/raw/: edit the params, drop exports in raw/,"
        f" then: make report CLIENT={args.client}"
    )
    return 0


def _prepare(args) -> int:
    from rapport.publish import run

    timezone = load_client(paths.check_slug(args.client), require_data=False).params.timezone
    period = periods.for_report(args.report, args.period, timezone)  # refused before anything is written
    client = _client_ready(args.client)
    job = run.Job(client.slug, args.report, period)
    written = paths.relative(run.prepare(client, job))
    print(f"Wrote {written}: in make lab, open http://localhost:8888/lab/tree/{written}")
    return 0


def _demo(args) -> int:
    client = load_client("demo", require_data=False)
    if args.end and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.end):
        raise UserError(f"--end {args.end}: not a month (write YYYY-MM, e.g. 2026-10)")
    end = periods.for_report("monthly", args.end, demo.TIMEZONE)
    demo.write(client.data_dir, end)
    print(f"Wrote the demo client's data up to {end.label} into {paths.relative(client.data_dir)}/")
    return 0


def _pdf(args) -> int:
    from rapport.publish import pdf

    client = load_client(paths.check_slug(args.client), require_data=False)
    labels = [job.period.label for job in _jobs(client, list(paths.REPORTS), args.period)]
    from rapport.publish import index

    for written in pdf.print_pages(pdf.report_pages(client.slug, labels, args.period)):
        print(paths.relative(written))
    index.write()  # the index links each PDF beside its report
    return 0


def _send(args) -> int:
    """One message per audience; a failed one is one line, the other audience is still sent."""
    from rapport.publish import send

    client = load_client(paths.check_slug(args.client))
    audiences = (
        [args.audience] if args.audience else [a for a in send.AUDIENCE_REPORTS if getattr(client.params.recipients, a)]
    )
    if not audiences:
        raise UserError(
            f"{paths.relative(client.params_path)}: recipients: nobody to send to (add "
            "recipients: {management: [...], team: [...]}, see params/_template.yaml)"
        )
    smtp = None if args.dry_run else send.smtp_settings()
    status = 0
    for audience in audiences:
        try:
            item = send.delivery(client, audience, args.period, send.sender_of() if smtp is None else smtp.sender)
            print(_deliver(send, item, smtp, args.again))
        except UserError as error:
            for line in error.lines:
                print(f"rapport: {audience}: {line}", file=sys.stderr)
            status = error.exit_code
    return status


def _deliver(send, item, smtp, again: bool) -> str:
    """Write, skip or send one message; the line that says which."""
    where = f"{item.client.slug} {item.label} {item.audience}"
    if smtp is None:
        return f"{where}: written to {paths.relative(send.dry_run(item))} (dry run, nothing sent)"
    earlier = send.already_sent(item)
    if earlier and not again:
        return f"{where}: already sent {earlier['sent_at']} ({earlier['message_id']}); --again sends it again"
    send.send(item, smtp)
    return f"{where}: sent to {len(item.recipients)} recipient(s), {item.message['Message-ID']}"


def _slides(args) -> int:
    from rapport.publish import slides

    client = load_client(paths.check_slug(args.client), require_data=False)
    labels = [job.period.label for job in _jobs(client, list(paths.REPORTS), args.period)]
    for path in slides.write_decks(client, labels, args.period):
        print(paths.relative(path))
    return 0


def _index(args) -> int:
    from rapport.publish import index

    index.write()
    print(f"Wrote {paths.relative(paths.outputs_dir() / 'index.html')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
