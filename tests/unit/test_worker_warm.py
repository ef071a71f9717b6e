"""OPAD_WORKER_WARM: which languages a worker prepares at start (opad.worker.warm)."""

from __future__ import annotations

import pytest

from opad.worker.warm import sample_text, warm_codes


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
