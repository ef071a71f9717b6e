"""The report's parts: one module per concern, each giving its targets and its section.

A part is a module with `targets(measured) -> list[Target]` and
`section(measured) -> list[str]` (markdown lines); `parts()` lists them in report order.
A new concern (vocabulary, questions, topics) adds a module here and a line to `parts()`.
`Target` is in `target.py`, which the parts import (this module imports the parts).
"""

from __future__ import annotations

from types import ModuleType

from opad.quality.parts import cohesion, grades, samples
from opad.quality.parts.target import Target

__all__ = ["Target", "parts"]


def parts() -> list[ModuleType]:
    """The report's parts, in order."""
    return [cohesion, grades, samples]
