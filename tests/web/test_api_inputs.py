"""The JSON API against hostile values: each refused with the field and a Chinese reason, never a 500."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import select

from keyproj.clock import BEIJING
from keyproj.db.models import ProjectIssue, Report
from tests.builders.web import api_error, bearer, json_of

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=BEIJING)
REPORT = {
    "period": "2026-02",
    "total_investment": "12000",
    "cumulative_completed": "3200.5",
    "annual_plan_investment": "4000",
    "annual_completed": "800",
    "start_status": "started",
    "started_on": "2026-01-15",
    "progress_pct": "35.5",
    "progress_text": "路基完成60%",
}
ISSUE = {"category": "land", "title": "征地未完成", "owner_unit_code": "T01"}
TOO_BIG_IDS = ["2147483648", "99999999999999999999", "0", "１２"]


@pytest.fixture
def frozen():
    """Beijing 2026-03-10 10:00: February's report is due."""
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def headers(session, county) -> dict[str, str]:
    return bearer(session, county.chengguan)


def post_report(client, county, headers, **changes: Any):  # type: ignore[no-untyped-def]
    body = {**REPORT, **changes}
    return client.post(f"/api/v1/projects/{county.road.id}/reports", json=body, headers=headers)


def raw_post(client, path: str, text: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(path, data=text, headers={**headers, "Content-Type": "application/json"})


def test_lp8_a_full_width_period_cannot_resubmit_a_locked_period(
    client, county, session, headers, frozen
):
    assert post_report(client, county, headers).status_code == 201
    for typed in ["２０２６-02", "2026-０2", "٢٠٢٦-02", " 2026-02"]:
        again = post_report(client, county, headers, period=typed, cumulative_completed="9999")
        reason = api_error(again, 422, "validation_failed")["fields"]["period"]
        assert "格式不正确" in reason
    listed = client.get(f"/api/v1/projects/{county.road.id}/reports", headers=headers)
    assert [(r["period"], r["cumulative_completed"]) for r in json_of(listed)["reports"]] == [
        ("2026-02", "3200.5")
    ]


@pytest.mark.parametrize("period", ["0000-01", "0001-01"])
def test_lp8_year_zero_and_one_periods_are_field_errors(client, county, headers, frozen, period):
    fields = api_error(
        post_report(client, county, headers, period=period), 422, "validation_failed"
    )["fields"]
    assert fields == {"period": f"“{period}”：年份应在2000年至2100年之间"}


@pytest.mark.parametrize("field", ["started_on", "expected_start"])
def test_non_ascii_digits_in_report_dates_are_refused(client, county, headers, frozen, field):
    response = post_report(client, county, headers, **{field: "２０２６-01-15"})
    assert "半角数字" in api_error(response, 422, "validation_failed")["fields"][field]


def test_non_ascii_digits_in_issue_dates_are_refused(client, county, headers, frozen):
    path = f"/api/v1/projects/{county.road.id}/issues"
    response = client.post(path, json={**ISSUE, "opened_on": "２０２６-03-01"}, headers=headers)
    assert "半角数字" in api_error(response, 422, "validation_failed")["fields"]["opened_on"]
    year_one = client.post(path, json={**ISSUE, "opened_on": "0001-01-01"}, headers=headers)
    assert api_error(year_one, 422, "validation_failed")["fields"] == {
        "opened_on": "年份应在2000年至2100年之间"
    }


@pytest.mark.parametrize("number", TOO_BIG_IDS)
def test_ids_beyond_the_database_integer_in_a_path_are_404(client, county, headers, number):
    for path in [
        f"/api/v1/projects/{number}",
        f"/api/v1/projects/{number}/reports",
        f"/api/v1/cases/{number}",
    ]:
        api_error(client.get(path, headers=headers), 404, "not_found")
    api_error(client.post(f"/api/v1/tasks/{number}/claim", headers=headers), 404, "not_found")
    # A path shared by a GET and a POST route is a 404 for both, not a 405.
    for path in [f"/api/v1/projects/{number}/reports", f"/api/v1/projects/{number}/issues"]:
        api_error(client.post(path, json=ISSUE, headers=headers), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/api/v1/projects?unit_id=2147483648", "unit_id"),
        ("/api/v1/projects?unit_id=abc", "unit_id"),
        ("/api/v1/projects?unit_id=", "unit_id"),
        ("/api/v1/projects?level=galaxy", "level"),
        ("/api/v1/warnings?project_id=99999999999", "project_id"),
        ("/api/v1/warnings?level=", "level"),
        ("/api/v1/cases?status=shut", "status"),
        ("/api/v1/tasks?case_id=2147483648", "case_id"),
        ("/api/v1/tasks?due_from=２０２６-03-01", "due_from"),
        ("/api/v1/tasks?due_to=0001-01-01", "due_to"),
        ("/api/v1/projects?q=" + "路" * 101, "q"),
    ],
)
def test_malformed_filters_are_refused_with_the_field_not_ignored(
    client, county, headers, query, field
):
    assert (
        field in api_error(client.get(query, headers=headers), 422, "validation_failed")["fields"]
    )


