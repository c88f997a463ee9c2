"""The period's reports by e-mail, one message per audience (README: Delivering reports).

Management gets the month's reports (monthly, goals, audit, exceptions), the team the 14-day
activity report and the exceptions: each HTML attached, and its PDF when `make pdf` printed
one. The body says the figures in brief (the tiles and the summary sentences) in the
client's language, with the logo inline. SMTP settings come from the environment or the
workspace's .env (git-ignored), never from the params; STARTTLS unless told otherwise. A
ledger (outputs/<client>/sent.jsonl) records each message sent, so a rerun from cron sends
nothing twice; a failed send records nothing.
"""

from __future__ import annotations

import json
import mimetypes
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from rapport import paths, periods
from rapport.catalog import METRICS
from rapport.config import Client
from rapport.errors import UserError
from rapport.files import atomic_write
from rapport.present.format import Formatter
from rapport.present.html import tile_values

from . import pdf
from .pages import template

AUDIENCE_REPORTS = {"management": ("monthly", "goals", "audit", "exceptions"), "team": ("activity", "exceptions")}
LEAD = {"management": "monthly", "team": "activity"}  # the report whose figures the body tells
SETTINGS = ("HOST", "PORT", "USER", "PASSWORD", "TLS", "FROM", "CAFILE")  # RAPPORT_SMTP_<name>
TLS_MODES = ("starttls", "tls", "none")
BODY = template("email.html.j2")


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    user: str | None
    password: str | None
    tls: str  # starttls, tls or none
    sender: str
    cafile: str | None  # a private CA to trust (a company relay, a test server)


@dataclass(frozen=True)
class Delivery:
    """One audience's message of one period: what goes out, and where it is recorded."""

    client: Client
    audience: str
    label: str  # the lead report's period label (the ledger's key)
    message: EmailMessage

    @property
    def recipients(self) -> list[str]:
        return list(getattr(self.client.params.recipients, self.audience))


def smtp_settings(environ: dict | None = None) -> Smtp:
    """RAPPORT_SMTP_* from the environment, else from the workspace's .env; one line naming the
    setting when one is missing or wrong (a password is never shown)."""
    values = {**_dotenv(paths.workspace() / ".env"), **(environ if environ is not None else os.environ)}
    get = {name: values.get(f"RAPPORT_SMTP_{name}") or None for name in SETTINGS}
    if not get["HOST"]:
        raise UserError(
            "sending needs RAPPORT_SMTP_HOST (and _PORT, _USER, _PASSWORD, _FROM) in the environment "
            f"or in {paths.relative(paths.workspace() / '.env')}: see README, Delivering reports"
        )
    tls = (get["TLS"] or "starttls").lower()
    if tls not in TLS_MODES:
        raise UserError(f"RAPPORT_SMTP_TLS={get['TLS']!r}: write one of {', '.join(TLS_MODES)}")
    port = get["PORT"] or ("465" if tls == "tls" else "587")
    if not str(port).isdigit():
        raise UserError(f"RAPPORT_SMTP_PORT={port!r} is not a port number")
    sender = get["FROM"] or get["USER"]
    if not sender:
        raise UserError("sending needs RAPPORT_SMTP_FROM (the sender's address)")
    return Smtp(get["HOST"], int(port), get["USER"], get["PASSWORD"], tls, sender, get["CAFILE"])


