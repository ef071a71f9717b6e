"""What every part of the report gives: its targets, each met or not, with the figures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One target of the report: its wording, whether it is met, and the figures."""

    label: str
    met: bool
    figures: str
