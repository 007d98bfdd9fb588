"""Decided items recorded as the office records them, and driven through their cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from keyproj.db.models import DecidedItem
from keyproj.services.decisions.items import DecisionOrigin, record_items
from tests.builders.county import County

MEETING = DecisionOrigin("meeting", 7, "2026年9月重点项目联席会议", None)
ROW = {
    "matter": "完成污水处理厂供电线路迁改",
    "owner_unit_code": "T01",
    "due_on": "2026-10-09",
    "acceptance": "供电公司出具迁改验收意见",
    "project_code": None,
}


def row(**changes: Any) -> dict[str, Any]:
    """A valid row of a decided item, with ``changes``."""
    return {**ROW, **changes}


def record(
    county: County,
    moment: datetime,
    *rows: dict[str, Any],
    who: str = "zdb",
    origin: DecisionOrigin = MEETING,
) -> list[DecidedItem]:
    """Record ``rows`` (one default row without any) as ``who`` at ``moment``; committed."""
    items = record_items(
        county.session,
        county.profile,
        county.people[who],
        origin,
        list(rows) or [row()],
        county.at(moment),
    )
    county.session.commit()
    return items
