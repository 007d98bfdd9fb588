"""The Flask application factory: settings, policy profile, database and the blueprints."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_wtf import CSRFProtect

from keyproj.db.session import make_engine, make_session_factory
from keyproj.policy import load_profile
from keyproj.settings import Settings
from web import (
    api,
    auth,
    errors,
    filters,
    health,
    i18n,
    issues,
    notifications,
    projects,
    reports,
    security,
)
from web import cases as case_pages
from web import inbox as inbox_pages
from web.db import KeyprojState, close_db_session

csrf = CSRFProtect()


def create_app(settings: Settings | None = None) -> Flask:
    """Build the web app; an invalid policy profile raises PolicyError and stops start-up."""
    settings = settings or Settings.from_env()
    profile = load_profile(settings.profile)
    engine = make_engine(settings.database_url)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        # Idle expiry: a permanent session's cookie (and its signed timestamp) is renewed on
        # every request, so the session ends after this long without activity.
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.session_idle_minutes),
        SESSION_REFRESH_EACH_REQUEST=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.extensions["keyproj"] = KeyprojState(
        settings, profile, engine, make_session_factory(engine)
    )
    csrf.init_app(app)
    i18n.init_app(app)
    auth.login_manager.init_app(app)
    app.teardown_appcontext(close_db_session)
    app.after_request(security.add_security_headers)
    filters.register(app)
    errors.register(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(projects.bp)
    app.register_blueprint(inbox_pages.bp)
    app.register_blueprint(case_pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(issues.bp)
    app.register_blueprint(notifications.bp)
    return app
