"""Six levels that differ, on yardsticks the engine does not use (opad.quality.yardsticks):
sentence length, a readability formula where the language has one, and a harder-word
share; and how many sentences the A1 and C2 readings of one source share."""

from __future__ import annotations

from collections import defaultdict
from statistics import mean

from opad.levels import LEVEL_ORDER
from opad.quality.measure import Measured
from opad.quality.parts.target import Target
from opad.quality.yardsticks import measures

SHIPPED = ("en", "de", "es", "fr", "it", "pt", "ko", "ja", "zh")
ROOM = 1.6  # a source must be this many times the length asked for levels to choose apart
OVERLAP_LIMITS = {300: 0.20, 600: 0.40}


def _eligible(measured: list[Measured], length: int) -> list[Measured]:
    return [
        m
        for m in measured
        if m.run.source.kind in ("library", "own", "grades", "texts")
        and m.run.length == length
        and m.source_words >= ROOM * length
        and m.yard
    ]


def gradient(rows: list[Measured], key: str) -> list[float | None]:
    """Mean of one yardstick per level, A1 … C2 (None where no reading has it)."""
    by_level: dict[str, list[float]] = defaultdict(list)
    for m in rows:
        if key in m.yard:
            by_level[m.run.level.value].append(m.yard[key])
    return [mean(by_level[lv.value]) if by_level[lv.value] else None for lv in LEVEL_ORDER]


def ordered(values: list[float | None], harder: bool) -> bool:
    """Whether the values rise (or, for an easier-is-larger measure, fall) strictly."""
    if any(v is None for v in values):
        return False
    sign = 1 if harder else -1
    return all(sign * (b - a) > 0 for a, b in zip(values, values[1:], strict=False))  # type: ignore[operator]


def overlaps(measured: list[Measured], length: int) -> list[tuple[str, float]]:
    """(source, shared sentences / sentences of the shorter reading) for A1 vs C2."""
    pairs: dict[str, dict[str, Measured]] = defaultdict(dict)
    for m in _eligible(measured, length):
        pairs[m.run.source.name][m.run.level.value] = m
    out = []
    for name, levels in sorted(pairs.items()):
        if "A1" in levels and "C2" in levels:
            a, c = set(levels["A1"].kept), set(levels["C2"].kept)
            out.append((name, len(a & c) / max(1, min(len(a), len(c)))))
    return out


def targets(measured: list[Measured]) -> list[Target]:
    """Ordered on ≥ 2 yardsticks in every shipped language; A1/C2 overlap limits."""
    rows = _eligible(measured, 300)
    ordered_in = []
    for code in SHIPPED:
        lang_rows = [m for m in rows if m.run.source.code == code]
        count = sum(ordered(gradient(lang_rows, ms.key), ms.harder) for ms in measures(code))
        ordered_in.append((code, count))
    bad = [c for c, n in ordered_in if n < 2]
    out = [
        Target(
            "levels strictly ordered on ≥ 2 independent yardsticks in every shipped "
            "language (300 words)",
            not bad,
            ", ".join(f"{c} {n}" for c, n in ordered_in)
            + (f"; short: {', '.join(bad)}" if bad else ""),
        )
    ]
    for length, limit in OVERLAP_LIMITS.items():
        found = overlaps(measured, length)
        worst = max((v for _, v in found), default=0.0)
        over = [n for n, v in found if v > limit]
        out.append(
            Target(
                f"A1 vs C2 overlap ≤ {limit:.0%} at {length} words (sources ≥ {ROOM}× as long)",
                bool(found) and not over,
                f"{len(found) - len(over)}/{len(found)} sources; highest {worst:.0%}"
                + (f"; over: {', '.join(over)}" if over else ""),
            )
        )
    return out


def section(measured: list[Measured]) -> list[str]:
    """One table per length: each language's yardsticks per level, and the overlaps."""
    out = ["## Six levels on independent yardsticks", "", __doc__.replace("\n", " "), ""]
    out.append(
        f"Readings of sources at least {ROOM}× the length asked (a shorter source leaves "
        "the levels little to choose from): every library text, the texts written for the "
        "report and the long own texts (it, pt). ↑: larger is harder; ↓: larger is easier. "
        "Each cell is the mean over those sources, A1 → C2; ✓ when strictly ordered."
    )
    for length in (300, 600):
        rows = _eligible(measured, length)
        out += ["", f"### {length} words", "", "| language | yardstick | A1 … C2 | ordered |"]
        out.append("|---|---|---|---|")
        for code in SHIPPED:
            lang_rows = [m for m in rows if m.run.source.code == code]
            if not lang_rows:
                out.append(f"| {code} | — | no source long enough | — |")
                continue
            for ms in measures(code):
                values = gradient(lang_rows, ms.key)
                cells = " · ".join("—" if v is None else f"{v:.2f}" for v in values)
                arrow = "↑" if ms.harder else "↓"
                tick = "✓" if ordered(values, ms.harder) else "✗"
                out.append(f"| {code} | {ms.label} {arrow} | {cells} | {tick} |")
        words = defaultdict(list)
        for m in rows:
            words[m.run.level.value].append(m.run.words)
        out += [
            "",
            "Mean length delivered: "
            + ", ".join(
                f"{lv.value} {mean(words[lv.value]):.0f}" for lv in LEVEL_ORDER if words[lv.value]
            ),
            "",
            "A1 vs C2 shared sentences: "
            + ", ".join(f"{n} {v:.0%}" for n, v in overlaps(measured, length)),
        ]
    out += [
        "",
        "Why the order and overlap targets are missed. The A1/C2 overlap is highest on "
        "sources of 560–700 words (most of the starter library): a 300-word reading is half "
        "of such a source, and since sentences now travel with what they need (a quote with "
        "its speaker's sentence, an answer with its question, a noun with a sentence that "
        "introduced it), the units are larger and both levels end up taking the same "
        "connected passages. On sources of 1000 words and more it is mostly 4–25% at 300 "
        "words. The strict order is met in en, es, fr and it on two or three yardsticks; in "
        "de, ko and zh one yardstick is ordered and the others miss by one step; pt has a "
        "single source long enough and ja five short ones, so their six means are "
        "noise-sized apart. The engine's difficulty weighs sentence and word length "
        "(docs/leveling.md), which ordered English and French; a narrower band per level "
        "(30% of the source instead of half) shared more sentences, not fewer, because the "
        "levels then fell back on wider bands to fill their length.",
    ]
    return out + [""]
