"""Warnings that do not come from the scan (LP12): raised by hand from the key office's daily
supervision, and received from the provincial or city system through the API. Both start
their cases on the same path as the scan's and the file import's warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import COLOURS, WARNING_LEVELS, Role, WarningSource
from keyproj.db.models import EarlyWarning, Project, User
from keyproj.errors import Conflict
from keyproj.inputs import LONG_TEXT
from keyproj.policy import PolicyProfile
from keyproj.rules.base import Candidate, evidence
from keyproj.services.access import Viewer, require_role, visible_project
from keyproj.services.scan.feedback import feedback_records
from keyproj.services.scan.run import insert_warnings, route_new
from keyproj.services.scan.starting import start_missing_cases
from keyproj.validation import Checks

SUPERVISION = ("LP12",)
LABELS = {
    "project_id": "项目",
    "level": "预警等级",
    "colour": "预警颜色",
    "evidence": "预警依据",
}


@dataclass(frozen=True)
class HandWarning:
    """What the key office found in its daily supervision."""

    project_id: int
    level: str
    colour: str
    evidence: str


def raise_by_hand(
    session: Session, profile: PolicyProfile, viewer: Viewer, data: HandWarning, now: datetime
) -> EarlyWarning:
    """Raise a warning from daily supervision (LP12) and start its case like any other."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    project = visible_project(session, viewer, data.project_id)
    checks = Checks(LABELS)
    checks.choice("level", data.level, WARNING_LEVELS)
    checks.choice("colour", data.colour, COLOURS)
    text = checks.text("evidence", data.evidence, LONG_TEXT, required=True)
    checks.done()
    # The period names the day, numbered within it: a second warning on the same project and
    # day is a new warning, never a duplicate of the first.
    day = beijing_date(now).isoformat()
    rule_id = f"supervision_{data.level}"
    same_day = select(func.count()).where(
        EarlyWarning.project_id == project.id,
        EarlyWarning.rule_id == rule_id,
        EarlyWarning.period.like(f"{day}-%"),
    )
    number = (session.scalar(same_day) or 0) + 1
    candidate = Candidate(
        rule_id,
        project.id,
        f"{day}-{number}",
        data.level,
        data.colour,
        evidence(
            text or "", SUPERVISION, "重点办日常督查发现（LP12）", raised_by=_name(session, viewer)
        ),
        source=WarningSource.SUPERVISION,
    )
    inserted = insert_warnings(session, [candidate], now)
    if not inserted:
        raise Conflict("同一项目同时登记了另一条督查预警，请刷新后重试")
    warning_id = inserted[0][0]
    start_missing_cases(session, profile, now, warning_ids=[warning_id])
    return session.get_one(EarlyWarning, warning_id)


def _name(session: Session, viewer: Viewer) -> str:
    user = session.get_one(User, viewer.user_id)
    return user.display_name or user.username


@dataclass(frozen=True)
class Received:
    """What the API did with the warnings sent: each one's warning id, and which were new."""

    warning_ids: list[int]
    created: list[int]
    cases_started: int


def receive_feedback(
    session: Session, profile: PolicyProfile, viewer: Viewer, data: Any, now: datetime
) -> Received:
    """Warnings sent by the provincial or city system (LP12), checked as the file import checks
    them. A warning received before is not raised again: its existing id is returned."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN, Role.INTEGRATION)
    # One warning may come as a bare object; several as the file's {"warnings": [...]}.
    if isinstance(data, dict) and "warnings" not in data:
        data = [data]
    candidates = feedback_records(session, data)
    inserted = insert_warnings(session, candidates, now, profile)
    created = [warning_id for warning_id, _, _ in inserted]
    # Issue 15: only the warnings the profile's severity table sends to a case start one.
    opened = route_new(session, inserted, now)
    cases = start_missing_cases(session, profile, now, warning_ids=opened) if opened else 0
    keys = [(c.rule_id, c.project_id, c.period) for c in candidates]
    stored = {
        (w.rule_id, w.project_id, w.period): w.id
        for w in session.scalars(
            select(EarlyWarning)
            .where(
                tuple_(EarlyWarning.rule_id, EarlyWarning.project_id, EarlyWarning.period).in_(keys)
            )
            .order_by(EarlyWarning.id)
        )
    }
    return Received([stored[k] for k in keys], created, cases)


def supervised_projects(session: Session, viewer: Viewer) -> list[Project]:
    """The projects the key office may raise a warning on, in code order."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    return list(session.scalars(select(Project).order_by(Project.code)))
