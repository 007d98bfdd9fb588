"""``keyproj demo``: load the demo county (示范县) through the paths a real county uses, deterministically.

Units and accounts through the administration services, leaders, liaisons and teams through the
registry imports, projects and their plans through the ledger import, issues and reports through
the services the pages use; then the first scan, the same the worker runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from keyproj.clock import now_utc
from keyproj.codes import IssueStatus, PlanStatus, ReportStatus
from keyproj.db import models
from keyproj.db.models import Leader, Project, Unit, User
from keyproj.db.session import unit_of_work
from keyproj.demo import history, people
from keyproj.demo.county import DemoAccount, DemoCounty
from keyproj.demo.data import DEMO_PASSWORD
from keyproj.demo.ledger import import_ledger
from keyproj.errors import Conflict
from keyproj.policy import PolicyProfile
from keyproj.services.reference.setup import seed_offices
from keyproj.services.scan.jobs import scan_and_start
from keyproj.services.triage.queue import queue_count

__all__ = [
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoAlreadyLoaded",
    "DemoSummary",
    "load_and_scan",
    "load_demo",
]

# Summary field → (model, condition) counted after the load.
COUNTED: dict[str, tuple[Any, ...]] = {
    "units": (Unit,),
    "leaders": (Leader,),
    "users": (User,),
    "liaisons": (models.Liaison,),
    "projects": (Project,),
    "plans": (models.PlanVersion, models.PlanVersion.status == PlanStatus.APPROVED),
    "reports": (models.Report, models.Report.status == ReportStatus.SUBMITTED),
    "report_drafts": (models.Report, models.Report.status != ReportStatus.SUBMITTED),
    "issues_open": (models.ProjectIssue, models.ProjectIssue.status == IssueStatus.OPEN),
    "issues_resolved": (models.ProjectIssue, models.ProjectIssue.status == IssueStatus.RESOLVED),
}


class DemoAlreadyLoaded(Conflict):
    """The demo's units exist already: the demo is loaded once per database."""


@dataclass
class DemoSummary:
    """What ``load_demo`` created (counts are of the whole database after the load)."""

    profile_id: str
    profile_name: str
    today: date
    units: int
    leaders: int
    users: int
    liaisons: int
    projects: int
    plans: int
    reports: int
    report_drafts: int
    issues_open: int
    issues_resolved: int
    accounts: list[DemoAccount] = field(default_factory=list)
    password: str = DEMO_PASSWORD
    warnings: int | None = None  # raised by the first scan; None before it ran
    cases: int | None = None
    queued: int | None = None  # warnings left in the key office's triage (LP13)
    scan_errors: dict[str, str] = field(default_factory=dict)


def load_demo(session: Session, profile: PolicyProfile, today: date) -> DemoSummary:
    """Load the demo county on ``profile`` as of ``today``; the same inputs give the same data."""
    county = DemoCounty(session, profile, today)
    _refuse_reload(county)
    seed_offices(session)
    people.build_people(county)
    import_ledger(county)
    history.open_issues(county)
    history.file_reports(county)
    count: dict[str, Any] = {
        name: session.scalar(select(func.count()).select_from(model).where(*where)) or 0
        for name, (model, *where) in COUNTED.items()
    }
    meta = profile.profile
    return DemoSummary(meta.id, meta.name, today, **count, accounts=county.accounts)


def load_and_scan(
    factory: sessionmaker[Session],
    profile: PolicyProfile,
    today: date,
    now: Callable[[], Any] = now_utc,
) -> DemoSummary:
    """Load the demo and commit it, then run the first scan as the worker does (its warnings
    wait in the key office's triage, or have their cases where the profile issues the first
    notices automatically, before anyone signs in)."""
    with unit_of_work(factory) as session:
        summary = load_demo(session, profile, today)
    scanned = scan_and_start(factory, profile, today, now)
    summary.warnings, summary.cases = scanned.new_warnings, scanned.cases_started
    with unit_of_work(factory) as session:
        summary.queued = queue_count(session)
    summary.scan_errors = dict(scanned.errors)
    return summary


def _refuse_reload(c: DemoCounty) -> None:
    session = c.session
    if session.scalar(select(Unit.id).where(Unit.code.in_(c.units))) is not None:
        raise DemoAlreadyLoaded("演示数据已载入")
    names = people.usernames(c.units)
    taken = sorted(session.scalars(select(User.username).where(User.username.in_(names))))
    if taken:
        raise Conflict(f"用户名 {'、'.join(taken)} 已存在，演示数据只能载入新建的数据库")
    if session.scalar(select(Project.id).limit(1)) is not None:
        raise Conflict("数据库中已有项目，演示数据只能载入新建的数据库")
