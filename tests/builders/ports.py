"""Free local ports for servers a test starts."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A localhost TCP port nothing listens on right now (the OS hands out a fresh one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
