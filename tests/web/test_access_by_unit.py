"""Access by unit over the whole URL map: a user of unit A gets 403 or 404 for unit B's project,
report, issue, case, task and notification on every page and API route that takes an id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from keyproj.codes import AttachmentOwner
from keyproj.db.models import (
    AgendaSubmission,
    ApiToken,
    IndustryChain,
    InterviewCommitment,
    Meeting,
    MeetingInvite,
    Notification,
    ServicePledge,
    UrgentIssueReport,
    User,
)
from keyproj.policy import load_profile
from keyproj.services.attachments.files import attach
from keyproj.services.notifications import inbox as notifications
from keyproj.services.org import tokens
from keyproj.services.projects import plans
from keyproj.services.spot_checks.checks import CheckData, record_check
from tests.builders import attachments, factories
from tests.builders.awards import stored_evaluation
from tests.builders.bulletins import stored_bulletin
from tests.builders.clock import bj
from tests.builders.decisions import record, row
from tests.builders.half_year import stored_half_year
from tests.builders.interviews import stored_interview
from tests.builders.meetings import stored_absence, stored_slow_report
from tests.builders.rankings import stored_letter
from tests.builders.web import bearer, casework_county, login

IGNORED_METHODS = {"HEAD", "OPTIONS"}
# The AL7 same-day start report, the DC1 site sign and the HD6 notice of interview: 404 where
# the profile has none.
OFF_IN_LIANPING = {
    "reports.start",
    "registries.site_sign",
    "registries.site_sign_docx",
    "interviews.notice_docx",
}
# Observation tours (DC4, GS2) and joint inspections (GS5): none in Lianping's profile, so every
# one of their routes is refused here (403 or 404); tests/web/test_tour_pages.py checks their scope.
NO_TOURS = {"tours.", "inspections.", "api.tour", "api.inspection_record", "api.inspection_report"}
# Industry chains (DC5) are Dancheng's only: under Lianping a chain's pages and API are not
# found; tests/web/test_sitework_pages.py and test_api_sitework.py check their scope.
NO_TOURS |= {"chains.", "api.chain"}
# Dispatch meetings (DC3 and the others'): Lianping's profile holds none, so 404 for all.
OFF_IN_LIANPING |= {"meetings.show", "meetings.docx", "api.meeting"}
# The whole report of the slow projects (AL3) is the offices' and leaders' document: a unit
# reads its own projects on the page (tests/web/test_meeting_report_pages.py).
OFFICE_DOCUMENTS = {"meeting_reports.slow_docx"}
# The regulation's clause texts (the 依据 links): the same for every signed-in user, no unit's.
EVERY_USERS = {"clauses.detail"}
# A stored ranking (HD5, GS2): every unit's rank is the county's to see (projects stay scoped).
EVERY_USERS |= {"rankings.run"}
# An issued bulletin is sent to every town and county department (LP19); the page names only
# the viewer's own projects, the archived document is the one sent.
EVERY_USERS |= {"bulletins.bulletin", "bulletins.docx"}
# The year-end evaluation (GS8, AL13–14, DC6) is the county's; a unit reads its own items in it
# (tests/web/test_award_pages.py checks what a town sees).
EVERY_USERS |= {"awards.evaluation", "awards.export", "awards.bulletin"}
# Another unit's service pledge is what a town or project owner scores (GS8): the form is
# meant for every unit but the pledge's own (tests/services/awards checks who may score).
SCORED_BY_OTHERS = {"pledges.score"}
# A week of site visits (GS3, DC2) is a list, not an object: each viewer reads the weeks of the
# projects in their scope (tests/services/visits checks what a unit sees).
EVERY_USERS |= {"visits.week"}
# The half-year evaluation (GS2) is the county's, as a stored ranking: every unit's scores for
# all, the projects' figures of the viewer's own unit (tests/web/test_half_year_pages.py).
EVERY_USERS |= {"half_year.evaluation", "half_year.export"}
EVERY_TOKEN = {"api.half_year_evaluation"}  # the same through the API, without project figures


@dataclass
class Objects:
    """Unit B's (石桥镇) objects, by the URL argument that names them."""

    ids: dict[str, int | str]


