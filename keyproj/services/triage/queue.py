"""The triage queue (LP13): open warnings no case covers, one matter per project and lead unit.

Only ``open`` warnings are triaged; a warning leaves the queue when a case covers it (a
notice issued, or merged into an open case) or when the key office dismisses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from keyproj.codes import CaseStatus, Colour, Role, WarningLevel, WarningStatus
from keyproj.db.models import Case, EarlyWarning, Project, Unit
from keyproj.errors import CalendarYearMissing
from keyproj.paging import Page, Paging
from keyproj.policy import PolicyProfile
from keyproj.rules.base import among, chunks
from keyproj.services.access import Viewer, require_role
from keyproj.services.decisions.warnings import early_warnings
from keyproj.services.reference.calendar import cached_calendar

TRIAGE_ROLES = (Role.KEY_OFFICE, Role.ADMIN)
LEVEL_RANK = {level: rank for rank, level in enumerate(WarningLevel)}  # mildest first
COLOUR_RANK = {colour: rank for rank, colour in enumerate(Colour)}  # best first


def queued() -> ColumnElement[bool]:
    """The queue as a WHERE clause: open warnings no case covers."""
    return (EarlyWarning.status == WarningStatus.OPEN) & EarlyWarning.case_id.is_(None)


@dataclass(frozen=True)
class QueuedWarning:
    """A warning waiting in triage, with its evidence sentence and LP13 notice due time."""

    id: int
    rule_id: str
    level: str
    colour: str
    period: str
    source: str
    summary: str
    raised_at: datetime
    notice_due: datetime | None  # None when the year has no holiday data yet (X5)


@dataclass(frozen=True)
class OpenCaseRef:
    """An open case of the project, which a queued warning may be merged into."""

    id: int
    notice_number: str | None


@dataclass(frozen=True)
class QueueGroup:
    """One project matter: a project (none for portfolio warnings) and its lead unit, its
    queued warnings strongest first, and the project's open cases (merge targets)."""

    project_id: int | None
    project_code: str | None
    project_name: str | None
    unit_id: int | None
    unit_code: str | None
    unit_name: str | None
    warnings: list[QueuedWarning]
    open_cases: list[OpenCaseRef]

    @property
    def proposed_level(self) -> str:
        """The notice's level proposed from the warnings: the strongest of theirs (LP13)."""
        return strongest_level([w.level for w in self.warnings])

    @property
    def earliest_due(self) -> datetime | None:
        """When the notice is due: counted from the earliest warning's raising (LP13)."""
        dues = [w.notice_due for w in self.warnings if w.notice_due is not None]
        return min(dues) if dues else None


def strongest_level(levels: Sequence[str]) -> str:
    """The strongest of these warning levels (重点事项催办 over 问题预警 over 进度预警)."""
    known = [WarningLevel(level) for level in levels if WarningLevel.parse(level) is not None]
    return str(max(known, key=LEVEL_RANK.__getitem__, default=WarningLevel.PROGRESS))


def strength(level: str, colour: str, rule_id: str) -> tuple[int, int, str]:
    """A sort key putting the strongest warning first: level, then colour, then rule."""
    return (
        -LEVEL_RANK.get(WarningLevel.parse(level) or WarningLevel.PROGRESS, 0),
        -COLOUR_RANK.get(Colour.parse(colour) or Colour.GREEN, 0),
        rule_id,
    )


def queue_count(session: Session) -> int:
    """How many warnings wait in triage."""
    return int(session.scalar(select(func.count()).select_from(EarlyWarning).where(queued())) or 0)


def queue_page(
    session: Session, viewer: Viewer, profile: PolicyProfile, paging: Paging
) -> Page[QueueGroup]:
    """A page of the queue's matters, strongest first (key office only)."""
    require_role(viewer, *TRIAGE_ROLES)
    keys = _group_keys(session)
    total = len(keys)
    wanted = keys[paging.offset : paging.offset + paging.per_page]
    groups = load_groups(session, profile, [project for project, _ in wanted])
    return Page(groups, total, paging.page, paging.per_page)


