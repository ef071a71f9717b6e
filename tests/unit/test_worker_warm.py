"""OPAD_WORKER_WARM: which languages a worker prepares at start (opad.worker.warm)."""

from __future__ import annotations

import gc
import weakref

import pytest

from opad.worker.warm import freeze_start_up, sample_text, warm_codes


def test_names_and_codes_in_order_once() -> None:
    assert warm_codes("") == []
    assert warm_codes("  ") == []
    assert warm_codes("German, en,de") == ["de", "en"]


def test_all_is_every_language_with_a_library_text() -> None:
    codes = warm_codes("ALL")
    assert {"en", "de", "ja", "zh"} <= set(codes)
    assert all(sample_text(code).strip() for code in codes)


def test_an_unknown_language_is_named() -> None:
    with pytest.raises(ValueError, match="Klingon"):
        warm_codes("en,Klingon")


class _Node:
    other: _Node | None = None


def test_freezing_the_start_frees_its_garbage_first_then_keeps_the_rest() -> None:
    kept, left = _Node(), _Node()
    left.other, left.other.other = _Node(), left  # a cycle: only a collection frees it
    gone = weakref.ref(left)
    del left
    try:
        freeze_start_up()
        assert gone() is None  # collected, not frozen for good
        assert gc.get_freeze_count() > 0
        assert not any(o is kept for o in gc.get_objects())  # out of every collection
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual
