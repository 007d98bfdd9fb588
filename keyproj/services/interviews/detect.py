"""What the system can find of HD6's triggers: a unit in the bottom places of two rankings
(之一), a ledger start or completion date missed (之二), a leader's instruction past its day
and unanswered (之三). Each finding names its unit, its subject and the evidence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeGuard

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import STARTED, CaseUnitRole, InterviewTrigger, ProjectStage, StartStatus
from keyproj.codes import ReportStatus as RS
from keyproj.db.models import (
    Case,
    CaseInstruction,
    CaseUnit,
    EarlyWarning,
    Leader,
    Project,
    RankingRun,
    Report,
)
from keyproj.policy.interviews import Interviews
from keyproj.services.rankings.compute import UnitRow, from_json

# A stage at or past 主体施工 means the works began; 竣工验收 or 投入使用 that they were finished.
STARTED_STAGES = (ProjectStage.UNDER_CONSTRUCTION, ProjectStage.ACCEPTANCE, ProjectStage.IN_USE)
COMPLETED_STAGES = (ProjectStage.ACCEPTANCE, ProjectStage.IN_USE)
TWO_RANKINGS = (
    "两次通报指同一年度内两个不同通报期的排名（每期以最后保存的排名为准），不要求连续；"
    "此后每再有两期排在后{n}位，再提出一次。"
)


@dataclass(frozen=True)
class Finding:
    """A trigger found in the data: whom it concerns, about what, and the evidence."""

    unit_id: int
    trigger: InterviewTrigger
    subject: str  # what the finding is about, so that the same one is proposed once
    reason: str
    evidence: dict[str, Any]
    project_ids: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The proposal's key: one proposal per unit, trigger and subject."""
        return f"{self.unit_id}:{self.trigger.value}:{self.subject}"


def findings(session: Session, settings: Interviews, today: date) -> list[Finding]:
    """Every finding of the three triggers the system can detect, as of ``today``."""
    return [
        *bottom_twice(session, settings, today),
        *ledger_dates_missed(session, settings, today),
        *instructions_not_acted(session, today),
    ]


# --- 之一: 凡两次通报均排在后三位的 ------------------------------------------------------------


def bottom_twice(session: Session, settings: Interviews, today: date) -> Iterator[Finding]:
    """Units in the bottom places of ``settings.rankings`` periods of one year (this year's and,
    for the rankings of its last quarter published in January, last year's)."""
    for year in (today.year - 1, today.year):
        placed: dict[int, list[dict[str, Any]]] = {}
        for run in _newest_run_per_period(session, year):
            for group in from_json(run.figures):
                for row in _bottom(group.rows, settings.bottom_places):
                    placed.setdefault(row.unit_id, []).append(_placing(run, group.label, row))
        for unit_id, places in placed.items():
            for start in range(0, len(places) - settings.rankings + 1, settings.rankings):
                yield _bottom_finding(
                    unit_id, year, places[start : start + settings.rankings], settings
                )


def _newest_run_per_period(session: Session, year: int) -> list[RankingRun]:
    """The last stored run of each period ending in ``year``, in the periods' order."""
    newest: dict[str, RankingRun] = {}
    for run in session.scalars(select(RankingRun).order_by(RankingRun.id)):
        if periods.parse(run.cadence, run.period).end.year == year:
            newest[run.period] = run
    return sorted(newest.values(), key=lambda r: periods.parse(r.cadence, r.period).end)


def _bottom(rows: list[UnitRow], places: int) -> list[UnitRow]:
    """The ranked rows with fewer than ``places`` units below them (ties share the place)."""
    rates = [r.rate for r in rows if r.rate is not None]
    return [r for r in rows if r.rate is not None and sum(1 for o in rates if o < r.rate) < places]


def _placing(run: RankingRun, group: str, row: UnitRow) -> dict[str, Any]:
    label = periods.parse(run.cadence, run.period).label
    return {
        "run_id": run.id,
        "period": run.period,
        "label": label,
        "group": group,
        "rank": row.rank,
        "rate": row.rate_text,
        "unit": row.unit,
    }


def _bottom_finding(
    unit_id: int, year: int, places: list[dict[str, Any]], settings: Interviews
) -> Finding:
    shown = "、".join(f"{p['label']}第{p['rank']}名（完成率{p['rate']}）" for p in places)
    reason = (
        f"{places[0]['unit']}在{year}年{len(places)}次排名通报中均排在后{settings.bottom_places}位："
        f"{shown}。" + TWO_RANKINGS.format(n=settings.bottom_places)
    )
    subject = f"{year}:" + "+".join(p["period"] for p in places)
    evidence = {"year": year, "bottom_places": settings.bottom_places, "runs": places}
    return Finding(unit_id, InterviewTrigger.BOTTOM_TWICE, subject, reason, evidence)


