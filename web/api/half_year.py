"""API read endpoint of the half-year evaluation (GS2 半年评比): a stored evaluation's composite
ranking, speakers and the tours it counted; every signed-in reader's, as on the page (the
project figures behind the ranking stay on the page, in each unit's scope)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from keyproj.db.models import HalfYearEvaluation
from keyproj.services.half_year.records import evaluation, title
from web.api import bp
from web.api.auth import api_viewer
from web.api.operations import operation, path_id
from web.api.schemas import BOOL, DATE, INT, STR, TIME, nullable, obj, ref
from web.api.serialize import JSON, moment
from web.db import db_session

_SCORE = {**nullable(STR), "description": "两位小数；null：不排名"}
ROW = obj(
    {
        "unit_id": INT,
        "unit": STR,
        "rate": {**nullable(STR), "description": "投资完成率（小数，如 0.9000）"},
        "investment": {**_SCORE, "description": "投资得分（0–100）"},
        "tour": {**nullable(STR), "description": "观摩得分；null：期间未被观摩"},
        "score": {**_SCORE, "description": "综合得分"},
        "rank": nullable(INT),
        "role": {**nullable(STR), "description": "推进会议上的发言：经验介绍、表态发言"},
        "reason": nullable(STR),
    }
)
_ROWS = {"type": "array", "items": ROW}
HALF_YEAR = obj(
    {
        "id": INT,
        "title": STR,
        "year": INT,
        "half": {**INT, "description": "1：上半年，2：下半年"},
        "from": DATE,
        "to": DATE,
        "run_at": TIME,
        "published": BOOL,
        "published_at": nullable(TIME),
        "rule": STR,
        "towns": _ROWS,
        "departments": _ROWS,
        "tours": {
            "type": "array",
            "items": obj({"tour_id": INT, "title": STR, "tour_on": DATE}),
        },
    }
)
SCHEMAS: dict[str, JSON] = {"HalfYearEvaluation": HALF_YEAR}
ROLES = (("top", "经验介绍"), ("bottom", "表态发言"))


def half_year_paths() -> JSON:
    """The read endpoint, documented."""
    return {
        "/api/v1/half-year-evaluations/{half_year_id}": {
            "get": operation(
                "半年评比：综合得分排名、发言单位和计入的观摩活动（GS2）",
                ("200", "半年评比", ref("HalfYearEvaluation")),
                [path_id("half_year_id", "半年评比ID")],
            )
        }
    }


@bp.get("/half-year-evaluations/<int:half_year_id>", endpoint="half_year_evaluation")
def half_year_evaluation(half_year_id: int) -> Response:
    """A stored half-year evaluation (every signed-in reader's, as the page)."""
    api_viewer()
    return jsonify(_shown(evaluation(db_session(), half_year_id)))


def _shown(row: HalfYearEvaluation) -> JSON:
    figures = row.figures
    combined = figures["composite"]
    return {
        "id": row.id,
        "title": title(row),
        "year": row.year,
        "half": row.half,
        "from": figures["from"],
        "to": figures["to"],
        "run_at": moment(row.run_at),
        "published": row.confirmed_at is not None,
        "published_at": moment(row.confirmed_at),
        "rule": combined["rule"],
        "towns": [_row(r) for r in combined.get("towns", [])],
        "departments": [_row(r) for r in combined.get("departments", [])],
        "tours": (figures.get("tours") or {}).get("tours", []),
    }


def _row(data: dict[str, Any]) -> JSON:
    roles = [label for place, label in ROLES if place in data["places"]]
    shown = {k: data.get(k) for k in ROW["properties"] if k != "role"}
    return {**shown, "role": "、".join(roles) or None}
