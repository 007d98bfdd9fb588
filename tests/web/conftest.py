"""Web fixtures: the app on the test database (SQLite and PostgreSQL), clients, a small county."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


def _client_under(fixture: str, profile: str, name: str) -> Callable[..., Iterator[FlaskClient]]:
    """The fixture ``fixture``: a client of the app running under ``profile`` (``name``'s)."""

    def jurisdiction_client(engine: Engine, tmp_path: Path) -> Iterator[FlaskClient]:
        with client_under(engine, tmp_path, profile) as client:
            yield client

    jurisdiction_client.__doc__ = f"A client of the app running under {name}'s profile."
    return pytest.fixture(name=fixture)(jurisdiction_client)


# Clients of the app running under the other jurisdictions' profiles (the default is Lianping's).
al_client = _client_under("al_client", "alxa_left", "Alxa Left Banner")
hd_client = _client_under("hd_client", "handan", "Handan")
dc_client = _client_under("dc_client", "dancheng", "Dancheng")
gs_client = _client_under("gs_client", "guangshan", "Guangshan")
