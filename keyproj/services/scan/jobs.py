"""The scan as a worker runs it: warnings in one transaction, then cases in small batches.

Small transactions keep a county-wide scan from holding locks for minutes, and make a
crash cheap: whatever was committed stays, and running the job again finishes the rest
(warnings are raised once per project, rule and period; a warning gets one case).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from keyproj.policy import PolicyProfile
from keyproj.services.scan.run import run_scan, start_missing_cases

log = logging.getLogger(__name__)
CASE_BATCH = 50


def scan_and_start(
    factory: sessionmaker[Session],
    profile: PolicyProfile,
    today: date,
    now: Callable[[], datetime],
    batch: int = CASE_BATCH,
) -> dict[str, Any]:
    """Raise today's new warnings, then start every missing case, ``batch`` per transaction."""
    with factory() as session, session.begin():
        result = run_scan(session, profile, today, now(), start_cases=False)
    log.info(
        "预警扫描 %s：新增预警 %d 条，在办预警 %d 条",
        today,
        result.new_warnings,
        result.open_warnings,
    )
    started = 0
    while True:
        with factory() as session, session.begin():
            count = start_missing_cases(session, profile, now(), limit=batch)
        if count == 0:
            break
        started += count
        log.info("预警扫描 %s：已启动案件 %d 件", today, started)
    return {
        "day": today.isoformat(),
        "new_warnings": result.new_warnings,
        "open_warnings": result.open_warnings,
        "cases_started": started,
        "by_rule": result.by_rule,
        "errors": result.errors,
    }
