"""Projects and plans imported from the ledger raise the same warnings as those entered by hand
(LP6, LP11-1, HD3): an imported breakdown is an approved plan version with its periods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from keyproj.db.models import EarlyWarning
from keyproj.policy import load_profile
from keyproj.services.projects.ledger.importing import import_projects
from keyproj.services.projects.reports import ReportData, submit_report
from keyproj.services.scan.run import run_scan
from tests.builders.clock import beijing
from tests.builders.ledger import CODE_A, CODE_B, ledger_units, monthly_breakdown, row, stored
from tests.builders.ledger import workbook as ledger_workbook

TODAY = date(2026, 3, 20)  # February's report was due on 25 February


def imported_ledger(session) -> None:  # type: ignore[no-untyped-def]
    """CODE_A with a monthly breakdown of 1200 万元 (100 a month); CODE_B approved, no plan."""
    ledger_units(session)
    book = ledger_workbook(
        [
            row(CODE_A, **{"年度计划投资（万元）": 1200}),
            row(CODE_B, **{"批准（计划下达）日期": date(2026, 1, 5)}),
        ],
        breakdown=monthly_breakdown(CODE_A, 1200),
    )
    import_projects(session, book, 2026, "monthly")
    session.commit()


def lagging_report(annual_completed: str) -> ReportData:
    return ReportData(
        total_investment=Decimal(12000),
        cumulative_completed=Decimal(annual_completed),
        annual_plan_investment=Decimal(1200),
        annual_completed=Decimal(annual_completed),
        start_status="started",
        progress_pct=Decimal("8"),
        started_on=date(2026, 1, 10),
        progress_text="路基施工",
    )


def test_LP11_an_imported_monthly_breakdown_raises_the_lag_warning(session):
    imported_ledger(session)
    profile = load_profile("lianping")
    project = stored(session, CODE_A)
    # By the end of February 200 万元 and 16.7% were planned: 100 万元 is half, 8% under half.
    submit_report(session, None, project, "2026-02", lagging_report("100"), profile, TODAY)
    session.commit()

    run_scan(session, profile, TODAY, beijing(TODAY, 10))

    lag = session.scalars(
        select(EarlyWarning).where(
            EarlyWarning.rule_id == "progress_lag", EarlyWarning.project_id == project.id
        )
    ).one()
    assert (lag.period, lag.colour) == ("2026-02", "red")
    assert lag.evidence["ratio"] == "0.4790"  # 8 ÷ 16.7, the worse of the two ratios


def test_LP6_an_imported_project_without_a_plan_is_asked_for_one(session):
    imported_ledger(session)
    profile = load_profile("lianping")

    run_scan(session, profile, TODAY, beijing(TODAY, 10))

    missing = session.scalars(
        select(EarlyWarning.project_id).where(EarlyWarning.rule_id == "plan_missing")
    ).all()
    assert missing == [stored(session, CODE_B).id]
