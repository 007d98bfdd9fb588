"""Filing, listing and reading attachments; every access goes through the owner's scope check."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import OPEN_TASK, UNIT_STAFF_ROLES, AttachmentOwner, ReportStatus, Role
from keyproj.db.models import (
    Attachment,
    Case,
    EarlyWarning,
    HumanTask,
    InspectionRecord,
    Project,
    ProjectIssue,
    Report,
    SpotCheck,
)
from keyproj.errors import Conflict, NotFound, PermissionDenied
from keyproj.services.access import (
    Viewer,
    case_scope,
    may_see_case,
    may_take_task,
    project_scope,
    require_project_writer,
)
from keyproj.services.attachments.checking import Checked, check_upload
from keyproj.services.attachments.photos import check_photo, check_photos
from keyproj.services.attachments.store import AttachmentStore, put_in_transaction


def attach(
    session: Session,
    store: AttachmentStore,
    viewer: Viewer,
    owner: tuple[AttachmentOwner, int],
    upload: tuple[str | None, bytes],
    *,
    max_mb: int,
    now: datetime,
) -> Attachment:
    """File ``upload`` (name, bytes) with ``owner`` (kind, id) if the viewer may add to it."""
    kind, owner_id = owner
    _require_may_add(session, viewer, kind, owner_id)
    check = check_photo if kind in PHOTO_OWNERS else check_upload
    return _file(session, store, viewer, owner, check(upload[0], upload[1], max_mb), now)


def attach_photos(
    session: Session,
    store: AttachmentStore,
    viewer: Viewer,
    owner: tuple[AttachmentOwner, int],
    uploads: Sequence[tuple[str | None, bytes]],
    *,
    max_mb: int,
    now: datetime,
) -> list[Attachment]:
    """File site photos with an inspection record or a spot check: all of them, or none when
    one is refused (every photo is checked before the first is filed)."""
    kind, owner_id = owner
    assert kind in PHOTO_OWNERS
    _require_may_add(session, viewer, kind, owner_id)
    return [_file(session, store, viewer, owner, c, now) for c in check_photos(uploads, max_mb)]


def _file(
    session: Session,
    store: AttachmentStore,
    viewer: Viewer,
    owner: tuple[AttachmentOwner, int],
    checked: Checked,
    now: datetime,
) -> Attachment:
    kind, owner_id = owner
    key = secrets.token_hex(16)
    row = Attachment(
        owner_kind=kind,
        owner_id=owner_id,
        name=checked.name,
        key=key,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        uploaded_by_id=viewer.user_id,
        uploaded_at=now,
    )
    session.add(row)
    session.flush()
    # The file is written after the row is flushed, so a refused row leaves no file, and it is
    # removed again if the transaction rolls back, so no file outlives its row.
    put_in_transaction(session, store, key, checked.content)
    return row


def attachments_of(
    session: Session, viewer: Viewer, kind: AttachmentOwner, owner_id: int
) -> list[Attachment]:
    """The attachments of an owner the viewer may see, oldest first; NotFound otherwise."""
    require_may_see(session, viewer, kind, owner_id)
    return list(
        session.scalars(
            select(Attachment)
            .where(Attachment.owner_kind == kind, Attachment.owner_id == owner_id)
            .order_by(Attachment.uploaded_at, Attachment.id)
        )
    )


def case_files(session: Session, viewer: Viewer, case: Case) -> list[tuple[str, Attachment]]:
    """The files of a case's tasks (responses, outcome reports, supervision results), each with its
    task's title, oldest first; NotFound unless the viewer may see the case."""
    if not may_see_case(session, viewer, case):
        raise NotFound(f"案件 {case.id} 不存在或无权查看")
    query = (
        select(HumanTask.title, Attachment)
        .join(
            HumanTask,
            (Attachment.owner_kind == AttachmentOwner.TASK) & (Attachment.owner_id == HumanTask.id),
        )
        .where(HumanTask.case_id == case.id)
        .order_by(Attachment.uploaded_at, Attachment.id)
    )
    return [(title, row) for title, row in session.execute(query)]


def open_attachment(
    session: Session, store: AttachmentStore, viewer: Viewer, attachment_id: int
) -> tuple[Attachment, bytes]:
    """An attachment and its bytes, when the viewer may see its owner; NotFound otherwise."""
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFound(f"附件 {attachment_id} 不存在或无权查看")
    try:
        require_may_see(session, viewer, row.owner_kind, row.owner_id)
    except NotFound:
        raise NotFound(f"附件 {attachment_id} 不存在或无权查看") from None
    return row, store.read(row.key)


