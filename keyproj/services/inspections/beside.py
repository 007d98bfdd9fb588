"""Each unit's unresolved inspection findings, listed beside the investment ranking where the
profile says so (``inspections.findings_beside_ranking``); they never change a rank."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import Role
from keyproj.db.models import Unit
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer
from keyproj.services.inspections.records import unresolved_by_unit

NOTE = "联合检查组检查发现尚未整改的问题数，列于排名旁供评比参考，不改变名次。"


def findings_beside_ranking(
    session: Session, profile: PolicyProfile, viewer: Viewer
) -> list[dict[str, Any]] | None:
    """Units with unresolved findings and their count, in the viewer's scope; None where the
    profile does not list them."""
    rules = profile.inspections
    if rules is None or not rules.findings_beside_ranking:
        return None
    counts = unresolved_by_unit(session)
    if not (viewer.county_wide or viewer.has(Role.LEADER)):
        counts = {k: v for k, v in counts.items() if k == viewer.unit_id}
    units = session.scalars(select(Unit).where(Unit.id.in_(counts)).order_by(Unit.code))
    return [{"unit_id": u.id, "unit": u.name, "count": counts[u.id]} for u in units]
