"""Web benchmark: one unit's inbox page over real HTTP, with 100,000 open tasks across 1,000 units.

    .venv/bin/python bench/web.py [--units 1000] [--tasks 100000] [--requests 300]

Fills a throw-away database (PostgreSQL when KEYPROJ_TEST_DATABASE_URL is set, SQLite
otherwise) with bulk Core inserts, serves the app with gunicorn (`keyproj serve`), signs
in as one unit's liaison and times that unit's inbox page.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session

from bench.common import POSTGRES_URL, median, percentile, postgres_database, sqlite_database
from keyproj.db.models import (
    Case,
    CaseUnit,
    EarlyWarning,
    HumanTask,
    HumanTaskCandidate,
    Project,
    Unit,
    User,
)
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.cases import commands as cases
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.org.directory import UserData, create_user

PASSWORD = "Bench#2026web"
PROFILE = load_profile("lianping")
BATCH = 10_000
NOTICE = {
    "level": "progress",
    "routing": "town",
    "lead_unit_code": "U0000",
    "notice_text": "该项目投资完成率低于序时进度，请抓紧协调推进。",
}


def fill(engine: Engine, units: int, tasks: int) -> dict[str, Any]:
    """Units, one project each, and ``tasks`` open respond tasks spread evenly over the units."""
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        rows = [
            {"code": f"U{i:04d}", "name": f"基准单位{i:04d}", "kind": "town", "active": True}
            for i in range(units)
        ]
        unit_ids = _insert(s, Unit, rows)
        project_rows = [
            {
                "code": f"BENCH-{i:06d}",
                "name": f"基准测试项目{i:04d}号道路工程",
                "level": "county",
                "nature": "new",
                "stage": "under_construction",
                "total_investment": Decimal("12000"),
                "lead_unit_id": unit_ids[i],
            }
            for i in range(units)
        ]
        project_ids = _insert(s, Project, project_rows)
        create_user(s, UserData("zdb", "重点办", "ZDB", PASSWORD, ["key_office"]))
        create_user(s, UserData("liaison", "联络员", "U0000", PASSWORD, ["unit_liaison"]))
    template = _template_case(engine, project_ids[0], now)
    with Session(engine) as s, s.begin():
        for start in range(0, tasks, BATCH):
            _fill_batch(
                s, range(start, min(tasks, start + BATCH)), unit_ids, project_ids, template, now
            )
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return {"unit_id": unit_ids[0]}


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars())


def _template_case(engine: Engine, project_id: int, now: datetime) -> dict[str, Any]:
    """One real case taken to the respond step through the services; the bulk cases share its state."""
    with Session(engine, expire_on_commit=False) as s:
        warning = EarlyWarning(
            rule_id="progress_lag",  # LP11-1
            project_id=project_id,
            period="2026-01",
            level="progress",
            colour="red",
            evidence={"计划投资（万元）": "1200", "完成投资（万元）": "600"},
            source="scan",
            status="open",
            raised_at=now,
        )
        s.add(warning)
        s.flush()
        case = cases.start_case(s, warning, PROFILE, now)
        s.commit()
        zdb = s.scalars(select(User).where(User.username == "zdb")).one()
        task = open_task_rows(s, case.id)[0]
        cases.complete_task(s, viewer_for(s, zdb), task.id, NOTICE, PROFILE, now)
        s.commit()
        s.refresh(case)
        return {
            "definition_id": case.definition_id,
            "state": case.state,
            "serializer_version": case.serializer_version,
            "state_hash": case.state_hash,
            "last_event_hash": case.last_event_hash,
        }


def _fill_batch(
    s: Session,
    numbers: range,
    unit_ids: list[int],
    project_ids: list[int],
    template: dict[str, Any],
    now: datetime,
) -> None:
    levels, colours = ("progress", "issue", "urging"), ("red", "yellow", "blue")
    owner = [i % len(unit_ids) for i in numbers]
    warning_ids = _insert(
        s,
        EarlyWarning,
        [
            {
                "rule_id": "BENCH",
                "project_id": project_ids[owner[k]],
                "period": f"B{i}",
                "level": levels[i % 3],
                "colour": colours[i % 3],
                "evidence": {"计划投资（万元）": "1200"},
                "source": "scan",
                "status": "open",
                "raised_at": now,
            }
            for k, i in enumerate(numbers)
        ],
    )
    case_ids = _insert(
        s,
        Case,
        [
            {
                "warning_id": w,
                "status": "open",
                "version": 1,
                "event_count": 0,
                "opened_at": now,
                "notice_number": f"连重点办预警〔2026〕{i + 2}号",
                **template,
            }
            for w, i in zip(warning_ids, numbers, strict=True)
        ],
    )
    s.execute(
        insert(CaseUnit),
        [
            {"case_id": c, "unit_id": unit_ids[owner[k]], "role": "lead"}
            for k, c in enumerate(case_ids)
        ],
    )
    task_ids = _insert(
        s,
        HumanTask,
        [
            {
                "case_id": c,
                "engine_task_id": f"bench-{i}",
                "name": "respond",
                "title": "受理并开展协调",
                "lane": "责任单位",
                "form": "respond",
                "status": "ready",
                # Deadlines from five days ago to five weeks ahead: some overdue on every page.
                "due_at": now + timedelta(days=(i // len(unit_ids)) % 40 - 5, hours=i % 24),
                "ready_at": now,
            }
            for c, i in zip(case_ids, numbers, strict=True)
        ],
    )
    s.execute(
        insert(HumanTaskCandidate),
        [{"task_id": t, "unit_id": unit_ids[owner[k]]} for k, t in enumerate(task_ids)],
    )


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(url: str, port: int, instance: Path) -> subprocess.Popen[bytes]:
    """`keyproj serve` (gunicorn) on ``port`` against the database at ``url``; waits until healthy."""
    env = {
        **os.environ,
        "KEYPROJ_DATABASE_URL": url,
        "KEYPROJ_PORT": str(port),
        "KEYPROJ_INSTANCE_DIR": str(instance),
        "KEYPROJ_SECRET_KEY": "bench-secret-key",
        "KEYPROJ_PROFILE": "lianping",
    }
    command = [str(Path(sys.executable).parent / "keyproj"), "serve"]
    log = open(instance / "serve.log", "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((instance / "serve.log").read_text(errors="replace"))
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)  # the server is starting; nothing else to wait on
    process.terminate()
    raise RuntimeError("gunicorn did not become healthy within 60 s")


def signed_in(base: str, username: str) -> urllib.request.OpenerDirector:
    """An HTTP client with a cookie jar, signed in through the login form (with its CSRF token)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/login").read().decode()
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "login page without CSRF token"
    form = {"username": username, "password": PASSWORD, "csrf_token": match.group(1)}
    response = opener.open(f"{base}/login", urllib.parse.urlencode(form).encode())
    assert not response.geturl().endswith("/login"), "sign-in failed"
    return opener


