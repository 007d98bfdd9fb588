"""Agenda items (DC3): a unit submits progress, issues and requests for its project; the
project's leader in charge (分包领导) approves or returns it; who may see which meeting."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from keyproj.codes import UNIT_STAFF_ROLES, MeetingState, NotificationKind, Role, SubmissionState
from keyproj.db.models import AgendaSubmission, Leader, Meeting, MeetingInvite, Project
from keyproj.errors import FieldError, NotFound, PermissionDenied, ValidationError
from keyproj.services.access import Viewer
from keyproj.services.notifications.store import Message, notify

TEXT_LIMIT = 2000
FIELDS = {"progress": "项目进展情况", "issues": "存在问题", "requests": "需要解决事项"}


def meeting_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Meetings the viewer may see: offices and leaders all, a unit those it is asked to and
    those it holds itself (HD4)."""
    if viewer.county_wide or viewer.has(Role.LEADER):
        return true()
    if not viewer.has(*UNIT_STAFF_ROLES):
        return Meeting.id < 0
    invited = select(MeetingInvite.meeting_id).where(MeetingInvite.unit_id == viewer.unit_id)
    return or_(Meeting.id.in_(invited), Meeting.host_unit_id == viewer.unit_id)


def visible_meeting(session: Session, viewer: Viewer, meeting_id: int) -> Meeting:
    """The meeting if the viewer may see it; NotFound otherwise (no existence leak)."""
    meeting = session.scalar(select(Meeting).where(Meeting.id == meeting_id, meeting_scope(viewer)))
    if meeting is None:
        raise NotFound(f"会议 {meeting_id} 不存在或无权查看")
    return meeting


def submission_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Submissions the viewer sees: offices all, a leader those of their projects, a unit its own."""
    if viewer.county_wide:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if viewer.has(*UNIT_STAFF_ROLES):
        clauses.append(AgendaSubmission.unit_id == viewer.unit_id)
    if viewer.leader_id is not None:
        led = select(Project.id).where(Project.leader_id == viewer.leader_id)
        clauses.append(AgendaSubmission.project_id.in_(led))
    return or_(*clauses) if clauses else AgendaSubmission.id < 0


def submit(
    session: Session, viewer: Viewer, meeting_id: int, form: Mapping[str, str], now: datetime
) -> AgendaSubmission:
    """A unit's agenda item for one of its projects; a returned item is submitted again."""
    meeting = visible_meeting(session, viewer, meeting_id)
    if not viewer.has(*UNIT_STAFF_ROLES) or viewer.unit_id not in {
        i.unit_id for i in meeting.invites
    }:
        raise PermissionDenied("只有被征集议题的责任单位可以报送议题")
    if meeting.state != MeetingState.COLLECTING:
        raise ValidationError.single("meeting", "会议", "本次会议不在议题征集阶段")
    project = _own_project(session, viewer, form.get("project_code", ""))
    texts = _texts(form)
    row = session.scalar(
        select(AgendaSubmission).where(
            AgendaSubmission.meeting_id == meeting.id, AgendaSubmission.project_id == project.id
        )
    )
    if row is not None and row.state != SubmissionState.RETURNED:
        raise ValidationError.single("project_code", "项目", "该项目本次会议的议题已报送")
    if row is None:
        row = AgendaSubmission(meeting_id=meeting.id, unit_id=viewer.unit_id, project_id=project.id)
        session.add(row)
    row.progress = texts["progress"] or ""  # _texts refuses an empty one
    row.issues, row.requests = texts["issues"], texts["requests"]
    row.state, row.submitted_by_id, row.submitted_at = (
        SubmissionState.SUBMITTED,
        viewer.user_id,
        now,
    )
    row.reviewed_by_id = row.reviewed_at = row.review_note = None
    session.flush()
    _tell_leader(session, project, meeting, now)
    return row


def review(
    session: Session,
    viewer: Viewer,
    submission_id: int,
    approve: bool,
    note: str,
    now: datetime,
) -> AgendaSubmission:
    """The project's leader in charge approves the item, or returns it with the reason."""
    row = session.get(AgendaSubmission, submission_id)
    if row is None:
        raise NotFound(f"议题 {submission_id} 不存在")
    project = row.project
    if not _reviews(viewer, project):
        raise PermissionDenied("只有该项目的分包领导可以审核议题")
    if row.state != SubmissionState.SUBMITTED:
        raise ValidationError.single("submission", "议题", "该议题不在待审核状态")
    note = note.strip()
    if not approve and not note:
        raise ValidationError.single("note", "退回理由", "退回时请写明理由")
    if len(note) > TEXT_LIMIT:
        raise ValidationError.single("note", "审核意见", f"不能超过{TEXT_LIMIT}个字")
    row.state = SubmissionState.APPROVED if approve else SubmissionState.RETURNED
    row.reviewed_by_id, row.reviewed_at, row.review_note = viewer.user_id, now, note or None
    session.flush()
    return row


def _reviews(viewer: Viewer, project: Project) -> bool:
    # DC3: 经项目分包领导同意. A project without a leader is approved by the key office.
    if project.leader_id is not None:
        return viewer.leader_id == project.leader_id
    return viewer.has(Role.KEY_OFFICE)


def _own_project(session: Session, viewer: Viewer, code: str) -> Project:
    code = code.strip()
    if not code:
        raise ValidationError.single("project_code", "项目", "请选择项目")
    project = session.scalar(select(Project).where(Project.code == code))
    if project is None or project.lead_unit_id != viewer.unit_id:
        raise ValidationError.single("project_code", "项目", f"“{code}”不是本单位牵头的项目")
    return project


def _texts(form: Mapping[str, str]) -> dict[str, str | None]:
    errors: list[FieldError] = []
    out: dict[str, str | None] = {}
    for name, label in FIELDS.items():
        value = (form.get(name) or "").strip()
        if name == "progress" and not value:
            errors.append(FieldError(name, label, "请填写项目进展情况"))
        if len(value) > TEXT_LIMIT:
            errors.append(FieldError(name, label, f"不能超过{TEXT_LIMIT}个字"))
        out[name] = value or None
    if errors:
        raise ValidationError(errors)
    return out


def _tell_leader(session: Session, project: Project, meeting: Meeting, now: datetime) -> None:
    user_id = session.scalar(select(Leader.user_id).where(Leader.id == project.leader_id))
    if user_id is None:
        return
    message = Message(
        NotificationKind.AGENDA_REVIEW,
        f"“{project.name}”的会议议题待您审核",
        f"{meeting.held_on:%Y年%m月%d日}会议的议题已由责任单位报送，请审核。",
        f"/meetings/{meeting.id}",
    )
    notify(
        session,
        [(user_id, f"agenda-review:{meeting.id}:{project.id}:{now.isoformat()}", message)],
        now,
    )
