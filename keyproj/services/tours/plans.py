"""The office drafts a tour's plan (DC4: 确定观摩时间、重点项目、观摩路线; 印制活动指南，安排车辆),
opens it for scoring and closes the scoring; who sees which tour.

Offices see every tour; a scorer sees the tours naming them; a unit's staff the tours that visit
its projects (and only its own projects' results, see ``results``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from keyproj.codes import UNIT_STAFF_ROLES, NotificationKind, Role, TourState
from keyproj.db.models import Project, Tour, TourScorer, TourStop, User
from keyproj.errors import Conflict, NotFound
from keyproj.inputs import LONG_TEXT, BadInput, parse_date
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.notifications.store import Message, notify
from keyproj.validation import Checks

OFFICE = (Role.KEY_OFFICE, Role.ADMIN)
LABELS = {
    "title": "活动名称",
    "tour_on": "观摩日期",
    "meeting_point": "集合地点",
    "project_codes": "观摩项目及路线",
    "scorer_usernames": "打分人员",
    "vehicles": "车辆安排",
    "notes": "注意事项",
}
TITLE_TEXT, PLACE_TEXT = 200, 200


@dataclass(frozen=True)
class TourPlan:
    """What the office writes in a tour's plan; projects in route order."""

    title: str
    tour_on: str  # YYYY-MM-DD
    meeting_point: str
    project_codes: list[str]
    scorer_usernames: list[str]
    vehicles: list[dict[str, Any]] = field(default_factory=list)  # name, seats, driver
    notes: str | None = None


def save_plan(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    data: TourPlan,
    now: datetime,
    tour_id: int | None = None,
) -> Tour:
    """Create a tour's plan, or rewrite a draft's (key office); every bad field named at once."""
    require_role(viewer, *OFFICE)
    if profile.tours is None:
        raise Conflict("本地制度未设观摩点评活动")
    checks = Checks(LABELS)
    title = checks.text("title", data.title, TITLE_TEXT, required=True)
    place = checks.text("meeting_point", data.meeting_point, PLACE_TEXT, required=True)
    notes = checks.text("notes", data.notes, LONG_TEXT)
    day = _day(checks, data.tour_on)
    projects = _projects(session, checks, data.project_codes)
    scorers = _scorers(session, checks, data.scorer_usernames)
    vehicles = _vehicles(checks, data.vehicles)
    checks.done()
    tour = _draft(session, tour_id) if tour_id is not None else None
    if tour is None:
        criteria = [c.model_dump() for c in profile.tours.criteria]
        tour = Tour(state=TourState.DRAFT, criteria=criteria, created_by_id=viewer.user_id)
        tour.created_at = now
        session.add(tour)
    tour.title, tour.meeting_point, tour.notes = title or "", place or "", notes
    tour.tour_on, tour.vehicles = day or date.min, vehicles
    tour.stops = [TourStop(project_id=p.id, position=n) for n, p in enumerate(projects, 1)]
    tour.scorers = [TourScorer(user_id=u.id) for u in scorers]
    session.flush()
    return tour


def open_scoring(session: Session, viewer: Viewer, tour_id: int, now: datetime) -> Tour:
    """Publish the plan and open scoring; each scorer is told (key office)."""
    require_role(viewer, *OFFICE)
    tour = _draft(session, tour_id)
    tour.state = TourState.SCORING
    message = Message(
        NotificationKind.TOUR_SCORING,
        f"{tour.title}：请为观摩项目打分",
        f"{tour.tour_on.isoformat()}观摩{len(tour.stops)}个项目，请在观摩后逐项打分。",
        link=f"/tours/{tour.id}",
    )
    notify(session, [(s.user_id, f"tour:{tour.id}", message) for s in tour.scorers], now)
    session.flush()
    return tour


def tours_for(session: Session, viewer: Viewer) -> list[Tour]:
    """The tours the viewer may see, newest first."""
    query = select(Tour).order_by(Tour.tour_on.desc(), Tour.id.desc())
    if not viewer.county_wide:
        query = query.where(or_(Tour.id.in_(_named(viewer)), Tour.id.in_(_visiting(viewer))))
    return list(session.scalars(query))


