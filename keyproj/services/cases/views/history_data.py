"""A case's top-level data made readable for auditors (X4): forms by their fields' labels,
deadlines in Beijing time, what changed at the step marked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from keyproj.clock import BEIJING
from keyproj.engine import CompiledDefinition
from keyproj.services.cases.views.timeline import describe

# The data keys the diagrams' scripts write, by what they mean (X5 deadlines, LP13 parts).
LABELS = {
    "started_at": "立案时间",
    "notice_issued_at": "通知发出时间",
    "notice_number": "通知文号",
    "notice_due": "发出通知期限",
    "response_due": "答复期限",
    "outcome_due": "办理结果报送期限",
    "evaluate_due": "评估期限",
    "long_report_due": "长期事项进展报告期限",
    "county_gov_assign_due": "县府办交办期限",
    "county_gov_handle_due": "县政府协调处置期限",
    "response_working_days": "答复时限（工作日）",
    "outcome_working_days": "办理时限（工作日）",
    "notice_working_days": "发出通知时限（工作日）",
    "evaluate_working_days": "评估时限（工作日）",
    "level": "预警类别",
    "colour": "预警颜色",
    "rule_id": "预警规则",
    "warning_id": "预警编号",
    "profile": "适用办法",
    "entry": "进入方式",
    "parts": "责任单位分工",
    "lead_unit_id": "牵头单位",
    "escalation_reason": "提请县政府协调原因",
    "outcome": "办结结果",
    "case_outcome": "办结结果",
    "county_gov_assign_working_days": "县府办交办时限（工作日）",
    "county_gov_handling_working_days": "县政府协调处置时限（工作日）",
    "county_gov_check_working_days": "县政府跟踪核查时限（工作日）",
    "supervision_working_days": "督查时限（工作日）",
    "long_report_working_days": "动态报告周期（工作日）",
    "long_remind_working_days_before": "动态报告提前提醒（工作日）",
    "long_cycle": "动态报告期数",
    "evidence": "预警依据",
    "period": "期次",
    "project_id": "项目编号",
    "project_code": "项目代码",
    "project_name": "项目名称",
    "leader": "分包县领导",
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
) -> list[DataItem]:
    """Every key of ``data`` in key order; a submitted form (under its task's name) by its
    fields' labels, ISO times in Beijing time, a unit's id (``*_unit_id``) by its name."""
    items = []
    for key in sorted(data):
        value = data[key]
        task = definition.user_tasks.get(key)
        if task is not None and isinstance(value, dict):
            label = f"{task.title}（表单）"
            shown = "；".join(f"{k}：{v}" for k, v in describe(task.form, value, {}))
        elif key.endswith("unit_id") and isinstance(value, int) and units and value in units:
            label, shown = LABELS.get(key, key), units[value]
        else:
            label = LABELS.get(key, key)
            shown = _shown(value)
        items.append(DataItem(key, label, shown, key not in previous or previous[key] != value))
    return items


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "—"
    if isinstance(value, str):
        return _time(value) or value
    if isinstance(value, int | float):
        return str(value)
    return orjson.dumps(value, default=str).decode()


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