@pytest.fixture
def world(session, tmp_path) -> Objects:
    """Unit A is 城关镇 (user "town"); unit B is 石桥镇 (user "other"), which owns every object."""
    county = casework_county(session)
    case = county.open_case(county.bridge, bj(2026, 3, 2, 9))
    county.notify(case, bj(2026, 3, 2, 10), lead="T02")
    task = county.task("respond", case)
    report = factories.report(session, county.bridge, "2026-02")
    issue = factories.issue(session, county.bridge, "征地补偿未到位")
    # In the store of the app's instance folder (the app fixture's is tmp_path).
    attachment = attach(
        session,
        attachments.folder_store(tmp_path),
        county.people["other"],
        (AttachmentOwner.ISSUE, issue.id),
        ("补偿协议.pdf", attachments.PDF),
        max_mb=20,
        now=bj(2026, 3, 2, 10),
    )
    duty = UrgentIssueReport(
        issue_id=issue.id, created_at=bj(2026, 3, 2, 10), due_at=bj(2026, 3, 5)
    )
    session.add(duty)
    session.flush()
    county.plan(county.bridge, 2026, [("2026-03", "100", "10")])
    version = plans.current_version(session, county.bridge.id, 2026)
    assert version is not None
    other = county.users["other"]
    notifications.notify(
        session,
        [(other.id, "test:1", notifications.Message("task_ready", "新任务", "请办理", None))],
        bj(2026, 3, 2, 11),
    )
    tokens.issue_token(session, other, "石桥镇的接口", bj(2026, 3, 2, 11))
    session.commit()
    note = session.scalars(select(Notification).where(Notification.user_id == other.id)).first()
    assert note is not None
    token = session.scalars(select(ApiToken).where(ApiToken.user_id == other.id)).first()
    assert token is not None
    run_id, letter_id = stored_letter(session, "lianping", "T02", bj(2026, 4, 8, 10))
    bulletin_id = stored_bulletin(session, bj(2026, 4, 10, 9))
    [item] = record(county, bj(2026, 4, 10, 9), row(owner_unit_code="T02"))  # 石桥镇's item
    meeting_id, submission_id = _meeting(session, county.bridge.id, other.id)
    slow_report_id = stored_slow_report(session, meeting_id, county.bridge, bj(2026, 4, 10, 9))
    proposal_id = stored_absence(session, meeting_id, other.unit_id, bj(2026, 4, 10, 9))
    interview_id = stored_interview(session, "T02", bj(2026, 4, 10, 9))  # 石桥镇's (HD6)
    evaluation_id = stored_evaluation(session, "T02", bj(2026, 4, 10, 9))  # 石桥镇's prize
    half_year_id = stored_half_year(session, bj(2026, 7, 1, 6))  # GS2, the county's
    pledge = ServicePledge(
        unit_id=other.unit_id,
        year=2026,
        items=["按时办结施工许可"],
        outcome="pending",
        entered_at=bj(2026, 4, 10, 9),
    )
    session.add(pledge)
    check = record_check(  # a spot check of 石桥镇's bridge (LP10), with its photos' page
        session,
        load_profile("lianping"),
        county.people["zdb"],
        CheckData(county.bridge.id, date(2026, 4, 9), "张三", "便道未硬化"),
        bj(2026, 4, 10, 9),
    )
    chain = IndustryChain(name="桥梁建材产业链", updated_at=bj(2026, 4, 10, 9))  # DC5
    session.add(chain)
    session.flush()
    county.bridge.chain_id = chain.id  # 石桥镇's bridge is the chain's only project
    session.flush()
    session.commit()
    return Objects(
        {
            "run_id": run_id,
            "letter_id": letter_id,  # 石桥镇's 提醒函 (HD5)
            "bulletin_id": bulletin_id,  # March's bulletin (LP19), every unit's to read
            "item_id": item.id,  # a decided item 石桥镇 owns
            "project_id": county.bridge.id,
            "report_id": report.id,
            "issue_id": issue.id,
            "case_id": case.id,
            "task_id": task.id,
            "notification_id": note.id,
            "attachment_id": attachment.id,
            "urgent_id": duty.id,  # the key office's LP9 report: refused to a liaison (403)
            "user_id": other.id,  # the administrators' pages: refused to a liaison (403)
            "unit_id": other.unit_id,
            "token_id": token.id,
            "version_id": version.id,
            "meeting_id": meeting_id,  # a meeting 石桥镇 was asked to (DC3)
            "submission_id": submission_id,  # 石桥镇's agenda item for its bridge
            "slow_report_id": slow_report_id,  # a sent AL3 report listing 石桥镇's bridge
            "proposal_id": proposal_id,  # a 通报批评 proposed for 石桥镇's absence (DC7)
            "interview_id": interview_id,
            "commitment_id": session.scalars(
                select(InterviewCommitment.id).where(
                    InterviewCommitment.interview_id == interview_id
                )
            ).one(),  # the interview's open commitment
            "evaluation_id": evaluation_id,
            "half_year_id": half_year_id,
            "pledge_id": pledge.id,  # 石桥镇's service pledge (GS8)
            "tour_id": 1,  # NO_TOURS: answered 404 whatever the id
            "group_id": 1,
            "record_id": 1,
            "chain_id": chain.id,  # a chain whose only project is 石桥镇's (DC5)
            "plan_id": 1,  # a spot-check plan (LP10): the key office's to change, POST only
            "check_id": check.id,
            "week": "2026-W11",  # a week of site visits (GS3, DC2)
            "code": "LP13",
            "key": "warning_case",  # the modeler (X3): administrators only
            "version": 1,
            "number": 1,  # a version of it (the versions pages)
        }
    )