def time_pages(opener: urllib.request.OpenerDirector, url: str, n: int) -> tuple[list[float], str]:
    """Milliseconds per request of ``url``, n times (after a warm-up), and the last page."""
    html = ""
    for _ in range(10):
        html = opener.open(url).read().decode()
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        with opener.open(url) as response:
            html = response.read().decode()
            assert response.status == 200
        timings.append((time.perf_counter() - started) * 1000)
    return timings, html


def run(engine: Engine, args: argparse.Namespace) -> dict[str, Any]:
    """Fill, serve, sign in, time."""
    started = time.perf_counter()
    fill(engine, args.units, args.tasks)
    fill_s = time.perf_counter() - started
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        process = serve(url, port, Path(tmp))
        try:
            base = f"http://127.0.0.1:{port}"
            opener = signed_in(base, "liaison")
            timings, html = time_pages(opener, f"{base}/inbox", args.requests)
            overdue, _ = time_pages(opener, f"{base}/inbox?status=overdue", args.requests // 3)
        finally:
            process.terminate()
            process.wait(timeout=30)
    total = re.search(r"共 (\d+) 项待办", html)
    return {
        "backend": engine.dialect.name,
        "units": args.units,
        "open_tasks": args.tasks + 1,
        "unit_inbox_tasks": int(total.group(1)) if total else None,
        "rows_per_page": html.count('data-task="'),
        "fill_s": round(fill_s, 1),
        "requests": args.requests,
        "inbox_p50_ms": round(median(timings), 1),
        "inbox_p95_ms": round(percentile(timings, 95), 1),
        "inbox_overdue_p95_ms": round(percentile(overdue, 95), 1),
    }


def main() -> None:
    """Run once on the configured backend and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    database = postgres_database if POSTGRES_URL else sqlite_database
    with database() as engine:
        result = run(engine, args)
    print(
        f"{result['backend']}: {result['open_tasks']:,} open tasks over {result['units']:,} units; "
        f"one unit's inbox ({result['unit_inbox_tasks']} tasks, {result['rows_per_page']} per page) "
        f"p50 {result['inbox_p50_ms']} ms, p95 {result['inbox_p95_ms']} ms "
        f"over {result['requests']} requests (target p95 ≤ 100 ms)"
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
