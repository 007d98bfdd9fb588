"""Locales: the pages speak Chinese by default; English on request, remembered for the session."""

from __future__ import annotations

from tests.builders.web import login


def test_pages_are_chinese_by_default_even_for_an_english_browser(client, county):
    login(client, "zdb")
    html = client.get("/projects", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="zh-CN">' in html
    assert "退出登录" in html
    assert "问题台账" in html
    assert "Sign out" not in html


def test_english_on_request_is_remembered_and_chinese_comes_back(client, county):
    login(client, "zdb")
    english = client.get("/projects?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "Sign out" in english
    assert "Issue ledger" in english
    assert "退出登录" not in english
    assert "Sign out" in client.get("/issues").get_data(as_text=True)  # the session remembers
    chinese = client.get("/projects?lang=zh_CN").get_data(as_text=True)
    assert "退出登录" in chinese
    assert "Sign out" not in chinese


def test_the_login_form_is_translated_and_an_unknown_language_is_ignored(client):
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert "User name" in page
    assert "Password" in page
    page = client.get("/login?lang=fr").get_data(as_text=True)
    assert "User name" in page  # still the English chosen before, not a broken page
