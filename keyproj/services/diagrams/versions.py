"""The versions of each diagram (X3): list, deploy, retire, and the log of who did what when.

New cases start on the newest active version of their profile's diagram; a retired version
takes no new cases and its running cases keep it until they are migrated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from keyproj.codes import CaseStatus, DefinitionStatus, DiagramChangeKind, Role
from keyproj.db.models import Case, DiagramChange, ProcessDefinition, User
from keyproj.engine.definitions import sha256_of
from keyproj.errors import Conflict, DiagramRefused, NotFound, PermissionDenied
from keyproj.policy import available_profiles, load_profile
from keyproj.services.access import Viewer
from keyproj.services.cases.definitions import deploy, title_of
from keyproj.services.diagrams.validation import validate_diagram

# X3: administrators change the diagrams; the key office and auditors read their versions.
EDITORS = (Role.ADMIN,)
READERS = (Role.ADMIN, Role.KEY_OFFICE, Role.AUDITOR)


@dataclass(frozen=True)
class VersionRow:
    """One deployed version as the versions page lists it."""

    id: int
    key: str
    version: int
    status: str
    sha256: str
    deployed_at: datetime
    deployed_by: str | None
    note: str | None
    running_cases: int
    title: str  # the diagram's own name (its process's name)

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return DefinitionStatus(self.status).label


@dataclass(frozen=True)
class ChangeRow:
    """One logged deploy, retire or migration."""

    kind: str
    key: str
    version: int
    target_version: int | None
    actor: str | None
    occurred_at: datetime
    note: str | None
    details: dict[str, Any]

    @property
    def kind_label(self) -> str:
        """What was done, in Chinese."""
        return DiagramChangeKind(self.kind).label


def may_edit(viewer: Viewer) -> bool:
    """True for the administrators, who deploy, retire and migrate."""
    return viewer.has(*EDITORS)


def require_reader(viewer: Viewer) -> None:
    """Refuse anyone who may not read the diagrams' versions."""
    if not viewer.has(*READERS):
        raise PermissionDenied("只有系统管理员、重点办和审计人员可以查看流程图版本")


def require_editor(viewer: Viewer) -> None:
    """Refuse anyone but an administrator."""
    if not may_edit(viewer):
        raise PermissionDenied("只有系统管理员可以部署、停用流程图或迁移案件")


def list_versions(session: Session, viewer: Viewer, key: str | None = None) -> list[VersionRow]:
    """Every version (of ``key``, or of all keys), newest first within a key, with its running cases."""
    require_reader(viewer)
    running = (
        select(Case.definition_id, func.count().label("n"))
        .where(Case.status == CaseStatus.OPEN)
        .group_by(Case.definition_id)
        .subquery()
    )
    query = (
        select(ProcessDefinition, User.display_name, func.coalesce(running.c.n, 0))
        .outerjoin(User, User.id == ProcessDefinition.deployed_by_id)
        .outerjoin(running, running.c.definition_id == ProcessDefinition.id)
        .order_by(ProcessDefinition.key, ProcessDefinition.version.desc())
    )
    if key is not None:
        query = query.where(ProcessDefinition.key == key)
    return [
        VersionRow(
            d.id,
            d.key,
            d.version,
            str(d.status),
            d.sha256,
            d.deployed_at,
            who,
            d.note,
            int(n),
            title_of(session, d.id),
        )
        for d, who, n in session.execute(query)
    ]


def version(session: Session, viewer: Viewer, key: str, number: int) -> ProcessDefinition:
    """One version of a diagram (its XML loads when read)."""
    require_reader(viewer)
    found = session.scalar(
        select(ProcessDefinition).where(
            ProcessDefinition.key == key, ProcessDefinition.version == number
        )
    )
    if found is None:
        raise NotFound(f"流程“{key}”没有第 {number} 版")
    return found


def deploy_version(
    session: Session, viewer: Viewer, key: str, xml: str, note: str | None, now: datetime
) -> ProcessDefinition:
    """Validate (validate_diagram) and deploy the next version of ``key``; raises
    DiagramRefused when the diagram has problems; records who and when."""
    require_editor(viewer)
    problems = validate_diagram(xml, key)
    if problems:
        raise DiagramRefused(problems)
    if session.scalar(
        select(ProcessDefinition.id).where(
            ProcessDefinition.key == key, ProcessDefinition.sha256 == sha256_of(xml)
        )
    ):
        raise Conflict("与已部署的某一版本完全相同，未部署新版本")
    definition = deploy(session, key, xml, actor_id=viewer.user_id, note=note)
    definition.deployed_at = now
    _log(session, DiagramChangeKind.DEPLOY, definition, viewer, now, note)
    return definition


def retire(
    session: Session, viewer: Viewer, key: str, number: int, now: datetime, note: str | None = None
) -> ProcessDefinition:
    """Retire a version: it takes no new cases; the newest active one does. The only active
    version of a diagram a profile names cannot be retired (new cases would have none)."""
    require_editor(viewer)
    definition = version(session, viewer, key, number)
    if definition.status == DefinitionStatus.RETIRED:
        raise Conflict(f"第 {number} 版已停用")
    others = session.scalar(
        select(func.count()).where(
            ProcessDefinition.key == key,
            ProcessDefinition.status == DefinitionStatus.ACTIVE,
            ProcessDefinition.id != definition.id,
        )
    )
    if not others and key in profile_diagrams():
        raise Conflict(
            f"第 {number} 版是“{key}”唯一在用的版本，且政策配置“{'、'.join(profile_diagrams()[key])}”"
            "以它新建案件：不能停用"
        )
    definition.status = DefinitionStatus.RETIRED
    _log(session, DiagramChangeKind.RETIRE, definition, viewer, now, note)
    session.flush()
    return definition


def profile_diagrams() -> dict[str, list[str]]:
    """The diagram keys the policy profiles name, with the profiles naming each."""
    out: dict[str, list[str]] = {}
    for name in available_profiles():
        out.setdefault(load_profile(name).process.diagram, []).append(name)
    return out


def changes(session: Session, viewer: Viewer, key: str | None = None) -> list[ChangeRow]:
    """The log of deploys, retirements and migrations, newest first."""
    require_reader(viewer)
    source, target = aliased(ProcessDefinition), aliased(ProcessDefinition)
    query = (
        select(DiagramChange, source.version, target.version, User.display_name)
        .join(source, source.id == DiagramChange.definition_id)
        .outerjoin(target, target.id == DiagramChange.target_definition_id)
        .outerjoin(User, User.id == DiagramChange.actor_id)
        .order_by(DiagramChange.id.desc())
    )
    if key is not None:
        query = query.where(DiagramChange.key == key)
    return [
        ChangeRow(str(c.kind), c.key, v, tv, who, c.occurred_at, c.note, dict(c.details or {}))
        for c, v, tv, who in session.execute(query)
    ]


def log_change(
    session: Session,
    kind: DiagramChangeKind,
    definition: ProcessDefinition,
    viewer: Viewer,
    now: datetime,
    note: str | None = None,
    target: ProcessDefinition | None = None,
    details: dict[str, Sequence[int]] | None = None,
) -> None:
    """Record a change to a diagram's versions (who and when)."""
    session.add(
        DiagramChange(
            key=definition.key,
            kind=kind,
            definition_id=definition.id,
            target_definition_id=target.id if target is not None else None,
            actor_id=viewer.user_id,
            occurred_at=now,
            note=note,
            details={k: list(v) for k, v in (details or {}).items()},
        )
    )


_log = log_change
