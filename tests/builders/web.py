"""Small helpers of the web tests."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests import factories

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def login(
    client: FlaskClient,
    username: str,
    password: str = factories.PASSWORD,
    next_url: str | None = None,
) -> TestResponse:
    """Post the login form (for apps with CSRF checks off) and return the response."""
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/login", data=data)


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_INPUT.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)
