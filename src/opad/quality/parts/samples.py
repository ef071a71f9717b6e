"""Readings read by hand: each quoted whole, with what a reader finds wrong in it.

The notes were written by reading the readings the grid made on the commit that added
them; the readings are quoted from this run, so a note that no longer fits shows.
"""

from __future__ import annotations

from opad.quality.measure import Measured
from opad.quality.parts import Target

# (source, level, length, what is wrong) — read by hand; see the module docstring.
HAND_READ: list[tuple[str, str, int, str]] = []


def targets(measured: list[Measured]) -> list[Target]:
    """No target: the samples are evidence for the others."""
    return []


def section(measured: list[Measured]) -> list[str]:
    """Each hand-read reading, quoted, with its note."""
    index = {(m.run.source.name, m.run.level.value, m.run.length): m for m in measured}
    out = ["## Readings read by hand", "", __doc__.split("\n\n")[1].replace("\n", " "), ""]
    for name, level, length, note in HAND_READ:
        m = index.get((name, level, length))
        out += [f"### {name}, {level}, {length} words", ""]
        if m is None:
            out += ["(not in this run)", ""]
            continue
        out += [f"Title: *{m.run.title}*", ""]
        out += ["> " + line if line else ">" for line in m.run.body.splitlines()]
        out += ["", f"**What is wrong:** {note}", ""]
    return out
