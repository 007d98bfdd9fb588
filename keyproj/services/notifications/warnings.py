"""Reminders instead of cases: a warning the profile's severity table only reminds of (issue 15).

The responsible unit's liaisons (or, without any, its users) are told once per warning; a
warning is raised once per (rule, project, period), so a late report is reminded of once.
A portfolio warning (no project) goes to the key office.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import NotificationKind, Role, UnitKind
from keyproj.db.models import EarlyWarning, Project
from keyproj.rules import rule_title
from keyproj.rules.base import among
from keyproj.services.notifications.reminders import registered_liaisons
from keyproj.services.notifications.store import (
    Delivery,
    Message,
    notify,
    office_users,
    unit_users,
)


def remind_units(session: Session, warning_ids: Sequence[int], now: datetime) -> int:
    """Remind each warning's responsible unit of it; returns how many notifications are new."""
    if not warning_ids:
        return 0
    return notify(session, _deliveries(session, list(warning_ids)), now)


def _deliveries(session: Session, warning_ids: list[int]) -> Iterator[Delivery]:
    rows = session.execute(
        select(EarlyWarning.id, EarlyWarning.rule_id, EarlyWarning.evidence, Project)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .where(among(EarlyWarning.id, warning_ids))
        .order_by(EarlyWarning.id)
    ).all()
    units = sorted({r.Project.lead_unit_id for r in rows if r.Project is not None})
    people = _unit_people(session, units)
    key_office = office_users(session, UnitKind.KEY_OFFICE)
    for row in rows:
        title = rule_title(row.rule_id)
        summary = str((row.evidence or {}).get("summary", ""))
        project = row.Project
        if project is None:
            message = Message(NotificationKind.WARNING_REMINDER, f"预警提醒：{title}", summary)
            recipients = key_office
        else:
            body = (
                f"项目“{project.name}”{title}：{summary}"
                "请责任单位及时处理；本提醒暂不启动协调处置程序。"
            )
            link = f"/projects/{project.id}"
            message = Message(
                NotificationKind.WARNING_REMINDER, f"{title}：{project.name}", body, link
            )
            recipients = people.get(project.lead_unit_id, [])
        for user_id in recipients:
            yield user_id, f"warning:{row.id}", message


def _unit_people(session: Session, unit_ids: list[int]) -> dict[int, list[int]]:
    """Each unit's liaisons (role or registry, LP5/AL8); all its users when it has none."""
    liaisons = unit_users(session, unit_ids, [Role.UNIT_LIAISON])
    registered = registered_liaisons(session, unit_ids)
    everyone = unit_users(session, unit_ids)
    found: dict[int, list[int]] = {}
    for unit in unit_ids:
        named = set(liaisons.get(unit, [])) | set(registered.get(unit, []))
        found[unit] = sorted(named or everyone.get(unit, []))
    return found
