"""core.collector: objects set aside from the collector during bulk work, and put back."""

from __future__ import annotations

import gc

import pytest

from orderhub.core.collector import objects_before_frozen


def test_objects_are_frozen_inside_and_back_after():
    assert gc.get_freeze_count() == 0
    with objects_before_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_objects_are_back_after_an_error():
    with pytest.raises(RuntimeError), objects_before_frozen():
        raise RuntimeError("the run failed")
    assert gc.get_freeze_count() == 0
