"""An interview's life (HD6): proposed by the system or recorded by the key office, scheduled
(time, place, leader), held (minutes and commitments) or dismissed with a reason; each
commitment marked done by the interviewed unit or the office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING, beijing_date
from keyproj.codes import (
    OPEN_INTERVIEW,
    UNIT_STAFF_ROLES,
    CommitmentState,
    InterviewState,
    InterviewTrigger,
)
from keyproj.db.models import Interview, InterviewCommitment, Project
from keyproj.errors import Conflict, PermissionDenied
from keyproj.inputs import LONG_TEXT
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.cases.numbering import next_interview_number
from keyproj.services.interviews import notices, typed
from keyproj.services.interviews.detect import findings
from keyproj.services.interviews.register import MANAGERS, commitment, interview, settings_of
from keyproj.services.interviews.typed import LABELS, CommitmentRow
from keyproj.validation import Checks


def propose(
    session: Session, profile: PolicyProfile, today: date, now: datetime, viewer: Viewer | None
) -> list[Interview]:
    """Store a proposal for each new finding (once per unit, trigger and subject) and tell the
    key office; the daily job runs it, the office may run it now."""
    if viewer is not None:
        require_role(viewer, *MANAGERS)
    found = findings(session, settings_of(profile), today)
    known = set(
        session.scalars(
            select(Interview.proposal_key).where(Interview.proposal_key.in_([f.key for f in found]))
        )
    )
    made = []
    for f in found:
        if f.key in known:
            continue
        known.add(f.key)
        row = Interview(
            unit_id=f.unit_id,
            trigger=f.trigger,
            state=InterviewState.PROPOSED,
            reason=f.reason,
            evidence=f.evidence,
            proposal_key=f.key,
            created_at=now,
            projects=[session.get_one(Project, pid) for pid in f.project_ids],
        )
        try:
            with session.begin_nested():  # the daily job and the office's button may race
                session.add(row)
        except IntegrityError:
            continue  # the other run proposed it: its proposal stands
        made.append(row)
    notices.proposed(session, made, now)
    return made


@dataclass(frozen=True)
class Record:
    """What the key office records for a trigger the system cannot find (or one it knows of
    otherwise): the unit, the trigger, why, the projects and, for 之六, the leader who asked."""

    unit_id: str
    trigger: str
    reason: str
    project_ids: list[str]
    requested_by_leader_id: str = ""


def record(
    session: Session, profile: PolicyProfile, viewer: Viewer, data: Record, now: datetime
) -> Interview:
    """The key office records an interview to hold (HD6 之四、之五、之六, or any trigger it knows of)."""
    require_role(viewer, *MANAGERS)
    settings_of(profile)
    checks = Checks(dict(LABELS))
    unit = typed.unit(session, checks, data.unit_id)
    trigger = InterviewTrigger.parse(data.trigger)
    if trigger is None:
        checks.fail("trigger", "请选择约谈制度所列六种情形之一")
    reason = checks.text("reason", data.reason, LONG_TEXT, required=True)
    projects = typed.projects(session, checks, data.project_ids)
    asked_by = typed.leader(
        session, checks, "requested_by_leader_id", data.requested_by_leader_id, False
    )
    if (
        trigger == InterviewTrigger.LEADER_REQUEST
        and asked_by is None
        and checks.ok("requested_by_leader_id")
    ):
        checks.fail("requested_by_leader_id", "第六种情形须写明认为确需约谈的分管市领导")
    checks.done()
    assert unit is not None
    assert trigger is not None
    assert reason is not None
    row = Interview(
        unit_id=unit.id,
        trigger=trigger,
        state=InterviewState.PROPOSED,
        reason=reason,
        requested_by_leader_id=asked_by.id if asked_by else None,
        created_at=now,
        created_by_id=viewer.user_id,
        projects=projects,
    )
    session.add(row)
    session.flush()
    return row


def schedule(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    interview_id: int,
    form: dict[str, str],
    now: datetime,
) -> Interview:
    """Set (or move) the interview's time, place and leader; the unit is told, and the notice
    of interview gets its number the first time."""
    require_role(viewer, *MANAGERS)
    settings_of(profile)
    row = _open(session, viewer, interview_id)
    checks = Checks(dict(LABELS))
    moment = typed.moment(checks, form.get("scheduled_at", ""), now)
    place = checks.text("place", form.get("place", ""), typed.PLACE_MAX, required=True)
    leader = typed.leader(session, checks, "leader_id", form.get("leader_id", ""), True)
    checks.done()
    assert moment is not None
    assert place is not None
    assert leader is not None
    row.scheduled_at, row.place, row.leader_id = moment, place, leader.id
    row.state, row.scheduled_by_id = InterviewState.SCHEDULED, viewer.user_id
    if row.number is None:
        row.number = next_interview_number(session, profile, beijing_date(now).year)
        row.numbered_at = now
    session.flush()
    notices.scheduled(session, row, now)
    return row


def hold(
    session: Session,
    viewer: Viewer,
    interview_id: int,
    held_on: str,
    minutes: str,
    rows: list[CommitmentRow],
    now: datetime,
) -> Interview:
    """Record the interview as held: the day, the minutes and the unit's commitments (each row
    with its text and due date; a wrong row is named by its number)."""
    require_role(viewer, *MANAGERS)
    row = interview(session, viewer, interview_id)
    if row.state != InterviewState.SCHEDULED:
        raise Conflict(f"约谈{row.state.label}，不能记录约谈情况（须先安排约谈）")
    checks = Checks(dict(LABELS))
    day = typed.day(checks, "held_on", held_on)
    if day is not None and day > beijing_date(now):
        checks.fail("held_on", f"约谈日期 {day} 晚于今天")
    text = checks.text("minutes", minutes, LONG_TEXT, required=True)
    made = typed.commitments(checks, rows, day)
    checks.done()
    assert day is not None
    assert text is not None
    row.held_at = datetime.combine(day, _local_time(row), tzinfo=BEIJING)
    row.minutes, row.held_recorded_by_id, row.state = text, viewer.user_id, InterviewState.HELD
    row.commitments = made
    session.flush()
    return row


def dismiss(
    session: Session, viewer: Viewer, interview_id: int, reason: str, now: datetime
) -> Interview:
    """The key office decides against an interview still to be held, and says why."""
    require_role(viewer, *MANAGERS)
    row = _open(session, viewer, interview_id)
    checks = Checks(dict(LABELS))
    text = checks.text("dismissed_reason", reason, LONG_TEXT, required=True)
    checks.done()
    row.state, row.dismissed_reason = InterviewState.DISMISSED, text
    row.dismissed_at, row.dismissed_by_id = now, viewer.user_id
    session.flush()
    return row


def complete(
    session: Session, viewer: Viewer, commitment_id: int, note: str, now: datetime
) -> InterviewCommitment:
    """The interviewed unit (or the key office) marks a commitment done, saying how."""
    row = commitment(session, viewer, commitment_id)
    own = viewer.has(*UNIT_STAFF_ROLES) and row.interview.unit_id == viewer.unit_id
    if not (own or viewer.has(*MANAGERS)):
        raise PermissionDenied("只有被约谈单位或重点办可以报告承诺事项完成情况")
    if row.state == CommitmentState.DONE:
        raise Conflict("该承诺事项已完成")
    checks = Checks(dict(LABELS))
    text = checks.text("done_note", note, LONG_TEXT, required=True)
    checks.done()
    row.state, row.done_note, row.done_at, row.done_by_id = (
        CommitmentState.DONE,
        text,
        now,
        viewer.user_id,
    )
    session.flush()
    return row


def _open(session: Session, viewer: Viewer, interview_id: int) -> Interview:
    row = interview(session, viewer, interview_id)
    if row.state not in OPEN_INTERVIEW:
        raise Conflict(f"约谈{row.state.label}，不能再变更")
    return row


def _local_time(row: Interview) -> time:
    """The interview's time of day as scheduled (09:00 when there is none)."""
    return row.scheduled_at.astimezone(BEIJING).time() if row.scheduled_at else time(9)
