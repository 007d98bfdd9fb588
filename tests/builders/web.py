"""For the web tests: the app, signing in, CSRF and API tokens, API errors, report forms."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

from keyproj import periods
from keyproj.clock import now_utc, today_beijing
from keyproj.db.models import User
from keyproj.db.session import make_session_factory
from keyproj.runtime import RequestScan, build_runtime, no_workers
from keyproj.services.org import tokens
from keyproj.settings import Settings
from tests.builders import factories
from tests.builders.clock import FrozenClock, bj
from tests.builders.compiled import TEMPLATES
from tests.builders.county import County
from tests.builders.database import lent_engine, url_of
from web import create_app

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_app(
    database_url: str,
    instance: Path,
    *,
    csrf: bool,
    profile: str = "lianping",
    request_scan: RequestScan = no_workers,
) -> Flask:
    """The app on the database at ``database_url``, asking ``request_scan`` for scans."""
    settings = Settings(
        instance_dir=instance,
        database_url=database_url,
        profile=profile,
        secret_key="test-secret-key",
        port=5000,
        broker_url="memory://",
        session_idle_minutes=30,
    )
    runtime = build_runtime(settings, request_scan=request_scan)
    engine = lent_engine(database_url)
    if engine is not None:  # the test's own engine (its new one has not connected yet)
        runtime = replace(runtime, engine=engine, sessions=make_session_factory(engine))
    app = create_app(runtime)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=csrf)
    app.jinja_env.bytecode_cache = TEMPLATES  # compiled once per process, not per test
    return app


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """``app`` served on a free local port, as production runs it (its own 500 handler, no
    exceptions propagated); yields the base URL and stops the server when the block ends."""
    app.config["TESTING"] = False
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    access_log = logging.getLogger("werkzeug")
    level = access_log.level
    access_log.setLevel(logging.WARNING)  # a line per request would bury a failure's report
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        access_log.setLevel(level)


@contextmanager
def client_under(engine: Engine, instance: Path, profile: str) -> Iterator[FlaskClient]:
    """A client of the app running under another jurisdiction's ``profile`` on the test
    database (CSRF checks off)."""
    app = make_app(url_of(engine), instance, csrf=False, profile=profile)
    try:
        yield app.test_client()
    finally:
        app.extensions["keyproj"].engine.dispose()


def recorder(calls: list[None]) -> RequestScan:
    """A scan request that is recorded in ``calls`` instead of sent (the tests run no broker)."""

    def request_scan() -> bool:
        calls.append(None)
        return True

    return request_scan


def casework_county(session: Session) -> County:
    """The county of the inbox and case pages: liaisons, the key office, road and bridge."""
    county = County(session).with_people("town", "town2", "other", "dept", "zdb")
    return county.with_projects("road", "bridge").committed()


def instructed_county(session: Session, clock: FrozenClock) -> County:
    """城关镇's road case noticed on Monday 2 March 2026, its project linked to leader01; the
    clock stands on Tuesday morning (the pages and the API of leaders' instructions)."""
    county = casework_county(session)
    case = county.open_case(county.road, clock.at(bj(2026, 3, 2, 9)))
    county.notify(case, clock.at(bj(2026, 3, 2, 10)))
    county.link_leader("leader01", county.road)
    clock.at(bj(2026, 3, 3, 9))
    return county


def inbox_county(session: Session, clock: FrozenClock) -> County:
    """Two respond tasks of 城关镇 (one overdue, of an issue warning) and one of 石桥镇,
    seen on Tuesday 3 March 2026 at 09:00."""
    county = casework_county(session)
    # Started in February: its respond deadline (25 Feb) has passed, no sweep has run yet.
    old = county.open_case(
        county.road, clock.at(bj(2026, 2, 12, 9)), level="issue", colour="yellow"
    )
    county.notify(old, clock.at(bj(2026, 2, 13, 10)))
    fresh = county.open_case(county.road, clock.at(bj(2026, 3, 2, 9)))
    county.notify(fresh, clock.at(bj(2026, 3, 2, 10)), phase_unit_codes=["D01"])
    far = county.open_case(county.bridge, clock.at(bj(2026, 3, 2, 9)))
    county.notify(far, clock.at(bj(2026, 3, 2, 11)), lead="T02")
    clock.at(bj(2026, 3, 3, 9))
    return county


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


def bearer(
    session: Session, user: User, now: datetime | None = None, expires_at: datetime | None = None
) -> dict[str, str]:
    """The Authorization header of a new, committed token of ``user``."""
    raw = tokens.issue_token(session, user, "市重点项目系统", now or now_utc(), expires_at)
    session.commit()
    return {"Authorization": f"Bearer {raw}"}


def json_of(response: TestResponse) -> Any:
    """The JSON body of a response, which must be JSON."""
    assert response.is_json, response.get_data(as_text=True)
    return response.get_json()


def api_error(response: TestResponse, status: int, code: str) -> dict[str, Any]:
    """The error object of a JSON error response, after checking its status, code and shape."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = json_of(response)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    error = cast(dict[str, Any], body["error"])
    assert error["code"] == code
    assert any("\u4e00" <= c <= "\u9fff" for c in error["message"]), "message is not in Chinese"
    return error


def current_period() -> str:
    """The current monthly period key (the Lianping cycle, LP8)."""
    return periods.containing("monthly", today_beijing()).key


def report_form(**overrides: str) -> dict[str, str]:
    """A complete, valid AL6 report form for the current period, saved as a draft."""
    data = {
        "period": current_period(),
        "total_investment": "12000",
        "cumulative_completed": "3000",
        "annual_plan_investment": "5000",
        "annual_completed": "1200",
        "start_status": "started",
        "started_on": today_beijing().replace(day=1).isoformat(),
        "progress_pct": "35.5",
        "progress_text": "主体结构施工中",
        "issues_text": "征地尚有2户未签约",
        "measures_text": "请镇政府协调",
        "proc_feasibility": "approved",
        "proc_land": "in_progress",
        "proc_land_note": "已报市自然资源局",
        "save": "保存草稿",
    }
    data.update(overrides)
    return data


def submit_form(**overrides: str) -> dict[str, str]:
    """The same report form, saved and submitted at once."""
    data = report_form(**overrides)
    del data["save"]
    data["submit_report"] = "报送"
    return data