def _dotenv(path: Path) -> dict:
    """KEY=VALUE lines (comments and blank lines skipped, quotes around a value dropped)."""
    if not path.is_file():
        return {}
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and not key.startswith("#"):
            pairs[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return pairs


def delivery(client: Client, audience: str, period_text: str, sender: str) -> Delivery:
    """The message for `audience`: its reports of the period, attached; refused when none is built."""
    if not getattr(client.params.recipients, audience):
        raise UserError(
            f"{paths.relative(client.params_path)}: recipients.{audience}: nobody to send to "
            f"(add addresses, e.g. recipients: {{{audience}: [name@example.com]}})"
        )
    fmt = Formatter(client.params.language, client.params.currency)
    files = _attachments(client, audience, period_text)
    lead = (
        json.loads(files[0].with_suffix(".json").read_text(encoding="utf-8"))
        if files[0].stem == LEAD[audience]
        else None
    )
    label = files[0].parent.name
    message = EmailMessage()
    message["Subject"] = " · ".join(
        [client.params.name, fmt.word(f"report.{LEAD[audience]}"), _period(lead, fmt) or label]
    )
    message["From"] = sender
    message["To"] = ", ".join(getattr(client.params.recipients, audience))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    _body(message, client, fmt, lead, [f.name for f in files])
    for path in files:
        kind, _ = mimetypes.guess_type(path.name)
        main, sub = (kind or "application/octet-stream").split("/")
        message.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    return Delivery(client, audience, label, message)


def _attachments(client: Client, audience: str, period_text: str) -> list[Path]:
    """The audience's reports of the period that are built, the lead one first; their PDFs too."""
    found = []
    for report in AUDIENCE_REPORTS[audience]:
        html = paths.report_dir(client.slug, _label(report, period_text, client)) / f"{report}.html"
        if html.is_file():
            found += [html] + ([html.with_suffix(".pdf")] if html.with_suffix(".pdf").is_file() else [])
    if not found or found[0].stem != LEAD[audience]:
        lead = _label(LEAD[audience], period_text, client)
        raise UserError(
            f"no {LEAD[audience]} report in {paths.relative(paths.report_dir(client.slug, lead))} to "
            f"send: build it first with make report CLIENT={client.slug}"
        )
    return found


def _label(report: str, period_text: str, client: Client) -> str:
    """The folder of `report` for PERIOD: a day (the activity report's) means its month for the others."""
    text = period_text[:7] if report != "activity" and len(period_text) == 10 else period_text
    return periods.for_report(report, text, client.params.timezone).label


def _period(lead: dict | None, fmt: Formatter) -> str | None:
    if lead is None:
        return None
    span = lead["period"]
    start, end = (datetime.fromisoformat(span[k]).date() for k in ("start", "end"))
    return fmt.period(periods.Period(start, end, span["label"]))


def _body(message: EmailMessage, client: Client, fmt: Formatter, lead: dict | None, names: list[str]) -> None:
    """Plain text and HTML: the greeting, the figures in brief, the sentences; the logo inline."""
    period = _period(lead, fmt) or ""
    sentences = (lead or {}).get("summary", {}).get("sentences") or (lead or {}).get("deviations") or []
    tiles = []
    if lead is not None:
        shown = [m for m in lead["metrics"] if m in METRICS]
        tiles = tile_values(lead["kpis"]["all"], lead["previous"].get("all", {}), shown)
    lines = [
        fmt.word("email.greeting", period=period),
        "",
        *[f"{fmt.word('metric.' + t['metric'])}: {fmt.metric(t['value'], t['metric'])}" for t in tiles],
        "",
        *[f"- {fmt.sentence(s)}" for s in sentences],
        "",
        fmt.word("email.attached", reports=", ".join(names)),
    ]
    message.set_content("\n".join(lines))
    logo = pdf.logo_bitmap(client.logo_path)
    page = BODY.render(
        fmt=fmt,
        subject=message["Subject"],
        brand=client.params.brand.colour,
        client_name=client.params.name,
        logo=logo is not None,
        period=period,
        tiles=tiles,
        sentences=sentences,
        attached=", ".join(names),
    )
    message.add_alternative(page, subtype="html")
    if logo is not None:
        html_part = message.get_body(("html",))
        assert isinstance(html_part, EmailMessage)
        main, sub = logo[1].split("/")
        html_part.add_related(logo[0], maintype=main, subtype=sub, cid="<logo>")


# --- sending and the ledger ------------------------------------------------------------------


def ledger_path(client: Client) -> Path:
    return paths.outputs_dir() / client.slug / "sent.jsonl"


def already_sent(item: Delivery) -> dict | None:
    """The ledger's record of this client, period and audience, if it was sent."""
    path = ledger_path(item.client)
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if (record["period"], record["audience"]) == (item.label, item.audience):
            return record
    return None


def send(item: Delivery, smtp: Smtp) -> None:
    """Hand the message to the SMTP server, then record it; one line naming the cause when the
    server cannot be reached, refuses the login or a recipient (nothing is recorded then)."""
    try:
        with _connect(smtp) as server:
            if smtp.user:
                server.login(smtp.user, smtp.password or "")
            server.send_message(item.message, to_addrs=item.recipients)
    except smtplib.SMTPAuthenticationError as error:
        raise UserError(
            f"{smtp.host}: the login of {smtp.user} was refused ({error.smtp_code}): check "
            "RAPPORT_SMTP_USER and RAPPORT_SMTP_PASSWORD; nothing was sent"
        ) from None
    except smtplib.SMTPRecipientsRefused as error:
        refused = ", ".join(sorted(error.recipients))
        raise UserError(
            f"{smtp.host} refused the recipient(s) {refused}: check recipients.{item.audience} in "
            f"{paths.relative(item.client.params_path)}; nothing was sent"
        ) from None
    except (smtplib.SMTPException, OSError) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise UserError(
            f"cannot send through {smtp.host}:{smtp.port}: {reason}: check RAPPORT_SMTP_HOST, "
            "_PORT and _TLS; nothing was sent"
        ) from None
    _record(item)


def _connect(smtp: Smtp) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=smtp.cafile)
    if smtp.tls == "tls":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=30, context=context)
    server = smtplib.SMTP(smtp.host, smtp.port, timeout=30, local_hostname=socket.getfqdn())
    if smtp.tls == "starttls":
        server.starttls(context=context)
    return server


def _record(item: Delivery) -> None:
    path = ledger_path(item.client)
    record = dict(
        client=item.client.slug,
        period=item.label,
        audience=item.audience,
        message_id=item.message["Message-ID"],
        to=item.recipients,
        sent_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    earlier = path.read_text(encoding="utf-8") if path.is_file() else ""
    atomic_write(path, earlier + json.dumps(record, ensure_ascii=False) + "\n")


def dry_run(item: Delivery) -> Path:
    """The message as an .eml beside the lead report, instead of sending it."""
    target = paths.report_dir(item.client.slug, item.label) / f"{item.audience}.eml"
    atomic_write(target, bytes(item.message))
    return target


def sender_of(environ: dict | None = None) -> str:
    """The From address for a dry run: the configured one, else a placeholder."""
    values = {**_dotenv(paths.workspace() / ".env"), **(environ if environ is not None else os.environ)}
    return (
        values.get("RAPPORT_SMTP_FROM")
        or values.get("RAPPORT_SMTP_USER")
        or formataddr(("rapport", "rapport@localhost"))
    )
