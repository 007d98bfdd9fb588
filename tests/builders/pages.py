"""A county with something on every page, and every page of the URL map with its arguments, for
tests that walk the whole site (what the pages say, to whom)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import AttachmentOwner
from keyproj.db.models import (
    ApiToken,
    InspectionRecord,
    Meeting,
    Notification,
    Project,
    UrgentIssueReport,
)
from keyproj.policy import load_profile
from keyproj.rules.base import evidence
from keyproj.services.attachments.files import attach
from keyproj.services.notifications import inbox as notifications
from keyproj.services.org import tokens
from keyproj.services.projects import plans
from keyproj.services.scan.run import run_scan
from tests.builders import attachments, factories, registries
from tests.builders.awards import stored_evaluation
from tests.builders.bulletins import stored_bulletin
from tests.builders.clock import FrozenClock, beijing, bj
from tests.builders.county import County
from tests.builders.forms import form
from tests.builders.half_year import stored_half_year
from tests.builders.interviews import stored_interview
from tests.builders.meetings import stored_slow_report
from tests.builders.rankings import stored_letter
from tests.builders.sitework import stored_sitework
from tests.builders.tours import stored_tour_and_group

TODAY = date(2026, 3, 20)  # February's reports were due on 25 February; March's are not yet
# Who walks the site, one account per role; the first who may see a page is the one who reads it.
READERS = ("zdb", "town", "town-head", "xfb", "dcs", "admin2", "wangqiang", "fgj", "shenji")
# What browsers and the test client never render as a page: downloads, diagrams, the API.
NOT_PAGES = ("api.", "static")
# Pages that need a query to show anything: one unit's liaison history.
QUERIES: dict[str, dict[str, str]] = {
    "registries.liaison_history": {"unit": "T01"},
    "diagrams.diff": {"a": "1", "b": "1"},  # X3: a version against itself
    "diagrams.preview": {"source": "1", "target": "1"},
}


@dataclass
class PageWorld:
    """The county and the ids that fill the URL map's arguments."""

    county: County
    args: dict[str, Any]


def page_world(session: Session, clock: FrozenClock, instance: Path) -> PageWorld:
    """城关镇's projects with a plan, reports, issues, scanned warnings and their cases, a case
    under way, an urgent issue, a file, a notification and an API token; committed at 20 March
    2026 10:00 (Beijing), where the clock is left."""
    county = County(session, clock).with_people(
        "zdb", "town", "town-head", "other", "dept", "xfb", "dcs", "admin2"
    )
    county.with_projects("road", "bridge")
    lagging = county.project("城关镇老旧小区改造项目（一期）")
    county.plan(lagging, 2026, [("2026-01", "1000", "10"), ("2026-02", "1000", "20")])
    county.report(lagging, "monthly", "2026-01", "700", "7")
    report = county.report(lagging, "monthly", "2026-02", "1400", "14")
    county.report(county.road, "monthly", "2026-03", "100", "1", status="draft")
    issue = county.issue(lagging, "剩余12户房屋征收补偿协议未签订", date(2026, 1, 5))
    registries.leader_with_account(session, "王强", "wangqiang", lagging, county.road)
    registries.drb_reviewer(session)
    factories.user(session, "shenji", "ZDB", "auditor")
    session.commit()
    run_scan(session, load_profile("lianping"), TODAY, county.at(beijing(TODAY, 8)))
    session.commit()
    _other_sources(session, lagging, county.road)
    case = county.open_case(county.road, county.at(bj(2026, 3, 16, 9)))
    county.notify(case, county.at(bj(2026, 3, 16, 10)))
    county.complete("town", case, "respond", form("respond"), county.at(bj(2026, 3, 17, 10)))
    task = county.task("report_outcome", case)
    args = _records(session, county, lagging.id, issue.id, instance)
    args.update(project_id=lagging.id, report_id=report.id, case_id=case.id, task_id=task.id)
    args.update(stored_sitework(session, county, lagging.id, "王强"))  # LP10, GS3, DC5
    county.at(beijing(TODAY, 10))
    return PageWorld(county, args)


def _other_sources(session: Session, lagging: Project, road: Project) -> None:
    """A warning from the key office's supervision, handled by the supervision office, and one
    fed back by the city's system, lifted: their evidence and statuses as pages show them."""
    factories.warning(
        session,
        lagging,
        "2026-03-18-1",
        rule_id="supervision_progress",
        source="supervision",
        status="supervised",
        raised_at=bj(2026, 3, 18, 9),
        evidence=evidence(
            "现场督查发现施工人员不足，进度明显滞后。",
            ("LP12",),
            "重点办日常督查发现（LP12）",
            raised_by="张三",
        ),
    )
    factories.warning(
        session,
        road,
        "2026-02",
        rule_id="feedback_city_issue",
        level="issue",
        colour="yellow",
        source="feedback",
        status="closed",
        raised_at=bj(2026, 3, 10, 9),
        evidence=evidence(
            "市系统反馈：项目二月未报进度。",
            ("LP12",),
            "市重点项目信息管理系统预警反馈（LP12）",
            origin="市",
            reference="SZ-2026-031",
            raised_on=date(2026, 3, 9),
            row=2,
        ),
    )
    session.commit()


