"""Warning rules: one module per family, each evaluating every project at once under the profile."""

from keyproj.rules import issues, no_progress, plans, progress, reports, schedule
from keyproj.rules.base import Candidate, Rule, RuleContext

RULES: tuple[Rule, ...] = (
    Rule("progress_lag", "建设进度滞后于序时进度", progress.LAG, progress.lagging),
    Rule("central_funds", "中央资金项目未达进度要求", progress.CENTRAL, progress.central_funds),
    Rule("issue_unresolved", "问题超期未解决", issues.UNRESOLVED, issues.unresolved),
    Rule("urgent_issue", "急需协调问题超期未解决", issues.URGENT, issues.urgent),
    Rule("plan_missing", "批准后逾期未报年度计划", plans.PLAN, plans.missing),
    Rule("report_overdue", "进度报表逾期未报", reports.REPORTING, reports.overdue),
    Rule("report_missing", "进度报表宽限期满仍未报送", reports.REPORTING, reports.missing),
    Rule("start_overdue", "逾期未开工", schedule.START, schedule.start_overdue),
    Rule("completion_overdue", "逾期未竣工", schedule.COMPLETION, schedule.completion_overdue),
    Rule("start_rate", "开工率未达目标", schedule.RATE, schedule.start_rate),
    Rule("no_progress", "连续多周无实质进度", no_progress.STALLED, no_progress.stalled),
)


def rule_title(rule_id: str) -> str:
    """The Chinese name of a warning's rule id, e.g. no_progress_3w → 连续3周无实质进度."""
    for rule in RULES:
        if rule.name == rule_id:
            return rule.title
    if rule_id.startswith("no_progress_") and rule_id.endswith("w"):
        return f"连续{rule_id[len('no_progress_') : -1]}周无实质进度"
    if rule_id.startswith("feedback_"):
        origin = "省" if "_province_" in rule_id else "市"
        return f"{origin}重点项目信息系统反馈预警"
    return rule_id


__all__ = ["RULES", "Candidate", "Rule", "RuleContext", "rule_title"]
