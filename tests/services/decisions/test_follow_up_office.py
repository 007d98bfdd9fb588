"""An overdue decided item's 督办 lands with the office that follows up its meeting's decisions
(DC7 三(三): 联席会议决定的事项，由县委督查中心会同有关部门，加大督查力度), as the county maps that
office to one of its units; the key office keeps seeing the item. Unmapped, the key office
follows up; a case started on the earlier diagram keeps its 督办 with the key office."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from keyproj.codes import NotificationKind
from keyproj.db.models import Case, CaseEvent, DecidedItem, ProcessDefinition
from keyproj.errors import PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.cases import commands as cases
from keyproj.services.cases.definitions import BPMN_DIR, deploy
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.cases.views.inbox import InboxFilters, inbox_page
from keyproj.services.cases.views.pages import case_detail, visible_case
from keyproj.services.decisions.items import item_of
from keyproj.services.meetings import holding, offices, schedule
from keyproj.services.meetings.planning import open_meeting, series_of
from keyproj.services.notifications.events import dispatch_case_events
from keyproj.services.reference.calendar import load_calendar
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.forms import form
from tests.builders.notifications import notified

DANCHENG = load_profile("dancheng")
OFFICE = "县委督查中心"  # DC7 三(三)
HELD = bj(2026, 3, 2, 10)  # the dispatch meeting of Monday 2 March 2026
REMINDED = bj(2026, 3, 9, 12)  # after the reminder, working days before the deadline
PAST_DUE = bj(2026, 3, 11, 0, 0, 1)  # the item is due on 10 March
ITEM = {
    "matter": "完成污水处理厂供电线路迁改",
    "owner_unit_code": "T01",
    "due_on": "2026-03-10",
    "acceptance": "供电公司出具迁改验收意见",
}


@pytest.fixture
def county(county: County) -> County:
    """Dancheng: the plant of 城关镇, the key office, 督查室, 县交通运输局 and the towns' staff."""
    county.under("dancheng")
    return county.with_projects("plant").with_people("zdb", "dcs", "dept", "town").committed()


def hold_with_item(county: County, nominal: date, at: datetime = HELD) -> DecidedItem:
    """The meeting of ``nominal`` held by the key office at ``at``, deciding one item."""
    calendar = load_calendar(county.session)
    slot = schedule.Slot(nominal, nominal)
    meeting = open_meeting(county.session, DANCHENG, calendar, "dispatch", slot, county.at(at))
    held = holding.hold(
        county.session, DANCHENG, county.people["zdb"], meeting.id, [], "研究。", [ITEM], at
    )
    county.session.commit()
    [item] = held.decided
    return item


def map_to(county: County, unit_code: str) -> None:
    offices.map_office(
        county.session, DANCHENG, county.people["zdb"], OFFICE, unit_code, county.at(HELD)
    )
    county.session.commit()


def review_task(county: County, item: DecidedItem):
    [task] = [
        r for r in open_task_rows(county.session, item.case_id) if r.name == "item_overdue_review"
    ]
    return task


def overdue(county: County, item: DecidedItem):
    """The sweeps as the worker runs them: the reminder on its day, then the deadline passed."""
    county.session.commit()
    county.sweep(REMINDED)
    county.sweep(PAST_DUE)
    return review_task(county, item)


def inbox_cases(county: County, who: str) -> list[tuple[str, int]]:
    page = inbox_page(county.session, county.people[who], InboxFilters(), PAST_DUE)
    return [(row.name, row.case_id) for row in page.rows]


def test_dc7_an_overdue_items_review_lands_with_the_mapped_office_and_the_key_office_sees_it(
    county,
):
    map_to(county, "DCS")
    item = hold_with_item(county, date(2026, 3, 2))
    dcs = county.people["dcs"].unit_id
    assert item.chair_unit_id == dcs
    task = overdue(county, item)
    assert (task.lane, [c.unit_id for c in task.candidates]) == ("督办单位", [dcs])
    assert ("item_overdue_review", item.case_id) in inbox_cases(county, "dcs")
    assert ("item_overdue_review", item.case_id) not in inbox_cases(county, "zdb")
    with pytest.raises(PermissionDenied):
        cases.claim_task(county.session, county.people["zdb"], task.id, PAST_DUE)
    county.session.rollback()
    # The key office still sees the item and its case.
    assert item_of(county.session, county.people["zdb"], item.id).state == "overdue"
    assert visible_case(county.session, county.people["zdb"], item.case_id)[0].id == item.case_id
    dispatch_case_events(county.session, PAST_DUE)
    assert "dcs" in notified(county.session, NotificationKind.TASK_READY)
    # The overdue notice goes to the office that follows the item up and to the key office.
    assert sorted(notified(county.session, NotificationKind.ITEM_OVERDUE)) == ["dcs", "zdb"]
    result = cases.complete_task(
        county.session,
        county.people["dcs"],
        task.id,
        form("item_overdue_review"),
        county.profile,
        PAST_DUE,
    )
    assert result.accepted
    county.session.commit()
    county.assert_replays(county.session.get_one(Case, item.case_id))


