"""The pages speak Chinese only: ``_()`` marks interface text and returns it as written.

An English switch once translated the layout and the sign-in page only; a half-English product
served no one, so it was removed (issue 15). The marker stays so that a complete catalog could
come back without touching every template.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

HTML_LANG = "zh-CN"


def gettext(text: str, **values: Any) -> str:
    """``text`` with its ``%(name)s`` placeholders filled, as Flask-Babel's ``_`` did."""
    return text % values if values else text


def init_app(app: Flask) -> None:
    """Offer ``_`` and the page language to templates."""
    app.jinja_env.globals.update(_=gettext, html_lang=lambda: HTML_LANG)