def _records(
    session: Session, county: County, project_id: int, issue_id: int, instance: Path
) -> dict[str, Any]:
    """The file, the urgent issue, the plan version, the notification and the token."""
    now = bj(2026, 3, 18, 10)
    town = county.users["town"]
    attachment = attach(
        session,
        attachments.folder_store(instance),
        county.people["town"],
        (AttachmentOwner.ISSUE, issue_id),
        ("补偿协议.pdf", attachments.PDF),
        max_mb=20,
        now=now,
    )
    duty = UrgentIssueReport(issue_id=issue_id, created_at=now, due_at=bj(2026, 3, 25))
    session.add(duty)
    version = plans.current_version(session, project_id, 2026)
    assert version is not None
    notifications.notify(
        session,
        [
            (
                town.id,
                "pages:1",
                notifications.Message(
                    "task_ready", "新任务：县政府协调处置（LP16）", "请办理", None
                ),
            )
        ],
        now,
    )
    tokens.issue_token(session, town, "城关镇的接口", now)
    run_id, letter_id = stored_letter(session, "lianping", "T01", now)  # HD5: 城关镇's letter
    bulletin_id = stored_bulletin(session, now)  # LP19
    evaluation_id = stored_evaluation(session, "T01", now)  # GS8: 城关镇's prize
    interview_id = stored_interview(session, "T01", now)  # HD6: 城关镇's interview
    half_year_id = stored_half_year(session, now)  # GS2: the county's half-year evaluation
    meeting = Meeting(  # DC3: a Dancheng meeting; Lianping's profile has none (404)
        series="dispatch",
        nominal_on=date(2026, 4, 6),
        held_on=date(2026, 4, 7),
        starts_at=time(9),
        chair="县政府常务副县长",
        state="planned",
        created_at=now,
    )
    session.add(meeting)
    session.flush()
    lagging = session.get_one(Project, project_id)
    tour_id, group_id = stored_tour_and_group(session, lagging, now)  # GS2, GS5
    slow_report_id = stored_slow_report(session, meeting.id, lagging, now)  # AL3
    session.commit()
    note = session.scalars(select(Notification).where(Notification.user_id == town.id)).first()
    token = session.scalars(select(ApiToken).where(ApiToken.user_id == town.id)).first()
    assert note is not None
    assert token is not None
    return {
        "issue_id": issue_id,
        "attachment_id": attachment.id,
        "urgent_id": duty.id,
        "run_id": run_id,
        "letter_id": letter_id,
        "bulletin_id": bulletin_id,
        "evaluation_id": evaluation_id,
        "half_year_id": half_year_id,
        "interview_id": interview_id,
        "meeting_id": meeting.id,
        "slow_report_id": slow_report_id,
        "tour_id": tour_id,
        "group_id": group_id,
        "record_id": session.scalars(select(InspectionRecord.id)).one(),  # group 1's finding
        "notification_id": note.id,
        "user_id": town.id,
        "unit_id": town.unit_id,
        "token_id": token.id,
        "version_id": version.id,
        "year": 2026,
        "code": "LP13",
        "key": "warning_case",  # X3: the core diagram's versions
        "number": 1,
        "version": 1,
    }


def page_urls(app: Flask, args: dict[str, Any]) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET route that is a page, its arguments filled from ``args``;
    a route whose argument ``args`` lacks fails here, so no new page escapes."""
    urls = []
    with app.test_request_context():  # URLs only: requests must not share this context's g
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in (rule.methods or ()) or rule.endpoint.startswith(NOT_PAGES):
                continue
            missing = set(rule.arguments) - set(args)
            assert not missing, f"{rule.rule}: no test value for {sorted(missing)}"
            values = {a: args[a] for a in rule.arguments} | QUERIES.get(rule.endpoint, {})
            urls.append((rule.endpoint, app.url_for(rule.endpoint, **values)))
    return urls


class _VisibleText(HTMLParser):
    """The text a reader sees: no tags, no attributes, no scripts or styles."""

    HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The visible text of a page, its pieces joined by newlines."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(p.strip() for p in parser.parts if p.strip())


class _Table(HTMLParser):
    """The rows of the first table whose start tag holds ``marker`` (nested tables' text stays
    in the cell that holds them), each row as its cells' visible text."""

    def __init__(self, marker: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marker, self.depth = marker, 0
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "table" and (self.depth or self.marker in (self.get_starttag_text() or "")):
            self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self.row = []
        elif self.depth == 1 and tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if self.done or not self.depth:
            return
        if tag == "table":
            self.depth -= 1
            self.done = self.depth == 0
        elif self.depth == 1 and tag in ("td", "th") and self.cell is not None:
            assert self.row is not None
            self.row.append(" ".join(" ".join(self.cell).split()))
            self.cell = None
        elif self.depth == 1 and tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, marker: str) -> list[list[str]]:
    """The body and header rows of the table whose start tag holds ``marker`` (e.g.
    ``id="colour-projects"``), each as its cells' visible text, spaces squeezed."""
    parser = _Table(marker)
    parser.feed(html)
    parser.close()
    assert parser.done, f"no table with {marker}"
    return parser.rows
