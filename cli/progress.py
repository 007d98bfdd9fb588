"""A progress bar on standard error for the long commands (the ledger import)."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class RowProgress:
    """Rows checked and written, one bar per stage; used as a ``with`` block."""

    def __init__(self) -> None:
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("行"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RowProgress:
        # The bar starts with the first stage: a file refused before it shows nothing.
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._finish()
            self._bar.stop()

    def stage(self, name: str, total: int | None) -> None:
        """Start the bar of a new stage; ``total`` rows are expected (None: unknown)."""
        if self._task is None:
            self._bar.start()
        self._finish()
        self._task = self._bar.add_task(name, total=total)

    def advance(self, rows: int) -> None:
        """Move the current stage's bar on by ``rows``."""
        if self._task is not None:
            self._bar.advance(self._task, rows)

    def _finish(self) -> None:
        # The expected count is an estimate (blank rows at the end): a stage ends at what it did.
        if self._task is not None:
            done = self._bar.tasks[self._task].completed
            self._bar.update(self._task, total=done)
