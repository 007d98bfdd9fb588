"""The cyclic garbage collector held off while a batch of cases is started or stepped.

An engine instance is a few hundred small objects that refer to each other. Building a
batch of them makes the collector run over and over, each time walking every object still
alive, the batch's own included: a quarter of the time of starting cases went there. Held
off for the batch, it runs once afterwards and frees the batch's garbage in one pass.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0  # batches running now (threads share the one collector)
_was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """No automatic garbage collection inside the block (nested and threaded use is safe)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
