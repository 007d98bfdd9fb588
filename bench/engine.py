"""Engine benchmark: whole warning cases through the persisted services vs plain SpiffWorkflow,
then a timer sweep over 100,000 open cases of which 1,000 are due.

    .venv/bin/python bench/engine.py [--cases N] [--open 100000] [--due 1000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from chinese_calendar import constants
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from bench.common import backends, median, percentile
from bench.sweep import sharded_sweep
from keyproj.calendar import WorkCalendar
from keyproj.clock import BEIJING
from keyproj.db.models import Case, EarlyWarning
from keyproj.engine import quiet
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.cases import commands as cases
from keyproj.services.cases import warm
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.cases.timers import sweep
from keyproj.services.org.directory import UserData, create_user, save_unit
from keyproj.services.projects.project import ProjectData, create_project

DIAGRAM = Path(__file__).parents[1] / "bpmn" / "warning_case.bpmn"
PROFILE = load_profile("lianping")
START = datetime(2026, 3, 2, 1, tzinfo=UTC)  # Monday 09:00 Beijing
FORMS = {
    "issue_notice": {
        "level": "progress",
        "routing": "town",
        "lead_unit_code": "T01",
        "notice_text": "该项目投资完成率低于序时进度，请抓紧协调推进。",
    },
    "respond": {
        "measures": "约谈施工单位，增加作业面",
        "person_in_charge": "王镇长",
        "phone": "13800000000",
        "planned_completion": "2026-03-20",
    },
    "report_outcome": {"result": "resolved", "evidence": "已完成征地，施工恢复正常"},
    "evaluate": {"decision": "accepted", "opinion": "协调有效，同意办结"},
}
# The notice's parts (LP13) as the notice hook names them: the lead town alone here.
PARTS = [{"unit_id": 1, "unit_code": "T01", "unit_name": "城关镇", "role": "lead"}]
WHO = {"issue_notice": "zdb", "respond": "town", "report_outcome": "town", "evaluate": "zdb"}


def calendar_deadline():
    """The scripts' working_deadline on the packaged holiday data, without a database."""
    cal = WorkCalendar.build(
        {d.year for d in constants.holidays}, constants.holidays, constants.workdays
    )
    return lambda start, n: cal.deadline(datetime.fromisoformat(start), n).isoformat()


def county(engine: Engine, n: int) -> tuple[dict, list[int]]:
    """Units, users, a project and n warnings."""
    with Session(engine) as s, s.begin():
        save_unit(s, "T01", "城关镇", "town")
        people = {
            "zdb": create_user(s, UserData("zdb", "重点办", "ZDB", "Bench#2026x", ["key_office"])),
            "town": create_user(
                s, UserData("town", "城关镇", "T01", "Bench#2026x", ["unit_liaison"])
            ),
        }
        project = create_project(
            s,
            ProjectData(
                "2026-441623-48-01-000001",
                "城关镇污水处理厂",
                "county",
                "new",
                Decimal(5000),
                "T01",
            ),
        )
        warnings = [_warning(project.id, f"2026-{i:05d}") for i in range(n)]
        s.add_all(warnings)
        s.flush()
        viewers = {k: viewer_for(s, u) for k, u in people.items()}
        return viewers, [w.id for w in warnings]


def _warning(project_id: int, period: str) -> EarlyWarning:
    return EarlyWarning(
        rule_id="progress_lag",  # LP11-1
        project_id=project_id,
        period=period,
        level="progress",
        colour="red",
        evidence={},
        source="scan",
        status="open",
        raised_at=START,
    )


def persisted(engine: Engine, n: int, cold: bool = False) -> dict:
    """``n`` whole on-time cases, each step a committed service call; per-step latencies.

    Warm: a case's steps follow each other in this process, which keeps its instance between
    them. Cold (``cold``): the kept instances are dropped before every step, as for a web
    worker that has not seen the case, so each step decodes the stored state.
    """
    viewers, warning_ids = county(engine, n)
    make = sessionmaker(engine, expire_on_commit=False)
    steps: list[float] = []
    cpu: list[float] = []
    began = time.perf_counter()
    for i, warning_id in enumerate(warning_ids):
        now = START + timedelta(minutes=i)
        t, c = time.perf_counter(), time.process_time()
        with make() as s, s.begin():
            case_id = cases.start_case(s, s.get_one(EarlyWarning, warning_id), PROFILE, now).id
        steps.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        for name in FORMS:
            now += timedelta(hours=1)
            with make() as s:  # the inbox page: the user picks the task (not part of the step)
                task_id = next(r.id for r in open_task_rows(s, case_id) if r.name == name)
            if cold:
                warm.forget_all()
            t, c = time.perf_counter(), time.process_time()
            with make() as s, s.begin():
                result = cases.complete_task(
                    s, viewers[WHO[name]], task_id, FORMS[name], PROFILE, now
                )
            steps.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            assert result.accepted, result.message
    elapsed = time.perf_counter() - began
    with make() as s:
        closed = s.scalars(select(Case.status)).all()
    assert closed.count("closed") == n
    return {
        "step_ms_p50": median(steps) * 1000,
        "step_ms_p95": percentile(steps, 95) * 1000,
        "step_cpu_ms_p50": median(cpu) * 1000,
        "cases_per_s": n / elapsed,
        "steps": len(steps),
    }