PHOTO_OWNERS = (AttachmentOwner.INSPECTION, AttachmentOwner.SPOT_CHECK)


# --- who may see an owner, and who may add to it ---------------------------------------------


def require_may_see(session: Session, viewer: Viewer, kind: str, owner_id: int) -> None:
    """NotFound unless the owner exists and the viewer may see it (as if it did not exist)."""
    if not _SEES[AttachmentOwner(kind)](session, viewer, owner_id):
        raise NotFound(f"{AttachmentOwner.label_of(kind)} {owner_id} 不存在或无权查看")


def _sees_project_row(
    model: type[ProjectIssue] | type[Report] | type[InspectionRecord] | type[SpotCheck],
) -> Callable[..., bool]:
    def sees(session: Session, viewer: Viewer, owner_id: int) -> bool:
        query = (
            select(model.id)
            .join(Project, Project.id == model.project_id)
            .where(model.id == owner_id, project_scope(viewer))
        )
        return session.scalar(query) is not None

    return sees


def _sees_warning(session: Session, viewer: Viewer, owner_id: int) -> bool:
    # A warning is seen with its project, or with its case by the units answering for it;
    # the offices see every warning, those of the whole portfolio (no project) included.
    if viewer.county_wide:
        return session.get(EarlyWarning, owner_id) is not None
    project = select(EarlyWarning.id).join(Project).where(project_scope(viewer))
    case = select(Case.warning_id).where(case_scope(viewer))
    query = select(EarlyWarning.id).where(
        EarlyWarning.id == owner_id, EarlyWarning.id.in_(project.union(case))
    )
    return session.scalar(query) is not None


def _sees_task(session: Session, viewer: Viewer, owner_id: int) -> bool:
    task = session.get(HumanTask, owner_id)
    return task is not None and may_see_case(session, viewer, task.case)


_SEES: dict[AttachmentOwner, Callable[[Session, Viewer, int], bool]] = {
    AttachmentOwner.ISSUE: _sees_project_row(ProjectIssue),
    AttachmentOwner.REPORT: _sees_project_row(Report),
    AttachmentOwner.INSPECTION: _sees_project_row(InspectionRecord),
    AttachmentOwner.SPOT_CHECK: _sees_project_row(SpotCheck),
    AttachmentOwner.WARNING: _sees_warning,
    AttachmentOwner.TASK: _sees_task,
}


def _require_may_add(
    session: Session, viewer: Viewer, kind: AttachmentOwner, owner_id: int
) -> None:
    require_may_see(session, viewer, kind, owner_id)
    if kind == AttachmentOwner.ISSUE:
        issue = session.get_one(ProjectIssue, owner_id)
        answering = (issue.owner_unit_id, issue.project.lead_unit_id)
        if not (
            viewer.has(Role.KEY_OFFICE, Role.ADMIN)
            or (viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id in answering)
        ):
            raise PermissionDenied("只有项目牵头单位、负责协调单位或重点办可以上传问题附件")
    elif kind == AttachmentOwner.REPORT:
        report = session.get_one(Report, owner_id)
        require_project_writer(viewer, report.project)
        if report.status == ReportStatus.SUBMITTED:
            raise Conflict("报告已报送并锁定，不能再添加附件")
    elif kind == AttachmentOwner.WARNING:
        if not viewer.has(Role.KEY_OFFICE, Role.ADMIN):
            raise PermissionDenied("只有重点办可以为预警上传佐证材料")
    elif kind == AttachmentOwner.INSPECTION:
        # Those who record the inspections add their photos (GS5).
        if not viewer.has(Role.KEY_OFFICE, Role.ADMIN, Role.SUPERVISION):
            raise PermissionDenied("只有重点办和督查部门可以上传检查现场照片")
    elif kind == AttachmentOwner.SPOT_CHECK:
        if not viewer.has(Role.KEY_OFFICE, Role.ADMIN):
            raise PermissionDenied("只有重点办可以上传抽查现场照片")
    else:
        task = session.get_one(HumanTask, owner_id)
        if task.status not in OPEN_TASK:
            raise Conflict(f"“{task.title}”已办结，不能再添加附件")
        if not may_take_task(viewer, task):
            raise PermissionDenied(f"“{task.title}”由{task.lane}办理，当前账号不能上传附件")
