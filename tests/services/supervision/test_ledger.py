"""The supervision ledger (LP13, LP20): listed at the notice, filed, overdue by its timer,
concluded with accountability records; filings on a case and on the office's own finding."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from keyproj.codes import NotificationKind
from keyproj.db.models import (
    AccountabilityRecord,
    Case,
    EarlyWarning,
    HumanTask,
    SupervisionMatter,
    Unit,
)
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.services.cases import audit as case_audit
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.cases.timers import sweep
from keyproj.services.notifications.events import dispatch_case_events
from keyproj.services.supervision.filing import Finding, file_finding, file_from_case
from keyproj.services.supervision.views import ledger
from tests.builders.cases import PROFILE
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.notifications import notified

ENTRY = {
    "unit_code": "T01",
    "person": "王镇长",
    "failures": ["unaware", "no_action_delay"],
    "measure": "约谈主要负责人，全县通报批评",
}


def assert_replays(session, case_id: int) -> None:
    report = case_audit.replay_case(session, case_id)
    assert report.chain_problem is None
    assert report.first_mismatch is None, report.first_mismatch
    assert report.final_matches_stored


def matters(county: County) -> list[SupervisionMatter]:
    county.session.expire_all()
    return list(county.session.scalars(select(SupervisionMatter).order_by(SupervisionMatter.id)))


def unit_id(county: County, code: str) -> int:
    return county.session.scalars(select(Unit.id).where(Unit.code == code)).one()


def factory_of(county: County) -> sessionmaker:
    """The workers' sessions; the test's own ends its reading first (SQLite locks the file)."""
    county.session.commit()
    return sessionmaker(county.session.get_bind(), expire_on_commit=False)


def escalate(county: County) -> None:
    """The notice, a late response (LP17) and the county government's handling (LP16)."""
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    county.at(bj(2026, 2, 26, 9))
    assert sweep(factory_of(county), bj(2026, 2, 26, 9)).timers == 1  # the response was late
    county.session.expire_all()
    county.submit("xfb", "county_gov_assign", bj(2026, 2, 26, 10))
    county.submit("xfb", "county_gov_handle", bj(2026, 2, 26, 11), decision="supervision")


def test_lp13_a_major_issue_is_listed_with_its_responsibility_split_at_the_notice(county):
    county.start(bj(2026, 2, 12, 9))
    assert matters(county) == []
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10), major=True)
    [row] = matters(county)
    assert (row.origin, row.state, row.case_id) == ("major", "listed", county.case.id)
    assert row.lead_unit_id == unit_id(county, "T01")
    assert row.phase_unit_ids == [unit_id(county, "D01")]
    assert row.summary.startswith("该项目投资完成率低于序时进度")
    [shown] = ledger.rows(county.session, county.people["dcs"], "listed")  # LP13's summary list
    assert (shown.lead_unit, shown.phase_units) == ("城关镇", "县交通运输局")
    dispatch_case_events(county.session, bj(2026, 2, 13, 11), PROFILE)
    [message] = notified(county.session, NotificationKind.SUPERVISION_LISTED)["dcs"]
    assert "牵头责任单位城关镇" in message.body
    assert "阶段性责任单位县交通运输局" in message.body


