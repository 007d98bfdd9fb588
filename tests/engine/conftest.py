"""Engine tests need no database: the diagram, a calendar built from chinesecalendar, a clock."""

from __future__ import annotations

import pytest

from keyproj.engine import CompiledDefinition
from tests.builders.clock import FrozenClock
from tests.builders.engine import Deadline, InMemoryCase, compiled_diagram, working_day_deadline


@pytest.fixture(scope="session")
def definition() -> CompiledDefinition:
    """The compiled warning-case diagram."""
    return compiled_diagram()


@pytest.fixture(scope="session")
def deadline() -> Deadline:
    """Working-day deadlines by chinesecalendar's holidays."""
    return working_day_deadline()


@pytest.fixture
def case(definition: CompiledDefinition, deadline: Deadline, clock: FrozenClock) -> InMemoryCase:
    """A case of the diagram, not yet started."""
    return InMemoryCase(definition, deadline, clock)
