"""CEFR levels: their order and rank, which every level comparison rests on."""

from __future__ import annotations

from opad.levels import DESCRIPTIONS, LEVEL_ORDER, Level


def test_levels_rank_from_a1_to_c2() -> None:
    assert [lv.value for lv in LEVEL_ORDER] == ["A1", "A2", "B1", "B2", "C1", "C2"]
    assert [lv.rank for lv in LEVEL_ORDER] == [0, 1, 2, 3, 4, 5]
    assert Level("B2").rank > Level.B1.rank


def test_every_level_is_described_for_learners() -> None:
    assert set(DESCRIPTIONS) == set(Level)
    assert all(text.startswith("can understand") for text in DESCRIPTIONS.values())


def test_levels_are_strings_on_the_wire() -> None:
    assert f"{Level.C1}" == "C1" and Level.C1 == "C1"
