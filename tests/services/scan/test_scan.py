"""The scan (LP11, LP13, X1): each warning raised once, into triage or (where the profile lets
notices go out automatically) one case per project matter; recovery, concurrent scans."""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.codes import WarningStatus
from keyproj.db.models import Case, EarlyWarning, HumanTask
from keyproj.db.session import make_engine
from keyproj.policy import load_profile
from keyproj.rules import RULES
from keyproj.services.reference.calendar_file import import_file
from keyproj.services.scan import run as scan
from keyproj.services.scan.run import evaluate, insert_warnings, run_scan
from tests.builders.cli import Run
from tests.builders.clock import FrozenClock, beijing
from tests.builders.database import CALENDAR_2027
from tests.builders.triage import automatic, issue_all_queued

TODAY = date(2026, 3, 20)  # February's report was due on 25 February; March's is not due yet
NOW = beijing(TODAY, 10)


@pytest.fixture
def lagging(county):  # type: ignore[no-untyped-def]
    """A project 30% behind its February plan, with an issue open since January."""
    project = county.project("城关镇老旧小区改造项目（一期）")
    county.plan(project, 2026, [("2026-01", "1000", "10"), ("2026-02", "1000", "20")])
    county.report(project, "monthly", "2026-01", "700", "7")
    county.report(project, "monthly", "2026-02", "1400", "14")
    county.issue(project, "剩余12户房屋征收补偿协议未签订", date(2026, 1, 5))
    return project


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_LP11_LP13_scan_raises_each_warning_once_into_the_key_offices_triage(session, lagging):
    profile = load_profile("lianping")

    first = run_scan(session, profile, TODAY, NOW)
    session.commit()

    assert first.by_rule == {"progress_lag": 1, "issue_unresolved": 1}
    assert (first.new_warnings, first.cases_started, first.open_warnings) == (2, 0, 2)
    assert first.as_json() == {
        "new_warnings": 2,
        "open_warnings": 2,
        "cases_started": 0,
        "by_rule": {"issue_unresolved": 1, "progress_lag": 1},
    }
    warning = session.scalars(
        select(EarlyWarning).where(EarlyWarning.rule_id == "progress_lag")
    ).one()
    assert (warning.period, warning.colour, warning.level) == ("2026-02", "yellow", "progress")
    assert warning.evidence["ratio"] == "0.7000"
    assert warning.raised_at == NOW
    assert (warning.case_id, count(session, Case)) == (None, 0)  # LP13: the office sorts first

    # One notice for the project matter covers both warnings.
    (case,) = issue_all_queued(session, profile, NOW)
    covered = session.scalars(select(EarlyWarning.case_id).order_by(EarlyWarning.id))
    assert list(covered) == [case.id, case.id]
    tasks = session.scalars(select(HumanTask.name).where(HumanTask.case_id == case.id))
    assert sorted(tasks) == ["issue_notice", "respond"]

    again = run_scan(session, profile, TODAY, NOW)
    assert (again.new_warnings, again.cases_started, again.open_warnings) == (0, 0, 2)
    assert again.by_rule == {}
    assert again.found_by_rule == first.found_by_rule
    assert (count(session, EarlyWarning), count(session, Case)) == (2, 1)


def test_LP13_automatic_notices_issue_one_per_project_matter(session, lagging):
    profile = automatic(load_profile("lianping"))

    first = run_scan(session, profile, TODAY, NOW)

    assert (first.new_warnings, first.cases_started) == (2, 1)
    case = session.scalars(select(Case)).one()
    assert str(case.notice_number).startswith("连重点办预警")
    assert {w.case_id for w in session.scalars(select(EarlyWarning))} == {case.id}


def test_each_warning_quotes_its_rules_clauses_and_the_profiles_basis(session, lagging):
    """What the case page shows under 预警依据: the rule's clauses, the profile's reading."""
    run_scan(session, load_profile("lianping"), TODAY, NOW, start_cases=False)

    warnings = session.scalars(select(EarlyWarning).order_by(EarlyWarning.rule_id)).all()
    quoted = {w.rule_id: (w.evidence["requirements"], w.evidence["basis"]) for w in warnings}
    clauses = {rule.name: list(rule.requirements) for rule in RULES}
    assert quoted == {
        "issue_unresolved": (clauses["issue_unresolved"], "LP11-3"),
        "progress_lag": (
            clauses["progress_lag"],
            "LP11-1 / 本地取值：黄色及红色视为“建设进度未达要求”",
        ),
    }
    assert clauses["issue_unresolved"][0] == "LP11-3"
    assert clauses["progress_lag"][0] == "LP11-1"


def test_X1_a_scan_that_died_before_its_cases_is_completed_by_the_next(session, lagging):
    profile = automatic(load_profile("lianping"))

    crashed = run_scan(session, profile, TODAY, NOW, start_cases=False)
    session.commit()
    assert (crashed.new_warnings, crashed.cases_started) == (2, 0)
    assert count(session, Case) == 0

    recovered = run_scan(session, profile, TODAY, NOW)
    assert (recovered.new_warnings, recovered.cases_started) == (0, 1)
    assert count(session, Case) == 1


