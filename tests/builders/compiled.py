"""What every test app would otherwise compile anew: URL builders and templates, kept per process.

Each web test builds its own app (a fresh app per test keeps tests apart), and an app compiles
its ~650 URL rules and each template it renders; that cost more than most tests themselves.
The compiled code is a pure function of the rule or the template source, so one process
compiles each once and its apps share the result. The apps and their state stay per test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import CodeType
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing import Rule

_Builder = Callable[..., tuple[str, str]]


class SharedTemplateCode(BytecodeCache):
    """Templates' compiled code, shared by the apps of one process, checked against the source."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Hand out the code compiled from the same source, if any (else Jinja compiles it)."""
        found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code Jinja compiled."""
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)


TEMPLATES = SharedTemplateCode()


@contextmanager
def shared_url_builders() -> Iterator[None]:
    """Werkzeug's rules compile their URL builders once per process, not once per app.

    A builder is generated from the rule's parsed parts and the names of its defaults alone
    (it reaches the rule's converters through the rule it is bound to), so rules of the same
    pattern share it. A rule whose defaults fill a part of its path is compiled as usual: its
    builder holds the converted default.
    """
    original = Rule._compile_builder
    builders: dict[tuple[Any, ...], _Builder] = {}

    def compile_builder(self: Rule, append_unknown: bool = True) -> _Builder:
        defaults = self.defaults or {}
        if any(dynamic and data in defaults for dynamic, data in self._trace):
            return original(self, append_unknown)
        key = (tuple(self._trace), tuple(defaults), append_unknown)
        builder = builders.get(key)
        if builder is None:
            builder = builders[key] = original(self, append_unknown)
        return builder

    Rule._compile_builder = compile_builder  # type: ignore[method-assign]
    try:
        yield
    finally:
        Rule._compile_builder = original  # type: ignore[method-assign]
