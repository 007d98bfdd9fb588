"""Weeks in which a group did not inspect one of its projects (GS5: 每周开展一次实地督导检查):
flagged once per group, project and week, and the key office told."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import NotificationKind, UnitKind
from keyproj.db.models import InspectionAssignment, InspectionGap, InspectionRecord
from keyproj.policy import PolicyProfile
from keyproj.services.notifications.store import Message, notify, office_users


def flag_missed(
    session: Session, profile: PolicyProfile, week_key: str, now: datetime
) -> list[InspectionGap]:
    """Flag each assigned project its group did not inspect in the ``every_weeks`` weeks ending
    with ``week_key``; a gap already flagged is not flagged again. Returns the new gaps."""
    rules = profile.inspections
    if rules is None:
        return []
    week = periods.parse("weekly", week_key)
    since = week.start - timedelta(weeks=rules.every_weeks - 1)
    seen = set(
        session.execute(
            select(InspectionRecord.group_id, InspectionRecord.project_id).where(
                InspectionRecord.inspected_on >= since,
                InspectionRecord.inspected_on <= week.end,
            )
        ).all()
    )
    flagged = set(
        session.execute(
            select(InspectionGap.group_id, InspectionGap.project_id).where(
                InspectionGap.week == week.key
            )
        ).all()
    )
    new = []
    for a in session.scalars(select(InspectionAssignment).order_by(InspectionAssignment.id)):
        key = (a.group_id, a.project_id)
        if key in seen or key in flagged:
            continue
        gap = InspectionGap(group_id=a.group_id, project_id=a.project_id, week=week.key)
        gap.flagged_at = now
        session.add(gap)
        new.append(gap)
    session.flush()
    if new:
        _tell_office(session, week, new, now)
    return new


def flag_last_week(
    session: Session, profile: PolicyProfile, today: date, now: datetime
) -> list[InspectionGap]:
    """Flag the gaps of the last week that has ended by ``today`` (the beat job's run)."""
    return flag_missed(session, profile, periods.last_ended("weekly", today).key, now)


def gaps_of(session: Session, week_key: str) -> list[InspectionGap]:
    """The gaps flagged for a week, by group and project."""
    return list(
        session.scalars(
            select(InspectionGap)
            .where(InspectionGap.week == week_key)
            .order_by(InspectionGap.group_id, InspectionGap.project_id)
        )
    )


def _tell_office(
    session: Session, week: periods.Period, gaps: list[InspectionGap], now: datetime
) -> None:
    lines = [f"{g.group.label}：{g.project.name}" for g in gaps]
    message = Message(
        NotificationKind.INSPECTION_MISSED,
        f"{week.label}有{len(gaps)}个项目未经联合检查组实地检查",
        "以下检查组本周未按要求实地督导检查所分项目：\n" + "\n".join(lines),
        link=f"/inspections?week={week.key}",
    )
    people = office_users(session, UnitKind.KEY_OFFICE)
    notify(session, [(u, f"inspection-gaps:{week.key}", message) for u in people], now)
