"""Warning cases through the services (X1, X2, LP13–LP20): inbox rows, claims, forms, deadlines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from keyproj.clock import BEIJING
from keyproj.db.models import CaseEvent, HumanTask
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.cases import commands as cases
from keyproj.services.cases import definitions
from tests.builders.clock import bj


def events(county) -> list[str]:
    rows = county.session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == county.case.id).order_by(CaseEvent.seq)
    )
    return list(rows)


def test_x1_case_starts_with_the_notice_task_in_the_key_office_inbox(county):
    case = county.start(bj(2026, 2, 12, 9))
    task = county.task("issue_notice")
    assert (task.lane, task.status, task.title) == ("重点办", "ready", "发出预警催办通知")
    # Thu 12 Feb + 3 working days: Fri 13, Sat 14 (worked), Tue 24 after the Spring Festival.
    assert task.due_at.astimezone(BEIJING).isoformat() == "2026-02-24T23:59:59+08:00"
    assert [c.unit_id for c in task.candidates] == [county.people["zdb"].unit_id]
    assert case.next_timer_at is not None
    assert case.definition.version == 1
    assert events(county) == ["case_started", "task_ready"]


def test_lp13_notice_gets_a_yearly_number_and_names_the_responsible_units(county):
    county.start(bj(2026, 2, 12, 9))
    result = county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    assert result.accepted
    # LP13: the lead town and the phase department each get their own task, lead first.
    assert result.now_waiting_for == [
        "受理并开展协调"
    ]  # each unit has its own; the step is named once
    assert county.case.notice_number == "连重点办预警〔2026〕1号"
    town, dept = county.people["town"].unit_id, county.people["dept"].unit_id
    for unit in (town, dept):
        respond = county.task("respond", unit=unit)
        assert respond.lane == "责任单位"
        assert respond.due_at.isoformat() == "2026-02-25T15:59:59+00:00"
        assert (respond.part_unit_id, [c.unit_id for c in respond.candidates]) == (unit, [unit])


def test_x2_only_candidate_units_with_the_lane_role_may_claim(county):
    county.with_people("town2").committed()  # a second account of the lead town
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    now = county.at(bj(2026, 2, 14, 9))
    respond = county.task("respond", unit=county.people["town"].unit_id)  # the lead's part
    with pytest.raises(NotFound, match=f"任务 {respond.id} 不存在或无权查看"):  # not its case
        cases.claim_task(county.session, county.people["other"], respond.id, now)
    with pytest.raises(PermissionDenied, match="责任单位"):
        cases.claim_task(county.session, county.people["zdb"], respond.id, now)
    with pytest.raises(PermissionDenied, match="是城关镇负责部分的任务，只能由城关镇认领办理"):
        cases.claim_task(county.session, county.people["dept"], respond.id, now)  # LP13
    cases.claim_task(county.session, county.people["town"], respond.id, now)
    county.session.commit()
    with pytest.raises(Conflict, match=r"该任务已由用户town于2026-02-14 09:00认领"):
        cases.claim_task(county.session, county.people["town2"], respond.id, now)
    cases.release_task(county.session, county.people["town"], respond.id, now)
    cases.claim_task(county.session, county.people["town2"], respond.id, now)
    county.session.commit()
    assert events(county)[-3:] == ["claimed", "released", "claimed"]


def test_form_errors_name_the_field_and_save_nothing(county):
    county.start(bj(2026, 2, 12, 9))
    before = events(county)
    with pytest.raises(ValidationError) as info:
        county.submit(
            "zdb", "issue_notice", bj(2026, 2, 13, 10), notice_text="太短", level="weather"
        )
    county.session.rollback()
    assert set(info.value.by_field()) == {"notice_text", "level"}
    assert events(county) == before
    assert county.task("issue_notice").status == "ready"


def test_unknown_lead_unit_is_refused(county):
    county.start(bj(2026, 2, 12, 9))
    with pytest.raises(ValidationError) as info:
        county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10), lead_unit_code="NOPE")
    assert info.value.by_field() == {"lead_unit_code": "未知单位“NOPE”"}


def test_second_completion_says_who_completed_it_and_when(county):
    county.start(bj(2026, 2, 12, 9))
    task_id = county.task("issue_notice").id
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    now = county.at(bj(2026, 2, 13, 11))
    with pytest.raises(Conflict, match=r"该任务已由用户zdb于2026-02-13 10:00完成"):
        cases.complete_task(
            county.session, county.people["zdb"], task_id, {}, load_profile("lianping"), now
        )


def test_deadline_race_late_submission_is_refused_and_kept(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    result = county.submit("town", "respond", bj(2026, 2, 26, 0, 0, 5), measures="迟到的措施说明")
    assert not result.accepted
    assert "2026-02-25 23:59:59" in result.message
    assert "县府办提请分管领导协调" in result.message
    assert county.waiting() == ["county_gov_assign"]
    refused = county.session.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == county.case.id, CaseEvent.kind == "submission_refused"
        )
    ).one()
    assert refused.data["submitted"]["measures"] == "迟到的措施说明"  # nothing typed is lost
    # The timer's step made the county government's task ready before the submission arrived;
    # the lead town's part was late (LP17), so the whole round went with it (LP16).
    assert events(county)[-5:] == [
        "timer_fired",
        "part_late",
        "escalated",
        "task_ready",
        "submission_refused",
    ]
    late = county.session.scalars(select(CaseEvent).where(CaseEvent.kind == "part_late")).one()
    assert late.unit_id == county.people["town"].unit_id
    cancelled = county.session.scalars(select(HumanTask).where(HumanTask.name == "respond"))
    assert [t.status for t in cancelled] == ["cancelled", "cancelled"]


def test_on_time_path_closes_the_case_and_marks_the_warning_handled(county):
    county.start(bj(2025, 9, 30, 10))
    county.submit("zdb", "issue_notice", bj(2025, 9, 30, 15))
    county.submit("town", "respond", bj(2025, 10, 11, 23, 59, 59))
    county.submit("dept", "respond", bj(2025, 10, 11, 10))
    county.submit("dept", "report_outcome", bj(2025, 10, 20, 10))
    assert county.waiting() == ["report_outcome"]  # LP13: the round waits for the lead town
    county.submit("town", "report_outcome", bj(2025, 10, 20, 11))
    result = county.submit("zdb", "evaluate", bj(2025, 10, 21, 10))
    assert result.accepted
    assert result.case_status == "closed"
    county.session.refresh(county.case)
    assert (county.case.status, county.case.outcome, county.case.next_timer_at) == (
        "closed",
        "handled",
        None,
    )
    assert county.warning.status == "handled"
    assert events(county)[-1] == "closed"


def test_lp20_escalation_through_supervision_filing(county):
    county.start(bj(2025, 9, 30, 10))
    county.submit("zdb", "issue_notice", bj(2025, 9, 30, 15))
    county.submit("town", "respond", bj(2025, 10, 9, 10))
    county.submit("dept", "respond", bj(2025, 10, 9, 11))
    county.submit("dept", "report_outcome", bj(2025, 10, 20, 9))
    county.submit("town", "report_outcome", bj(2025, 10, 20, 10), result="not_resolved")
    county.submit("zdb", "evaluate", bj(2025, 10, 21, 10), decision="escalate")
    assert county.waiting() == ["county_gov_assign"]
    assert county.task("county_gov_assign").due_at is not None
    county.submit("xfb", "county_gov_assign", bj(2025, 10, 22, 9))
    county.submit("xfb", "county_gov_handle", bj(2025, 10, 22, 10), decision="supervision")
    county.submit("dcs", "supervision_file", bj(2025, 10, 23, 10))
    filed = county.session.scalars(
        select(CaseEvent).where(
            CaseEvent.task_name == "supervision_file", CaseEvent.kind == "completed"
        )
    ).one()
    assert filed.data["input"]["supervision_number"] == "连督立〔2025〕1号"
    task = county.task("supervision_result")
    assert task.due_at.isoformat() == "2026-12-31T15:59:59+00:00"
    county.submit("dcs", "supervision_result", bj(2025, 10, 24, 10))
    county.session.refresh(county.case)
    assert (county.case.status, county.case.outcome) == ("closed", "supervised")
    assert county.warning.status == "supervised"


def test_lp18_progress_updates_and_comments_are_logged(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    now = county.at(bj(2026, 2, 24, 10))
    cases.add_update(
        county.session,
        county.people["town"],
        county.case.id,
        "progress_update",
        "已完成50%征地",
        now,
    )
    with pytest.raises(NotFound):  # a unit that does not answer for the case does not see it
        cases.add_update(
            county.session, county.people["other"], county.case.id, "progress_update", "x", now
        )
    with pytest.raises(PermissionDenied):  # the county government sees it but does not answer
        cases.add_update(
            county.session, county.people["xfb"], county.case.id, "progress_update", "x", now
        )
    cases.add_update(county.session, county.people["xfb"], county.case.id, "comment", "请加快", now)
    county.session.commit()
    assert events(county)[-2:] == ["progress_update", "comment"]


def test_a_case_starts_on_the_diagram_its_profile_names(county):
    """Each jurisdiction escalates differently: its profile names the diagram its cases run on."""
    shipped = (definitions.BPMN_DIR / "warning_case.bpmn").read_text(encoding="utf-8")
    own = shipped.replace('id="warning_case"', 'id="county_own"').replace(
        'processRef="warning_case"', 'processRef="county_own"'
    )
    definitions.deploy(county.session, "county_own", own, note="本县流程图")
    profile = load_profile("lianping")
    profile = profile.model_copy(
        update={"process": profile.process.model_copy(update={"diagram": "county_own"})}
    )
    case = cases.start_case(county.session, county.warning, profile, bj(2026, 3, 2, 9))
    assert (case.definition.key, case.definition.version) == ("county_own", 1)


def test_a_profile_naming_a_diagram_never_deployed_is_refused_saying_so(county):
    profile = load_profile("lianping")
    profile = profile.model_copy(
        update={"process": profile.process.model_copy(update={"diagram": "nowhere"})}
    )
    with pytest.raises(NotFound, match="nowhere"):
        cases.start_case(county.session, county.warning, profile, bj(2026, 3, 2, 9))


def test_x3_a_running_case_keeps_the_version_it_started_on_when_a_new_one_is_deployed(county):
    """Issue 11 (7): a new version serves new cases; an open case runs on to its end on its own."""
    old = county.start(bj(2026, 3, 2, 9))
    shipped = (definitions.BPMN_DIR / "warning_case.bpmn").read_text(encoding="utf-8")
    renamed = shipped.replace('name="受理并开展协调"', 'name="受理并开展协调（新版）"')
    assert renamed != shipped
    definitions.deploy(county.session, "warning_case", renamed, note="新版")
    county.session.commit()
    county.submit("zdb", "issue_notice", bj(2026, 3, 2, 10))
    assert {county.task("respond").title} == {"受理并开展协调"}
    new = county.open_case(county.project("城关镇环城路改建工程"), county.at(bj(2026, 3, 2, 11)))
    assert (old.definition.version, new.definition.version) == (1, 2)
    county.notify(new, county.at(bj(2026, 3, 2, 12)))
    assert county.task("respond", new).title == "受理并开展协调（新版）"
