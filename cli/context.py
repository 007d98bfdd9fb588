"""The command's Runtime (keyproj.runtime), built when a command first needs it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, update_wrapper
from typing import Any, TypeVar

import click

from keyproj.runtime import RequestScan, Runtime, build_runtime, no_workers
from keyproj.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])
ScanRequester = Callable[[Settings], RequestScan]


class CommandContext:
    """Settings and Runtime made lazily, so ``--help`` needs no database and no valid profile."""

    def __init__(self, scan_requester: ScanRequester | None = None):
        # The entry point that wires the command to the workers says how to reach them.
        self._scan_requester = scan_requester

    @cached_property
    def settings(self) -> Settings:
        """The settings from the environment, with the instance directory created."""
        settings = Settings.from_env()
        settings.instance_dir.mkdir(parents=True, exist_ok=True)
        return settings

    @cached_property
    def runtime(self) -> Runtime:
        """This process's Runtime; an invalid active profile stops the command with its message."""
        request_scan = self._scan_requester(self.settings) if self._scan_requester else no_workers
        return build_runtime(self.settings, request_scan=request_scan)


def pass_runtime(f: F) -> F:
    """Hand the command the process's Runtime as its first argument."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        return ctx.invoke(f, ctx.ensure_object(CommandContext).runtime, *args, **kwargs)

    return update_wrapper(wrapper, f)  # type: ignore[return-value]
