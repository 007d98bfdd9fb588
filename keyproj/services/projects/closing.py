"""Who hears of a request to close an issue (销号), and of the key office's answer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from keyproj.clock import now_utc
from keyproj.codes import NotificationKind, UnitKind
from keyproj.db.models import ProjectIssue
from keyproj.services.notifications.store import Message, active_users, notify, office_users


def tell_key_office(session: Session, issue: ProjectIssue) -> int:
    """Notify the key office that a unit asks to close the issue."""
    now = now_utc()
    message = Message(
        NotificationKind.ISSUE_CLOSE,
        f"销号申请待确认：{issue.title}",
        f"{issue.project.name}的问题“{issue.title}”已由责任单位申请销号，请确认或退回。",
        f"/issues/{issue.id}",
    )
    key = f"issue:{issue.id}:close:{now.isoformat()}"
    return notify(
        session, ((u, key, message) for u in office_users(session, UnitKind.KEY_OFFICE)), now
    )


def tell_requester(session: Session, issue: ProjectIssue, *, confirmed: bool) -> int:
    """Notify whoever asked to close the issue of the key office's answer."""
    now = now_utc()
    if confirmed:
        title, body = f"销号已确认：{issue.title}", f"重点办已确认问题“{issue.title}”销号。"
    else:
        title = f"销号申请被退回：{issue.title}"
        body = f"重点办退回了问题“{issue.title}”的销号申请，理由：{issue.close_refusal}"
    message = Message(NotificationKind.ISSUE_CLOSE, title, body, f"/issues/{issue.id}")
    key = f"issue:{issue.id}:answer:{now.isoformat()}"
    people = active_users(session, [issue.close_requested_by_id])
    return notify(session, ((u, key, message) for u in people), now)
