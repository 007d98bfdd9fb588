"""What the browser modeler offers (X3): who may edit, the opened version, and the known
lanes, forms and deadline variables its panel and lint rules choose among."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import DefinitionStatus, Lane, Role
from keyproj.db.models import ProcessDefinition, User
from keyproj.errors import NotFound, PermissionDenied
from keyproj.forms import list_forms
from keyproj.services.access import Viewer
from keyproj.services.cases.definitions import latest, title_of

# A process key is a diagram's file stem and process id: letters, digits and underscores.
KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")
_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
# A script line that stores an absolute deadline: ``notice_due = working_deadline(...)``.
_DEADLINE_SET = re.compile(r"^\s*([A-Za-z_]\w*)\s*=\s*working_deadline\(", re.MULTILINE)


def require_diagram_editor(viewer: Viewer) -> None:
    """Refuse anyone but a system administrator: only they change the diagrams (X3)."""
    if not viewer.has(Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以编辑和部署流程图")


@dataclass(frozen=True)
class Choices:
    """What the panel offers and the lint rules accept: lanes, forms and deadline variables."""

    lanes: list[str]
    forms: list[str]
    deadlines: list[str]


@dataclass(frozen=True)
class VersionRow:
    """One deployed version of a key, as the editor lists it."""

    version: int
    status: str
    deployed_at: datetime
    deployed_by: str | None
    note: str | None


@dataclass(frozen=True)
class EditorPage:
    """The newest deployed version of a key, opened for editing, and the key's versions."""

    key: str
    title: str
    version: int
    xml: str
    choices: Choices
    versions: list[VersionRow]
    others: list[tuple[str, str]]  # the other deployed keys and their diagrams' names


def newest_version(session: Session, viewer: Viewer, key: str) -> ProcessDefinition:
    """The newest deployed version of ``key``, for an editor (NotFound: no such key)."""
    require_diagram_editor(viewer)
    if not KEY.fullmatch(key):
        raise NotFound(f"流程“{key}”不存在")
    return latest(session, key)


def editor_page(session: Session, viewer: Viewer, key: str) -> EditorPage:
    """The newest deployed version of ``key`` with what the modeler needs (NotFound: no key)."""
    newest = newest_version(session, viewer, key)
    return EditorPage(
        key,
        title_of(session, newest.id),
        newest.version,
        newest.bpmn_xml,
        choices_for(newest.bpmn_xml),
        versions(session, key),
        [
            (other, title_of(session, latest(session, other).id))
            for other in session.scalars(select(ProcessDefinition.key).distinct().order_by("key"))
            if other != key
        ],
    )


def choices_for(xml: str) -> Choices:
    """The known lanes (roles), forms (bpmn/forms/) and the deadline variables of ``xml``."""
    return Choices([str(lane) for lane in Lane], list_forms(), deadline_variables(xml))


def deadline_variables(xml: str) -> list[str]:
    """The absolute deadlines a timer may wait for: what the diagram's scripts compute with
    working_deadline(...), and what its timers already name (e.g. a follow-up item's date,
    which the services store)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(xml.encode("utf-8"), parser)
    found: set[str] = set()
    for script in root.iter(f"{{{_BPMN}}}script"):
        found.update(_DEADLINE_SET.findall(script.text or ""))
    for date in root.iter(f"{{{_BPMN}}}timeDate"):
        if (date.text or "").strip():
            found.add((date.text or "").strip())
    return sorted(found)


def versions(session: Session, key: str) -> list[VersionRow]:
    """Every deployed version of ``key``, newest first, with who deployed it."""
    rows = session.execute(
        select(
            ProcessDefinition.version,
            ProcessDefinition.status,
            ProcessDefinition.deployed_at,
            User.display_name,
            ProcessDefinition.note,
        )
        .outerjoin(User, User.id == ProcessDefinition.deployed_by_id)
        .where(ProcessDefinition.key == key)
        .order_by(ProcessDefinition.version.desc())
    )
    return [
        VersionRow(version, DefinitionStatus.label_of(status), at, by, note)
        for version, status, at, by, note in rows
    ]
