"""Who may see and do what: project scope, case visibility, and who may take a task (one rule each)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session, object_session

from keyproj.codes import COUNTY_WIDE_ROLES, UNIT_STAFF_ROLES, Lane, Role, TaskStatus
from keyproj.db.models import (
    Case,
    CaseUnit,
    EarlyWarning,
    HumanTask,
    HumanTaskCandidate,
    Leader,
    Project,
    ProjectTeamMember,
    User,
)
from keyproj.errors import NotFound, PermissionDenied
from keyproj.services.cases.lanes import LANE_ROLES, LEADER_LANES


@dataclass(frozen=True)
class Viewer:
    """Who is asking: the user, their unit, roles and (for leaders) their leader record."""

    user_id: int
    unit_id: int
    roles: frozenset[str]
    leader_id: int | None = None

    @property
    def county_wide(self) -> bool:
        """True for the offices, auditors and administrators, who see every project."""
        return bool(self.roles & COUNTY_WIDE_ROLES)

    def has(self, *roles: str) -> bool:
        """True when the viewer holds any of ``roles``."""
        return bool(self.roles.intersection(roles))


def viewer_for(session: Session, user: User) -> Viewer:
    """The Viewer of a stored user."""
    leader_id = session.scalar(select(Leader.id).where(Leader.user_id == user.id))
    return Viewer(user.id, user.unit_id, user.roles, leader_id)


def project_scope(viewer: Viewer) -> ColumnElement[bool]:
    """A WHERE clause limiting projects to those the viewer may see."""
    if viewer.county_wide:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if viewer.has(*UNIT_STAFF_ROLES):
        clauses.append(Project.lead_unit_id == viewer.unit_id)
    if viewer.has(Role.LEADER) and viewer.leader_id is not None:
        clauses.append(Project.leader_id == viewer.leader_id)
        clauses.append(
            Project.id.in_(
                select(ProjectTeamMember.project_id).where(
                    ProjectTeamMember.leader_id == viewer.leader_id
                )
            )
        )
    return or_(*clauses) if clauses else false()


# --- cases: who sees a case, who may take a task ------------------------------------------
# One rule, in two forms: ``case_scope`` for queries, ``may_see_case`` for a case at hand.
# The offices see every case; a unit sees the cases it answers for (lead or phase unit);
# a leader sees the cases of the projects they lead.


def case_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Cases the viewer may see, as a WHERE clause (the rule of ``may_see_case``)."""
    if viewer.county_wide:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if viewer.has(*UNIT_STAFF_ROLES):
        responsible = select(CaseUnit.case_id).where(CaseUnit.unit_id == viewer.unit_id)
        clauses.append(Case.id.in_(responsible))
    if viewer.leader_id is not None:
        led = (
            select(EarlyWarning.id)
            .join(Project, Project.id == EarlyWarning.project_id)
            .where(Project.leader_id == viewer.leader_id)
        )
        clauses.append(Case.warning_id.in_(led))
    return or_(*clauses) if clauses else false()


def may_see_case(
    session: Session,
    viewer: Viewer,
    case: Case,
    units: Callable[[], Collection[int]] | None = None,
) -> bool:
    """Whether the viewer may see ``case`` (the rule of ``case_scope``).

    ``units`` gives the case's responsible units when the caller has them at hand (an open
    case knows them from its tasks); otherwise they are read. The offices need no query.
    """
    if viewer.county_wide:
        return True
    if viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id in (units or _case_units(session, case))():
        return True
    if viewer.leader_id is None:
        return False
    leader = session.scalar(
        select(Project.leader_id)
        .join(EarlyWarning, EarlyWarning.project_id == Project.id)
        .where(EarlyWarning.id == case.warning_id)
    )
    return leader == viewer.leader_id


def is_responsible(viewer: Viewer, units: Collection[int]) -> bool:
    """Whether the viewer answers for a case with these units (LP18: may report its progress)."""
    if viewer.has("key_office", "admin"):
        return True
    return viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id in units


def lanes_taken_by(viewer: Viewer) -> list[Lane]:
    """The lanes whose tasks the viewer's roles allow them to take (a leader: the leader's tasks
    of the lanes of LEADER_LANES, on the projects they lead, DC1)."""
    lanes = [Lane(lane) for lane, roles in LANE_ROLES.items() if roles & viewer.roles]
    if _is_leader(viewer):
        lanes += [Lane(lane) for lane in sorted(LEADER_LANES) if lane not in lanes]
    return lanes


def _is_leader(viewer: Viewer) -> bool:
    return viewer.has(Role.LEADER) and viewer.leader_id is not None


def may_take(
    viewer: Viewer,
    lane: str,
    candidate_units: Collection[int],
    leads_case: Callable[[], bool] | None = None,
) -> bool:
    """Whether the viewer may take a task of ``lane`` offered to ``candidate_units`` (X2);
    ``leads_case`` tells whether the viewer is the 分包领导 of the task's project (DC1)."""
    if viewer.unit_id not in candidate_units:
        return False
    if LANE_ROLES[lane] & viewer.roles:
        return True
    return lane in LEADER_LANES and _is_leader(viewer) and leads_case is not None and leads_case()


