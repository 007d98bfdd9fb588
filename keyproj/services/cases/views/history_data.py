"""A case's top-level data in the users' words for auditors (X4): forms by their fields'
labels, codes by their names, units by name, deadlines in Beijing time, what the step changed
marked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from keyproj.clock import BEIJING
from keyproj.codes import (
    CaseOutcome,
    CaseUnitRole,
    Colour,
    EscalationReason,
    Failure,
    WarningLevel,
)
from keyproj.engine import CompiledDefinition
from keyproj.policy import available_profiles, load_profile
from keyproj.services.cases.views.timeline import describe
from keyproj.services.reference import wording

EMPTY = "—"
# The data keys the start data and the diagrams' scripts write, by what they mean.
LABELS = {
    "started_at": "立案时间",
    "notice_issued_at": "通知发出时间",
    "notice_number": "通知文号",
    "response_due": "答复期限",
    "outcome_due": "办理结果报送期限",
    "response_working_days": "答复时限（工作日）",
    "outcome_working_days": "办理时限（工作日）",
    "notice_working_days": "发出通知时限（工作日）",
    "long_report_working_days": "动态报告周期（工作日）",
    "long_remind_working_days_before": "动态报告提前提醒（工作日）",
    "county_gov_handling_working_days": "县政府协调处置时限（工作日）",
    "county_gov_check_working_days": "县政府跟踪核查时限（工作日）",
    "level": "预警类别",
    "colour": "预警颜色",
    "rule_id": "预警规则",
    "warning_id": "预警编号",
    "period": "期次",
    "profile": "适用办法",
    "entry": "立案来源",
    "evidence": "预警依据",
    "project_id": "项目编号",
    "project_code": "项目代码",
    "project_name": "项目名称",
    "leader": "分包县领导",
    "stall_called": "停滞预警已发出",
    "stall_thresholds": "停滞预警周数",
    "stall_weeks": "连续停滞周数",
    "parts": "责任单位分工",
    "lead_unit_id": "牵头责任单位",
    "escalation_reason": "提请县政府协调原因",
    "case_outcome": "办结结果",
    "long_cycle": "动态报告期数",
    "long_reminded_cycle": "已提醒的动态报告期",
    "long_overdue_cycle": "已逾期的动态报告期",
    "part_out": "单位部分办理结果",
    "part_escalation": "单位部分提请协调",
    "follow_up_out": "纪要事项办理结果",
    "tv_inquiry_role": "电视问政对象",
    "notice_due": "发出通知期限",
    "supervision_working_days": "督查时限（工作日）",
    "leader_onsite_working_days": "分包县领导现场协调时限（工作日）",
    "long_report_due": "动态报告期限",
    "long_report_remind_at": "动态报告提醒时间",
    "long_cycle_started_at": "本期动态报告起算时间",
    "supervision_due": "督查办理期限",
    "supervision_number": "督查文号",
    "interview_working_days": "约谈时限（工作日）",
    "accountability_working_days": "责任追究办理时限（工作日）",
    "accountability_unit_ids": "被追究责任的单位",
    "al13_triggers": "责任追究情形",
    "al13_unit_ids": "被追究责任的单位",
    "al13_due": "责任追究办理期限",
    "al13_proposal": "责任追究建议",
    "part": "单位部分",
    "follow_up": "纪要事项",
    "follow_ups": "会议纪要事项",
    "follow_ups_late": "逾期的纪要事项",
    # The fields of nested records (a unit's part, an on-site meeting's follow-up item).
    "unit_id": "单位",
    "unit_name": "单位",
    "role": "职责",
    "matter": "落实事项",
    "due_date": "落实期限",
    "unit_code": "单位代码",
    "state": "状态",
    "report": "落实情况",
    "triggers": "责任追究情形",
    "unit_ids": "单位",
    "due": "截止时间",
    "reported_at": "报告时间",
    "late": "逾期",
}
ENTRIES = {"warning": "预警立案", "supervision": "督查室督查发现"}
# What a key's suffix says of a task's number (the task named by the rest of the key).
SUFFIXES = (("_working_days", "时限（工作日）"), ("_due", "期限"), ("_overdue", "已逾期"))


@lru_cache(maxsize=16)
def _profile_name(code: str) -> str:
    return load_profile(code).profile.name if code in available_profiles() else code


# Data keys holding a code: shown by its name.
CODED: dict[str, Callable[[str], str]] = {
    "level": WarningLevel.label_of,
    "colour": Colour.label_of,
    "rule_id": wording.rule_name,
    "period": wording.period_label,
    "entry": lambda code: ENTRIES.get(code, code),
    "profile": _profile_name,
    "role": CaseUnitRole.label_of,
    "case_outcome": CaseOutcome.label_of,
    "escalation_reason": EscalationReason.label_of,
    "al13_triggers": Failure.label_of,  # AL13's triggers are Failure codes
    "triggers": Failure.label_of,
}


@dataclass(frozen=True)
class DataItem:
    """One key of the case data as shown: its label, the value in words, and whether the step
    changed it."""

    key: str
    label: str
    value: str
    changed: bool


def readable(
    data: dict[str, Any],
    definition: CompiledDefinition,
    previous: dict[str, Any],
    units: dict[int, str] | None = None,
    shown_before: dict[str, DataItem] | None = None,
) -> list[DataItem]:
    """Every key of ``data`` in key order, in words; a submitted form (under its task's name)
    by its fields' labels. ``shown_before`` (the step before's items, by key) spares wording
    again what the step did not change: most of a case's data stays as it was."""
    words = _Words(definition, units or {})
    before = shown_before or {}
    items = []
    for key in sorted(data):
        value = data[key]
        kept = before.get(key)
        if kept is not None and key in previous and previous[key] == value:
            items.append(DataItem(key, kept.label, kept.value, False))
            continue
        task = definition.user_tasks.get(key)
        if task is not None and isinstance(value, dict):
            label = f"{wording.without_clauses(task.title)}（表单）"
            shown = "；".join(f"{k}：{v}" for k, v in describe(task.form, value, {})) or EMPTY
        else:
            label, shown = words.label(key), words.value(key, value)
        items.append(DataItem(key, label, shown, key not in previous or previous[key] != value))
    return items


