"""A county with warning cases for the inbox, case and task pages (and the browser test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.db.models import Case, EarlyWarning, HumanTask, Project, User
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.cases import commands as cases
from keyproj.services.cases.repository import open_task_rows
from tests import factories

PROFILE = load_profile("lianping")
NOTICE = {
    "level": "progress",
    "routing": "town",
    "notice_text": "该项目投资完成率低于序时进度，请抓紧协调推进。",
}
RESPOND = {
    "measures": "约谈施工单位，增加作业面和人员",
    "person_in_charge": "王镇长",
    "phone": "13800000000",
    "planned_completion": "2026-03-20",
}
_periods = count(1)


def bj(*args: int) -> datetime:
    """A Beijing moment."""
    return datetime(*args, tzinfo=BEIJING)  # type: ignore[misc]


@dataclass
class CaseCounty:
    """Towns 城关镇 (two liaisons) and 石桥镇, a department, the key office, two projects."""

    session: Session
    users: dict[str, User]
    road: Project
    bridge: Project
    cases: list[Case] = field(default_factory=list)

    def open_case(
        self, project: Project, now: datetime, level: str = "progress", colour: str = "red"
    ) -> Case:
        """A warning on ``project`` and its case, started at ``now`` (committed)."""
        warning = EarlyWarning(
            rule_id="LP11-1",
            project_id=project.id,
            period=f"2026-{next(_periods):02d}",
            level=level,
            colour=colour,
            evidence={"计划投资（万元）": "1200", "完成投资（万元）": "600"},
            source="scan",
            status="open",
            raised_at=now,
        )
        self.session.add(warning)
        self.session.flush()
        case = cases.start_case(self.session, warning, PROFILE, now)
        self.session.commit()
        self.cases.append(case)
        return case

    def task(self, case: Case, name: str) -> HumanTask:
        """The open task ``name`` of ``case``."""
        return next(t for t in open_task_rows(self.session, case.id) if t.name == name)

    def submit(self, who: str, case: Case, name: str, form: dict[str, Any], now: datetime) -> None:
        """Complete a task as ``who`` through the service, committed."""
        viewer = viewer_for(self.session, self.users[who])
        result = cases.complete_task(
            self.session, viewer, self.task(case, name).id, form, PROFILE, now
        )
        assert result.accepted, result.message
        self.session.commit()

    def notify(self, case: Case, now: datetime, lead: str = "T01", **changes: Any) -> None:
        """The key office issues the case's notice naming ``lead`` (the respond task goes there)."""
        self.submit("zdb", case, "issue_notice", {**NOTICE, "lead_unit_code": lead, **changes}, now)

    def claim(self, who: str, task_id: int, now: datetime) -> None:
        """Claim a task as ``who``, committed."""
        cases.claim_task(self.session, viewer_for(self.session, self.users[who]), task_id, now)
        self.session.commit()


def build_county(session: Session) -> CaseCounty:
    """The county's units, people and projects, committed."""
    factories.unit(session, "T01", "城关镇")
    factories.unit(session, "T02", "石桥镇")
    factories.unit(session, "D01", "县交通运输局", kind="county_department")
    users = {
        "town": factories.user(session, "town", "T01", "unit_liaison"),
        "town2": factories.user(session, "town2", "T01", "unit_liaison"),
        "other": factories.user(session, "other", "T02", "unit_liaison"),
        "dept": factories.user(session, "dept", "D01", "unit_liaison"),
        "zdb": factories.user(session, "zdb", "ZDB", "key_office"),
    }
    road = factories.project(session, "T01", name="城关镇环城路改建工程")
    bridge = factories.project(session, "T02", name="石桥镇跨河大桥工程")
    session.commit()
    return CaseCounty(session, users, road, bridge)
