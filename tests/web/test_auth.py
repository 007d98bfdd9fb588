"""Sign-in, sign-out, the login wall, safe redirects, idle expiry, lockout and the sign-in record."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from keyproj.clock import BEIJING, now_utc
from keyproj.db.models import AuthEvent
from keyproj.demo.loader import DEMO_PASSWORD
from keyproj.errors import ValidationError
from keyproj.services.org import auth as auth_service
from keyproj.services.org.auth import check_password_policy
from keyproj.services.org.directory import UserData, create_user, set_password
from tests.builders import factories
from tests.builders.web import csrf_token, login


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


def test_right_password_leads_to_the_home_page_and_the_users_projects(client, county):
    page = login(client, "chengguan")
    assert page.status_code == 302
    assert page.headers["Location"] == "/"
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
    assert page.headers["Location"] == "/"


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
        assert login(client, "chengguan").headers["Location"] == "/"
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


# Sessions end on the server: sign-out, a password change, sign-in rotation.


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def replay(app, cookie: str):
    """A new browser that presents ``cookie``, as someone who copied it would."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, client, county):
    login(client, "chengguan")
    copied = session_cookie(client)
    assert replay(app, copied).get("/projects").status_code == 200  # the copy works until …
    client.post("/logout")
    page = replay(app, copied).get(f"/projects/{county.road.id}")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/login")


def test_signing_in_again_does_not_revive_a_cookie_of_an_ended_session(app, client, county):
    login(client, "chengguan")
    copied = session_cookie(client)
    client.post("/logout")
    assert login(client, "chengguan").status_code == 302
    assert client.get("/projects").status_code == 200
    assert replay(app, copied).get("/projects").status_code == 302


def test_signing_out_in_one_browser_signs_out_every_browser_and_says_so(app, county):
    office, home = app.test_client(), app.test_client()
    login(office, "chengguan")
    login(home, "chengguan")
    assert home.get("/projects").status_code == 200
    office.post("/logout")
    assert "所有浏览器和设备上的登录均已同时退出" in office.get("/login").get_data(as_text=True)
    assert home.get("/projects").status_code == 302
    # Another user's session is untouched.
    login(office, "shiqiao")
    home_of_other = app.test_client()
    login(home_of_other, "zdb")
    office.post("/logout")
    assert home_of_other.get("/projects").status_code == 200


def test_a_password_change_ends_the_sessions_signed_in_with_the_old_one(client, county, session):
    login(client, "chengguan")
    set_password(session, county.chengguan, "Changed#2026pass")
    session.commit()
    assert client.get("/projects").status_code == 302
    assert login(client, "chengguan", "Changed#2026pass").status_code == 302
    assert client.get("/projects").status_code == 200


@pytest.mark.parametrize("carried", ["{id}", "{id}:forged-nonce", "{id}:", "99999999999:x", "x:y"])
def test_a_session_without_the_live_nonce_signs_in_no_one(client, county, carried):
    """A session of the old form (the bare user id) or with a forged nonce is anonymous."""
    login(client, "chengguan")  # the user has a live nonce: only the right one may use it
    with client.session_transaction() as stored:
        stored["_user_id"] = carried.format(id=county.chengguan.id)
    page = client.get("/projects")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/login")


def test_sign_in_starts_a_new_session_and_a_planted_one_stays_anonymous(csrf_client, county):
    """Session fixation: a cookie (and CSRF token) from before sign-in is worth nothing after."""
    before_html = csrf_client.get("/login").get_data(as_text=True)
    planted, old_token = session_cookie(csrf_client), csrf_token(before_html)
    page = csrf_client.post(
        "/login",
        data={"username": "chengguan", "password": factories.PASSWORD, "csrf_token": old_token},
    )
    assert page.status_code == 302
    assert session_cookie(csrf_client) != planted
    attacker = csrf_client.application.test_client()
    attacker.set_cookie("session", planted)
    assert attacker.get("/projects").status_code == 302
    # The token of the old session does not carry over either: the new session has its own.
    refused = csrf_client.post("/logout", data={"csrf_token": old_token})
    assert refused.status_code == 400
    assert csrf_client.get("/projects").status_code == 200
    fresh = csrf_token(csrf_client.get("/projects").get_data(as_text=True))
    assert csrf_client.post("/logout", data={"csrf_token": fresh}).status_code == 302
    assert csrf_client.get("/projects").status_code == 302


# The lockout reveals no username: an unknown one answers as an account does.


def attempts(client, username: str, clock, script: list[tuple[int, str]]) -> list[str]:
    """The error shown for each (minutes later, password) attempt, in order."""
    shown = []
    for minutes, password in script:
        clock.shift(timedelta(minutes=minutes))
        html = login(client, username, password).get_data(as_text=True)
        error = re.search(r'class="form-error"[^>]*>([^<]*)<', html)
        assert error, html
        shown.append(error.group(1))
    return shown


def test_an_unknown_username_is_locked_out_exactly_like_an_account(client, county, session):
    wrong, right = "Wrong#2026", factories.PASSWORD
    # Five failures lock; a try while locked (even the right password) neither counts nor
    # extends; after the lock five more are needed.
    script = [(0, wrong)] * 5 + [(10, right), (10, wrong), (11, wrong)] + [(0, wrong)] * 4
    factories.user(session, "retired", "T01", "unit_liaison").active = False
    session.commit()
    seen = {}
    for username in ("chengguan", "nobody", "retired"):
        with time_machine.travel(LOCK_AT, tick=False) as clock:
            seen[username] = attempts(client, username, clock, script)
    assert seen["nobody"] == seen["chengguan"] == seen["retired"]
    first, second = "账号已锁定至2026-03-02 10:30", "账号已锁定至2026-03-02 11:01"
    assert [first in m for m in seen["nobody"]] == [False] * 4 + [True] * 3 + [False] * 5
    assert [second in m for m in seen["nobody"]] == [False] * 11 + [True]
    generic = seen["nobody"][:4] + seen["nobody"][7:11]
    assert generic == ["用户名或密码错误"] * 8


def test_a_locked_account_still_hashes_the_password_it_is_given(client, county, monkeypatch):
    """The same work for every answer: the response time tells nothing either."""
    calls = []
    real = auth_service.verify_password

    def counted(password_hash: str, password: str) -> bool:
        calls.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(auth_service, "verify_password", counted)
    with time_machine.travel(LOCK_AT, tick=False):
        for _ in range(6):
            login(client, "chengguan", "Wrong#2026")
        for _ in range(6):
            login(client, "nobody", "Wrong#2026")
    assert len(calls) == 12
