"""Account administration: the lock state of every account, unlocking by an administrator or the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from keyproj.db.models import AuthEvent
from keyproj.errors import NotFound, PermissionDenied
from keyproj.services.org import accounts
from keyproj.services.org.auth import Client, sign_in
from tests.builders import factories

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def lock(session, username: str, at: datetime = NOW) -> None:
    for _ in range(5):
        sign_in(session, username, "Wrong#2026", at)


def test_the_list_shows_who_is_locked_until_when(session, county):
    county.with_people("chengguan", "shiqiao", "admin")
    lock(session, "chengguan")
    sign_in(session, "shiqiao", "Wrong#2026", NOW)
    rows = {r.username: r for r in accounts.accounts(session, county.people["admin"], NOW)}
    assert list(rows) == ["admin", "chengguan", "shiqiao"]
    assert rows["chengguan"].locked_until == NOW + timedelta(minutes=30)
    assert (rows["shiqiao"].locked, rows["shiqiao"].failed_logins) == (False, 1)
    assert rows["admin"].roles == ("系统管理员",)
    assert rows["chengguan"].unit_name == "城关镇"
    later = accounts.accounts(session, county.people["admin"], NOW + timedelta(minutes=30))
    assert not any(r.locked for r in later)  # an expired lock is no lock


def test_only_administrators_list_and_unlock(session, county):
    county.with_people("zdb", "chengguan")
    lock(session, "chengguan")
    with pytest.raises(PermissionDenied):
        accounts.accounts(session, county.people["zdb"], NOW)
    with pytest.raises(PermissionDenied):
        accounts.unlock_by_admin(session, county.people["zdb"], county.chengguan.id, NOW)
    assert county.chengguan.locked_until is not None


def test_an_administrator_unlocks_and_the_record_says_who(session, county):
    county.with_people("admin", "admin2")
    lock(session, "admin2")
    client = Client("10.0.0.9", "Mozilla/5.0")
    user, was_locked = accounts.unlock_by_admin(
        session, county.people["admin"], county.users["admin2"].id, NOW, client
    )
    assert (user.username, was_locked) == ("admin2", True)
    assert sign_in(session, "admin2", factories.PASSWORD, NOW).ok
    event = session.scalars(select(AuthEvent).where(AuthEvent.kind == "unlocked")).one()
    assert (event.user_id, event.actor, event.ip) == (user.id, "admin", "10.0.0.9")


@pytest.mark.parametrize("user_id", [0, -1, 999_999, 2**31, 10**12])
def test_unlocking_an_unknown_id_is_not_found(session, county, user_id):
    county.with_people("admin")
    with pytest.raises(NotFound):
        accounts.unlock_by_admin(session, county.people["admin"], user_id, NOW)


def test_the_command_line_unlocks_by_username(session, county):
    county.with_people("admin")
    lock(session, "admin")
    user, was_locked = accounts.unlock_by_username(session, "admin", NOW)
    assert was_locked
    assert user.failed_logins == 0
    assert sign_in(session, "admin", factories.PASSWORD, NOW).ok
    actors = session.scalars(select(AuthEvent.actor).where(AuthEvent.kind == "unlocked")).all()
    assert actors == [accounts.COMMAND_LINE]
    with pytest.raises(NotFound, match="用户“nobody”不存在"):
        accounts.unlock_by_username(session, "nobody", NOW)


def test_unlocking_an_account_that_is_not_locked_records_nothing(session, county):
    county.with_people("admin")
    assert accounts.unlock_by_username(session, "admin", NOW)[1] is False
    assert session.scalars(select(AuthEvent).where(AuthEvent.kind == "unlocked")).all() == []
    # A few failures short of a lock are cleared, and that is recorded.
    sign_in(session, "admin", "Wrong#2026", NOW)
    assert accounts.unlock_by_username(session, "admin", NOW)[1] is False
    assert county.users["admin"].failed_logins == 0
    assert len(session.scalars(select(AuthEvent).where(AuthEvent.kind == "unlocked")).all()) == 1
