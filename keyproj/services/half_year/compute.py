"""What a half-year evaluation holds (GS2: 每半年召开一次全县重点项目推进会议…对半年情况进行评比，
排名前两位的责任单位作经验介绍，排名后两位的责任单位作表态发言): the investment ranking to the
half-year's end, the half-year's closed tours, the composite ranking built from both (towns and
departments apart, towns without a key project not ranked) and the speakers it names.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from keyproj.errors import Conflict, ValidationError
from keyproj.policy import PolicyProfile
from keyproj.services.rankings.composite import applies, composite
from keyproj.services.rankings.compute import GROUPS, Ranking, rank
from keyproj.services.tours.evaluation import half_year, tour_component

HALVES = {1: "上半年", 2: "下半年"}
TOP_ROLE = "经验介绍"
BOTTOM_ROLE = "表态发言"


def label(year: int, half: int) -> str:
    """The half-year in Chinese, e.g. 2026年上半年."""
    return f"{year}年{HALVES[half]}"


def check_half(half: int) -> int:
    """``half`` if it is 1 or 2; a ValidationError naming the field otherwise."""
    if half not in HALVES:
        raise ValidationError.single("half", "半年", "请选择上半年（1）或下半年（2）")
    return half


def ranking_of(session: Session, profile: PolicyProfile, year: int, half: int) -> Ranking:
    """The investment ranking to the half-year's end: the plan and completions of the year to
    30 June (the second quarter) or to 31 December (the whole year)."""
    if half == 1:
        return rank(session, profile, f"{year}-Q2", cycle="quarterly")
    return rank(session, profile, str(year), cycle="yearly")


def build(session: Session, profile: PolicyProfile, year: int, half: int) -> dict[str, Any]:
    """Every figure of the half-year's evaluation; Conflict where the profile has none."""
    check_half(half)
    if profile.composite is None or not applies(profile, "half_year"):
        raise Conflict("本地制度未设半年评比（观摩打分计入半年评比）")
    start, end = half_year(year, half)
    ranking = ranking_of(session, profile, year, half)
    tours = tour_component(session, profile, start, end)
    combined = composite(ranking, tours, profile.composite)
    return {
        "year": year,
        "half": half,
        "label": label(year, half),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "ranking": ranking.as_json(),
        "tours": tours,
        "composite": combined,
        "speakers": speakers(combined, ranking.top_n, ranking.bottom_n),
    }


def speakers(combined: dict[str, Any], top_n: int, bottom_n: int) -> dict[str, Any]:
    """Per group, the first places (经验介绍) and the last places (表态发言), ties included."""
    out: dict[str, Any] = {"top_n": top_n, "bottom_n": bottom_n}
    for key, _, _ in GROUPS:
        rows = combined.get(key, [])
        out[key] = {
            "top": [r["unit"] for r in rows if "top" in r["places"]],
            "bottom": [r["unit"] for r in rows if "bottom" in r["places"]],
        }
    return out
