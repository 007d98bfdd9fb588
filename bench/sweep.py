"""Timer sweeps side by side, as the workers run them on PostgreSQL: one process a shard.

The worker runs two processes, and on PostgreSQL the beat sends one sweep a shard each tick
(``KEYPROJ_SWEEP_SHARDS``, two by default): each process sweeps the due cases whose id falls
to its shard. Here each shard's process is started, connected and waiting before the clock
starts, as a worker's process is; the time is the wall time until every shard has finished.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from datetime import datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from typing import Any

from sqlalchemy.orm import sessionmaker

from keyproj.db.session import make_engine
from keyproj.services.cases.timers import Shard, sweep


def _shard(
    url: str,
    fire_at: datetime,
    shard: Shard,
    ready: Queue[int],
    go: Event,
    results: Queue[tuple[int, int]],
) -> None:
    """One worker process: connect, wait for the start, sweep its shard, report."""
    engine = make_engine(url)  # its own engine: the parent's connections stay the parent's
    with engine.connect():
        pass
    factory = sessionmaker(engine, expire_on_commit=False)
    ready.put(shard.index)
    go.wait()
    result = sweep(factory, fire_at, shard=shard)
    results.put((result.cases, result.timers))
    engine.dispose()


def sharded_sweep(url: str, fire_at: datetime, shards: int) -> dict[str, Any]:
    """Sweep the database at ``url`` at ``fire_at`` in ``shards`` processes side by side."""
    earlier = resource.getrusage(resource.RUSAGE_CHILDREN)  # children reaped before this run
    context = multiprocessing.get_context("fork")
    ready: Queue[int] = context.Queue()
    results: Queue[tuple[int, int]] = context.Queue()
    go = context.Event()
    processes = [
        context.Process(target=_shard, args=(url, fire_at, Shard(k, shards), ready, go, results))
        for k in range(shards)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=120)
    began = time.perf_counter()
    go.set()
    done = [results.get(timeout=600) for _ in processes]
    wall = time.perf_counter() - began
    for process in processes:
        process.join()
    # The children's CPU over their whole life (connecting included): counted once reaped.
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = reaped.ru_utime + reaped.ru_stime - earlier.ru_utime - earlier.ru_stime
    return {
        "sweep_shards": shards,
        "sweep_sharded_due": sum(cases for cases, _ in done),
        "sweep_sharded_timers": sum(timers for _, timers in done),
        "sweep_sharded_s": wall,
        "sweep_sharded_cpu_s": cpu,
    }
