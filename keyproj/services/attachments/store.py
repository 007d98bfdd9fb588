"""Where attachment files live: a store interface and its folder implementation."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol

from keyproj.errors import NotFound
from keyproj.settings import Settings


class AttachmentStore(Protocol):
    """Keeps file contents under opaque keys the database rows name."""

    def put(self, key: str, content: bytes) -> None:
        """Store ``content`` under ``key``."""

    def read(self, key: str) -> bytes:
        """The content stored under ``key``; NotFound when it is gone."""

    def delete(self, key: str) -> None:
        """Forget ``key``; a missing key is not an error."""


class FolderStore:
    """Files in one folder, two levels of sub-folders by key so no folder grows too large."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        # Keys are hex made by the service, never user text: no path can leave the root.
        if not key.isalnum():
            raise NotFound("附件不存在")
        return self.root / key[:2] / key[2:4] / key

    def put(self, key: str, content: bytes) -> None:
        """Write to a temporary file and rename it, so a reader never sees half a file."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)

    def read(self, key: str) -> bytes:
        """The stored bytes; NotFound when the file is missing."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise NotFound("附件文件已不存在") from None

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        self._path(key).unlink(missing_ok=True)


def store_for(settings: Settings) -> AttachmentStore:
    """The store the settings name (``KEYPROJ_ATTACHMENT_STORE``); only ``filesystem`` so far."""
    if settings.attachment_store != "filesystem":
        raise ValueError(
            f"环境变量 KEYPROJ_ATTACHMENT_STORE 只能为 filesystem，实际为“{settings.attachment_store}”"
        )
    return FolderStore(settings.attachment_folder)
