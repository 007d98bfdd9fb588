"""Messages of decided items: an item past its deadline goes to the office that chaired its
meeting and to the key office, for 督办 (AL13 一是, DC3 三(三))."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from keyproj.codes import NotificationKind, UnitKind
from keyproj.services.decisions.progress import item_of_case
from keyproj.services.notifications.store import (
    CaseFacts,
    Delivery,
    Message,
    office_users,
    unit_users,
)


def overdue(session: Session, key: str, case: CaseFacts) -> Iterator[Delivery]:
    """The item's deadline passed without it done: the chairing office and the key office
    hear of it (the owner unit is reminded of its task by the task's own reminder)."""
    item = item_of_case(session, case.case_id)
    if item is None:
        return
    message = Message(
        NotificationKind.ITEM_OVERDUE,
        f"议定事项逾期：{item.origin_title}第{item.position}项",
        f"{item.origin_title}议定的事项“{item.matter}”（责任单位：{item.owner_unit.name}，"
        f"落实期限：{item.due_on.isoformat()}）已逾期未完成，请督办。",
        f"/cases/{case.case_id}",
        case.case_id,
    )
    recipients = set(office_users(session, UnitKind.KEY_OFFICE))
    if item.chair_unit_id is not None:
        for members in unit_users(session, [item.chair_unit_id]).values():
            recipients.update(members)
    for user_id in sorted(recipients):
        yield user_id, key, message
