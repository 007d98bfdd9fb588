"""Site photos (现场照片) on inspection records (GS5) and spot checks (LP10): JPEG or PNG by
content, within the size limit, under a plain name; all of an upload filed or none; seen only
by those who may see the record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from keyproj.codes import AttachmentOwner
from keyproj.db.models import Attachment
from keyproj.errors import NotFound, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.attachments.files import (
    attach,
    attach_photos,
    attachments_of,
    open_attachment,
)
from keyproj.services.attachments.photos import check_photo
from keyproj.services.attachments.store import FolderStore
from keyproj.services.spot_checks.checks import CheckData, record_check
from tests.builders import attachments
from tests.builders.county import County
from tests.builders.inspections import NOW, grouped, inspected

INSPECTION, SPOT_CHECK = AttachmentOwner.INSPECTION, AttachmentOwner.SPOT_CHECK
HINT = "只接受 JPG 或 PNG 格式的照片"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


@pytest.fixture
def store(tmp_path) -> FolderStore:
    return attachments.folder_store(tmp_path)


@pytest.fixture
def bridge(county: County) -> County:
    """石桥镇's bridge, inspected by group 1 and spot-checked by the key office."""
    county.with_people("zdb", "town", "other", "dcs").with_projects("plant", "bridge")
    grouped(county, {1: ["plant", "bridge"]})
    return county


def _record(county: County) -> int:
    return inspected(county, "bridge", "2026-03-10", 1).id


def _spot_check(county: County) -> int:
    data = CheckData(county.projects["bridge"].id, date(2026, 3, 10), "张三、李四", "便道未硬化")
    return record_check(
        county.session, load_profile("lianping"), county.people["zdb"], data, NOW
    ).id


def _files(store: FolderStore) -> list[str]:
    return [p.name for p in store.root.rglob("*") if p.is_file()] if store.root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("现场.jpg", attachments.PDF, f"“现场.jpg”的内容不是图片，{HINT}"),
        ("动图.gif", GIF, f"“动图.gif”是 GIF 图片，{HINT}"),
        ("现场.jpg", b"", "“现场.jpg”是空文件"),
        (
            "大图.jpg",
            attachments.jpeg() + b"\0" * (2 * 1024 * 1024),
            "“大图.jpg”大小 2.0 MB，超过上限 1 MB",
        ),
        (
            "../../etc/cron.png",
            attachments.png(),
            "文件名“../../etc/cron.png”含路径或控制字符，请使用普通文件名",
        ),
        (
            "..\\照片.png",
            attachments.png(),
            "文件名“..\\照片.png”含路径或控制字符，请使用普通文件名",
        ),
        ("..", attachments.png(), "文件名“..”含路径或控制字符，请使用普通文件名"),
        ("坏图.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, f"“坏图.png”不是完整的 PNG 图片，{HINT}"),
        ("坏图.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 40, f"“坏图.jpg”不是完整的 JPG 图片，{HINT}"),
        ("现场.jpg", attachments.png(), "文件名“现场.jpg”的扩展名与内容不符：内容为 PNG 图片"),
    ],
)
def test_lp10_gs5_a_photo_is_refused_with_its_reason_under_the_photos_field(
    name: str, content: bytes, reason: str
):
    with pytest.raises(ValidationError) as caught:
        check_photo(name, content, max_mb=1)
    assert caught.value.by_field() == {"photos": reason}
    assert str(caught.value) == f"现场照片：{reason}"


def test_lp10_gs5_jpeg_and_png_are_taken_by_content_under_their_names():
    jpeg = check_photo("官渡河护坡.JPEG", attachments.jpeg(), max_mb=1)
    assert (jpeg.name, jpeg.content_type) == ("官渡河护坡.JPEG", "image/jpeg")
    png = check_photo("塔吊.png", attachments.png(), max_mb=1)
    assert (png.name, png.content_type) == ("塔吊.png", "image/png")


def test_gs5_photos_of_an_inspection_are_filed_and_seen_with_the_record(bridge: County, store):
    s, record_id = bridge.session, _record(bridge)
    filed = attach_photos(
        s,
        store,
        bridge.people["dcs"],  # the supervision office records inspections and their photos
        (INSPECTION, record_id),
        [("桥墩.jpg", attachments.jpeg()), ("护栏.png", attachments.png())],
        max_mb=10,
        now=NOW,
    )
    assert [a.name for a in filed] == ["桥墩.jpg", "护栏.png"]
    assert sorted(_files(store)) == sorted(a.key for a in filed)
    seen = attachments_of(s, bridge.people["other"], INSPECTION, record_id)  # 石桥镇's project
    assert [a.name for a in seen] == ["桥墩.jpg", "护栏.png"]
    _, content = open_attachment(s, store, bridge.people["other"], filed[0].id)
    assert content == attachments.jpeg()
    with pytest.raises(NotFound):
        attachments_of(s, bridge.people["town"], INSPECTION, record_id)  # 城关镇: not its project
    with pytest.raises(NotFound):
        open_attachment(s, store, bridge.people["town"], filed[0].id)


def test_lp10_gs5_one_refused_photo_files_none_of_the_upload(bridge: County, store):
    s, check_id = bridge.session, _spot_check(bridge)
    upload = [
        ("桥墩.jpg", attachments.jpeg()),
        ("护栏.png", attachments.png()),
        ("说明.jpg", b"#!/bin/sh\nrm -rf /\n"),
    ]
    with pytest.raises(ValidationError, match=r"“说明\.jpg”的内容不是图片"):
        attach_photos(
            s, store, bridge.people["zdb"], (SPOT_CHECK, check_id), upload, max_mb=10, now=NOW
        )
    assert s.scalars(select(Attachment)).all() == []
    assert _files(store) == []
    with pytest.raises(ValidationError, match="请选择要上传的照片"):
        attach_photos(
            s, store, bridge.people["zdb"], (SPOT_CHECK, check_id), [], max_mb=10, now=NOW
        )


def test_lp10_gs5_only_the_recorders_add_photos_and_only_photos(bridge: County, store):
    s = bridge.session
    record_id, check_id = _record(bridge), _spot_check(bridge)
    photo = [("桥墩.jpg", attachments.jpeg())]
    # 石桥镇 sees its bridge's records but does not record them.
    with pytest.raises(PermissionDenied, match="检查现场照片"):
        attach_photos(
            s, store, bridge.people["other"], (INSPECTION, record_id), photo, max_mb=10, now=NOW
        )
    with pytest.raises(PermissionDenied, match="抽查现场照片"):
        attach_photos(
            s, store, bridge.people["dcs"], (SPOT_CHECK, check_id), photo, max_mb=10, now=NOW
        )
    with pytest.raises(NotFound):
        attach_photos(
            s, store, bridge.people["town"], (SPOT_CHECK, check_id), photo, max_mb=10, now=NOW
        )
    # The one-file path takes photos only on these records, too.
    with pytest.raises(ValidationError, match=r"现场照片：“纪要\.pdf”的内容不是图片"):
        attach(
            s,
            store,
            bridge.people["zdb"],
            (SPOT_CHECK, check_id),
            ("纪要.pdf", attachments.PDF),
            max_mb=10,
            now=NOW,
        )
    assert _files(store) == []