def _group_keys(session: Session) -> list[tuple[int | None, tuple[int, int, str]]]:
    """Every matter of the queue (by project) with its strongest warning's sort key, ordered."""
    rows = session.execute(
        select(
            EarlyWarning.project_id, EarlyWarning.level, EarlyWarning.colour, EarlyWarning.rule_id
        ).where(queued())
    )
    best: dict[int | None, tuple[int, int, str]] = {}
    for project_id, level, colour, rule_id in rows:
        key = strength(level, colour, rule_id)
        if project_id not in best or key < best[project_id]:
            best[project_id] = key
    # Portfolio warnings (no project) stand as their own matter, ordered as any other.
    return sorted(best.items(), key=lambda item: (item[1], item[0] or 0))


def load_groups(
    session: Session, profile: PolicyProfile, projects: Sequence[int | None]
) -> list[QueueGroup]:
    """The matters of these projects (None: the portfolio warnings), in the order given."""
    found: dict[int | None, list[EarlyWarning]] = {p: [] for p in projects}
    ids = [p for p in projects if p is not None]
    for part in chunks(ids):
        query = select(EarlyWarning).where(queued(), among(EarlyWarning.project_id, part))
        for warning in session.scalars(query):
            found[warning.project_id].append(warning)
    if None in found:
        query = select(EarlyWarning).where(queued(), EarlyWarning.project_id.is_(None))
        found[None] = list(session.scalars(query))
    info = _projects(session, ids)
    cases = open_cases_of(session, ids)
    days = profile.deadlines.notice_working_days
    groups = []
    for project_id in projects:
        rows = sorted(found[project_id], key=lambda w: strength(w.level, w.colour, w.rule_id))
        project, unit = info.get(project_id or 0, (None, None))
        groups.append(
            QueueGroup(
                project_id,
                project.code if project else None,
                project.name if project else None,
                unit.id if unit else None,
                unit.code if unit else None,
                unit.name if unit else None,
                [_queued(session, w, days) for w in rows],
                cases.get(project_id or 0, []),
            )
        )
    return groups


def _queued(session: Session, warning: EarlyWarning, days: int) -> QueuedWarning:
    return QueuedWarning(
        warning.id,
        warning.rule_id,
        str(warning.level),
        str(warning.colour),
        warning.period,
        str(warning.source),
        str((warning.evidence or {}).get("summary") or ""),
        warning.raised_at,
        notice_due(session, warning.raised_at, days),
    )


def notice_due(session: Session, raised_at: datetime, days: int) -> datetime | None:
    """The LP13 notice deadline counted from a warning's raising; None without holiday data."""
    try:
        return cached_calendar(session).deadline(raised_at, days)
    except CalendarYearMissing:  # the due time is not guessed (X5)
        return None


def _projects(session: Session, ids: list[int]) -> dict[int, tuple[Project, Unit]]:
    found: dict[int, tuple[Project, Unit]] = {}
    for part in chunks(ids):
        query = select(Project, Unit).join(Unit, Unit.id == Project.lead_unit_id)
        for project, unit in session.execute(query.where(among(Project.id, part))):
            found[project.id] = (project, unit)
    return found


def open_cases_of(session: Session, project_ids: list[int]) -> dict[int, list[OpenCaseRef]]:
    """The open cases of these projects, oldest first: where a new warning may be merged."""
    found: dict[int, list[OpenCaseRef]] = {}
    for part in chunks(project_ids):
        query = (
            select(EarlyWarning.project_id, Case.id, Case.notice_number)
            .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
            .where(
                Case.status == CaseStatus.OPEN,
                among(EarlyWarning.project_id, part),
                early_warnings(),  # a decided item's case takes no warnings
            )
            .order_by(Case.id)
        )
        for project_id, case_id, number in session.execute(query):
            found.setdefault(project_id or 0, []).append(OpenCaseRef(case_id, number))
    return found
