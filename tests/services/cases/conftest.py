"""A small county with one warning, and a driver that takes its case through the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.db.models import Case, EarlyWarning, HumanTask
from keyproj.policy import load_profile
from keyproj.services.access import Viewer, viewer_for
from keyproj.services.cases import commands as cases
from keyproj.services.cases.repository import open_task_rows
from tests import factories
from tests.clock import FrozenClock

FORMS: dict[str, dict[str, Any]] = {
    "issue_notice": {
        "level": "progress",
        "routing": "town",
        "lead_unit_code": "T01",
        "phase_unit_codes": ["D01"],
        "notice_text": "该项目投资完成率低于序时进度，请抓紧协调推进。",
    },
    "respond": {
        "measures": "约谈施工单位，增加作业面和人员",
        "person_in_charge": "王镇长",
        "phone": "13800000000",
        "planned_completion": "2026-03-20",
    },
    "report_outcome": {"result": "resolved", "evidence": "已完成征地，施工恢复正常"},
    "evaluate": {"decision": "accepted", "opinion": "协调有效，同意办结"},
    "county_gov_handle": {"decision": "召开专题会议协调资金缺口", "leader_name": "李副县长"},
    "supervision_file": {"requirements": "限期完成资金拨付并报告", "due_date": "2026-12-31"},
    "supervision_result": {"result": "已落实整改", "accountability": "none"},
}


def bj(*args: int) -> datetime:
    return datetime(*args, tzinfo=BEIJING)  # type: ignore[misc]


@dataclass
class County:
    """The people of the test county and the warning whose case is driven."""

    session: Session
    people: dict[str, Viewer]
    warning: EarlyWarning
    clock: FrozenClock = field(default_factory=FrozenClock)
    case: Case | None = None

    def at(self, moment: datetime) -> datetime:
        """Freeze the clock at ``moment``; the services and engine get it as their now."""
        return self.clock.at(moment)

    def start(self, moment: datetime) -> Case:
        self.case = cases.start_case(
            self.session, self.warning, load_profile("lianping"), self.at(moment)
        )
        self.session.commit()
        return self.case

    def task(self, name: str) -> HumanTask:
        assert self.case is not None
        return next(r for r in open_task_rows(self.session, self.case.id) if r.name == name)

    def waiting(self) -> list[str]:
        assert self.case is not None
        return sorted(r.name for r in open_task_rows(self.session, self.case.id))

    def submit(
        self, who: str, name: str, moment: datetime, **changes: Any
    ) -> cases.CompletionResult:
        """Claim and complete ``name`` as ``who``, committing like a web request would."""
        now = self.at(moment)
        task = self.task(name)
        form = {**FORMS[name], **changes}
        result = cases.complete_task(
            self.session, self.people[who], task.id, form, load_profile("lianping"), now
        )
        self.session.commit()
        return result

    def stop(self) -> None:
        self.clock.stop()


@pytest.fixture
def county(session):
    factories.unit(session, "T01", "城关镇")
    factories.unit(session, "D01", "县交通运输局", kind="county_department")
    factories.unit(session, "T02", "东山镇")
    project = factories.project(session, "T01", name="城关镇污水处理厂提标改造工程")
    users = {
        "zdb": factories.user(session, "zdb", "ZDB", "key_office"),
        "town": factories.user(session, "town", "T01", "unit_liaison"),
        "dept": factories.user(session, "dept", "D01", "unit_liaison"),
        "other": factories.user(session, "other", "T02", "unit_liaison"),
        "xfb": factories.user(session, "xfb", "XFB", "county_gov"),
        "dcs": factories.user(session, "dcs", "DCS", "supervision"),
    }
    warning = EarlyWarning(
        rule_id="LP11-1",
        project_id=project.id,
        period="2026-01",
        level="progress",
        colour="red",
        evidence={"planned": "1200", "actual": "600", "ratio": 0.5},
        source="scan",
        status="open",
        raised_at=datetime(2026, 2, 12, 1, tzinfo=UTC),
    )
    session.add(warning)
    session.commit()
    driver = County(session, {k: viewer_for(session, u) for k, u in users.items()}, warning)
    yield driver
    driver.stop()


def more_cases(county, n: int) -> list[int]:
    """n more open cases on the same project, all started now."""
    ids = []
    now = county.at(bj(2025, 9, 30, 10))
    for i in range(n):
        warning = EarlyWarning(
            rule_id="LP11-3",
            project_id=county.warning.project_id,
            period=f"2025-{i:04d}",
            level="issue",
            colour="yellow",
            evidence={},
            source="scan",
            status="open",
            raised_at=datetime(2025, 9, 30, 1, tzinfo=UTC),
        )
        county.session.add(warning)
        county.session.flush()
        ids.append(cases.start_case(county.session, warning, load_profile("lianping"), now).id)
    county.session.commit()
    return ids
