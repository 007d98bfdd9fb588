"""The administrators' account page: lock states, unlocking in the browser, for administrators only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from keyproj.clock import BEIJING
from keyproj.db.models import AuthEvent
from tests.builders import factories
from tests.builders.web import csrf_token, login

AT = datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)


@pytest.fixture
def admins(county):
    """Two administrators besides the county's liaisons and key office."""
    return county.with_people("admin", "admin2").committed()


def lock(client, username: str) -> None:
    for _ in range(5):
        login(client, username, "Wrong#2026")


def test_an_administrator_unlocks_another_administrator_who_signs_in_at_once(
    csrf_client, admins, session
):
    with time_machine.travel(AT, tick=False) as clock:
        intruder = csrf_client.application.test_client()
        lock_with_csrf(intruder, "admin2")
        assert "账号已锁定" in login_with_csrf(intruder, "admin2").get_data(as_text=True)
        clock.shift(timedelta(minutes=5))
        login_with_csrf(csrf_client, "admin")
        page = csrf_client.get("/admin/users").get_data(as_text=True)
        row = page[page.index(f'id="user-{admins.users["admin2"].id}"') :].split("</tr>")[0]
        assert "已锁定" in row
        assert "2026-03-02 10:30" in row
        assert "解除锁定" in row
        token = csrf_token(page)
        done = csrf_client.post(
            f"/admin/users/{admins.users['admin2'].id}/unlock", data={"csrf_token": token}
        )
        assert done.status_code == 303
        assert "已解除用户 admin2" in csrf_client.get("/admin/users").get_data(as_text=True)
        assert login_with_csrf(intruder, "admin2").status_code == 302  # before the 30 minutes
    unlocked = session.scalars(select(AuthEvent).where(AuthEvent.kind == "unlocked")).one()
    assert (unlocked.username, unlocked.actor) == ("admin2", "admin")


def test_unlocking_needs_the_csrf_token(csrf_client, admins):
    with time_machine.travel(AT, tick=False):
        other = csrf_client.application.test_client()
        lock_with_csrf(other, "admin2")
        login_with_csrf(csrf_client, "admin")
        page = csrf_client.post(f"/admin/users/{admins.users['admin2'].id}/unlock")
        assert page.status_code == 400
        assert "账号已锁定" in login_with_csrf(other, "admin2").get_data(as_text=True)


def test_the_page_shows_lock_state_failures_and_inactive_accounts(client, admins, session):
    admins.users["shiqiao"].active = False
    session.commit()
    with time_machine.travel(AT, tick=False):
        for _ in range(2):
            login(client, "chengguan", "Wrong#2026")
        login(client, "admin")
        page = client.get("/admin/users").get_data(as_text=True)
    assert "共 5 个账号" in page
    assert "已锁定" not in page.split("<table")[1]
    row = page[page.index(f'id="user-{admins.chengguan.id}"') :].split("</tr>")[0]
    assert "连续登录失败 2 次" in row
    assert "清零失败次数" in row
    assert "已停用" in page
    assert "keyproj users unlock" in page


def test_only_administrators_see_the_page_and_may_unlock(client, admins, session):
    with time_machine.travel(AT, tick=False):
        lock(client, "admin2")
        login(client, "zdb")
        assert "用户管理" not in client.get("/projects").get_data(as_text=True)
        page = client.get("/admin/users")
        assert page.status_code == 403
        assert "只有系统管理员可以管理用户账号" in page.get_data(as_text=True)
        refused = client.post(f"/admin/users/{admins.users['admin2'].id}/unlock")
        assert refused.status_code == 403
        session.refresh(admins.users["admin2"])
        assert admins.users["admin2"].locked_until is not None
        client.post("/logout")
        login(client, "admin")
        assert "用户管理" in client.get("/projects").get_data(as_text=True)


@pytest.mark.parametrize("user_id", ["999999", "99999999999"])
def test_unlocking_an_unknown_account_is_a_404(client, admins, user_id):
    login(client, "admin")
    assert client.post(f"/admin/users/{user_id}/unlock").status_code == 404


def test_the_page_needs_a_signed_in_user(client, admins):
    assert client.get("/admin/users").headers["Location"].startswith("/login")


def login_with_csrf(client, username: str, password: str = factories.PASSWORD):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data)


def lock_with_csrf(client, username: str) -> None:
    for _ in range(5):
        login_with_csrf(client, username, "Wrong#2026")
