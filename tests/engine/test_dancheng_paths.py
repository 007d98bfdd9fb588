"""Every path of Dancheng's diagram (bpmn/dancheng_case.bpmn, DC1–DC3 on the core LP13–LP20), in
memory, under time-machine.

DC1: every key project has a 分包领导; DC2: the leader holds on-site office at least weekly and
coordinates the project's difficulties; DC3: what the leader cannot resolve goes to the county
government's monthly dispatch meeting. An escalated case (late lead unit, outcome not accepted)
goes first to the leader; a project without one, and a notice routed to the county government,
go straight to the meeting. Deadlines cross Mid-Autumn and National Day 2026 (25–27 Sep and
1–7 Oct off; Sun 20 Sep and Sat 10 Oct worked) and the Spring Festival 2026 (15–23 Feb off;
Sat 14 Feb and Sat 28 Feb worked). Every step round-trips the stored state (InMemoryCase).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

import pytest

from keyproj.engine import CompiledDefinition
from keyproj.policy import available_profiles, load_profile
from tests.builders.clock import bj
from tests.builders.engine import DIAGRAM, LEAD, PHASE_TOWN, compiled_diagram, notice_parts
from tests.builders.forms import form

ONE_SECOND = timedelta(seconds=1)
LEADER_UNIT = 21  # the unit of the leader's account (县领导)
LEADER = {"id": 7, "name": "张建国", "title": "副县长", "unit_id": LEADER_UNIT}
RESPONSE = {"respond": form("respond")}
RESOLVED = {"report_outcome": form("report_outcome")}
NOT_RESOLVED = {"report_outcome": form("report_outcome", result="not_resolved")}
ACCEPT = {"evaluate": form("evaluate")}
ESCALATE = {"evaluate": form("evaluate", decision="escalate", opinion="未解决，提请分包领导协调")}
LEADER_RESOLVED = {"leader_onsite": form("leader_onsite")}
TO_MEETING = {"leader_onsite": form("leader_onsite", complete=True)}  # decision: to_meeting
ASSIGN = {"county_gov_assign": form("county_gov_assign")}
TO_SUPERVISION = {"county_gov_handle": form("county_gov_handle", decision="supervision")}
SUPERVISION_RESULT = {"supervision_result": form("supervision_result")}


@pytest.fixture(scope="session")
def definition() -> CompiledDefinition:
    """Dancheng's compiled diagram."""
    return compiled_diagram("dancheng_case")


def start(case, moment: datetime, leader: dict[str, Any] | None = LEADER, **overrides: Any) -> None:
    """Start a case of a project whose 分包领导 is ``leader`` (None: the project has none), with
    Dancheng's 5 working days for the leader's on-site coordination."""
    case.start(moment, leader=leader, leader_onsite_working_days=5, **overrides)


def notice(issued: datetime, phases: int = 0, routing: str = "town") -> dict[str, Any]:
    """The notice as the key office issues it (the hook's number, time and parts included)."""
    return {
        "issue_notice": form("issue_notice", routing=routing),
        "notice_issued_at": issued.isoformat(),
        "notice_number": "郸重点办预警〔2026〕1号",
        "parts": notice_parts(phases),
        "lead_unit_id": LEAD,
    }


def noticed(case, moment: datetime, leader: dict[str, Any] | None = LEADER, **kw: Any) -> None:
    """Start and issue the notice at ``moment``."""
    start(case, moment, leader)
    case.submit(moment, "issue_notice", notice(moment, **kw))


def late_lead(
    case, issued: datetime, late: datetime, leader: dict[str, Any] | None = LEADER
) -> None:
    """Notice issued at ``issued``; the lead unit never responds; at ``late`` (one second past
    its deadline) its part ends and the case escalates (LP17)."""
    noticed(case, issued, leader)
    assert case.fire(late - ONE_SECOND - ONE_SECOND) == []  # the deadline's last second counts
    assert case.fire(late) == ["response_late"]
    assert case.instance.data["escalation_reason"] == "response_late"


