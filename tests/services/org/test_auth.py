"""Sign-in: a username without an account is counted and locked like an account, per username."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from keyproj.db.models import AuthEvent
from keyproj.services.org.auth import LOGIN_FAILED, sign_in

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def messages(session, username: str, at: datetime, times: int = 5) -> list[str | None]:
    return [sign_in(session, username, "Wrong#2026", at).message for _ in range(times)]


def test_an_unknown_username_is_locked_and_the_record_says_so(session, county):
    shown = messages(session, "nobody", NOW)
    assert shown[:4] == [LOGIN_FAILED] * 4
    assert "账号已锁定至2026-03-02 10:30（北京时间）" in (shown[4] or "")
    kinds = session.scalars(select(AuthEvent.kind).where(AuthEvent.username == "nobody")).all()
    assert kinds == ["login_failed"] * 5 + ["locked"]


def test_unknown_usernames_are_counted_each_on_its_own(session, county):
    messages(session, "nobody", NOW, 4)
    assert messages(session, "somebody", NOW, 1) == [LOGIN_FAILED]
    assert messages(session, "Nobody", NOW, 1) == [LOGIN_FAILED]  # usernames are case-sensitive
    assert "已锁定" in (messages(session, "nobody", NOW, 1)[0] or "")


def test_failures_long_ago_still_count_as_for_an_account(session, county):
    """An account's count has no time window (only a sign-in or a lock resets it)."""
    messages(session, "nobody", NOW - timedelta(days=40), 4)
    assert "已锁定" in (messages(session, "nobody", NOW, 1)[0] or "")


def test_an_overlong_username_is_answered_not_failed(session, county):
    name = "x" * 300
    shown = messages(session, name, NOW)
    assert shown[:4] == [LOGIN_FAILED] * 4
    assert "已锁定" in (shown[4] or "")
    assert "已锁定" in (messages(session, name, NOW + timedelta(minutes=29), 1)[0] or "")
