"""Attachments: stored outside the database, checked by content, served only within scope."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from keyproj.codes import AttachmentOwner
from keyproj.db.models import Attachment
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.services.attachments.files import attach, attachments_of, open_attachment
from keyproj.services.attachments.store import FolderStore, store_for
from keyproj.settings import Settings
from tests.builders import attachments, factories

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)
ISSUE = AttachmentOwner.ISSUE


@pytest.fixture
def store(tmp_path) -> FolderStore:
    return attachments.folder_store(tmp_path)


@pytest.fixture
def issue(session, county):
    county.with_people("chengguan", "shiqiao", "zdb").with_projects("road", "bridge")
    return factories.issue(session, county.road, "3户拆迁未签约")


def _attach(session, store, viewer, owner, name, content, max_mb=20):
    return attach(session, store, viewer, owner, (name, content), max_mb=max_mb, now=NOW)


def test_a_file_is_stored_outside_the_database_under_a_key_not_its_name(
    session, county, store, issue
):
    viewer = county.people["chengguan"]
    row = _attach(session, store, viewer, (ISSUE, issue.id), "../../拆迁协议.pdf", attachments.PDF)

    assert row.name == "拆迁协议.pdf"
    assert row.content_type == "application/pdf"
    assert row.size == len(attachments.PDF)
    assert row.sha256 == hashlib.sha256(attachments.PDF).hexdigest()
    assert row.uploaded_by_id == viewer.user_id
    stored = [p for p in store.root.rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [row.key]
    assert "拆迁" not in str(stored[0])
    assert [a.name for a in attachments_of(session, viewer, ISSUE, issue.id)] == ["拆迁协议.pdf"]
    assert open_attachment(session, store, viewer, row.id)[1] == attachments.PDF


def test_another_unit_cannot_list_or_read_the_attachment(session, county, store, issue):
    row = _attach(
        session, store, county.people["chengguan"], (ISSUE, issue.id), "照片.png", attachments.png()
    )
    other = county.people["shiqiao"]

    with pytest.raises(NotFound, match=f"附件 {row.id} 不存在或无权查看"):
        open_attachment(session, store, other, row.id)
    with pytest.raises(NotFound):
        attachments_of(session, other, ISSUE, issue.id)
    with pytest.raises(NotFound):
        _attach(session, store, other, (ISSUE, issue.id), "照片.png", attachments.png())
    assert open_attachment(session, store, county.people["zdb"], row.id)[1] == attachments.png()


def test_a_file_whose_content_is_not_an_accepted_type_is_refused_whatever_its_name(
    session, county, store, issue
):
    viewer = county.people["chengguan"]
    with pytest.raises(ValidationError, match=r"附件：文件类型不允许"):
        _attach(session, store, viewer, (ISSUE, issue.id), "说明.pdf", b"MZ\x90\x00 an executable")
    with pytest.raises(ValidationError, match="扩展名与内容不符：内容为 PNG 文件"):
        _attach(session, store, viewer, (ISSUE, issue.id), "说明.pdf", attachments.png())
    with pytest.raises(ValidationError, match="文件为空"):
        _attach(session, store, viewer, (ISSUE, issue.id), "空.pdf", b"")
    assert session.query(Attachment).count() == 0
    assert not store.root.exists()


def test_a_file_over_the_size_limit_is_refused_with_the_limit(session, county, store, issue):
    big = attachments.PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError, match="超过上限 1 MB"):
        _attach(
            session, store, county.people["chengguan"], (ISSUE, issue.id), "大.pdf", big, max_mb=1
        )
    assert session.query(Attachment).count() == 0


def test_office_documents_are_recognised_by_content(session, county, store, issue):
    row = _attach(
        session, store, county.people["zdb"], (ISSUE, issue.id), "台账.xlsx", attachments.xlsx()
    )
    assert row.content_type.endswith("spreadsheetml.sheet")


def test_a_name_without_anything_left_gets_a_name_of_its_kind(session, county, store, issue):
    row = _attach(session, store, county.people["zdb"], (ISSUE, issue.id), "///", attachments.PDF)
    assert row.name == "附件.pdf"


def test_a_submitted_report_takes_no_more_attachments(session, county, store):
    county.with_people("chengguan").with_projects("road")
    report = factories.report(session, county.road, "2026-10", status="submitted")
    with pytest.raises(Conflict, match="报告已报送并锁定"):
        _attach(
            session,
            store,
            county.people["chengguan"],
            (AttachmentOwner.REPORT, report.id),
            "a.pdf",
            attachments.PDF,
        )


def test_only_the_key_office_attaches_evidence_to_a_warning(session, county, store):
    county.with_people("chengguan", "zdb").with_projects("road")
    warning = factories.warning(session, county.road, "2026-10")
    owner = (AttachmentOwner.WARNING, warning.id)
    with pytest.raises(PermissionDenied, match="只有重点办"):
        _attach(session, store, county.people["chengguan"], owner, "a.pdf", attachments.PDF)
    row = _attach(session, store, county.people["zdb"], owner, "a.pdf", attachments.PDF)
    # The lead unit sees its project's warning, and so its evidence.
    assert open_attachment(session, store, county.people["chengguan"], row.id)[0].name == "a.pdf"


def test_attachments_live_under_the_instance_folder_unless_the_settings_name_another(tmp_path):
    default = Settings.from_env({"KEYPROJ_INSTANCE_DIR": str(tmp_path)})
    assert default.attachment_max_mb == 20
    assert store_for(default).root == tmp_path / "attachments"  # type: ignore[attr-defined]
    chosen = Settings.from_env(
        {
            "KEYPROJ_INSTANCE_DIR": str(tmp_path),
            "KEYPROJ_ATTACHMENT_DIR": str(tmp_path / "files"),
            "KEYPROJ_ATTACHMENT_MAX_MB": "5",
        }
    )
    assert (store_for(chosen).root, chosen.attachment_max_mb) == (tmp_path / "files", 5)  # type: ignore[attr-defined]
    unknown = Settings.from_env(
        {"KEYPROJ_INSTANCE_DIR": str(tmp_path), "KEYPROJ_ATTACHMENT_STORE": "s3"}
    )
    with pytest.raises(ValueError, match="KEYPROJ_ATTACHMENT_STORE 只能为 filesystem"):
        store_for(unknown)


def test_a_stored_file_that_went_missing_is_not_found_and_keys_cannot_leave_the_folder(tmp_path):
    store = attachments.folder_store(tmp_path)
    store.put("ab12cd34", b"x")
    assert store.read("ab12cd34") == b"x"
    store.delete("ab12cd34")
    with pytest.raises(NotFound, match="附件文件已不存在"):
        store.read("ab12cd34")
    with pytest.raises(NotFound):
        store.read("../../etc/passwd")


def _stored_keys(store: FolderStore) -> set[str]:
    return {p.name for p in store.root.rglob("*") if p.is_file()}


def test_a_file_whose_transaction_rolls_back_is_removed_and_a_committed_one_stays(
    session, county, store, issue
):
    viewer, owner = county.people["chengguan"], (ISSUE, issue.id)
    kept = _attach(session, store, viewer, owner, "协议.pdf", attachments.PDF).key
    session.commit()
    dropped = _attach(session, store, viewer, owner, "照片.png", attachments.png()).key
    assert _stored_keys(store) == {kept, dropped}
    session.rollback()
    assert _stored_keys(store) == {kept}
    assert store.read(kept) == attachments.PDF


def test_a_file_written_in_a_savepoint_that_rolls_back_goes_and_the_rest_of_the_work_stays(
    session, county, store, issue
):
    viewer, owner = county.people["chengguan"], (ISSUE, issue.id)
    before = _attach(session, store, viewer, owner, "协议.pdf", attachments.PDF).key
    savepoint = session.begin_nested()
    inner = _attach(session, store, viewer, owner, "照片.png", attachments.png()).key
    savepoint.rollback()
    released = session.begin_nested()
    after = _attach(session, store, viewer, owner, "纪要.xlsx", attachments.xlsx()).key
    released.commit()
    assert _stored_keys(store) == {before, after}
    session.commit()
    assert _stored_keys(store) == {before, after}
    assert inner not in _stored_keys(store)


def test_a_file_of_a_session_closed_without_commit_is_removed(session, county, store, issue):
    session.commit()
    _attach(session, store, county.people["chengguan"], (ISSUE, issue.id), "a.pdf", attachments.PDF)
    assert len(_stored_keys(store)) == 1
    session.close()  # a request that fails before its commit ends like this
    assert _stored_keys(store) == set()
