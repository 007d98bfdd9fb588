"""The composite evaluation score (GS2: 观摩后进行打分排名，结果计入半年评比和年度考评): each unit's
investment completion rate put on the tours' 0–100 scale, weighted with its tour score, and
the units ranked on it, towns and departments apart, as the profile's ``[composite]`` says.

A unit whose projects no closed tour of the span visited has no tour score: its tour part takes
its investment score (its composite is its investment score), so a route it was not on neither
helps nor harms it. A unit without a completion rate (no key project, nothing planned) is not
ranked, with the ranking's reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from keyproj.policy import PolicyProfile
from keyproj.policy.composite import Composite, Counted
from keyproj.services.rankings.compute import Ranking, UnitRow

PLACES = Decimal("0.01")
HUNDRED = Decimal(100)
UNTOURED = "期间未被观摩，观摩得分按投资得分计"


@dataclass(frozen=True)
class CompositeRow:
    """A unit's composite: its rate, the two scores, the weighted score and its rank."""

    unit_id: int
    unit: str
    rate: str | None  # completed ÷ planned, as the ranking stored it
    rate_text: str
    investment: str | None  # the rate on the 0–100 scale
    tour: str | None  # the unit's mean over the span's closed tours; None: not toured
    score: str | None
    rank: int | None
    places: list[str]  # "top", "bottom"
    lower: int | None  # units of its group ranked below it
    reason: str | None


def applies(profile: PolicyProfile, evaluation: Counted) -> bool:
    """Whether ``evaluation`` ranks on the composite under the profile (tours feeding it)."""
    rules, tours = profile.composite, profile.tours
    if rules is None or tours is None:
        return False
    return rules.counts(evaluation) and tours.feeds_evaluation


def rule_text(rules: Composite) -> str:
    """How the composite score is made, as the page and the export say it."""
    full = Decimal(str(rules.full_marks_rate)) * HUNDRED
    return (
        f"综合得分 = 投资得分 × {rules.investment_weight}% ＋ 观摩得分 × {rules.tours_weight}%。"
        f"投资得分 = 投资完成率 ÷ {full.normalize():f}% × 100，最高100分（完成率不低于"
        f"{full.normalize():f}%计满分）；观摩得分 = 期间各次观摩中该单位得分的平均值（满分100分）；"
        f"期间未被观摩的单位，观摩得分按其投资得分计。得分保留两位小数，得分相同名次并列。"
    )


def composite(ranking: Ranking, tours: dict[str, Any] | None, rules: Composite) -> dict[str, Any]:
    """The groups of ``ranking`` ranked on the composite, as stored with an evaluation."""
    means = {
        u["unit_id"]: Decimal(u["mean"])
        for u in (tours or {}).get("units", [])
        if u.get("mean") is not None
    }
    out: dict[str, Any] = {
        "investment_weight": rules.investment_weight,
        "tours_weight": rules.tours_weight,
        "full_marks_rate": rules.full_marks_rate,
        "rule": rule_text(rules),
    }
    for group in ranking.groups:
        rows = [_scored(row, means.get(row.unit_id), rules) for row in group.rows]
        out[group.key] = [asdict(r) for r in _ranked(rows, ranking.top_n, ranking.bottom_n)]
    return out


def investment_score(rate: Decimal, rules: Composite) -> Decimal:
    """A completion rate on the 0–100 scale: rate ÷ full-marks rate × 100, at most 100."""
    scaled = rate / Decimal(str(rules.full_marks_rate)) * HUNDRED
    return min(scaled, HUNDRED).quantize(PLACES, rounding=ROUND_HALF_UP)


def _scored(row: UnitRow, tour: Decimal | None, rules: Composite) -> CompositeRow:
    rate = None if row.rate is None else str(row.rate)
    tour_text = None if tour is None else str(tour.quantize(PLACES))
    if row.rate is None:
        return CompositeRow(
            row.unit_id,
            row.unit,
            rate,
            row.rate_text,
            None,
            tour_text,
            None,
            None,
            [],
            None,
            row.reason,
        )
    invest = investment_score(row.rate, rules)
    counted = invest if tour is None else tour
    score = (invest * rules.investment_weight + counted * rules.tours_weight) / HUNDRED
    return CompositeRow(
        row.unit_id,
        row.unit,
        rate,
        row.rate_text,
        str(invest),
        tour_text,
        str(score.quantize(PLACES, rounding=ROUND_HALF_UP)),
        None,
        [],
        None,
        None if tour is not None else UNTOURED,
    )


def _ranked(rows: list[CompositeRow], top_n: int, bottom_n: int) -> list[CompositeRow]:
    """Competition ranks on the score (1, 2, 2, 4); the unranked follow in their order."""
    scores = [Decimal(r.score) for r in rows if r.score is not None]
    out = []
    for row in sorted(
        (r for r in rows if r.score is not None), key=lambda r: -Decimal(r.score or 0)
    ):
        value = Decimal(row.score or 0)
        rank = sum(1 for s in scores if s > value) + 1
        lower = sum(1 for s in scores if s < value)
        places = (["top"] if rank <= top_n else []) + (["bottom"] if lower < bottom_n else [])
        out.append(CompositeRow(**{**asdict(row), "rank": rank, "places": places, "lower": lower}))
    return out + [r for r in rows if r.score is None]
