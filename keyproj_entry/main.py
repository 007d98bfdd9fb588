"""The ``keyproj`` console command: the cli's commands plus ``serve``, wired to reach the workers."""

from __future__ import annotations

from cli.context import CommandContext
from cli.main import cli
from keyproj.runtime import RequestScan
from keyproj.settings import Settings
from keyproj_entry.serve import serve


def scan_requester(settings: Settings) -> RequestScan:
    """Scan requests go to the workers on the settings' broker."""
    # Imported on use: most commands never ask, and Celery is slow to import.
    from workers.publish import scan_requester as to_workers

    return to_workers(settings)


def main() -> None:
    """Run ``keyproj`` (the console script)."""
    cli.add_command(serve)
    cli(obj=CommandContext(scan_requester))
