"""The weekly check of site visits (GS3: the chief at least once a week, the assistant at least
twice; DC2: the leader's on-site office at least once a week). Weeks are calendar weeks, Monday
to Sunday, Beijing time; a week with holidays needs its visits all the same, as neither
regulation makes an exception. A project-week short of a role's visits is stored and the key
office told once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session, joinedload

from keyproj import periods
from keyproj.clock import beijing_date
from keyproj.codes import NotificationKind, ProjectStage, UnitKind
from keyproj.codes.sitework import VisitRole
from keyproj.db.models import Project, SiteVisit, VisitShortfall
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, project_scope
from keyproj.services.notifications.store import Message, insert_if_absent, notify, office_users
from keyproj.services.visits.records import named

_SHORTFALLS: Table = VisitShortfall.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Short:
    """A role of a project that made fewer visits in the week than required."""

    project_id: int
    project_name: str
    role: VisitRole
    person: str | None
    required: int
    made: int


def short_in(session: Session, profile: PolicyProfile, week: periods.Period) -> list[Short]:
    """Every project (not yet in use) and role short of its required visits in ``week``."""
    rules = profile.visits
    if rules is None:
        return []
    made = _counts(session, week, rules.counted_kinds)
    projects = session.scalars(
        select(Project)
        .where(Project.stage != ProjectStage.IN_USE)
        .options(joinedload(Project.leader))
        .order_by(Project.code)
    )
    out = []
    for project in projects:
        for role_code, required in rules.per_week.items():
            role = VisitRole(role_code)
            count = made.get((project.id, role), 0)
            if count < required:
                person = named(session, project, role) or _last_visitor(session, project, role)
                out.append(Short(project.id, project.name, role, person, required, count))
    return out


def _last_visitor(session: Session, project: Project, role: VisitRole) -> str | None:
    """Who last visited the project in ``role``, where its team names nobody for it."""
    return session.scalar(
        select(SiteVisit.person)
        .where(SiteVisit.project_id == project.id, SiteVisit.role == role)
        .order_by(SiteVisit.visited_on.desc(), SiteVisit.id.desc())
        .limit(1)
    )


def _counts(
    session: Session, week: periods.Period, kinds: list[str]
) -> dict[tuple[int, VisitRole], int]:
    rows = session.execute(
        select(SiteVisit.project_id, SiteVisit.role, func.count())
        .where(
            SiteVisit.visited_on >= week.start,
            SiteVisit.visited_on <= week.end,
            SiteVisit.kind.in_(kinds),
        )
        .group_by(SiteVisit.project_id, SiteVisit.role)
    )
    return {(project_id, role): n for project_id, role, n in rows}


def flag_week(session: Session, profile: PolicyProfile, week: periods.Period, now: datetime) -> int:
    """Store the week's shortfalls and tell the key office of each short project once; how
    many notifications were new (a second run adds none)."""
    shorts = short_in(session, profile, week)
    if not shorts:
        return 0
    rows = [
        {
            "project_id": s.project_id,
            "week": week.key,
            "role": s.role.value,
            "person": s.person,
            "required": s.required,
            "made": s.made,
            "flagged_at": now,
        }
        for s in shorts
    ]
    session.execute(insert_if_absent(session, _SHORTFALLS, ["project_id", "week", "role"]), rows)
    by_project: dict[int, list[Short]] = {}
    for s in shorts:
        by_project.setdefault(s.project_id, []).append(s)
    people = office_users(session, UnitKind.KEY_OFFICE)
    deliveries = [
        (user_id, f"visits:{project_id}:{week.key}", _message(week, items))
        for project_id, items in by_project.items()
        for user_id in people
    ]
    return notify(session, deliveries, now)


def _message(week: periods.Period, items: list[Short]) -> Message:
    lines = "；".join(
        f"{s.role.label}{s.person or '（未明确人员）'}到现场{s.made}次，应不少于{s.required}次"
        for s in items
    )
    return Message(
        NotificationKind.VISITS_SHORT,
        f"{items[0].project_name}：{week.label}现场走访次数不足",
        f"{week.label}（{week.start}至{week.end}）{lines}。",
        link=f"/visits/weeks/{week.key}",
    )


def check_last_week(session: Session, profile: PolicyProfile, now: datetime) -> int:
    """The scheduled job: flag the last ended calendar week (run daily; only the first run in a
    week finds anything new)."""
    if profile.visits is None:
        return 0
    return flag_week(session, profile, periods.last_ended("weekly", beijing_date(now)), now)


@dataclass(frozen=True)
class FlagRow:
    """A stored shortfall as the weekly page lists it."""

    project_id: int
    project_name: str
    role_label: str
    person: str | None
    required: int
    made: int


def flags_of_week(session: Session, viewer: Viewer, week: str) -> list[FlagRow]:
    """The shortfalls flagged for ``week`` on the projects the viewer may see."""
    rows = session.scalars(
        select(VisitShortfall)
        .join(Project, Project.id == VisitShortfall.project_id)
        .where(VisitShortfall.week == week, project_scope(viewer))
        .options(joinedload(VisitShortfall.project))
        .order_by(Project.code)
    )
    order = list(VisitRole)  # chief, assistant, leader: the team's order
    ranked = sorted(rows, key=lambda r: (r.project.code, order.index(r.role)))
    return [
        FlagRow(r.project_id, r.project.name, r.role.label, r.person, r.required, r.made)
        for r in ranked
    ]


def flagged_weeks(session: Session, viewer: Viewer) -> list[tuple[str, int]]:
    """The weeks with flags on the viewer's projects, newest first, with how many projects."""
    rows = session.execute(
        select(VisitShortfall.week, func.count(func.distinct(VisitShortfall.project_id)))
        .join(Project, Project.id == VisitShortfall.project_id)
        .where(project_scope(viewer))
        .group_by(VisitShortfall.week)
        .order_by(VisitShortfall.week.desc())
    )
    return [(week, n) for week, n in rows]


def visits_of(
    session: Session, viewer: Viewer, start: date, end: date, project_id: int | None = None
) -> list[SiteVisit]:
    """The visits between ``start`` and ``end`` on the projects the viewer may see."""
    query = (
        select(SiteVisit)
        .join(Project, Project.id == SiteVisit.project_id)
        .where(SiteVisit.visited_on >= start, SiteVisit.visited_on <= end, project_scope(viewer))
        .options(joinedload(SiteVisit.project))
        .order_by(SiteVisit.visited_on.desc(), SiteVisit.id.desc())
    )
    if project_id is not None:
        query = query.where(SiteVisit.project_id == project_id)
    return list(session.scalars(query))
