"""The API against its own OpenAPI document: every operation, every check, both databases, two roles.

schemathesis reads ``/api/v1/openapi.json`` from the app served on a local port and sends
what the document allows and what it forbids (examples, boundary values, random and
stateful sequences), as the key office and as a unit liaison, on SQLite and PostgreSQL.
Every check of schemathesis runs: no 5xx, every answer as the document describes it (status,
content type, headers, body), no invalid request accepted, no valid one refused. The seed
and the number of examples are fixed, so a run is repeatable and stays within the suite's
time budget; a failure prints each operation with the request that reproduces it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import schemathesis
from schemathesis.engine import events

from tests.builders.database import url_of
from tests.builders.web import bearer, inbox_county, make_app, served

SEED = 20260303
MAX_EXAMPLES = 25  # per operation and phase


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
def token(request, session, clock):
    """A token of the key office or of 城关镇's liaison, in a county with cases, tasks,
    issues, reports and warnings to read and write (Tuesday 3 March 2026, 09:00)."""
    county = inbox_county(session, clock)
    county.issue(county.road, "征地补偿未谈妥", date(2026, 1, 5))
    county.report(county.road, "monthly", "2026-01", annual="800", pct="12.5")
    county.road.total_investment = Decimal("12000")
    session.commit()
    return bearer(session, county.users[request.param])


def test_every_operation_keeps_to_the_document(engine, token, tmp_path):
    app = make_app(url_of(engine), tmp_path, csrf=False)
    with served(app) as base:
        schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json")
        schema.config.update(headers=token, continue_on_failure=True)
        schema.config.seed = SEED
        schema.config.generation.update(
            max_examples=MAX_EXAMPLES, deterministic=True, database="none"
        )
        found = findings(schema)
    app.extensions["keyproj"].engine.dispose()
    assert not found, f"{len(found)} findings:\n\n" + "\n\n".join(found)
