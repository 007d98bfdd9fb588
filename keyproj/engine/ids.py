"""Task ids made and read without ``uuid.UUID``'s general constructor: the same UUIDs, cheaper.

A case's tasks are keyed by UUID, and building a UUID through its constructor (which accepts
five input forms and checks each) was a quarter of loading a stored case; a new task's
``uuid4()`` was a twentieth of starting one. ``parse`` reads the text ``str(uuid)`` writes
and ``new`` makes a random (version 4) id, each giving exactly the object ``UUID(text)`` or
``uuid4()`` gives; SpiffWorkflow's tasks take their ids from ``new``.
"""

from __future__ import annotations

import os
from uuid import UUID, SafeUUID

from SpiffWorkflow import task as _spiff_task

_UNKNOWN = SafeUUID.unknown
# uuid4's bits: the variant (RFC 4122) and the version (4).
_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_SET = (0x8000 << 48) | (4 << 76)


def _made(value: int) -> UUID:
    uuid = object.__new__(UUID)
    object.__setattr__(uuid, "int", value)
    object.__setattr__(uuid, "is_safe", _UNKNOWN)
    return uuid


def parse(text: str) -> UUID:
    """``UUID(text)``; the canonical form (``str(uuid)``) read directly, any other by UUID."""
    if len(text) == 36 and text[8] == text[13] == text[18] == text[23] == "-":  # its dashes
        # What UUID does with such a text once it has taken the dashes out.
        return _made(int(text.replace("-", ""), 16))
    return UUID(text)


def new() -> UUID:
    """``uuid4()``: 16 random bytes with the version and variant bits set."""
    return _made((int.from_bytes(os.urandom(16)) & _CLEAR) | _SET)


_spiff_task.uuid4 = new  # Task() takes a new task's id from here (``id or uuid4()``)