def supervise(case, moment: datetime) -> None:
    """The dispatch meeting hands the matter to the supervision office, which files it and
    records the result (LP20)."""
    assert case.waiting() == ["county_gov_assign"]
    case.submit(moment, "county_gov_assign", ASSIGN)
    case.submit(moment, "county_gov_handle", TO_SUPERVISION)
    assert case.waiting() == ["supervision_file"]
    filed = {
        "supervision_file": form("supervision_file", due_date="2026-12-31"),
        "supervision_due": "2026-12-31T23:59:59+08:00",
    }
    case.submit(moment, "supervision_file", filed)
    case.submit(moment, "supervision_result", SUPERVISION_RESULT)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "supervised"


def leader_task(case):
    return next(t for t in case.instance.ready_user_tasks() if t.name == "leader_onsite")


# --- the leader-led path (DC1–DC3) ----------------------------------------------------------


def test_dc1_dc2_late_lead_response_goes_to_the_leader_who_resolves_it_across_national_day(case):
    late_lead(
        case, bj(2026, 9, 24, 10), bj(2026, 10, 1, 0, 0, 1)
    )  # respond due 30 Sep (25–27 Sep off)
    assert case.waiting() == ["leader_onsite"]  # not the county government yet
    task = leader_task(case)
    assert (task.lane, task.unit_id) == ("县政府", LEADER_UNIT)  # the leader's own unit only
    # DC2: 5 working days from 1 Oct: 8, 9, Sat 10 (worked), 12, 13 Oct.
    assert case.due("leader_onsite") == "2026-10-13T23:59:59+08:00"
    case.submit(bj(2026, 10, 9, 16), "leader_onsite", LEADER_RESOLVED)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "leader_resolved"
    assert case.instance.data["leader_onsite"]["onsite_date"] == "2026-10-09"


def test_dc3_leader_sends_a_late_outcome_to_the_dispatch_meeting_then_supervision(case):
    noticed(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 9), "respond", RESPONSE)
    # LP17: 10 working days from Thu 12 Feb: 13, Sat 14, 24–27, Sat 28 Feb, 2–4 Mar.
    assert case.instance.data["outcome_due"] == "2026-03-04T23:59:59+08:00"
    assert case.fire(bj(2026, 3, 5, 0, 0, 1)) == ["outcome_late"]
    assert case.waiting() == ["leader_onsite"]
    # 5 working days from Thu 5 Mar: 6, 9–12 Mar.
    assert case.due("leader_onsite") == "2026-03-12T23:59:59+08:00"
    case.submit(bj(2026, 3, 10, 9), "leader_onsite", TO_MEETING)
    assert case.waiting() == ["county_gov_assign"]
    assert case.instance.data["escalation_reason"] == "outcome_late"
    supervise(case, bj(2026, 3, 11, 10))


def test_dc1_outcome_not_accepted_goes_to_the_leader_with_an_overdue_reminder_across_spring_festival(
    case,
):
    noticed(case, bj(2026, 2, 11, 9))
    case.submit(bj(2026, 2, 11, 10), "respond", RESPONSE)
    case.submit(bj(2026, 2, 12, 10), "report_outcome", NOT_RESOLVED)
    case.submit(bj(2026, 2, 13, 10), "evaluate", ESCALATE)
    assert case.instance.data["escalation_reason"] == "not_accepted"
    assert case.waiting() == ["leader_onsite"]
    # 5 working days from Fri 13 Feb: Sat 14 (worked), 24, 25, 26, 27 Feb (15–23 Feb off).
    assert case.due("leader_onsite") == "2026-02-27T23:59:59+08:00"
    assert case.fire(bj(2026, 2, 27, 23, 59, 59)) == []  # the last second counts
    assert case.fire(bj(2026, 2, 28, 0, 0, 1)) == ["leader_onsite_overdue"]
    # Non-interrupting: flagged and reminded once; the leader's task stays open.
    assert case.instance.data["leader_onsite_overdue"] is True
    assert case.waiting() == ["leader_onsite"]
    assert case.fire(bj(2026, 3, 5, 9)) == []
    case.submit(bj(2026, 3, 2, 10), "leader_onsite", LEADER_RESOLVED)
    assert case.instance.data["case_outcome"] == "leader_resolved"


