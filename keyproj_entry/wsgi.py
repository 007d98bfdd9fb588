"""The web app for a WSGI server of one's own: ``gunicorn 'keyproj_entry.wsgi:build_app()'``."""

from __future__ import annotations

from flask import Flask

from keyproj.runtime import build_runtime
from keyproj.settings import Settings
from web import create_app
from workers.publish import scan_requester


def build_app(settings: Settings | None = None) -> Flask:
    """The web app on ``settings`` (the environment's by default), asking the workers for scans."""
    settings = settings or Settings.from_env()
    return create_app(build_runtime(settings, request_scan=scan_requester(settings)))
