"""`rapport send` against a real SMTP server (aiosmtpd on a local port, STARTTLS with a
certificate of the test's own): what arrives is parsed back: the MIME structure, attachments
byte-equal to the outputs, subject and body in the client's language; a refused login, an
unreachable host and a refused recipient are one line each and nothing is recorded; no
secret appears anywhere."""

import email
import email.policy
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from babel.numbers import format_decimal

from conftest import PROJECT

USER, PASSWORD = "rapport@nordkaffe.example", "s3cret-Pa55"


class Inbox:
    """An SMTP handler keeping what it receives; refuses the recipients named in `refuse`."""

    def __init__(self):
        self.messages, self.refuse = [], set()

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login.decode(), auth_data.password.decode()) == (
        USER,
        PASSWORD,
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def smtp_server(certificate):
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
    )
    controller.start()
    yield inbox, controller.port
    controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory, translated):
    """The demo's reports in en, sv and bg (clients demo, demo-sv, demo-bg), in a workspace of
    this module's own."""
    source, month = translated
    root = tmp_path_factory.mktemp("send")
    shutil.copytree(source, root, dirs_exist_ok=True)
    return root, month


def run(root: Path, *args: str, client: str = "demo", **settings) -> subprocess.CompletedProcess:
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("RAPPORT_SMTP_")}
    env.update(RAPPORT_ROOT=str(root), **{f"RAPPORT_SMTP_{k.upper()}": str(v) for k, v in settings.items()})
    return subprocess.run(
        [sys.executable, "-m", "rapport.cli", "send", client, *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def settings(server_port, certificate, **changes):
    return dict(host="127.0.0.1", port=server_port, user=USER, password=PASSWORD, cafile=certificate[0]) | changes


def test_each_audience_gets_its_reports_once_with_starttls_and_a_rerun_sends_nothing(built, smtp_server, certificate):
    root, month = built
    inbox, port = smtp_server
    first = run(root, "--period", month, **settings(port, certificate))
    assert first.returncode == 0, first.stderr
    assert len(inbox.messages) == 2
    by_audience = {
        tuple(to): email.message_from_bytes(content, policy=email.policy.default) for to, content in inbox.messages
    }
    management = by_audience[("ledning@nordkaffe.example",)]
    team = by_audience[("team@nordkaffe.example", "asa@nordkaffe.example")]
    out = root / "outputs" / "demo"
    for message, stems in (
        (management, ["monthly", "goals", "audit", "exceptions"]),
        (team, ["activity", "exceptions"]),
    ):
        # each HTML, and its PDF where one was printed (the browser tests print the demo's)
        printed = {p.name for p in out.rglob("*.pdf")}
        expected = [
            name
            for stem in stems
            for name in (f"{stem}.html", f"{stem}.pdf")
            if name.endswith("html") or name in printed
        ]
        assert message.get_content_type() == "multipart/mixed"
        body = message.get_body(("html",))
        assert body is not None and message.get_body(("plain",)) is not None
        attached = {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}
        assert list(attached) == expected
        for name, data in attached.items():
            found = [p for p in out.rglob(name) if p.read_bytes() == data]
            assert found, f"{name} is not byte-equal to an output"
    assert management["Subject"] == f"Nordkaffe · Monthly report · {month_words(month)}"
    lead = json.loads((out / month / "monthly.json").read_text())
    plain = management.get_body(("plain",)).get_content()
    for count in ("impressions", "engagements", "followers"):  # the tiles' figures, as Babel writes them
        assert format_decimal(lead["kpis"]["all"][count], "#,##0", locale="en_GB") in plain, count
    assert plain.count("\n- ") == len(lead["summary"]["sentences"])  # the summary's sentences
    again = run(root, "--period", month, **settings(port, certificate))
    assert again.returncode == 0 and "already sent" in again.stdout and len(inbox.messages) == 2
    ledger = [json.loads(line) for line in (out / "sent.jsonl").read_text().splitlines()]
    assert sorted(r["audience"] for r in ledger) == ["management", "team"]
    forced = run(root, "--period", month, "--audience", "team", "--again", **settings(port, certificate))
    assert forced.returncode == 0 and len(inbox.messages) == 3
    for result in (first, again, forced):
        assert PASSWORD not in result.stdout + result.stderr
    written = [p.read_bytes() for p in (root / "outputs").rglob("*") if p.is_file()]
    for content in written + [content for _, content in inbox.messages]:
        assert PASSWORD.encode() not in content


def month_words(month: str, language: str = "en") -> str:
    """The month as Babel writes it in the language (the oracle for the subject line)."""
    from babel.dates import format_date

    from rapport import periods

    locale = {"en": "en_GB", "sv": "sv_SE", "bg": "bg_BG"}[language]
    return format_date(periods.for_report("monthly", month).start, "LLLL y", locale=locale).capitalize()


@pytest.mark.parametrize(
    "language, subject, greeting, figures",
    [
        ("sv", "Nordkaffe · Månadsrapport · ", "Här är rapporterna för", "Siffrorna i korthet"),
        ("bg", "Nordkaffe · Месечен отчет · ", "Ето докладите за", "Накратко в цифри"),
    ],
)
def test_a_client_gets_subject_and_body_in_its_language_and_the_printed_pdfs(
    built, smtp_server, certificate, language, subject, greeting, figures
):
    root, month = built
    inbox, port = smtp_server
    client = f"demo-{language}"
    if language == "sv":  # printed: each report's PDF goes with its HTML
        printed = subprocess.run(
            [sys.executable, "-m", "rapport.cli", "pdf", client, "--period", month],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            env=dict(__import__("os").environ, RAPPORT_ROOT=str(root)),
        )
        assert printed.returncode == 0, printed.stderr
    sent = run(root, "--period", month, "--audience", "management", client=client, **settings(port, certificate))
    assert sent.returncode == 0, sent.stderr
    message = email.message_from_bytes(inbox.messages[-1][1], policy=email.policy.default)
    assert message["Subject"].startswith(subject) and month_words(month, language) in message["Subject"]
    html = message.get_body(("html",)).get_content()
    assert greeting in html and figures in html
    assert greeting in message.get_body(("plain",)).get_content()
    logo = [part for part in message.walk() if part.get("Content-ID") == "<logo>"]
    assert len(logo) == 1 and 'src="cid:logo"' in html
    attached = {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}
    out = root / "outputs" / client
    stems = ["monthly", "goals", "audit", "exceptions"]
    expected = [
        f"{stem}{suffix}" for stem in stems for suffix in ([".html", ".pdf"] if language == "sv" else [".html"])
    ]
    assert list(attached) == expected
    for name, data in attached.items():
        assert any(p.read_bytes() == data for p in out.rglob(name)), f"{name} is not byte-equal to an output"


@pytest.mark.parametrize(
    "case, changes, refuse, words",
    [
        ("refused login", dict(password="wrong-guess"), set(), "the login of rapport@nordkaffe.example was refused"),
        ("unreachable host", dict(port="closed"), set(), "cannot send through 127.0.0.1:"),
        ("refused recipient", {}, {"ledning@nordkaffe.example"}, "refused the recipient(s) ledning@nordkaffe.example"),
    ],
)
def test_a_failed_send_is_one_line_and_nothing_is_recorded(
    built, smtp_server, certificate, case, changes, refuse, words
):
    root, month = built
    inbox, port = smtp_server
    inbox.refuse = refuse
    ledger = root / "outputs" / "demo" / "sent.jsonl"
    before = ledger.read_text() if ledger.exists() else ""
    given = settings(port, certificate, **changes)
    if given["port"] == "closed":
        given["port"] = free_port()
    result = run(root, "--period", month, "--audience", "management", "--again", **given)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "nothing was sent" in lines[0], result.stderr
    assert (ledger.read_text() if ledger.exists() else "") == before
    assert "wrong-guess" not in result.stderr + result.stdout and PASSWORD not in result.stderr + result.stdout


def test_a_dry_run_writes_the_message_beside_the_reports_and_needs_no_server(built):
    root, month = built
    result = run(root, "--period", month, "--dry-run")
    assert result.returncode == 0, result.stderr
    eml = root / "outputs" / "demo" / month / "management.eml"
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == "ledning@nordkaffe.example" and "monthly.html" in eml.read_text(errors="replace")
    assert "dry run, nothing sent" in result.stdout


def test_settings_missing_or_wrong_are_one_line(built):
    root, month = built
    missing = run(root, "--period", month)
    assert missing.returncode == 1 and missing.stderr.startswith("rapport: sending needs RAPPORT_SMTP_HOST")
    wrong = run(root, "--period", month, host="127.0.0.1", tls="ssl3")
    assert wrong.returncode == 1 and "RAPPORT_SMTP_TLS='ssl3': write one of starttls, tls, none" in wrong.stderr
