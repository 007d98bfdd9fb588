"""Site photos (现场照片) on inspection records (GS5) and spot checks (LP10): JPEG or PNG only,
recognised by their content, whose header must read as an image of some size; a name with a
path in it is refused rather than cut down, so the photo is filed under the name the user sees."""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from typing import NoReturn

import filetype

from keyproj.errors import ValidationError
from keyproj.inputs import CONTROLS
from keyproj.services.attachments.checking import Checked, display_name

FIELD, LABEL = "photos", "现场照片"
PHOTO_MAX_MB = 10  # a phone photo is a few MB; the county's attachment limit may be lower
AT_ONCE = 20  # photos in one upload
HINT = "只接受 JPG 或 PNG 格式的照片"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG frame headers that carry the picture's size (SOF0–SOF15 less DHT, JPG and DAC).
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_PATH = re.compile(rf"[/\\{CONTROLS}]|^\.\.?$")


def check_photo(name: str | None, content: bytes, max_mb: int) -> Checked:
    """The photo if it is a JPEG or PNG picture within ``max_mb``; ValidationError naming why not."""
    shown = name or ""
    if _PATH.search(shown):
        _refuse(f"文件名“{_printable(shown)}”含路径或控制字符，请使用普通文件名")
    if not content:
        _refuse(f"“{shown or '照片'}”是空文件")
    if len(content) > max_mb * 1024 * 1024:
        size = len(content) / 1024 / 1024
        _refuse(f"“{shown}”大小 {size:.1f} MB，超过上限 {max_mb} MB")
    kind = _kind(content)
    if kind is None:
        other = filetype.guess(content)
        what = (
            f"是 {other.extension.upper()} 图片"
            if other and other.mime.startswith("image/")
            else "的内容不是图片"
        )
        _refuse(f"“{shown}”{what}，{HINT}")
    size_px = image_size(content)
    if size_px is None or 0 in size_px:
        _refuse(f"“{shown}”不是完整的 {kind[1].upper()} 图片，{HINT}")
    name_shown = display_name(shown, kind[1])
    extension = name_shown.rsplit(".", 1)[-1].lower() if "." in name_shown else ""
    if extension not in kind[2]:
        _refuse(f"文件名“{name_shown}”的扩展名与内容不符：内容为 {kind[1].upper()} 图片")
    return Checked(name_shown, kind[0], content)


def check_photos(uploads: Sequence[tuple[str | None, bytes]], max_mb: int) -> list[Checked]:
    """Every upload checked before any is filed, so one bad photo leaves none half-saved."""
    if not uploads:
        _refuse("请选择要上传的照片")
    if len(uploads) > AT_ONCE:
        _refuse(f"一次最多上传 {AT_ONCE} 张照片，本次选择了 {len(uploads)} 张")
    return [check_photo(name, content, max_mb) for name, content in uploads]


def image_size(content: bytes) -> tuple[int, int] | None:
    """The picture's width and height in pixels from its header; None when there is none."""
    if content.startswith(PNG_SIGNATURE):
        # The first chunk must be IHDR (13 bytes: width, height, …).
        if content[12:16] != b"IHDR" or len(content) < 24:
            return None
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    if content.startswith(b"\xff\xd8"):
        return _jpeg_size(content)
    return None


def _kind(content: bytes) -> tuple[str, str, tuple[str, ...]] | None:
    if content.startswith(PNG_SIGNATURE):
        return "image/png", "png", ("png",)
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg", ("jpg", "jpeg")
    return None


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    """Walk the JPEG's segments to the frame header that gives its size."""
    at = 2
    while at + 4 <= len(content):
        if content[at] != 0xFF:
            return None
        marker = content[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", content[at + 2 : at + 4])
        if marker in _SOF:
            if at + 9 > len(content):
                return None
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return width, height
        if marker in (0xD9, 0xDA) or length < 2:  # end or scan before any frame header
            return None
        at += 2 + length
    return None


def _printable(name: str) -> str:
    return re.sub(f"[{CONTROLS}]", "?", name)[:100]


def _refuse(reason: str) -> NoReturn:
    raise ValidationError.single(FIELD, LABEL, reason)
