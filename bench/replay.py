"""Replay benchmark (X4): a long matter (LP18) with many report cycles and progress updates,
built through the services, then replayed against its pinned diagram N times.

    .venv/bin/python bench/replay.py [--cycles 15] [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from bench.common import backends, median, percentile
from bench.engine import FORMS, PROFILE, START, WHO, county
from keyproj.codes import Role
from keyproj.db.models import Case, EarlyWarning
from keyproj.services.access import Viewer
from keyproj.services.cases import commands as cases
from keyproj.services.cases.audit import replay_case
from keyproj.services.cases.events import EventKind
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.cases.views.history import case_history

LONG_TERM = {"decision": "long_term", "opinion": "征地涉及群众安置，需较长时间跟进"}
STILL_OPEN = {"progress": "本期完成安置协议签订若干户", "resolved": "no"}
AUDITOR = Viewer(user_id=0, unit_id=0, roles=frozenset({Role.AUDITOR}))


def long_matter(engine: Engine, cycles: int) -> int:
    """A case taken to the long-matter loop (LP18), then ``cycles`` reports not yet resolved,
    each after a progress update; the case's id."""
    viewers, warning_ids = county(engine, 1)
    make = sessionmaker(engine, expire_on_commit=False)
    now = START
    with make() as s, s.begin():
        case_id = cases.start_case(s, s.get_one(EarlyWarning, warning_ids[0]), PROFILE, now).id
    steps = [*[*FORMS.items()][:-1], ("evaluate", LONG_TERM)]
    steps += [("long_progress_report", STILL_OPEN)] * cycles
    for name, form in steps:
        now += timedelta(hours=2)
        who = viewers[WHO.get(name, "town")]
        with make() as s, s.begin():
            if name == "long_progress_report":
                text = "项目部已进场，安置工作按计划推进"
                cases.add_update(s, who, case_id, EventKind.PROGRESS_UPDATE, text, now)
            task_id = next(r.id for r in open_task_rows(s, case_id) if r.name == name)
            result = cases.complete_task(s, who, task_id, form, PROFILE, now)
            assert result.accepted, result.message
    return case_id


def run(engine: Engine, cycles: int, runs: int) -> dict:
    """Build the case, then time the replay and the auditor's history of it ``runs`` times."""
    case_id = long_matter(engine, cycles)
    make = sessionmaker(engine, expire_on_commit=False)
    replays: list[float] = []
    histories: list[float] = []
    with make() as s:
        events = s.scalar(select(Case.event_count).where(Case.id == case_id)) or 0
        for _ in range(runs):
            t = time.perf_counter()
            report = replay_case(s, case_id)
            replays.append(time.perf_counter() - t)
            assert report.first_mismatch is None
            assert report.final_matches_stored
            t = time.perf_counter()
            history = case_history(s, AUDITOR, case_id)
            histories.append(time.perf_counter() - t)
            assert history.problem is None
            assert history.first_mismatch is None
    return {
        "events": events,
        "replay_ms": median(replays) * 1000,
        "replay_ms_p95": percentile(replays, 95) * 1000,
        "history_ms": median(histories) * 1000,
        "history_ms_p95": percentile(histories, 95) * 1000,
    }


def main() -> None:
    """Print each backend's figures and end with one JSON line (the first backend's figures)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=15)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    figures: dict[str, dict] = {}
    for name, database in backends():
        with database() as engine:  # type: ignore[operator]
            figures[name] = run(engine, args.cycles, args.runs)
        f = figures[name]
        print(
            f"{name}: {f['events']} events; replay p50 {f['replay_ms']:.1f} ms "
            f"(p95 {f['replay_ms_p95']:.1f}); auditor's history p50 {f['history_ms']:.1f} ms "
            f"(p95 {f['history_ms_p95']:.1f})"
        )
    first = next(iter(figures.values()))
    line = {**first, "backends": figures}
    print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