def test_dc1_a_leader_without_an_account_is_recorded_by_the_county_government_lane(case):
    late_lead(
        case, bj(2026, 2, 12, 9), bj(2026, 2, 25, 0, 0, 1), leader={**LEADER, "unit_id": None}
    )
    task = leader_task(case)
    assert (task.lane, task.unit_id) == ("县政府", None)  # the lane's units are the candidates
    # Respond due Tue 24 Feb; 5 working days from Wed 25 Feb: 26, 27, Sat 28 (worked), 2, 3 Mar.
    assert case.due("leader_onsite") == "2026-03-03T23:59:59+08:00"


def test_dc1_a_project_without_a_leader_goes_straight_to_the_dispatch_meeting(case):
    late_lead(case, bj(2026, 9, 24, 10), bj(2026, 10, 1, 0, 0, 1), leader=None)
    assert case.waiting() == ["county_gov_assign"]
    assert "leader_onsite_due" not in case.instance.data
    # 3 working days from 1 Oct: 8, 9, Sat 10 Oct.
    assert case.due("county_gov_assign") == "2026-10-10T23:59:59+08:00"
    supervise(case, bj(2026, 10, 12, 10))


def test_dc3_the_dispatch_meeting_holds_an_onsite_meeting_whose_items_are_followed_up(case):
    late_lead(case, bj(2026, 9, 24, 10), bj(2026, 10, 1, 0, 0, 1))
    case.submit(bj(2026, 10, 9, 16), "leader_onsite", TO_MEETING)
    case.submit(bj(2026, 10, 12, 9), "county_gov_assign", ASSIGN)
    item = {
        "unit_code": "T02",
        "matter": "完成临时用地协调",
        "due_date": "2026-10-20",
        "unit_id": PHASE_TOWN,
        "unit_name": "石桥镇",
        "due": "2026-10-20T23:59:59+08:00",
    }
    handled = form(
        "county_gov_handle",
        decision="onsite_meeting",
        meeting_minutes="调度例会决定：石桥镇10月20日前完成临时用地协调。",
        follow_ups=[{k: item[k] for k in ("unit_code", "matter", "due_date")}],
    )
    case.submit(
        bj(2026, 10, 12, 10),
        "county_gov_handle",
        {"county_gov_handle": handled, "follow_ups": [item]},
    )
    assert case.waiting() == ["follow_up_item"]
    assert case.fire(bj(2026, 10, 21, 0, 0, 1)) == ["follow_up_overdue"]
    assert case.waiting() == ["follow_up_item"]  # reminded, still open
    case.submit(bj(2026, 10, 21, 9), "follow_up_item", {"follow_up_item": form("follow_up_item")})
    assert case.waiting() == ["county_gov_follow_up_check"]
    check = {"county_gov_follow_up_check": form("county_gov_follow_up_check")}
    case.submit(bj(2026, 10, 22, 9), "county_gov_follow_up_check", check)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "county_resolved"


# --- the core paths, kept ------------------------------------------------------------------


def test_lp13_lp17_on_time_and_resolved_never_reaches_the_leader(case):
    noticed(case, bj(2026, 9, 24, 10))
    assert case.due("respond") == "2026-09-30T23:59:59+08:00"  # 25–27 Sep off
    case.submit(bj(2026, 9, 30, 23, 59, 59), "respond", RESPONSE)
    # 10 working days from 24 Sep: 28–30 Sep, 8, 9, Sat 10, 12–15 Oct.
    assert case.instance.data["outcome_due"] == "2026-10-15T23:59:59+08:00"
    case.submit(bj(2026, 10, 15, 18), "report_outcome", RESOLVED)
    case.submit(bj(2026, 10, 19, 9), "evaluate", ACCEPT)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "handled"
    assert "leader_onsite" not in case.instance.data


