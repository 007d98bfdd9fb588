"""Deploying a diagram edited in the browser as the next version of its key (X3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import ProcessDefinition
from keyproj.engine.definitions import sha256_of
from keyproj.errors import DiagramRefused
from keyproj.services.access import Viewer
from keyproj.services.cases.definitions import deploy
from keyproj.services.diagrams.editor import require_diagram_editor
from keyproj.services.diagrams.validation import validate_diagram


def deploy_version(
    session: Session, viewer: Viewer, key: str, xml: str, note: str | None, now: datetime
) -> ProcessDefinition:
    """Validate (validate_diagram) and deploy the next version of ``key``; raises
    DiagramRefused with the problems when the diagram has any; records who and when.

    A text identical to a deployed version of ``key`` is that version: nothing is added.
    """
    require_diagram_editor(viewer)
    problems = validate_diagram(xml, key)
    if problems:
        raise DiagramRefused(problems)
    same = session.scalar(
        select(ProcessDefinition).where(
            ProcessDefinition.key == key, ProcessDefinition.sha256 == sha256_of(xml)
        )
    )
    if same is not None:
        return same
    definition = deploy(session, key, xml, actor_id=viewer.user_id, note=note)
    definition.deployed_at = now
    session.flush()
    return definition
