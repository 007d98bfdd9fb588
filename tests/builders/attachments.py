"""Sample uploads for the attachment tests: real file headers, so content sniffing sees them."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

from openpyxl import Workbook

from keyproj.services.attachments.store import FolderStore

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    """A one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg(width: int = 640, height: int = 480) -> bytes:
    """A baseline JPEG's headers as a camera writes them: SOI, JFIF, a quantisation table, the
    frame header with its size, and EOI (enough for any reader of headers)."""

    def segment(marker: int, data: bytes) -> bytes:
        return bytes([0xFF, marker]) + (len(data) + 2).to_bytes(2, "big") + data

    jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    table = b"\x00" + bytes(range(1, 65))
    frame = b"\x08" + height.to_bytes(2, "big") + width.to_bytes(2, "big") + b"\x01\x01\x11\x00"
    return (
        b"\xff\xd8"
        + segment(0xE0, jfif)
        + segment(0xDB, table)
        + segment(0xC0, frame)
        + b"\xff\xd9"
    )


def xlsx() -> bytes:
    """An empty workbook as openpyxl saves it."""
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def folder_store(root: Path) -> FolderStore:
    """A store in a folder of the test's own."""
    return FolderStore(root / "attachments")
