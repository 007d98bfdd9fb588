"""The dashboard's figures: investment against 序时进度 by month, colours (HD3), start rate
against the AL2 targets, where cases get stuck, rankings over time (HD5, GS2).

Every figure comes from the services that own it (the four-colour board, the start-rate rule's
counts, the stored ranking runs, the open tasks), limited to the viewer's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import OPEN_TASK
from keyproj.db.models import HumanTask, HumanTaskCandidate, Project, RankingRun, Unit
from keyproj.errors import NotFound
from keyproj.policy import PolicyProfile
from keyproj.rules.base import FOUR_PLACES
from keyproj.rules.schedule import due_to_start, started_by
from keyproj.services.access import Viewer, project_scope
from keyproj.services.evaluation.colours import ColourBoard, colour_board, period_of
from keyproj.services.home.common import visible_tasks
from keyproj.services.home.waiting import TASKS
from keyproj.services.rankings.compute import from_json

RUNS_SHOWN = 12  # the last twelve ranked periods: a year of months, three of quarters


def _rate(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """The rate part ÷ whole to four places; None when the whole is zero (no rate can be computed)."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(FOUR_PLACES)


@dataclass(frozen=True)
class MonthInvestment:
    """One month of the year so far: the evaluated projects' plan to date and completion."""

    period: periods.Period
    projects: int  # projects with a plan and a report of the month (HD3's evidence)
    planned: Decimal  # 序时计划投资 to the reports' period ends, 万元
    completed: Decimal  # 年度完成投资 as reported, 万元

    @property
    def rate(self) -> Decimal | None:
        """Completed ÷ planned to date."""
        return _rate(self.completed, self.planned)


@dataclass(frozen=True)
class StartCheckpoint:
    """An AL2 checkpoint: the target, and (once passed) how many of the year's projects began."""

    day: date
    target: Decimal
    due: int | None = None  # None: the checkpoint is after the period chosen
    started: int | None = None

    @property
    def rate(self) -> Decimal | None:
        """Started ÷ due, or None before the checkpoint or with no project due."""
        return None if self.due is None or self.started is None else _rate(self.started, self.due)

    @property
    def met(self) -> bool | None:
        """Whether the rate reaches the target (exactly at it is on target); None: not judged."""
        rate = self.rate
        return None if rate is None else rate >= self.target


@dataclass(frozen=True)
class DueProject:
    """A project counted at an AL2 checkpoint, and whether a report shows it started by then."""

    project_id: int
    code: str
    name: str
    unit_name: str
    started: bool


@dataclass(frozen=True)
class StuckStep:
    """Open tasks of one unit at one step of the case diagram, and how many are overdue."""

    unit_id: int
    unit_name: str
    step: str
    title: str
    open: int
    overdue: int


@dataclass(frozen=True)
class RankPoint:
    """A unit's place in one stored run."""

    rank: int | None
    rate: Decimal | None
    reason: str | None  # why the unit was not ranked


@dataclass(frozen=True)
class RankingSeries:
    """One group (towns or departments) over the stored runs: a row of places per unit."""

    key: str
    label: str
    periods: list[str]
    run_ids: list[int]
    units: list[tuple[str, list[RankPoint | None]]]


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows for a period, within the viewer's scope."""

    period: periods.Period
    board: ColourBoard
    months: list[MonthInvestment]
    starts: list[StartCheckpoint]
    starts_basis: str
    stuck: list[StuckStep]
    rankings: list[RankingSeries]


def dashboard(
    session: Session, viewer: Viewer, profile: PolicyProfile, key: str, now: datetime
) -> Dashboard:
    """The dashboard of period ``key`` (of the progress cycle) as ``viewer`` may see it."""
    period = period_of(profile, key)
    return Dashboard(
        period=period,
        board=colour_board(session, viewer, profile, key),
        months=investment_by_month(session, viewer, profile, period),
        starts=start_rate(session, viewer, profile, period.end),
        starts_basis=profile.citations.get("starts.targets", ""),
        stuck=stuck_tasks(session, viewer, now),
        rankings=rankings_over_time(session, viewer, profile, period.end),
    )


def investment_by_month(
    session: Session, viewer: Viewer, profile: PolicyProfile, period: periods.Period
) -> list[MonthInvestment]:
    """Each period of the year up to ``period``: the colour board's evidence summed over the
    projects it could judge against a plan (those with a plan and a report of the period)."""
    out = []
    for month in periods.of_year(period.cycle, period.end.year):
        if month.end > period.end:
            break
        board = colour_board(session, viewer, profile, month.key)
        judged = [e.standing for e in board.evaluations if e.standing is not None]
        out.append(
            MonthInvestment(
                month,
                len(judged),
                sum((s.planned for s in judged), Decimal(0)),
                sum((s.completed for s in judged), Decimal(0)),
            )
        )
    return out


