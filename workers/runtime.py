"""The worker process's Runtime (keyproj.runtime): settings read once, the rest built on first use."""

from __future__ import annotations

from functools import cache

from keyproj.runtime import Runtime, build_runtime
from keyproj.settings import Settings
from workers.publish import scan_requester


@cache
def settings() -> Settings:
    """This process's settings: the Celery app and the Runtime read the same ones."""
    return Settings.from_env()


@cache
def runtime() -> Runtime:
    """This process's Runtime (an invalid policy profile stops the task with its message)."""
    return build_runtime(settings(), request_scan=scan_requester(settings()))


def forget_connections() -> None:
    """Drop pooled connections inherited across a fork, if the parent had opened any."""
    if runtime.cache_info().currsize:
        runtime().forget_connections()
