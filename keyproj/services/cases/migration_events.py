"""The case event of a move to another version of the diagram (X3): its builder and reader.

Its stored shape is written here and read here only, as for every other kind in ``events``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from keyproj.services.cases.events import Actor, EventKind, Logged, NewEvent, payload


def case_migrated(
    actor: Actor,
    from_definition: tuple[int, int],
    to_definition: tuple[int, int],
    deadlines: list[dict[str, Any]],
) -> NewEvent:
    """The case moved from one version of its diagram to another (X3): each as (definition id,
    version); ``deadlines`` the ones recomputed from their anchor (key, before, after, …)."""
    data = {
        "from_definition_id": from_definition[0],
        "from_version": from_definition[1],
        "to_definition_id": to_definition[0],
        "to_version": to_definition[1],
        "deadlines": deadlines,
    }
    return NewEvent(EventKind.CASE_MIGRATED, data, actor_id=actor.user_id, unit_id=actor.unit_id)


@dataclass(frozen=True)
class Migrated:
    """A move to another version of the diagram: from and to (definition id, version)."""

    from_definition_id: int
    from_version: int
    to_definition_id: int
    to_version: int
    deadlines: list[dict[str, Any]]


def read_migrated(event: Logged) -> Migrated:
    """The payload of a ``case_migrated`` event."""
    data = payload(event, EventKind.CASE_MIGRATED)
    return Migrated(
        int(data.get("from_definition_id") or 0),
        int(data.get("from_version") or 0),
        int(data.get("to_definition_id") or 0),
        int(data.get("to_version") or 0),
        list(data.get("deadlines") or []),
    )
