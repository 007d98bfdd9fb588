"""The JSON API's bearer tokens, its JSON errors, the token command and the OpenAPI document."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import now_utc
from keyproj.db.models import ApiToken
from keyproj.db.session import make_engine
from keyproj.forms import list_forms
from keyproj.services.org import tokens
from tests.builders.web import api_error, bearer, login, make_app


def test_missing_token_is_401_with_the_bearer_scheme(client, county):
    page = client.get("/api/v1/projects")
    error = api_error(page, 401, "unauthorized")
    assert "Authorization: Bearer" in error["message"]
    assert page.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_token_and_wrong_scheme_are_401(client, county, session):
    bearer(session, county.chengguan)
    for header in ("Bearer kp_not-a-real-token", "Bearer nonsense", "Basic Y2hlbmc6Z3Vhbg=="):
        page = client.get("/api/v1/projects", headers={"Authorization": header})
        assert page.status_code == 401
        assert page.is_json


def test_a_valid_token_reads_the_users_projects(client, county, session):
    page = client.get("/api/v1/projects", headers=bearer(session, county.chengguan))
    assert page.status_code == 200
    names = {p["name"] for p in page.get_json()["projects"]}
    assert names == {county.road.name, county.school.name}
    assert page.headers["Cache-Control"] == "no-store"


def test_revoked_token_is_refused_at_once(client, county, session):
    headers = bearer(session, county.chengguan)
    assert client.get("/api/v1/projects", headers=headers).status_code == 200
    token = session.scalars(select(ApiToken)).one()
    tokens.revoke(session, token.id, now_utc())
    session.commit()
    error = api_error(client.get("/api/v1/projects", headers=headers), 401, "invalid_token")
    assert "吊销" in error["message"]


def test_expired_token_is_refused(client, county, session):
    with time_machine.travel(now_utc(), tick=False) as clock:
        headers = bearer(session, county.chengguan, expires_at=now_utc() + timedelta(hours=1))
        assert client.get("/api/v1/projects", headers=headers).status_code == 200
        clock.shift(timedelta(hours=1))
        api_error(client.get("/api/v1/projects", headers=headers), 401, "invalid_token")


def test_a_deactivated_users_token_stops_working(client, county, session):
    headers = bearer(session, county.chengguan)
    county.chengguan.active = False
    session.commit()
    api_error(client.get("/api/v1/projects", headers=headers), 401, "invalid_token")


def test_the_sign_in_cookie_does_not_open_the_api(client, county):
    login(client, "chengguan")
    assert client.get("/projects").status_code == 200
    api_error(client.get("/api/v1/projects"), 401, "unauthorized")


def test_only_the_tokens_hash_is_stored_and_its_use_is_noted(client, county, session):
    headers = bearer(session, county.chengguan)
    raw = headers["Authorization"].removeprefix("Bearer ")
    token = session.scalars(select(ApiToken)).one()
    assert token.token_hash == tokens.token_hash(raw) != raw
    assert token.prefix == raw[:10]
    assert token.last_used_at is None
    client.get("/api/v1/projects", headers=headers)
    session.refresh(token)
    assert token.last_used_at is not None


def test_posts_need_no_csrf_token(csrf_client, county, session):
    page = csrf_client.post(
        f"/api/v1/projects/{county.road.id}/issues",
        json={"category": "land", "title": "征地补偿未到位", "owner_unit_code": "T01"},
        headers=bearer(session, county.chengguan),
    )
    assert page.status_code == 201, page.get_data(as_text=True)


def test_unknown_api_paths_and_methods_answer_in_json(csrf_client, county, session):
    headers = bearer(session, county.chengguan)
    api_error(csrf_client.get("/api/v1/nothing-here", headers=headers), 404, "not_found")
    api_error(csrf_client.get("/api/v1/nothing-here"), 404, "not_found")
    page = csrf_client.delete("/api/v1/projects", headers=headers)
    api_error(page, 405, "method_not_allowed")
    assert "GET" in page.headers["Allow"]
    # The pages keep their HTML error pages.
    assert not csrf_client.get("/projects/nothing").is_json


def test_token_command_prints_a_token_that_opens_the_api(run, tmp_path: Path):
    assert run("users", "unit", "T01", "城关镇", "--kind", "town").exit_code == 0
    made = run(
        "users", "create", "li", "--name", "李四", "--unit", "T01", "--role", "unit_liaison",
        "--password", "Liaison#2026",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    issued = run("users", "token", "li", "--name", "市重点项目系统", "--days", "30")
    assert issued.exit_code == 0, issued.output
    assert "只显示这一次" in issued.output
    raw = issued.output.strip().splitlines()[-1]
    assert re.fullmatch(r"kp_[A-Za-z0-9_-]{40,}", raw)
    app = make_app(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path, csrf=True)
    page = app.test_client().get("/api/v1/projects", headers={"Authorization": f"Bearer {raw}"})
    assert page.status_code == 200
    assert page.get_json() == {
        "count": 0,
        "total": 0,
        "page": 1,
        "per_page": 50,
        "pages": 1,
        "projects": [],
    }
    with Session(make_engine(f"sqlite:///{tmp_path / 'cli.db'}")) as session:
        stored = session.scalars(select(ApiToken)).one()
        assert raw not in (stored.token_hash, stored.prefix, stored.name)
    assert run("users", "revoke-token", str(stored.id)).exit_code == 0
    page = app.test_client().get("/api/v1/projects", headers={"Authorization": f"Bearer {raw}"})
    assert page.status_code == 401
    unknown = run("users", "token", "nobody", "--name", "x")
    assert unknown.exit_code == 1
    assert "不存在" in unknown.output


# The OpenAPI document.


def api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def documented(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(path, method) for path, ops in doc["paths"].items() for method in ops}


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def test_openapi_document_is_public_and_describes_every_route(app, client):
    page = client.get("/api/v1/openapi.json")
    assert page.status_code == 200
    doc = page.get_json()
    assert doc["openapi"] == "3.1.0"
    assert api_routes(app) == documented(doc)
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert doc["security"] == [{"bearerAuth": []}]
    assert doc["paths"]["/api/v1/openapi.json"]["get"]["security"] == []


def test_openapi_references_resolve_and_path_parameters_are_declared(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    for ref in refs(doc):
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
    for path, ops in doc["paths"].items():
        for op in ops.values():
            declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), path
            assert "401" in op["responses"] or op.get("security") == []


def test_task_completion_body_is_the_task_forms_schemas(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    op = doc["paths"]["/api/v1/tasks/{task_id}/complete"]["post"]
    body = op["requestBody"]["content"]["application/json"]["schema"]
    assert {r["$ref"] for r in body["anyOf"]} == {
        f"#/components/schemas/form_{name}" for name in list_forms()
    }
    respond = doc["components"]["schemas"]["form_respond"]
    assert respond["title"] == "责任单位受理"
    assert "planned_completion" in respond["required"]
    assert set(op["responses"]) >= {"200", "401", "404", "409", "422"}
