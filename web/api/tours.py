"""API read endpoints of observation tours (DC4, GS2) and joint inspection records (GS5), in
the pages' scope: a tour's plan and its results; one inspection record."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, url_for

from keyproj.codes import AttachmentOwner, FindingSeverity, TourState
from keyproj.db.models import Attachment, InspectionRecord, Tour
from keyproj.services.attachments.files import attachments_of
from keyproj.services.inspections.records import record_in_scope
from keyproj.services.tours.plans import tour_for
from keyproj.services.tours.results import in_scope
from web.api import bp
from web.api.auth import api_viewer
from web.api.operations import operation, path_id
from web.api.schemas import BOOL, DATE, INT, STR, code, nullable, obj, ref
from web.api.serialize import JSON, day
from web.db import db_session

_RANKED = {"rank": nullable(INT), "mean": {**nullable(STR), "description": "平均得分，两位小数"}}
RESULT_PROJECT = obj({"project_id": INT, "code": STR, "name": STR, "sheets": INT, **_RANKED})
RESULT_UNIT = obj({"unit_id": INT, "unit": STR, "kind_label": STR, **_RANKED})
TOUR = obj(
    {
        "id": INT,
        "title": STR,
        "tour_on": DATE,
        "meeting_point": STR,
        "state": code(TourState),
        "stops": {
            "type": "array",
            "description": "观摩路线，按顺序",
            "items": obj({"position": INT, "project_id": INT, "code": STR, "name": STR}),
        },
        "vehicles": {
            "type": "array",
            "items": obj({"name": STR, "seats": INT, "driver": STR}),
        },
        "results": {
            **nullable(
                obj(
                    {
                        "projects": {"type": "array", "items": RESULT_PROJECT},
                        "units": {"type": "array", "items": RESULT_UNIT},
                    }
                )
            ),
            "description": "打分结束后的排名；单位账号只含本单位项目",
        },
    }
)
INSPECTION = obj(
    {
        "id": INT,
        "group": {**STR, "description": "检查组，如“第1组（县委组织部）”"},
        "project_id": INT,
        "project": STR,
        "inspected_on": DATE,
        "week": STR,
        "milestone": {**nullable(STR), "description": "检查时计划的当期节点"},
        "milestone_verified": BOOL,
        "image_checked": BOOL,
        "findings": nullable(STR),
        "severity": code(FindingSeverity),
        "resolved": BOOL,
        "warning_id": nullable(INT),
        "photos": {
            "type": "array",
            "description": "现场照片，按上传先后",
            "items": obj({"id": INT, "name": STR, "url": STR}),
        },
    }
)
SCHEMAS: dict[str, JSON] = {"Tour": TOUR, "InspectionRecord": INSPECTION}


def tour_paths() -> JSON:
    """The two read endpoints, documented."""
    return {
        "/api/v1/tours/{tour_id}": {
            "get": operation(
                "观摩活动的方案、路线和打分排名（DC4、GS2）",
                ("200", "观摩活动", ref("Tour")),
                [path_id("tour_id", "观摩活动ID")],
            )
        },
        "/api/v1/inspection-records/{record_id}": {
            "get": operation(
                "联合检查组的一条检查记录（GS5）",
                ("200", "检查记录", ref("InspectionRecord")),
                [path_id("record_id", "检查记录ID")],
            )
        },
    }


@bp.get("/tours/<int:tour_id>", endpoint="tour")
def tour(tour_id: int) -> Response:
    """A tour the token's user may see, with the results in their scope."""
    viewer = api_viewer()
    found = tour_for(db_session(), viewer, tour_id)
    return jsonify(_tour(found, in_scope(found, viewer)))


@bp.get("/inspection-records/<int:record_id>", endpoint="inspection_record")
def inspection_record(record_id: int) -> Response:
    """One inspection record of a project the token's user may see."""
    session, viewer = db_session(), api_viewer()
    row = record_in_scope(session, viewer, record_id)
    photos = attachments_of(session, viewer, AttachmentOwner.INSPECTION, row.id)
    return jsonify({**_record(row), "photos": [_photo(p) for p in photos]})


def _tour(row: Tour, results: dict[str, Any] | None) -> JSON:
    stops = [
        {
            "position": s.position,
            "project_id": s.project_id,
            "code": s.project.code,
            "name": s.project.name,
        }
        for s in row.stops
    ]
    shown = None
    if results is not None:
        shown = {
            "projects": [_pick(p, RESULT_PROJECT) for p in results["projects"]],
            "units": [_pick(u, RESULT_UNIT) for u in results["units"]],
        }
    return {
        "id": row.id,
        "title": row.title,
        "tour_on": day(row.tour_on),
        "meeting_point": row.meeting_point,
        "state": str(row.state),
        "stops": stops,
        "vehicles": row.vehicles,
        "results": shown,
    }


def _record(row: InspectionRecord) -> JSON:
    return {
        "id": row.id,
        "group": row.group.label,
        "project_id": row.project_id,
        "project": row.project.name,
        "inspected_on": day(row.inspected_on),
        "week": row.week,
        "milestone": row.milestone,
        "milestone_verified": row.milestone_verified,
        "image_checked": row.image_checked,
        "findings": row.findings,
        "severity": str(row.severity),
        "resolved": row.resolved_at is not None,
        "warning_id": row.warning_id,
    }


def _photo(row: Attachment) -> JSON:
    url = url_for("attachments.download", attachment_id=row.id)
    return {"id": row.id, "name": row.name, "url": url}


def _pick(data: dict[str, Any], schema: JSON) -> JSON:
    return {k: data.get(k) for k in schema["properties"]}