def test_lp13_a_notice_without_a_major_issue_lists_nothing(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    assert matters(county) == []
    dispatch_case_events(county.session, bj(2026, 2, 13, 11), PROFILE)
    assert notified(county.session, NotificationKind.SUPERVISION_LISTED) == {}
    assert "dcs" in notified(county.session, NotificationKind.NOTICE_COPY)


def test_lp20_a_filing_past_its_deadline_turns_overdue_reminds_and_stays_open(county):
    escalate(county)
    county.submit("dcs", "supervision_file", bj(2026, 2, 27, 10), due_date="2026-03-06")
    [row] = matters(county)
    assert (row.origin, row.state) == ("escalated", "filed")
    assert row.filing_number == "连督立〔2026〕1号"
    assert row.due_at is not None
    assert row.due_at.isoformat() == "2026-03-06T15:59:59+00:00"
    factory = factory_of(county)
    county.at(bj(2026, 3, 6, 23, 59, 59))
    assert sweep(factory, bj(2026, 3, 6, 23, 59, 59)).timers == 0
    county.at(bj(2026, 3, 7, 0, 0, 1))
    assert sweep(factory_of(county), bj(2026, 3, 7, 0, 0, 1)).timers == 1
    [row] = matters(county)
    assert row.state == "overdue"
    assert county.waiting() == ["supervision_result"]  # the timer does not interrupt
    assert_replays(county.session, county.case.id)
    dispatch_case_events(county.session, bj(2026, 3, 7, 9), PROFILE)
    reminded = notified(county.session, NotificationKind.SUPERVISION_OVERDUE)
    assert sorted(reminded) == ["dcs", "dept", "town"]  # the office, the lead and phase units
    county.submit("dcs", "supervision_result", bj(2026, 3, 9, 10))
    [row] = matters(county)
    assert (row.state, row.result) == ("concluded", "已落实整改")
    assert_replays(county.session, county.case.id)


def test_lp20_accountability_with_two_failures_makes_two_records_on_the_unit(county):
    escalate(county)
    county.submit("dcs", "supervision_file", bj(2026, 2, 27, 10))
    county.submit("dcs", "supervision_result", bj(2026, 3, 2, 10), accountability=[ENTRY])
    records = county.session.scalars(select(AccountabilityRecord)).all()
    assert sorted(r.failure for r in records) == ["no_action_delay", "unaware"]
    town = unit_id(county, "T01")
    record = ledger.unit_record(county.session, county.people["town"], town)  # its own staff
    assert [r.failure for r in record.records] == [
        "未及时了解掌握项目建设进度和存在问题",
        "未采取有效措施协调解决问题导致项目建设严重延误",
    ]
    assert {r.person for r in record.records} == {"王镇长"}
    [row] = ledger.rows(county.session, county.people["dcs"], "concluded")
    assert len(row.records) == 2
    assert_replays(county.session, county.case.id)


def test_lp20_an_unknown_unit_names_its_entry_and_nothing_is_written(county):
    escalate(county)
    county.submit("dcs", "supervision_file", bj(2026, 2, 27, 10))
    entries = [ENTRY, {**ENTRY, "unit_code": "X99"}]
    with pytest.raises(ValidationError) as refused:
        county.submit("dcs", "supervision_result", bj(2026, 3, 2, 10), accountability=entries)
    county.session.rollback()
    assert str(refused.value.errors[0]) == "问责意见第2项·责任单位：未知单位“X99”"
    assert county.session.scalars(select(AccountabilityRecord)).all() == []
    assert [r.state for r in matters(county)] == ["filed"]


def test_lp20_the_office_files_its_own_finding_which_skips_the_notice_and_triage(county):
    now = county.at(bj(2026, 3, 2, 10))
    finding = Finding(county.projects["plant"].id, "施工现场停工两周未报告", "T02", ["D01"])
    row = file_finding(county.session, PROFILE, county.people["dcs"], finding, now)
    county.session.commit()
    assert (row.origin, row.state) == ("finding", "listed")
    case = county.session.get_one(Case, row.case_id)
    warning = county.session.get_one(EarlyWarning, case.warning_id)
    assert (warning.rule_id, warning.source, warning.case_id) == (
        "supervision_finding",
        "supervision",
        case.id,  # covered by its case at once: it never waits in triage
    )
    assert [t.name for t in _open(county, case)] == ["supervision_file"]
    county.complete("dcs", case, "supervision_file", _filing("2026-03-20"), bj(2026, 3, 3, 10))
    [row] = matters(county)
    assert (row.state, row.lead_unit_id) == ("filed", unit_id(county, "T02"))
    assert_replays(county.session, case.id)


def test_lp20_filing_on_a_case_moves_its_listed_major_issue_and_links_both_ways(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10), major=True)
    now = county.at(bj(2026, 2, 24, 10))
    row = file_from_case(
        county.session, PROFILE, county.people["dcs"], county.case.id, "责任单位推进不力", now
    )
    county.session.commit()
    [only] = matters(county)
    assert (only.id, only.origin) == (row.id, "major")  # the listed matter, now filed on
    assert (only.origin_case_id, only.state) == (county.case.id, "listed")
    assert only.case_id != county.case.id
    new = county.session.get_one(Case, only.case_id)
    assert [t.name for t in _open(county, new)] == ["supervision_file"]
    assert [m.case_id for m in ledger.case_matters(county.session, county.case.id)] == [new.id]
    assert [m.origin_case_id for m in ledger.case_matters(county.session, new.id)] == [
        county.case.id
    ]
    county.complete("dcs", new, "supervision_file", _filing("2026-03-20"), bj(2026, 2, 25, 10))
    with pytest.raises(Conflict):  # filed and not concluded: not filed again
        file_from_case(county.session, PROFILE, county.people["dcs"], county.case.id, "再次", now)
    assert_replays(county.session, new.id)
    assert_replays(county.session, county.case.id)


def test_lp20_only_the_supervision_office_files_and_records_results(county):
    escalate(county)
    now = county.at(bj(2026, 2, 27, 10))
    finding = Finding(county.projects["plant"].id, "施工现场停工两周未报告", "T01")
    for who in ("zdb", "town", "xfb"):
        with pytest.raises(PermissionDenied):
            file_finding(county.session, PROFILE, county.people[who], finding, now)
        with pytest.raises(PermissionDenied):
            file_from_case(county.session, PROFILE, county.people[who], county.case.id, "x", now)
    with pytest.raises(PermissionDenied):
        county.submit("zdb", "supervision_file", bj(2026, 2, 27, 10))
    county.session.rollback()
    with pytest.raises(PermissionDenied):
        ledger.rows(county.session, county.people["town"])
    with pytest.raises(NotFound):  # another unit's record
        ledger.unit_record(county.session, county.people["other"], unit_id(county, "T01"))
    assert matters(county) == []


def _open(county: County, case: Case) -> list[HumanTask]:
    return open_task_rows(county.session, case.id)


def _filing(due_date: str) -> dict[str, str]:
    return {"requirements": "限期整改并报告结果", "due_date": due_date}
