"""The active policy profile as the administrators read it: each value, its citation, the clause."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from keyproj.policy import PolicyProfile
from keyproj.policy.clauses import Clause, clause
from keyproj.policy.loader import REQUIREMENT_ID

LOCAL_MARK = "本地取值："


@dataclass(frozen=True)
class ProfileValue:
    """One value of the profile: its dotted key, the value shown, its clause and/or local reason."""

    key: str
    value: str
    source: str | None  # the requirement ID, when the regulation states this number
    local: str | None  # why the product chose it, when the regulation gives no number
    clause: Clause | None

    @property
    def section(self) -> str:
        """The profile section the value belongs to (reporting, deadlines, …)."""
        return self.key.split(".")[0]


def profile_values(profile: PolicyProfile) -> list[ProfileValue]:
    """Every cited value of ``profile``, in the order of its file."""
    data = profile.model_dump(mode="json")
    return [_value(key, citation, data) for key, citation in profile.citations.items()]


def _value(key: str, citation: str, data: dict[str, Any]) -> ProfileValue:
    source, local = None, None
    for part in citation.split(" / "):
        if part.startswith(LOCAL_MARK):
            local = part.removeprefix(LOCAL_MARK)
        elif REQUIREMENT_ID.match(part):
            source = part
    node: Any = data
    for name in key.split("."):
        node = node[name]
    return ProfileValue(key, _shown(node), source, local, clause(source) if source else None)


def _shown(value: Any) -> str:
    """A value as text: plain for scalars, JSON (Chinese kept) for lists and tables."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
