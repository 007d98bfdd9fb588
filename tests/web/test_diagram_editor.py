"""The modeler's server side (X3): administrators open a key's newest diagram, have an edited
diagram checked (problems per element, in Chinese) and deploy it as the next version; anyone
else is refused, and an oversized diagram is refused unread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from keyproj.db.models import ProcessDefinition
from keyproj.services.diagrams.validation import MAX_DIAGRAM_BYTES
from tests.builders import factories
from tests.builders.web import csrf_token, json_of, login

SHIPPED = (Path(__file__).parents[2] / "bpmn" / "warning_case.bpmn").read_text(encoding="utf-8")
EDIT = "/diagrams/warning_case/edit"
RESPOND_FORM = '<spiffworkflow:property name="form" value="respond" />'


@pytest.fixture
def admin(county, client):
    """The test client signed in as a system administrator."""
    county.with_people("admin").committed()
    login(client, "admin")
    return client


def post(client, what: str, xml: str, note: str | None = None, base: int = 1):
    body = {"xml": xml, "note": note, "base": base}
    return client.post(f"/diagrams/warning_case/edit/{what}", json=body)


def test_x3_the_editor_opens_the_newest_version_with_the_known_lanes_forms_and_deadlines(admin):
    page = admin.get(EDIT)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "编辑流程图：重点项目预警协调处置" in html
    assert "第 1 版" in html
    assert "/diagrams/warning_case/edit/1.bpmn" in html
    choices = json.loads(html.split("data-choices='")[1].split("'")[0])
    assert choices["lanes"] == ["重点办", "责任单位", "县政府", "督查室", "督办单位"]
    assert {"respond", "evaluate", "county_gov_handle"} <= set(choices["forms"])
    # LP17: the deadlines its scripts compute, and a follow-up item's date the services store.
    assert {"response_due", "outcome_due", 'follow_up["due"]'} <= set(choices["deadlines"])
    source = admin.get("/diagrams/warning_case/edit/1.bpmn")
    assert source.mimetype == "application/xml"
    assert source.get_data(as_text=True) == SHIPPED


def test_x3_a_key_without_a_deployed_diagram_is_not_found(admin):
    assert admin.get("/diagrams/no_such_key/edit").status_code == 404
    assert admin.get("/diagrams/Bad-Key!/edit").status_code == 404


@pytest.mark.parametrize("username", ["zdb", "chengguan"])
def test_x3_only_administrators_edit_or_deploy_diagrams(county, client, username):
    login(client, username)
    assert client.get(EDIT).status_code == 403
    assert client.get("/diagrams/warning_case/edit/1.bpmn").status_code == 403
    assert post(client, "check", SHIPPED).status_code == 403
    assert post(client, "deploy", SHIPPED.replace("受理并开展协调", "受理")).status_code == 403


def test_x3_check_passes_the_shipped_diagram_and_names_the_task_without_a_form(admin):
    assert json_of(post(admin, "check", SHIPPED)) == {"problems": []}
    answer = post(admin, "check", SHIPPED.replace(RESPOND_FORM, ""))
    assert answer.status_code == 200
    (problem,) = json_of(answer)["problems"]
    assert problem["element_id"] == "respond"
    assert "受理并开展协调" in problem["message"]
    assert "form" in problem["message"]


def test_x3_check_refuses_what_is_not_a_diagram_and_a_dtd(admin):
    (problem,) = json_of(post(admin, "check", "不是流程图"))["problems"]
    assert problem["element_id"] is None
    assert "XML" in problem["message"]
    xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    (problem,) = json_of(post(admin, "check", xxe))["problems"]
    assert "root:" not in problem["message"]
    assert "DOCTYPE" in problem["message"]


def test_x3_a_10_mb_upload_is_refused_before_it_is_read(admin):
    huge = "<!--" + "x" * (10 * 1024 * 1024) + "-->"
    for what in ("check", "deploy"):
        answer = post(admin, what, huge)
        assert answer.status_code == 413
        (problem,) = json_of(answer)["problems"]
        assert f"{MAX_DIAGRAM_BYTES // (1024 * 1024)} MB" in problem["message"]


def test_x3_a_deployed_edit_becomes_the_next_version_listed_with_who_and_why(
    admin, county, session
):
    edited = SHIPPED.replace('name="受理并开展协调"', 'name="受理并协调"')
    answer = post(admin, "deploy", edited, note="任务改名")
    assert answer.status_code == 200
    body = json_of(answer)
    assert (body["version"], body["created"], body["message"]) == (2, True, "已部署为第 2 版")
    stored = session.scalar(
        select(ProcessDefinition).where(
            ProcessDefinition.key == "warning_case", ProcessDefinition.version == 2
        )
    )
    assert stored is not None
    assert stored.note == "任务改名"
    assert stored.bpmn_xml == edited
    assert stored.deployed_by_id == county.users["admin"].id
    html = admin.get(EDIT).get_data(as_text=True)
    assert "/diagrams/warning_case/edit/2.bpmn" in html
    assert county.users["admin"].display_name in html
    assert "任务改名" in html
    # The same text again is that version: nothing new, and the editor says so.
    again = post(admin, "deploy", edited, base=2)
    assert again.status_code == 409
    assert json_of(again)["message"] == "与已部署的某一版本完全相同，未部署新版本"


def test_x3_a_refused_deploy_highlights_the_problem_and_stores_nothing(admin, session):
    answer = post(admin, "deploy", SHIPPED.replace(RESPOND_FORM, ""), note="坏的")
    assert answer.status_code == 422
    body = json_of(answer)
    assert body["message"] == "流程图有错误，未部署"
    assert [p["element_id"] for p in body["problems"]] == ["respond"]
    versions = session.scalars(
        select(ProcessDefinition.version).where(ProcessDefinition.key == "warning_case")
    )
    assert list(versions) == [1]


def test_x3_the_modeler_posts_need_the_pages_csrf_token(county, csrf_client):
    county.with_people("admin").committed()
    page = csrf_client.get("/login").get_data(as_text=True)
    csrf_client.post(
        "/login",
        data={"username": "admin", "password": factories.PASSWORD, "csrf_token": csrf_token(page)},
    )
    html = csrf_client.get(EDIT).get_data(as_text=True)
    token = html.split('data-csrf="')[1].split('"')[0]
    body = {"xml": SHIPPED}
    assert csrf_client.post("/diagrams/warning_case/edit/check", json=body).status_code == 400
    answer = csrf_client.post(
        "/diagrams/warning_case/edit/check", json=body, headers={"X-CSRFToken": token}
    )
    assert json_of(answer) == {"problems": []}


def test_x3_the_administrators_tab_opens_the_diagram_the_profile_runs_cases_on(admin):
    answer = admin.get("/diagrams/edit")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(EDIT)  # Lianping's profile: warning_case
    assert 'href="/diagrams/edit"' in admin.get("/admin/users").get_data(as_text=True)


def test_x3_a_deploy_over_a_version_deployed_meanwhile_is_refused_as_stale(admin, session):
    assert post(admin, "deploy", SHIPPED.replace("受理并开展协调", "受理")).status_code == 200
    # A second editor opened version 1 before that deploy: its diagram would undo version 2.
    answer = post(admin, "deploy", SHIPPED.replace("评估协调成效", "评估"), base=1)
    assert answer.status_code == 409
    (problem,) = json_of(answer)["problems"]
    assert "已有更新的第 2 版" in problem["message"]
    versions = session.scalars(
        select(ProcessDefinition.version).where(ProcessDefinition.key == "warning_case")
    )
    assert sorted(versions) == [1, 2]


def test_x3_a_deploy_must_say_which_version_it_edits(admin):
    answer = admin.post("/diagrams/warning_case/edit/deploy", json={"xml": SHIPPED})
    assert answer.status_code == 400
    assert "base" in json_of(answer)["message"]
