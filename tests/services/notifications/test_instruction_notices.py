"""Instructions (批示) and followed cases → notifications (issue 15 part 5): the units hear of an
instruction, the leader of its answer, followers of the case's steps; each once."""

from __future__ import annotations

from datetime import datetime

from keyproj.services.instructions import following
from keyproj.services.instructions.commands import complete_answering, give_instruction
from keyproj.services.notifications import inbox as notifications
from tests.builders.cases import PROFILE
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.forms import form
from tests.builders.notifications import notified


def dispatch(county: County, moment: datetime) -> int:
    created = notifications.dispatch_case_events(county.session, county.at(moment))
    county.session.commit()
    return created


def instructed(county: County) -> int:
    """The case noticed to 城关镇 and 县交通运输局, and the leader's instruction on it."""
    county.link_leader()
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    row = give_instruction(
        county.session,
        county.people["leader01"],
        county.case.id,
        "请加快征地进度",
        "2026-02-20",
        county.at(bj(2026, 2, 14, 9)),
    )
    county.session.commit()
    return row.id


def test_an_instruction_reaches_the_staff_of_the_responsible_units(county):
    instructed(county)
    dispatch(county, bj(2026, 2, 14, 9, 30))
    told = notified(county.session, "instruction")
    assert sorted(told) == ["dept", "town"]  # the lead town and the phase department
    note = told["town"][0]
    assert note.title == "县领导批示：项目“城关镇污水处理厂提标改造工程”"
    assert note.body == (
        "县领导李挂钩对项目“城关镇污水处理厂提标改造工程”的预警案件作出批示，"
        "要求于2026-02-20前办理：请加快征地进度。请在受理或报告协调成效时答复。"
    )
    assert note.link == f"/cases/{county.case.id}#instructions"


def test_the_leader_hears_of_the_answer_and_followers_of_each_step_once(county):
    instruction_id = instructed(county)
    following.follow(
        county.session, county.people["zdb"], county.case.id, county.at(bj(2026, 2, 14, 9))
    )
    county.session.commit()
    dispatch(county, bj(2026, 2, 14, 9, 30))
    now = county.at(bj(2026, 2, 16, 10))
    task = county.task("respond")
    complete_answering(
        county.session,
        county.people["town"],
        task.id,
        form("respond"),
        [str(instruction_id)],
        PROFILE,
        now,
    )
    county.session.commit()
    dispatch(county, bj(2026, 2, 16, 10, 30))
    [answered] = notified(county.session, "instruction_answered")["leader01"]
    assert answered.body == (
        "您对项目“城关镇污水处理厂提标改造工程”预警案件的批示已由责任单位在“受理并开展协调”中答复。"
    )
    updates = notified(county.session, "case_followed")
    # The key office follows: it hears of the instruction and the response (the notice was its
    # own step); the leader, following since the instruction, hears of the response, while
    # the answer itself reached them as the message above, not twice.
    assert [n.body for n in updates["zdb"]] == [
        "项目“城关镇污水处理厂提标改造工程”的预警案件有新的县领导批示：请加快征地进度。",
        "项目“城关镇污水处理厂提标改造工程”的预警案件“受理并开展协调”已办理完成。",
        "项目“城关镇污水处理厂提标改造工程”的预警案件的县领导批示已由责任单位答复。",
    ]
    assert [n.body for n in updates["leader01"]] == [
        "项目“城关镇污水处理厂提标改造工程”的预警案件“受理并开展协调”已办理完成。"
    ]
    assert "town" not in updates  # not a follower
    assert dispatch(county, bj(2026, 2, 16, 11)) == 0


def test_a_follower_no_longer_linked_hears_nothing(county):
    county.link_leader()
    county.start(bj(2026, 2, 12, 9))
    following.follow(
        county.session, county.people["leader01"], county.case.id, county.at(bj(2026, 2, 12, 9))
    )
    county.warning.project.leader_id = None  # the registry moved the project to another leader
    county.session.commit()
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    dispatch(county, bj(2026, 2, 13, 10, 30))
    assert "leader01" not in notified(county.session, "case_followed")
