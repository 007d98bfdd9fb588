"""The profile's interview register (约谈, HD6): what proposes an interview and how it is noticed."""

from __future__ import annotations

from pydantic import Field

from keyproj.policy.strict import Strict as _Strict


class Interviews(_Strict):
    """HD6 约谈: the ranking places and the number of rankings that propose an interview, the
    days of grace on a ledger date, who holds it, when the unit is reminded, the notice's issuer
    and number prefix."""

    bottom_places: int = Field(ge=1)  # HD6: 排在后三位
    rankings: int = Field(ge=2)  # HD6: 两次通报
    ledger_grace_days: int = Field(ge=0)  # HD6: 未按时开工、竣工
    interviewer: str = Field(min_length=1)  # HD6: 市政府主管领导
    reminder_days_before: int = Field(ge=1)
    notice_issuer: str = Field(min_length=1)
    notice_prefix: str = Field(min_length=1)  # 邯约谈〔2026〕N号
