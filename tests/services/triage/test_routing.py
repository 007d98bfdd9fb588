"""Routing (LP14–16): the profile's table proposes who coordinates a matter, and the key office
may choose otherwise only with its reason, recorded on the notice."""

from __future__ import annotations

from contextlib import nullcontext

import pytest
from sqlalchemy import event, select

from keyproj.db.models import CaseEvent, ProjectTeamMember, Unit
from keyproj.errors import ValidationError
from keyproj.policy import load_profile
from keyproj.services.cases.views.timeline import TaskInfo, case_timeline
from keyproj.services.triage import notices
from keyproj.services.triage.routing import route, teams_known
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.forms import form

PROFILE = load_profile("lianping")

# (clause, lead unit, project level, issue category, town in the team) →
# (handling level, proposed unit, clause cited)
TABLE = [
    ("LP14-1", "T01", "county", None, False, "town", "T01", "LP14-1"),
    ("LP14-1", "T02", "provincial", "approval", False, "town", "T02", "LP14-1"),
    ("LP14-2", "D01", "county", "land", True, "town", "T02", "LP14-2"),
    ("LP14-2", "D01", "county", "stability", False, "town", "D01", "LP14-2"),
    ("LP15-1", "D01", "county", None, False, "county_department", "D01", "LP15-1"),
    ("LP15-1", "T01", "central_budget", None, False, "county_department", "T01", "LP15-1"),
    ("LP15-2", "D01", "county", "approval", False, "county_department", "D01", "LP15-2"),
    ("LP15-2", "D01", "county", "funding", False, "county_department", "D01", "LP15-2"),
    ("LP15-3", "D01", "provincial", "approval", False, "county_department", "D01", "LP15-3"),
    ("LP16-2", "T01", "county", "coordination", False, "county_government", "XFB", "LP16-2"),
    ("LP16-3", "D01", "provincial", "funding", False, "county_government", "XFB", "LP16-3"),
    ("LP16-3", "T01", "city", "funding", False, "county_government", "XFB", "LP16-3"),
    ("default", "D01", "provincial", "other", False, "county_department", "D01", ""),
]


def unit_id(county: County, code: str) -> int:
    return county.session.scalars(select(Unit.id).where(Unit.code == code)).one()


@pytest.mark.parametrize("batched", [False, True], ids=["alone", "batch"])
@pytest.mark.parametrize(
    ("clause", "lead", "level", "category", "team_town", "handling", "unit", "cited"), TABLE
)
def test_LP14_LP15_LP16_the_routing_table_proposes_the_level_unit_and_clause(
    county, clause, lead, level, category, team_town, handling, unit, cited, batched
):
    project = factories.project(county.session, lead, level=level)
    if team_town:  # the town where the project stands, named in its team
        member = ProjectTeamMember(
            project_id=project.id,
            role="cooperating_contact",
            name="王强",
            unit_id=unit_id(county, "T02"),
        )
        county.session.add(member)
        county.session.flush()

    # A batch of proposals (the automatic notices, a bulk notice) reads the teams at once.
    with teams_known(county.session, [project.id]) if batched else nullcontext():
        routing = route(county.session, PROFILE, project, category)

    assert (routing.level, routing.unit_id, routing.clause) == (
        handling,
        unit_id(county, unit),
        cited,
    )
    assert routing.why


def test_LP14_LP16_a_batch_of_proposals_reads_the_teams_and_the_office_once(county):
    leads = ["D01", "D01", "T01", "D01"]
    projects = [factories.project(county.session, lead) for lead in leads]
    member = ProjectTeamMember(
        project_id=projects[1].id,
        role="cooperating_contact",
        name="王强",
        unit_id=unit_id(county, "T02"),
    )
    county.session.add(member)
    county.session.flush()
    asked = [(p, c) for p in projects for c in ("land", "coordination", None)]
    alone = [route(county.session, PROFILE, p, c) for p, c in asked]
    statements: list[str] = []

    def count(conn, cursor, statement, *_):
        statements.append(statement)

    engine = county.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        with teams_known(county.session, [p.id for p in projects]):
            batched = [route(county.session, PROFILE, p, c) for p, c in asked]
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert batched == alone
    assert unit_id(county, "T02") in {r.unit_id for r in batched}  # the team's town, LP14-2
    assert unit_id(county, "XFB") in {r.unit_id for r in batched}  # 县府办, LP16
    assert len(statements) == 2  # the teams, then the office when first asked for


def test_LP14_2_a_matter_of_another_kind_without_that_unit_proposes_the_lead_unit_to_decide(county):
    project = factories.project(county.session, "D01")

    routing = route(county.session, PROFILE, project, "land")

    assert (routing.level, routing.unit_id) == ("town", unit_id(county, "D01"))
    assert "请研判指定" in routing.why


