"""Diagram versions through the services (X3), on SQLite and PostgreSQL: deploy, list, diff,
retire, and running cases migrated after a preview, each move in the case's log and replayed.

Cases are opened on Mon 28 Sep 2026 and notified at 10:00; National Day (1–7 Oct) is off and
Sat 10 Oct is worked: a response in 3 working days is due Thu 8 Oct, in 5 on Sat 10 Oct.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from keyproj.codes import DefinitionStatus
from keyproj.db.models import Case, CaseEvent, DiagramChange
from keyproj.errors import Conflict, DiagramRefused, PermissionDenied
from keyproj.services.cases import migration_events, repository
from keyproj.services.cases.audit import case_records
from keyproj.services.cases.definitions import latest
from keyproj.services.cases.views.history import case_history
from keyproj.services.diagrams import migration, versions
from keyproj.services.diagrams.diff import diff_versions
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.diagrams import core, response_in, without_county_gov_assign
from tests.builders.forms import form

KEY = "warning_case"
OPENED, NOTIFIED = bj(2026, 9, 28, 9), bj(2026, 9, 28, 10)
THREE_DAYS, FIVE_DAYS = bj(2026, 10, 8, 23, 59, 59), bj(2026, 10, 10, 23, 59, 59)


@pytest.fixture
def county(county: County) -> County:
    """The plant project, its people and an administrator; committed."""
    county.with_projects("plant").with_people("zdb", "town", "dept", "xfb", "dcs", "admin")
    return county.committed()


def notified(county: County, **changes):
    """A case of the plant project whose notice is out (to its lead unit, or as ``changes`` say)."""
    case = county.open_case(county.projects["plant"], county.at(OPENED))
    county.notify(case, county.at(NOTIFIED), **changes)
    return case


def notice_date(county: County, case: Case) -> str:
    """When the case's notice was issued, as its stored state holds it."""
    opened = repository.open_case(county.session, case.id, county.at(bj(2026, 9, 30, 10)))
    assert opened is not None
    county.session.rollback()  # read only: the lock goes
    return str(opened.instance.data["notice_issued_at"])


def deployed(county: County, xml: str, note: str = "响应期限改为5个工作日"):
    definition = versions.deploy_version(
        county.session, county.people["admin"], KEY, xml, note, county.at(bj(2026, 9, 29, 9))
    )
    county.session.commit()
    return definition


def test_x3_lp17_new_cases_get_the_new_response_days_running_cases_keep_theirs(county):
    running = notified(county)
    v1 = running.definition.version
    v2 = deployed(county, response_in(5))
    assert v2.version == v1 + 1
    fresh = notified(county)
    assert fresh.definition_id == v2.id
    assert county.task("respond", fresh).due_at == FIVE_DAYS
    assert county.task("respond", running).due_at == THREE_DAYS
    rows = versions.list_versions(county.session, county.people["admin"], KEY)
    assert [(r.version, r.status, r.running_cases) for r in rows[:2]] == [
        (v2.version, "active", 1),
        (v1, "active", 1),
    ]
    assert rows[0].deployed_by == county.users["admin"].display_name
    assert rows[0].note == "响应期限改为5个工作日"
    [change] = versions.changes(county.session, county.people["admin"], KEY)
    assert (change.kind_label, change.version, change.actor) == (
        "部署新版本",
        v2.version,
        county.users["admin"].display_name,
    )


def test_x3_preview_shows_the_deadline_change_and_the_refusal_of_a_removed_waiting_node(county):
    handled = notified(county)
    routed = notified(county, routing="county_government")
    v1 = handled.definition.version
    v2 = deployed(county, response_in(5))
    v3 = deployed(county, without_county_gov_assign(response_in(5)), "县府办不再单独交办")
    admin = county.people["admin"]
    to_v2 = migration.preview(county.session, admin, KEY, v1, v2.version)
    assert [c.movable for c in to_v2.cases] == [True, True]
    [first, second] = to_v2.cases
    [only] = first.deadlines  # the notice named the lead unit alone
    assert (only.key, only.before, only.after, only.anchor) == (
        "response_due",
        THREE_DAYS.isoformat(),
        FIVE_DAYS.isoformat(),
        "notice_issued_at",
    )
    assert second.deadlines == ()  # routed to the county government: no unit's part waits
    assert second.waiting == ("县府办提请分管领导协调（LP16）",)
    to_v3 = migration.preview(county.session, admin, KEY, v1, v3.version)
    assert [c.case_id for c in to_v3.cases if c.movable] == [handled.id]
    [refused] = [c for c in to_v3.cases if not c.movable]
    assert refused.case_id == routed.id
    assert refused.waiting == ("县府办提请分管领导协调（LP16）",)
    assert refused.blockers[0].element_id == "county_gov_assign"
    assert "删除" in refused.blockers[0].reason


