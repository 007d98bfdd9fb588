"""``keyproj demo``: load the demo county (示范县) through the real services, deterministically."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.codes import IssueStatus, PlanStatus, ReportStatus, Role, StartStatus, UnitKind
from keyproj.db import models
from keyproj.db.models import Leader, Project, Report, Unit, User
from keyproj.demo import data
from keyproj.demo.data import DEMO_PASSWORD, Scheme
from keyproj.errors import Conflict
from keyproj.passwords import hash_password
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, viewer_for
from keyproj.services.org import directory as org
from keyproj.services.projects import issues, plans, reports
from keyproj.services.projects.project import ProjectData, TeamMemberData, create_project, set_team
from keyproj.services.reference.setup import seed_offices

SEED = 2026
URGENT, RESOLVED = {2, 5, 9, 14}, {8, 11, 12, 16, 19, 22}  # positions in the list of 24 issues
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


@dataclass(frozen=True)
class DemoAccount:
    """One demo sign-in; every one has DEMO_PASSWORD."""

    username: str
    display_name: str
    unit_code: str
    unit_name: str
    roles: tuple[str, ...]


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


def load_demo(session: Session, profile: PolicyProfile, today: date) -> DemoSummary:
    """Load the demo county on ``profile`` as of ``today``; the same inputs give the same data."""
    return _Loader(session, profile, today).run()


class _Loader:
    """Builds the county step by step. One Random drives every choice and reports come last,
    so all but the reports is the same on every profile."""

    def __init__(self, session: Session, profile: PolicyProfile, today: date):
        self.session, self.profile, self.today, self.year = session, profile, today, today.year
        self.rng = random.Random(SEED)
        self.names: set[str] = set()
        self.units = dict(data.TOWNS + data.DEPARTMENTS)
        self.staff: dict[str, dict[str, tuple[str, str]]] = {}  # unit → post → (name, phone)
        self.leaders: dict[str, Leader] = {}  # lead unit code → linked county leader
        self.viewers: dict[str, tuple[Viewer, Viewer]] = {}  # unit → (liaison, head)
        self.accounts: list[DemoAccount] = []
        self.schemes: list[Scheme] = []
        self.projects: list[Project] = []
        self.password_hash = hash_password(DEMO_PASSWORD)

    def run(self) -> DemoSummary:
        """Every step in order; a failure rolls back with the caller's transaction."""
        self._refuse_reload()
        seed_offices(self.session)
        self._people()
        self._projects()
        self._plans()
        self._issues()
        self._reports()
        count: dict[str, Any] = {
            name: self.session.scalar(select(func.count()).select_from(model).where(*where)) or 0
            for name, (model, *where) in COUNTED.items()
        }
        profile = self.profile.profile
        return DemoSummary(profile.id, profile.name, self.today, **count, accounts=self.accounts)

    # --- organisation -------------------------------------------------------------------

    def _refuse_reload(self) -> None:
        if self.session.scalar(select(Unit.id).where(Unit.code.in_(self.units))) is not None:
            raise DemoAlreadyLoaded("演示数据已载入")
        names = [a[0] for a in data.OFFICE_ACCOUNTS] + [f"leader{i:02d}" for i in range(1, 13)]
        names += [c.lower() for c in self.units] + [f"{c.lower()}-head" for c in self.units]
        taken = sorted(self.session.scalars(select(User.username).where(User.username.in_(names))))
        if taken:
            raise Conflict(f"用户名 {'、'.join(taken)} 已存在，演示数据只能载入新建的数据库")
        if self.session.scalar(select(Project.id).limit(1)) is not None:
            raise Conflict("数据库中已有项目，演示数据只能载入新建的数据库")

    def _person(self) -> tuple[str, str]:
        return data.person(self.rng, self.names)

    def _user(self, username: str, person: tuple[str, str], unit: str, *roles: str) -> User:
        fields = org.UserData(
            username, person[0], unit, DEMO_PASSWORD, list(roles), phone=person[1]
        )
        # One argon2 hash for the shared demo password: ~0.2 s a hash would dominate the load.
        user = org.create_user(self.session, fields, self.password_hash)
        self.accounts.append(DemoAccount(username, person[0], unit, user.unit.name, roles))
        return user

    def _people(self) -> None:
        for code, name in self.units.items():
            kind = UnitKind.TOWN if "TOWN" in code else UnitKind.COUNTY_DEPARTMENT
            org.save_unit(self.session, code, name, kind)
        for username, roles, unit, _post in data.OFFICE_ACCOUNTS:
            self._user(username, self._person(), unit, *roles)
        for i, (title, linked) in enumerate(data.LEADER_TITLES, start=1):
            name, phone = self._person()
            self._user(f"leader{i:02d}", (name, phone), "XLD", Role.LEADER)
            leader = org.save_leader(self.session, name, title, phone, f"leader{i:02d}")
            self.leaders |= dict.fromkeys(linked, leader)
        for code in self.units:
            self._unit_people(code)

    def _unit_people(self, code: str) -> None:
        """The unit's liaison (LP5, AL8) and head, each with an account; a deputy for the teams."""
        staff = {post: self._person() for post in ("liaison", "head", "deputy")}
        self.staff[code] = staff
        liaison_user = self._user(code.lower(), staff["liaison"], code, Role.UNIT_LIAISON)
        head_user = self._user(f"{code.lower()}-head", staff["head"], code, Role.UNIT_HEAD)
        post, since = "党政办副主任" if "TOWN" in code else "办公室主任", date(self.year, 1, 1)
        liaison = org.add_liaison(
            self.session, *staff["liaison"], unit_code=code, position=post, since=since
        )
        liaison.user_id = liaison_user.id  # add_liaison takes no account: link the one that reports
        pair = (viewer_for(self.session, liaison_user), viewer_for(self.session, head_user))
        self.viewers[code] = pair

    # --- projects -----------------------------------------------------------------------

    def _projects(self) -> None:
        order = list(range(len(data.PROJECTS)))
        self.rng.shuffle(order)
        natures = dict.fromkeys(order[:3], "preliminary") | dict.fromkeys(order[3:7], "completed")
        natures |= dict.fromkeys(order[7:27], "continued") | dict.fromkeys(order[27:], "new")
        not_started = {*order[:3], *self.rng.sample(order[27:], 2)}  # ~10%
        lagging = set(self.rng.sample([i for i in order if i not in not_started], 13))  # 25%
        helpers = [self._person() for _ in range(6)]
        for i, spec in enumerate(data.PROJECTS):
            track = "not_started" if i in not_started else "lagging" if i in lagging else "on_track"
            s = data.draw_scheme(self.rng, spec, natures[i], track, self.today)
            project = create_project(self.session, self._project_data(s))
            self._team(project, spec.lead, self.rng.choice(helpers))
            self.schemes.append(s)
            self.projects.append(project)
        for i in sorted(self.rng.sample(range(len(data.PROJECTS)), 10)):
            name, phone = self._person()  # the construction unit's liaison (LP5)
            builder, project_id = self.schemes[i].spec.builder, self.projects[i].id
            org.add_liaison(self.session, name, phone, project_id=project_id, position=builder)

    def _project_data(self, s: Scheme) -> ProjectData:
        rng, spec, sector = self.rng, s.spec, data.SECTORS[s.spec.sector]
        levels = ("provincial", "city", "county", "central_budget")
        level = "provincial" if spec.big else rng.choices(levels, (1, 3, 5, 1))[0]
        level = "county" if spec.private and level == "central_budget" else level
        public_works = spec.sector in ("water", "supply", "sewage", "school", "hospital", "farm")
        central = rng.random() < 0.3 and public_works and not spec.private
        old = s.nature in ("continued", "completed")
        code_year = s.planned_start.year if old else self.year - rng.randint(0, 1)
        kind, serial = "03" if spec.private else "01", rng.randint(1, 999999)
        stage = "under_construction" if s.start and s.start <= self.today else "preparation"
        if s.nature == "completed" and s.track == "on_track" and s.planned_completion <= self.today:
            stage = "acceptance"
        return ProjectData(
            code=f"{code_year}-{data.DIVISION_CODE}-{sector.industry}-{kind}-{serial:06d}",
            name=spec.name,
            level=level,
            nature=s.nature,
            total_investment=Decimal(s.total),
            lead_unit_code=spec.lead,
            stage=stage,
            central_funds=central or level == "central_budget",
            government_invested=not spec.private,
            construction_unit=spec.builder,
            leader_name=self.leaders[spec.lead].name,
            location=f"示范县{self.units[s.town]}",
            industry_chain=spec.chain,
            approved_on=s.approved_on,
            planned_start=s.planned_start,
            planned_completion=s.planned_completion,
            description=f"总投资{s.total}万元，主要建设内容：{sector.phrases}等。",
        )

    def _team(self, project: Project, lead: str, helper: tuple[str, str]) -> None:
        """The GS3 "1+3" team: chief (county leader), assistant, responsible person, helper."""
        leader, staff = self.leaders[lead], self.staff[lead]
        team = [TeamMemberData("chief", leader.name, leader.phone, "XLD", leader.name)]
        team.append(TeamMemberData("assistant", *staff["deputy"], unit_code=lead))
        team.append(TeamMemberData("responsible", *staff["head"], unit_code=lead))
        team.append(TeamMemberData("helper", *helper, unit_code="ZDB"))
        set_team(self.session, project, team)

    # --- plans, issues, reports ---------------------------------------------------------

    def _plans(self) -> None:
        """Approved plans for all but three projects (their missing plan is LP6 material)."""
        kind = self.profile.plans.breakdown
        fresh = [i for i, s in enumerate(self.schemes) if s.nature == "new" and s.start]
        early = next(i for i, s in enumerate(self.schemes) if s.nature == "preliminary")
        unfiled = {early, *self.rng.sample(fresh, 2)}
        for i, (s, project) in enumerate(zip(self.schemes, self.projects, strict=True)):
            s.rows = data.breakdown(s, self.year, kind)
            if i in unfiled:
                continue
            parts = [
                plans.PlanPeriodData(p.key, amount, pct, data.milestone(s, pct, amount))
                for p, amount, pct in s.rows
            ]
            goal = f"年度计划完成投资{s.annual}万元，年底累计形象进度达到{s.end_pct:.0f}%"
            plan = plans.PlanData(Decimal(s.annual), parts, goal)
            version = plans.file_approved(self.session, project, self.year, plan, kind)
            # Filed within LP6's month of the approval, not on the day the demo is loaded.
            filed = min(self.today, s.approved_on + timedelta(days=self.rng.randint(5, 25)))
            moment = datetime.combine(filed, time(10, 0), BEIJING)
            version.created_at = version.submitted_at = version.decided_at = moment

    def _issues(self) -> None:
        """24 ledger entries: every LP7 category open, some urgent (LP9), old (LP11-3), resolved."""
        categories = list(data.ISSUES) + self.rng.choices(list(data.ISSUES), k=17)
        troubled = [i for i, s in enumerate(self.schemes) if s.track != "on_track"]
        zdb_user = self.session.scalars(select(User).where(User.username == "zdb")).one()
        for n, category in enumerate(categories):
            i = self.rng.choice(troubled if n % 2 == 0 else range(len(self.schemes)))
            s, title = self.schemes[i], self.rng.choice(data.ISSUES[category])
            age = self.rng.randint(1, 8) if n in URGENT else self.rng.randint(5, 120)
            owner = data.ISSUE_OWNERS[category]
            owner = {"town": s.town, "lead": s.spec.lead}.get(owner, owner)
            opened, text = self.today - timedelta(days=age), f"{s.spec.name}：{title}。"
            entry = issues.IssueData(category, title, owner, opened, text, n in URGENT)
            viewer = self.viewers[s.spec.lead][0]
            issue = issues.open_issue(self.session, viewer, self.projects[i], entry, self.today)
            s.issue = s.issue or title
            if n in RESOLVED:  # never one of the first seven: every category stays open
                solved = min(self.today, opened + timedelta(days=self.rng.randint(5, 30)))
                how, zdb = self.rng.choice(data.RESOLUTIONS), viewer_for(self.session, zdb_user)
                issues.resolve_issue(self.session, zdb, issue, how, solved, self.today)
                issue.resolved_at = datetime.combine(solved, time(17, 0), BEIJING)

    def _reports(self) -> None:
        """Every due period's report; two projects miss the latest one and one left it a draft."""
        rules = self.profile.reporting
        cycle = periods.of_year(rules.cycle, self.year)
        due = [p for p in cycle if periods.due_date(p, rules) <= self.today]
        started = [i for i, s in enumerate(self.schemes) if s.start is not None]
        missing = set(self.rng.sample(started, 2))
        draft = self.rng.choice([i for i in started if i not in missing])
        for i, s in enumerate(self.schemes):
            state = [0.0, s.prior_pct]
            for period in due:
                if s.prior == 0 and period.end < s.approved_on:
                    continue  # listed this year: reports begin with the period of the listing
                latest = period == due[-1]
                if not (latest and i in missing):
                    content = self._report_data(s, period, state)
                    self._file(i, period, content, draft=latest and i == draft)

    def _file(
        self, i: int, period: periods.Period, content: reports.ReportData, draft: bool
    ) -> None:
        liaison, head = self.viewers[self.schemes[i].spec.lead]
        report = reports.save_draft(
            self.session, liaison, self.projects[i], period.key, content, self.profile, self.today
        )
        if not draft:  # where the head signs (AL6) the head submits, which signs at once
            submitter = head if self.profile.reporting.sign_off_by_unit_head else liaison
            reports.submit(self.session, submitter, report, self.profile)
            self._backdate(report, period)

    def _backdate(self, report: Report, period: periods.Period) -> None:
        """History, not today: a report was submitted on or shortly before its due day."""
        due = periods.due_date(period, self.profile.reporting)
        # Mostly on time; now and then a day or two late (material for the overdue-report rule).
        day = min(self.today, due - timedelta(days=self.rng.choice((3, 2, 1, 0, 0, -1, -2))))
        moment = datetime.combine(
            day, time(self.rng.randint(9, 17), self.rng.randint(0, 59)), BEIJING
        )
        report.submitted_at = moment
        if report.signed_off_at is not None:
            report.signed_off_at = moment

    def _report_data(
        self, s: Scheme, period: periods.Period, state: list[float]
    ) -> reports.ReportData:
        as_of = min(period.end, self.today)
        common: dict[str, Any] = {
            "total_investment": Decimal(s.total),
            "annual_plan_investment": Decimal(s.annual),
        }
        if s.start is None or s.start > as_of:
            return reports.ReportData(**common, **self._not_started(s, as_of))
        amount, pct, status = data.progress(s, period, as_of, self.rng.uniform(0.97, 1.03), state)
        lag, done = s.track == "lagging", status == "completed"
        return reports.ReportData(
            **common,
            cumulative_completed=Decimal(s.prior) + amount,
            annual_completed=amount,
            start_status=status,
            progress_pct=pct,
            started_on=s.start,
            procedures=data.DONE,
            progress_text="已竣工验收" if done else f"{data.step(s, float(pct))}，完成比例{pct}%",
            issues_text=(s.issue or "施工组织力量不足，进度滞后于计划") if lag else None,
            measures_text=data.LAG_MEASURES[len(s.spec.name) % 3] if lag else None,
        )

    def _not_started(self, s: Scheme, as_of: date) -> dict[str, Any]:
        """The AL6 not-started fields: a reason and an expected start date."""
        reason, expected = f"计划于{s.planned_start.month}月开工，正在开展施工准备", s.planned_start
        if as_of >= s.planned_start or s.track == "not_started":
            reason = data.NOT_STARTED_REASONS[len(s.spec.name) % len(data.NOT_STARTED_REASONS)]
            expected = max(s.planned_start, self.today + timedelta(days=45))
        return {
            "cumulative_completed": Decimal(s.prior),
            "annual_completed": Decimal(0),
            "start_status": StartStatus.NOT_STARTED,
            "progress_pct": Decimal(str(s.prior_pct)),
            "expected_start": expected,
            "not_started_reason": reason,
            "procedures": data.PENDING,
            "progress_text": f"前期工作推进中：{reason}",
        }