# --- 之二: 按照台账计划，项目应开工、竣工而未按时开工、竣工的 ----------------------------------------


def ledger_dates_missed(session: Session, settings: Interviews, today: date) -> Iterator[Finding]:
    """Projects past their ledger start without a reported start, or past their ledger
    completion without a reported completion (a missed start is the finding until it starts)."""
    last_day = today - timedelta(days=settings.ledger_grace_days + 1)
    newest = _newest_reports(session)
    projects = session.scalars(
        select(Project)
        .where((Project.planned_start <= last_day) | (Project.planned_completion <= last_day))
        .order_by(Project.code)
    )
    for project in projects:
        report = newest.get(project.id)
        status = report.start_status if report else None
        started = status in STARTED or project.stage in STARTED_STAGES
        completed = status == StartStatus.COMPLETED or project.stage in COMPLETED_STAGES
        if _passed(project.planned_start, last_day) and not started:
            yield _date_finding(project, "start", project.planned_start, report, today)
        elif _passed(project.planned_completion, last_day) and not completed:
            yield _date_finding(project, "completion", project.planned_completion, report, today)


def _passed(planned: date | None, last_day: date) -> TypeGuard[date]:
    return planned is not None and planned <= last_day


def _newest_reports(session: Session) -> dict[int, Report]:
    """Each project's newest submitted report."""
    newest = (
        select(Report.project_id, func.max(Report.period_end).label("end"))
        .where(Report.status == RS.SUBMITTED)
        .group_by(Report.project_id)
        .subquery()
    )
    rows = session.scalars(
        select(Report).join(
            newest,
            and_(
                Report.project_id == newest.c.project_id,
                Report.period_end == newest.c.end,
                Report.status == RS.SUBMITTED,
            ),
        )
    )
    return {r.project_id: r for r in rows}


def _date_finding(
    project: Project, which: str, planned: date, report: Report | None, today: date
) -> Finding:
    word = "开工" if which == "start" else "竣工"
    if report is None:
        reported = "至今没有已报送的进度报告"
    else:
        reported = (
            f"最新已报送的{report.period}进度报告为“{StartStatus.label_of(report.start_status)}”"
        )
    reason = (
        f"项目“{project.name}”台账计划{planned}{word}，截至{today}未按时{word}（{reported}，"
        f"项目阶段为“{ProjectStage.label_of(project.stage)}”）。"
    )
    evidence = {
        "project_id": project.id,
        "project": project.name,
        "which": which,
        "planned": planned.isoformat(),
        "report_period": report.period if report else None,
        "start_status": str(report.start_status) if report else None,
        "started_on": report.started_on.isoformat() if report and report.started_on else None,
        "stage": str(project.stage),
    }
    subject = f"project:{project.id}:{which}:{planned.isoformat()}"
    trigger = InterviewTrigger.LEDGER_DATE_MISSED
    return Finding(project.lead_unit_id, trigger, subject, reason, evidence, [project.id])


# --- 之三: 对市政府主要领导关于项目的具体要求落实不力 --------------------------------------------------


def instructions_not_acted(session: Session, today: date) -> Iterator[Finding]:
    """Leaders' instructions past their day without a responsible unit's answer."""
    rows = session.execute(
        select(CaseInstruction, Leader.name, EarlyWarning.project_id)
        .join(Leader, Leader.id == CaseInstruction.leader_id)
        .join(Case, Case.id == CaseInstruction.case_id)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .where(CaseInstruction.answered_at.is_(None), CaseInstruction.due_on < today)
        .order_by(CaseInstruction.id)
    ).all()
    for instruction, leader, project_id in rows:
        project = session.get(Project, project_id) if project_id else None
        unit_id = _lead_unit(session, instruction.case_id) or (
            project.lead_unit_id if project else None
        )
        if unit_id is None:
            continue
        about = f"项目“{project.name}”" if project else f"案件{instruction.case_id}"
        reason = (
            f"{leader}对{about}批示“{instruction.text}”，要求{instruction.due_on}前落实，"
            f"截至{today}责任单位未答复，没有明确措施和工作进度。"
        )
        evidence = {
            "instruction_id": instruction.id,
            "case_id": instruction.case_id,
            "leader": leader,
            "text": instruction.text,
            "due_on": instruction.due_on.isoformat() if instruction.due_on else None,
        }
        yield Finding(
            unit_id,
            InterviewTrigger.REQUIREMENT_NOT_ACTED,
            f"instruction:{instruction.id}",
            reason,
            evidence,
            [project.id] if project else [],
        )


def _lead_unit(session: Session, case_id: int) -> int | None:
    return session.scalar(
        select(CaseUnit.unit_id).where(
            CaseUnit.case_id == case_id, CaseUnit.role == CaseUnitRole.LEAD
        )
    )