def test_lp16_a_notice_routed_to_the_county_government_skips_the_leader(case):
    noticed(case, bj(2026, 9, 29, 10), routing="county_government")
    assert case.waiting() == ["county_gov_assign"]
    assert case.instance.data["escalation_reason"] == "routed"
    assert case.due("county_gov_assign") == "2026-10-09T23:59:59+08:00"  # over National Day
    case.submit(bj(2026, 9, 30, 10), "county_gov_assign", ASSIGN)
    case.submit(
        bj(2026, 9, 30, 11), "county_gov_handle", {"county_gov_handle": form("county_gov_handle")}
    )
    assert case.instance.data["case_outcome"] == "county_resolved"


def test_lp16_a_late_phase_unit_escalates_its_part_only_not_to_the_leader(case):
    noticed(case, bj(2026, 2, 13, 10), phases=1)
    assert case.due("respond", PHASE_TOWN) == "2026-02-25T23:59:59+08:00"  # Spring Festival
    case.submit(bj(2026, 2, 24, 9), "respond", RESPONSE, unit=LEAD)
    assert case.fire(bj(2026, 2, 26, 0, 0, 1)) == ["response_late"]
    assert case.waiting_parts() == [("report_outcome", LEAD), ("phase_escalated", PHASE_TOWN)]
    assert "escalation_reason" not in case.instance.data
    case.submit(bj(2026, 2, 26, 9), "phase_escalated", {"phase_escalated": form("phase_escalated")})
    case.submit(bj(2026, 2, 27, 9), "report_outcome", RESOLVED, unit=LEAD)
    case.submit(bj(2026, 2, 28, 9), "evaluate", ACCEPT)  # Sat 28 Feb is worked
    assert case.instance.data["case_outcome"] == "handled"


def test_lp18_a_long_matter_is_followed_up_until_accepted(case):
    noticed(case, bj(2026, 9, 24, 10))
    case.submit(bj(2026, 9, 24, 11), "respond", RESPONSE)
    case.submit(bj(2026, 9, 24, 12), "report_outcome", NOT_RESOLVED)
    long_term = form("evaluate", decision="long_term", opinion="征地涉及群众安置，需较长时间跟进")
    case.submit(bj(2026, 9, 24, 15), "evaluate", {"evaluate": long_term})
    assert case.waiting() == ["long_progress_report"]
    # 10 working days from 24 Sep: 28–30 Sep, 8–10 Oct, 12–15 Oct.
    assert case.due("long_progress_report") == "2026-10-15T23:59:59+08:00"
    report = form("long_progress_report", resolved="yes")
    case.submit(bj(2026, 10, 14, 9), "long_progress_report", {"long_progress_report": report})
    accept = {"accept_long_resolution": form("accept_long_resolution")}
    case.submit(bj(2026, 10, 15, 9), "accept_long_resolution", accept)
    assert case.instance.data["case_outcome"] == "handled"
    assert "leader_onsite" not in case.instance.data


def test_lp20_the_supervision_offices_own_filing_enters_at_the_filing(case):
    start(case, bj(2026, 9, 29, 9), entry="supervision")
    assert case.waiting() == ["supervision_file"]
    filed = {
        "supervision_file": form("supervision_file", due_date="2026-10-09"),
        "supervision_due": "2026-10-09T23:59:59+08:00",
    }
    case.submit(bj(2026, 9, 30, 10), "supervision_file", filed)
    assert case.fire(bj(2026, 10, 10, 0, 0, 1)) == ["supervision_overdue"]
    case.submit(bj(2026, 10, 12, 10), "supervision_result", SUPERVISION_RESULT)
    assert case.instance.data["case_outcome"] == "supervised"


