"""The values a task's form starts with: the office's proposal, never a decision made for it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from keyproj.services.cases.views import tv_inquiry

if TYPE_CHECKING:
    from keyproj.services.cases.views.pages import TaskDetail


def form_defaults(detail: TaskDetail) -> dict[str, Any]:
    """Values a form starts with: the notice proposes the warning's level and the project's lead
    unit; the TV questioning (GS1) the person the stall calls; another task what its diagram
    proposed (AL13: the triggers the case met)."""
    if detail.task.form == tv_inquiry.TASK:
        return dict(tv_inquiry.proposed(detail.case.timeline.start))
    if detail.task.form != "issue_notice":
        return dict(detail.proposal)
    defaults: dict[str, Any] = {"level": detail.case.warning.level}
    if detail.case.project is not None:
        defaults["lead_unit_code"] = detail.case.project.lead_unit.code
    return defaults
