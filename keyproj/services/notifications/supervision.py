"""Messages of the supervision ledger: a major issue listed (LP13), a filing past its deadline (LP20)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import UNIT_STAFF_ROLES, NotificationKind, UnitKind
from keyproj.db.models import SupervisionMatter, Unit
from keyproj.services.notifications.store import (
    CaseFacts,
    Delivery,
    Message,
    beijing_time,
    office_users,
    unit_users,
)


def major_listed(
    session: Session,
    key: str,
    case: CaseFacts,
    number: str,
    lead: Unit | None,
    phase_codes: list[str],
) -> Iterator[Delivery]:
    """LP13: the notice's major issue and its responsibility split, to the supervision office."""
    split = [f"牵头责任单位{lead.name}"] if lead else []
    phases = _names(session, phase_codes)
    split += [f"阶段性责任单位{phases}"] if phases else []
    names = "；".join(split)
    message = Message(
        NotificationKind.SUPERVISION_LISTED,
        f"重大问题列入督查台账：{number}",
        f"重点办就{case.label}发出预警催办通知（{number}），列明为重大问题，"
        f"责任分工：{names or '未明确'}。已列入督查台账，请督查室跟踪督办。",
        "/supervision?state=listed",
        case.case_id,
    )
    for user_id in office_users(session, UnitKind.SUPERVISION_OFFICE):
        yield user_id, key, message


def overdue(session: Session, key: str, case: CaseFacts) -> Iterator[Delivery]:
    """LP20 限期: the supervision office and the responsible units are reminded; the matter
    stays open for its result."""
    row = session.scalars(
        select(SupervisionMatter)
        .where(SupervisionMatter.case_id == case.case_id)
        .order_by(SupervisionMatter.id.desc())
    ).first()
    if row is None:
        return
    number = row.filing_number or "督查事项"
    due = beijing_time(row.due_at) if row.due_at else "期限"
    message = Message(
        NotificationKind.SUPERVISION_OVERDUE,
        f"督查事项逾期：{number}",
        f"{case.label}的督查立项事项（{number}）已超过办结期限{due}，请责任单位抓紧落实并报告，"
        "督查室跟踪督办。",
        f"/cases/{case.case_id}",
        case.case_id,
    )
    recipients = set(office_users(session, UnitKind.SUPERVISION_OFFICE))
    for members in unit_users(session, row.unit_ids, UNIT_STAFF_ROLES).values():
        recipients.update(members)
    for user_id in sorted(recipients):
        yield user_id, key, message


def _names(session: Session, codes: list[str]) -> str:
    if not codes:
        return ""
    found = {u.code: u.name for u in session.scalars(select(Unit).where(Unit.code.in_(codes)))}
    return "、".join(found.get(c, c) for c in codes)
