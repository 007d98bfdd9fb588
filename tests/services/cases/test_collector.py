"""The garbage collector held off for a batch: back on afterwards, whatever happened inside."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from keyproj.services.cases.collector import collection_paused


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    """The collector as the test found it, whatever the test did."""
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_inside_a_batch_and_on_after_it():
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_back_on_after_a_batch_that_raised():
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("步骤失败")
    assert gc.isenabled()


def test_a_nested_batch_leaves_the_collector_off_until_the_outer_one_ends():
    with collection_paused():
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_batches_turn_it_back_on_only_when_the_last_ends():
    # Two threads' batches overlap without nesting: the first to begin ends first.
    first, second = collection_paused(), collection_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_switched_off_before_the_batch_stays_off():
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()
