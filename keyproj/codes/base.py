"""The base of every code list: a string enum whose members carry their Chinese label."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Code(StrEnum):
    """A code: stored and compared as its value (``"open"``), shown as its label (``"办理中"``).

    Members are strings, so they go wherever a code string went (queries, JSON, form choices).
    """

    label: str

    # The label has a default only so that ``CaseStatus("open")`` type-checks as a lookup.
    def __new__(cls, value: str, label: str = "") -> Self:
        """A member whose value is the code and whose ``label`` is its Chinese text."""
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code → label for every member, in declaration order (form choices, lookups)."""
        return {m.value: m.label for m in cls}

    @classmethod
    def label_of(cls, code: str | None) -> str:
        """The label of ``code``; an unknown code is shown as it is, a missing one as empty."""
        if not code:
            return ""
        member = cls._value2member_map_.get(code)
        return member.label if isinstance(member, Code) else code

    @classmethod
    def parse(cls, code: str | None) -> Self | None:
        """The member for ``code``, or None when it is empty or not one of the codes."""
        member = cls._value2member_map_.get(code or "")
        return member if isinstance(member, cls) else None
