"""Starting cases (X1): a batch of matters started on the newest diagram and saved together.

A matter is the warnings one case covers (LP13: one notice per project matter): the first is
the case's primary warning, and every one of them points at the case (warnings.case_id).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.audit import GENESIS
from keyproj.clock import BEIJING
from keyproj.codes import CaseStatus, CaseUnitRole
from keyproj.db.models import Case, CaseUnit, EarlyWarning, HumanTask, Leader, Project, User
from keyproj.engine import CaseInstance
from keyproj.policy import PolicyProfile
from keyproj.services.cases import repository, step
from keyproj.services.cases.collector import collection_paused
from keyproj.services.cases.definitions import compiled_by_sha, latest
from keyproj.services.cases.repository import STATE_ENCODING, OpenCase, deadline_fn

NO_PROGRESS_PREFIX = "no_progress_"  # the rule ids no_progress_<N>w (keyproj.rules.no_progress)


@dataclass(frozen=True)
class Matter:
    """The warnings one case covers, the primary first, and when its LP13 notice clock
    started (the earliest warning's raising: days spent in triage count); None: now."""

    warnings: Sequence[EarlyWarning]
    anchor: datetime | None = None
    # What the start data adds (LP20: a supervision filing enters at the filing) and the
    # units that answer for it when they are known at the start: (unit, lead|phase).
    data: Mapping[str, Any] = field(default_factory=dict)
    units: Sequence[tuple[int, CaseUnitRole]] = ()


def start_cases(
    session: Session, warnings: Sequence[EarlyWarning], profile: PolicyProfile, now: datetime
) -> list[Case]:
    """Open a case for each of these warnings alone (see ``start_matters``)."""
    return start_matters(session, [Matter((w,)) for w in warnings], profile, now)


@collection_paused()
def start_matters(
    session: Session,
    matters: Sequence[Matter],
    profile: PolicyProfile,
    now: datetime,
    keep_warm: bool = False,
) -> list[Case]:
    """Open the cases of matters whose warnings have none, pinned to the newest version of the
    profile's diagram (X1); ``keep_warm`` when the caller opens them next.

    The whole batch is written at once (one statement per table); a deadline in a year
    without holiday data raises CalendarYearMissing and nothing of the batch is written.
    """
    if not matters:
        return []
    opened = _started(session, matters, profile, now)
    repository.insert_new(session, opened, keep_warm)
    return [o.case for o in opened]


@collection_paused()
def start_opened(
    session: Session, matters: Sequence[Matter], profile: PolicyProfile, now: datetime
) -> list[OpenCase]:
    """Start the cases of matters as ``start_matters`` does, for a caller that steps them next
    and saves them in this transaction (a notice issued at the start, LP13): the cases open as
    they were started, with their first tasks, instead of being read back and decoded.

    Their rows go in without the state; the caller's save writes it (a failure before then
    rolls the whole transaction back, as any failed step does).
    """
    if not matters:
        return []
    batch = _started(session, matters, profile, now)
    for opened in batch:
        opened.state_later = True
    repository.insert_new(session, batch)
    tasks: dict[int, list[HumanTask]] = {}
    for row in repository.open_task_rows(session, [o.case.id for o in batch]):
        tasks.setdefault(row.case_id, []).append(row)
    for opened in batch:
        opened.tasks = tasks.get(opened.case.id, [])
    return batch


def _started(
    session: Session, matters: Sequence[Matter], profile: PolicyProfile, now: datetime
) -> list[OpenCase]:
    """The matters' cases started in the engine and logged, not yet written."""
    warnings = [m.warnings[0] for m in matters]
    definition = latest(session, profile.process.diagram)
    compiled = compiled_by_sha(session, definition.id, definition.sha256)
    projects = _projects(session, warnings)
    leaders = _leaders(session, projects.values())
    deadline = deadline_fn(session)
    batch: list[OpenCase] = []
    for matter, warning in zip(matters, warnings, strict=True):
        project = projects.get(warning.project_id or 0)
        leader = leaders.get(project.leader_id or 0) if project is not None else None
        data = start_data(warning, project, profile, matter.anchor or now, leader)
        if len(matter.warnings) > 1:
            data["warning_ids"] = [w.id for w in matter.warnings]
            data.update(stall_data(matter.warnings, profile))  # GS1: whichever warning stalled
        data.update(matter.data)
        instance = CaseInstance.start(compiled, data, deadline, now)
        case = Case(
            warning_id=warning.id,
            definition_id=definition.id,
            status=CaseStatus.OPEN,
            state=b"",  # the stored state is written with the case, by the repository
            serializer_version=STATE_ENCODING,
            state_hash=instance.digest(),
            version=1,
            event_count=0,
            last_event_hash=GENESIS,
            opened_at=now,
        )
        units = []
        if matter.units:
            case.units = [CaseUnit(unit_id=u, role=role) for u, role in matter.units]
            units = sorted(u for u, _ in matter.units)
        elif project is not None:
            case.units = [CaseUnit(unit_id=project.lead_unit_id, role=CaseUnitRole.LEAD)]
            units = [project.lead_unit_id]
        opened = OpenCase(case, instance, now, deadline, stored_units=units)
        opened.joining = [w.id for w in matter.warnings]
        step.started(session, opened, data, definition.version)
        batch.append(opened)
    return batch


def warning_facts(
    warning: EarlyWarning,
    project: Project | None,
    profile: PolicyProfile,
    entry: str,
    now: datetime,
) -> dict[str, Any]:
    """What every case starts knowing of its warning and project, the profile, the diagram's
    entry and the moment it started (Beijing time)."""
    return {
        "warning_id": warning.id,
        "rule_id": warning.rule_id,
        "level": warning.level,
        "colour": warning.colour,
        "period": warning.period,
        "evidence": warning.evidence,
        "project_id": project.id if project else None,
        "project_code": project.code if project else None,
        "project_name": project.name if project else None,
        "profile": profile.profile.id,
        "entry": entry,
        "started_at": now.astimezone(BEIJING).isoformat(),
    }


def start_data(
    warning: EarlyWarning,
    project: Project | None,
    profile: PolicyProfile,
    now: datetime,
    leader: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The case data a diagram starts with: the warning, the project's 分包领导 (``leader``, see
    ``_leaders``), and every number from the profile; ``now`` starts the LP13 notice clock."""
    d, county = profile.deadlines, profile.county_gov
    return {
        # The diagram's entry: a warning's notice, or "supervision" (LP20).
        **warning_facts(warning, project, profile, "warning", now),
        "notice_working_days": d.notice_working_days,  # LP13
        "response_working_days": d.response_working_days,  # LP17
        "outcome_working_days": d.outcome_working_days,  # LP17
        "evaluate_working_days": d.urgent_issue_report_working_days,  # LP9: the key office's 3 days
        "county_gov_assign_working_days": county.assign_working_days,  # LP16
        "county_gov_handling_working_days": county.handling_working_days,  # LP16
        "county_gov_check_working_days": county.follow_up_check_working_days,  # LP16
        "supervision_working_days": d.supervision_working_days,  # LP20
        # LP18 long matters: the report cycle and its reminder (local numbers: LP18 sets none).
        "long_report_working_days": profile.long_matters.report_working_days,
        "long_remind_working_days_before": profile.long_matters.remind_working_days_before,
        # DC1–DC2: the project's 分包领导, who coordinates an escalated case first where the
        # diagram has a leader-led path, and the days they have (None: no such path).
        "leader": dict(leader) if leader is not None else None,
        "leader_onsite_working_days": profile.process.leader_onsite_working_days,
        **stall_data((warning,), profile),
        **measure_data(profile),
        **accountability_data(profile),
    }


def _leaders(session: Session, projects: Iterable[Project]) -> dict[int, dict[str, Any]]:
    """The projects' leaders (DC1) by id, in one query: id, name, title, and the unit of the
    leader's account (None without one: the diagram then offers the task to its lane's units)."""
    wanted = sorted({p.leader_id for p in projects if p.leader_id is not None})
    if not wanted:
        return {}
    rows = session.execute(
        select(Leader.id, Leader.name, Leader.title, User.unit_id)
        .outerjoin(User, User.id == Leader.user_id)
        .where(Leader.id.in_(wanted))
    )
    return {
        lid: {"id": lid, "name": name, "title": title, "unit_id": unit_id}
        for lid, name, title, unit_id in rows
    }


def stall_data(warnings: Sequence[EarlyWarning], profile: PolicyProfile) -> dict[str, Any]:
    """GS1: the consecutive weeks without substantive progress the matter's no-progress warnings
    reached (the highest threshold; 0 without one), whom that one calls, and the profile's
    thresholds, from which a diagram decides whose TV questioning (电视问政) it is."""
    reached = [
        (int((w.evidence or {}).get("threshold_weeks") or 0), w.evidence or {})
        for w in warnings
        if w.rule_id.startswith(NO_PROGRESS_PREFIX)
    ]
    weeks, evidence = max(reached, key=lambda r: r[0], default=(0, {}))
    return {
        "stall_weeks": weeks,
        "stall_called": evidence.get("called") or {},
        "stall_thresholds": list(profile.warnings.no_progress_weeks),
    }


def measure_data(profile: PolicyProfile) -> dict[str, Any]:
    """HD5/HD6: the working days of Handan's reminder letter and interview (local), where the
    profile has them."""
    if profile.measures is None:
        return {}
    return {
        "reminder_letter_ack_working_days": profile.measures.reminder_letter_ack_working_days,
        "interview_working_days": profile.measures.interview_working_days,
    }


def accountability_data(profile: PolicyProfile) -> dict[str, Any]:
    """AL13: the working days of the supervision office's accountability step (local), where
    the profile has it."""
    if profile.accountability is None:
        return {}
    return {"accountability_working_days": profile.accountability.working_days}


def _projects(session: Session, warnings: Sequence[EarlyWarning]) -> dict[int, Project]:
    """The warnings' projects, in one query (portfolio warnings have none)."""
    wanted = sorted({w.project_id for w in warnings if w.project_id is not None})
    if not wanted:
        return {}
    return {p.id: p for p in session.scalars(select(Project).where(Project.id.in_(wanted)))}
