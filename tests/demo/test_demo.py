"""The demo county: 52 projects, every role, all LP7 categories, a realistic mix, deterministic,
taken in through the paths a real county uses (administration, registry and ledger imports)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.main import cli
from keyproj import periods
from keyproj.clock import now_utc
from keyproj.codes import ISSUE_CATEGORIES, ROLES, AdminAction, Role, WarningStatus
from keyproj.db.models import (
    AdminChange,
    Case,
    EarlyWarning,
    Leader,
    Liaison,
    Project,
    ProjectIssue,
    Report,
    Unit,
    UrgentIssueReport,
    User,
)
from keyproj.db.session import make_engine
from keyproj.demo import ledger as demo_ledger
from keyproj.demo.data import DEMO_PASSWORD, DEPARTMENTS, TOWNS
from keyproj.demo.loader import DemoAlreadyLoaded, load_demo
from keyproj.errors import Conflict
from keyproj.policy import PolicyProfile, load_profile
from keyproj.services.access import viewer_for
from keyproj.services.org import leaders, liaisons
from keyproj.services.org.auth import sign_in
from keyproj.services.projects import plans, teams
from keyproj.services.projects.ledger.export import export_projects
from keyproj.services.projects.ledger.importing import import_projects
from keyproj.services.projects.project import list_projects
from keyproj.services.reference.setup import init_database

pytestmark = pytest.mark.slow

TODAY = date(2026, 11, 23)
EARLY = date(2026, 3, 10)


def load(session: Session, profile_name: str, today: date = TODAY) -> PolicyProfile:
    """Load the demo and commit, as ``keyproj demo`` does."""
    profile = load_profile(profile_name)
    load_demo(session, profile, today)
    session.commit()
    return profile


def user(session: Session, username: str) -> User:
    return session.scalars(select(User).where(User.username == username)).one()


def planned_by(session: Session, profile: PolicyProfile, project: Project, day: date) -> float:
    """The approved plan's investment by ``day`` (linear within a breakdown period); -1 without a plan."""
    version = plans.current_version(session, project.id, day.year)
    if version is None:
        return -1.0
    total = 0.0
    for row in version.periods:
        period = periods.parse(profile.plans.breakdown, row.period)
        if day >= period.end:
            total += float(row.planned_investment)
        elif day >= period.start:
            days = (period.end - period.start).days + 1
            total += float(row.planned_investment) * ((day - period.start).days + 1) / days
    return total


def latest_mix(session: Session, profile: PolicyProfile) -> Counter[str]:
    """Each project classified by its report for the latest reported period."""
    latest = session.scalar(select(Report.period_end).order_by(Report.period_end.desc()).limit(1))
    mix: Counter[str] = Counter()
    for project in session.scalars(select(Project)):
        report = session.scalar(
            select(Report).where(Report.project_id == project.id, Report.period_end == latest)
        )
        if report is None or report.status != "submitted":
            mix["missing"] += 1
        elif report.start_status == "not_started":
            mix["not_started"] += 1
            assert report.annual_completed == 0
            assert report.not_started_reason
        else:
            planned = planned_by(session, profile, project, report.period_end)
            ratio = float(report.annual_completed) / planned if planned > 0 else None
            if ratio is None:
                mix["no_plan"] += 1
            else:
                mix["on_track" if ratio >= 0.9 else "lagging" if ratio >= 0.3 else "other"] += 1
    return mix


def assert_reports_consistent(session: Session) -> None:
    """Amounts never negative, annual ≤ cumulative, progress never falling from period to period."""
    last: dict[int, tuple[Decimal, Decimal]] = {}
    for r in session.scalars(select(Report).order_by(Report.project_id, Report.period_end)):
        assert 0 <= r.annual_completed <= r.cumulative_completed <= r.total_investment
        assert 0 <= r.progress_pct <= 100
        previous = last.get(r.project_id, (Decimal(0), Decimal(0)))
        assert r.cumulative_completed >= previous[0]
        assert r.progress_pct >= previous[1]
        last[r.project_id] = (r.cumulative_completed, r.progress_pct)


def assert_plans_fit_profile(session: Session, profile: PolicyProfile) -> None:
    projects = list(session.scalars(select(Project)))
    versions = [plans.current_version(session, p.id, TODAY.year) for p in projects]
    filed = [v for v in versions if v is not None]
    assert 49 <= len(filed) <= 50  # 2–3 projects lack a plan (LP6)
    expected = 12 if profile.plans.breakdown == "monthly" else 4
    for version in filed:
        assert len(version.periods) == expected
        assert sum(p.planned_investment for p in version.periods) == version.annual_investment
        pcts = [p.planned_progress_pct for p in version.periods]
        assert pcts == sorted(pcts)


