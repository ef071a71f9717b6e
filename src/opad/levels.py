"""CEFR levels and their plain descriptions (Council of Europe global scale, shortened)."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"

    @property
    def rank(self) -> int:
        """0 for A1 … 5 for C2."""
        return LEVEL_ORDER.index(self)


LEVEL_ORDER: tuple[Level, ...] = tuple(Level)

DESCRIPTIONS: dict[Level, str] = {
    Level.A1: "can understand familiar everyday words and very simple sentences",
    Level.A2: "can understand short, simple texts on familiar, everyday topics",
    Level.B1: "can understand the main points of clear standard input on familiar matters",
    Level.B2: "can understand the main ideas of complex text, including technical discussion",
    Level.C1: "can understand a wide range of demanding, longer texts and implicit meaning",
    Level.C2: "can understand with ease virtually everything heard or read",
}