def test_issue_filters_are_refused_with_the_field(client, county, headers):
    path = f"/api/v1/projects/{county.road.id}/issues"
    error = api_error(
        client.get(f"{path}?status=x&category=", headers=headers), 422, "validation_failed"
    )
    assert set(error["fields"]) == {"status", "category"}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (1e30, "不能超过 99,999,999,999,999.9999 万元"),
        ("100000000000000", "不能超过 99,999,999,999,999.9999 万元"),
        (1e14, "不能超过 99,999,999,999,999.9999 万元"),
        ("1e30", "“1e30”不是有效的数字，应为半角数字，如 1200.5"),
        ("NaN", "“NaN”不是有效的数字，应为半角数字，如 1200.5"),
        ("１２０００", "“１２０００”不是有效的数字，应为半角数字，如 1200.5"),
        ("-0", "金额不能为负数"),
    ],
)
def test_huge_and_non_finite_amounts_are_refused(
    client, county, session, headers, frozen, value, reason
):
    response = post_report(client, county, headers, total_investment=value)
    assert api_error(response, 422, "validation_failed")["fields"] == {"total_investment": reason}
    assert session.scalars(select(Report)).all() == []


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_json_literals_are_refused(client, county, headers, frozen, literal):
    text = json.dumps(REPORT)[:-1] + f', "annual_completed": {literal}}}'
    response = raw_post(client, f"/api/v1/projects/{county.road.id}/reports", text, headers)
    assert api_error(response, 422, "validation_failed")["fields"] == {
        "annual_completed": "不能是 NaN 或无穷大"
    }


def test_nul_in_text_and_filters_is_a_field_error(client, county, session, headers, frozen):
    response = post_report(client, county, headers, progress_text="路基\x00完成")
    assert api_error(response, 422, "validation_failed")["fields"] == {
        "progress_text": "含有不允许的控制字符 U+0000"
    }
    issue = client.post(
        f"/api/v1/projects/{county.road.id}/issues",
        json={**ISSUE, "owner_unit_code": "T01\x00"},
        headers=headers,
    )
    assert "owner_unit_code" in api_error(issue, 422, "validation_failed")["fields"]
    for query in ["/api/v1/projects?q=%00", "/api/v1/tasks?project=a%00b"]:
        fields = api_error(client.get(query, headers=headers), 422, "validation_failed")["fields"]
        assert list(fields.values()) == ["含有不允许的控制字符 U+0000"]
    api_error(client.get("/api/v1/projects/%00", headers=headers), 404, "not_found")
    assert session.scalars(select(ProjectIssue)).all() == []


def test_lone_surrogates_are_refused_wherever_they_are(client, county, headers, frozen):
    path = f"/api/v1/projects/{county.road.id}/reports"
    text = json.dumps(REPORT)[:-1] + ', "issues_text": "征地\\ud800"}'
    fields = api_error(raw_post(client, path, text, headers), 422, "validation_failed")["fields"]
    assert fields == {"issues_text": "含有无效字符（不成对的 UTF-16 代理码位）"}
    key = json.dumps(REPORT)[:-1] + ', "procedures": {"\\udc00land": {"status": "approved"}}}'
    fields = api_error(raw_post(client, path, key, headers), 422, "validation_failed")["fields"]
    assert fields == {"procedures": "字段名含有不允许的字符"}


