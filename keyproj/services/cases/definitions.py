"""Deployed process definitions: the shipped diagrams, versions, and their compiled form (X3)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.clock import now_utc
from keyproj.codes import DefinitionStatus
from keyproj.db.models import ProcessDefinition
from keyproj.engine import CompiledDefinition, compile_definition
from keyproj.engine.definitions import sha256_of
from keyproj.errors import NotFound

BPMN_DIR = Path(__file__).parents[3] / "bpmn"
WARNING_CASE = "warning_case"


def deploy(
    session: Session, key: str, xml: str, actor_id: int | None = None, note: str | None = None
) -> ProcessDefinition:
    """Deploy ``xml`` as the next version of ``key`` unless that exact text is already deployed.

    The diagram is compiled first, so a broken diagram is refused and nothing is stored.
    """
    compile_definition(xml, key)
    digest = sha256_of(xml)
    existing = session.scalar(
        select(ProcessDefinition).where(
            ProcessDefinition.key == key, ProcessDefinition.sha256 == digest
        )
    )
    if existing is not None:
        return existing
    last = session.scalar(
        select(func.max(ProcessDefinition.version)).where(ProcessDefinition.key == key)
    )
    definition = ProcessDefinition(
        key=key,
        version=(last or 0) + 1,
        bpmn_xml=xml,
        sha256=digest,
        status=DefinitionStatus.ACTIVE,
        deployed_at=now_utc(),
        deployed_by_id=actor_id,
        note=note,
    )
    session.add(definition)
    session.flush()
    return definition


def deploy_shipped(session: Session) -> list[ProcessDefinition]:
    """Deploy every diagram in ``bpmn/`` (file name = process key); unchanged files add nothing."""
    return [
        deploy(
            session, path.stem, path.read_text(encoding="utf-8"), note=f"随系统发布：{path.name}"
        )
        for path in sorted(BPMN_DIR.glob("*.bpmn"))
    ]


def latest(session: Session, key: str = WARNING_CASE) -> ProcessDefinition:
    """The newest active version of ``key``."""
    found = session.scalar(
        select(ProcessDefinition)
        .where(ProcessDefinition.key == key, ProcessDefinition.status == DefinitionStatus.ACTIVE)
        .order_by(ProcessDefinition.version.desc())
        .limit(1)
    )
    if found is None:
        raise NotFound(f"流程“{key}”尚未部署：请先运行 keyproj init")
    return found


def compiled(definition: ProcessDefinition) -> CompiledDefinition:
    """The executable form of a stored definition (cached by its sha256)."""
    return compile_definition(definition.bpmn_xml, definition.key)


def compiled_by_id(session: Session, definition_id: int) -> CompiledDefinition:
    """The executable form of a definition, reading its diagram text only the first time."""
    digest = session.scalar(
        select(ProcessDefinition.sha256).where(ProcessDefinition.id == definition_id)
    )
    if digest is None:
        raise NotFound(f"流程定义 {definition_id} 不存在")
    return compiled_by_sha(session, definition_id, digest)


def title_of(session: Session, definition_id: int) -> str:
    """The diagram's name (its process's name, e.g. 光山县重点项目预警协调处置), else its key."""
    found = compiled_by_id(session, definition_id)
    return str(found.spec.description or found.process_id)


def compiled_by_sha(session: Session, definition_id: int, digest: str) -> CompiledDefinition:
    """The compiled definition whose sha256 is ``digest`` (definition ``definition_id``)."""
    found = _COMPILED.get(digest)
    if found is None:
        definition = session.get(ProcessDefinition, definition_id)
        assert definition is not None
        found = _COMPILED[digest] = compiled(definition)
    return found


# sha256 → compiled definition; a definition's text never changes once deployed.
_COMPILED: dict[str, CompiledDefinition] = {}
