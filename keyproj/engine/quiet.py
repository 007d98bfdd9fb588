"""SpiffWorkflow's per-task state-change log line, built only when someone will read it.

Every state change of every task logs a line at INFO (DEBUG when the state is set again),
and SpiffWorkflow builds that line's text and its dict of extras before the logger looks
at its level: about a twentieth of an engine step spent on lines that production never
keeps (``keyproj.runtime`` quiets the engine's loggers). ``Task._set_state`` is replaced by
the same logic that asks the logger first; with the level enabled, the line is the same.
"""

from __future__ import annotations

import logging
import time

from SpiffWorkflow import task as _spiff_task
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

_logger = _spiff_task.logger
SPIFF_SET_STATE = Task._set_state  # SpiffWorkflow's own, which the tests compare with


def _set_state(self: Task, value: int) -> None:
    """Force set the state on a task (SpiffWorkflow's ``Task._set_state``, log built on demand)."""
    if value != self.state:
        elapsed = time.time() - self.last_state_change
        self.last_state_change = time.time()
        self._state = value
        if _logger.isEnabledFor(logging.INFO):
            _logger.info(
                f"State changed to {TaskState.get_name(value)}",
                extra=self.collect_log_extras({"elapsed": elapsed}),
            )
    elif _logger.isEnabledFor(logging.DEBUG):
        _logger.debug(f"State set to {TaskState.get_name(value)}", extra=self.collect_log_extras())


Task._set_state = _set_state