def in_memory(n: int) -> dict:
    """The same diagram and path with plain SpiffWorkflow: no database, no serialization."""
    # Plain means as shipped: without keyproj's quieter state-change logging, which importing
    # keyproj.engine installs for the whole process.
    ours, Task._set_state = Task._set_state, quiet.SPIFF_SET_STATE
    try:
        return _in_memory(n)
    finally:
        Task._set_state = ours


def _wall_now() -> str:
    """The diagram scripts' ``now()`` for plain SpiffWorkflow, which runs on the wall clock."""
    return datetime.now(BEIJING).replace(microsecond=0).isoformat()


def _in_memory(n: int) -> dict:
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(DIAGRAM))
    spec, subs = parser.get_spec("warning_case"), parser.get_subprocess_specs("warning_case")
    deadline = calendar_deadline()
    steps: list[float] = []
    cpu: list[float] = []
    for _ in range(n):
        now = datetime.now(UTC)  # plain SpiffWorkflow reads the wall clock for its timers
        t, c = time.perf_counter(), time.process_time()
        wf = BpmnWorkflow(
            spec,
            subs,
            script_engine=PythonScriptEngine(
                environment=TaskDataEnvironment({"working_deadline": deadline, "now": _wall_now})
            ),
        )
        for task in wf.get_tasks(state=TaskState.READY):
            task.set_data(
                started_at=now.astimezone(BEIJING).isoformat(),
                entry="warning",
                notice_working_days=3,
                response_working_days=3,
                outcome_working_days=10,
                evaluate_working_days=3,
                county_gov_assign_working_days=3,
                county_gov_handling_working_days=10,
                county_gov_check_working_days=5,
                supervision_working_days=10,
            )
        wf.do_engine_steps()
        steps.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        for name, form in FORMS.items():
            t, c = time.perf_counter(), time.process_time()
            task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
            assert task.task_spec.name == name
            task.data.update(
                {
                    name: form,
                    "notice_issued_at": now.astimezone(BEIJING).isoformat(),
                    "parts": PARTS,
                }
            )
            task.run()
            wf.do_engine_steps()
            steps.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        assert wf.is_completed()
    return {"step_ms_p50": median(steps) * 1000, "step_cpu_ms_p50": median(cpu) * 1000}


def sweep_bench(engine: Engine, open_cases: int, due: int, shards: int = 1) -> dict:
    """open_cases open cases (bulk-inserted from one real state), due of them with a due timer;
    one sweep, or ``shards`` side by side in their own processes (``bench.sweep``)."""
    _, warning_ids = county(engine, 1)
    make = sessionmaker(engine, expire_on_commit=False)
    with make() as s, s.begin():
        warning = s.get_one(EarlyWarning, warning_ids[0])
        template = cases.start_case(s, warning, PROFILE, START)
        project_id = warning.project_id
        definition_id, state, state_hash = (
            template.definition_id,
            template.state,
            template.state_hash,
        )
    notice_due = START + timedelta(days=10)
    fire_at = notice_due + timedelta(days=1)
    t = time.perf_counter()
    chunk = 10_000
    for first in range(0, open_cases, chunk):
        count = min(chunk, open_cases - first)
        with engine.begin() as conn:
            ids = (
                conn.execute(
                    insert(EarlyWarning).returning(EarlyWarning.id),
                    [
                        {
                            "rule_id": "progress_lag",  # LP11-1
                            "project_id": project_id,
                            "period": f"b{first + i}",
                            "level": "progress",
                            "colour": "red",
                            "evidence": {},
                            "source": "scan",
                            "status": "open",
                            "raised_at": START,
                        }
                        for i in range(count)
                    ],
                )
                .scalars()
                .all()
            )
            conn.execute(
                insert(Case),
                [
                    {
                        "warning_id": wid,
                        "definition_id": definition_id,
                        "status": "open",
                        "state": state,
                        "serializer_version": template.serializer_version,
                        "state_hash": state_hash,
                        "next_timer_at": notice_due
                        if first + i < due
                        else notice_due + timedelta(days=3650),
                        "version": 1,
                        "event_count": 0,
                        "last_event_hash": "0" * 64,
                        "opened_at": START,
                    }
                    for i, wid in enumerate(ids)
                ],
            )
            # Each warning points at its case, as start_matters leaves it (a closing case
            # gives its outcome to every warning it covers, found by warnings.case_id).
            conn.execute(
                update(EarlyWarning)
                .where(EarlyWarning.id.in_(ids))
                .values(
                    case_id=select(Case.id)
                    .where(Case.warning_id == EarlyWarning.id)
                    .scalar_subquery()
                )
            )
    setup_s = time.perf_counter() - t
    if shards > 1:
        url = engine.url.render_as_string(hide_password=False)
        return {"sweep_open": open_cases + 1, **sharded_sweep(url, fire_at, shards)}
    t, c = time.perf_counter(), time.process_time()
    result = sweep(make, fire_at)
    sweep_s, sweep_cpu_s = time.perf_counter() - t, time.process_time() - c
    return {
        "sweep_open": open_cases + 1,
        "sweep_due": result.cases,
        "sweep_timers": result.timers,
        "sweep_s": sweep_s,
        "sweep_cpu_s": sweep_cpu_s,
        "sweep_setup_s": setup_s,
    }


