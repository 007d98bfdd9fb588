"""The scan as the CLI and the worker run it: warnings in one transaction, then cases in batches.

Small transactions keep a county-wide scan from holding locks for minutes, and make a
crash cheap: whatever was committed stays, and running the job again finishes the rest
(warnings are raised once per project, rule and period; a warning gets one case).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from keyproj.db.session import unit_of_work
from keyproj.policy import PolicyProfile
from keyproj.services.scan.run import ScanResult, run_scan
from keyproj.services.scan.starting import CASE_BATCH, start_all_missing

log = logging.getLogger(__name__)


def scan_and_start(
    factory: sessionmaker[Session],
    profile: PolicyProfile,
    today: date,
    now: Callable[[], datetime],
    batch: int = CASE_BATCH,
) -> ScanResult:
    """Raise today's new warnings, then start every missing case, ``batch`` per transaction.

    A year without holiday data stops the cases (named in ``errors["cases"]``); the
    warnings stay, and the next run starts their cases once the year is imported.
    """
    with unit_of_work(factory) as session:
        result = run_scan(session, profile, today, now(), start_cases=False)
    log.info(
        "预警扫描 %s：新增预警 %d 条，在办预警 %d 条",
        today,
        result.new_warnings,
        result.open_warnings,
    )
    began = time.perf_counter()
    started = start_all_missing(lambda: unit_of_work(factory), profile, now, batch)
    result.cases_started, result.cases_s = started.cases, time.perf_counter() - began
    if started.error:
        result.errors["cases"] = started.error
    return result
