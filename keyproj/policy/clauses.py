"""The regulations' clause texts, shipped with the product, that the profiles' citations name."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CLAUSES_FILE = Path(__file__).with_name("clauses.toml")
# LP11-1 is item (一) of article LP11: the item is cited, the article's text is shown.
SUB_ITEM = re.compile(r"-\d+$")


@dataclass(frozen=True)
class Clause:
    """One clause: its requirement ID, where it stands in the regulation, and its text."""

    id: str
    seed: str
    where: str
    text: str


@cache
def _all() -> dict[str, Clause]:
    raw = tomllib.loads(CLAUSES_FILE.read_text(encoding="utf-8"))
    return {
        rid: Clause(rid, body["seed"], body["where"], body["text"]) for rid, body in raw.items()
    }


def clause(requirement: str) -> Clause | None:
    """The clause behind a requirement ID (LP13, LP11-1, HD3); None for the system's own (X1)."""
    return _all().get(SUB_ITEM.sub("", requirement))
