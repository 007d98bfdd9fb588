"""Sign-in, sign-out, the login wall, safe redirects and idle expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from keyproj.clock import now_utc
from tests.web.helpers import login


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
    assert "用户chengguan" in html and "城关镇" in html
    assert county.road.name in html and county.school.name in html
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
    assert page.status_code == 302 and page.headers["Location"] == "/login"
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
