"""checker.collector: the garbage collector is paused where a scan allocates in bulk, and always
restored (or left off when the caller had it off)."""

from __future__ import annotations

import gc

import pytest

from checker.collector import imports_frozen, paused_for_one_file


@pytest.fixture(autouse=True)
def _restore_collector():
    yield
    gc.unfreeze()
    gc.enable()


def test_imports_are_frozen_and_the_collector_restored() -> None:
    gc.unfreeze()
    with imports_frozen():
        assert not gc.isenabled()
        kept = [[i] for i in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)


def test_one_file_pause_collects_its_cycles() -> None:
    class Node:
        pass

    gc.collect()
    with paused_for_one_file():
        assert not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        del a, b
    assert gc.isenabled()
    assert gc.collect() == 0  # the cycle went with the collection at the end of the file


@pytest.mark.parametrize("pause", [imports_frozen, paused_for_one_file])
def test_a_collector_turned_off_by_the_caller_stays_off(pause) -> None:
    gc.disable()
    with pause():
        pass
    assert not gc.isenabled()
