"""The Flask application factory: the process's Runtime, the blueprints and the favicon."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Response, current_app
from flask_wtf import CSRFProtect

from keyproj.runtime import Runtime
from web import (
    admin,
    api,
    attachments,
    auth,
    awards,
    bulletins,
    chains,
    clauses,
    colours,
    dashboard,
    decisions,
    diagram_editor,
    diagrams,
    documents,
    errors,
    filters,
    half_year,
    health,
    history,
    home,
    i18n,
    inputs,
    inspections,
    interviews,
    issues,
    ledger,
    meeting_reports,
    meetings,
    notifications,
    pledges,
    projects,
    rankings,
    registries,
    report_review,
    reports,
    scores,
    security,
    spot_checks,
    supervision,
    tours,
    triage,
    urgent,
    visits,
)
from web import cases as case_pages
from web import inbox as inbox_pages
from web import plans as plan_pages
from web import warnings as hand_warnings
from web.db import close_db_session

csrf = CSRFProtect()


def create_app(runtime: Runtime) -> Flask:
    """Build the web app on ``runtime``, which the serving process assembled (keyproj.runtime)."""
    settings = runtime.settings
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
    app.extensions["keyproj"] = runtime
    inputs.register(app)  # first: routes added below take its id converter
    csrf.init_app(app)
    i18n.init_app(app)
    auth.login_manager.init_app(app)
    app.teardown_appcontext(close_db_session)
    app.after_request(security.add_security_headers)
    filters.register(app)
    errors.register(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(projects.bp)
    app.register_blueprint(inbox_pages.bp)
    app.register_blueprint(case_pages.bp)
    app.register_blueprint(history.bp)  # X4: auditors' history, re-execution, dossier
    app.register_blueprint(api.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(report_review.bp)
    app.register_blueprint(registries.bp)
    app.register_blueprint(issues.bp)
    app.register_blueprint(ledger.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(attachments.bp)
    app.register_blueprint(urgent.bp)
    app.register_blueprint(hand_warnings.bp)
    app.register_blueprint(triage.bp)
    app.register_blueprint(plan_pages.bp)
    app.register_blueprint(clauses.bp)
    app.register_blueprint(supervision.bp)
    app.register_blueprint(diagrams.bp)
    app.register_blueprint(diagram_editor.bp)
    app.register_blueprint(colours.bp)  # HD3: four-colour evaluation of every project
    app.register_blueprint(rankings.bp)  # HD5, GS2
    app.register_blueprint(half_year.bp)  # GS2: the half-year evaluation
    app.register_blueprint(interviews.bp)  # HD6
    app.register_blueprint(dashboard.bp)  # issue 13: charts, each with its table
    app.register_blueprint(bulletins.bp)  # LP19, DC7, GS1
    app.register_blueprint(scores.bp)  # AL11, AL12: department scores
    app.register_blueprint(awards.bp)  # GS8, AL13–14, DC6, HD7: year-end evaluation, records
    app.register_blueprint(pledges.bp)  # GS8: service units' pledges and scores
    app.register_blueprint(decisions.bp)  # AL13 一是, DC3, GS6: decided items
    app.register_blueprint(meetings.bp)  # AL3, HD4, DC3, DC7, GS1, GS2, GS6: dispatch meetings
    app.register_blueprint(meeting_reports.bp)  # DC7 三(一) absence, AL3 slow-project report
    app.register_blueprint(tours.bp)  # DC4, GS2: observation tours
    app.register_blueprint(inspections.bp)  # GS5: joint inspection groups
    app.register_blueprint(spot_checks.bp)  # LP10: spot-check plans and checks
    app.register_blueprint(visits.bp)  # GS3, DC2: site visits and short weeks
    app.register_blueprint(chains.bp)  # DC5: industry chains
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    return app


def favicon() -> Response:
    """The site icon, which browsers ask for at this fixed address on every first visit."""
    return current_app.send_static_file("favicon.ico")
