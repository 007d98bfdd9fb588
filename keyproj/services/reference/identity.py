"""The county's own identity: its name and the issuers and number prefixes of its documents.

Stored in the database once an administrator edits it; until then the active profile's name
and prefixes apply, so an existing installation numbers its documents as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy.orm import Session

from keyproj.codes import AdminAction
from keyproj.db.base import length_of
from keyproj.db.models import CountyIdentity
from keyproj.policy import PolicyProfile
from keyproj.services.admin.changelog import Actor, record
from keyproj.validation import Checks

LABELS = {
    "county_name": "本县名称",
    "notice_issuer": "预警催办通知发文机关",
    "warning_notice_prefix": "预警催办通知字号前缀",
    "supervision_issuer": "督查立项通知书发文机关",
    "supervision_notice_prefix": "督查立项通知书字号前缀",
}
# A prefix is followed by 〔year〕n号: brackets, digits or 号 in it would make numbers ambiguous.
PREFIX_FORBIDDEN = re.compile(r"[〔〕\[\]()（）0-9０-９号\s]")


@dataclass(frozen=True)
class Identity:
    """The name and document issuers the installation uses."""

    county_name: str
    notice_issuer: str
    warning_notice_prefix: str
    supervision_issuer: str
    supervision_notice_prefix: str
    edited_at: datetime | None = None  # None: the profile's defaults, never edited


def defaults(profile: PolicyProfile) -> Identity:
    """The identity an installation has before an administrator edits it (from the profile)."""
    name = profile.profile.name
    return Identity(
        county_name=name,
        # The regulations call the key office 重点项目工作领导小组办公室 (LP4): a local default.
        notice_issuer=f"{name}重点项目工作领导小组办公室",
        warning_notice_prefix=profile.documents.warning_notice_prefix,
        supervision_issuer=f"{name}督查室",
        supervision_notice_prefix=profile.documents.supervision_notice_prefix,
    )


def county_identity(session: Session, profile: PolicyProfile) -> Identity:
    """The identity in force: the stored one, else the profile's defaults."""
    row = session.get(CountyIdentity, 1)
    if row is None:
        return defaults(profile)
    return Identity(
        row.county_name,
        row.notice_issuer,
        row.warning_notice_prefix,
        row.supervision_issuer,
        row.supervision_notice_prefix,
        row.updated_at,
    )


def save_identity(
    session: Session, actor: Actor, now: datetime, profile: PolicyProfile, values: dict[str, str]
) -> Identity:
    """Store the edited identity; every field is checked first, and the changes are logged."""
    checks = Checks(LABELS)
    clean: dict[str, str] = {}
    for name in LABELS:
        text = checks.text(
            name, values.get(name), length_of(getattr(CountyIdentity, name)), required=True
        )
        if text is not None and name.endswith("_prefix") and PREFIX_FORBIDDEN.search(text):
            checks.fail(name, "不能含数字、括号、空格或“号”：字号由前缀加〔年份〕和序号组成")
        clean[name] = text or ""
    checks.done()
    before = county_identity(session, profile)
    row = session.get(CountyIdentity, 1) or CountyIdentity(id=1)
    for name, text in clean.items():
        setattr(row, name, text)
    row.updated_at, row.updated_by_id = now, actor.user_id
    session.add(row)
    session.flush()
    changed = [
        f"{LABELS[f.name]}：{getattr(before, f.name)} → {clean[f.name]}"
        for f in fields(Identity)
        if f.name in clean and getattr(before, f.name) != clean[f.name]
    ]
    if changed:
        record(session, actor, AdminAction.IDENTITY_CHANGED, "本县信息", now, "；".join(changed))
    return county_identity(session, profile)
