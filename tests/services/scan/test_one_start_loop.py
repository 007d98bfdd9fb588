"""The CLI scan and the worker's scan task start cases in one loop, and so behave alike (X1, X5).

Run where the profile lets the first notices go out automatically (LP13), one per project.

On 31 December a notice's 3 working days reach into next year; without next year's
holidays neither may guess a deadline: both raise the same warnings, start no case, and
say the same thing. Once the year is imported, either finishes what the other left.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from click.testing import CliRunner
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from cli.main import cli
from keyproj.clock import BEIJING
from keyproj.db.models import Case, EarlyWarning
from keyproj.policy import loader
from keyproj.services.reference.calendar_file import import_file
from tests.builders import factories
from tests.builders.database import CALENDAR_2027
from tests.builders.triage import automatic

DAY = "2026-03-20"  # the data's day: February's report shows the lag
NEW_YEAR_EVE = datetime(2026, 12, 31, 10, tzinfo=BEIJING)
MISSING = "2027年的节假日安排尚未录入"


@pytest.fixture
def county(engine: Engine) -> None:
    """Three projects 30% behind their February plan, each with an issue open since January."""
    with Session(engine) as session, session.begin():
        factories.unit(session, "T01", "城关镇")
        for n in range(3):
            project = factories.project(session, "T01", name=f"城关镇道路工程{n}")
            factories.approved_plan(session, project, 2026, [(1, "1000", "10"), (2, "1000", "20")])
            for month, done, pct in ((1, "700", "7"), (2, "1400", "14")):
                factories.report(
                    session,
                    project,
                    f"2026-{month:02d}",
                    cumulative_completed=Decimal(done),
                    annual_completed=Decimal(done),
                    annual_plan_investment=Decimal("12000"),
                    progress_pct=Decimal(pct),
                    submitted_at=datetime(2026, month + 1, 1, 9, tzinfo=BEIJING),
                )
            factories.issue(
                session, project, "剩余房屋征收补偿协议未签订", opened_on=date(2026, 1, 5)
            )


@pytest.fixture
def settings(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI and the worker read the test database from the environment, as in production."""
    monkeypatch.setenv("KEYPROJ_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("KEYPROJ_PROFILE", raising=False)
    read = loader._cached
    monkeypatch.setattr(loader, "_cached", lambda path, mtime: automatic(read(path, mtime)))
    from workers import runtime as worker

    worker.settings.cache_clear()  # the worker reads its settings once per process
    worker.runtime.cache_clear()
    yield
    if worker.runtime.cache_info().currsize:
        worker.runtime().engine.dispose()
    worker.runtime.cache_clear()
    worker.settings.cache_clear()


def cli_scan() -> tuple[int, str]:
    """``keyproj scan --date DAY`` on new year's eve: exit code and output."""
    with time_machine.travel(NEW_YEAR_EVE, tick=False):
        result = CliRunner().invoke(cli, ["scan", "--date", DAY])
    return result.exit_code, result.output


def worker_scan() -> dict[str, Any]:
    """The worker's daily scan task, called as the worker calls it, on new year's eve."""
    from workers import tasks

    with time_machine.travel(NEW_YEAR_EVE, tick=False):
        summary: dict[str, Any] = tasks.scan(DAY)
    return summary


def outcome(engine: Engine) -> tuple[list[tuple[Any, ...]], int]:
    """The warnings (without ids) and how many cases exist."""
    with Session(engine) as session:
        warnings = session.execute(
            select(
                EarlyWarning.rule_id,
                EarlyWarning.project_id,
                EarlyWarning.period,
                EarlyWarning.level,
                EarlyWarning.colour,
                EarlyWarning.status,
            ).order_by(EarlyWarning.rule_id, EarlyWarning.project_id)
        )
        cases = session.scalar(select(func.count()).select_from(Case))
        return [tuple(w) for w in warnings], int(cases or 0)


def forget_warnings(engine: Engine) -> None:
    """Back to the data as it was before the scan (no case was started)."""
    with Session(engine) as session, session.begin():
        session.execute(delete(EarlyWarning))


@pytest.mark.usefixtures("county", "settings")
def test_cli_and_worker_scans_behave_alike_when_next_years_holidays_are_missing(engine):
    code, output = cli_scan()
    by_cli = outcome(engine)
    forget_warnings(engine)
    summary = worker_scan()
    by_worker = outcome(engine)

    warnings, cases = by_cli
    assert cases == 0
    assert len(warnings) == 6  # two rules fire for each of the three projects
    assert by_worker == by_cli  # the same warnings raised, the same (no) cases started
    message = summary["errors"]["cases"]
    assert MISSING in message
    assert f"未完成：启动处置案件——{message}" in output  # the same words, in full
    assert code == 1
    printed = json.loads(output.strip().splitlines()[-1])
    assert printed == {k: summary[k] for k in printed}
    assert printed["new_warnings"] == 6
    assert printed["cases_started"] == 0


@pytest.mark.usefixtures("county", "settings")
def test_once_the_year_is_imported_either_one_finishes_the_others_cases(engine):
    assert worker_scan()["cases_started"] == 0
    with Session(engine) as session, session.begin():
        import_file(session, CALENDAR_2027.read_text(encoding="utf-8"))

    code, output = cli_scan()

    assert code == 0, output
    # One notice per project covers both of its warnings.
    assert json.loads(output.strip().splitlines()[-1])["cases_started"] == 3
    assert outcome(engine)[1] == 3
    again = worker_scan()
    assert (again["new_warnings"], again["cases_started"], again["errors"]) == (0, 0, {})
