"""The report's parts: one module per concern, each giving its targets and its section.

A part is a module with `targets(measured) -> list[Target]` and
`section(measured) -> list[str]` (markdown lines); `PARTS` lists them in report order.
A new concern (vocabulary, questions, topics) adds a module here and a line to `PARTS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Target:
    """One target of the report: its wording, whether it is met, and the figures."""

    label: str
    met: bool
    figures: str


def parts() -> list[ModuleType]:
    """The report's parts, in order (imported here so each stays a plain module)."""
    from opad.quality.parts import cohesion, grades, samples

    return [cohesion, grades, samples]
