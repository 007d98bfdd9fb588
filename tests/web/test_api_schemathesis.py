"""The API against its own OpenAPI document: every operation, every check, both databases, two roles.

schemathesis reads ``/api/v1/openapi.json`` from the app served on a local port and sends
what the document allows and what it forbids (examples, boundary values, random and
stateful sequences), as the key office and as a unit liaison, on SQLite and PostgreSQL.
Every check of schemathesis runs: no 5xx, every answer as the document describes it (status,
content type, headers, body), no invalid request accepted, no valid one refused. The seed
and the number of examples are fixed, so a run is repeatable and stays within the suite's
time budget; a failure prints each operation with the request that reproduces it.

The coverage phase (every boundary and every kind of invalid value of each parameter, some
1,200 requests) runs as the key office on both databases: how a value is read does not
depend on who sends it. The liaison's runs keep the examples, the random and the stateful
phases, where the liaison's narrower scope shows. The four runs take about 150 s.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import requests
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events

from tests.builders.database import url_of
from tests.builders.web import bearer, inbox_county, make_app, served

pytestmark = pytest.mark.slow

SEED = 20260303
MAX_EXAMPLES = 25  # per operation and phase
# A request the document allows may still break a rule of the domain that no schema can
# state: a unit code that does not exist, a period not yet open, a completed amount above
# the total, a task form naming units outside the case. The writes answer those with a 422
# naming the field, which is the accepted answer to such valid-looking data.
DOMAIN_RULES = ["2xx", "401", "403", "404", "409", "422"]


def config(base_url: str, headers: dict[str, str], coverage: bool) -> SchemathesisConfig:
    """Every check; every phase (the coverage phase if asked); fixed seed and example count;
    no example database on disk."""
    return SchemathesisConfig.from_dict(
        {
            "base-url": base_url,
            "phases": {"coverage": {"enabled": coverage}},
            "seed": SEED,
            "headers": headers,
            "continue-on-failure": True,
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "operations": [
                {
                    "include-method": "POST",
                    "checks": {"positive_data_acceptance": {"expected-statuses": DOMAIN_RULES}},
                }
            ],
        }
    )


def findings(schema: schemathesis.BaseSchema) -> list[str]:
    """Every failed check and every error of a whole run, each with its reproducing request."""
    found: list[str] = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for checks in event.recorder.checks.values():
                found.extend(
                    f"{event.recorder.label} [{event.phase.value}] {check.name}: "
                    f"{info.failure.title}\n{info.failure.message}\n{info.code_sample}"
                    for check in checks
                    if (info := check.failure_info) is not None
                )
        elif isinstance(event, events.NonFatalError):
            found.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            found.append(f"the run stopped: {event.exception!r}")
    return found


@pytest.fixture(params=["zdb", "town"], ids=["key_office", "liaison"])
def who(request) -> str:
    """The key office's user, or 城关镇's liaison."""
    return str(request.param)


@pytest.fixture
def token(who, session, clock):
    """A token of the key office or of 城关镇's liaison, in a county with cases, tasks,
    issues, reports and warnings to read and write (Tuesday 3 March 2026, 09:00)."""
    county = inbox_county(session, clock)
    county.issue(county.road, "征地补偿未谈妥", date(2026, 1, 5))
    county.report(county.road, "monthly", "2026-01", annual="800", pct="12.5")
    county.road.total_investment = Decimal("12000")
    county.plan(county.road, 2026, [("2026-01", "600", "10"), ("2026-02", "600", "20")])
    session.commit()
    return bearer(session, county.users[who])


def test_every_operation_keeps_to_the_document(engine, who, token, tmp_path):
    app = make_app(url_of(engine), tmp_path, csrf=False)
    with served(app) as base:
        # Loaded as a document rather than from its address, so that the operation serving
        # the document is tested too (schemathesis leaves out the one it was loaded from).
        document = requests.get(f"{base}/api/v1/openapi.json", timeout=10).json()
        schema = schemathesis.openapi.from_dict(
            document, config=config(base, token, coverage=who == "zdb")
        )
        operations = sum(len(methods) for methods in document["paths"].values())
        assert len(list(schema.get_all_operations())) == operations == 43
        found = findings(schema)
    app.extensions["keyproj"].engine.dispose()
    assert not found, f"{len(found)} findings:\n\n" + "\n\n".join(found)
