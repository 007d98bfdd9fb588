"""CSRF, security headers and the health check."""

from __future__ import annotations

from pathlib import Path

from keyproj.errors import PermissionDenied
from tests.builders import factories
from tests.builders.web import csrf_token, login, make_app


def test_login_without_csrf_token_is_refused(csrf_client, county):
    page = csrf_client.post(
        "/login", data={"username": "chengguan", "password": factories.PASSWORD}
    )
    assert page.status_code == 400
    assert "安全校验" in page.get_data(as_text=True)


def test_login_with_csrf_token_works(csrf_client, county):
    token = csrf_token(csrf_client.get("/login").get_data(as_text=True))
    page = csrf_client.post(
        "/login",
        data={"username": "chengguan", "password": factories.PASSWORD, "csrf_token": token},
    )
    assert page.status_code == 302
    assert page.headers["Location"] == "/"


def test_logout_needs_the_csrf_token(csrf_client, county):
    token = csrf_token(csrf_client.get("/login").get_data(as_text=True))
    csrf_client.post(
        "/login",
        data={"username": "chengguan", "password": factories.PASSWORD, "csrf_token": token},
    )
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.get("/projects").status_code == 200
    token = csrf_token(csrf_client.get("/projects").get_data(as_text=True))
    assert csrf_client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert csrf_client.get("/projects").status_code == 302


def test_security_headers_on_every_response(client):
    for page in (client.get("/login"), client.get("/healthz"), client.get("/static/app.css")):
        csp = page.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Referrer-Policy"] == "same-origin"


def test_healthz_answers_ok(client):
    page = client.get("/healthz")
    assert page.status_code == 200
    assert page.get_json() == {"status": "ok"}


def test_healthz_answers_503_without_database(tmp_path: Path):
    app = make_app(f"sqlite:///{tmp_path / 'missing' / 'keyproj.db'}", tmp_path, csrf=False)
    page = app.test_client().get("/healthz")
    assert page.status_code == 503
    assert page.get_json()["status"] != "ok"


def test_permission_denied_is_a_chinese_403(app, county):
    @app.route("/forbidden-for-test")
    def forbidden() -> str:
        raise PermissionDenied("只有重点办可以执行此操作")

    client = app.test_client()
    login(client, "chengguan")
    page = client.get("/forbidden-for-test")
    html = page.get_data(as_text=True)
    assert page.status_code == 403
    assert "无权访问" in html
    assert "只有重点办可以执行此操作" in html


def test_unknown_page_is_a_chinese_404(client, county):
    login(client, "chengguan")
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "页面不存在" in page.get_data(as_text=True)
