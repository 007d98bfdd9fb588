"""Sign-in (with lockout) and sign-out; every page but /login, /healthz, /static and the favicon needs a signed-in user.

A session holds its user's session token (``keyproj.services.org.sessions``): signing out ends
it on the server, so a copy of the cookie taken before is refused, in every browser.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from keyproj.clock import now_utc
from keyproj.db.models import User
from keyproj.services.access import Viewer, viewer_for
from keyproj.services.org.auth import Client, sign_in, sign_out
from keyproj.services.org.sessions import user_of_session
from web.db import db_session

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录"
login_manager.login_message_category = "info"
SIGNED_OUT = "您已安全退出。为保障账号安全，该账号在所有浏览器和设备上的登录均已同时退出。"

PUBLIC_ENDPOINTS = frozenset({"auth.login", "health.healthz", "static", "favicon"})
# The JSON API authenticates every request by its bearer token, never by the session cookie.
API_PREFIX = "/api/"


class SignedInUser(UserMixin):
    """The signed-in user as the pages need it: names, the data-scope Viewer, the session token."""

    def __init__(self, user: User, viewer: Viewer, session_token: str):
        self.id = user.id
        self.username = user.username
        self.display_name = user.display_name
        self.unit_name = user.unit.name
        self.viewer = viewer
        self.session_token = session_token

    def get_id(self) -> str:
        """What the session keeps: the session token, not the bare user id (Flask-Login)."""
        return self.session_token


@login_manager.user_loader
def load_user(session_token: str) -> SignedInUser | None:
    """The user of a live session; a signed-out, re-passworded or deactivated one is anonymous."""
    session_ = db_session()
    user = user_of_session(session_, session_token)
    if user is None:
        return None
    return SignedInUser(user, viewer_for(session_, user), session_token)


def current_viewer() -> Viewer:
    """The Viewer of the signed-in user (pages behind the login check only)."""
    return current_user.viewer  # type: ignore[no-any-return]


@bp.before_app_request
def require_login() -> Response | None:
    """Send anonymous visitors to the login page (deny by default, allow the public endpoints)."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.path.startswith(API_PREFIX):
        return None
    if current_user.is_authenticated:
        return None
    return login_manager.unauthorized()  # type: ignore[no-any-return]


class LoginForm(FlaskForm):
    """用户名 and 密码, plus the page to return to."""

    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=256)])
    next = HiddenField()
    submit = SubmitField("登录")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    """Show the login form; on success go to ``next`` when it is a local path."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    error = None
    if form.validate_on_submit():
        result = sign_in(
            db_session(), form.username.data or "", form.password.data or "", now_utc(), _client()
        )
        if result.user is not None and result.session_token is not None:
            return _sign_in(result.user, result.session_token, form.next.data)
        db_session().commit()  # keeps the failure count, the lock and the sign-in record
        error = result.message
    return render_template("login.html", form=form, error=error)


def _client() -> Client:
    """The request's address and browser, for the sign-in record."""
    return Client(request.remote_addr, request.headers.get("User-Agent"))


def _sign_in(user: User, session_token: str, next_url: str | None) -> Response:
    viewer = viewer_for(db_session(), user)
    db_session().commit()  # keeps last_login_at, the session nonce, the reset counter and the record
    # A fresh session at sign-in: nothing from before the login carries over (the CSRF token
    # included), and a cookie planted before it is not signed in.
    session.clear()
    login_user(SignedInUser(user, viewer, session_token))
    session.permanent = True
    target = next_url if next_url and is_safe_next(next_url) else None
    return redirect(target or url_for("home.index"))


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Sign out everywhere (POST with the CSRF token only, so another site cannot sign users out)."""
    if current_user.is_authenticated:
        sign_out(db_session(), current_user.id, now_utc(), _client())
        db_session().commit()
    logout_user()
    session.clear()
    flash(SIGNED_OUT, "info")
    return redirect(url_for("auth.login"))


def is_safe_next(target: str) -> bool:
    """True for a path on this site ("/projects/3"), false for other hosts or schemes."""
    # Browsers read "\" as "/", so "/\evil.example" would leave the site like "//evil.example".
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