@pytest.mark.parametrize(
    "profile_name", ["lianping", "guangshan", "alxa_left", "handan", "dancheng"]
)
def test_demo_county_is_complete_and_realistic(session, profile_name):
    profile = load(session, profile_name)

    projects = list(session.scalars(select(Project)))
    assert len(projects) == 52  # DC1
    assert len({p.code for p in projects}) == 52
    assert sum(p.total_investment >= 50000 for p in projects) >= 3  # LP10 spot-check material
    assert any(p.central_funds for p in projects)
    assert any(p.industry_chain for p in projects)
    assert {p.nature for p in projects} == {"new", "continued", "preliminary", "completed"}
    # Each project's team names exactly the roles the county's regulation sets (GS3, DC1, …).
    team = set(profile.team.roles)
    assert all(p.leader_id and {m.role for m in p.team} == team for p in projects)

    roles = {row.role for u in session.scalars(select(User)) for row in u.role_rows}
    # Every role but the provincial system's account (no provincial system sends it anything);
    # the bureau's reviewer (LP8) where the profile has the bureau review the reports.
    expected = set(ROLES) - {Role.INTEGRATION}
    if not profile.reporting.reviewed_by_drb:
        expected.discard(Role.DRB_REVIEWER)
    assert roles == expected
    units = [code for code, _ in TOWNS + DEPARTMENTS]
    with_liaison = set(session.scalars(select(Unit.code).join(Liaison, Liaison.unit_id == Unit.id)))
    assert with_liaison == set(units)  # LP5, AL8
    assert session.scalar(select(Liaison.id).where(Liaison.project_id.is_not(None)))

    open_issues = list(session.scalars(select(ProjectIssue).where(ProjectIssue.status == "open")))
    assert {i.category for i in open_issues} == set(ISSUE_CATEGORIES)  # LP7
    assert any(i.urgent for i in open_issues)  # LP9
    assert any((TODAY - i.opened_on).days > 31 for i in open_issues)  # LP11-3

    assert_plans_fit_profile(session, profile)
    assert_reports_consistent(session)
    cycle = periods.of_year(profile.reporting.cycle, TODAY.year)
    due = {p.key for p in cycle if periods.due_date(p, profile.reporting) <= TODAY}
    assert set(session.scalars(select(Report.period))) == due  # every due period, none ahead
    mix = latest_mix(session, profile)
    assert mix["on_track"] >= 20, mix
    assert mix["lagging"] >= 8, mix
    assert mix["not_started"] >= 3, mix
    assert mix["missing"] >= 2, mix
    assert mix["other"] == 0, mix


def test_demo_scopes_key_office_to_everything_and_a_town_to_its_own(session):
    load(session, "lianping")
    zdb = viewer_for(session, user(session, "zdb"))
    assert len(list_projects(session, zdb)) == 52

    town = session.scalars(select(Unit).where(Unit.code == "TOWN02")).one()
    liaison = viewer_for(session, user(session, "town02"))
    seen = list_projects(session, liaison)
    own = session.scalars(select(Project).where(Project.lead_unit_id == town.id)).all()
    assert seen
    assert {p.id for p in seen} == {p.id for p in own}

    leader = viewer_for(session, user(session, "leader01"))
    assert all(p.leader_id == leader.leader_id for p in list_projects(session, leader))
    assert sign_in(session, "dept03-head", DEMO_PASSWORD, now_utc()).user is not None

    with pytest.raises(DemoAlreadyLoaded) as info:
        load_demo(session, load_profile("lianping"), TODAY)
    assert isinstance(info.value, Conflict)
    assert str(info.value) == "演示数据已载入"


def fingerprint(session: Session) -> dict[str, list[tuple[object, ...]]]:
    """Names, codes and amounts that two loads of the same day and profile must share."""
    code = {p.id: p.code for p in session.scalars(select(Project))}
    return {
        "projects": sorted(
            (p.code, p.name, p.total_investment, p.approved_on)
            for p in session.scalars(select(Project))
        ),
        "reports": sorted(
            (code[r.project_id], r.period, r.cumulative_completed, r.progress_pct, r.status)
            for r in session.scalars(select(Report))
        ),
        "users": sorted((u.username, u.display_name) for u in session.scalars(select(User))),
        "issues": sorted(
            (code[i.project_id], i.category, i.title, i.opened_on, i.status)
            for i in session.scalars(select(ProjectIssue))
        ),
    }


@pytest.mark.parametrize("profile_name", ["alxa_left"])
def test_demo_is_deterministic(session, tmp_path: Path, profile_name):
    load(session, profile_name)
    engine = make_engine(f"sqlite:///{tmp_path / 'second.db'}")
    init_database(engine)
    try:
        with Session(engine) as other:
            load(other, profile_name)
            assert fingerprint(other) == fingerprint(session)
    finally:
        engine.dispose()


