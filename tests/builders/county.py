"""The test county: three units always; people, projects, a leader and a warning case on request.

Each part is opt-in (``county.with_people("zdb", "town")``), so a test's county holds only what
the test counts on: a reminder test that counts recipients must not meet people it did not ask for.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.db.models import Project, ProjectIssue, Report, User
from keyproj.services.access import Viewer, viewer_for
from keyproj.services.org.directory import save_leader
from keyproj.services.projects.plans import PlanData, PlanPeriodData, file_approved
from keyproj.services.projects.project import TeamMemberData, set_team
from tests.builders import evidence, factories
from tests.builders.cases import CaseWork
from tests.builders.clock import FrozenClock, beijing

UNITS = (  # code, name, kind
    ("T01", "城关镇", "town"),
    ("T02", "石桥镇", "town"),
    ("D01", "县交通运输局", "county_department"),
)
PEOPLE = {  # username: unit code, role (the offices ZDB, XFB, DCS and XLD are seeded by init)
    "zdb": ("ZDB", "key_office"),
    "zdb2": ("ZDB", "key_office"),
    "town": ("T01", "unit_liaison"),
    "town2": ("T01", "unit_liaison"),
    "town-head": ("T01", "unit_head"),
    "chengguan": ("T01", "unit_liaison"),
    "other": ("T02", "unit_liaison"),
    "shiqiao": ("T02", "unit_liaison"),
    "dept": ("D01", "unit_liaison"),
    "xfb": ("XFB", "county_gov"),
    "dcs": ("DCS", "supervision"),
    "admin": ("ZDB", "admin"),
    "admin2": ("ZDB", "admin"),
    "auditor": ("DCS", "auditor"),  # X4: replays and verifies case histories
}
PROJECTS: dict[str, tuple[str, str, dict[str, Any]]] = {  # key: lead unit, name, other fields
    "plant": ("T01", "城关镇污水处理厂提标改造工程", {}),
    "road": ("T01", "城关镇环城路改建工程", {}),
    "school": ("T01", "城关镇第二小学建设项目", {"level": "city"}),
    "bridge": ("T02", "石桥镇跨河大桥工程", {}),
}


class County(CaseWork):
    """Towns 城关镇 (T01) and 石桥镇 (T02), the department 县交通运输局 (D01), and what is added."""

    def __init__(self, session: Session, clock: FrozenClock | None = None) -> None:
        self.session = session
        self.clock = clock or FrozenClock()
        self.users: dict[str, User] = {}
        self.people: dict[str, Viewer] = {}  # the same users as the services see them
        self.projects: dict[str, Project] = {}
        self.cases = []
        self._warning = None
        self._case = None
        for code, name, kind in UNITS:
            factories.unit(session, code, name, kind)

    # --- parts ------------------------------------------------------------------------------

    def with_people(self, *usernames: str) -> County:
        """Accounts from ``PEOPLE``, created in the order given."""
        for username in usernames:
            unit_code, role = PEOPLE[username]
            user = factories.user(self.session, username, unit_code, role)
            self.users[username] = user
            self.people[username] = viewer_for(self.session, user)
        return self

    def with_projects(self, *keys: str) -> County:
        """Projects from ``PROJECTS``, created in the order given."""
        for key in keys:
            unit_code, name, fields = PROJECTS[key]
            self.projects[key] = factories.project(self.session, unit_code, name=name, **fields)
        return self

    def with_leader(self, name: str = "李明", title: str = "副县长") -> County:
        """A county leader without an account, who may head project teams (GS3)."""
        save_leader(self.session, name, title)
        self.session.flush()
        return self

    def with_warning(self) -> County:
        """The open LP11-1 warning on the plant project, raised on 12 February 2026."""
        self._warning = factories.warning(
            self.session,
            self.projects["plant"],
            "2026-01",
            evidence=evidence.lag(),
            source="scan",
            status="open",
            raised_at=datetime(2026, 2, 12, 1, tzinfo=UTC),
        )
        return self

    def with_stall(self, threshold: int = 2, project: str = "plant") -> County:
        """The open no_progress_<threshold>w warning (GS1) on the project instead: its weekly
        reports showed no substantive progress; raised on 12 February 2026."""
        self._warning = factories.warning(
            self.session,
            self.projects[project],
            "2026-W05",
            rule_id=f"no_progress_{threshold}w",
            colour="yellow" if threshold == 2 else "red",
            evidence=evidence.stall(threshold),
            source="scan",
            status="open",
            raised_at=datetime(2026, 2, 12, 1, tzinfo=UTC),
        )
        return self

    def with_warning_case(self) -> County:
        """The plant project, someone in every lane of its case and its warning; committed."""
        self.with_projects("plant").with_people("zdb", "town", "dept", "other", "xfb", "dcs")
        return self.with_warning().committed()

    def committed(self) -> County:
        """Commit, so that the app's and the workers' own sessions see the county."""
        self.session.commit()
        return self

    # --- the parts by name ------------------------------------------------------------------

    @property
    def road(self) -> Project:
        """城关镇's road project."""
        return self.projects["road"]

    @property
    def school(self) -> Project:
        """城关镇's school project, a city-level one."""
        return self.projects["school"]

    @property
    def bridge(self) -> Project:
        """石桥镇's bridge project."""
        return self.projects["bridge"]

    @property
    def chengguan(self) -> User:
        """A liaison of 城关镇."""
        return self.users["chengguan"]

    @property
    def shiqiao(self) -> User:
        """A liaison of 石桥镇."""
        return self.users["shiqiao"]

    @property
    def office(self) -> User:
        """The key office's user ``zdb``."""
        return self.users["zdb"]

    # --- records a test adds ----------------------------------------------------------------

    def project(self, name: str = "城关镇污水处理厂提标改造工程", **overrides: Any) -> Project:
        """A project of 城关镇, approved on 1 January 2026 unless told otherwise."""
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
        """A report of ``cycle`` for period ``key`` (submitted on its first day unless told)."""
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
            "submitted_at": submitted or (beijing(period.start) if status == "submitted" else None),
        }
        values.update(overrides)
        row = Report(**values)
        self.session.add(row)
        self.session.flush()
        return row

    def issue(
        self, project: Project, title: str, opened_on: date, **overrides: Any
    ) -> ProjectIssue:
        """An open issue of the project, owned by its lead unit."""
        return factories.issue(self.session, project, title, opened_on=opened_on, **overrides)

    def team(self, project: Project, head: str, leader: str = "李明") -> None:
        """The GS3 "1+3" team: the county leader as chief, the unit's head as responsible person."""
        set_team(
            self.session,
            project,
            [
                TeamMemberData("chief", leader, None, "XLD", leader),
                TeamMemberData("responsible", head, None, unit_code="T01"),
            ],
        )

    def link_leader(self, username: str = "leader01", project: Project | None = None) -> User:
        """A county leader with an account, linked to ``project`` (挂钩县领导, LP8): the
        warning's project unless told."""
        user = factories.user(self.session, username, "XLD", "leader")
        leader = save_leader(self.session, "李挂钩", "副县长", username=username)
        project = project or self.warning.project
        assert project is not None
        project.leader_id = leader.id
        self.session.commit()
        self.users[username] = user
        self.people[username] = viewer_for(self.session, user)
        return user