def _meeting(session, project_id: int, user_id: int) -> tuple[int, int]:
    """A meeting 石桥镇 is asked to, and its agenda item awaiting the leader's approval."""
    unit_id = session.get(User, user_id).unit_id
    meeting = Meeting(
        series="dispatch",
        nominal_on=date(2026, 4, 6),
        held_on=date(2026, 4, 7),
        starts_at=time(9),
        chair="县政府常务副县长",
        state="collecting",
        created_at=bj(2026, 3, 20, 9),
        invites=[MeetingInvite(unit_id=unit_id)],
    )
    session.add(meeting)
    session.flush()
    item = AgendaSubmission(
        meeting_id=meeting.id,
        unit_id=unit_id,
        project_id=project_id,
        progress="桥墩施工",
        state="submitted",
        submitted_by_id=user_id,
        submitted_at=bj(2026, 3, 30, 9),
    )
    session.add(item)
    session.flush()
    return meeting.id, item.id


def _routes(app: Flask) -> list[tuple[str, Rule, str]]:
    """(method, URL rule, endpoint) for every route that takes an id."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - IGNORED_METHODS):
            found.append((method, rule, rule.endpoint))
    return found


def _admin_only(endpoint: str) -> bool:
    """The administration pages, the modeler and the diagrams' versions, the auditors' pages of
    a case (X4) and the key office's chain form (DC5): refused to every other role, the objects'
    owners included."""
    return endpoint == "chains.edit" or endpoint.startswith(
        ("admin.", "diagram_editor.", "diagrams.", "history.")
    )


def _ids(rule: Rule, world: Objects) -> dict[str, int | str]:
    unknown = set(rule.arguments) - set(world.ids)
    assert not unknown, f"{rule.rule}: no test object for {unknown}"
    return {a: world.ids[a] for a in rule.arguments}


def test_every_id_route_refuses_another_units_objects(app, client, session, world):
    users = {u.username: u for u in session.scalars(select(User))}
    outsider_token = bearer(session, users["town"])
    owner_token = bearer(session, users["other"])
    owner = app.test_client()
    login(client, "town")
    login(owner, "other")
    with app.test_request_context():  # URLs only: requests must not share this context's g
        urls = [
            (method, app.url_for(endpoint, **_ids(rule, world)), endpoint)
            for method, rule, endpoint in _routes(app)
        ]
    checked = []
    for method, url, endpoint in urls:
        if endpoint in SCORED_BY_OTHERS:
            continue
        if endpoint.startswith(tuple(NO_TOURS)):
            headers = outsider_token if url.startswith("/api/") else {}
            assert client.open(url, method=method, headers=headers).status_code in (403, 404), url
            continue
        if endpoint in EVERY_TOKEN:
            assert client.open(url, method=method, headers=outsider_token).status_code == 200
            assert client.open(url, method=method).status_code == 401  # a token only
            continue
        if endpoint in EVERY_USERS:
            assert client.open(url, method=method).status_code == 200, url
            assert app.test_client().open(url, method=method).status_code == 302  # signed in only
            continue
        api = url.startswith("/api/")
        headers = outsider_token if api else {}
        body: dict[str, dict[str, str]] = {"json": {}} if api else {"data": {}}
        answer = client.open(url, method=method, headers=headers, **body)
        assert answer.status_code in (403, 404), f"{method} {url}: {answer.status_code}"
        owners = endpoint not in OFF_IN_LIANPING and endpoint not in OFFICE_DOCUMENTS
        if method == "GET" and owners and not _admin_only(endpoint):
            # The object exists and its owner may see it: the refusal above is about scope.
            seen = owner.open(url, headers=owner_token if api else {})
            assert seen.status_code == 200, f"owner GET {url}: {seen.status_code}"
        checked.append(endpoint)
    assert {"projects.detail", "reports.detail", "cases.detail", "inbox.task"} <= set(checked)
    assert {"api.project", "api.case", "api.complete_task"} <= set(checked)
    assert {"meeting_reports.slow", "meeting_reports.decide", "api.slow_report"} <= set(checked)
    assert {"api.draft_plan", "api.submit_plan", "api.approve_plan", "api.return_plan"} <= set(
        checked
    )


def test_a_refused_notification_stays_unread_for_its_owner(app, client, session, world):
    login(client, "town")
    client.post(f"/notifications/{world.ids['notification_id']}/read")
    other = session.scalars(select(User).where(User.username == "other")).one()
    assert notifications.unread_count(session, other.id) == 1
