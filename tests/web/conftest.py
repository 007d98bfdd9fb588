"""Web fixtures: the app on the test database (SQLite and PostgreSQL), clients, a small county."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from keyproj.db.models import Project, User
from keyproj.runtime import RequestScan, build_runtime, no_workers
from keyproj.settings import Settings
from tests import factories
from tests.clock import FrozenClock
from web import create_app


def make_app(
    database_url: str, instance: Path, *, csrf: bool, request_scan: RequestScan = no_workers
) -> Flask:
    """The app on the database at ``database_url``, asking ``request_scan`` for scans."""
    settings = Settings(
        instance_dir=instance,
        database_url=database_url,
        profile="lianping",
        secret_key="test-secret-key",
        port=5000,
        broker_url="memory://",
        session_idle_minutes=30,
    )
    app = create_app(build_runtime(settings, request_scan=request_scan))
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=csrf)
    return app


def recorder(calls: list[None]) -> RequestScan:
    """A scan request that is recorded in ``calls`` instead of sent (the tests run no broker)."""

    def request_scan() -> bool:
        calls.append(None)
        return True

    return request_scan


def _url(engine: Engine) -> str:
    """The engine's URL with its password (for SQLite: the database file's path)."""
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def kicks() -> list[None]:
    """The scan requests ``app`` made, one entry each."""
    return []


@pytest.fixture
def app(engine: Engine, tmp_path: Path, kicks: list[None]) -> Iterator[Flask]:
    """The app with CSRF checks off, for tests about something else."""
    app = make_app(_url(engine), tmp_path, csrf=False, request_scan=recorder(kicks))
    yield app
    app.extensions["keyproj"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def csrf_client(engine: Engine, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of an app that enforces CSRF tokens, as production does."""
    app = make_app(_url(engine), tmp_path, csrf=True)
    yield app.test_client()
    app.extensions["keyproj"].engine.dispose()


@dataclass
class County:
    """Two towns with their liaisons, a key office user, three projects."""

    chengguan: User
    shiqiao: User
    office: User
    road: Project
    school: Project
    bridge: Project


@pytest.fixture
def county(session: Session) -> County:
    """The county's data, committed so the app's own sessions see it."""
    factories.unit(session, "T01", "城关镇")
    factories.unit(session, "T02", "石桥镇")
    data = County(
        chengguan=factories.user(session, "chengguan", "T01", "unit_liaison"),
        shiqiao=factories.user(session, "shiqiao", "T02", "unit_liaison"),
        office=factories.user(session, "zdb", "ZDB", "key_office"),
        road=factories.project(session, "T01", name="城关镇环城路改建工程"),
        school=factories.project(session, "T01", name="城关镇第二小学建设项目", level="city"),
        bridge=factories.project(session, "T02", name="石桥镇跨河大桥工程"),
    )
    session.commit()
    return data


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    """A frozen clock the services and the engine share; move it with ``clock.at(moment)``."""
    frozen = FrozenClock()
    yield frozen
    frozen.stop()
