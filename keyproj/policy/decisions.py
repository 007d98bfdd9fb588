"""The profile's decided items (议定事项, AL13 一是, DC3 三(三), GS6): when the owner unit is
reminded before the deadline, and whether a missed deadline is held against it."""

from __future__ import annotations

from pydantic import Field

from keyproj.policy.strict import Strict as _Strict


class Decisions(_Strict):
    """How decided items are followed up; no regulation states the reminder's days (local)."""

    # The owner unit is reminded on the working day this many working days before the deadline.
    remind_working_days_before: int = Field(ge=1, le=20)
    # AL13 一是: an item not done by its deadline is recorded against its owner unit at once.
    overdue_accountability: bool = False
