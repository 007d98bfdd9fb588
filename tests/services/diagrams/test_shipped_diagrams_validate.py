"""X3: every shipped diagram passes the checks a diagram edited in the browser must pass."""

from __future__ import annotations

import pytest

from keyproj.services.diagrams.validation import deadline_names, validate_diagram
from tests.builders.diagrams import SHIPPED, shipped


def test_the_five_jurisdictions_diagrams_and_the_decided_items_are_shipped():
    assert SHIPPED == [
        "alxa_left_case",
        "dancheng_case",
        "decided_item",  # 议定事项 (AL13 一是, DC3, GS6), under every profile
        "guangshan_case",
        "handan_case",
        "warning_case",
    ]


@pytest.mark.parametrize("key", SHIPPED)
def test_a_shipped_diagram_validates_clean(key):
    assert validate_diagram(shipped(key), key) == []
    assert validate_diagram(shipped(key).encode("utf-8"), key) == []


def test_the_deadlines_a_timer_may_name_are_the_diagrams_own_and_the_services():
    names = deadline_names(shipped("handan_case"))
    # HD: the reminder letter and the interview have their own deadlines (handan only).
    assert {
        "response_due",
        "outcome_due",
        "notice_due",
        "reminder_letter_due",
        "interview_due",
    } <= set(names)
    assert {"supervision_due", "follow_up['due']"} <= set(names)
    assert {"item_due", "item_remind_at"} <= set(deadline_names(shipped("decided_item")))
    assert "reminder_letter_due" not in deadline_names(shipped("warning_case"))
    assert deadline_names(b"<not xml") == []