def may_take_task(viewer: Viewer, task: HumanTask) -> bool:
    """``may_take`` for a stored task: its lane and candidates, and its case's project's leader."""
    return may_take(
        viewer, task.lane, {c.unit_id for c in task.candidates}, lambda: _leads(viewer, task)
    )


def _leads(viewer: Viewer, task: HumanTask) -> bool:
    """Whether the viewer is the 分包领导 of the project of the task's case (DC1)."""
    session = object_session(task)
    if session is None or viewer.leader_id is None:
        return False
    leader = session.scalar(
        select(Project.leader_id)
        .join(EarlyWarning, EarlyWarning.project_id == Project.id)
        .join(Case, Case.warning_id == EarlyWarning.id)
        .where(Case.id == task.case_id)
    )
    return leader == viewer.leader_id


def leaders_taking(session: Session, tasks: Collection[HumanTask]) -> dict[int, int]:
    """The account of the 分包领导 who may take each of ``tasks``, by task id (DC1): the active
    account of the leader of the task's project, when the task is of LEADER_LANES and is offered
    to that account's unit. The notifications reach them as they reach a lane's people."""
    wanted = [t for t in tasks if t.lane in LEADER_LANES]
    if not wanted:
        return {}
    rows = session.execute(
        select(Case.id, User.id, User.unit_id)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .join(Project, Project.id == EarlyWarning.project_id)
        .join(Leader, Leader.id == Project.leader_id)
        .join(User, User.id == Leader.user_id)
        .where(Case.id.in_(sorted({t.case_id for t in wanted})), User.active.is_(True))
    )
    accounts = {case_id: (user_id, unit_id) for case_id, user_id, unit_id in rows}
    out: dict[int, int] = {}
    for task in wanted:
        account = accounts.get(task.case_id)
        if account is not None and account[1] in {c.unit_id for c in task.candidates}:
            out[task.id] = account[0]
    return out


def require_may_take(viewer: Viewer, task: HumanTask) -> None:
    """PermissionDenied unless the viewer may take the task (their unit and lane role, X2)."""
    if may_take_task(viewer, task):
        return
    part = task.part_unit
    if part is not None and task.lane == Lane.RESPONSIBLE and LANE_ROLES[task.lane] & viewer.roles:
        # LP13: each lead or phase unit answers for its own part, and only for it.
        raise PermissionDenied(
            f"“{task.title}”是{part.name}负责部分的任务，只能由{part.name}认领办理；"
            "本单位的任务请在待办中查看"
        )
    raise PermissionDenied(f"“{task.title}”由{task.lane}办理，当前账号不能认领")


def inbox_scope(viewer: Viewer) -> list[ColumnElement[bool]]:
    """Tasks the viewer may take, as WHERE clauses over human_tasks joined to their candidates:
    ready tasks of the viewer's unit and lanes, and the tasks the viewer claimed."""
    by_role = [Lane(lane) for lane, roles in LANE_ROLES.items() if roles & viewer.roles]
    lane_rule: ColumnElement[bool] = HumanTask.lane.in_(by_role)
    if _is_leader(viewer):
        # DC1: the leader's own tasks, only on the cases of the projects they lead.
        led = (
            select(Case.id)
            .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
            .join(Project, Project.id == EarlyWarning.project_id)
            .where(Project.leader_id == viewer.leader_id)
        )
        lane_rule = or_(lane_rule, HumanTask.lane.in_(LEADER_LANES) & HumanTask.case_id.in_(led))
    return [
        HumanTaskCandidate.unit_id == viewer.unit_id,
        lane_rule,
        or_(
            HumanTask.status == TaskStatus.READY,
            (HumanTask.status == TaskStatus.CLAIMED) & (HumanTask.claimed_by_id == viewer.user_id),
        ),
    ]


def _case_units(session: Session, case: Case) -> Callable[[], Collection[int]]:
    return lambda: set(session.scalars(select(CaseUnit.unit_id).where(CaseUnit.case_id == case.id)))


def visible_project(session: Session, viewer: Viewer, project_id: int) -> Project:
    """The project if it exists and the viewer may see it; NotFound otherwise (no existence leak)."""
    project = session.scalar(select(Project).where(Project.id == project_id, project_scope(viewer)))
    if project is None:
        raise NotFound(f"项目 {project_id} 不存在或无权查看")
    return project


def require_role(viewer: Viewer, *roles: str) -> None:
    """PermissionDenied unless the viewer holds one of ``roles``."""
    if not viewer.has(*roles):
        raise PermissionDenied("当前账号没有执行此操作的权限")


def require_project_writer(viewer: Viewer, project: Project) -> None:
    """Only the lead unit's liaison or head, or the key office, may write a project's data."""
    if viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        return
    if viewer.has(*UNIT_STAFF_ROLES) and project.lead_unit_id == viewer.unit_id:
        return
    raise PermissionDenied("只有项目牵头责任单位或重点办可以填报该项目")