@pytest.mark.parametrize("profile_name", ["guangshan"])
def test_demo_early_in_the_year(session, profile_name):
    profile = load(session, profile_name, EARLY)
    assert len(session.scalars(select(Project.id)).all()) == 52
    categories = session.scalars(select(ProjectIssue.category).where(ProjectIssue.status == "open"))
    assert set(categories) == set(ISSUE_CATEGORIES)
    reports = list(session.scalars(select(Report)))
    assert reports
    for report in reports:
        period = periods.parse(profile.reporting.cycle, report.period)
        assert periods.due_date(period, profile.reporting) <= EARLY
        assert report.started_on is None or report.started_on <= EARLY
    assert_reports_consistent(session)
    assert_plans_fit_profile(session, profile)


def test_cli_demo_loads_once_and_then_notes_it(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("KEYPROJ_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("KEYPROJ_PROFILE", "dancheng")
    runner = CliRunner()
    first = runner.invoke(cli, ["demo", "--date", "2026-11-23"])
    assert first.exit_code == 0, first.output
    assert "郸城县" in first.output
    assert "重点项目 52 个" in first.output
    assert DEMO_PASSWORD in first.output
    assert "town01-head" in first.output
    # The first scan has run: its warnings wait in the key office's triage (LP13).
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        with Session(engine) as session:
            statuses = Counter(session.scalars(select(EarlyWarning.status)))
            cases = len(session.scalars(select(Case.id)).all())
    finally:
        engine.dispose()
    warnings = sum(statuses.values())
    assert warnings > 0
    # Issue 15: new warnings wait in triage; late reports only remind (the profile's severity).
    queued = statuses[WarningStatus.OPEN]
    assert cases == 0
    assert 0 < queued < warnings
    assert statuses[WarningStatus.REMINDED] > 0
    assert (
        f"首次预警扫描：新增预警 {warnings} 条，启动督办案件 0 件，待重点办研判 {queued} 条"
        in first.output
    )
    again = runner.invoke(cli, ["demo", "--date", "2026-11-23"])
    assert again.exit_code == 0, again.output
    assert "演示数据已载入" in again.output


class Calls:
    """Counts the calls of the functions it wraps, which still do their work."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.counts: Counter[str] = Counter()
        self.monkeypatch = monkeypatch

    def watch(self, module: object, name: str) -> None:
        real = getattr(module, name)

        def counted(*args: object, **kwargs: object) -> object:
            self.counts[name] += 1
            return real(*args, **kwargs)

        self.monkeypatch.setattr(module, name, counted)


def test_demo_comes_in_through_the_administration_and_import_paths(session, monkeypatch):
    calls = Calls(monkeypatch)
    calls.watch(demo_ledger, "import_projects")
    for module, name in (
        (leaders, "import_leaders"),
        (liaisons, "import_liaisons"),
        (teams, "import_teams"),
    ):
        calls.watch(module, name)
    profile = load(session, "dancheng")
    assert calls.counts == {
        "import_projects": 1,
        "import_leaders": 1,
        "import_liaisons": 2,  # the units' liaisons, then the construction units' by project
        "import_teams": 1,
    }

    # The administrator's change log names every unit and account the demo made.
    changes = list(session.scalars(select(AdminChange)))
    created = Counter(c.action for c in changes)
    assert created[AdminAction.UNIT_CREATED] == len(TOWNS + DEPARTMENTS)
    assert created[AdminAction.USER_CREATED] == len(session.scalars(select(User.id)).all())
    assert {c.actor for c in changes} == {"命令行", "admin"}  # the first administrator, then them

    # The leader registry linked every leader to an account, which sees the projects it leads.
    for leader in session.scalars(select(Leader)):
        assert leader.user_id is not None
        viewer = viewer_for(session, session.get_one(User, leader.user_id))
        led = session.scalars(select(Project.id).where(Project.leader_id == leader.id)).all()
        assert {p.id for p in list_projects(session, viewer)} >= set(led)

    # DC1's site-sign roles, which the team import takes only from the profile.
    roles = {m.role for p in session.scalars(select(Project)) for m in p.team}
    assert roles == set(profile.team.roles)
    # Urgent issues started the key office's LP9 duty, as on the issue page.
    urgent = session.scalars(select(ProjectIssue.id).where(ProjectIssue.urgent.is_(True))).all()
    duties = session.scalars(select(UrgentIssueReport.issue_id)).all()
    assert urgent
    assert set(duties) == set(urgent)

    # The key office's export of the demo's ledger imports again unchanged: the demo's projects
    # and plans are what the ledger import accepts from a county.
    zdb = viewer_for(session, user(session, "zdb"))
    book = export_projects(session, zdb, TODAY.year)
    again = import_projects(session, book, TODAY.year, profile.plans.breakdown, today=TODAY)
    assert (again.created, again.updated, again.plans_filed) == (0, 52, 0)
