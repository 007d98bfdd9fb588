"""Leaders' instructions (批示, issue 15 part 5): given by the linked leader only, on the log,
answered by a responsible unit's response, and listed for the leader's home page."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from keyproj.db.models import CaseEvent, CaseInstruction, User
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.services.access import viewer_for
from keyproj.services.cases import audit as case_audit
from keyproj.services.cases.timers import sweep
from keyproj.services.cases.views.pages import case_detail
from keyproj.services.home.leader import leader_home
from keyproj.services.instructions import following, lists
from keyproj.services.instructions.commands import (
    complete_answering,
    give_instruction,
    open_instructions,
)
from keyproj.services.notifications.events import dispatch_case_events
from keyproj.services.org.directory import save_leader
from tests.builders import factories
from tests.builders.cases import PROFILE
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.forms import form
from tests.builders.notifications import notified


def kinds(county: County) -> list[str]:
    query = select(CaseEvent.kind).where(CaseEvent.case_id == county.case.id)
    return list(county.session.scalars(query.order_by(CaseEvent.seq)))


def noticed(county: County) -> None:
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))


def instruct(county: County, who: str = "leader01", text: str = "请城关镇三日内拿出解决方案", **kw):
    now = county.at(kw.pop("moment", bj(2026, 2, 14, 9)))
    row = give_instruction(
        county.session, county.people[who], county.case.id, text, kw.pop("due_on", None), now
    )
    county.session.commit()
    return row


def answer(county: County, who: str, task: str, ids: list[str], moment=None):
    now = county.at(moment or bj(2026, 2, 16, 10))
    result = complete_answering(
        county.session, county.people[who], county.task(task).id, form(task), ids, PROFILE, now
    )
    county.session.commit()
    return result


def test_the_linked_leaders_instruction_stands_on_the_timeline_and_the_leader_follows(county):
    noticed(county)
    row = instruct(county, due_on="2026-02-20")
    assert kinds(county)[-1] == "instruction"
    assert following.is_following(county.session, county.users["leader01"].id, county.case.id)
    detail = case_detail(
        county.session, county.people["town"], county.case.id, county.at(bj(2026, 2, 14, 10))
    )
    entry = detail.timeline.entries[-1]
    assert entry.what == "县领导批示（要求2026年2月20日前办理）"
    assert entry.text == "请城关镇三日内拿出解决方案"
    assert entry.actor == "用户leader01"
    assert ("答复情况", "待责任单位答复") in entry.details
    assert [i.id for i in open_instructions(county.session, county.case.id)] == [row.id]
    assert case_audit.verify_case(county.session, county.case.id) is None


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("town", PermissionDenied),  # a responsible unit sees the case but may not instruct
        ("zdb", PermissionDenied),  # nor may the key office
        ("xfb", PermissionDenied),  # nor the county government office
        ("other", NotFound),  # a unit outside the case does not learn it exists
    ],
)
def test_LP8_only_the_linked_leader_may_instruct(county, who, error):
    noticed(county)
    with pytest.raises(error):
        instruct(county, who)
    county.session.rollback()
    assert "instruction" not in kinds(county)


def test_a_leader_not_linked_to_the_project_may_not_instruct(county):
    noticed(county)
    user = factories.user(county.session, "leader02", "XLD", "leader")
    save_leader(county.session, "王另", "副县长", username="leader02")
    county.session.commit()
    county.people["leader02"] = viewer_for(county.session, user)
    with pytest.raises(NotFound):
        instruct(county, "leader02")


def test_a_blank_text_and_a_past_deadline_are_refused_by_field(county):
    noticed(county)
    with pytest.raises(ValidationError) as info:
        instruct(county, text="  ", due_on="2026-02-13")
    county.session.rollback()
    assert info.value.by_field() == {
        "text": "不能为空（只有空白或不可见字符）",
        "due_on": "不能早于今天",
    }
    with pytest.raises(ValidationError, match="不是日期"):
        instruct(county, due_on="2026-2-30")
    county.session.rollback()
    assert "instruction" not in kinds(county)


def test_a_response_answers_the_instruction_and_the_timeline_says_by_whom(county):
    noticed(county)
    row = instruct(county)
    result = answer(county, "town", "respond", [str(row.id)])
    assert result.accepted
    assert kinds(county)[-3:] == ["completed", "task_ready", "instruction_answered"]
    stored = county.session.get(CaseInstruction, row.id, populate_existing=True)
    assert stored is not None
    assert stored.answered_by_id == county.users["town"].id
    assert stored.answer_task_title == "受理并开展协调"
    assert open_instructions(county.session, county.case.id) == []
    detail = case_detail(
        county.session, county.people["leader01"], county.case.id, county.at(bj(2026, 2, 16, 11))
    )
    answered = [e for e in detail.timeline.entries if e.kind == "instruction_answered"]
    assert answered[0].what == "在“受理并开展协调”中答复县领导批示"
    given = next(e for e in detail.timeline.entries if e.kind == "instruction")
    assert ("答复情况", "用户town（城关镇）于2026-02-16 10:00答复") in given.details
    report = case_audit.replay_case(county.session, county.case.id)
    assert report.chain_problem is None
    assert report.final_matches_stored


def test_a_wrong_answer_refuses_the_whole_submission(county):
    noticed(county)
    row = instruct(county)
    with pytest.raises(ValidationError) as info:
        answer(county, "town", "respond", [str(row.id + 100)])
    county.session.rollback()
    assert set(info.value.by_field()) == {"answers"}
    assert county.task("respond").status == "ready"  # the response was not taken either
    assert [i.id for i in open_instructions(county.session, county.case.id)] == [row.id]


def test_a_submission_without_answers_leaves_the_instruction_open(county):
    noticed(county)
    row = instruct(county)
    assert answer(county, "town", "respond", []).accepted
    assert [i.id for i in open_instructions(county.session, county.case.id)] == [row.id]
    # The outcome report may answer it later.
    assert answer(county, "town", "report_outcome", [str(row.id)], bj(2026, 2, 17, 10)).accepted
    assert open_instructions(county.session, county.case.id) == []


def test_no_instruction_on_a_closed_case(county):
    noticed(county)
    for unit in ("town", "dept"):  # the lead town and the phase department, each its own part
        county.submit(unit, "respond", bj(2026, 2, 14, 10))
        county.submit(unit, "report_outcome", bj(2026, 2, 15, 10))
    county.submit("zdb", "evaluate", bj(2026, 2, 16, 10))
    with pytest.raises(Conflict, match="已办结"):
        instruct(county, moment=bj(2026, 2, 17, 9))


def test_awaiting_instruction_lists_overdue_cases_until_the_leader_instructs(county):
    noticed(county)
    leader = county.people["leader01"]
    before = county.at(bj(2026, 2, 20, 9))
    assert lists.awaiting_instruction(county.session, leader, before) == []
    late = county.at(bj(2026, 2, 26, 9))  # the response was due on 25 February
    [waiting] = lists.awaiting_instruction(county.session, leader, late)
    assert (waiting.case_id, waiting.overdue, waiting.escalated) == (county.case.id, True, False)
    assert lists.awaiting_instruction(county.session, county.people["town"], late) == []
    instruct(county, moment=bj(2026, 2, 26, 9))
    assert lists.awaiting_instruction(county.session, leader, late) == []


def test_HD6_instructions_unanswered_for_the_leader_and_the_unit(county):
    noticed(county)
    row = instruct(county)
    for who in ("leader01", "town", "zdb"):
        assert [
            i.instruction_id
            for i in lists.instructions_unanswered(county.session, county.people[who])
        ] == [row.id]
    assert lists.instructions_unanswered(county.session, county.people["other"]) == []
    answer(county, "town", "respond", [str(row.id)])
    assert lists.instructions_unanswered(county.session, county.people["leader01"]) == []


def test_following_is_for_the_linked_leader_and_the_key_office(county):
    county.start(bj(2026, 2, 12, 9))
    now = county.at(bj(2026, 2, 12, 10))
    following.follow(county.session, county.people["zdb"], county.case.id, now)
    following.follow(county.session, county.people["leader01"], county.case.id, now)
    following.follow(county.session, county.people["zdb"], county.case.id, now)  # again: no change
    with pytest.raises(PermissionDenied):
        following.follow(county.session, county.people["xfb"], county.case.id, now)
    with pytest.raises(NotFound):
        following.follow(county.session, county.people["other"], county.case.id, now)
    assert following.followers(county.session, [county.case.id]) == {
        county.case.id: sorted([county.users["zdb"].id, county.users["leader01"].id])
    }
    following.unfollow(county.session, county.people["zdb"], county.case.id)
    names = county.session.scalars(
        select(User.username).where(
            User.id.in_(following.followers(county.session, [county.case.id])[county.case.id])
        )
    )
    assert list(names) == ["leader01"]


def test_LP16_awaiting_instruction_lists_a_case_escalated_to_the_county_government(county):
    noticed(county)
    county.at(bj(2026, 2, 26, 9))  # the response was due on 25 February: LP16 escalation
    sweep(sessionmaker(county.session.get_bind(), expire_on_commit=False), bj(2026, 2, 26, 9))
    county.session.expire_all()
    assert county.waiting() == ["county_gov_assign"]
    [waiting] = lists.awaiting_instruction(
        county.session, county.people["leader01"], county.at(bj(2026, 2, 26, 10))
    )
    assert (waiting.case_id, waiting.escalated, waiting.overdue) == (county.case.id, True, False)


def test_before_the_notice_an_instruction_reaches_the_projects_lead_unit(county):
    county.start(bj(2026, 2, 12, 9))
    instruct(county, moment=bj(2026, 2, 12, 10))
    dispatch_case_events(county.session, county.at(bj(2026, 2, 12, 10, 30)))
    county.session.commit()
    # The case answers to the project's lead unit from its start; the notice adds the others.
    assert sorted(notified(county.session, "instruction")) == ["town"]


def test_answers_on_a_task_outside_the_viewers_cases_tell_nothing(county):
    noticed(county)
    row = instruct(county)
    # Even a wrong answer is a NotFound, not a complaint about the answer that would betray the task.
    with pytest.raises(NotFound):
        answer(county, "other", "respond", [str(row.id + 100)])


def test_the_leaders_home_counts_cases_awaiting_an_instruction_and_unanswered_ones(county):
    noticed(county)
    leader = county.people["leader01"]
    late = county.at(bj(2026, 2, 26, 9))  # the response was due on 25 February
    home = leader_home(county.session, leader, late)
    assert ([a.case_id for a in home.awaiting], home.unanswered) == ([county.case.id], 0)
    instruct(county, moment=bj(2026, 2, 26, 9))
    home = leader_home(county.session, leader, late)
    assert (home.awaiting_count, home.unanswered) == (0, 1)
