"""Small builders of single records, on top of the real services where there is one."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from decimal import Decimal
from itertools import count

from sqlalchemy.orm import Session

from keyproj.clock import now_utc
from keyproj.db.models import EarlyWarning, PlanVersion, Project, ProjectIssue, Report, Unit, User
from keyproj.services.org.directory import UserData, create_user, save_unit
from keyproj.services.projects.plans import PlanData, PlanPeriodData, file_approved
from keyproj.services.projects.project import ProjectData, create_project
from tests.builders import evidence

PASSWORD = "Test#2026pass"
_serial = count(1)


def unit(session: Session, code: str = "T01", name: str | None = None, kind: str = "town") -> Unit:
    """A unit (a town by default)."""
    return save_unit(session, code, name or f"测试单位{code}", kind)


def user(session: Session, username: str, unit_code: str, *roles: str) -> User:
    """A user of ``unit_code`` with ``roles`` and the shared test password."""
    return create_user(
        session,
        UserData(username, f"用户{username}", unit_code, PASSWORD, list(roles) or ["unit_liaison"]),
    )


def project_data(lead_unit_code: str = "T01", **overrides: object) -> ProjectData:
    """Valid project data with a fresh code."""
    values: dict[str, object] = {
        "code": f"2026-441623-48-01-{next(_serial):06d}",
        "name": "测试道路改建工程",
        "level": "county",
        "nature": "new",
        "total_investment": Decimal("12000"),
        "lead_unit_code": lead_unit_code,
    }
    values.update(overrides)
    return ProjectData(**values)  # type: ignore[arg-type]


def project(session: Session, lead_unit_code: str = "T01", **overrides: object) -> Project:
    """A stored project."""
    return create_project(session, project_data(lead_unit_code, **overrides))


def approved_plan(
    session: Session, project: Project, year: int, monthly: list[tuple[int, str, str]]
) -> PlanVersion:
    """An approved monthly plan: ``monthly`` holds (month, investment 万元, cumulative progress %)."""
    data = PlanData(
        annual_investment=sum((Decimal(inv) for _, inv, _ in monthly), Decimal(0)),
        periods=[
            PlanPeriodData(f"{year}-{month:02d}", Decimal(inv), Decimal(pct))
            for month, inv, pct in monthly
        ],
        milestones="年内完成主体结构",
    )
    return file_approved(session, project, year, data, "monthly")


def report(session: Session, project: Project, period: str, **overrides: object) -> Report:
    """A stored progress report for a monthly ``period`` (submitted unless overridden)."""
    year, month = (int(part) for part in period.split("-"))
    values: dict[str, object] = {
        "project_id": project.id,
        "period": period,
        "period_end": date(year, month, monthrange(year, month)[1]),
        "status": "submitted",
        "total_investment": project.total_investment,
        "cumulative_completed": Decimal("1000"),
        "annual_plan_investment": Decimal("3000"),
        "annual_completed": Decimal("500"),
        "start_status": "started",
        "progress_pct": Decimal("20"),
        "procedures": {},
        "submitted_at": now_utc(),
    }
    values.update(overrides)
    row = Report(**values)
    session.add(row)
    session.flush()
    return row


def issue(
    session: Session, project: Project, title: str, category: str = "land", **overrides: object
) -> ProjectIssue:
    """A stored ledger entry owned by the project's lead unit (open unless overridden)."""
    values: dict[str, object] = {
        "project_id": project.id,
        "category": category,
        "title": title,
        "owner_unit_id": project.lead_unit_id,
        "opened_on": date(2026, 1, 5),
        "status": "open",
    }
    values.update(overrides)
    row = ProjectIssue(**values)
    session.add(row)
    session.flush()
    return row


def warning(session: Session, project: Project, period: str, **overrides: object) -> EarlyWarning:
    """A stored open progress warning."""
    values: dict[str, object] = {
        "rule_id": "progress_lag",
        "project_id": project.id,
        "period": period,
        "level": "progress",
        "colour": "red",
        "evidence": evidence.lag("3000", "500", period),
        "raised_at": now_utc(),
    }
    values.update(overrides)
    row = EarlyWarning(**values)
    session.add(row)
    session.flush()
    return row
