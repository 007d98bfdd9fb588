"""Each role's home page in a real browser (issue 15): after sign-in the counts shown are the
services' counts, and each one links to a page.

Drives Debian's Chromium through Playwright against the app served on a free port over SQLite.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import now_utc
from keyproj.db.models import User
from keyproj.db.session import make_engine
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.home.common import ColourCounts
from keyproj.services.home.page import HomePage, home_page
from tests.builders import factories
from tests.builders.browser import (
    chromium_page,
    cover_the_coming_weeks,
    expect,
    require_chromium,
    script_errors,
    sign_in,
)
from tests.builders.forms import form
from tests.builders.registries import leader_with_account
from tests.builders.web import casework_county, make_app, served

pytestmark = pytest.mark.slow
PROFILE = load_profile("lianping")


@dataclass
class Served:
    """The app's address and its database, to ask the services what the page should show."""

    url: str
    path: Path


@pytest.fixture(scope="module")
def county_app(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A county with a case of every stage the homes count, served once for every role."""
    require_chromium()
    folder = tmp_path_factory.mktemp("home")
    path = folder / "keyproj.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine, expire_on_commit=False) as session:
        _build(session)
    engine.dispose()
    app = make_app(f"sqlite:///{path}", folder, csrf=True)
    try:
        with served(app) as url:
            yield Served(url, path)
    finally:
        app.extensions["keyproj"].engine.dispose()


def _build(session: Session) -> None:
    """Cases at the notice, the response, the county government and supervision (after an
    on-site meeting); a queued warning; a report waiting for the head's signature; a leader
    of the road project."""
    cover_the_coming_weeks(session)  # deadlines may fall in next year
    county = casework_county(session).with_people("town-head", "xfb", "dcs", "admin")
    factories.user(session, "sj", "ZDB", "auditor")
    leader_with_account(session, "王强", "wangqiang", county.road)
    now = now_utc()
    county.notify(county.open_case(county.road, now), now)
    county.open_case(county.bridge, now, colour="yellow")
    escalated = county.open_case(county.road, now, level="issue")
    county.notify(escalated, now)
    county.complete("town", escalated, "respond", form("respond"), now)
    county.complete(
        "town", escalated, "report_outcome", form("report_outcome", result="partly"), now
    )
    county.complete("zdb", escalated, "evaluate", form("evaluate", decision="escalate"), now)
    # LP16: the county government hands this one to the supervision office (LP20).
    county.complete("xfb", escalated, "county_gov_assign", form("county_gov_assign"), now)
    handed = form("county_gov_handle", decision="supervision")
    county.complete("xfb", escalated, "county_gov_handle", handed, now)
    met = county.open_case(county.road, now, level="urging")  # an on-site meeting held (LP16)
    county.notify(met, now)
    county.complete("town", met, "respond", form("respond"), now)
    county.complete("town", met, "report_outcome", form("report_outcome", result="partly"), now)
    county.complete("zdb", met, "evaluate", form("evaluate", decision="escalate"), now)
    county.complete("xfb", met, "county_gov_assign", form("county_gov_assign"), now)
    county.complete("xfb", met, "county_gov_handle", form("county_gov_handle", complete=True), now)
    factories.warning(session, county.bridge, "2025-12", colour="blue")
    county.report(county.road, "monthly", "2026-01", status="pending_sign_off")
    session.commit()


def _colours(prefix: str, counts: ColourCounts) -> dict[str, int]:
    shown = {f"{prefix}-{colour.value}": n for colour, n in counts.by_colour.items()}
    return shown | {f"{prefix}-none": counts.no_warning}


def expected(home: HomePage) -> dict[str, Any]:
    """The counts each section shows, by the names the page gives them."""
    found: dict[str, Any] = {}
    if (k := home.key_office) is not None:
        found |= {
            "triage": k.triage,
            "notice-tasks": k.notices.tasks,
            "notice-tasks-overdue": k.notices.tasks_overdue,
            "queued-overdue": k.notices.queued_overdue,
            "queued-due-today": k.notices.queued_due_today,
        }
        found |= {f"stage-{s.name}": s.count for s in k.stages}
    if (u := home.unit) is not None:
        found |= {
            "my-tasks": u.tasks_open,
            "my-tasks-overdue": u.tasks_overdue,
            "reports-due": u.reports_due,
            "unit-warnings": u.open_warnings,
        } | _colours("unit-colour", u.colours)
    if home.unit_head is not None:
        found["sign-off"] = home.unit_head.waiting
    if (lead := home.leader) is not None:
        found |= {"leader-projects": lead.colours.total, "leader-cases": lead.open_cases}
        found |= {"leader-awaiting": lead.awaiting_count, "leader-unanswered": lead.unanswered}
        found |= _colours("leader-colour", lead.colours)
    if (g := home.county_gov) is not None:
        found |= {
            "escalated": g.escalated,
            "follow-ups": len(g.follow_ups),
            "follow-ups-overdue": g.follow_ups_overdue,
        }
    if (s := home.supervision) is not None:
        found |= {"supervision-file": s.to_file, "supervision-result": s.to_conclude}
    if (a := home.auditor) is not None:
        found |= {"audit-cases": a.cases, "audit-broken": a.broken}
    if (m := home.admin) is not None:
        found |= {
            "admin-users": m.users,
            "admin-locked": m.locked_users,
            "admin-units": m.units,
            "admin-calendar": len(m.calendar_years),
        }
    return {name: "—" if n is None else str(n) for name, n in found.items()}


def service_home(served_app: Served, username: str) -> HomePage:
    engine = make_engine(f"sqlite:///{served_app.path}")
    try:
        with Session(engine) as session:
            user = session.scalar(select(User).where(User.username == username))
            assert user is not None
            return home_page(session, viewer_for(session, user), PROFILE, now_utc())
    finally:
        engine.dispose()


@pytest.fixture
def page(county_app: Served, browser: Any) -> Iterator[Any]:
    """A page of the module's Chromium (Debian's browser, never one downloaded by Playwright)."""
    with chromium_page(browser) as opened:
        yield opened


# Each role, and a count its section must show as not zero (so the check cannot pass empty).
ROLES = [
    ("zdb", "triage", "1"),
    ("town", "my-tasks", "1"),
    ("town-head", "sign-off", "1"),
    ("wangqiang", "leader-cases", "3"),
    ("xfb", "follow-ups", "1"),
    ("dcs", "supervision-file", "1"),
    ("sj", "audit-cases", "4"),
    ("admin", "admin-units", None),
]


@pytest.mark.parametrize(("username", "name", "value"), ROLES)
def test_after_sign_in_the_home_shows_the_roles_counts_from_the_services(
    page, county_app, username, name, value
):
    problems = script_errors(page)
    sign_in(page, county_app.url, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("首页")
    links = page.locator("[data-count]")
    shown = {link.get_attribute("data-count"): link.inner_text().strip() for link in links.all()}
    wanted = expected(service_home(county_app, username))
    assert wanted, f"{username} has no section"
    assert shown == wanted
    if value is not None:
        assert shown[name] == value
    targets = {link.get_attribute("data-count"): link.get_attribute("href") for link in links.all()}
    assert all(targets.values())
    # A count of open tasks opens their list, which holds as many.
    for count_name, href in targets.items():
        if href.startswith("/waiting"):
            page.goto(f"{county_app.url}{href}")
            expect(page.locator(".count")).to_contain_text(f"共 {shown[count_name]} 项")
    assert problems == []
