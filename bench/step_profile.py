"""Where a persisted step's time goes: statements per step by task, and its cProfile tops.

    .venv/bin/python bench/step_profile.py [--cases N] [--top 15]

Whole warning cases as ``bench/engine.py`` runs them (a process that keeps a case's instance
between its transactions), on PostgreSQL when ``KEYPROJ_TEST_DATABASE_URL`` is set, else
SQLite. Statements are counted as the server sees them: SQLAlchemy's cursor executions and
the prepared statements the repository sends through psycopg itself (BEGIN and COMMIT
apart, one each per step). The profile measures CPU time (on a shared machine the wall time
of a step mostly measures the others' load) over the task completions only.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

import psycopg
from sqlalchemy import Engine, event
from sqlalchemy.orm import sessionmaker

from bench import engine as cases_bench
from bench.common import backends
from keyproj.db.models import EarlyWarning
from keyproj.services.cases import commands as cases
from keyproj.services.cases.repository import open_task_rows


@contextmanager
def counted(engine: Engine) -> Iterator[list[int]]:
    """A one-item list counting the statements sent while the block runs."""
    count = [0]

    def cursor(*_args: object) -> None:
        count[0] += 1

    driver_execute = psycopg.Connection.execute

    def direct(self: psycopg.Connection, *args: object, **kwargs: object) -> object:
        count[0] += 1
        return driver_execute(self, *args, **kwargs)  # type: ignore[arg-type]

    event.listen(engine, "before_cursor_execute", cursor)
    psycopg.Connection.execute = direct  # type: ignore[assignment, method-assign]
    try:
        yield count
    finally:
        psycopg.Connection.execute = driver_execute  # type: ignore[method-assign]
        event.remove(engine, "before_cursor_execute", cursor)


def profile(engine: Engine, n: int) -> tuple[dict[str, set[int]], cProfile.Profile]:
    """Run ``n`` whole cases; the statement counts seen per step and the completions' profile."""
    viewers, warning_ids = cases_bench.county(engine, n)
    make = sessionmaker(engine, expire_on_commit=False)
    profiler = cProfile.Profile(time.process_time)
    statements: dict[str, set[int]] = {}
    with counted(engine) as count:
        for i, warning_id in enumerate(warning_ids):
            now = cases_bench.START + timedelta(minutes=i)
            count[0] = 0
            with make() as s, s.begin():
                case_id = cases.start_case(
                    s, s.get(EarlyWarning, warning_id), cases_bench.PROFILE, now
                ).id
            statements.setdefault("start", set()).add(count[0])
            for name, form in cases_bench.FORMS.items():
                now += timedelta(hours=1)
                with make() as s:  # the inbox page: not part of the step
                    task_id = next(r.id for r in open_task_rows(s, case_id) if r.name == name)
                count[0] = 0
                with make() as s, s.begin():
                    profiler.enable()
                    viewer = viewers[cases_bench.WHO[name]]
                    cases.complete_task(s, viewer, task_id, form, cases_bench.PROFILE, now)
                    profiler.disable()
                statements.setdefault(name, set()).add(count[0])
    return statements, profiler


def main() -> None:
    """Print the statements per step and the profile tops by cumulative and own time."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    name, database = backends()[-1]
    with database() as engine:  # type: ignore[operator]
        statements, profiler = profile(engine, args.cases)
    print(f"{name}: statements per step (besides BEGIN and COMMIT)")
    for step, seen in statements.items():
        print(f"  {step}: {sorted(seen)}")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
