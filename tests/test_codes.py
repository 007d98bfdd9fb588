"""The code lists: every code the diagram or the profile can produce has a label, and the
database keeps only codes of the list (a typo fails instead of showing up raw on a page)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from keyproj import codes
from keyproj.db.models import Unit
from keyproj.policy import available_profiles, load_profile
from keyproj.policy import model as policy_model
from tests.builders import factories

DIAGRAMS = {
    path.stem: path.read_text(encoding="utf-8")
    for path in sorted((Path(__file__).parents[1] / "bpmn").glob("*.bpmn"))
}
EACH_DIAGRAM = pytest.mark.parametrize("diagram", sorted(DIAGRAMS))


def script_values(xml: str, variable: str) -> set[str]:
    """The values a diagram's scripts assign to ``variable``."""
    return set(re.findall(rf'{variable} = "([^"]+)"', xml))


def lanes_of(xml: str) -> set[str]:
    return set(re.findall(r'<bpmn:lane id="[^"]+" name="([^"]+)"', xml))


def timers_of(xml: str) -> set[str]:
    boundaries = re.findall(r'<bpmn:boundaryEvent id="([^"]+)".*?</bpmn:boundaryEvent>', xml, re.S)
    kinds = {
        name: re.search(rf'id="{name}".*?<bpmn:(\w+)EventDefinition', xml, re.S)
        for name in boundaries
    }
    return {name for name, kind in kinds.items() if kind and kind.group(1) == "timer"}


def reminding_timers_of(xml: str) -> dict[str, str]:
    pattern = r'<bpmn:boundaryEvent id="([^"]+)" name="[^"]*" attachedToRef="([^"]+)" cancelActivity="false"'
    return dict(re.findall(pattern, xml))


def test_every_jurisdiction_has_its_own_shipped_diagram():
    """Each profile names a diagram of bpmn/ whose process id is its file name (issue 11, part 6)."""
    named = {name: load_profile(name).process.diagram for name in available_profiles()}
    assert set(named.values()) <= set(DIAGRAMS)
    for key, xml in DIAGRAMS.items():
        assert f'<bpmn:process id="{key}"' in xml


@EACH_DIAGRAM
def test_every_outcome_and_escalation_reason_a_diagram_sets_has_a_label(diagram):
    outcomes = script_values(DIAGRAMS[diagram], "case_outcome")
    reasons = script_values(DIAGRAMS[diagram], "escalation_reason")
    assert outcomes
    assert reasons
    assert outcomes <= set(codes.CaseOutcome)
    assert reasons <= set(codes.EscalationReason)
    # A finished case's warning keeps the outcome as its status: it needs a label there too.
    assert set(codes.CaseOutcome) <= set(codes.WarningStatus)


@EACH_DIAGRAM
def test_every_lane_and_timer_of_a_diagram_is_a_code(diagram):
    assert lanes_of(DIAGRAMS[diagram]) <= set(codes.Lane)
    assert timers_of(DIAGRAMS[diagram]) <= set(codes.Timer)


@EACH_DIAGRAM
def test_every_non_interrupting_timer_only_reminds_of_the_task_it_guards(diagram):
    """A reminding timer (LP13 notice, LP18 reports, the evaluation) leaves its task open; the
    pages flag and the notifications name that task."""
    assert reminding_timers_of(DIAGRAMS[diagram]).items() <= codes.REMINDING_TIMERS.items()
    assert set(codes.OVERDUE_TIMERS) < set(codes.REMINDING_TIMERS)


def test_every_code_of_the_lists_is_used_by_some_diagram():
    """No code is kept for a path no shipped diagram takes any more."""
    xmls = DIAGRAMS.values()
    assert set(codes.EscalationReason) == set().union(
        *(script_values(x, "escalation_reason") for x in xmls)
    )
    assert set(codes.Lane) == set().union(*(lanes_of(x) for x in xmls))
    assert set(codes.Timer) == set().union(*(timers_of(x) for x in xmls))
    assert {k: v for x in xmls for k, v in reminding_timers_of(x).items()} == codes.REMINDING_TIMERS


def test_the_profiles_colours_are_the_four_colours():
    assert set(get_args(policy_model.Colour)) == set(codes.Colour)


def test_a_code_shows_its_label_and_an_unknown_one_shows_as_it_is():
    assert codes.CaseStatus.label_of("open") == "办理中"
    assert codes.CaseStatus.OPEN.label == "办理中"
    assert codes.CaseStatus.OPEN == "open"
    assert codes.CaseStatus.label_of("archived") == "archived"
    assert codes.CaseStatus.label_of(None) == ""
    assert codes.CaseStatus.parse("closed") is codes.CaseStatus.CLOSED
    assert codes.CaseStatus.parse("archived") is None


def test_code_columns_return_members_and_refuse_unknown_codes(session):
    unit = factories.unit(session, "T09", "石门镇")
    session.commit()
    session.expire_all()
    stored = session.scalar(select(Unit).where(Unit.code == "T09"))
    assert stored.kind is codes.UnitKind.TOWN
    assert stored.kind.label == "乡镇"
    assert session.scalar(select(Unit.kind).where(Unit.id == unit.id)) is codes.UnitKind.TOWN
    # The database holds the plain code, as before the column was typed.
    assert session.scalar(text("SELECT kind FROM units WHERE code = 'T09'")) == "town"
    stored.kind = "village"  # type: ignore[assignment]
    with pytest.raises(StatementError, match="not a code of UnitKind"):
        session.flush()