def test_dc7_a_department_named_as_the_office_takes_the_review_and_sees_the_case(county):
    map_to(county, "D01")
    item = hold_with_item(county, date(2026, 3, 2))
    task = overdue(county, item)
    dept = county.people["dept"]
    assert [c.unit_id for c in task.candidates] == [dept.unit_id]
    assert ("item_overdue_review", item.case_id) in inbox_cases(county, "dept")
    assert item_of(county.session, dept, item.id).id == item.id  # it follows the item up
    # 城关镇 owns the item and sees its case; the office's review is not its to take.
    with pytest.raises(PermissionDenied):
        cases.claim_task(county.session, county.people["town"], task.id, PAST_DUE)
    county.session.rollback()
    cases.claim_task(county.session, dept, task.id, PAST_DUE)
    county.session.commit()
    assert visible_case(county.session, dept, item.case_id)[0].id == item.case_id
    detail = case_detail(county.session, dept, item.case_id, PAST_DUE)
    assert detail.units == [("牵头责任单位", "城关镇"), ("督办单位", "县交通运输局")]


def test_dc7_unmapped_the_key_office_follows_up_and_the_page_says_so(county):
    item = hold_with_item(county, date(2026, 3, 2))
    assert item.chair_unit_id is None
    task = overdue(county, item)
    assert [c.unit_id for c in task.candidates] == [county.people["zdb"].unit_id]
    assert ("item_overdue_review", item.case_id) in inbox_cases(county, "zdb")
    said = offices.follow_up(county.session, series_of(DANCHENG, "dispatch")).text
    assert said == "逾期议定事项应由县委督查中心督办，但本县尚未指定其对应单位，暂由重点办督办"


def test_dc7_mapping_names_the_office_and_the_unit_and_a_blank_unit_gives_it_back(county):
    with pytest.raises(ValidationError) as refused:
        offices.map_office(
            county.session, DANCHENG, county.people["zdb"], "县纪委", "DCS", county.at(HELD)
        )
    assert [(e.field, e.reason) for e in refused.value.errors] == [
        ("office", "政策配置中没有“县纪委”")
    ]
    with pytest.raises(ValidationError) as refused:
        offices.map_office(
            county.session, DANCHENG, county.people["zdb"], OFFICE, "X99", county.at(HELD)
        )
    assert [(e.field, e.label) for e in refused.value.errors] == [("unit_code", "对应单位")]
    with pytest.raises(PermissionDenied):
        offices.map_office(
            county.session, DANCHENG, county.people["dcs"], OFFICE, "DCS", county.at(HELD)
        )
    map_to(county, "DCS")
    [row] = offices.office_rows(county.session, DANCHENG)
    assert (row.office, row.series, row.unit.code if row.unit else None) == (
        OFFICE,
        ["重点项目推进调度例会"],
        "DCS",
    )
    assert row.citation  # DC7
    map_to(county, "")
    [row] = offices.office_rows(county.session, DANCHENG)
    assert row.unit is None


def test_a_case_on_the_earlier_diagram_keeps_its_review_with_the_key_office(county):
    shipped = (BPMN_DIR / "decided_item.bpmn").read_text(encoding="utf-8")
    earlier = _earlier_diagram(shipped)
    deploy(county.session, "decided_item", earlier, note="上一版")
    map_to(county, "DCS")
    old_item = hold_with_item(county, date(2026, 3, 2))
    # The next release ships the diagram again: new items run on it, old ones stay.
    deploy(county.session, "decided_item", shipped + "\n", note="本版")
    # An extra meeting the next day (the schedule aside): its item is due on 10 March too.
    new_item = hold_with_item(county, date(2026, 3, 3), bj(2026, 3, 3, 10))
    versions = dict(
        county.session.execute(
            select(Case.id, ProcessDefinition.bpmn_xml).join(
                ProcessDefinition, ProcessDefinition.id == Case.definition_id
            )
        ).all()
    )
    assert versions[old_item.case_id] == earlier
    assert versions[new_item.case_id] == shipped + "\n"
    county.sweep(PAST_DUE)  # both items were due on 10 March
    old_task, new_task = review_task(county, old_item), review_task(county, new_item)
    assert (old_task.lane, [c.unit_id for c in old_task.candidates]) == (
        "重点办",
        [county.people["zdb"].unit_id],
    )
    assert (new_task.lane, [c.unit_id for c in new_task.candidates]) == (
        "督办单位",
        [county.people["dcs"].unit_id],
    )


def _earlier_diagram(xml: str) -> str:
    """The diagram as shipped before: the 督办 in the key office's lane, no unit named."""
    xml = xml.replace(
        '          <spiffworkflow:property name="unit" value="origin.chair_unit_id" />\n', ""
    )
    lane = xml[xml.index('      <bpmn:lane id="lane_follow_up_office"') :]
    lane = lane[: lane.index("</bpmn:lane>\n") + len("</bpmn:lane>\n")]
    refs = "".join(line + "\n" for line in lane.splitlines() if "flowNodeRef" in line)
    xml = xml.replace(lane, "")
    anchor = "        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>\n"
    xml = xml.replace(anchor, anchor + refs)
    shape = xml[xml.index('      <bpmndi:BPMNShape id="lane_follow_up_office_di"') :]
    shape = shape[: shape.index("</bpmndi:BPMNShape>\n") + len("</bpmndi:BPMNShape>\n")]
    return xml.replace(shape, "")


def test_al13_an_item_whose_reminder_and_deadline_pass_in_one_sweep_still_escalates(county):
    # The worker was down from before the reminder until after the deadline: both timers fire
    # together, and the reminder's branch may finish last; the escalation is logged all the same.
    item = hold_with_item(county, date(2026, 3, 2))
    county.sweep(PAST_DUE)
    county.sweep(bj(2026, 3, 12, 9))  # a later sweep finds nothing new to log
    kinds = county.session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == item.case_id).order_by(CaseEvent.seq)
    ).all()
    assert kinds.count("timer_fired") == 1
    assert [k for k in kinds if k == "escalated"] == ["escalated"]
    assert review_task(county, item).name == "item_overdue_review"
