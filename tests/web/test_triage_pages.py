"""The key office's triage page (LP13): the queue by project, a notice per matter, a bulk notice,
a merge onto a case's timeline, a dismissal with its reason on the project page and in the log."""

from __future__ import annotations

from sqlalchemy import select

from keyproj.db.models import AdminChange, Case, EarlyWarning
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.web import login


def warn(county, project, period, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "evidence": {"summary": f"{project.name}进度滞后{period}"},
        "raised_at": bj(2026, 3, 2, 9),
    }
    warning = factories.warning(county.session, project, period, **(values | overrides))
    county.session.commit()
    return warning


def test_lp13_the_key_office_sees_its_queue_by_project_and_others_may_not(app, client, county):
    warn(county, county.road, "2026-01")
    warn(county, county.road, "2026-02", level="issue", rule_id="issue_unresolved")
    warn(county, county.bridge, "2026-02")

    login(client, "zdb")
    page = client.get("/triage").get_data(as_text=True)

    assert "待研判预警" in page
    assert "共 2 个待研判事项" in page
    assert page.index(county.road.name) < page.index(county.bridge.name)  # 问题预警 first
    assert "城关镇环城路改建工程进度滞后2026-02" in page
    assert "拟发：问题预警" in page
    assert "2026-03-05 23:59" in page  # LP13: 3 working days from the raising
    town = app.test_client()
    login(town, "chengguan")
    assert town.get("/triage").status_code == 403
    assert town.post("/triage/bulk", data={"warning": "1"}).status_code == 303
    assert "当前账号没有执行此操作的权限" in town.get("/projects").get_data(as_text=True)
    assert "待研判预警" not in town.get("/projects").get_data(as_text=True)


def test_lp13_a_bulk_notice_from_the_page_starts_one_case_per_project(client, county, session):
    ids = [
        warn(county, county.road, "2026-01").id,
        warn(county, county.road, "2026-02").id,
        warn(county, county.bridge, "2026-02").id,
    ]
    login(client, "zdb")

    sent = client.post("/triage/bulk", data={"warning": [str(i) for i in ids]})

    assert sent.status_code == 303
    assert "已按项目发出预警催办通知 2 份" in client.get("/triage").get_data(as_text=True)
    cases = session.scalars(select(Case)).all()
    assert len(cases) == 2
    covered = session.scalars(select(EarlyWarning.case_id).order_by(EarlyWarning.id))
    assert len(set(covered)) == 2


def test_lp13_a_merge_shows_on_the_case_timeline(client, county, session):
    first = warn(county, county.road, "2026-01")
    login(client, "zdb")
    client.post("/triage/bulk", data={"warning": str(first.id)})
    case = session.scalars(select(Case)).one()
    late = warn(county, county.road, "2026-02", level="issue", rule_id="issue_unresolved")
    road = str(county.road.id)

    page = client.get("/triage").get_data(as_text=True)
    assert f'value="{road}:{case.id}"' in page  # the project's open case is offered
    merged = client.post(
        "/triage/merge", data={"warning": str(late.id), "merge": f"{road}:{case.id}"}
    )

    assert merged.status_code == 303
    timeline = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "并入预警：问题预警（2026-02）" in timeline
    session.expire_all()
    assert session.get_one(EarlyWarning, late.id).case_id == case.id


def test_lp13_a_dismissal_needs_its_reason_and_shows_on_the_project_and_in_the_log(
    app, client, county, session
):
    county.with_people("admin")
    county.committed()
    warning = warn(county, county.road, "2026-01")
    login(client, "zdb")

    client.post("/triage/dismiss", data={"warning": str(warning.id), "reason": ""})
    refused = client.get("/triage").get_data(as_text=True)
    assert "未能作不予处置：不予处置理由" in refused
    assert "不能为空" in refused
    client.post("/triage/dismiss", data={"warning": str(warning.id), "reason": "已补报，不再滞后"})

    assert "暂无待研判的预警" in client.get("/triage").get_data(as_text=True)
    project = client.get(f"/projects/{county.road.id}").get_data(as_text=True)
    assert "不予处置：已补报，不再滞后" in project
    assert session.scalars(select(AdminChange.details)).one() == "已补报，不再滞后"
    admin = app.test_client()
    login(admin, "admin")
    log = admin.get("/admin/log").get_data(as_text=True)
    assert "预警不予处置" in log
    assert "已补报，不再滞后" in log


def coordination_warning(county):  # type: ignore[no-untyped-def]
    issue = factories.issue(county.session, county.road, "跨部门管线迁改", category="coordination")
    return warn(
        county,
        county.road,
        f"issue-{issue.id}",
        level="issue",
        rule_id="issue_unresolved",
        evidence={"summary": "管线迁改未协调", "issue_id": issue.id},
    )


def test_lp16_the_page_proposes_the_routing_with_its_clause_and_an_override_needs_a_reason(
    client, county, session
):
    warning = coordination_warning(county)
    road = str(county.road.id)
    login(client, "zdb")

    page = client.get("/triage").get_data(as_text=True)
    assert '<option value="county_government" selected>' in page
    assert (
        f'id="lead_unit_code-{road}" name="lead_unit_code-{road}" maxlength="32" value="XFB"'
        in page
    )
    assert "县政府协调（“建设协调”类问题视为需跨区域跨部门协调的问题）" in page
    assert 'href="/clauses/LP16-2"' in page  # the 依据 link of the proposal
    chosen = {
        "group": road,
        "warning": str(warning.id),
        f"level-{road}": "issue",
        f"routing-{road}": "town",
        f"lead_unit_code-{road}": "T01",
        f"notice_text-{road}": "管线迁改未协调，请城关镇牵头协调解决。",
    }

    client.post("/triage/notice", data=chosen)
    refused = client.get("/triage").get_data(as_text=True)
    assert "未能发出通知：改变协调层级的理由" in refused
    assert session.scalars(select(Case)).all() == []
    client.post("/triage/notice", data=chosen | {f"routing_reason-{road}": "城关镇可自行协调"})

    case = session.scalars(select(Case)).one()
    shown = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "确定的协调层级</dt><dd>乡镇协调" in shown
    assert "系统建议</dt><dd>县政府协调，牵头责任单位：" in shown
    assert "改变建议的理由</dt><dd>城关镇可自行协调" in shown
    assert 'href="/clauses/LP16-2"' in shown
