"""The administrators' API token page: every token with its id, issuing one, revoking one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from keyproj.clock import now_utc
from keyproj.db.models import User
from keyproj.errors import ValidationError
from keyproj.inputs import BadInput, parse_id
from keyproj.services.admin import api_tokens
from keyproj.services.admin.changelog import actor_of
from keyproj.services.org.tokens import MAX_DAYS
from web.admin import bp
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session
from web.paging import kept_args, paging


def _render(raw: str | None = None, issued_to: str | None = None) -> str:
    session = db_session()
    return render_template(
        "admin/tokens.html",
        page=api_tokens.token_page(session, paging()),
        users=list(
            session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
        ),
        now=now_utc(),
        raw=raw,
        issued_to=issued_to,
        max_days=MAX_DAYS,
        query=kept_args(),
    )


@bp.route("/tokens", endpoint="tokens")
def tokens() -> str:
    """A page of the tokens, newest first, with the form that issues one."""
    return _render()


@bp.route("/tokens", methods=["POST"], endpoint="issue_token")
def issue_token() -> Response | str:
    """Issue a token and show it on this answer only (only its hash is stored)."""
    session, form = db_session(), request.form
    with commit_or_refuse(ValidationError) as outcome:
        user_id = _number(form.get("user_id", ""), "user_id", "用户")
        days_text = form.get("days", "").strip()
        days = _number(days_text, "days", "有效天数") if days_text else None
        token, raw = api_tokens.issue(
            session,
            actor_of(session, current_viewer()),
            now_utc(),
            user_id,
            form.get("name", ""),
            days,
        )
        owner = token.user_id
    if outcome.refusal is not None:
        outcome.flash("")
        return redirect(url_for("admin.tokens"), 303)
    user = session.get(User, owner)
    return _render(raw, user.username if user else None)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"], endpoint="revoke_token")
def revoke_token(token_id: int) -> Response:
    """Revoke a token at once."""
    session = db_session()
    token, revoked_now = api_tokens.revoke(
        session, actor_of(session, current_viewer()), now_utc(), token_id
    )
    session.commit()
    if revoked_now:
        flash(f"{token.id}号令牌“{token.name}”已吊销，使用它的请求将被拒绝", "success")
    else:
        flash(f"{token.id}号令牌此前已吊销", "info")
    return redirect(url_for("admin.tokens", **kept_args("page")), 303)


def _number(text: str, field: str, label: str) -> int:
    try:
        return parse_id(text.strip())
    except BadInput as exc:
        raise ValidationError.single(field, label, str(exc)) from None