# --- the diagram itself ---------------------------------------------------------------------


def test_dc3_the_county_government_tasks_keep_their_ids_and_are_named_as_the_dispatch_meeting(
    definition,
):
    tasks = definition.user_tasks
    assert tasks["leader_onsite"].title == "分包领导现场办公协调（DC1、DC2）"
    assert (tasks["leader_onsite"].lane, tasks["leader_onsite"].form) == ("县政府", "leader_onsite")
    assert "调度例会" in tasks["county_gov_assign"].title
    assert "调度例会" in tasks["county_gov_handle"].title
    assert definition.spec.description == "郸城县重点项目预警协调处置"


def test_dc2_every_profile_on_a_diagram_with_the_leader_path_sets_the_leaders_working_days():
    """The leader's deadline comes from the profile: a diagram with the leader's task needs it."""
    for name in available_profiles():
        profile = load_profile(name)
        tasks = compiled_diagram(profile.process.diagram).user_tasks
        if "leader_onsite" in tasks:
            assert profile.process.leader_onsite_working_days is not None, name
    dancheng = load_profile("dancheng")
    assert dancheng.process.diagram == "dancheng_case"
    assert dancheng.process.leader_onsite_working_days == 5
    assert dancheng.cite("process.leader_onsite_working_days").startswith("本地取值：")


def test_every_element_of_the_diagram_is_drawn():
    """The modeler and the case page draw the diagram: every flow node has a shape, every
    sequence flow an edge starting and ending at its nodes."""
    path = DIAGRAM.parent / "dancheng_case.bpmn"
    root = ET.parse(path).getroot()
    bpmn = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    di = "{http://www.omg.org/spec/BPMN/20100524/DI}"
    dc = "{http://www.omg.org/spec/DD/20100524/DC}"
    process = root.find(f"{bpmn}process")
    assert process is not None
    skip = {"laneSet", "documentation", "multiInstanceLoopCharacteristics", "extensionElements"}
    nodes, flows = {}, {}
    stack = list(process)
    while stack:
        el = stack.pop()
        tag = el.tag.removeprefix(bpmn)
        if tag == "sequenceFlow":
            flows[el.get("id")] = el
        elif tag not in skip and el.get("id"):
            nodes[el.get("id")] = el
            if tag == "subProcess":  # its nodes are drawn too; an event's definition is not
                stack.extend(el)
    shapes = {
        s.get("bpmnElement"): [float(bounds.get(k, "nan")) for k in ("x", "y", "width", "height")]
        for s in root.iter(f"{di}BPMNShape")
        if (bounds := s.find(f"{dc}Bounds")) is not None
    }
    edges = {
        e.get("bpmnElement"): [
            (float(w.get("x", "nan")), float(w.get("y", "nan")))
            for w in e.iter("{http://www.omg.org/spec/DD/20100524/DI}waypoint")
        ]
        for e in root.iter(f"{di}BPMNEdge")
    }
    assert set(nodes) <= set(shapes)
    assert set(flows) <= set(edges)

    def touches(point: tuple[float, float], box: list[float]) -> bool:
        x, y, w, h = box
        return x - 3 <= point[0] <= x + w + 3 and y - 3 <= point[1] <= y + h + 3

    for name, flow in flows.items():
        points = edges[name]
        assert touches(points[0], shapes[flow.get("sourceRef")]), name
        assert touches(points[-1], shapes[flow.get("targetRef")]), name
    for lane in process.iter(f"{bpmn}lane"):  # each node inside the lane that names it
        lx, ly, lw, lh = shapes[lane.get("id")]
        for ref in lane.iter(f"{bpmn}flowNodeRef"):
            x, y, w, h = shapes[ref.text]
            assert lx <= x <= x + w <= lx + lw, ref.text
            assert ly <= y <= y + h <= ly + lh, ref.text
