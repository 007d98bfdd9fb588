"""The official documents a case has issued, as the case's events recorded them (LP13, LP16, LP20).

Each is built for a viewer who may see the case; another viewer gets NotFound, as for the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.codes import DocumentKind, EscalationReason, WarningLevel
from keyproj.db.models import Case, CaseEvent, Unit
from keyproj.errors import NotFound
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, may_see_case
from keyproj.services.cases import events
from keyproj.services.cases.events import EventKind
from keyproj.services.documents.layout import OfficialDocument
from keyproj.services.org import MAX_ID
from keyproj.services.reference.identity import Identity, county_identity

SUPERVISION_TASK = "supervision_file"  # the diagram's LP20 task, which numbers the filing notice


@dataclass
class _Issued:
    """What the case's events say about its documents."""

    start: dict[str, Any]
    notice: events.Notice | None = None
    escalated: tuple[str, datetime] | None = None  # reason, when
    supervision: tuple[dict[str, Any], datetime] | None = None  # engine input, when


def issued_documents(session: Session, viewer: Viewer, case_id: int) -> list[DocumentKind]:
    """The documents the case has issued so far, in the order of the process."""
    issued = _read(session, viewer, case_id)
    found = [
        (DocumentKind.NOTICE, issued.notice),
        (DocumentKind.ESCALATION, issued.escalated),
        (DocumentKind.SUPERVISION, issued.supervision),
    ]
    return [kind for kind, event in found if event is not None]


def case_document(
    session: Session, viewer: Viewer, case_id: int, kind: str, profile: PolicyProfile
) -> OfficialDocument:
    """One document of the case, laid out in parts; NotFound if it has not been issued."""
    issued = _read(session, viewer, case_id)
    county = county_identity(session, profile)
    if kind == DocumentKind.NOTICE and issued.notice is not None:
        return _notice(session, issued, issued.notice, county)
    if kind == DocumentKind.ESCALATION and issued.escalated is not None:
        return _escalation(issued, *issued.escalated, county)
    if kind == DocumentKind.SUPERVISION and issued.supervision is not None:
        return _supervision(session, issued, *issued.supervision, county)
    label = DocumentKind.label_of(kind) if DocumentKind.parse(kind) else "该文书"
    raise NotFound(f"案件 {case_id} 尚未签发{label}")


def _read(session: Session, viewer: Viewer, case_id: int) -> _Issued:
    case = session.get(Case, case_id) if 0 < case_id <= MAX_ID else None
    if case is None or not may_see_case(session, viewer, case):
        raise NotFound(f"案件 {case_id} 不存在")
    query = (
        select(CaseEvent)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.kind.in_([EventKind.CASE_STARTED, EventKind.COMPLETED, EventKind.ESCALATED]),
        )
        .order_by(CaseEvent.seq)
    )
    issued = _Issued({})
    for event in session.scalars(query):
        if event.kind == EventKind.CASE_STARTED:
            issued.start = events.read_started(event).start
        elif event.kind == EventKind.ESCALATED and issued.escalated is None:
            reason = events.read_escalated(event)
            # An overdue decided item goes to its meeting's 督办单位 (DC7 三(三)), not to the
            # county government: it issues no 提请县政府协调 letter.
            if reason != EscalationReason.ITEM_OVERDUE:
                issued.escalated = (reason, event.occurred_at)
        elif event.task_name == events.NOTICE_TASK:
            issued.notice = events.read_notice(event)
        elif event.task_name == SUPERVISION_TASK:
            issued.supervision = (events.read_completed(event).engine_input, event.occurred_at)
    return issued


def _notice(
    session: Session, issued: _Issued, notice: events.Notice, county: Identity
) -> OfficialDocument:
    form, start = notice.form, issued.start
    body = [f"你单位牵头负责的“{start.get('project_name')}”项目已列为{_level(form)}。"]
    body += [line for line in str(form.get("notice_text", "")).splitlines() if line.strip()]
    if start.get("response_working_days") and start.get("outcome_working_days"):
        body.append(
            f"请于收到本通知后{start['response_working_days']}个工作日内反馈受理情况，"
            f"{start['outcome_working_days']}个工作日内报告协调成效；"
            "需较长时间解决的事项，请及时报告进展情况。"
        )
    issued_on = datetime.fromisoformat(notice.issued_at).date() if notice.issued_at else None
    return OfficialDocument(
        issuer=county.notice_issuer,
        number=notice.number,
        title=DocumentKind.NOTICE.label,
        addressee=_unit_name(session, form.get("lead_unit_code")),
        body=body,
        signature=county.notice_issuer,
        date_text=_written(issued_on),
        copied_to=[_unit_name(session, c) for c in form.get("phase_unit_codes", [])],
    )


def _escalation(issued: _Issued, reason: str, when: datetime, county: Identity) -> OfficialDocument:
    project = issued.start.get("project_name") or "有关"
    number = f"（预警催办通知{issued.notice.number}）" if issued.notice else ""
    body = [
        f"“{project}”项目已列为{_level(issued.notice.form if issued.notice else issued.start)}{number}。",
        f"因{EscalationReason.label_of(reason) or '问题未能解决'}，现提请县政府协调解决。",
        "特此报告。",
    ]
    return OfficialDocument(
        issuer=county.notice_issuer,
        number=None,
        title=f"关于提请协调解决“{project}”项目问题的报告",
        addressee=f"{county.county_name}人民政府",
        body=body,
        signature=county.notice_issuer,
        date_text=_written(when.astimezone(BEIJING).date()),
    )


def _supervision(
    session: Session,
    issued: _Issued,
    engine_input: dict[str, Any],
    when: datetime,
    county: Identity,
) -> OfficialDocument:
    form = engine_input.get(SUPERVISION_TASK) or {}
    project = issued.start.get("project_name") or "有关"
    due = str(form.get("due_date", ""))
    body = [f"“{project}”项目建设中的重大问题已纳入督查台账，现予督查立项。"]
    body += [line for line in str(form.get("requirements", "")).splitlines() if line.strip()]
    if due:
        body.append(f"请于{_written(date.fromisoformat(due))}前落实工作责任、办结并报送落实情况。")
    lead = issued.notice.form.get("lead_unit_code") if issued.notice else None
    return OfficialDocument(
        issuer=county.supervision_issuer,
        number=engine_input.get("supervision_number"),
        title=DocumentKind.SUPERVISION.label,
        addressee=_unit_name(session, lead) if lead else "有关单位",
        body=body,
        signature=county.supervision_issuer,
        date_text=_written(when.astimezone(BEIJING).date()),
    )


def _level(data: dict[str, Any]) -> str:
    return WarningLevel.label_of(data.get("level")) or "预警项目"


def _unit_name(session: Session, code: Any) -> str:
    name = session.scalar(select(Unit.name).where(Unit.code == str(code or "")))
    return name or str(code or "")


def _written(day: date | None) -> str:
    """A date as documents write it: 2026年3月2日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
