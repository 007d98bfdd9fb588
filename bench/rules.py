"""Rule-scan benchmark: a province-size portfolio (30,000 projects, 24 monthly reports each,
annual plans and issue ledgers) bulk-loaded into a throw-away database, then one full scan.

The scan is timed without starting cases (``start_cases=False``); then, as where the profile
lets the first notices go out automatically (LP13), one case per project matter is started
with its notice issued, a committed batch at a time as the worker does, and timed
(``cases_started``, ``cases_per_s``). PostgreSQL when KEYPROJ_TEST_DATABASE_URL is set,
SQLite otherwise.

    .venv/bin/python bench/rules.py [--projects 30000] [--profile lianping] [--case-batch 200]
        [--cprofile FILE]

The start loop's SQL statements are counted (``case_statements``, ``statements_per_case``);
``--cprofile FILE`` profiles the start loop alone and writes its pstats to FILE (the top of
it, by own time, goes to stderr): the figures are then slower than without.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from sqlalchemy import Engine, event, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from bench.common import POSTGRES_URL, postgres_database, sqlite_database
from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.codes import ISSUE_CATEGORIES
from keyproj.db.models import (
    AnnualPlan,
    PlanPeriod,
    PlanVersion,
    Project,
    ProjectIssue,
    Report,
    Unit,
)
from keyproj.policy import PolicyProfile, load_profile
from keyproj.services.reference.calendar_file import import_file
from keyproj.services.scan.run import run_scan
from keyproj.services.scan.starting import start_all_missing

CALENDAR_2027 = Path(__file__).parents[1] / "tests" / "fixtures" / "calendar_2027.csv"
TODAY = date(2026, 12, 28)  # December's report was due on the 25th
NOW = datetime.combine(TODAY, clock_time(10), BEIJING)
MONTHS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
CHUNK = 1000  # projects generated and inserted at a time: memory stays flat
UNITS = 200
CATEGORIES = list(ISSUE_CATEGORIES)


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, clock_time(hour), BEIJING)


def load(engine: Engine, projects: int, profile: PolicyProfile, seed: int = 2026) -> dict[str, int]:
    """Units, projects, plans, reports and issues through bulk Core inserts; counts of each."""
    counts = {"projects": 0, "plans": 0, "plan_periods": 0, "reports": 0, "issues": 0}
    now = datetime.now(BEIJING)
    with engine.begin() as conn:
        conn.execute(
            insert(Unit),
            [
                {
                    "code": f"B{n:04d}",
                    "name": f"基准单位{n:04d}",
                    "kind": "town" if n % 3 else "county_department",
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(UNITS)
            ],
        )
        unit_ids = list(conn.scalars(select(Unit.id).where(Unit.code.like("B%"))))
    for start in range(0, projects, CHUNK):
        rng = random.Random(seed + start)
        rows = _chunk(rng, range(start + 1, min(start + CHUNK, projects) + 1), unit_ids, profile)
        with engine.begin() as conn:
            for model, batch in rows.items():
                if batch:
                    conn.execute(insert(model), batch)
            conn.execute(
                text(
                    "UPDATE annual_plans SET current_version_id = id "
                    "WHERE current_version_id IS NULL AND id BETWEEN :a AND :b"
                ),
                {"a": start + 1, "b": start + CHUNK},
            )
        counts["projects"] += len(rows[Project])
        counts["plans"] += len(rows[AnnualPlan])
        counts["plan_periods"] += len(rows[PlanPeriod])
        counts["reports"] += len(rows[Report])
        counts["issues"] += len(rows[ProjectIssue])
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in ("projects", "annual_plans", "plan_versions"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                    )
                )
        conn.execute(text("ANALYZE"))  # fresh statistics, as a database in service has
    return counts


def _chunk(
    rng: random.Random, ids: range, unit_ids: list[int], profile: PolicyProfile
) -> dict[Any, list[dict[str, Any]]]:
    """The rows of one chunk of projects, per model (explicit ids for projects and plans)."""
    out: dict[Any, list[dict[str, Any]]] = {
        m: [] for m in (Project, AnnualPlan, PlanVersion, PlanPeriod, Report, ProjectIssue)
    }
    stamp = datetime(2026, 1, 2, tzinfo=BEIJING)
    for pid in ids:
        unit = rng.choice(unit_ids)
        nature = rng.choices(("new", "continued", "preliminary", "completed"), (30, 60, 5, 5))[0]
        started = nature != "preliminary" and rng.random() > 0.05
        total = rng.randint(5_000, 100_000)
        prior = 0 if nature == "new" else int(total * rng.uniform(0.1, 0.5))
        annual = max(12, int(total * rng.uniform(0.2, 0.4)))
        factor = rng.uniform(0.5, 0.85) if rng.random() < 0.25 else rng.uniform(0.95, 1.1)
        approved = date(2025, 1, 1) + timedelta(days=rng.randint(0, 690))
        start = (
            date(2026, rng.randint(1, 6), rng.randint(1, 28))
            if nature == "new"
            else date(2024, 4, 1)
        )
        finish = date(2026, rng.randint(1, 11), 15) if rng.random() < 0.03 else date(2028, 6, 30)
        out[Project].append(
            {
                "id": pid,
                "code": f"2026-441623-48-01-{pid:06d}",
                "name": f"基准项目{pid:06d}",
                "level": "county",
                "nature": nature,
                "stage": "under_construction" if started else "preparation",
                "total_investment": Decimal(total),
                "central_funds": rng.random() < 0.1,
                "government_invested": True,
                "lead_unit_id": unit,
                "approved_on": approved,
                "planned_start": start,
                "planned_completion": finish,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
        if rng.random() > 0.03:  # 3% have no approved plan: LP6 material
            _plan(out, pid, annual, prior / total * 100)
        _reports(out, rng, pid, total, prior, annual, factor, started, profile)
        _issues(out, rng, pid, unit)
    return out


def _plan(out: dict[Any, list[dict[str, Any]]], pid: int, annual: int, prior_pct: float) -> None:
    moment = datetime(2026, 1, 20, 10, tzinfo=BEIJING)
    out[AnnualPlan].append(
        {"id": pid, "project_id": pid, "year": 2026, "created_at": moment, "updated_at": moment}
    )
    out[PlanVersion].append(
        {
            "id": pid,
            "plan_id": pid,
            "number": 1,
            "status": "approved",
            "annual_investment": Decimal(annual),
            "created_at": moment,
            "submitted_at": moment,
            "decided_at": moment,
        }
    )
    monthly = annual // 12
    for month in range(1, 13):
        amount = monthly + (annual - 12 * monthly if month == 12 else 0)
        out[PlanPeriod].append(
            {
                "version_id": pid,
                "period": f"2026-{month:02d}",
                "period_end": periods.parse("monthly", f"2026-{month:02d}").end,
                "planned_investment": Decimal(amount),
                "planned_progress_pct": Decimal(str(round(prior_pct + 30 * month / 12, 1))),
            }
        )


def _reports(
    out: dict[Any, list[dict[str, Any]]],
    rng: random.Random,
    pid: int,
    total: int,
    prior: int,
    annual: int,
    factor: float,
    started: bool,
    profile: PolicyProfile,
) -> None:
    missing_last = rng.random() < 0.02
    for key in MONTHS:
        if key == MONTHS[-1] and missing_last:
            continue
        period = periods.parse("monthly", key)
        month, this_year = period.start.month, period.start.year == 2026
        share = month / 12 * factor if started else 0.0
        done = int(annual * share) if this_year else 0
        cumulative = min(total, prior + done)
        due = periods.due_date(period, profile.reporting)
        late = rng.random() < 0.03
        out[Report].append(
            {
                "project_id": pid,
                "period": key,
                "period_end": period.end,
                "status": "submitted",
                "total_investment": Decimal(total),
                "cumulative_completed": Decimal(cumulative),
                "annual_plan_investment": Decimal(annual),
                "annual_completed": Decimal(done),
                "start_status": "started" if started else "not_started",
                "started_on": date(2024, 4, 1) if started else None,
                "not_started_reason": None if started else "用地报批手续尚在审批中",
                "procedures": {},
                "progress_pct": Decimal(str(round(cumulative / total * 100, 1))),
                "submitted_at": _moment(due + timedelta(days=rng.randint(1, 2) if late else 0)),
                "version": 1,
                "created_at": _moment(due),
                "updated_at": _moment(due),
            }
        )


def _issues(out: dict[Any, list[dict[str, Any]]], rng: random.Random, pid: int, unit: int) -> None:
    for _ in range(rng.choices((0, 1, 2), (20, 60, 20))[0]):
        opened = date(2026, 1, 1) + timedelta(days=rng.randint(0, 350))
        resolved = rng.random() < 0.6
        out[ProjectIssue].append(
            {
                "project_id": pid,
                "category": rng.choice(CATEGORIES),
                "title": "基准问题",
                "owner_unit_id": unit,
                "urgent": rng.random() < 0.05,
                "opened_on": opened,
                "status": "resolved" if resolved else "open",
                "resolved_on": min(TODAY, opened + timedelta(days=20)) if resolved else None,
                "created_at": _moment(opened),
                "updated_at": _moment(opened),
            }
        )


def measure(
    engine: Engine,
    projects: int,
    profile: PolicyProfile,
    batch: int,
    cprofile: Path | None = None,
) -> dict[str, Any]:
    """Load, scan (timed), scan again (idempotency), then start every case (timed)."""
    began = time.perf_counter()
    counts = load(engine, projects, profile)
    load_s = time.perf_counter() - began
    load_rss = peak_rss_mb()
    print(f"loaded {counts} in {load_s:.1f} s (peak RSS {load_rss} MB)", file=sys.stderr)

    with Session(engine) as session, session.begin():
        began = time.perf_counter()
        result = run_scan(session, profile, TODAY, NOW, start_cases=False)
        scan_s = time.perf_counter() - began
    scan_rss = peak_rss_mb()
    print(f"scan: {result.found_by_rule} in {scan_s:.2f} s", file=sys.stderr)
    with Session(engine) as session, session.begin():
        began = time.perf_counter()
        again = run_scan(session, profile, TODAY, NOW, start_cases=False)
        rescan_s = time.perf_counter() - began
    started, cases_s, cases_cpu_s, statements = start_all(engine, profile, batch, cprofile)
    print(f"cases: {started} started in {cases_s:.1f} s", file=sys.stderr)
    return {
        "backend": engine.dialect.name,
        "profile": profile.profile.id,
        "projects": counts["projects"],
        "reports": counts["reports"],
        "plan_periods": counts["plan_periods"],
        "issues": counts["issues"],
        "load_s": round(load_s, 1),
        "scan_s": round(scan_s, 2),
        "evaluate_s": round(result.evaluate_s, 2),
        "insert_s": round(result.insert_s, 2),
        "warnings": result.new_warnings,
        "by_rule": dict(sorted(result.by_rule.items())),
        "rescan_s": round(rescan_s, 2),
        "rescan_new_warnings": again.new_warnings,
        "cases_started": started,
        "cases_s": round(cases_s, 2),
        "cases_cpu_s": round(cases_cpu_s, 2),
        "cases_per_s": round(started / cases_s, 1) if cases_s else 0.0,
        "case_start_ms": round(cases_s / started * 1000, 2) if started else 0.0,
        "case_cpu_ms": round(cases_cpu_s / started * 1000, 2) if started else 0.0,
        "case_statements": statements,
        "statements_per_case": round(statements / started, 3) if started else 0.0,
        "load_peak_rss_mb": load_rss,
        "scan_peak_rss_mb": scan_rss,
        "peak_rss_mb": peak_rss_mb(),
    }


def start_all(
    engine: Engine, profile: PolicyProfile, batch: int, cprofile: Path | None = None
) -> tuple[int, float, float, int]:
    """Issue the automatic notice of every project matter waiting (LP13: the profile's
    ``triage.auto_notice``, switched on here) through the one start loop of the CLI and the
    worker, ``batch`` projects per committed transaction; (cases started, seconds, CPU
    seconds, SQL statements sent)."""
    # The shipped profiles leave the first step to the key office: the loop would start nothing.
    profile = profile.model_copy(
        update={"triage": profile.triage.model_copy(update={"auto_notice": True})}
    )
    factory = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction() -> Iterator[Session]:
        with factory() as session, session.begin():
            yield session

    with factory() as session, session.begin():
        # A notice issued on 28 December sets its LP17 deadlines in January: next year's
        # holidays are needed (the test suite's copy of the 2027 arrangements).
        import_file(session, CALENDAR_2027.read_text(encoding="utf-8"))
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    profiler = cProfile.Profile() if cprofile is not None else None
    event.listen(engine, "before_cursor_execute", count)
    began, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    try:
        started = start_all_missing(transaction, profile, lambda: NOW, batch)
    finally:
        if profiler is not None:
            profiler.disable()
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        event.remove(engine, "before_cursor_execute", count)
    if profiler is not None and cprofile is not None:
        profiler.dump_stats(cprofile)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    if started.error:
        raise RuntimeError(started.error)
    return started.cases, wall, cpu, statements[0]


def databases() -> Iterator[Any]:
    """PostgreSQL when configured, else SQLite (one backend a run: the dataset is large)."""
    yield postgres_database() if POSTGRES_URL else sqlite_database()


def main() -> None:
    """Build the dataset, run the scan and print one JSON line of figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=30_000)
    parser.add_argument("--profile", default="lianping")
    parser.add_argument("--case-batch", type=int, default=200, help="cases a transaction")
    parser.add_argument("--cprofile", type=Path, help="write the start loop's pstats here")
    args = parser.parse_args()
    profile = load_profile(args.profile)
    for database in databases():
        with database as engine:
            figures = measure(engine, args.projects, profile, args.case_batch, args.cprofile)
    for key, value in figures.items():
        if key != "by_rule":
            print(f"{key:>22}: {value}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
