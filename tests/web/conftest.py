"""Web fixtures: the app on the test database (SQLite and PostgreSQL), clients, a small county."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from tests.builders.county import County
from tests.builders.database import url_of
from tests.builders.web import client_under, make_app, recorder


@pytest.fixture
def kicks() -> list[None]:
    """The scan requests ``app`` made, one entry each."""
    return []


@pytest.fixture
def app(engine: Engine, tmp_path: Path, kicks: list[None]) -> Iterator[Flask]:
    """The app with CSRF checks off, for tests about something else."""
    app = make_app(url_of(engine), tmp_path, csrf=False, request_scan=recorder(kicks))
    yield app
    app.extensions["keyproj"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def csrf_client(engine: Engine, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of an app that enforces CSRF tokens, as production does."""
    app = make_app(url_of(engine), tmp_path, csrf=True)
    yield app.test_client()
    app.extensions["keyproj"].engine.dispose()


@pytest.fixture
def county(county: County) -> County:
    """Liaisons of both towns, the key office and three projects; committed for the app."""
    county.with_people("chengguan", "shiqiao", "zdb")
    return county.with_projects("road", "school", "bridge").committed()


# Clients of the app running under the other jurisdictions' profiles (the default is Lianping's).
@pytest.fixture
def al_client(engine: Engine, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of the app running under Alxa Left Banner's profile."""
    with client_under(engine, tmp_path, "alxa_left") as client:
        yield client


@pytest.fixture
def hd_client(engine: Engine, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of the app running under Handan's profile."""
    with client_under(engine, tmp_path, "handan") as client:
        yield client


@pytest.fixture
def dc_client(engine: Engine, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of the app running under Dancheng's profile."""
    with client_under(engine, tmp_path, "dancheng") as client:
        yield client


@pytest.fixture
def gs_client(engine: Engine, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of the app running under Guangshan's profile."""
    with client_under(engine, tmp_path, "guangshan") as client:
        yield client