def main() -> None:
    """Run the step and sweep benchmarks and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args()

    memory = in_memory(args.cases)
    print(f"in memory (plain SpiffWorkflow): step p50 {memory['step_ms_p50']:.2f} ms")
    figures: dict[str, object] = {
        "cases": args.cases,
        "inmemory_step_ms_p50": round(memory["step_ms_p50"], 3),
        "inmemory_step_cpu_ms_p50": round(memory["step_cpu_ms_p50"], 3),
    }
    # Every step measurement first, then the sweeps: a sweep's bulk load and the dropping of
    # its database leave the disk busy for a while, which would slow the next step figures.
    steps = {}
    for name, database in backends():
        with database() as engine:  # type: ignore[operator]
            p = steps[name] = persisted(engine, args.cases)
        with database() as engine:  # type: ignore[operator]
            cold = persisted(engine, args.cases, cold=True)
        p["cold_ms_p50"], p["cold_ms_p95"] = cold["step_ms_p50"], cold["step_ms_p95"]
        print(
            f"{name}: step p50 {p['step_ms_p50']:.2f} ms, p95 {p['step_ms_p95']:.2f} ms, "
            f"{p['cases_per_s']:.1f} whole cases/s ({p['steps']} steps); "
            f"cold p50 {p['cold_ms_p50']:.2f} ms, p95 {p['cold_ms_p95']:.2f} ms"
        )
    for name, database in backends():
        with database() as engine:  # type: ignore[operator]
            s = sweep_bench(engine, args.open, args.due)
        print(
            f"{name}: sweep of {s['sweep_open']} open cases, {s['sweep_due']} due: {s['sweep_s']:.2f} s "
            f"({s['sweep_timers']} timers; bulk set-up {s['sweep_setup_s']:.1f} s)"
        )
        if name == "postgresql":  # the workers' sweeps side by side (KEYPROJ_SWEEP_SHARDS)
            with database() as engine:  # type: ignore[operator]
                sharded = sweep_bench(engine, args.open, args.due, shards=2)
            s.update({k: v for k, v in sharded.items() if k != "sweep_open"})
            print(f"{name}: the same in 2 shards side by side: {s['sweep_sharded_s']:.2f} s")
        p = steps[name]
        figures[name] = {
            "persisted_step_ms_p50": round(p["step_ms_p50"], 3),
            "persisted_step_ms_p95": round(p["step_ms_p95"], 3),
            "persisted_step_cpu_ms_p50": round(p["step_cpu_ms_p50"], 3),
            "ratio": round(p["step_ms_p50"] / memory["step_ms_p50"], 2),
            "persisted_step_cold_ms_p50": round(p["cold_ms_p50"], 3),
            "persisted_step_cold_ms_p95": round(p["cold_ms_p95"], 3),
            "cold_ratio": round(p["cold_ms_p50"] / memory["step_ms_p50"], 2),
            "cases_per_s": round(p["cases_per_s"], 2),
            **{k: round(v, 3) if isinstance(v, float) else v for k, v in s.items()},
        }
    # The headline figures are PostgreSQL's when it ran (the production database), else SQLite's.
    headline: dict = figures.get("postgresql") or figures["sqlite"]  # type: ignore[assignment]
    keys: tuple[str, ...] = ("persisted_step_ms_p50", "persisted_step_cpu_ms_p50", "ratio")
    keys += ("persisted_step_cold_ms_p50", "cold_ratio", "cases_per_s", "sweep_open")
    keys += ("sweep_due", "sweep_s", "sweep_cpu_s", "sweep_shards", "sweep_sharded_s")
    figures.update({k: headline[k] for k in keys if k in headline})
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
