"""The diagrams' scripts and conditions compiled once, not at every run.

SpiffWorkflow's ``TaskDataEnvironment`` hands the script's text to ``exec`` and the
expression's text to ``eval``, which compile it again each time: for a case's few short
scripts the compiling cost more than running them. Here each text is compiled once per
process (the same code objects, named ``<string>`` as ``exec`` and ``eval`` name theirs) and
run exactly as SpiffWorkflow runs it.
"""

from __future__ import annotations

import copy
import functools
from types import CodeType
from typing import Any

from SpiffWorkflow.bpmn.script_engine import TaskDataEnvironment


@functools.lru_cache(maxsize=1024)
def _compiled(source: str, mode: str) -> CodeType:
    return compile(source, "<string>", mode)


class CompiledTaskDataEnvironment(TaskDataEnvironment):  # type: ignore[misc]
    """``TaskDataEnvironment`` with its scripts' and expressions' code kept compiled."""

    def evaluate(
        self, expression: Any, context: dict[str, Any], external_context: Any = None
    ) -> Any:
        """As ``TaskDataEnvironment.evaluate``, from the expression's compiled code."""
        if not isinstance(expression, str):
            return super().evaluate(expression, context, external_context)
        my_globals = copy.copy(self.globals)  # as SpiffWorkflow: later evaluations stay clean
        self._prepare_context(context)
        my_globals.update(external_context or {})
        my_globals.update(context)
        return eval(_compiled(expression, "eval"), my_globals)

    def execute(self, script: Any, context: dict[str, Any], external_context: Any = None) -> bool:
        """As ``TaskDataEnvironment.execute``, from the script's compiled code."""
        if not isinstance(script, str):
            return bool(super().execute(script, context, external_context))
        self.check_for_overwrite(context, external_context or {})
        my_globals = copy.copy(self.globals)
        self._prepare_context(context)
        my_globals.update(external_context or {})
        context.update(my_globals)
        try:
            exec(_compiled(script, "exec"), context)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True
