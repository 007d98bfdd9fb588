"""DC7 三(一): 对无故缺席者，县委、县政府将予以通报批评 — Dancheng's held meeting proposes a
通报批评 of each unit absent without leave; the key office confirms it onto the unit's record
(the unit told) or dismisses it with a reason; 替会 is flagged only; other profiles propose none."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from keyproj.db.models import AwardRecord, Meeting, Notification
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.policy.clauses import clause
from keyproj.services.awards import records
from keyproj.services.meetings import absence, holding
from tests.builders.county import County
from tests.builders.meetings import dancheng_asked

DANCHENG = load_profile("dancheng")
HELD = datetime(2026, 2, 2, 3, tzinfo=UTC)  # 2 February 2026, 11:00 in Beijing
DECIDED = datetime(2026, 2, 3, 2, tzinfo=UTC)
ATTENDANCE = [
    {"unit_code": "T01", "person": "王镇长", "status": "present"},
    {"unit_code": "T02", "person": "赵镇长", "status": "leave", "reason": "赴省参加培训"},
    {"unit_code": "D01", "person": "孙局长", "status": "absent"},
]


@pytest.fixture
def dc(county: County) -> County:
    return dancheng_asked(county.with_people("zdb"))


def _meeting(county: County) -> Meeting:
    return county.session.scalars(select(Meeting).where(Meeting.held_on == date(2026, 2, 2))).one()


def _hold(county: County, rows: list[dict[str, str]], profile=DANCHENG) -> holding.Held:
    office = county.people["zdb"]
    return holding.hold(
        county.session, profile, office, _meeting(county).id, rows, "纪要", [], HELD
    )


def _told(county: County, username: str) -> list[Notification]:
    query = select(Notification).where(
        Notification.user_id == county.users[username].id, Notification.kind == "absence_criticism"
    )
    return list(county.session.scalars(query))


def test_dc7_a_unit_absent_without_leave_gets_a_criticism_proposed_citing_the_clause(dc: County):
    held = _hold(dc, ATTENDANCE)
    [proposal] = held.proposed
    assert (proposal.unit.name, proposal.person, proposal.clause, proposal.state) == (
        "县交通运输局", "孙局长", "DC7", "proposed",
    )  # fmt: skip
    assert proposal.reason == (
        "2026年02月02日重点项目推进调度例会无故缺席（应参会人：孙局长，未向会议召集人请假）。"
        "坚持一把手参会，不得缺席，不得替会；对无故缺席者，县委、县政府将予以通报批评（三(一)）"
    )
    # 石桥镇 asked for leave with its reason: nothing follows for it; nothing is on a record yet.
    assert dc.session.scalar(select(func.count()).select_from(AwardRecord)) == 0


def test_dc7_the_office_confirms_it_onto_the_units_record_and_the_unit_is_told(dc: County):
    [proposal] = _hold(dc, ATTENDANCE).proposed
    with pytest.raises(PermissionDenied):
        absence.decide(dc.session, dc.people["dept"], proposal.id, True, "", DECIDED)
    absence.decide(dc.session, dc.people["zdb"], proposal.id, True, "", DECIDED)
    assert (proposal.state, proposal.decided_at) == ("confirmed", DECIDED)
    unit, held = records.of_unit(dc.session, dc.people["dept"], proposal.unit_id)
    [record] = held
    assert (record.kind.label, record.year, record.person, record.clause) == (
        "通报批评", 2026, "孙局长", "DC7",
    )  # fmt: skip
    assert record.reason == proposal.reason
    [note] = _told(dc, "dept")
    assert note.title == "通报批评：县交通运输局会议无故缺席"
    assert note.link == f"/units/{unit.id}/record"
    assert _told(dc, "town") == []
    with pytest.raises(Conflict, match="该通报批评建议已处理：已通报批评"):
        absence.decide(dc.session, dc.people["zdb"], proposal.id, False, "重复", DECIDED)


def test_dc7_dismissing_it_needs_a_reason_and_writes_no_record(dc: County):
    [proposal] = _hold(dc, ATTENDANCE).proposed
    with pytest.raises(ValidationError) as refused:
        absence.decide(dc.session, dc.people["zdb"], proposal.id, False, "  ", DECIDED)
    assert refused.value.by_field() == {
        "dismissed_reason": "请填写不予通报批评的理由：不能为空（只有空白或不可见字符）"
    }
    absence.decide(
        dc.session, dc.people["zdb"], proposal.id, False, "会前已电话请假，补交假条", DECIDED
    )
    assert (proposal.state, proposal.dismissed_reason) == ("dismissed", "会前已电话请假，补交假条")
    assert dc.session.scalar(select(func.count()).select_from(AwardRecord)) == 0
    assert _told(dc, "dept") == []


def test_dc7_an_absent_row_must_name_its_unit_and_nothing_is_saved_otherwise(dc: County):
    rows = [*ATTENDANCE[:2], {"unit_code": "", "person": "孙局长", "status": "absent"}]
    with pytest.raises(ValidationError) as refused:
        _hold(dc, rows)
    assert refused.value.by_field() == {
        "attendance[2].unit_code": "无故缺席须填写单位代码，以便对该单位通报批评"
    }
    assert _meeting(dc).state == "collecting"


def test_dc7_a_substitute_is_flagged_and_a_unit_absent_twice_is_proposed_once(dc: County):
    rows = [
        {"unit_code": "T01", "person": "李副镇长", "status": "substitute"},
        {"unit_code": "D01", "person": "孙局长", "status": "absent"},
        {"unit_code": "D01", "person": "钱副局长", "status": "absent"},
    ]
    held = _hold(dc, rows)
    assert [(r.person, r.status.label) for r in held.substitutes] == [("李副镇长", "替会")]
    assert [(p.unit.code, p.person) for p in held.proposed] == [("D01", "孙局长")]


def test_dc7_each_unit_sees_only_its_own_proposal(dc: County):
    held = _hold(dc, ATTENDANCE)
    meeting_id = held.meeting.id
    assert len(absence.of_meeting(dc.session, dc.people["zdb"], meeting_id)) == 1
    assert len(absence.of_meeting(dc.session, dc.people["dept"], meeting_id)) == 1
    assert absence.of_meeting(dc.session, dc.people["town"], meeting_id) == []


def test_only_danchengs_profile_proposes_a_criticism_for_absence(dc: County):
    assert DANCHENG.citations["meetings.absence_criticism"] == "DC7"
    keys = ("alxa_left", "dancheng", "guangshan", "handan", "lianping")
    assert [k for k in keys if absence.enabled(load_profile(k))] == ["dancheng"]
    assert DANCHENG.meetings is not None
    off = DANCHENG.model_copy(
        update={"meetings": DANCHENG.meetings.model_copy(update={"absence_criticism": False})}
    )
    rows = [*ATTENDANCE[:2], {"unit_code": "", "person": "孙局长", "status": "absent"}]
    held = _hold(dc, rows, profile=off)  # no unit needed where nothing follows
    assert [r.person for r in held.absent_without_leave] == ["孙局长"]
    assert held.proposed == []


def test_dc7_the_clause_cited_beside_an_absence_says_what_befalls_the_absent():
    shown = clause("DC7")
    assert shown is not None
    assert "对无故缺席者，县委、县政府将予以通报批评" in shown.text
    assert shown.where.startswith("(一) 切实提高认识")
