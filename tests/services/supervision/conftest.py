"""The county of one warning case, whose people take it through the services."""

from __future__ import annotations

import pytest

from tests.builders.county import County


@pytest.fixture
def county(county: County) -> County:
    """The plant project, someone in every lane of its case, and its open warning; committed."""
    return county.with_warning_case()
