"""Reminding the key office, near a cycle's end, of the planned projects not yet checked (LP10),
once per cycle."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import NotificationKind, Role, UnitKind
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer
from keyproj.services.notifications.store import Message, notify, office_users
from keyproj.services.spot_checks.views import plan_view

# The reminder reads the plan as the key office sees it: every project.
_OFFICE = Viewer(0, 0, frozenset({Role.KEY_OFFICE}))


def remind_unchecked(session: Session, profile: PolicyProfile, now: datetime) -> int:
    """From ``remind_days_before_end`` days before the cycle ends, tell the key office which
    planned projects are unchecked; how many notifications were new."""
    rules = profile.spot_checks
    if rules is None:
        return 0
    today = beijing_date(now)
    view = plan_view(session, profile, _OFFICE, None, today)
    if view.plan_id is None or today < view.cycle.end - timedelta(
        days=rules.remind_days_before_end
    ):
        return 0
    waiting = view.unchecked
    if not waiting:
        return 0
    names = "、".join(e.project_name for e in waiting)
    message = Message(
        NotificationKind.SPOT_CHECKS_DUE,
        f"{view.cycle.label}抽查计划尚有{len(waiting)}个项目未抽查",
        f"{view.cycle.label}抽查计划将于{view.cycle.end}结束，尚未抽查：{names}。",
        link=f"/spot-checks?cycle={view.cycle.key}",
    )
    people = office_users(session, UnitKind.KEY_OFFICE)
    return notify(session, [(u, f"spot_checks:{view.cycle.key}", message) for u in people], now)