def start_rate(
    session: Session, viewer: Viewer, profile: PolicyProfile, as_of: date
) -> list[StartCheckpoint]:
    """AL2: each of the year's checkpoints; those passed by ``as_of`` with the start-rate rule's
    counts (the year's projects listed by the checkpoint, started by it) in the viewer's scope."""
    out = []
    for target in profile.starts.targets:
        day = target.on(as_of.year)
        wanted = Decimal(str(target.rate))
        if day > as_of:
            out.append(StartCheckpoint(day, wanted))
            continue
        due, begun = session.execute(
            select(func.count(), func.count().filter(started_by(day)))
            .select_from(Project)
            .where(*due_to_start(day), project_scope(viewer))
        ).one()
        out.append(StartCheckpoint(day, wanted, int(due), int(begun)))
    return out


def start_projects(
    session: Session, viewer: Viewer, profile: PolicyProfile, day: date
) -> list[DueProject]:
    """The projects behind a checkpoint's counts (AL2), the not started first; ``day`` must be
    one of the profile's checkpoints."""
    if day not in {t.on(day.year) for t in profile.starts.targets}:
        raise NotFound(f"{day.isoformat()} 不是本地制度规定的开工率节点")
    rows = session.execute(
        select(Project.id, Project.code, Project.name, Unit.name, started_by(day))
        .join(Unit, Unit.id == Project.lead_unit_id)
        .where(*due_to_start(day), project_scope(viewer))
        .order_by(Project.code)
    ).all()
    found = [
        DueProject(pid, code, name, unit, bool(begun)) for pid, code, name, unit, begun in rows
    ]
    return sorted(found, key=lambda p: p.started)


def stuck_tasks(session: Session, viewer: Viewer, now: datetime) -> list[StuckStep]:
    """Open tasks by the unit asked and the step they wait at, most overdue first.

    A unit sees its own tasks; the offices every unit's. A task offered to two units counts
    for each, as on the key office's home page.
    """
    where = [HumanTask.status.in_(OPEN_TASK), *visible_tasks(viewer)]
    if not viewer.county_wide and viewer.unit_id is not None:
        where.append(HumanTaskCandidate.unit_id == viewer.unit_id)
    overdue = func.count().filter(and_(HumanTask.due_at.is_not(None), HumanTask.due_at < now))
    rows = session.execute(
        select(Unit.id, Unit.name, HumanTask.name, func.min(HumanTask.title), func.count(), overdue)
        .select_from(HumanTaskCandidate)
        .join(HumanTask, HumanTask.id == HumanTaskCandidate.task_id)
        .join(Unit, Unit.id == HumanTaskCandidate.unit_id)
        .where(*where)
        .group_by(Unit.id, Unit.name, HumanTask.name)
    ).all()
    steps = [
        # The step's plain name where known: the diagram's titles carry clause codes.
        StuckStep(uid, uname, step, TASKS.get(step, title), int(n), int(late))
        for uid, uname, step, title, n, late in rows
    ]
    return sorted(steps, key=lambda s: (-s.overdue, -s.open, s.unit_name, s.step))


def rankings_over_time(
    session: Session, viewer: Viewer, profile: PolicyProfile, as_of: date
) -> list[RankingSeries]:
    """The stored runs of the profile's ranking up to ``as_of`` (the newest run of each period,
    the last RUNS_SHOWN periods), each group's units with their place in each; a unit sees its own."""
    runs = session.scalars(
        select(RankingRun)
        .where(RankingRun.profile == profile.profile.id)
        .order_by(RankingRun.period, RankingRun.id)
    ).all()
    newest: dict[str, RankingRun] = {}
    for run in runs:
        if periods.parse(run.cadence, run.period).end <= as_of:
            newest[run.period] = run  # a later run of the same period replaces an earlier one
    chosen = [newest[k] for k in sorted(newest)][-RUNS_SHOWN:]
    series: dict[str, tuple[str, dict[str, dict[str, RankPoint]]]] = {}
    for run in chosen:
        for group in from_json(run.figures):
            places = series.setdefault(group.key, (group.label, {}))[1]
            for row in group.rows:
                if viewer.county_wide or row.unit_id == viewer.unit_id:
                    point = RankPoint(row.rank, row.rate, row.reason)
                    places.setdefault(row.unit, {})[run.period] = point
    keys = [r.period for r in chosen]
    return [
        RankingSeries(
            key,
            label,
            keys,
            [r.id for r in chosen],
            sorted(
                ((unit, [points.get(k) for k in keys]) for unit, points in places.items()),
                key=_by_newest_rank,
            ),
        )
        for key, (label, places) in series.items()
        if places
    ]


def _by_newest_rank(row: tuple[str, list[RankPoint | None]]) -> tuple[int, str]:
    """Units in the order of the newest run: ranked first by rank, then the unranked by name."""
    newest = row[1][-1] if row[1] else None
    rank = newest.rank if newest is not None and newest.rank is not None else 1_000_000
    return rank, row[0]
