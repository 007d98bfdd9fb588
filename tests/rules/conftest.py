"""A small county for the rule tests, and helpers that build plans, reports and issues by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.db.models import Project, ProjectIssue, Report
from keyproj.policy import PolicyProfile, load_profile
from keyproj.rules import Candidate, RuleContext
from keyproj.services.org.directory import save_leader
from keyproj.services.projects.plans import PlanData, PlanPeriodData, file_approved
from keyproj.services.projects.project import TeamMemberData, set_team
from keyproj.services.reference.calendar import cached_calendar
from tests import factories

Rule = Callable[[RuleContext], Iterable[Candidate]]


def bj(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A Beijing moment on ``day``."""
    return datetime.combine(day, time(hour, minute), tzinfo=BEIJING)


def found(
    session: Session, profile: str | PolicyProfile, today: date, rule: Rule
) -> list[Candidate]:
    """What one rule finds on ``today``, the way the scan calls it."""
    policy = load_profile(profile) if isinstance(profile, str) else profile
    ctx = RuleContext(session, policy, today, bj(today), lambda: cached_calendar(session))
    return list(rule(ctx))


@dataclass
class County:
    """Two towns and a department; projects approved on 1 January 2026 unless told otherwise."""

    session: Session

    def project(self, name: str = "城关镇污水处理厂提标改造工程", **overrides: Any) -> Project:
        values: dict[str, Any] = {"name": name, "approved_on": date(2026, 1, 1)}
        values.update(overrides)
        return factories.project(self.session, "T01", **values)

    def plan(
        self, project: Project, year: int, rows: list[tuple[str, str, str]], kind: str = "monthly"
    ) -> None:
        """An approved plan: rows of (period key, investment in the period, cumulative %)."""
        parts = [PlanPeriodData(key, Decimal(inv), Decimal(pct)) for key, inv, pct in rows]
        total = sum((p.planned_investment for p in parts), Decimal(0))
        file_approved(self.session, project, year, PlanData(total, parts, "年度目标"), kind)

    def report(
        self,
        project: Project,
        cycle: str,
        key: str,
        annual: str = "0",
        pct: str = "0",
        status: str = "submitted",
        submitted: datetime | None = None,
        **overrides: Any,
    ) -> Report:
        """A report of ``cycle`` for period ``key`` (submitted on its due day unless told)."""
        period = periods.parse(cycle, key)
        values: dict[str, Any] = {
            "project_id": project.id,
            "period": key,
            "period_end": period.end,
            "status": status,
            "total_investment": project.total_investment,
            "cumulative_completed": Decimal(annual),
            "annual_plan_investment": Decimal("12000"),
            "annual_completed": Decimal(annual),
            "start_status": "started",
            "started_on": date(2026, 1, 5),
            "progress_pct": Decimal(pct),
            "procedures": {},
            "submitted_at": submitted or (bj(period.start) if status == "submitted" else None),
        }
        values.update(overrides)
        row = Report(**values)
        self.session.add(row)
        self.session.flush()
        return row

    def issue(
        self, project: Project, title: str, opened_on: date, **overrides: Any
    ) -> ProjectIssue:
        return factories.issue(self.session, project, title, opened_on=opened_on, **overrides)


@pytest.fixture
def county(session: Session) -> County:
    factories.unit(session, "T01", "城关镇")
    factories.unit(session, "T02", "东山镇")
    factories.unit(session, "D01", "县交通运输局", kind="county_department")
    leader = save_leader(session, "李明", "副县长")
    assert leader.id
    session.flush()
    return County(session)


def team(session: Session, project: Project, head: str, leader: str = "李明") -> None:
    """The GS3 "1+3" team: the county leader as chief and the unit's head as responsible person."""
    set_team(
        session,
        project,
        [
            TeamMemberData("chief", leader, None, "XLD", leader),
            TeamMemberData("responsible", head, None, unit_code="T01"),
        ],
    )


def keys(candidates: list[Candidate]) -> list[tuple[str, str, str]]:
    """(rule id, period, colour) of each candidate, in order."""
    return [(c.rule_id, c.period, c.colour) for c in candidates]