def test_zero_width_only_required_values_are_refused(client, county, session, headers):
    response = client.post(
        f"/api/v1/projects/{county.road.id}/issues",
        json={**ISSUE, "title": "\u200b\u200c\ufeff"},
        headers=headers,
    )
    assert api_error(response, 422, "validation_failed")["fields"] == {
        "title": "不能为空（只有空白或不可见字符）"
    }
    assert session.scalars(select(ProjectIssue)).all() == []


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deep_nesting_is_refused(client, county, headers, frozen, depth):
    nested = "[" * depth + "]" * depth
    text = json.dumps(REPORT)[:-1] + f', "procedures": {{"land": {nested}}}}}'
    response = raw_post(client, f"/api/v1/projects/{county.road.id}/reports", text, headers)
    error = api_error(response, 422, "validation_failed")
    assert "嵌套层数" in next(iter(error["fields"].values()))


def test_an_oversize_body_is_a_413_in_chinese(client, county, session, headers, frozen):
    response = post_report(client, county, headers, progress_text="字" * (1024 * 1024))
    assert "2 MB" in api_error(response, 413, "payload_too_large")["message"]
    assert session.scalars(select(Report)).all() == []


# --- the API honours the document: what it declares invalid is refused, what it declares valid passes


def submission_schema(client) -> Draft202012Validator:  # type: ignore[no-untyped-def]
    document = client.get("/api/v1/openapi.json").get_json()
    schema = {**document["components"]["schemas"]["ReportSubmission"]}
    schema["$defs"] = document["components"]["schemas"]
    text = json.dumps(schema).replace("#/components/schemas/", "#/$defs/")
    return Draft202012Validator(json.loads(text), format_checker=FormatChecker())


INVALID_BY_THE_DOCUMENT = [
    {"period": "２０２６-02"},
    {"period": "2026-02-1"},  # the half-month key of another cycle
    {"period": "1999-12"},
    {"total_investment": "1e3"},
    {"total_investment": " 12000"},
    {"total_investment": "12000.00001"},
    {"total_investment": "100000000000000"},
    {"total_investment": 1e14},
    {"total_investment": -1},
    {"total_investment": True},
    {"progress_pct": "100.5"},
    {"progress_pct": 101},
    {"started_on": "20260115"},
    {"started_on": "2026-W03-4"},
    {"started_on": "1989-12-31"},
    {"started_on": ""},
    {"progress_text": "a\x00"},
    {"progress_text": "字" * 2001},
    {"procedures": []},
    {"procedures": {"land": {"status": "approved", "extra": 1}}},
    {"procedures": {"land": {}}},
    {"procedures": {"land": {"status": "approved", "note": 5}}},
    {"procedures": {"galaxy": {"status": "approved"}}},
    {"not_started_reason": 7},
]
VALID_BY_THE_DOCUMENT = [
    {},
    {"total_investment": 12000, "progress_pct": 35.5},
    {"total_investment": "00012000.5000", "progress_pct": "100.0"},
    {
        "started_on": None,
        "expected_start": None,
        "start_status": "not_started",
        "not_started_reason": "征地未完成",
        "procedures": None,
    },
    {"procedures": {"land": {"status": "approved", "note": None}}},
    {"progress_text": "Cafe\u0301 完成\r\n第二行"},
]


@pytest.mark.parametrize("change", INVALID_BY_THE_DOCUMENT)
def test_what_the_document_declares_invalid_the_api_refuses(
    client, county, session, headers, frozen, change
):
    body = {**REPORT, **change}
    assert list(submission_schema(client).iter_errors(body)), "the document should refuse it"
    response = client.post(f"/api/v1/projects/{county.road.id}/reports", json=body, headers=headers)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert session.scalars(select(Report)).all() == []


@pytest.mark.parametrize("change", VALID_BY_THE_DOCUMENT)
def test_what_the_document_declares_valid_the_api_accepts(client, county, headers, frozen, change):
    body = {**REPORT, **change}
    assert not list(submission_schema(client).iter_errors(body))
    response = client.post(f"/api/v1/projects/{county.road.id}/reports", json=body, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)


def test_amounts_with_thousands_separators_are_taken(client, county, session, headers, frozen):
    response = post_report(client, county, headers, total_investment="12,345.6")
    assert response.status_code == 201, response.get_json()
    assert session.scalars(select(Report)).one().total_investment == Decimal("12345.6")


def test_a_misplaced_thousands_separator_is_refused_naming_the_field(
    client, county, session, headers, frozen
):
    response = post_report(client, county, headers, total_investment="1,26")
    assert api_error(response, 422, "validation_failed")["fields"] == {
        "total_investment": "“1,26”的千位分隔不正确：逗号应每三位数字一个，如 1,260 或 12,345.6"
    }
    assert session.scalars(select(Report)).all() == []
