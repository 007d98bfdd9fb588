"""Sign-in, sign-out, the login wall, safe redirects, idle expiry, lockout and the sign-in record."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from keyproj.clock import BEIJING, now_utc
from keyproj.db.models import AuthEvent
from keyproj.demo.loader import DEMO_PASSWORD
from keyproj.errors import ValidationError
from keyproj.services.org.auth import check_password_policy
from keyproj.services.org.directory import UserData, create_user, set_password
from tests.builders import factories
from tests.builders.web import login


def test_login_page_is_in_chinese(client):
    page = client.get("/login")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in html
    for text in ("重点项目预警与协调处置系统", "用户登录", "用户名", "密码", "登录"):
        assert text in html


def test_pages_need_login(client, county):
    page = client.get(f"/projects/{county.road.id}")
    assert page.status_code == 302
    assert page.headers["Location"] == f"/login?next=%2Fprojects%2F{county.road.id}"


def test_wrong_password_shows_error_and_keeps_username(client, county):
    page = login(client, "chengguan", "Wrong#2026pass")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "用户名或密码错误" in html
    assert 'value="chengguan"' in html
    assert "Wrong#2026pass" not in html


def test_unknown_user_gets_the_same_message(client, county):
    html = login(client, "nobody").get_data(as_text=True)
    assert "用户名或密码错误" in html


def test_right_password_leads_to_the_users_projects(client, county):
    page = login(client, "chengguan")
    assert page.status_code == 302
    assert page.headers["Location"] == "/projects"
    html = client.get("/projects").get_data(as_text=True)
    assert "用户chengguan" in html
    assert "城关镇" in html
    assert county.road.name in html
    assert county.school.name in html
    assert county.bridge.name not in html


def test_login_follows_a_local_next(client, county):
    page = login(client, "chengguan", next_url=f"/projects/{county.road.id}")
    assert page.headers["Location"] == f"/projects/{county.road.id}"


@pytest.mark.parametrize(
    "target",
    ["http://evil.example/", "//evil.example/x", "/\\evil.example", "https:/evil", "javascript:x"],
)
def test_login_does_not_follow_a_foreign_next(client, county, target):
    page = login(client, "chengguan", next_url=target)
    assert page.status_code == 302
    assert page.headers["Location"] == "/projects"


def test_login_page_carries_next_into_the_form(client):
    html = client.get("/login?next=/projects/7").get_data(as_text=True)
    assert 'value="/projects/7"' in html


def test_logout_ends_the_session(client, county):
    login(client, "chengguan")
    page = client.post("/logout")
    assert page.status_code == 302
    assert page.headers["Location"] == "/login"
    assert "您已安全退出" in client.get("/login").get_data(as_text=True)
    assert client.get("/projects").status_code == 302


def test_logout_is_post_only(client, county):
    login(client, "chengguan")
    assert client.get("/logout").status_code == 405
    assert client.get("/projects").status_code == 200


def test_deactivated_user_is_signed_out(client, county, session):
    login(client, "chengguan")
    county.chengguan.active = False
    session.commit()
    assert client.get("/projects").status_code == 302


def test_session_expires_after_idle_time(client, county):
    with time_machine.travel(now_utc(), tick=False) as clock:
        login(client, "chengguan")
        clock.shift(timedelta(minutes=25))
        assert client.get("/projects").status_code == 200  # activity renews the session
        clock.shift(timedelta(minutes=25))
        assert client.get("/projects").status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get("/projects").status_code == 302


# Sign-in hardening: lockout, the sign-in record and the password policy.

LOCK_AT = datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)


def auth_events(session) -> list[tuple[str, str, int | None]]:
    rows = session.scalars(select(AuthEvent).order_by(AuthEvent.id))
    return [(e.kind, e.username, e.user_id) for e in rows]


def test_five_wrong_passwords_lock_the_account_for_30_minutes(client, county, session):
    with time_machine.travel(LOCK_AT, tick=False) as clock:
        for _ in range(4):
            assert "用户名或密码错误" in login(client, "chengguan", "Wrong#2026").get_data(True)
        html = login(client, "chengguan", "Wrong#2026").get_data(as_text=True)
        assert "账号已锁定至2026-03-02 10:30（北京时间）" in html
        # Locked: even the right password is refused, with the time the lock ends.
        clock.shift(timedelta(minutes=29))
        page = login(client, "chengguan")
        assert page.status_code == 200
        assert "账号已锁定至2026-03-02 10:30（北京时间）" in page.get_data(as_text=True)
        assert client.get("/projects").status_code == 302
        clock.shift(timedelta(minutes=1, seconds=1))
        assert login(client, "chengguan").headers["Location"] == "/projects"
    session.refresh(county.chengguan)
    assert county.chengguan.failed_logins == 0
    assert county.chengguan.locked_until is None


def test_a_successful_sign_in_resets_the_failure_count(client, county, session):
    with time_machine.travel(LOCK_AT, tick=False):
        for _ in range(4):
            login(client, "chengguan", "Wrong#2026")
        assert login(client, "chengguan").status_code == 302
        client.post("/logout")
        for _ in range(4):
            login(client, "chengguan", "Wrong#2026")
        assert login(client, "chengguan").status_code == 302
    session.refresh(county.chengguan)
    assert county.chengguan.locked_until is None


def test_lockout_counts_per_account(client, county):
    with time_machine.travel(LOCK_AT, tick=False):
        for _ in range(5):
            login(client, "chengguan", "Wrong#2026")
        assert login(client, "shiqiao").status_code == 302


def test_sign_ins_sign_outs_failures_and_lockouts_are_recorded(client, county, session):
    client.environ_base.update(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Mozilla/5.0 测试浏览器")
    uid = county.chengguan.id
    login(client, "nobody", "Wrong#2026")
    login(client, "chengguan")
    client.post("/logout")
    for _ in range(5):
        login(client, "chengguan", "Wrong#2026")
    assert auth_events(session) == [
        ("login_failed", "nobody", None),
        ("login", "chengguan", uid),
        ("logout", "chengguan", uid),
        *[("login_failed", "chengguan", uid)] * 5,
        ("locked", "chengguan", uid),
    ]
    last = session.scalars(select(AuthEvent).order_by(AuthEvent.id.desc())).first()
    assert (last.ip, last.user_agent) == ("10.1.2.3", "Mozilla/5.0 测试浏览器")


def test_username_is_recorded_as_typed(client, county, session):
    login(client, "ChengGuan", factories.PASSWORD)  # usernames are case-sensitive
    assert auth_events(session) == [("login_failed", "ChengGuan", None)]


@pytest.mark.parametrize("password", [DEMO_PASSWORD, factories.PASSWORD, "abcDEF12", "abc-def-12"])
def test_password_policy_accepts(password):
    check_password_policy(password)


@pytest.mark.parametrize("password", ["Ab#1234", "abcdefgh", "abcdef12", "ABCD-EFGH", "12345678"])
def test_password_policy_refuses_short_or_simple_passwords(password):
    with pytest.raises(ValidationError) as info:
        check_password_policy(password)
    assert "至少8位" in info.value.by_field()["password"]


def test_weak_passwords_are_refused_where_passwords_are_set(session, county):
    with pytest.raises(ValidationError) as info:
        create_user(session, UserData("weak", "弱密码", "T01", "password", ["unit_liaison"]))
    assert set(info.value.by_field()) == {"password"}
    with pytest.raises(ValidationError):
        set_password(session, county.chengguan, "short1!")
