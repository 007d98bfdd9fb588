"""The OpenAPI schemas of the periodic reports (LP8, AL6, HD2, GS1): what the API returns of a
report and what a unit submits."""

from __future__ import annotations

from typing import Any

from keyproj import codes
from keyproj.inputs import LONG_TEXT, WORKS_YEARS
from keyproj.services.projects.reports import NOTE_LIMIT
from web.api.schemas import (
    AMOUNT_IN,
    DATE,
    DECIMAL,
    INT,
    PERCENT_IN,
    STR,
    TIME,
    code,
    date_in,
    nullable,
    obj,
    text_in,
)

JSON = dict[str, Any]

REPORT_CONTENT = {
    "total_investment": DECIMAL,
    "cumulative_completed": DECIMAL,
    "annual_plan_investment": DECIMAL,
    "annual_completed": DECIMAL,
    "start_status": STR,
    "progress_pct": DECIMAL,
    "started_on": nullable(DATE),
    "expected_start": nullable(DATE),
    "not_started_reason": nullable(STR),
    "procedures": {"type": "object"},
    "progress_text": nullable(STR),
    "issues_text": nullable(STR),
    "measures_text": nullable(STR),
}
# LP8: copied to the linked county leader; reviewed and forwarded by the bureau.
REPORT_DISTRIBUTION = obj(
    {
        "status": code(codes.ReviewStatus),
        "status_label": STR,
        "copied_to": nullable(STR),
        "copied_at": nullable(TIME),
        "reviewed_by": nullable(STR),
        "forwarded_at": nullable(TIME),
        "forwarded_to": nullable(STR),
        "note": nullable(STR),
    }
)
REPORT = obj(
    {
        "id": INT,
        "project_id": INT,
        "period": STR,
        "period_end": DATE,
        "status": code(codes.ReportStatus),
        "status_label": STR,
        "locked": {"type": "boolean", "description": "已报送即锁定，只能以更正方式修改"},
        **REPORT_CONTENT,
        "start_status_label": STR,
        "submitted_at": nullable(TIME),
        "signed_off_at": nullable(TIME),
        "distribution": nullable(REPORT_DISTRIBUTION),
    },
    ["id", "project_id", "period", "status", "locked"],
)
REPORT_SUBMISSION = obj(
    {
        # The pattern of the active profile's cycle is filled in by the document.
        "period": {"type": "string", "description": "期次，如月报 2026-03"},
        "total_investment": AMOUNT_IN,
        "cumulative_completed": AMOUNT_IN,
        "annual_plan_investment": AMOUNT_IN,
        "annual_completed": AMOUNT_IN,
        "start_status": STR,  # the enum is filled in from keyproj.codes
        "started_on": nullable(date_in(WORKS_YEARS)),
        "expected_start": nullable(date_in(WORKS_YEARS)),
        "not_started_reason": nullable(text_in(LONG_TEXT)),
        "procedures": nullable(
            {
                "type": "object",
                "additionalProperties": obj(
                    {"status": STR, "note": nullable(text_in(NOTE_LIMIT))}, ["status"], closed=True
                ),
            }
        ),
        "progress_text": nullable(text_in(LONG_TEXT)),
        "progress_pct": PERCENT_IN,
        "issues_text": nullable(text_in(LONG_TEXT)),
        "measures_text": nullable(text_in(LONG_TEXT)),
    },
    [
        "period",
        "total_investment",
        "cumulative_completed",
        "annual_plan_investment",
        "annual_completed",
        "start_status",
        "progress_pct",
    ],
)
REPORT_SCHEMAS: dict[str, JSON] = {"Report": REPORT, "ReportSubmission": REPORT_SUBMISSION}
