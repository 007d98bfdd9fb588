"""A tour's results (DC4, GS2: 观摩后进行打分排名): each project's mean total over its score
sheets, ranked; each responsible unit's mean over its projects, ranked among units of its kind.

Means are rounded half up to 0.01 before ranking, so what the page shows is what ties; tied
means share a rank and the next is skipped (1, 2, 2, 4), as in the investment ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import Role, TourState, UnitKind
from keyproj.db.models import Tour, TourScore, Unit
from keyproj.errors import Conflict, NotFound
from keyproj.services.access import Viewer, require_role
from keyproj.services.tours.plans import OFFICE, is_scorer

PLACES = Decimal("0.01")
NOT_SCORED = "无人打分，不参与排名"
RULE = (
    "项目得分 = 各打分人员对该项目所打总分的平均值（保留两位小数）；单位得分 = 其牵头观摩项目得分的平均值。"
    "得分相同的名次并列，其后名次顺延；单位按乡镇、县直部门等类别分别排名。"
)


def close_scoring(session: Session, viewer: Viewer, tour_id: int, now: datetime) -> Tour:
    """Close scoring and store the results with their figures (key office); sheets freeze."""
    require_role(viewer, *OFFICE)
    tour = session.get(Tour, tour_id, with_for_update=True)
    if tour is None:
        raise NotFound(f"观摩活动 {tour_id} 不存在或无权查看")
    if tour.state != TourState.SCORING:
        raise Conflict(f"观摩活动当前为“{TourState.label_of(tour.state)}”，不能结束打分")
    tour.results = compute(session, tour)
    tour.state, tour.closed_by_id, tour.closed_at = TourState.CLOSED, viewer.user_id, now
    session.flush()
    return tour


def compute(session: Session, tour: Tour) -> dict[str, Any]:
    """The tour's results from its sheets, as stored when scoring closes."""
    totals: dict[int, list[Decimal]] = {}
    for sheet in session.scalars(select(TourScore).where(TourScore.tour_id == tour.id)):
        totals.setdefault(sheet.project_id, []).append(Decimal(sheet.total))
    projects = []
    for stop in tour.stops:
        p, given = stop.project, totals.get(stop.project_id, [])
        projects.append(
            {
                "project_id": p.id,
                "code": p.code,
                "name": p.name,
                "unit_id": p.lead_unit_id,
                "position": stop.position,
                "sheets": len(given),
                "totals": [str(t) for t in given],
                "mean": _mean(given),
                "reason": None if given else NOT_SCORED,
            }
        )
    ranked_projects = ranked(projects)
    return {
        "criteria": tour.criteria,
        "projects": ranked_projects,
        "units": _units(session, ranked_projects),
        "rule": RULE,
    }


def in_scope(tour: Tour, viewer: Viewer) -> dict[str, Any] | None:
    """The stored results the viewer may see: all for offices, leaders and the tour's scorers;
    a unit's staff only its own projects and its own unit's row."""
    if tour.results is None:
        return None
    if viewer.county_wide or viewer.has(Role.LEADER) or is_scorer(tour, viewer):
        return tour.results
    own = [p for p in tour.results["projects"] if p["unit_id"] == viewer.unit_id]
    units = [u for u in tour.results["units"] if u["unit_id"] == viewer.unit_id]
    return {**tour.results, "projects": own, "units": units}


def ranked(
    rows: Sequence[dict[str, Any]], within: Callable[[dict[str, Any]], str] = lambda r: ""
) -> list[dict[str, Any]]:
    """Rows with ``rank`` by ``mean`` (descending) within each ``within`` group; competition
    ranks; unranked rows (no mean) last in their order."""
    out = []
    for row in rows:
        if row["mean"] is None:
            out.append({**row, "rank": None})
            continue
        value = Decimal(row["mean"])
        peers = [
            Decimal(r["mean"]) for r in rows if r["mean"] is not None and within(r) == within(row)
        ]
        out.append({**row, "rank": sum(1 for v in peers if v > value) + 1})
    return sorted(out, key=lambda r: (within(r), r["rank"] is None, r["rank"] or 0))


def _units(session: Session, projects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    means: dict[int, list[Decimal]] = {}
    for p in projects:
        if p["mean"] is not None:
            means.setdefault(p["unit_id"], []).append(Decimal(p["mean"]))
    ids = {p["unit_id"] for p in projects}
    units = session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.code))
    rows = [
        {
            "unit_id": u.id,
            "unit": u.name,
            "kind": str(u.kind),
            "kind_label": UnitKind.label_of(u.kind),
            "projects": len(means.get(u.id, [])),
            "mean": _mean(means.get(u.id, [])),
            "reason": None if means.get(u.id) else NOT_SCORED,
        }
        for u in units
    ]
    return ranked(rows, within=lambda r: r["kind"])


def _mean(values: list[Decimal]) -> str | None:
    if not values:
        return None
    return str((sum(values, Decimal(0)) / len(values)).quantize(PLACES, rounding=ROUND_HALF_UP))
