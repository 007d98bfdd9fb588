"""A Dancheng county whose February dispatch meeting has asked its units for agenda items (DC3);
an Alxa county whose April joint dispatch meeting was held with slow projects to report (AL3)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import AbsenceProposal, Meeting, Project, SlowReport
from keyproj.policy import load_profile
from keyproj.services.meetings import schedule
from keyproj.services.meetings.holding import hold
from keyproj.services.meetings.planning import daily_beat, open_meeting
from keyproj.services.reference.calendar import load_calendar
from tests.builders import factories
from tests.builders.county import County
from tests.builders.rankings import handan_departments

ASK_DAY = datetime(2026, 1, 20, 1, tzinfo=UTC)  # 20 January 2026, 09:00 in Beijing


def dancheng_asked(county: County) -> County:
    """Two towns' projects, the plant's leader with an account, the meeting of 2 February asked."""
    county.with_projects("plant", "bridge").with_people("town", "other", "dept")
    county.report(county.projects["plant"], "monthly", "2026-01", annual="300")
    county.link_leader("leader01", county.projects["plant"])
    profile = load_profile("dancheng")
    daily_beat(county.session, profile, load_calendar(county.session), date(2026, 1, 20), ASK_DAY)
    return county.committed()


ALXA_HELD = datetime(2026, 4, 7, 3, tzinfo=UTC)  # 7 April 2026, 11:00 in Beijing
ALXA_DAY = date(2026, 4, 7)


def alxa_held(county: County) -> Meeting:
    """Alxa's joint dispatch meeting of 7 April 2026, held with one decided item on 县交通运输局's
    slow project and one for all; that project has an open issue and an open red warning.

    Against the plan to March (tests.builders.rankings): 县交通运输局 240 ÷ 300 = 80% yellow;
    市水利局 100 ÷ 400 = 25%, 市教育局 250 ÷ 500 and 市卫健委 100 ÷ 200 = 50% red.
    """
    # The web tests' county comes with the key office's account already.
    handan_departments(
        county.with_people(*(u for u in ("zdb", "dept", "town") if u not in county.users))
    )
    s, profile = county.session, load_profile("alxa_left")
    roads = s.scalars(select(Project).where(Project.name == "D01政府投资项目2026-03")).one()
    factories.issue(s, roads, "施工用地未移交")
    factories.warning(s, roads, "2026-03", raised_at=ALXA_HELD)
    slot = schedule.Slot(ALXA_DAY, ALXA_DAY)
    meeting = open_meeting(s, profile, load_calendar(s), "joint_dispatch", slot, ALXA_HELD)
    items = [
        {"matter": "协调移交施工用地", "owner_unit_code": "D01", "due_on": "2026-04-30",
         "acceptance": "用地移交确认书", "project_code": roads.code},
        {"matter": "各部门每旬报送项目进展", "owner_unit_code": "D02", "due_on": "2026-04-20",
         "acceptance": "按时报送", "project_code": ""},
    ]  # fmt: skip
    hold(s, profile, county.people["zdb"], meeting.id, [], "研究进度缓慢项目。", items, ALXA_HELD)
    county.session.commit()
    return meeting


def stored_slow_report(session: Session, meeting_id: int, project: Project, now: datetime) -> int:
    """A sent report of the slow projects listing ``project`` alone, written directly (a profile
    without AL3 produces none), for the pages and the API that take its id."""
    unit = project.lead_unit
    row = SlowReport(
        meeting_id=meeting_id,
        addressee="旗委、旗政府",
        figures={
            "meeting": "2026年04月07日项目调度联席会议",
            "period": "2026-03",
            "period_label": "2026年3月",
            "colours": ["黄色", "红色"],
            "projects": [
                {
                    "project_id": project.id,
                    "code": project.code,
                    "name": project.name,
                    "unit_id": unit.id,
                    "unit": unit.name,
                    "colour": "red",
                    "colour_label": "红色",
                    "as_of": "2026-03-31",
                    "planned": "400.00",
                    "completed": "100.00",
                    "rate": "25.0%",
                    "progress_pct": "10.00",
                    "planned_pct": "30.00",
                    "issues": [],
                    "warnings": [],
                    "measures": [],
                },
            ],
            "measures": [],
        },
        produced_at=now,
        number=f"测报告〔2026〕{meeting_id}号",
        sent_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def stored_absence(session: Session, meeting_id: int, unit_id: int, now: datetime) -> int:
    """A proposed 通报批评 of ``unit_id`` for missing the meeting (DC7), written directly."""
    row = AbsenceProposal(
        meeting_id=meeting_id,
        unit_id=unit_id,
        person="赵镇长",
        reason="无故缺席",
        clause="DC7",
        state="proposed",
        proposed_at=now,
    )
    session.add(row)
    session.flush()
    return row.id