class _Words:
    """Labels and values of one diagram's data, with the county's unit names."""

    def __init__(self, definition: CompiledDefinition, units: dict[int, str]) -> None:
        self.definition, self.units = definition, units

    def label(self, key: str) -> str:
        """The key's label; a task's number by the task's title (evaluate_due: 评估…期限)."""
        if key in LABELS:
            return LABELS[key]
        for suffix, words in SUFFIXES:
            task = self.definition.user_tasks.get(key.removesuffix(suffix))
            if key.endswith(suffix) and task is not None:
                return f"{wording.without_clauses(task.title)}{words}"
        return key

    def value(self, key: str, value: Any) -> str:
        """The value in words: codes by name, units by name, times in Beijing time."""
        if value is None or value == "" or value == [] or value == {}:
            return EMPTY
        if isinstance(value, bool):
            return "是" if value else "否"
        if key in CODED and isinstance(value, str):
            return CODED[key](value) or value
        if key == "evidence" and isinstance(value, dict):
            return wording.evidence_text(value) or EMPTY
        if key.endswith(("unit_id", "unit_ids")) and isinstance(value, int):
            return self.units.get(value, str(value))
        if isinstance(value, str):
            return _time(value) or value
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, list):
            return "、".join(self.value(key, item) for item in value)
        if isinstance(value, dict):
            return self._record(value)
        return str(value)

    def _record(self, value: dict[str, Any]) -> str:
        """A nested record (a unit's part: 城关镇（牵头责任单位）), else its labelled fields."""
        if "unit_name" in value and "role" in value:
            return f"{value['unit_name']}（{CaseUnitRole.label_of(value['role'])}）"
        # A unit is named once: by its name, else by its id's name, else by its code.
        named = {"unit_name", "unit_id", "unit_code"} & set(value)
        skip = (
            named - {min(named, key=("unit_name", "unit_id", "unit_code").index)}
            if named
            else set()
        )
        shown = [
            f"{self.label(k)}：{self.value(k, v)}"
            for k, v in value.items()
            if k not in skip and self.value(k, v) != EMPTY
        ]
        return "；".join(shown) or EMPTY


def _time(text: str) -> str | None:
    """An ISO time with its offset, in Beijing time to the minute; None for other text."""
    if len(text) < 19 or text[4] != "-" or "T" not in text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
