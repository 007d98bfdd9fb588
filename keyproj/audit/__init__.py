"""Tamper evidence for case event logs: each event's hash covers its content and the hash before it.

Changing, removing or reordering any stored event therefore breaks the chain at that point.
Removing or rewriting the *last* events leaves no later event to notice, so the case row keeps
the event count and the last hash, and verification compares the end of the log against them.
"""

from keyproj.audit.canonical import canonical_json
from keyproj.audit.chain import (
    GENESIS,
    ChainProblem,
    EventRecord,
    ProblemKind,
    event_hash,
    event_hash_input,
    seal,
    verify_chain,
)

__all__ = [
    "GENESIS",
    "ChainProblem",
    "EventRecord",
    "ProblemKind",
    "canonical_json",
    "event_hash",
    "event_hash_input",
    "seal",
    "verify_chain",
]
