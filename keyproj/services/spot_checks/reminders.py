"""Reminding the key office, near a cycle's end, of the planned projects not yet checked (LP10),
once per cycle."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import NotificationKind, UnitKind
from keyproj.db.models import Project, SpotCheck, SpotCheckEntry
from keyproj.policy import PolicyProfile
from keyproj.services.notifications.store import Message, notify, office_users
from keyproj.services.spot_checks.plans import cycle_of, plan_for


def remind_unchecked(session: Session, profile: PolicyProfile, now: datetime) -> int:
    """From ``remind_days_before_end`` days before the cycle ends, tell the key office which
    planned projects are unchecked; how many notifications were new."""
    rules = profile.spot_checks
    if rules is None:
        return 0
    today = beijing_date(now)
    cycle = cycle_of(profile, today)
    plan = plan_for(session, cycle.key)
    if plan is None or today < cycle.end - timedelta(days=rules.remind_days_before_end):
        return 0
    checked = select(SpotCheck.project_id).where(
        SpotCheck.checked_on >= cycle.start, SpotCheck.checked_on <= cycle.end
    )
    waiting = list(
        session.scalars(
            select(Project.name)
            .join(SpotCheckEntry, SpotCheckEntry.project_id == Project.id)
            .where(
                SpotCheckEntry.plan_id == plan.id,
                SpotCheckEntry.removed_at.is_(None),
                Project.id.not_in(checked),
            )
            .order_by(Project.total_investment.desc(), Project.code)
        )
    )
    if not waiting:
        return 0
    message = Message(
        NotificationKind.SPOT_CHECKS_DUE,
        f"{cycle.label}抽查计划尚有{len(waiting)}个项目未抽查",
        f"{cycle.label}抽查计划将于{cycle.end}结束，尚未抽查：{'、'.join(waiting)}。",
        link=f"/spot-checks?cycle={cycle.key}",
    )
    people = office_users(session, UnitKind.KEY_OFFICE)
    return notify(session, [(u, f"spot_checks:{cycle.key}", message) for u in people], now)
