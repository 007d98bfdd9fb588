"""What an upload may be: its size, its type by content (not by name alone), a safe display name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NoReturn

import filetype

from keyproj.errors import ValidationError
from keyproj.inputs import CONTROLS

FIELD, LABEL = "file", "附件"
NAME_LIMIT = 255

# The accepted kinds, by the type the content shows, with the extensions a name may carry.
ACCEPTED: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "image/bmp": ("bmp",),
    "image/tiff": ("tif", "tiff"),
    "application/msword": ("doc",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.ms-excel": ("xls",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.ms-powerpoint": ("ppt",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "application/vnd.oasis.opendocument.presentation": ("odp",),
}
ACCEPTED_HINT = "PDF、图片（JPG/PNG/GIF/WEBP/BMP/TIFF）或 Office 文档（Word/Excel/PowerPoint/WPS 可另存的 OpenDocument）"
_UNSAFE = re.compile(f'[{CONTROLS}/\\\\:*?"<>|]')


@dataclass(frozen=True)
class Checked:
    """An accepted upload: the name to show, the type its content has, its bytes."""

    name: str
    content_type: str
    content: bytes


def check_upload(name: str | None, content: bytes, max_mb: int) -> Checked:
    """The upload if it is small enough and of an accepted type; ValidationError naming why not."""
    if not content:
        _refuse("文件为空")
    if len(content) > max_mb * 1024 * 1024:
        _refuse(f"文件大小 {len(content) / 1024 / 1024:.1f} MB，超过上限 {max_mb} MB")
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ACCEPTED:
        found = f"（识别为 {kind.extension}）" if kind else ""
        _refuse(f"文件类型不允许{found}，只接受{ACCEPTED_HINT}")
    shown = display_name(name, ACCEPTED[kind.mime][0])
    extension = shown.rsplit(".", 1)[-1].lower() if "." in shown else ""
    if extension not in ACCEPTED[kind.mime]:
        _refuse(f"文件名“{shown}”的扩展名与内容不符：内容为 {kind.extension.upper()} 文件")
    return Checked(shown, kind.mime, content)


def display_name(name: str | None, extension: str) -> str:
    """The uploaded name for display: its last path part, NFC, without characters that are unsafe
    in a file name, at most 255 characters keeping the extension; ``附件.<ext>`` when nothing is left."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    base = _UNSAFE.sub("_", base).strip().strip(".")
    if not base:
        return f"附件.{extension}"
    if len(base) > NAME_LIMIT:
        stem, dot, ext = base.rpartition(".")
        tail = f".{ext}" if dot and len(ext) <= 10 else ""
        base = (stem if dot and tail else base)[: NAME_LIMIT - len(tail)] + tail
    return base


def _refuse(reason: str) -> NoReturn:
    raise ValidationError.single(FIELD, LABEL, reason)
