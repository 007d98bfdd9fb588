"""The users' words for stored data: a warning's evidence as labelled Chinese sentences, rule
names, Beijing times, period names and task names without clause codes — one vocabulary for the
pages, the documents and the API's readable text."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from keyproj import codes, periods
from keyproj.clock import BEIJING
from keyproj.codes.sitework import SPOT_CHECK_RULE
from keyproj.errors import ValidationError
from keyproj.rules import rule_title

log = logging.getLogger(__name__)

EMPTY = "—"
# A clause code as the diagrams and rule titles write it: （LP16）, (LP11-1), （AL6、AL7）.
CLAUSE_CODE = r"[A-Z]{1,3}\d{1,2}(?:-\d{1,2})?"
CLAUSE_NOTE = re.compile(rf"\s*[（(]\s*({CLAUSE_CODE}(?:\s*[、,，/]\s*{CLAUSE_CODE})*)\s*[）)]")
CLAUSE = re.compile(CLAUSE_CODE)
# A warning raised by hand or fed back from an upper system carries its source in its rule id.
SUPERVISION_PREFIX = "supervision_"


@dataclass(frozen=True)
class Line:
    """One labelled fact of the evidence: 完成投资 — 1,200万元."""

    label: str
    text: str
    clauses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """A warning's evidence as users read it: the sentence, the facts, the clauses it rests on."""

    summary: str
    lines: tuple[Line, ...]
    clauses: tuple[str, ...]

    def text(self) -> str:
        """All of it as one paragraph, for documents and single table cells."""
        parts = [self.summary] if self.summary else []
        parts += [f"{line.label}：{line.text}" for line in self.lines]
        return "；".join(p.rstrip("。；") for p in parts) + "。" if parts else EMPTY


# --- values ----------------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value: Any) -> str:
    """A number with thousands separators and no trailing zeros: 12,000 or 8,800.5."""
    found = _decimal(value)
    if found is None:
        return str(value)
    text = f"{found.quantize(Decimal('0.0001')):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def wan_yuan(value: Any) -> str:
    """An amount in 万元: 1,200.5万元."""
    return f"{number(value)}万元"


def ratio_percent(value: Any) -> str:
    """A ratio as a percentage with one decimal: 0.5698 → 57.0%."""
    found = _decimal(value)
    if found is None:
        return str(value)
    return f"{(found * 100).quantize(Decimal('0.1'))}%"


def percent(value: Any) -> str:
    """A value already in per cent: 45.5 → 45.5%."""
    return f"{number(value)}%"


def beijing_time(value: datetime | str | None) -> str:
    """A moment in Beijing time to the minute; stored moments are UTC, ISO text is accepted."""
    if value is None or value == "":
        return EMPTY
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:  # a naive moment is a Beijing one (never stored so, but typed so)
        moment = moment.replace(tzinfo=BEIJING)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def day(value: date | datetime | str | None) -> str:
    """A calendar date as 2026-03-31; a moment is taken on its Beijing day."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=BEIJING)).astimezone(BEIJING)
        value = value.date()
    return value.isoformat()


def period_label(key: str | None) -> str:
    """A period key (2026-03, 2026-03-1, 2026-W12, 2026-Q1) as 2026年3月 and so on."""
    if not key:
        return EMPTY
    for cycle in periods.CYCLE_LABELS:
        try:
            return periods.parse(cycle, key).label
        except ValidationError:
            continue
    if re.fullmatch(r"issue-\d+", key):  # a warning per issue, not per period (LP11-3, LP9)
        return "不分期次"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(-\d+)?", key):  # a checkpoint or a hand warning's day
        return f"{key[:10]}{'（第' + key[11:] + '条）' if len(key) > 10 else ''}"
    return key


def rule_name(rule_id: str | None) -> str:
    """The Chinese name of a warning's rule, whatever raised it (scan, hand, upper system)."""
    if not rule_id:
        return EMPTY
    if rule_id == codes.FINDING_RULE:
        return "督查室督查发现"  # LP20
    if rule_id == codes.DECIDED_ITEM_RULE:
        return "会议议定事项"  # AL13 一是, DC3, GS6: a decided item's case
    if rule_id == SPOT_CHECK_RULE:
        return "重点办随机抽查发现"  # LP10
    if rule_id.startswith(SUPERVISION_PREFIX):
        return "重点办日常督查发现"
    title = rule_title(rule_id)
    if title == rule_id:
        log.warning("a rule id without a Chinese name: %s", rule_id)
        return "其他预警"
    return title


# --- clause codes in names -------------------------------------------------------------------


def without_clauses(name: str | None) -> str:
    """A name as shown, without the clause codes it carries: 县政府协调处置（LP16）→ 县政府协调处置."""
    return CLAUSE_NOTE.sub("", name or "").strip()


def clauses_in(name: str | None) -> tuple[str, ...]:
    """The clause codes a name carries, in order: 县政府协调处置（LP16）→ ("LP16",)."""
    found: list[str] = []
    for note in CLAUSE_NOTE.finditer(name or ""):
        found += [c for c in CLAUSE.findall(note.group(1)) if c not in found]
    return tuple(found)


# --- evidence --------------------------------------------------------------------------------


