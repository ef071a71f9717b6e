"""Which units a level chooses from, and the swaps that bring a reading nearer its aim.

Aiming every level at its own mean difficulty is not enough to make the levels differ: a
reading of 300 words from a 600-word source can reach A1's mean and C2's mean with many of
the same middling units, and A1 and C2 then share half their sentences. So each level
also gets a *band*: the source's units ordered by difficulty, weighted by words, and a
window over them — A1 the easiest part, C2 the hardest, the levels between at even
steps. The window is as wide as the reading needs (at least half the source, and 10% more than
the reading's share of it); where the units a level needs (a quote's speaker, an answer's
question) make it fall short, selection widens the window step by step.
"""

from __future__ import annotations

from opad.engines.source_units import Unit
from opad.levels import Level

_BREAK = 0.015  # each place where the reading skips part of the source (see `improve`)
OUTSIDE = 0.25  # cost of each unit a reading takes from outside its level's band
_MIN_WIDTH = 0.5
_ROOM = 1.1


def closure(
    all_units: list[Unit],
    start: set[int],
    kept: set[int] | None = None,
    aim: float | None = None,
) -> set[int]:
    """`start` with every unit it needs, and what those need, and so on. Of a choice of
    units (`needs_one`), none is added when one is in `kept` or already added, else the
    one whose difficulty is nearest `aim` (the level's), or the latest without an aim."""
    out = set(start)
    have = kept or set()
    todo = list(start)
    while todo:
        unit = all_units[todo.pop()]
        wanted = set(unit.needs)
        for options in unit.needs_one:
            if not options & (out | have):
                wanted.add(
                    max(options)
                    if aim is None
                    else min(options, key=lambda i: (abs(all_units[i].hardness - aim), -i))
                )
        for other in wanted - out:
            out.add(other)
            todo.append(other)
    return out


def complete(all_units: list[Unit], selection: set[int]) -> bool:
    """Whether every unit of `selection` has what it needs in it."""
    return all(
        all_units[i].needs <= selection and all(o & selection for o in all_units[i].needs_one)
        for i in selection
    )


def band(
    all_units: list[Unit], chosen: set[int], level: Level, length: int, widen: float = 0.0
) -> set[int]:
    """The units (by index) `level` may choose from, besides those already `chosen`; a
    window `widen` (a share of the source) wider than the reading needs."""
    rest = sorted(
        (i for i in range(len(all_units)) if i not in chosen), key=lambda i: all_units[i].hardness
    )
    words = sum(all_units[i].words for i in rest)
    if not words:
        return set()
    need = max(length - sum(all_units[i].words for i in chosen), 0)
    width = min(1.0, max(_MIN_WIDTH, _ROOM * need / words) + widen)
    start = (1 - width) * level.rank / 5
    out: set[int] = set()
    seen = 0
    for i in rest:
        middle = (seen + all_units[i].words / 2) / words
        seen += all_units[i].words
        if start <= middle <= start + width:
            out.add(i)
    return out


def improve(
    all_units: list[Unit],
    chosen: set[int],
    allowed: set[int],
    target: float,
    scale: float,
    lower: float,
    upper: float,
) -> set[int]:
    """Swap single units in and out while that brings the reading's mean difficulty
    closer to the level's target (length kept within bounds, the opening unit kept, each
    extra break in the text's flow counted against the swap)."""

    def cost(selection: set[int]) -> float:
        words = sum(all_units[i].words for i in selection)
        mean = sum(all_units[i].hardness * all_units[i].words for i in selection) / words
        breaks = sum(1 for i in selection if i - 1 not in selection)
        outside = len(selection - allowed - fixed)
        return abs(mean - target) / scale + _BREAK * breaks + OUTSIDE * outside

    if not chosen or 0 not in chosen:
        return chosen
    fixed = closure(all_units, {0})  # the opening: in every level's reading
    current = set(chosen)
    best_cost = cost(current)
    total = sum(all_units[i].words for i in current)
    for _ in range(40):
        best: tuple[float, int, int] | None = None
        for out in sorted(current - {0}):
            for into in range(1, len(all_units)):
                if into in current or into not in allowed:
                    continue
                new_total = total - all_units[out].words + all_units[into].words
                if not lower <= new_total <= upper:
                    continue
                rest = current - {out}
                candidate = rest | closure(all_units, {into}, rest, target)
                if not complete(all_units, candidate):
                    continue  # a kept unit would lose what it needs
                new_total = sum(all_units[i].words for i in candidate)
                if not lower <= new_total <= upper:
                    continue
                value = cost(candidate)
                if value < best_cost - 1e-9 and (best is None or value < best[0]):
                    best = (value, out, into)
        if best is None:
            break
        best_cost, out, into = best
        current = (current - {out}) | closure(all_units, {into}, current - {out}, target)
        total = sum(all_units[i].words for i in current)
    return current