def tour_for(session: Session, viewer: Viewer, tour_id: int) -> Tour:
    """One tour the viewer may see; NotFound otherwise."""
    tour = session.get(Tour, tour_id)
    if tour is None or not may_see(session, viewer, tour):
        raise NotFound(f"观摩活动 {tour_id} 不存在或无权查看")
    return tour


def may_see(session: Session, viewer: Viewer, tour: Tour) -> bool:
    """Offices all; a scorer their tour; a unit the tours visiting its projects."""
    if viewer.county_wide or is_scorer(tour, viewer):
        return True
    if not viewer.has(*UNIT_STAFF_ROLES):
        return False
    return any(s.project.lead_unit_id == viewer.unit_id for s in tour.stops)


def is_scorer(tour: Tour, viewer: Viewer) -> bool:
    """Whether the viewer is named on the tour to score."""
    return any(s.user_id == viewer.user_id for s in tour.scorers)


def _named(viewer: Viewer) -> Any:
    return select(TourScorer.tour_id).where(TourScorer.user_id == viewer.user_id)


def _visiting(viewer: Viewer) -> Any:
    if not viewer.has(*UNIT_STAFF_ROLES):
        return select(TourStop.tour_id).where(false())
    own = select(Project.id).where(Project.lead_unit_id == viewer.unit_id)
    return select(TourStop.tour_id).where(TourStop.project_id.in_(own))


def _tour(session: Session, tour_id: int, lock: bool = False) -> Tour:
    tour = session.get(Tour, tour_id, with_for_update=lock)
    if tour is None:
        raise NotFound(f"观摩活动 {tour_id} 不存在或无权查看")
    return tour


def _draft(session: Session, tour_id: int) -> Tour:
    tour = _tour(session, tour_id, lock=True)
    if tour.state != TourState.DRAFT:
        raise Conflict("观摩方案已发布，不能再修改")
    return tour


def _day(checks: Checks, text: str) -> date | None:
    if not checks.required("tour_on", text):
        return None
    try:
        return parse_date(str(text).strip())
    except BadInput as exc:
        checks.fail("tour_on", str(exc))
        return None


def _projects(session: Session, checks: Checks, codes: list[str]) -> list[Project]:
    wanted = [c.strip() for c in codes if c and c.strip()]
    if not wanted:
        checks.fail("project_codes", "至少选择一个观摩项目")
        return []
    if len(set(wanted)) != len(wanted):
        checks.fail("project_codes", "同一项目不能在路线中出现两次")
        return []
    found = {p.code: p for p in session.scalars(select(Project).where(Project.code.in_(wanted)))}
    missing = [c for c in wanted if c not in found]
    if missing:
        checks.fail("project_codes", f"未知项目编号：{'、'.join(missing)}")
        return []
    return [found[c] for c in wanted]


def _scorers(session: Session, checks: Checks, names: list[str]) -> list[User]:
    wanted = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    if not wanted:
        checks.fail("scorer_usernames", "至少指定一名打分人员")
        return []
    found = {
        u.username: u
        for u in session.scalars(select(User).where(User.username.in_(wanted), User.active))
    }
    missing = [n for n in wanted if n not in found]
    if missing:
        checks.fail("scorer_usernames", f"未知或已停用的账号：{'、'.join(missing)}")
        return []
    return [found[n] for n in wanted]


def _vehicles(checks: Checks, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        driver = str(row.get("driver") or "").strip()
        seats = str(row.get("seats") or "").strip()
        if not (name or driver or seats):
            continue  # an empty line of the form
        if not name or not seats.isdigit() or not 1 <= int(seats) <= 99:
            checks.fail("vehicles", f"第{n}辆车须填写车辆名称和1至99的座位数")
            continue
        out.append({"name": name[:50], "seats": int(seats), "driver": driver[:50]})
    return out
