"""Where attachment files live: a store interface, its folder implementation, and the tie between
a written file and the database transaction whose row names it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

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


# --- files tied to their transaction ----------------------------------------------------------

_PENDING = "keyproj.attachments.pending"  # session.info key: files written in the open transaction

Pending = list[tuple[SessionTransaction, AttachmentStore, str]]


def put_in_transaction(session: Session, store: AttachmentStore, key: str, content: bytes) -> None:
    """Store ``content`` under ``key``; if the session's transaction (or the savepoint the file was
    written in) rolls back, the file is removed, so no file outlives the row that names it."""
    pending: Pending = session.info.setdefault(_PENDING, [])
    if not session.info.get(_PENDING + ".listening"):
        event.listen(session, "after_commit", _kept)
        event.listen(session, "after_soft_rollback", _rolled_back)
        event.listen(session, "after_transaction_end", _ended)
        session.info[_PENDING + ".listening"] = True
    transaction = session.get_nested_transaction() or session.get_transaction()
    assert transaction is not None  # a flushed row came before: a transaction is open
    store.put(key, content)
    pending.append((transaction, store, key))


def _kept(session: Session) -> None:
    """The outermost transaction committed: its files stay."""
    session.info[_PENDING] = []


def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    """A transaction or savepoint rolled back: remove the files written inside it."""
    _discard(session, lambda t: _within(t, previous))


def _ended(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without a commit (closed or rolled back): remove them all."""
    if transaction.parent is None:
        _discard(session, lambda _: True)


def _discard(session: Session, chosen: Callable[[SessionTransaction], bool]) -> None:
    pending: Pending = session.info.get(_PENDING, [])
    keep: Pending = []
    for entry in pending:
        transaction, store, key = entry
        if chosen(transaction):
            # A file that cannot be removed now is only an unreachable orphan: never fail the
            # rollback for it.
            with contextlib.suppress(OSError):
                store.delete(key)
        else:
            keep.append(entry)
    session.info[_PENDING] = keep


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False
