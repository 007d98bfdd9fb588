"""Where the time of a persisted step and of a started case goes: CPU and wall per phase.

    .venv/bin/python bench/phases.py steps [--cases 150]
    .venv/bin/python bench/phases.py starts [--projects 3000]

``steps``: whole warning cases as ``bench/engine.py`` runs them (a process that keeps a
case's instance between its transactions), each completion a committed service call;
``starts``: the automatic notices of ``bench/rules.py``'s portfolio, through the one start
loop of the CLI and the worker. Each phase is timed by a wrapper (no profiler), in CPU time
and in wall time: the difference over the whole step is the time spent waiting on the
database (round trips, the server's work, the commit's WAL flush). Phases nest; an indented
phase is part of the one above it. The plain SpiffWorkflow step of the same diagram and
path (no database, no serialization) is measured in the same run, for scale. PostgreSQL
when ``KEYPROJ_TEST_DATABASE_URL`` is set, else SQLite; the last line is JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from sqlalchemy.orm import sessionmaker

from bench import engine as cases_bench
from bench import rules as rules_bench
from bench.common import backends, median
from keyproj.db.models import EarlyWarning
from keyproj.policy import load_profile
from keyproj.services.cases import commands as cases
from keyproj.services.cases.repository import open_task_rows

# (module, attribute path, label): a label's leading spaces say which phase it is part of.
STEP_PHASES = [
    ("keyproj.services.cases.repository", "open_case_of_task", "open (lock, read, attach)"),
    ("keyproj.services.cases._pg_open", "read", "  the locked read"),
    ("keyproj.services.cases.commands", "validate_form", "form validation"),
    ("keyproj.services.cases.commands", "completion_data", "completion hooks"),
    ("keyproj.services.cases.step", "complete", "step"),
    ("keyproj.engine.instance", "CaseInstance.complete", "  engine"),
    ("keyproj.services.cases.step", "_after", "  escalation, closing, task rows"),
    ("keyproj.services.cases.repository", "save", "save"),
    ("keyproj.engine.instance", "CaseInstance.dump", "  state dump (Spiff's format)"),
    ("keyproj.services.cases.repository", "encode_state", "  state encoding (JSON, zlib)"),
    ("keyproj.services.cases._writes", "seal_events", "  events sealed (hash chain)"),
    ("keyproj.services.cases._one_statement", "save_cases", "  the one-statement save"),
    ("sqlalchemy.orm.session", "SessionTransaction.commit", "commit"),
]
START_PHASES = [
    ("keyproj.services.cases.start", "_started", "cases started in the engine"),
    ("keyproj.engine.instance", "CaseInstance.start", "  engine (start)"),
    ("keyproj.services.cases.commands", "validate_form", "notice form validation"),
    ("keyproj.services.cases.step", "complete", "notice step"),
    ("keyproj.engine.instance", "CaseInstance.complete", "  engine (notice)"),
    ("keyproj.services.cases.repository", "insert_new", "insert"),
    ("keyproj.services.cases.repository", "save_batch", "save"),
    ("keyproj.engine.instance", "CaseInstance.dump", "  state dump (Spiff's format)"),
    ("keyproj.services.cases.repository", "encode_state", "  state encoding (JSON, zlib)"),
    ("keyproj.services.cases._writes", "seal_events", "events sealed (hash chain)"),
    ("keyproj.engine.instance", "CaseInstance.digest", "state digests"),
    ("sqlalchemy.orm.session", "SessionTransaction.commit", "commit"),
]


class Phases:
    """CPU and wall seconds spent in each wrapped function while ``on`` is true."""

    def __init__(self) -> None:
        self.on = False
        self.order: list[str] = []  # the labels as the phases were declared
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}

    def _timed(self, function: Callable[..., Any], label: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if not self.on:
                return function(*args, **kwargs)
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.cpu[label] = self.cpu.get(label, 0.0) + time.process_time() - cpu
                self.wall[label] = self.wall.get(label, 0.0) + time.perf_counter() - wall

        return timed

    @contextmanager
    def wrapped(self, phases: list[tuple[str, str, str]]) -> Iterator[None]:
        """The phases' functions timed while the block runs."""
        undo = []
        for module, path, label in phases:
            owner: Any = importlib.import_module(module)
            *outer, name = path.split(".")
            for part in outer:
                owner = getattr(owner, part)
            original = getattr(owner, name)
            setattr(owner, name, self._timed(original, label))
            self.order.append(label)
            undo.append((owner, name, original))
        try:
            yield
        finally:
            for owner, name, original in reversed(undo):
                setattr(owner, name, original)

    def table(self, per: int, unit: str) -> dict[str, dict[str, float]]:
        """Milliseconds per ``unit`` of each phase (CPU, wall), printed and returned."""
        rows = {
            label: {
                "cpu_ms": round(self.cpu[label] / per * 1000, 3),
                "wall_ms": round(self.wall[label] / per * 1000, 3),
            }
            for label in self.order
            if label in self.cpu
        }
        for label, row in rows.items():
            print(f"  {label:<36} CPU {row['cpu_ms']:6.2f}  wall {row['wall_ms']:6.2f} ms/{unit}")
        return rows


