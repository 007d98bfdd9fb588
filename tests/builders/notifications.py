"""Notifications as their recipients see them, and a real SMTP server on a free local port."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import Notification, User
from keyproj.settings import Settings, SmtpSettings


def notified(session: Session, kind: str | None = None) -> dict[str, list[Notification]]:
    """Notifications by username (of one kind when given)."""
    query = select(User.username, Notification).join(User, User.id == Notification.user_id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    found: dict[str, list[Notification]] = {}
    for username, row in session.execute(query.order_by(Notification.id)):
        found.setdefault(username, []).append(row)
    return found


@dataclass
class Received:
    """One message the test server accepted."""

    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """What the test server received; a recipient starting with ``nobody`` is refused (550)."""

    messages: list[Received] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        """Accept a recipient, unless it is a ``nobody`` mailbox."""
        if address.startswith("nobody"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message."""
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """Starts and stops an aiosmtpd server on one port, so a test can take it down and back."""

    port: int
    inbox: Inbox = field(default_factory=Inbox)
    options: dict[str, Any] = field(default_factory=dict)
    controller: Controller | None = None

    def start(self) -> SmtpServer:
        """Listen on the port."""
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, **self.options
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        """Stop listening (nothing happens when already stopped)."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def settings(self, **smtp: Any) -> Settings:
        """Settings pointing the mailer at this server."""
        return settings_for(SmtpSettings(host="127.0.0.1", port=self.port, **smtp))


def settings_for(smtp: SmtpSettings) -> Settings:
    """Settings with ``smtp``; nothing else matters to the mailer."""
    return Settings(
        instance_dir=Path("."),
        database_url="sqlite://",
        profile="lianping",
        secret_key="x",
        port=5000,
        broker_url="memory://",
        session_idle_minutes=30,
        smtp=smtp,
    )