@pytest.mark.parametrize("name", ["alxa_left", "dancheng", "guangshan", "handan"])
def test_other_profiles_mirror_lianping_as_local_rows_citing_no_clause(county, name):
    profile = load_profile(name)
    project = factories.project(county.session, "T01")

    routing = route(county.session, profile, project, None)

    assert (routing.level, routing.clause) == ("town", "")  # their regulations say nothing
    assert "参照连平规章第十四条第一项" in routing.why
    assert all("本地取值" in profile.cite(f"routing.rows.{row}") for row in profile.routing.rows)


@pytest.fixture
def office(county: County) -> County:
    return county.with_projects("plant").with_people("zdb", "town")


def issue_warning(county: County, category: str):  # type: ignore[no-untyped-def]
    plant = county.projects["plant"]
    issue = factories.issue(county.session, plant, "跨部门管线迁改", category=category)
    return factories.warning(
        county.session,
        plant,
        f"issue-{issue.id}",
        rule_id="issue_unresolved",
        level="issue",
        evidence={"summary": "管线迁改未协调", "issue_id": issue.id},
        raised_at=bj(2026, 3, 2, 9),
    )


def test_LP16_2_the_notice_proposes_the_county_government_for_the_issue_its_warning_names(office):
    warning = issue_warning(office, "coordination")

    proposal = notices.proposed_form(office.session, PROFILE, [warning])

    assert proposal["routing"] == proposal["routing_proposed"] == "county_government"
    assert proposal["lead_unit_code"] == proposal["routing_unit_proposed"] == "XFB"
    assert proposal["routing_clause"] == "LP16-2"
    assert "建设协调" in proposal["routing_why"]


def notice_form(**changes: object) -> dict[str, object]:
    return {**form("issue_notice", drop=("phase_unit_codes",)), **changes}


def test_LP14_LP16_an_override_needs_its_reason_naming_the_field(office):
    warning = issue_warning(office, "coordination")  # proposed: 县政府协调 by 县府办
    chosen = notice_form(routing="town", lead_unit_code="T01")
    now = office.at(bj(2026, 3, 3, 9))

    with pytest.raises(ValidationError) as refused:
        notices.issue_notice(
            office.session, office.people["zdb"], [warning.id], chosen, PROFILE, now
        )

    assert [e.field for e in refused.value.errors] == ["routing_reason"]
    assert "须写明理由" in str(refused.value)


def test_LP14_LP16_the_proposal_choice_and_reason_are_recorded_and_shown_on_the_notice(office):
    warning = issue_warning(office, "coordination")
    chosen = notice_form(routing="town", lead_unit_code="T01", routing_reason="城关镇可自行协调")
    now = office.at(bj(2026, 3, 3, 9))

    case = notices.issue_notice(
        office.session, office.people["zdb"], [warning.id], chosen, PROFILE, now
    )
    office.session.commit()

    event = office.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "completed")
    ).one()
    recorded = event.data["input"]["issue_notice"]
    assert (recorded["routing"], recorded["lead_unit_code"]) == ("town", "T01")
    assert (recorded["routing_proposed"], recorded["routing_unit_proposed"]) == (
        "county_government",
        "XFB",
    )
    assert (recorded["routing_clause"], recorded["routing_reason"]) == (
        "LP16-2",
        "城关镇可自行协调",
    )
    timeline = case_timeline(
        office.session, case.id, {"issue_notice": TaskInfo("发出预警催办通知", "issue_notice")}
    )
    details = dict(next(e for e in timeline.entries if e.kind == "completed").details)
    assert details["建议协调层级"] == "县政府协调"  # the system's record, in words
    assert details["改变协调层级的理由"] == "城关镇可自行协调"
    notice = timeline.notice
    assert notice is not None
    assert notice.routing["routing_label"] == "乡镇协调"
    assert notice.routing["routing_proposed_label"] == "县政府协调"
    assert notice.routing["routing_reason"] == "城关镇可自行协调"


def test_LP14_1_the_proposal_taken_as_it_is_needs_no_reason(office):
    plant = office.projects["plant"]
    warning = factories.warning(office.session, plant, "2026-02", raised_at=bj(2026, 3, 2, 9))
    chosen = notice_form(routing="town", lead_unit_code="T01", routing_reason="")

    case = notices.issue_notice(
        office.session,
        office.people["zdb"],
        [warning.id],
        chosen,
        PROFILE,
        office.at(bj(2026, 3, 3, 9)),
    )

    event = office.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "completed")
    ).one()
    recorded = event.data["input"]["issue_notice"]
    assert (recorded["routing_proposed"], recorded["routing_clause"]) == ("town", "LP14-1")
    assert "routing_reason" not in recorded
