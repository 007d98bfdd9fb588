"""Language: the pages speak Chinese only; the removed English switch changes nothing."""

from __future__ import annotations

from tests.builders.web import login


def test_pages_are_chinese_even_for_an_english_browser(client, county):
    login(client, "zdb")
    html = client.get("/projects", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="zh-CN">' in html
    assert "退出登录" in html
    assert "问题台账" in html


def test_asking_for_english_changes_nothing_and_no_page_offers_it(client, county):
    login(client, "zdb")
    html = client.get("/projects?lang=en").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert "退出登录" in html
    assert "Sign out" not in html
    assert "English" not in html
    assert "lang=en" not in html


def test_the_sign_in_page_is_chinese(client):
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert "用户名" in page
    assert "密码" in page
    assert "User name" not in page
