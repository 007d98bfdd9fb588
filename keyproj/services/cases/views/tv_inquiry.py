"""GS1's TV questioning (电视问政) on the case pages: whom the form proposes, and what was held."""

from __future__ import annotations

from datetime import date
from typing import Any

from keyproj.services.cases.views.completions import choice_title

TASK = "tv_inquiry"  # the diagram's task and its form (bpmn/guangshan_case.bpmn)


def proposed(start: dict[str, Any]) -> dict[str, str]:
    """The form's proposal from the case's start data: the person the stall calls, with the
    role the diagram names (GS1: the county leader at the last threshold, else the unit head)."""
    weeks = int(start.get("stall_weeks") or 0)
    thresholds = list(start.get("stall_thresholds") or [])
    leader = len(thresholds) > 1 and weeks >= thresholds[-1]
    out = {"called_role": "county_leader" if leader else "unit_head"}
    called = start.get("stall_called") or {}
    if called.get("name"):
        out["person"] = str(called["name"])
    if called.get("unit"):  # the unit's name for a head, the leader's title for a leader
        out["person_title"] = str(called["unit"]) + ("" if leader else "主要负责人")
    return out


def summary(form: dict[str, Any]) -> str:
    """The questioning in a sentence, e.g. “2026年3月2日，光山电视台《问政光山》对城关镇党委书记张明（责任单位主要负责人）实行电视问政。”."""
    held = form.get("held_on")
    day = date.fromisoformat(held) if held else None
    when = f"{day.year}年{day.month}月{day.day}日，" if day else ""
    role = choice_title(TASK, "called_role", form.get("called_role"))
    who = f"{form.get('person_title') or ''}{form.get('person') or ''}"
    return (
        f"{when}{form.get('programme') or ''}对{who}{f'（{role}）' if role else ''}实行电视问政。"
    )