def test_x3_migrated_cases_keep_their_notice_date_and_log_the_move_which_replays(county):
    moving = notified(county)
    staying = notified(county, routing="county_government")
    v1 = moving.definition.version
    v3 = deployed(county, without_county_gov_assign(response_in(5)))
    now = county.at(bj(2026, 9, 30, 9))
    result = migration.apply(
        county.session, county.people["admin"], KEY, v1, v3.version, [moving.id, staying.id], now
    )
    county.session.commit()
    assert result.moved == [moving.id]
    assert "县府办提请分管领导协调" in result.refused[staying.id]
    county.session.expire_all()
    assert county.session.get(Case, moving.id).definition_id == v3.id
    assert county.session.get(Case, staying.id).definition.version == v1
    # Recomputed from the notice of 28 Sep, not from the move on 30 Sep; the notice stays.
    assert county.task("respond", moving).due_at == FIVE_DAYS
    assert notice_date(county, moving) == NOTIFIED.isoformat()
    assert county.session.get(Case, moving.id).notice_number == moving.notice_number
    last = case_records(county.session, moving.id)[-1]
    moved = migration_events.read_migrated(last)
    assert (moved.from_version, moved.to_version) == (v1, v3.version)
    assert last.actor_id == county.users["admin"].id
    assert {d["after"] for d in moved.deadlines} == {FIVE_DAYS.isoformat()}
    county.assert_replays(county.session.get(Case, moving.id))
    county.assert_replays(county.session.get(Case, staying.id))
    # A response on 9 Oct, late under version 1, is on time under the new one (LP17).
    county.complete("town", moving, "respond", form("respond"), county.at(bj(2026, 10, 9, 9)))
    assert county.task("report_outcome", moving).name == "report_outcome"
    county.assert_replays(county.session.get(Case, moving.id))
    # The auditors' history replays the move too: every step reproduces its recorded state.
    history = case_history(county.session, county.people["admin"], moving.id)
    assert history.final_matches_stored
    assert all(step.logged_hash == step.rebuilt_hash for step in history.steps)
    [change] = [
        c for c in versions.changes(county.session, county.people["admin"]) if c.kind == "migrate"
    ]
    assert change.details == {"moved": [moving.id], "refused": [staying.id]}
    assert (change.version, change.target_version) == (v1, v3.version)


def test_x3_a_failure_half_way_leaves_every_case_as_it_was(county, monkeypatch):
    first, second = notified(county), notified(county)
    v1 = first.definition.version
    v2 = deployed(county, response_in(5))
    events_before = county.session.scalar(select(func.count()).select_from(CaseEvent))
    real_save = migration.repository.save
    saved: list[int] = []

    def failing_save(session, opened):
        if saved:
            raise RuntimeError("数据库连接中断")
        saved.append(opened.case.id)
        real_save(session, opened)

    monkeypatch.setattr(migration.repository, "save", failing_save)
    with pytest.raises(RuntimeError):
        migration.apply(
            county.session, county.people["admin"], KEY, v1, v2.version, [first.id, second.id],
            county.at(bj(2026, 9, 30, 9)),
        )  # fmt: skip
    county.session.rollback()
    assert saved == [first.id]  # the first had been written when the second failed
    county.session.expire_all()
    for case in (first, second):
        assert county.session.get(Case, case.id).definition.version == v1
        assert county.task("respond", case).due_at == THREE_DAYS
        county.assert_replays(county.session.get(Case, case.id))
    assert county.session.scalar(select(func.count()).select_from(CaseEvent)) == events_before
    assert county.session.scalar(select(func.count()).select_from(DiagramChange)) == 1  # deploy


def test_x3_a_retired_version_takes_no_new_cases_and_the_only_active_one_stays(county):
    admin = county.people["admin"]
    v1 = latest(county.session, KEY).version
    v2 = deployed(county, response_in(5))
    now = county.at(bj(2026, 9, 29, 10))
    versions.retire(county.session, admin, KEY, v2.version, now, "期限调整暂缓")
    county.session.commit()
    assert latest(county.session, KEY).version == v1
    assert county.task("respond", notified(county)).due_at == THREE_DAYS
    with pytest.raises(Conflict, match="唯一在用"):
        versions.retire(county.session, admin, KEY, v1, now)
    with pytest.raises(Conflict, match="已停用"):  # no case moves to a retired version
        migration.preview(county.session, admin, KEY, v1, v2.version)
    assert [r.status for r in versions.list_versions(county.session, admin, KEY)][:2] == [
        DefinitionStatus.RETIRED,
        DefinitionStatus.ACTIVE,
    ]
    assert [c.kind for c in versions.changes(county.session, admin, KEY)] == ["retire", "deploy"]


def test_x3_only_administrators_change_versions_and_a_broken_diagram_is_refused(county):
    with pytest.raises(PermissionDenied):
        versions.deploy_version(
            county.session, county.people["zdb"], KEY, response_in(5), None, county.at(OPENED)
        )
    broken = core().replace('name="县政府"', 'name="县长办公室"', 1)
    with pytest.raises(DiagramRefused) as refused:
        versions.deploy_version(
            county.session, county.people["admin"], KEY, broken, None, county.at(OPENED)
        )
    assert "县长办公室" in refused.value.problems[0].message
    with pytest.raises(Conflict, match="完全相同"):
        versions.deploy_version(
            county.session, county.people["admin"], KEY, core(), None, county.at(OPENED)
        )


def test_x3_diff_of_two_versions_names_what_was_added_removed_and_changed(county):
    v1 = latest(county.session, KEY).version
    v3 = deployed(county, without_county_gov_assign(response_in(5)))
    changes = {
        c.element_id: c
        for c in diff_versions(county.session, county.people["admin"], KEY, v1, v3.version)
    }
    assert changes["county_gov_assign"].change == "removed"
    assert changes["county_gov_assign"].name == "县府办提请分管领导协调（LP16）"
    [script] = changes["part_deadlines"].fields
    assert script.label == "脚本"
    assert "working_deadline(notice_issued_at, 5)" in (script.after or "")
    assert changes["f_assign"].fields[0].after == "计算交办期限（LP16） → 计算协调期限（LP16）"
