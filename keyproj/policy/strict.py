"""The base of every profile section: unknown keys refused, types strict, values frozen."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """A profile section: a typo in a key or a type fails loading, naming the key."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