def test_X5_cases_wait_for_next_years_holidays_and_the_warnings_are_kept(session, lagging):
    """On 31 December the notice's 3 working days reach into 2027, which has no data yet."""
    profile = automatic(load_profile("lianping"))
    new_year_eve = beijing(date(2026, 12, 31), 10)

    blocked = run_scan(session, profile, TODAY, new_year_eve)

    assert (blocked.new_warnings, blocked.cases_started) == (2, 0)
    assert "2027年的节假日安排尚未录入" in blocked.errors["cases"]
    assert count(session, Case) == 0
    assert count(session, EarlyWarning) == 2

    import_file(session, CALENDAR_2027.read_text(encoding="utf-8"))
    finished = run_scan(session, profile, TODAY, new_year_eve)
    assert (finished.new_warnings, finished.cases_started, finished.errors) == (0, 1, {})


def test_LP11_a_handled_warning_stays_handled_until_the_next_period(session, county, lagging):
    profile = load_profile("lianping")
    run_scan(session, profile, TODAY, NOW, start_cases=False)
    for warning in session.scalars(select(EarlyWarning)):
        warning.status = WarningStatus.HANDLED  # as a finished case leaves it
    session.flush()

    assert run_scan(session, profile, TODAY, NOW, start_cases=False).new_warnings == 0

    county.report(lagging, "monthly", "2026-03", "1500", "15")  # March: still behind
    # March is judged once it has ended (issue 15).
    later = run_scan(
        session, profile, date(2026, 4, 1), beijing(date(2026, 4, 1)), start_cases=False
    )
    assert later.by_rule == {"progress_lag": 1}


def test_X1_insert_skips_an_open_warning_another_scan_inserted_first(session, lagging, monkeypatch):
    profile = load_profile("lianping")
    candidates, _ = evaluate(session, profile, TODAY, NOW)
    assert len(insert_warnings(session, candidates, NOW)) == 2
    # Another scan's rows arrive after this scan's existence check: the index turns them away.
    monkeypatch.setattr(scan, "_not_raised_before", lambda _session, found: found)

    assert insert_warnings(session, candidates, NOW) == []
    assert count(session, EarlyWarning) == 2


def test_AL2_portfolio_warning_waits_in_triage_and_gets_a_case_without_a_project(session, county):
    for n in range(3):
        county.project(f"项目{n}", nature="new", planned_start=date(2026, 5, 1))
    today = date(2026, 7, 1)

    result = run_scan(session, load_profile("alxa_left"), today, beijing(today, 10))

    assert result.by_rule.get("start_rate") == 1
    warning = session.scalars(
        select(EarlyWarning).where(EarlyWarning.rule_id == "start_rate")
    ).one()
    assert warning.project_id is None
    assert warning.colour == "red"  # nothing started: 0%
    assert warning.case_id is None  # portfolio warnings always wait for the key office
    issue_all_queued(session, load_profile("alxa_left"), beijing(today, 11))
    case = session.scalars(select(Case).where(Case.warning_id == warning.id)).one()
    assert case.status == "open"


def test_X1_two_scans_at_once_insert_each_warning_once(engine, lagging, session):
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite lets one writer in at a time")
    session.commit()
    profile = load_profile("lianping")
    with Session(engine) as first, Session(engine) as second:
        candidates, _ = evaluate(second, profile, TODAY, NOW)
        fresh = scan._not_raised_before(second, candidates)  # before the first scan commits
        assert len(fresh) == 2
        assert run_scan(first, profile, TODAY, NOW, start_cases=False).new_warnings == 2
        outcome: list[object] = []

        def insert() -> None:  # waits on the first scan's uncommitted rows, then skips them
            outcome.append(insert_warnings(second, fresh, NOW))

        thread = threading.Thread(target=insert)
        thread.start()
        first.commit()
        thread.join(timeout=30)
        second.commit()
    assert outcome == [[]]
    assert count(session, EarlyWarning) == 2


@pytest.mark.slow  # loads the demo county
def test_LP11_demo_county_scan_raises_warnings_and_a_second_scan_raises_none(
    run: Run, clock: FrozenClock, tmp_path: Path
) -> None:
    clock.at(datetime(2026, 11, 23, 2, tzinfo=UTC))  # 10:00 Beijing
    demo = run("demo", "--date", "2026-11-23")
    assert demo.exit_code == 0, demo.output
    # ``keyproj demo`` ends with the first scan: its warnings wait in the key office's triage.
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    try:
        with Session(engine) as session:
            rules = Counter(session.scalars(select(EarlyWarning.rule_id)))
            statuses = Counter(session.scalars(select(EarlyWarning.status)))
            cases = count(session, Case)
    finally:
        engine.dispose()
    raised = sum(rules.values())
    assert raised >= 20
    # Issue 15: new warnings wait in triage; reminders never do (the profile's severity).
    queued = statuses[WarningStatus.OPEN]
    assert cases == 0 < queued < raised
    assert statuses[WarningStatus.REMINDED] >= 1
    for rule in ("progress_lag", "issue_unresolved", "plan_missing", "report_overdue"):
        assert rules[rule] >= 1, rule
    assert f"首次预警扫描：新增预警 {raised} 条，启动督办案件 0 件，待重点办研判 {queued} 条" in (
        demo.output
    )

    second = run("scan", "--date", "2026-11-23")
    assert second.exit_code == 0, second.output
    again = json.loads(second.output.strip().splitlines()[-1])
    assert again == {
        "new_warnings": 0,
        "open_warnings": queued,
        "cases_started": 0,
        "by_rule": {},
    }
