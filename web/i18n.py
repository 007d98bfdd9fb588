"""Locales (Flask-Babel): Chinese first — the templates' own text — and English on request."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request, session
from flask_babel import Babel, get_locale

DEFAULT = "zh_CN"
SUPPORTED = (DEFAULT, "en")
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}
TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    """``?lang=`` switches and is remembered in the session; otherwise Chinese.

    The browser's Accept-Language is not followed: the users are Chinese government staff,
    and English is offered to whoever asks for it, not imposed by a browser setting.
    """
    asked = request.args.get("lang")
    if asked in SUPPORTED:
        session["lang"] = asked
    chosen = session.get("lang")
    return chosen if chosen in SUPPORTED else DEFAULT


def html_lang() -> str:
    """The ``lang`` attribute of the page for the current locale."""
    return HTML_LANG.get(str(get_locale()), "zh-CN")


def init_app(app: Flask) -> None:
    """Install Flask-Babel: locale from :func:`select_locale`, Beijing time, our catalogs."""
    Babel(
        app,
        locale_selector=select_locale,
        default_locale=DEFAULT,
        default_timezone="Asia/Shanghai",
        default_translation_directories=str(TRANSLATIONS),
    )
    app.jinja_env.globals.update(html_lang=html_lang, supported_locales=SUPPORTED)
