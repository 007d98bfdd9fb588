"""The web's side of the input layer: ids in paths, body size, and no unstorable text in any request.

- Every ``<int:…>`` in a route is a database id (``DatabaseId``): ASCII digits from 1 to
  2147483647 (PostgreSQL INTEGER); other digits are a 404 (never a 500), other text no match.
- A request body may be at most ``MAX_BODY`` (2 MB): JSON and forms are a few kilobytes, and
  the ledger is imported from the command line, not uploaded. A larger body is a 413 with a
  Chinese page or JSON error. Views marked ``takes_files`` take attachments up to the
  settings' limit (``KEYPROJ_ATTACHMENT_MAX_MB``).
- No query or form value may hold control characters or lone surrogates: refused with the
  parameter's name before any handler (or the database) sees it, including the sign-in form's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, g, request
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from keyproj import periods
from keyproj.clock import today_beijing
from keyproj.errors import FieldError, ValidationError
from keyproj.inputs import BadInput, parse_id, shown, text_problem

MAX_BODY = 2 * 1024 * 1024
MAX_BODY_TEXT = "2 MB"
MB = 1024 * 1024
V = TypeVar("V", bound=Callable[..., object])


def takes_files(view: V) -> V:
    """Mark a view that receives attachments: its body may be as large as the settings allow."""
    view.takes_files = True  # type: ignore[attr-defined]
    return view


def allow_files() -> None:
    """Raise the body limit to the attachment limit (and a margin for the form) for file views."""
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "takes_files", False):
        g.upload_limit_mb = current_app.extensions["keyproj"].settings.attachment_max_mb
        request.max_content_length = (g.upload_limit_mb + 1) * MB


class DatabaseId(IntegerConverter):
    """``<int:…>`` in a route: an id the database's integer holds, in ASCII digits."""

    regex = r"[0-9]+"

    def to_python(self, value: str) -> int:
        """The id; digits beyond the range are a 404 like an id that does not exist."""
        try:
            return parse_id(value)
        except BadInput:
            # Not werkzeug's "no match": when another route has the same path for another
            # method, that would make a POST to /projects/0/issues a 405.
            raise NotFound() from None


def refuse_unstorable_values() -> None:
    """Refuse a request whose query or form values hold NUL, other controls or lone surrogates."""
    problems: list[FieldError] = []
    sources = [request.args]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sources.append(request.form)
    for source in sources:
        for name, value in source.items(multi=True):
            problem = text_problem(name) or text_problem(value)
            if problem:
                problems.append(FieldError(shown(name), shown(name), problem))
    if problems:
        raise ValidationError(problems)


def asked_period(cycle: str) -> str:
    """The ``period`` key the request asks for, else the newest period of ``cycle`` that has
    ended (Beijing): the pages of evaluations, rankings, scores and bulletins open on it."""
    return request.args.get("period", "").strip() or periods.last_ended(cycle, today_beijing()).key


def register(app: Flask) -> None:
    """Install the id converter (before any route is added), the body limit and the value check."""
    app.url_map.converters["int"] = DatabaseId
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.before_request(allow_files)  # first: the value check below reads the body
    app.before_request(refuse_unstorable_values)
