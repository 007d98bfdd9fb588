"""Task ids read and made without UUID's general constructor are the very UUIDs it gives."""

from __future__ import annotations

import uuid

import pytest

from keyproj.engine import ids


@pytest.mark.parametrize(
    "text",
    [
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
        "68364534-0a6a-4166-9f05-6436c26ffcf4",  # a random (version 4) id
    ],
)
def test_a_stored_task_id_reads_back_as_the_uuid_of_its_text(text):
    read = ids.parse(text)

    assert read == uuid.UUID(text)
    assert hash(read) == hash(uuid.UUID(text))
    assert str(read) == str(uuid.UUID(text))
    assert read.is_safe == uuid.UUID(text).is_safe


@pytest.mark.parametrize("text", ["{3f2504e0-4f89-11d3-9a0c-0305e82c3301}", "3f2504e04f8911d3"])
def test_any_other_form_is_read_or_refused_as_uuid_would(text):
    try:
        expected = uuid.UUID(text)
    except ValueError:
        with pytest.raises(ValueError, match="badly formed"):
            ids.parse(text)
    else:
        assert ids.parse(text) == expected


def test_a_bad_id_in_the_canonical_shape_is_refused():
    with pytest.raises(ValueError, match="invalid literal"):
        ids.parse("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz")


def test_new_ids_are_random_version_4_uuids_and_spiff_tasks_take_them():
    made = [ids.new() for _ in range(200)]

    assert len(set(made)) == 200
    assert all(m.version == 4 and m.variant == uuid.RFC_4122 for m in made)
    assert all(uuid.UUID(str(m)) == m for m in made)


def test_spiff_tasks_take_their_new_ids_from_here():
    from SpiffWorkflow import task as spiff_task

    assert spiff_task.uuid4 is ids.new
