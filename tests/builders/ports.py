"""Free local ports for servers a test starts."""

from __future__ import annotations

from ephemeral_port_reserve import reserve


def free_port() -> int:
    """A localhost TCP port nothing listens on, kept from other tests for a minute.

    A port merely found free could be handed by the OS to a server another test worker starts
    before this test's server binds it. The port is left in TIME_WAIT instead, so the OS hands
    it to no one for 60 s; the test's servers bind it all the same (they set SO_REUSEADDR).
    """
    return int(reserve("127.0.0.1"))