def citation(value: Any) -> Line:
    """A profile's citation, "LP11-1 / 本地取值：…": its clause codes apart (for 依据 links),
    its words as text ("" when it is only codes)."""
    parts = [p.strip() for p in str(value or "").split(" / ") if p.strip()]
    cited = tuple(p for p in parts if CLAUSE.fullmatch(p))
    words = "；".join(without_clauses(p) for p in parts if p not in cited)
    cited += tuple(c for p in parts for c in clauses_in(p) if c not in cited)
    return Line("依据", words, cited)


def _basis(value: Any) -> Line:
    """The evidence's basis: the citation, "规章条款" when it is only clause codes."""
    found = citation(value)
    return Line("判定依据", found.text or "规章条款", found.clauses)


def _called(value: Any) -> str:
    if not isinstance(value, Mapping):
        return str(value)
    who = f"{value.get('unit') or ''}{value.get('name') or ''}" or "未登记"
    return f"{value.get('role') or ''}（{who}）"


def _projects(value: Any) -> str:
    if not isinstance(value, list):
        return str(value)
    return "；".join(
        f"{p.get('name', '')}（{p.get('unit', '')}）" if isinstance(p, Mapping) else str(p)
        for p in value
    )


def _report_status(value: Any) -> str:
    return "未报送" if value == "missing" else codes.ReportStatus.label_of(str(value))


def _unit(suffix: str) -> Callable[[Any], str]:
    return lambda value: f"{value}{suffix}"


def _text(value: Any) -> str:
    return str(value)


# Each evidence key the rules write: its label and how its value reads. The order is the order
# shown. ``summary`` (the sentence), ``requirements`` (the 依据 links) and ``basis`` are shown apart.
KEYS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "report_period": ("评价期次", period_label),
    "as_of": ("数据截至", day),
    "planned_investment": ("序时计划投资", wan_yuan),
    "completed_investment": ("年度完成投资", wan_yuan),
    "investment_ratio": ("投资完成比例", ratio_percent),
    "planned_progress_pct": ("序时计划形象进度", percent),
    "progress_pct": ("形象进度", percent),
    "progress_ratio": ("形象进度完成比例", ratio_percent),
    "ratio": ("进度完成比例", ratio_percent),
    "required_ratio": ("要求达到", ratio_percent),
    "cumulative_completed": ("累计完成投资", wan_yuan),
    "issue_title": ("问题", _text),
    "issue_category": ("问题类别", _text),
    "owner_unit": ("责任单位", _text),
    "opened_on": ("发现日期", day),
    "months": ("解决时限", _unit("个月")),
    "working_days": ("报告时限", _unit("个工作日")),
    "year": ("年度", _unit("年")),
    "approved_on": ("批准日期", day),
    "period": ("报表期次", period_label),
    "report_status": ("报表状态", _report_status),
    "submitted_at": ("报送时间", beijing_time),
    "due_on": ("应完成日期", day),
    "days_overdue": ("已逾期", _unit("天")),
    "days_late": ("已逾期", _unit("天")),
    "planned_start": ("计划开工日期", day),
    "not_started_reason": ("未开工原因", _text),
    "expected_start": ("预计开工日期", day),
    "planned_completion": ("计划竣工日期", day),
    "checkpoint": ("考核时点", day),
    "target_rate": ("目标开工率", ratio_percent),
    "start_rate": ("实际开工率", ratio_percent),
    "projects": ("应开工项目", _unit("个")),
    "started": ("已开工项目", _unit("个")),
    "not_started": ("未开工项目", _projects),
    "weeks": ("连续无进度", _unit("周")),
    "threshold_weeks": ("问政门槛", _unit("周")),
    "first_stalled_week": ("停滞起始周", period_label),
    "latest_week_end": ("最近周报截至", day),
    "called": ("问政对象", _called),
    "raised_by": ("登记人", _text),
    "origin": ("反馈来源", _text),
    "reference": ("反馈编号", _text),
    "raised_on": ("反馈日期", day),
    "row": ("导入文件行号", _unit("")),
    "checked_on": ("抽查日期", day),  # LP10
    "checkers": ("抽查人员", _text),
}
SHOWN_APART = frozenset({"summary", "requirements", "basis"})
# Keys kept for the system, not for the reader: the title and link stand for its id.
NOT_SHOWN = frozenset({"issue_id"})


def labelled(key: str) -> bool:
    """Whether an evidence key has a place on the page (labelled, shown apart or deliberately not)."""
    return key in KEYS or key in SHOWN_APART or key in NOT_SHOWN


def evidence(value: Mapping[str, Any] | None) -> Evidence:
    """A warning's stored evidence in the users' words; unknown keys are logged, never shown raw."""
    value = value or {}
    lines = [_basis(value["basis"])] if value.get("basis") else []
    for key, (label, shown) in KEYS.items():
        raw = value.get(key)
        if raw is None or raw == "" or raw == []:
            continue
        try:
            lines.append(Line(label, shown(raw)))
        except (TypeError, ValueError):
            log.warning("evidence %s holds an unreadable value: %r", key, raw)
    unknown = sorted(k for k in value if not labelled(k))
    if unknown:
        log.warning("evidence keys without a label, not shown: %s", ", ".join(unknown))
    requirements = value.get("requirements") or []
    cited = tuple(str(r) for r in requirements) if isinstance(requirements, list) else ()
    summary = str(value.get("summary") or "")
    cited += tuple(c for c in clauses_in(summary) if c not in cited)
    return Evidence(without_clauses(summary), tuple(lines), cited)


def evidence_text(value: Mapping[str, Any] | None) -> str:
    """A warning's evidence as one Chinese paragraph."""
    return evidence(value).text()
