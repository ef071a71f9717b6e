"""Named hand-off points of a job's life where a test may step in.

Production code only announces the point (`reached("after_commit")`); nothing is
registered, so it is one dictionary lookup. The crash and pause tests install their
actions from outside (tests/hooks/sitecustomize.py, loaded through PYTHONPATH): exiting
the process there, or waiting until the test has broken something.
"""

from __future__ import annotations

from collections.abc import Callable

_actions: dict[str, Callable[[str], None]] = {}


def install(point: str, action: Callable[[str], None]) -> None:
    """Run `action(point)` whenever `point` is reached (tests only)."""
    _actions[point] = action


def reached(point: str) -> None:
    """Announce that a job's life passed `point`; runs the test's action if one is installed."""
    action = _actions.get(point)
    if action is not None:
        action(point)
