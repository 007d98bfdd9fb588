"""Paging of every list of the JSON API: page and per_page, the total, 400s naming the parameter."""

from __future__ import annotations

from datetime import date

import pytest

from keyproj.paging import API_PAGE_SIZE, MAX_PER_PAGE
from tests.builders import factories
from tests.builders.web import api_error, bearer, json_of

PAGE_KEYS = {"count", "total", "page", "per_page", "pages"}


@pytest.fixture
def office(county, session):
    """The key office's token, with seven projects in all (four more of 城关镇's)."""
    for n in range(4):
        factories.project(session, "T01", name=f"城关镇第{n}号安置房项目")
    return bearer(session, county.office)


def lists(county) -> dict[str, str]:
    """Every list endpoint of the API, by the key its items come under."""
    road = county.road.id
    return {
        "projects": "/api/v1/projects",
        "reports": f"/api/v1/projects/{road}/reports",
        "issues": f"/api/v1/projects/{road}/issues",
        "warnings": "/api/v1/warnings",
        "cases": "/api/v1/cases",
        "tasks": "/api/v1/tasks",
        "groups": "/api/v1/triage",  # LP13: the key office's queue
        "meetings": "/api/v1/meetings",  # DC3 and the other counties' dispatch meetings
    }


def test_projects_come_a_page_at_a_time_with_the_total(client, county, office):
    first = json_of(client.get("/api/v1/projects?per_page=3", headers=office))
    assert {k: first[k] for k in PAGE_KEYS} == {
        "count": 3,
        "total": 7,
        "page": 1,
        "per_page": 3,
        "pages": 3,
    }
    rest = [
        json_of(client.get(f"/api/v1/projects?per_page=3&page={n}", headers=office)) for n in (2, 3)
    ]
    codes = [p["code"] for body in (first, *rest) for p in body["projects"]]
    assert len(codes) == len(set(codes)) == 7  # every project once, none twice
    assert codes == sorted(codes)
    assert rest[-1]["count"] == 1


def test_filters_apply_before_the_count(client, county, office):
    body = json_of(client.get("/api/v1/projects?level=city&per_page=1", headers=office))
    assert (body["total"], body["pages"], body["projects"][0]["name"]) == (
        1,
        1,
        county.school.name,
    )


def test_a_page_past_the_end_is_empty_but_keeps_the_total(client, county, office):
    body = json_of(client.get("/api/v1/projects?per_page=5&page=40", headers=office))
    assert (body["count"], body["total"], body["page"], body["pages"]) == (0, 7, 40, 2)
    assert body["projects"] == []


def test_the_default_page_size(client, county, office):
    body = json_of(client.get("/api/v1/projects", headers=office))
    assert (body["page"], body["per_page"]) == (1, API_PAGE_SIZE)


def test_every_list_answers_with_its_page(client, county, session, office):
    factories.issue(session, county.road, "征地未完成", opened_on=date(2026, 1, 5))
    factories.report(session, county.road, "2026-01")
    factories.warning(session, county.road, "2026-01")
    session.commit()
    for key, path in lists(county).items():
        body = json_of(client.get(f"{path}?page=1&per_page={MAX_PER_PAGE}", headers=office))
        assert set(body) == PAGE_KEYS | {key}, path
        assert (body["page"], body["per_page"], body["count"]) == (
            1,
            MAX_PER_PAGE,
            len(body[key]),
        )
        assert body["total"] == body["count"], path


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-2", "page"),
        ("page=abc", "page"),
        ("page=", "page"),
        ("page=%EF%BC%92", "page"),  # a full-width ２
        ("page=2147483648", "page"),
        ("per_page=0", "per_page"),
        ("per_page=201", "per_page"),
        ("per_page=1.5", "per_page"),
    ],
)
def test_bad_paging_is_a_400_naming_the_parameter_on_every_list(
    client, county, office, query, field
):
    for path in lists(county).values():
        error = api_error(client.get(f"{path}?{query}", headers=office), 400, "invalid_paging")
        assert list(error["fields"]) == [field], path
        assert "应在1至" in error["fields"][field] or "应为半角数字" in error["fields"][field]


def test_bad_paging_is_named_before_the_project_is_looked_up(client, county, office):
    error = api_error(
        client.get("/api/v1/projects/999999/reports?per_page=1000", headers=office),
        400,
        "invalid_paging",
    )
    assert list(error["fields"]) == ["per_page"]


def test_the_document_declares_paging_on_every_list(client):
    document = json_of(client.get("/api/v1/openapi.json"))
    listed = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            ok = operation["responses"].get("200", {}).get("content", {})
            schema = ok.get("application/json", {}).get("schema", {})
            if "total" not in schema.get("properties", {}):
                continue
            listed += 1
            names = {p["name"]: p["schema"] for p in operation["parameters"]}
            assert names["page"]["minimum"] == 1, (method, path)
            assert names["per_page"]["maximum"] == MAX_PER_PAGE, (method, path)
            assert names["per_page"]["default"] == API_PAGE_SIZE, (method, path)
            assert "400" in operation["responses"], (method, path)
            assert set(schema["required"]) >= PAGE_KEYS, (method, path)
    assert listed == 11
