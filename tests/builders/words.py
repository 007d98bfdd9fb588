"""What users must not read on a page (issue 15): raw field names, codes, internal ids, ``None``
and ISO timestamps; shared by every page test that checks a page's words."""

from __future__ import annotations

import re

from keyproj import codes
from keyproj.db.base import Base
from keyproj.policy import available_profiles, load_profile
from keyproj.rules import RULES
from keyproj.services.reference import wording

# ASCII neighbours only: Chinese characters are \w to ``re``, and "状态supervised" is a leak.
SNAKE = re.compile(r"(?<![A-Za-z0-9_./@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_./@-])")
WORD = re.compile(r"(?<![A-Za-z0-9_./@:-])[a-z]+(?![A-Za-z0-9_./@:-])")
ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:?\d{2}|Z)?"
    r"|\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2}|Z)"
)
NONE = re.compile(r"(?<![A-Za-z0-9_])(?:None|True|False|NaN)(?![A-Za-z0-9_])")
# A clause code of a regulation a profile encodes: only ever a "依据" link, never read as text.
CLAUSE_SHOWN = re.compile(
    rf"(?<![A-Za-z0-9])(?:{'|'.join(load_profile(p).profile.requirement_prefix for p in available_profiles())})\d{{1,2}}(?:-\d+)?(?![0-9])"
)
INTERNAL_ID = re.compile(
    r"(?<![A-Za-z0-9_])(?:issue|case|task|report|warning|project)-\d+(?![A-Za-z0-9_])"
)


def _code_values() -> set[str]:
    found: set[str] = set()
    stack: list[type[codes.Code]] = [codes.Code]
    while stack:
        kind = stack.pop()
        stack.extend(kind.__subclasses__())
        found |= {m.value for m in kind}  # type: ignore[attr-defined]
    return found


def raw_words() -> set[str]:
    """What users must never read: column names, evidence keys, rule ids and status codes."""
    columns = {c.name for table in Base.metadata.tables.values() for c in table.columns}
    return (
        {c for c in columns if "_" in c or c in {"status", "colour", "level", "kind"}}
        | set(wording.KEYS)
        | wording.SHOWN_APART
        | {rule.name for rule in RULES}
        | {v for v in _code_values() if v.isascii()}
    )


def problems(text: str, allowed: set[str], raw: set[str]) -> list[str]:
    """What the visible ``text`` shows that users should not read, each once."""
    found = [f"ISO timestamp {m}" for m in ISO_MOMENT.findall(text)]
    found += [f"literal {m}" for m in NONE.findall(text)]
    found += [f"clause code {m}" for m in CLAUSE_SHOWN.findall(text)]
    found += [f"internal id {m}" for m in INTERNAL_ID.findall(text)]
    found += [f"field name {m}" for m in SNAKE.findall(text) if m not in allowed]
    found += [f"code {m}" for m in WORD.findall(text) if m in raw and m not in allowed]
    return sorted(set(found))
