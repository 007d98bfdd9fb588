"""E-mail copies of notifications, delivered to a real SMTP server started by the test."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from keyproj.db.models import OutgoingMail, User
from keyproj.policy import load_profile
from keyproj.services.notifications import inbox as notifications
from keyproj.services.notifications import mailer
from keyproj.services.notifications.inbox import Message
from keyproj.settings import SmtpSettings
from tests.builders import factories
from tests.builders.notifications import SmtpServer, settings_for
from tests.builders.ports import free_port

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
NOTE = Message(
    "task_ready",
    "新待办任务：受理并开展协调",
    "项目“城关大道改造工程”的预警案件有新的待办任务“受理并开展协调”（责任单位），请于2026-03-05 23:59前办理。",
    "/tasks/7",
)


@pytest.fixture
def people(session: Session) -> dict[str, User]:
    """Key office staff, with and without an e-mail address."""
    users = {
        "zdb": factories.user(session, "zdb", "ZDB", "key_office"),
        "zdb2": factories.user(session, "zdb2", "ZDB", "key_office"),
        "zdb3": factories.user(session, "zdb3", "ZDB", "key_office"),
    }
    users["zdb"].email = "zdb@example.cn"
    users["zdb3"].email = "nobody@example.cn"  # the test server refuses this mailbox
    session.commit()
    return users


def queue(session: Session, user: User, key: str = "k1", now: datetime = NOW) -> OutgoingMail:
    notifications.notify(session, [(user.id, key, NOTE)], now)
    session.commit()
    mail = session.scalars(select(OutgoingMail).order_by(OutgoingMail.id.desc())).first()
    assert mail is not None
    return mail


def mail_rows(session: Session) -> list[OutgoingMail]:
    session.expire_all()
    return list(session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def test_LP19_notifications_are_queued_as_mail_for_users_with_an_address(session, people, clock):
    now = clock.at(datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert notifications.bulletin_due(session, load_profile("lianping"), date(2026, 3, 2)) == 3
    session.commit()
    assert notifications.bulletin_due(session, load_profile("lianping"), date(2026, 3, 3)) == 0
    clock.stop()
    rows = mail_rows(session)
    assert [(m.to_address, m.status, m.attempts) for m in rows] == [
        ("zdb@example.cn", "pending", 0),
        ("nobody@example.cn", "pending", 0),
    ]  # zdb2 has no address
    assert rows[0].subject == "【重点项目】2026年2月重点项目建设情况通报待编发"
    assert rows[0].body.startswith(
        "用户zdb：\n\n2026年2月重点项目建设情况通报应于2026年3月11日前印发"
    )
    assert rows[0].next_attempt_at == now


def test_pending_mail_is_delivered_over_smtp(session, people, smtp_server: SmtpServer):
    mail = queue(session, people["zdb"])
    settings = smtp_server.settings(sender="zdb-system@county.gov.cn")
    assert notifications.deliver_pending_mail(session, settings, NOW) == (1, 0)
    [received] = smtp_server.inbox.messages
    assert received.recipients == ["zdb@example.cn"]
    assert received.sender == "zdb-system@county.gov.cn"
    message = received.message
    assert message["Subject"] == "【重点项目】新待办任务：受理并开展协调"
    assert message["From"].addresses[0].display_name == "重点项目预警系统"
    assert message.get_content() == (
        "用户zdb：\n\n"
        "项目“城关大道改造工程”的预警案件有新的待办任务“受理并开展协调”（责任单位），请于2026-03-05 23:59前办理。\n\n"
        "请登录重点项目预警系统查看：/tasks/7\n\n"
        "（本邮件由系统自动发送，请勿直接回复。）\n"
    )
    [row] = mail_rows(session)
    assert (row.id, row.status, row.attempts, row.sent_at, row.last_error) == (
        mail.id,
        "sent",
        1,
        NOW,
        None,
    )
    assert notifications.deliver_pending_mail(session, settings, NOW + timedelta(hours=1)) == (0, 0)
    assert len(smtp_server.inbox.messages) == 1


def test_mail_is_off_without_an_smtp_host(session, people):
    queue(session, people["zdb"])
    assert notifications.deliver_pending_mail(session, settings_for(SmtpSettings()), NOW) == (0, 0)
    assert [m.status for m in mail_rows(session)] == ["pending"]


def test_server_down_keeps_mail_pending_then_delivers_when_it_is_back(
    session, people, stopped_smtp_server: SmtpServer
):
    queue(session, people["zdb"])
    settings = stopped_smtp_server.settings()
    assert notifications.deliver_pending_mail(session, settings, NOW) == (0, 1)
    [row] = mail_rows(session)
    assert (row.status, row.attempts) == ("pending", 1)
    assert str(row.last_error).startswith("ConnectionRefusedError")
    assert row.next_attempt_at == NOW + timedelta(minutes=1)
    # Not due yet: nothing is tried.
    assert notifications.deliver_pending_mail(session, settings, NOW + timedelta(seconds=30)) == (
        0,
        0,
    )
    later = NOW + timedelta(minutes=1)
    assert notifications.deliver_pending_mail(session, settings, later) == (0, 1)
    [row] = mail_rows(session)
    assert (row.attempts, row.next_attempt_at) == (2, later + timedelta(minutes=2))  # doubled
    stopped_smtp_server.start()
    back = later + timedelta(minutes=2)
    assert notifications.deliver_pending_mail(session, settings, back) == (1, 0)
    [row] = mail_rows(session)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 3, back)
    assert [r.recipients for r in stopped_smtp_server.inbox.messages] == [["zdb@example.cn"]]


def test_mail_gives_up_after_the_last_attempt(session, people, stopped_smtp_server: SmtpServer):
    mail = queue(session, people["zdb"])
    mail.attempts = mailer.MAX_ATTEMPTS - 1
    session.commit()
    settings = stopped_smtp_server.settings()
    assert notifications.deliver_pending_mail(session, settings, NOW) == (0, 1)
    [row] = mail_rows(session)
    assert (row.status, row.attempts) == ("failed", mailer.MAX_ATTEMPTS)
    stopped_smtp_server.start()
    assert notifications.deliver_pending_mail(session, settings, NOW + timedelta(days=1)) == (0, 0)


def test_refused_mailbox_fails_at_once_and_the_others_still_go(
    session, people, smtp_server: SmtpServer
):
    queue(session, people["zdb3"], "k1")
    queue(session, people["zdb"], "k2")
    assert notifications.deliver_pending_mail(session, smtp_server.settings(), NOW) == (1, 1)
    refused, sent = mail_rows(session)
    assert (refused.status, refused.attempts) == ("failed", 1)  # 550: retrying cannot help
    assert "550" in str(refused.last_error)
    assert sent.status == "sent"
    assert [r.recipients for r in smtp_server.inbox.messages] == [["zdb@example.cn"]]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_when_a_user_is_configured(session, people):
    seen: list[tuple[bytes, bytes]] = []

    def authenticate(server, smtp_session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        assert isinstance(auth_data, LoginPassword)
        seen.append((auth_data.login, auth_data.password))
        # handled=False: the server answers (235 or 535) itself.
        return AuthResult(success=auth_data.password == b"right", handled=False)

    options = {
        "authenticator": authenticate,
        "auth_required": True,
        "auth_require_tls": False,  # a test certificate would need more than the standard library
    }
    server = SmtpServer(free_port(), options=options).start()
    try:
        queue(session, people["zdb"])
        wrong = server.settings(user="keyproj", password="wrong")
        assert notifications.deliver_pending_mail(session, wrong, NOW) == (0, 1)
        [row] = mail_rows(session)
        assert row.status == "pending"
        assert "SMTPAuthenticationError" in str(row.last_error)
        right = server.settings(user="keyproj", password="right")
        later = NOW + timedelta(minutes=5)
        assert notifications.deliver_pending_mail(session, right, later) == (1, 0)
    finally:
        server.stop()
    # smtplib tries each mechanism the server offers before it gives up on a password.
    assert seen[-1] == (b"keyproj", b"right")
    assert set(seen[:-1]) == {(b"keyproj", b"wrong")}
    assert len(server.inbox.messages) == 1


def test_starttls_asked_for_is_never_skipped(session, people, smtp_server: SmtpServer):
    queue(session, people["zdb"])
    settings = smtp_server.settings(starttls=True)  # the test server offers no STARTTLS
    assert notifications.deliver_pending_mail(session, settings, NOW) == (0, 1)
    [row] = mail_rows(session)
    assert row.status == "pending"
    assert "STARTTLS" in str(row.last_error)
    assert smtp_server.inbox.messages == []


def test_two_workers_send_each_mail_once(session, people, smtp_server: SmtpServer):
    for i in range(12):
        queue(session, people["zdb"], f"k{i}")
    engine = session.get_bind()
    settings = smtp_server.settings()
    barrier, totals = threading.Barrier(2), []

    def worker() -> None:
        barrier.wait()
        sent = 0
        while True:
            with Session(engine) as own:
                done, failed = notifications.deliver_pending_mail(own, settings, NOW, limit=3)
            assert failed == 0
            if not done:
                break
            sent += done
        totals.append(sent)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(totals) == 12
    assert len(smtp_server.inbox.messages) == 12
    assert {m.status for m in mail_rows(session)} == {"sent"}


def test_a_claimed_mail_is_skipped_not_waited_for(session, people):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SKIP LOCKED; SQLite's single writer serializes claims")
    first, second = queue(session, people["zdb"], "k1"), queue(session, people["zdb"], "k2")
    engine = session.get_bind()
    with Session(engine) as a, Session(engine) as b:
        assert [m.id for m in mailer._claim(a, NOW, limit=1)] == [first.id]  # held, uncommitted
        b.execute(text("SET LOCAL lock_timeout = '5s'"))  # a wait would fail, not hang
        assert [m.id for m in mailer._claim(b, NOW, limit=10)] == [second.id]
        a.rollback()
        b.rollback()


def test_a_claim_left_by_a_dead_worker_is_taken_again_after_its_lease(
    session, people, smtp_server: SmtpServer
):
    queue(session, people["zdb"])
    with Session(session.get_bind()) as dead, dead.begin():
        assert len(mailer._claim(dead, NOW, limit=10)) == 1  # claimed, then the worker died
    settings = smtp_server.settings()
    assert notifications.deliver_pending_mail(session, settings, NOW) == (0, 0)
    assert notifications.deliver_pending_mail(session, settings, NOW + mailer.LEASE) == (1, 0)
    [row] = mail_rows(session)
    assert (row.status, row.attempts) == ("sent", 2)
