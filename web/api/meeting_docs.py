"""The OpenAPI part of the dispatch meetings (AL3, HD4, DC3, DC7, GS1, GS2, GS6): three reads."""

from __future__ import annotations

from typing import Any

from keyproj import codes
from keyproj.inputs import ADMIN_YEARS
from web.api.operations import list_page, operation, paging_params, path_id, query, ref
from web.api.schemas import DATE, DECIMAL, INT, STR, TIME, UNIT, code, nullable, obj

JSON = dict[str, Any]

MEETING = obj(
    {
        "id": INT,
        "series": {**STR, "description": "会议类别（政策配置 meetings.series 的键，如 dispatch）"},
        "nominal_on": {**DATE, "description": "排期日（逢节假日调整前）"},
        "held_on": {**DATE, "description": "召开日期"},
        "starts_at": {**STR, "description": "开会时刻（北京时间 HH:MM）"},
        "place": nullable(STR),
        "chair": {**STR, "description": "主持（召集）人"},
        "state": code(codes.MeetingState),
        "state_label": STR,
        "ask_on": {**nullable(DATE), "description": "议题征集日"},
        "due_on": {**nullable(DATE), "description": "议题报送截止日"},
        "host_unit": {
            **nullable(UNIT),
            "description": "召开会议的责任部门（单位）（HD4 部门月调度）；县级会议为空",
        },
    }
)
SUBMISSION = obj(
    {
        "id": INT,
        "unit": UNIT,
        "project_code": STR,
        "project_name": STR,
        "progress": STR,
        "issues": nullable(STR),
        "requests": nullable(STR),
        "state": code(codes.SubmissionState),
        "state_label": STR,
        "review_note": nullable(STR),
    }
)
ATTENDANCE = obj(
    {
        "unit_code": nullable(STR),
        "person": STR,
        "status": code(codes.Attendance),
        "status_label": STR,
        "reason": {**nullable(STR), "description": "请假事由（DC7）"},
    }
)
MEETING_DETAIL = {
    "allOf": [
        ref("Meeting"),
        obj(
            {
                "series_name": STR,
                "follow_up": {**STR, "description": "逾期议定事项由谁督办（DC7 三（三））"},
                "invited_units": {"type": "array", "items": UNIT},
                "agenda": {
                    **nullable({"type": "object"}),
                    "description": "汇总的议题：各项目当时的投资、四色评价、预警与案件数，"
                    "发言单位（GS2）和进度缓慢项目（AL3）",
                },
                "submissions": {"type": "array", "items": ref("AgendaSubmission")},
                "attendance": {"type": "array", "items": ref("MeetingAttendance")},
                "minutes": nullable(STR),
                "decided_items": {
                    "type": "array",
                    "description": "会议议定事项（每项作为一个案件落实，见 /decisions）",
                    "items": obj(
                        {
                            "id": INT,
                            "matter": STR,
                            "owner_unit_id": INT,
                            "owner_unit": STR,
                            "due_on": DATE,
                            "acceptance": STR,
                            "state": code(codes.DecidedItemState),
                            "state_label": STR,
                            "case_id": INT,
                        }
                    ),
                },
            }
        ),
    ]
}
MEASURE = obj({"matter": STR, "owner_unit": STR, "due_on": DATE})
SLOW_PROJECT = obj(
    {
        "code": STR,
        "name": STR,
        "unit": STR,
        "colour": {**STR, "description": "序时进度评价（green/blue/yellow/red）"},
        "colour_label": STR,
        "as_of": {**nullable(DATE), "description": "进度报告截至日"},
        "planned": {**nullable(DECIMAL), "description": "序时计划投资（万元）"},
        "completed": {**nullable(DECIMAL), "description": "年度完成投资（万元）"},
        "rate": {**nullable(STR), "description": "投资完成率，如 45.0%"},
        "progress_pct": nullable(DECIMAL),
        "planned_pct": nullable(DECIMAL),
        "issues": {"type": "array", "items": obj({"title": STR, "opened_on": DATE})},
        "warnings": {
            "type": "array",
            "items": obj({"label": STR, "rule_id": STR, "period": STR}),
        },
        "measures": {"type": "array", "items": MEASURE},
    }
)
SLOW_REPORT = obj(
    {
        "id": INT,
        "meeting_id": INT,
        "meeting": STR,
        "addressee": {**STR, "description": "报送对象（AL3：旗委、旗政府）"},
        "period": STR,
        "period_label": STR,
        "produced_at": TIME,
        "number": {**nullable(STR), "description": "文号（标记报送时编号）"},
        "sent_at": nullable(TIME),
        "projects": {"type": "array", "items": SLOW_PROJECT},
        "measures": {"type": "array", "items": MEASURE, "description": "会议议定的其他措施"},
    }
)
MEETING_SCHEMAS: dict[str, JSON] = {
    "SlowReport": SLOW_REPORT,
    "Meeting": MEETING,
    "MeetingDetail": MEETING_DETAIL,
    "AgendaSubmission": SUBMISSION,
    "MeetingAttendance": ATTENDANCE,
}
YEAR = {
    "type": "string",
    "pattern": f"^({ADMIN_YEARS.pattern})$",
    "description": f"年度（{ADMIN_YEARS.first}–{ADMIN_YEARS.last}）",
}
SERIES = {"type": "string", "pattern": "^[a-z0-9_]{1,32}$", "description": "会议类别的键"}


def meeting_paths() -> dict[str, JSON]:
    """The meeting list and one meeting."""
    return {
        "/api/v1/meetings": {
            "get": operation(
                "当前账号可查看的调度会议（按年度、类别筛选，最近在前）",
                ("200", "会议列表", list_page("meetings", "Meeting")),
                [
                    query("year", "年度", YEAR),
                    query("series", "会议类别", SERIES),
                    *paging_params(),
                ],
                errors=("400", "401", "422"),
            )
        },
        "/api/v1/meetings/{meeting_id}": {
            "get": operation(
                "会议详情：议题、报送的议题、参会情况、会议纪要",
                ("200", "会议详情", ref("MeetingDetail")),
                [path_id("meeting_id", "会议ID")],
            )
        },
        "/api/v1/meetings/slow-reports/{slow_report_id}": {
            "get": operation(
                "《关于进度缓慢重点项目情况的报告》（AL3）：重点办和县领导看全文，"
                "责任单位在报送后看本单位列入的项目",
                ("200", "报告", ref("SlowReport")),
                [path_id("slow_report_id", "报告ID")],
            )
        },
    }
