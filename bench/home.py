"""Home page benchmark: each role's home counts over 30,000 projects and 30,000 open cases.

    .venv/bin/python bench/home.py [--projects 30000] [--cases 30000] [--queued 5000]

Fills a throw-away database (PostgreSQL when KEYPROJ_TEST_DATABASE_URL is set, SQLite
otherwise) as bench/web.py does, adds projects to 30,000, queued warnings and a leader
linked to a hundred projects, and times the home services each role's page calls.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from bench.common import POSTGRES_URL, median, postgres_database, sqlite_database
from bench.web import PASSWORD, _insert, fill
from keyproj.db.models import EarlyWarning, Leader, Project, Unit, User
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.home.page import home_page
from keyproj.services.org.directory import UserData, create_user

PROFILE = load_profile("lianping")
UNITS = 1000


def add(engine: Engine, projects: int, queued: int) -> None:
    """More projects over the same units, queued warnings, an auditor, an admin, a leader."""
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        units = list(s.scalars(select(Unit.id).where(Unit.code.like("U%")).order_by(Unit.id)))
        rows = [
            {
                "code": f"MORE-{i:06d}",
                "name": f"基准测试项目{i:06d}号",
                "level": "county",
                "nature": "new",
                "stage": "under_construction",
                "total_investment": Decimal("5000"),
                "lead_unit_id": units[i % len(units)],
            }
            for i in range(max(projects - UNITS, 0))
        ]
        ids = _insert(s, Project, rows) if rows else []
        colours = ("red", "yellow", "blue", "green")
        warnings = [
            {
                "rule_id": "QUEUED",
                "project_id": ids[i % len(ids)],
                "period": f"Q{i}",
                "level": "progress",
                "colour": colours[i % 4],
                "evidence": {},
                "source": "scan",
                "status": "open",
                "raised_at": now,
            }
            for i in range(queued if ids else 0)
        ]
        if warnings:
            _insert(s, EarlyWarning, warnings)
        for username, roles in (
            ("sj", ["auditor"]),
            ("admin", ["admin"]),
            ("xfb", ["county_gov"]),
            ("dcs", ["supervision"]),
            ("head", ["unit_head"]),
        ):
            unit = "U0000" if username == "head" else "ZDB"
            create_user(s, UserData(username, username, unit, PASSWORD, roles))
        create_user(s, UserData("leader", "王强", "XLD", PASSWORD, ["leader"]))
        leader_user = s.scalar(select(User.id).where(User.username == "leader"))
        leader = Leader(name="王强", title="副县长", user_id=leader_user)
        s.add(leader)
        s.flush()
        # Half of the leader's projects have cases (bench/web.py's), half queued warnings.
        led = list(s.scalars(select(Project.id).where(Project.code.like("BENCH-%")).limit(50)))
        led += ids[:50]
        s.execute(update(Project).where(Project.id.in_(led)).values(leader_id=leader.id))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))


def time_roles(engine: Engine, runs: int) -> dict[str, float]:
    """The median time of each role's home services, in milliseconds."""
    found: dict[str, float] = {}
    now = datetime.now(UTC)
    for username in ("zdb", "liaison", "head", "leader", "xfb", "dcs", "sj", "admin"):
        timings = []
        for _ in range(runs):
            with Session(engine) as s:
                user = s.scalars(select(User).where(User.username == username)).one()
                viewer = viewer_for(s, user)
                started = time.perf_counter()
                home_page(s, viewer, PROFILE, now)
                timings.append((time.perf_counter() - started) * 1000)
        found[username] = round(median(timings), 1)
    return found


def main() -> None:
    """Fill once on the configured backend, time every role, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=30_000)
    parser.add_argument("--cases", type=int, default=30_000)
    parser.add_argument("--queued", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    database = postgres_database if POSTGRES_URL else sqlite_database
    with database() as engine:
        fill(engine, UNITS, args.cases)
        add(engine, args.projects, args.queued)
        result: dict[str, Any] = {"backend": engine.dialect.name, **vars(args)}
        result["home_median_ms"] = time_roles(engine, args.runs)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
