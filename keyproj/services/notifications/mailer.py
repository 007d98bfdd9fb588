"""E-mail copies of notifications: their text, and delivery over SMTP with retries and backoff."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.db.models import OutgoingMail
from keyproj.settings import Settings, SmtpSettings

SENDER_NAME = "重点项目预警系统"
MAX_ATTEMPTS = 10  # 1 + 2 + 4 + … minutes: about eight and a half hours of retrying
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
# A claimed mail whose worker died is claimed again after this long.
LEASE = timedelta(minutes=15)
TIMEOUT_S = 30
_MAIL: Table = OutgoingMail.__table__  # type: ignore[assignment]


def subject(title: str) -> str:
    """The subject line of a notification's mail."""
    return f"【重点项目】{title}"[:255]


def body(name: str, text: str, link: str | None) -> str:
    """The plain-text body of a notification's mail, addressed to the user by name."""
    lines = [f"{name}：", "", text]
    if link:
        lines += ["", f"请登录重点项目预警系统查看：{link}"]
    lines += ["", "（本邮件由系统自动发送，请勿直接回复。）"]
    return "\n".join(lines)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: doubling, capped."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


@dataclass(frozen=True)
class _Claimed:
    """A mail this worker has claimed, with the attempt number its result must match."""

    id: int
    to_address: str
    subject: str
    body: str
    attempts: int


@dataclass(frozen=True)
class _Result:
    mail: _Claimed
    error: str | None = None
    permanent: bool = False  # the server refused this mail for good (5xx): no retry


def deliver_pending_mail(
    session: Session, settings: Settings, now: datetime, limit: int = 100
) -> tuple[int, int]:
    """Send up to ``limit`` due mails; returns (sent, failed attempts). Off without an SMTP host.

    Claiming and recording run in their own short transactions on the session's engine, so
    no lock is held while the SMTP server is talked to (on SQLite a lock blocks every writer).
    A claim marks rows ``sending`` (FOR UPDATE SKIP LOCKED on PostgreSQL): two workers never
    take the same mail. A worker that dies mid-send leaves its claim to expire after LEASE;
    that mail may then go out twice, the price of SMTP having no transactions.
    """
    if not settings.smtp.enabled:
        return 0, 0
    engine = session.get_bind().engine
    with Session(engine) as claiming, claiming.begin():
        claimed = _claim(claiming, now, limit)
    if not claimed:
        return 0, 0
    results = _send(settings.smtp, claimed, now)
    with Session(engine) as recording, recording.begin():
        _record(recording, results, now)
    sent = sum(1 for r in results if r.error is None)
    return sent, len(results) - sent


def _claim(session: Session, now: datetime, limit: int) -> list[_Claimed]:
    due = (
        select(_MAIL.c.id)
        .where(_MAIL.c.status.in_(("pending", "sending")), _MAIL.c.next_attempt_at <= now)
        .order_by(_MAIL.c.next_attempt_at, _MAIL.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite's one writer serializes claims
    )
    claim = (
        update(_MAIL)
        .where(_MAIL.c.id.in_(due.scalar_subquery()))
        .values(status="sending", attempts=_MAIL.c.attempts + 1, next_attempt_at=now + LEASE)
        .returning(_MAIL.c.id, _MAIL.c.to_address, _MAIL.c.subject, _MAIL.c.body, _MAIL.c.attempts)
    )
    return sorted((_Claimed(*row) for row in session.execute(claim)), key=lambda m: m.id)


def _send(smtp: SmtpSettings, mails: list[_Claimed], now: datetime) -> list[_Result]:
    """Send over one connection; a connection that fails fails every mail of the batch."""
    try:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_S)
    except (OSError, smtplib.SMTPException) as exc:
        return [_Result(m, _describe(exc)) for m in mails]
    try:
        try:
            if smtp.starttls:
                # Never fall back to plain text when TLS was asked for.
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password)
        except (OSError, smtplib.SMTPException) as exc:
            return [_Result(m, _describe(exc)) for m in mails]
        return _send_each(client, smtp, mails, now)
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()


def _send_each(
    client: smtplib.SMTP, smtp: SmtpSettings, mails: list[_Claimed], now: datetime
) -> list[_Result]:
    results: list[_Result] = []
    broken: str | None = None
    for mail in mails:
        if broken is not None:
            results.append(_Result(mail, broken))
            continue
        try:
            client.send_message(_message(smtp.sender, mail, now))
            results.append(_Result(mail))
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            results.append(_Result(mail, _describe(exc), all(c >= 500 for c in codes)))
        except smtplib.SMTPResponseException as exc:
            results.append(_Result(mail, _describe(exc), exc.smtp_code >= 500))
        except (OSError, smtplib.SMTPException) as exc:
            broken = _describe(exc)  # the connection is gone: the rest wait for the next run
            results.append(_Result(mail, broken))
    return results


def _message(sender: str, mail: _Claimed, now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = formataddr((SENDER_NAME, sender))
    message["To"] = mail.to_address
    message["Date"] = format_datetime(now.astimezone(BEIJING))
    # An explicit domain: make_msgid would otherwise look up this host's name on every mail.
    domain = sender.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=f"keyproj.{mail.id}", domain=domain)
    message.set_content(mail.body)
    return message


def _record(session: Session, results: list[_Result], now: datetime) -> None:
    for result in results:
        mail = result.mail
        values: dict[str, Any]
        if result.error is None:
            values = {"status": "sent", "sent_at": now, "last_error": None}
        elif result.permanent or mail.attempts >= MAX_ATTEMPTS:
            values = {"status": "failed", "last_error": result.error}
        else:
            retry_at = now + backoff(mail.attempts)
            values = {"status": "pending", "next_attempt_at": retry_at, "last_error": result.error}
        # Only this claim's row: if the lease ran out and another worker took it, leave it be.
        session.execute(
            update(_MAIL)
            .where(
                _MAIL.c.id == mail.id,
                _MAIL.c.status == "sending",
                _MAIL.c.attempts == mail.attempts,
            )
            .values(values)
        )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]
