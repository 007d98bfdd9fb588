"""The outbox: a submitted report asks for a scan in its own transaction; relays finish requests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from keyproj.db.models import OutboxMessage, Project, User
from keyproj.policy import load_profile
from keyproj.services.access import Viewer, viewer_for
from keyproj.services.projects import reports
from keyproj.services.projects.reports import ReportData
from keyproj.services.reference import outbox
from tests.builders import factories

NOW = datetime(2026, 3, 20, 2, tzinfo=UTC)
DATA = ReportData(
    total_investment=Decimal("12000"),
    cumulative_completed=Decimal("3000"),
    annual_plan_investment=Decimal("5000"),
    annual_completed=Decimal("1200"),
    start_status="started",
    started_on=date(2025, 12, 1),
    progress_pct=Decimal("25"),
)


@pytest.fixture
def factory(engine):
    made = sessionmaker(engine, expire_on_commit=False)
    with made() as session, session.begin():
        factories.unit(session, "T01")
        factories.project(session, "T01")
    return made


def liaison(session) -> Viewer:
    user = session.scalars(select(User).where(User.username == "liaison")).first()
    return viewer_for(session, user or factories.user(session, "liaison", "T01"))


def _submit(factory, profile, period="2026-02"):
    with factory() as session, session.begin():
        project = session.scalars(select(Project)).first()
        return reports.submit_report(
            session, None, project, period, DATA, profile, date(2026, 3, 20)
        )


def test_LP8_a_submitted_report_asks_for_a_scan_in_the_same_transaction(factory, profile):
    report = _submit(factory, profile)
    with factory() as session:
        request = session.scalars(select(OutboxMessage)).one()
    assert request.topic == outbox.SCAN
    assert request.payload == {
        "report_id": report.id,
        "project_id": report.project_id,
        "period": "2026-02",
    }
    assert request.done_at is None


def test_a_report_that_fails_validation_leaves_no_request(factory, profile):
    with pytest.raises(Exception, match="期次"):
        _submit(factory, profile, period="2026-13")
    with factory() as session:
        assert session.scalars(select(OutboxMessage)).all() == []


def test_AL6_a_report_waiting_for_the_heads_signature_asks_only_once_signed(factory):
    alxa = load_profile("alxa_left")
    with factory() as session, session.begin():
        project = session.scalars(select(Project)).one()
        report = reports.save_draft(
            session, liaison(session), project, "2026-03-1", DATA, alxa, date(2026, 3, 20)
        )
        reports.submit(session, liaison(session), report, alxa)
        assert report.status == "pending_sign_off"
        assert outbox.pending_count(session, outbox.SCAN) == 0
        head = viewer_for(session, factories.user(session, "head", "T01", "unit_head"))
        reports.sign_off(session, head, report)
        assert outbox.pending_count(session, outbox.SCAN) == 1


def test_one_relay_serves_every_pending_request_and_marks_them_done(factory, profile):
    _submit(factory, profile, "2026-01")
    _submit(factory, profile, "2026-02")
    calls: list[list[dict[str, Any]]] = []

    def relay(requests: list[dict[str, Any]]) -> str:
        calls.append(requests)
        return "ok"

    handled = outbox.handle_pending(factory, outbox.SCAN, relay, lambda: NOW)
    assert handled is not None
    assert handled.requests == 2
    assert handled.result == "ok"
    assert len(calls) == 1
    assert [r["period"] for r in calls[0]] == ["2026-01", "2026-02"]
    with factory() as session:
        assert outbox.pending_count(session, outbox.SCAN) == 0
        assert {m.done_at for m in session.scalars(select(OutboxMessage))} == {NOW}
    assert outbox.handle_pending(factory, outbox.SCAN, lambda rs: "again", lambda: NOW) is None


def test_a_failed_relay_keeps_the_requests_with_the_error_for_the_next_one(factory, profile):
    _submit(factory, profile)

    def broken(_requests):
        raise RuntimeError("数据库连接中断")

    with pytest.raises(RuntimeError):
        outbox.handle_pending(factory, outbox.SCAN, broken, lambda: NOW)
    with factory() as session:
        request = session.scalars(select(OutboxMessage)).one()
        assert request.done_at is None
        assert request.attempts == 1
        assert request.last_error == "数据库连接中断"
    retried = outbox.handle_pending(factory, outbox.SCAN, lambda rs: None, lambda: NOW)
    assert retried is not None
    assert retried.requests == 1
