"""Who sees which interviews, and reading them: the offices and leaders read every one, a unit
its own (NotFound otherwise); only the key office and administrators manage them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session, selectinload

from keyproj.codes import (
    RESPONSIBLE_UNIT_KINDS,
    UNIT_STAFF_ROLES,
    CommitmentState,
    InterviewState,
    Role,
)
from keyproj.db.models import Interview, InterviewCommitment, Leader, Project, Unit
from keyproj.errors import Conflict, NotFound
from keyproj.paging import Page, Paging, fetch_page
from keyproj.policy import PolicyProfile
from keyproj.policy.interviews import Interviews
from keyproj.services.access import Viewer

NOT_SET = "本地制度未设约谈"
MANAGERS = (Role.KEY_OFFICE, Role.ADMIN)


def settings_of(profile: PolicyProfile) -> Interviews:
    """The profile's ``[interviews]`` values; Conflict where the local rules set no interviews."""
    if profile.interviews is None:
        raise Conflict(NOT_SET)
    return profile.interviews


def may_manage(viewer: Viewer) -> bool:
    """The key office and administrators propose, record, schedule, hold and dismiss."""
    return viewer.has(*MANAGERS)


def scope(viewer: Viewer) -> ColumnElement[bool]:
    """Interviews the viewer may read, as a WHERE clause."""
    if viewer.county_wide or viewer.has(Role.LEADER):
        return true()
    if viewer.has(*UNIT_STAFF_ROLES):
        return Interview.unit_id == viewer.unit_id
    return false()


def interview(session: Session, viewer: Viewer, interview_id: int) -> Interview:
    """One interview the viewer may read; NotFound otherwise."""
    found = session.scalar(select(Interview).where(Interview.id == interview_id, scope(viewer)))
    if found is None:
        raise NotFound(f"约谈 {interview_id} 不存在或无权查看")
    return found


def commitment(session: Session, viewer: Viewer, commitment_id: int) -> InterviewCommitment:
    """One commitment of an interview the viewer may read; NotFound otherwise."""
    found = session.get(InterviewCommitment, commitment_id)
    if found is None:
        raise NotFound(f"承诺事项 {commitment_id} 不存在或无权查看")
    interview(session, viewer, found.interview_id)
    return found


def is_overdue(row: InterviewCommitment, today: date) -> bool:
    """A commitment still open after its due day."""
    return row.state == CommitmentState.OPEN and row.due_on < today


def overdue_commitments(session: Session, today: date) -> list[InterviewCommitment]:
    """Every open commitment past its due day, oldest due first (the daily notice's rows)."""
    return list(
        session.scalars(
            select(InterviewCommitment)
            .where(
                InterviewCommitment.state == CommitmentState.OPEN,
                InterviewCommitment.due_on < today,
            )
            .order_by(InterviewCommitment.due_on, InterviewCommitment.id)
        )
    )


@dataclass(frozen=True)
class Choices:
    """What the key office's forms offer: units, projects, leaders."""

    units: list[tuple[int, str]]
    projects: list[tuple[int, str]]
    leaders: list[tuple[int, str]]


def choices(session: Session) -> Choices:
    """The towns and departments, the projects and the leaders, for the forms."""
    units = session.execute(
        select(Unit.id, Unit.name)
        .where(Unit.kind.in_(RESPONSIBLE_UNIT_KINDS), Unit.active)
        .order_by(Unit.code)
    ).all()
    projects = session.execute(select(Project.id, Project.name).order_by(Project.code)).all()
    leaders = session.execute(select(Leader.id, Leader.name, Leader.title).order_by(Leader.name))
    return Choices(
        [(i, n) for i, n in units],
        [(i, n) for i, n in projects],
        [(i, f"{n}（{t}）" if t else n) for i, n, t in leaders],
    )


def interview_page(
    session: Session, viewer: Viewer, paging: Paging, state: str | None = None
) -> Page[Interview]:
    """A page of the interviews the viewer may read, newest first, of one state when given."""
    query = (
        select(Interview)
        .where(scope(viewer))
        .options(
            selectinload(Interview.unit),
            selectinload(Interview.projects),
            selectinload(Interview.commitments),
        )
    )
    if state:
        query = query.where(Interview.state == InterviewState(state))
    order = (Interview.created_at.desc(), Interview.id.desc())
    return fetch_page(session, query.order_by(*order), paging)
