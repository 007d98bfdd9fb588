"""Instances kept warm between transactions: the next step of a busy case skips rebuilding it.

Rebuilding an instance from its stored state is most of a step's engine work. After a save,
the instance is exactly the state just written, so it is kept, keyed by database and case,
together with the bytes written. The next opening of the case takes it only if the row read
under the lock holds those very bytes: a save rolled back, a write by another process or a
database rebuilt since all show as different bytes, and the state is then decoded as usual.
Taking removes the entry, so one transaction at a time owns an instance, and an instance
changed by a transaction that failed is never seen again. The sweep and any other first
opening of a case in a process still decode it.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict

from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from keyproj.db.models import Case
from keyproj.engine import CaseInstance
from keyproj.engine.instance import DeadlineFn

CAPACITY = 512  # about 20–40 KB an instance
_Key = tuple[str, int]
_kept: OrderedDict[_Key, tuple[bytes, CaseInstance]] = OrderedDict()
_lock = threading.Lock()


def _key(session: Session, case_id: int) -> _Key:
    return _database(session.get_bind().engine.url), case_id


@functools.lru_cache(maxsize=64)
def _database(url: URL) -> str:
    """The database a URL names, as text (rendering a URL each step costs more than the lookup)."""
    return url.render_as_string(hide_password=True)


def take(session: Session, case: Case, deadline: DeadlineFn) -> CaseInstance | None:
    """The kept instance of a case row just read, if the row still holds the state it was
    saved as (and the instance was not stepped since), else None."""
    with _lock:
        found = _kept.pop(_key(session, case.id), None)
    if found is None or found[0] != case.state:
        return None
    instance = found[1]
    if instance.digest() != case.state_hash:  # stepped after its save by a caller
        return None
    instance.use_deadline(deadline)
    return instance


def keep(session: Session, case_id: int, state: bytes, instance: CaseInstance) -> None:
    """Keep an instance just saved as ``state`` for the case's next transaction."""
    key = _key(session, case_id)
    with _lock:
        _kept[key] = (state, instance)
        _kept.move_to_end(key)
        while len(_kept) > CAPACITY:
            _kept.popitem(last=False)


def forget_all() -> None:
    """Drop every kept instance (a benchmark measuring cold loads starts here)."""
    with _lock:
        _kept.clear()
