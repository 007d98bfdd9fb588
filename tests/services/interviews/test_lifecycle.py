"""An interview's life (HD6): recorded by the key office, scheduled with a numbered notice,
held with its commitments, or dismissed; each unit sees only its own; commitments tracked to
done, overdue ones flagged to the key office; a profile without [interviews] has none."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from docx import Document

from keyproj.db.models import Interview
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.paging import Paging
from keyproj.policy import load_profile
from keyproj.services.interviews import lifecycle, notices, register
from keyproj.services.interviews.lifecycle import Record
from keyproj.services.interviews.register import settings_of
from keyproj.services.interviews.typed import CommitmentRow
from tests.builders import factories
from tests.builders.county import County
from tests.builders.interviews import HANDAN, NOW, city_leader, scheduled, unit_id
from tests.builders.notifications import notified

SETTINGS = settings_of(HANDAN)
WHOLE = Paging(1, 50)
LATER = datetime(2026, 5, 8, 3, tzinfo=UTC)  # 8 May 2026, 11:00 in Beijing


@pytest.fixture
def hd(county: County) -> County:
    """The key office, two liaisons of 城关镇, one of 石桥镇, a leader and a supervisor."""
    county.with_people("zdb", "town", "chengguan", "other", "dcs")
    return county


def _hold(county: County, row: Interview, rows: list[CommitmentRow]) -> Interview:
    return lifecycle.hold(
        county.session, county.people["zdb"], row.id, "2026-05-08", "单位作出检查。", rows, LATER
    )


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {e.field: str(e) for e in exc.value.errors}


def test_hd6_the_leaders_request_names_the_leader_who_asked(session, hd):
    data = Record(str(unit_id(session, "T01")), "leader_request", "分管市领导要求约谈", [])
    with pytest.raises(ValidationError) as refused:
        lifecycle.record(session, HANDAN, hd.people["zdb"], data, NOW)
    assert _errors(refused) == {
        "requested_by_leader_id": "提出约谈的分管市领导：第六种情形须写明认为确需约谈的分管市领导"
    }
    leader = city_leader(session, "赵副市长")
    asked = Record(data.unit_id, data.trigger, data.reason, [], str(leader.id))
    row = lifecycle.record(session, HANDAN, hd.people["zdb"], asked, NOW)
    assert row.requested_by is not None
    assert (row.state.value, row.requested_by.name, row.created_by_id) == (
        "proposed",
        "赵副市长",
        hd.users["zdb"].id,
    )


def test_a_record_names_every_bad_field_and_only_the_key_office_records(session, hd):
    bad = Record("999", "unknown", "  ", ["12345"])
    with pytest.raises(ValidationError) as refused:
        lifecycle.record(session, HANDAN, hd.people["zdb"], bad, NOW)
    assert set(_errors(refused)) == {"unit_id", "trigger", "reason", "project_ids"}
    assert _errors(refused)["trigger"] == "约谈情形：请选择约谈制度所列六种情形之一"
    good = Record(str(unit_id(session, "T01")), "poor_preparation", "论证不充分", [])
    with pytest.raises(PermissionDenied):
        lifecycle.record(session, HANDAN, hd.people["town"], good, NOW)


def test_hd6_scheduling_numbers_the_notice_and_tells_the_unit_and_the_leader(session, hd):
    factories.user(session, "mayor", "XLD", "leader")
    city_leader(session, "王副市长", username="mayor")
    row = scheduled(hd)
    assert (row.state.value, row.number, row.place) == (
        "scheduled",
        "邯约谈〔2026〕1号",
        "市政府第三会议室",
    )
    told = notified(session, "interview_scheduled")
    assert sorted(told) == ["chengguan", "mayor", "town"]  # 石桥镇's liaison is not told
    assert told["town"][0].body.startswith("定于2026-05-08 09:30在市政府第三会议室由王副市长")
    document = Document(BytesIO(notices.notice_docx(row, SETTINGS)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "邯约谈〔2026〕1号" in text
    assert "约谈通知书" in text
    assert "定于2026年5月8日9时30分在市政府第三会议室，由市政府主管领导王副市长" in text


def test_a_time_already_past_and_a_missing_place_are_refused_by_field(session, hd):
    row = lifecycle.record(
        session,
        HANDAN,
        hd.people["zdb"],
        Record(str(unit_id(session, "T01")), "unapproved_change", "擅自变更建设内容", []),
        NOW,
    )
    form = {"scheduled_at": "2026-05-06 09:00", "place": "", "leader_id": ""}
    with pytest.raises(ValidationError) as refused:
        lifecycle.schedule(session, HANDAN, hd.people["zdb"], row.id, form, NOW)
    assert _errors(refused) == {
        "scheduled_at": "约谈时间：约谈时间已过，请填写今后的时间",
        "place": "约谈地点：不能为空",
        "leader_id": "约谈领导：请选择领导",
    }
    assert (row.state.value, row.number) == ("proposed", None)


def test_hd6_holding_stores_the_commitments_and_a_bad_row_is_named_with_nothing_saved(session, hd):
    row = scheduled(hd)
    rows = [
        CommitmentRow("6月底前完成选址论证", "2026-06-30"),
        CommitmentRow("报送整改方案", "5月"),
    ]
    with pytest.raises(ValidationError) as refused:
        _hold(hd, row, rows)
    assert list(_errors(refused)) == ["commitments-2-due_on"]
    assert _errors(refused)["commitments-2-due_on"].startswith("承诺事项第2行（完成期限）：")
    assert (row.state.value, row.commitments) == ("scheduled", [])
    rows[1] = CommitmentRow("报送整改方案", "2026-05-20")
    held = _hold(hd, row, [*rows, CommitmentRow("", "")])
    assert held.state.value == "held"
    assert [(c.position, c.text, c.due_on, c.state.value) for c in held.commitments] == [
        (1, "6月底前完成选址论证", date(2026, 6, 30), "open"),
        (2, "报送整改方案", date(2026, 5, 20), "open"),
    ]


def test_holding_needs_at_least_one_commitment(session, hd):
    row = scheduled(hd)
    with pytest.raises(ValidationError) as refused:
        _hold(hd, row, [CommitmentRow("", "")])
    assert list(_errors(refused)) == ["commitments"]


def test_hd6_the_unit_marks_its_commitment_done_and_another_unit_cannot_see_it(session, hd):
    held = _hold(hd, scheduled(hd), [CommitmentRow("报送整改方案", "2026-05-20")])
    item = held.commitments[0]
    with pytest.raises(NotFound):
        lifecycle.complete(session, hd.people["other"], item.id, "已报送", LATER)
    with pytest.raises(NotFound):
        register.interview(session, hd.people["other"], held.id)
    assert register.interview_page(session, hd.people["other"], WHOLE).items == []
    assert [i.id for i in register.interview_page(session, hd.people["dcs"], WHOLE).items] == [
        held.id
    ]
    with pytest.raises(PermissionDenied):
        lifecycle.complete(session, hd.people["dcs"], item.id, "已报送", LATER)
    done = lifecycle.complete(session, hd.people["town"], item.id, "5月15日已报送整改方案", LATER)
    assert (done.state.value, done.done_note, done.done_by_id) == (
        "done",
        "5月15日已报送整改方案",
        hd.users["town"].id,
    )
    with pytest.raises(Conflict):
        lifecycle.complete(session, hd.people["zdb"], item.id, "再报", LATER)


def test_hd6_an_overdue_commitment_is_flagged_to_the_key_office_once(session, hd):
    held = _hold(hd, scheduled(hd), [CommitmentRow("报送整改方案", "2026-05-20")])
    item = held.commitments[0]
    assert not register.is_overdue(item, date(2026, 5, 20))
    assert register.is_overdue(item, date(2026, 5, 21))
    assert notices.send_reminders(session, SETTINGS, date(2026, 5, 20), LATER) == 0
    assert notices.send_reminders(session, SETTINGS, date(2026, 5, 21), LATER) == 1
    assert notices.send_reminders(session, SETTINGS, date(2026, 5, 22), LATER) == 0
    told = notified(session, "commitment_overdue")
    assert list(told) == ["zdb"]
    assert "报送整改方案" in told["zdb"][0].body


def test_hd6_the_unit_is_reminded_the_day_before_once(session, hd):
    scheduled(hd)
    assert notices.send_reminders(session, SETTINGS, date(2026, 5, 6), NOW) == 0
    assert notices.send_reminders(session, SETTINGS, date(2026, 5, 7), NOW) == 2
    assert notices.send_reminders(session, SETTINGS, date(2026, 5, 7), NOW) == 0
    assert sorted(notified(session, "interview_reminder")) == ["chengguan", "town"]


def test_a_dismissal_gives_its_reason_and_ends_the_interview(session, hd):
    row = scheduled(hd)
    with pytest.raises(ValidationError) as refused:
        lifecycle.dismiss(session, hd.people["zdb"], row.id, " ", NOW)
    assert list(_errors(refused)) == ["dismissed_reason"]
    lifecycle.dismiss(session, hd.people["zdb"], row.id, "项目已调出年度计划", NOW)
    assert (row.state.value, row.dismissed_reason) == ("dismissed", "项目已调出年度计划")
    with pytest.raises(Conflict):
        lifecycle.dismiss(session, hd.people["zdb"], row.id, "再次", NOW)
    with pytest.raises(Conflict):
        lifecycle.hold(session, hd.people["zdb"], row.id, "2026-05-08", "x", [], LATER)


def test_a_profile_without_interviews_records_none(session, hd):
    data = Record(str(unit_id(session, "T01")), "poor_preparation", "论证不充分", [])
    with pytest.raises(Conflict, match="本地制度未设约谈"):
        lifecycle.record(session, load_profile("lianping"), hd.people["zdb"], data, NOW)