def steps(n: int) -> dict[str, Any]:
    """Whole cases, each completion timed by phase; the plain engine's step for scale."""
    plain = cases_bench.in_memory(n)
    name, database = backends()[-1]
    phases = Phases()
    wall, cpu = [], []
    with database() as engine, phases.wrapped(STEP_PHASES):  # type: ignore[operator]
        viewers, warning_ids = cases_bench.county(engine, n)
        make = sessionmaker(engine, expire_on_commit=False)
        for i, warning_id in enumerate(warning_ids):
            now = cases_bench.START + timedelta(minutes=i)
            with make() as s, s.begin():
                warning = s.get_one(EarlyWarning, warning_id)
                case_id = cases.start_case(s, warning, cases_bench.PROFILE, now).id
            for step_name, form in cases_bench.FORMS.items():
                now += timedelta(hours=1)
                with make() as s:  # the inbox page: the user picks the task (not timed)
                    task_id = next(r.id for r in open_task_rows(s, case_id) if r.name == step_name)
                phases.on = True
                t, c = time.perf_counter(), time.process_time()
                with make() as s, s.begin():
                    viewer = viewers[cases_bench.WHO[step_name]]
                    cases.complete_task(s, viewer, task_id, form, cases_bench.PROFILE, now)
                wall.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
                phases.on = False
    print(f"{name}: {len(wall)} completions")
    table = phases.table(len(wall), "step")
    figures = {
        "backend": name,
        "steps": len(wall),
        "step_wall_ms_mean": round(sum(wall) / len(wall) * 1000, 3),
        "step_cpu_ms_mean": round(sum(cpu) / len(cpu) * 1000, 3),
        "step_wait_ms_mean": round((sum(wall) - sum(cpu)) / len(wall) * 1000, 3),
        "step_wall_ms_p50": round(median(wall) * 1000, 3),
        "inmemory_step_ms_p50": round(plain["step_ms_p50"], 3),
        "phases": table,
    }
    print(
        f"  step: wall {figures['step_wall_ms_mean']:.2f} ms (p50 {figures['step_wall_ms_p50']:.2f}),"
        f" CPU {figures['step_cpu_ms_mean']:.2f}, waiting on the database"
        f" {figures['step_wait_ms_mean']:.2f}; plain SpiffWorkflow step p50"
        f" {figures['inmemory_step_ms_p50']:.2f}"
    )
    return figures


def starts(projects: int) -> dict[str, Any]:
    """The portfolio's automatic notices started through the one loop, timed by phase."""
    profile = load_profile("lianping")
    phases = Phases()
    for database in rules_bench.databases():
        with database as engine:
            rules_bench.load(engine, projects, profile)
            with sessionmaker(engine)() as session, session.begin():
                rules_bench.run_scan(
                    session, profile, rules_bench.TODAY, rules_bench.NOW, start_cases=False
                )
            with phases.wrapped(START_PHASES):
                phases.on = True
                started, wall, cpu, _ = rules_bench.start_all(engine, profile, 200)
                phases.on = False
            name = engine.dialect.name
    print(f"{name}: {started} cases started")
    table = phases.table(started, "case")
    figures = {
        "backend": name,
        "cases_started": started,
        "case_wall_ms": round(wall / started * 1000, 3),
        "case_cpu_ms": round(cpu / started * 1000, 3),
        "case_wait_ms": round((wall - cpu) / started * 1000, 3),
        "cases_per_s": round(started / wall, 1),
        "phases": table,
    }
    print(
        f"  per case: wall {figures['case_wall_ms']:.2f} ms, CPU {figures['case_cpu_ms']:.2f},"
        f" waiting on the database {figures['case_wait_ms']:.2f}"
        f" ({figures['cases_per_s']} cases/s)"
    )
    return figures


def main() -> None:
    """Time the steps or the starts by phase and print the table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["steps", "starts"])
    parser.add_argument("--cases", type=int, default=150)
    parser.add_argument("--projects", type=int, default=3000)
    args = parser.parse_args()
    figures = steps(args.cases) if args.what == "steps" else starts(args.projects)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
