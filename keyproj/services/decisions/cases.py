"""Starting the cases of decided items on the ``decided_item`` diagram, each on a warning of
its own that no warnings' list shows (source ``decision``, status ``decided_item``).

Every case hangs on a warning (cases.warning_id): the inbox, the case page, the timeline,
replay, notifications and the scopes all read a case through it. A decided item's warning
carries the item's project and matter and nothing else; its own source and status keep it
off the warnings' lists, triage, counts and colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from keyproj.audit import GENESIS
from keyproj.clock import beijing_date
from keyproj.codes import (
    DECIDED_ITEM_PROCESS,
    DECIDED_ITEM_RULE,
    CaseStatus,
    CaseUnitRole,
    WarningLevel,
    WarningSource,
    WarningStatus,
)
from keyproj.codes.warning import Colour
from keyproj.db.models import Case, CaseUnit, EarlyWarning, Project, Unit
from keyproj.engine import CaseInstance
from keyproj.policy import PolicyProfile
from keyproj.rules.base import evidence
from keyproj.services.cases import repository, step
from keyproj.services.cases.collector import collection_paused
from keyproj.services.cases.definitions import compiled_by_sha, latest
from keyproj.services.cases.repository import STATE_ENCODING, OpenCase, deadline_fn
from keyproj.services.cases.start import warning_facts

CLAUSES = ("AL13", "DC3", "GS6")


@dataclass(frozen=True)
class ItemStart:
    """What an item's case starts with: its matter, owner, project, deadlines and origin."""

    matter: str
    acceptance: str
    owner: Unit
    project: Project | None
    deadlines: dict[str, Any]  # item_due, item_remind_at, due_on (decisions.deadlines)
    origin: dict[str, Any]  # kind, ref_id, title, chair_unit_id


@collection_paused()
def start_item_cases(
    session: Session, profile: PolicyProfile, items: Sequence[ItemStart], now: datetime
) -> list[Case]:
    """Raise each item's warning and open its case on the newest ``decided_item`` diagram; the
    whole batch is written at once."""
    if not items:
        return []
    warnings = [_warning(item, now) for item in items]
    session.add_all(warnings)
    session.flush()
    definition = latest(session, DECIDED_ITEM_PROCESS)
    compiled = compiled_by_sha(session, definition.id, definition.sha256)
    deadline = deadline_fn(session)
    batch = []
    for item, warning in zip(items, warnings, strict=True):
        data = start_data(item, warning, profile, now)
        instance = CaseInstance.start(compiled, data, deadline, now)
        case = Case(
            warning_id=warning.id,
            definition_id=definition.id,
            status=CaseStatus.OPEN,
            state=b"",  # written with the case, by the repository
            serializer_version=STATE_ENCODING,
            state_hash=instance.digest(),
            version=1,
            event_count=0,
            last_event_hash=GENESIS,
            opened_at=now,
        )
        case.units = _units(item)
        opened = OpenCase(
            case, instance, now, deadline, stored_units=[u.unit_id for u in case.units]
        )
        opened.joining = [warning.id]
        step.started(session, opened, data, definition.version)
        batch.append(opened)
    repository.insert_new(session, batch)
    return [opened.case for opened in batch]


def _units(item: ItemStart) -> list[CaseUnit]:
    """The owner unit and, when another, the unit that follows the item up (DC7 三(三)), which
    so sees the case of the 督办 task it takes."""
    units = [CaseUnit(unit_id=item.owner.id, role=CaseUnitRole.LEAD)]
    chair = item.origin.get("chair_unit_id")
    if chair is not None and chair != item.owner.id:
        units.append(CaseUnit(unit_id=int(chair), role=CaseUnitRole.FOLLOW_UP_OFFICE))
    return units


def start_data(
    item: ItemStart, warning: EarlyWarning, profile: PolicyProfile, now: datetime
) -> dict[str, Any]:
    """The case data the diagram starts with: the item, its deadlines and the profile's rule."""
    rules = profile.decisions
    return {
        **warning_facts(warning, item.project, profile, "decided_item", now),
        "matter": item.matter,
        "acceptance": item.acceptance,
        "owner_unit_id": item.owner.id,
        "owner_unit_code": item.owner.code,
        "owner_unit_name": item.owner.name,
        "origin": dict(item.origin),
        **item.deadlines,
        "item_round": 1,
        "item_overdue_count": 0,
        # AL13 一是: a missed deadline goes on the owner unit's record at once.
        "decided_item_accountability": bool(rules and rules.overdue_accountability),
        "remind_working_days_before": rules.remind_working_days_before if rules else None,
    }


def _warning(item: ItemStart, now: datetime) -> EarlyWarning:
    """The item's own warning: never triaged, never counted (source decision)."""
    title = str(item.origin.get("title") or "")
    summary = f"{title}议定事项：{item.matter}"
    return EarlyWarning(
        rule_id=DECIDED_ITEM_RULE,
        project_id=item.project.id if item.project else None,
        period=beijing_date(now).isoformat(),
        level=WarningLevel.URGING,
        colour=Colour.YELLOW,
        evidence=evidence(
            summary[:500],
            CLAUSES,
            "会议议定事项，限期落实",
            owner_unit=item.owner.name,
            due_on=item.deadlines["due_on"],
        ),
        source=WarningSource.DECISION,
        status=WarningStatus.DECIDED_ITEM,
        raised_at=now,
    )
