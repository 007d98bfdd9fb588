"""Acceptance over the demo county (LP13): on its first day the key office's triage shows the
warnings as at most one matter per project and unit; a bulk notice, a merge and a dismissal
work and are recorded; at the end every warning is in a case or a recorded dismissal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.codes import Role, UnitKind, WarningStatus
from keyproj.db.models import AdminChange, Case, CaseEvent, EarlyWarning, Unit, User, UserRole
from keyproj.demo.loader import load_demo
from keyproj.paging import Paging
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.scan.run import run_scan
from keyproj.services.triage import actions, notices
from keyproj.services.triage.queue import QueueGroup, queue_page
from tests.builders import factories
from tests.builders.clock import FrozenClock, beijing
from tests.builders.triage import issue_all_queued

pytestmark = pytest.mark.slow

TODAY = date(2026, 11, 23)


def whole_queue(session: Session, viewer, profile) -> list[QueueGroup]:  # type: ignore[no-untyped-def]
    first = queue_page(session, viewer, profile, Paging(1, 100))
    groups = list(first.items)
    for n in range(2, first.pages + 1):
        groups += queue_page(session, viewer, profile, Paging(n, 100)).items
    return groups


def test_LP13_the_demo_countys_first_day_in_triage_ends_with_every_warning_accounted_for(
    session: Session, clock: FrozenClock
):
    profile = load_profile("lianping")
    load_demo(session, profile, TODAY)
    session.commit()
    now = clock.at(beijing(TODAY, 10))
    scanned = run_scan(session, profile, TODAY, now)
    session.commit()
    office = session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.KEY_OFFICE).order_by(User.id)
    ).first()
    assert office is not None
    zdb = viewer_for(session, office)

    # The first day: nothing started, everything in triage, one matter per project and unit.
    assert scanned.new_warnings > 0
    assert scanned.cases_started == 0
    groups = whole_queue(session, zdb, profile)
    keys = [(g.project_id, g.unit_id) for g in groups]
    assert len(keys) == len(set(keys))
    assert len({g.project_id for g in groups}) == len(groups)
    # Only the warnings the profile's severity sends to a case wait here; late reports only
    # reminded their units (issue 15 Build 2).
    reminded = session.scalar(
        select(func.count())
        .select_from(EarlyWarning)
        .where(EarlyWarning.status.in_([WarningStatus.REMINDED, WarningStatus.BOARD]))
    )
    assert reminded
    assert sum(len(g.warnings) for g in groups) == scanned.new_warnings - reminded
    several = [g for g in groups if len(g.warnings) > 1]
    assert several, "some project has more than one warning: one matter covers them"

    # A bulk notice over a selection across projects: one case per project.
    projects = [g for g in groups if g.project_id is not None]
    chosen = [several[0], *[g for g in projects if g is not several[0]][:2]]
    ids = [w.id for g in chosen for w in g.warnings]
    cases = notices.issue_bulk(session, zdb, ids, profile, now)
    session.commit()
    assert len(cases) == 3
    covered = session.scalars(select(EarlyWarning.case_id).where(EarlyWarning.id.in_(ids)))
    assert set(covered) == {c.id for c in cases}

    # A new finding on a project with an open case is merged into it, on its timeline.
    target = cases[0]
    project = target.warning.project
    assert project is not None
    extra = factories.warning(session, project, "2026-11-23-1", rule_id="supervision_issue")
    actions.merge_into_case(session, zdb, [extra.id], target.id, now)
    session.commit()
    kinds = session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == target.id).order_by(CaseEvent.seq)
    )
    assert list(kinds)[-1] == "warning_merged"

    # One matter dismissed with its reason, in the change log.
    dismissed = next(g for g in projects if g not in chosen)
    actions.dismiss(
        session,
        zdb,
        [w.id for w in dismissed.warnings],
        "已在县专题会议上研究，不再单独发通知",
        now,
    )
    session.commit()
    logged = session.scalar(
        select(func.count())
        .select_from(AdminChange)
        .where(AdminChange.action == "warning_dismissed")
    )
    assert logged == len(dismissed.warnings)

    # The rest as the office would, one notice per matter: nothing is left, nothing lost.
    key_office = session.scalars(select(Unit.code).where(Unit.kind == UnitKind.KEY_OFFICE)).first()
    issue_all_queued(session, profile, now, portfolio_unit=str(key_office))
    session.commit()
    assert whole_queue(session, zdb, profile) == []
    for warning in session.scalars(select(EarlyWarning)):
        if warning.status in (WarningStatus.REMINDED, WarningStatus.BOARD):
            assert warning.case_id is None  # recorded as a reminder or on the board
        elif warning.status == WarningStatus.DISMISSED:
            assert warning.dismissal_reason
            assert warning.dismissed_by_id == office.id
        else:
            assert warning.case_id is not None, warning.id
            assert session.get(Case, warning.case_id) is not None
