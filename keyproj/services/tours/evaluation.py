"""The tours' place in the half-year and year-end evaluation (GS2: 观摩后进行打分排名，结果计入
半年评比和年度考评): each unit's mean over the closed tours of the span, ranked among units of
its kind. Where the profile's ``[composite]`` gives the weights it counts in the composite score
(keyproj/services/rankings/composite.py); otherwise it is listed beside the investment ranking,
whose places and what they earn are left as they are.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import TourState
from keyproj.db.models import Tour
from keyproj.policy import PolicyProfile
from keyproj.services.tours.results import PLACES, ranked

BESIDE = (
    "观摩点评得分按第一条“观摩后进行打分排名，结果计入半年评比和年度考评”列于排名旁；"
    "本地制度未定其在综合考评中的权重，名次仍按投资完成率确定。"
)
COUNTED = (
    "观摩点评得分按第一条“观摩后进行打分排名，结果计入半年评比和年度考评”计入综合得分"
    "（投资{investment}%、观摩{tours}%），半年评比和年度考评按综合得分排名。"
)


def half_year(start_year: int, half: int) -> tuple[date, date]:
    """The first (1) or second (2) half of a year, as a span of days."""
    return (
        (date(start_year, 1, 1), date(start_year, 6, 30))
        if half == 1
        else (
            date(start_year, 7, 1),
            date(start_year, 12, 31),
        )
    )


def tour_component(
    session: Session, profile: PolicyProfile, start: date, end: date
) -> dict[str, Any] | None:
    """Each unit's tour score over the closed tours from ``start`` to ``end``, ranked; None
    where the profile's tours do not feed the evaluation."""
    if profile.tours is None or not profile.tours.feeds_evaluation:
        return None
    tours = list(
        session.scalars(
            select(Tour)
            .where(Tour.state == TourState.CLOSED, Tour.tour_on >= start, Tour.tour_on <= end)
            .order_by(Tour.tour_on, Tour.id)
        )
    )
    per_unit: dict[int, dict[str, Any]] = {}
    for tour in tours:
        for row in (tour.results or {}).get("units", []):
            if row["mean"] is None:
                continue
            entry = per_unit.setdefault(
                row["unit_id"],
                {k: row[k] for k in ("unit_id", "unit", "kind", "kind_label")} | {"scores": []},
            )
            entry["scores"].append({"tour_id": tour.id, "title": tour.title, "mean": row["mean"]})
    rows = [{**e, "mean": _mean(e["scores"])} for e in per_unit.values()]
    rows.sort(key=lambda r: r["unit"])
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "tours": [
            {"tour_id": t.id, "title": t.title, "tour_on": t.tour_on.isoformat()} for t in tours
        ],
        "units": ranked(rows, within=lambda r: r["kind"]),
        "rule": "单位观摩得分 = 期间各次观摩中该单位得分的平均值（保留两位小数）；得分相同的名次并列。",
        "note": _note(profile),
    }


def _note(profile: PolicyProfile) -> str:
    rules = profile.composite
    if rules is None:
        return BESIDE
    return COUNTED.format(investment=rules.investment_weight, tours=rules.tours_weight)


def _mean(scores: list[dict[str, Any]]) -> str:
    values = [Decimal(s["mean"]) for s in scores]
    return str((sum(values, Decimal(0)) / len(values)).quantize(PLACES, rounding=ROUND_HALF_UP))
