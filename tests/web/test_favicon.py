"""The site icon browsers ask for on every first visit."""

from __future__ import annotations


def test_favicon_is_served_to_anyone_as_an_icon(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200
    assert answer.mimetype in {"image/vnd.microsoft.icon", "image/x-icon"}
    assert answer.data[:4] == b"\x00\x00\x01\x00"  # an ICO file, not the login page
