"""One valid submission of each task form of the warning case, as a county would fill it in."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

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
    "county_gov_assign": {
        "leader_name": "李副县长",
        "summary": "项目征地补偿款缺口较大，需县政府协调财政、自然资源等部门。",
    },
    "county_gov_handle": {
        "coordination": "分管县领导召集财政局、自然资源局专题研究资金缺口",
        "decision": "resolved",
    },
    "phase_escalated": {"note": "由县府办督促该镇五日内完成征地", "leader_name": "李副县长"},
    "follow_up_item": {"report": "补偿款已拨付到位，征地工作完成"},
    "county_gov_follow_up_check": {
        "decision": "implemented",
        "opinion": "经核实，纪要事项均已落实",
    },
    "supervision_file": {"requirements": "限期完成资金拨付并报告", "due_date": "2026-12-31"},
    "supervision_result": {"result": "已落实整改"},  # no accountability (LP20)
    "long_progress_report": {
        "progress": "已完成8户安置协议签订，剩余3户正在协商",
        "resolved": "no",
    },
    "accept_long_resolution": {"decision": "accepted", "opinion": "安置已全部完成，同意办结"},
    # HD5/HD6 (Handan's diagram): the measure before the city government coordinates.
    "hd_measure": {"measure": "coordinate", "reason": "牵头单位逾期未响应，提请市政府协调"},
    "reminder_letter_ack": {
        "signed_by": "张局长",
        "measures": "成立专班，倒排工期，每周向市发改委报告进度",
        "planned_completion": "2026-12-31",
    },
    "interview_record": {
        "held_on": "2026-03-02",
        "held_by": "王副市长",
        "summary": "约谈牵头单位主要负责人，指出项目进度滞后的问题",
        "commitments": [
            {"matter": "完成施工许可办理", "unit_code": "T01", "due_date": "2026-12-31"}
        ],
    },
    "tv_inquiry": {  # GS1
        "called_role": "unit_head",
        "person": "张明",
        "held_on": "2026-03-02",
        "programme": "光山电视台《问政光山》",
    },
    "leader_onsite": {
        "onsite_date": "2026-10-09",
        "coordination": "分包领导现场办公，协调供电公司三日内完成临时用电接入",
        "decision": "resolved",
    },
    # AL13: no trigger confirmed, no one held accountable (the office found good reason).
    "al13_accountability": {"opinion": "经核实，逾期系客观原因所致，不予追究"},
    # Decided items (bpmn/decided_item.bpmn): the owner's report, the office's acceptance.
    "carry_out_item": {
        "report": "供电线路迁改方案已经供电公司批复，迁改已完成",
        "evidence": "供电公司批复（光供电〔2026〕12号）及现场照片",
    },
    "accept_item": {"decision": "accepted", "opinion": "经现场核实，已按验收标准完成"},
    "item_overdue_review": {"opinion": "责任单位逾期未完成，限三日内报告原因并落实"},
}
# The optional fields, for a submission that fills in everything a form offers.
OPTIONAL: dict[str, dict[str, Any]] = {
    "issue_notice": {"major": True},
    "report_outcome": {"help_requested": "请县政府协调市局加快审查进度。"},
    "county_gov_assign": {"urgency": "urgent"},
    "county_gov_handle": {
        "decision": "onsite_meeting",
        "meeting_minutes": "现场办公会议明确：交通运输局牵头，12月20日前完成资金拨付。",
        "follow_ups": [{"unit_code": "D01", "matter": "完成资金拨付", "due_date": "2026-12-20"}],
    },
    "supervision_result": {
        "accountability": [
            {
                "unit_code": "T01",
                "person": "王镇长",
                "failures": ["unaware", "no_action_delay"],
                "measure": "约谈主要负责人，全县通报批评",
            }
        ],
        "remarks": "无",
    },
    "long_progress_report": {"next_steps": "下周召开协调会，争取月底前全部签约。"},
    "hd_measure": {
        "measure": "interview",
        "letter_text": "你单位牵头的项目投资完成率排名后三位，请限期整改。",
        "triggers": ["bottom_twice", "leader_request"],
        "interviewee_unit_code": "T01",
        "interviewee_person": "城关镇镇长王某",
    },
    "tv_inquiry": {
        "person_title": "城关镇党委书记",
        "commitments": "两周内完成征地扫尾，恢复正常施工。",
    },
    "leader_onsite": {
        "decision": "to_meeting",
        "meeting_issues": "征地补偿标准需县政府研究确定，提请月度调度例会。",
    },
    "al13_accountability": {
        "triggers": ["shirking_delay"],
        "accountability": [
            {
                "unit_code": "T01",
                "person": "王镇长",
                "trigger": "shirking_delay",
                "measures": ["admonition", "criticism"],
            }
        ],
    },
    "accept_item": {
        "decision": "not_accepted",
        "opinion": "迁改后线路未通过供电公司验收",
        "new_due_date": "2026-12-31",
    },
}


def form(
    name: str, *, complete: bool = False, drop: Collection[str] = (), **changes: Any
) -> dict[str, Any]:
    """A valid ``name`` form (all optional fields if ``complete``), less ``drop``, + ``changes``."""
    values = {**FORMS[name], **(OPTIONAL.get(name, {}) if complete else {})}
    return {k: v for k, v in values.items() if k not in drop} | changes
