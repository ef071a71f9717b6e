"""The sections of docs/quality.md after its targets: tables of the measured grid and the
notes that explain them, each a list of markdown lines; and the small figures (shares,
means, gradients, overlaps) that the targets and the tables share."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from opad.levels import LEVEL_ORDER, Level
from opad.quality.measure import Measured
from opad.quality.runner import LENGTHS

OVERLAP_LENGTH = 300


def pct(part: float, whole: float) -> str:
    """`part` as a percentage of `whole` with one decimal ("12.5%"), "n/a" for nothing."""
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def mark(ok: bool) -> str:
    """A target's result cell: "met", or "missed" in bold."""
    return "met" if ok else "**missed**"


def strictly_rising(values: list[float]) -> bool:
    """Whether each value is greater than the one before (true for 0 or 1 values)."""
    return all(a < b for a, b in zip(values, values[1:], strict=False))


def average(values: Iterable[float]) -> float:
    """The arithmetic mean, 0.0 for no values."""
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def gradient(rows: list[Measured], length: int, key: Callable[[Measured], float]) -> list[float]:
    """Per level A1…C2: the mean of `key` over rows at `length`."""
    return [
        average(key(m) for m in rows if m.run.length == length and m.run.level is lv)
        for lv in LEVEL_ORDER
    ]


def gradient_section(
    by_code: dict[str, list[Measured]],
    shipped: list[str],
    own: list[str],
    ordered: dict[str, tuple[bool, bool]],
) -> list[str]:
    out = [
        "## The gradient across levels (300 words)",
        "",
        "Each cell: mean word level (A1 = 1 … C2 = 6) · share of words above B1 · share "
        "above the level asked · words per sentence; names and number words are not "
        "counted. Ordered: whether the first two rise strictly from A1 to C2.",
        "",
        "| language | " + " | ".join(lv.value for lv in LEVEL_ORDER) + " | ordered |",
        "|---" * (len(LEVEL_ORDER) + 2) + "|",
    ]
    for code in shipped + own:
        rows = by_code[code]
        mean = gradient(rows, OVERLAP_LENGTH, lambda m: m.mean_level)
        b1 = gradient(rows, OVERLAP_LENGTH, lambda m: m.above_b1)
        asked = gradient(rows, OVERLAP_LENGTH, lambda m: m.above_asked)
        wps = gradient(rows, OVERLAP_LENGTH, lambda m: m.words_per_sentence)
        cells = [
            f"{a:.2f} · {b:.0%} · {c:.0%} · {d:.1f}"
            for a, b, c, d in zip(mean, b1, asked, wps, strict=True)
        ]
        tag = "" if code in shipped else " (own text)"
        out.append(f"| {code}{tag} | " + " | ".join(cells) + f" | {mark(all(ordered[code]))} |")
    return [*out, ""]


def length_section(
    grid: list[Measured],
    long_enough: list[Measured],
    dangling: dict[int, tuple[int, int]],
    single: dict[int, tuple[int, int]],
) -> list[str]:
    out = [
        "## Length and coherence, by length asked",
        "",
        "| words asked | readings | long-enough source | within ±15% | length ratio "
        "(min–max) | dangling sentences | one-sentence paragraphs | unclosed quotes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n in LENGTHS:
        rows = [m for m in grid if m.run.length == n]
        fit = [m for m in long_enough if m.run.length == n]
        ok = sum(abs(m.ratio - 1) <= 0.15 for m in fit)
        ratios = [m.ratio for m in fit] or [0.0]
        out.append(
            f"| {n} | {len(rows)} | {len(fit)} | {ok} | {average(ratios):.2f} "
            f"({min(ratios):.2f}–{max(ratios):.2f}) | {dangling[n][0]}/{dangling[n][1]} "
            f"({pct(*dangling[n])}) | {single[n][0]}/{single[n][1]} ({pct(*single[n])}) "
            f"| {sum(m.unclosed_quotes for m in rows)} |"
        )
    return [
        *out,
        "",
        "Lengths are words, and characters for Korean, Japanese and Chinese "
        "(`opad.text.count_units`).",
        "",
        "A dangling sentence opens with a pronoun, demonstrative or connective of its "
        "language (`DANGLING_OPENERS` in `src/opad/quality/metrics.py`), or carries an "
        "object pronoun on a verb in its first words (Spanish *Para solucionarlo*) or opens "
        "with a German *da(r)-* adverb, while the source sentence before it was left out. "
        "These are the report's own lists, not the engine's (`opad.text.cohesion`). Not "
        "counted here: a definite noun phrase that repeats a dropped noun (*The animals …*), "
        "which the engine keeps with its sentence but this check cannot see.",
        "",
    ]


def english_section(grid: list[Measured]) -> list[str]:
    en = [m for m in grid if m.run.source.code == "en"]
    out = [
        "## English vocabulary by the English learner list",
        "",
        "Share of vocabulary items that cefrpy puts at or above the level asked (items it "
        "does not know are left out). OPAD levels English words by this same list, so this "
        "checks that no item below the level gets through; the calibration check after the "
        "table is the measure of the frequency method the other languages get.",
        "",
        "| level | items | at or above |",
        "|---|---|---|",
    ]
    for lv in LEVEL_ORDER:
        rows = [m for m in en if m.run.level is lv]
        items = sum(m.english_items for m in rows)
        out.append(f"| {lv.value} | {items} | {pct(sum(m.english_ok for m in rows), items)} |")
    words = sum(m.list_words for m in en)
    out += [
        "",
        "Calibration check — every other language gets levels from lemma frequency "
        "rank alone. On the English words of these readings, that method gives the list's "
        f"level for {pct(sum(m.list_agree for m in en), words)} of {words} words, and a "
        f"level within one of it for {pct(sum(m.list_within_one for m in en), words)}.",
        "",
    ]
    return out


_NAME_CHECK = (
    "Names are checked independently of the engine (which uses spelling, word lists and "
    "Faker's person names, `opad.text.kinds`): a vocabulary item is a name here when its "
    "example sentence uses a first name from gender-guesser's dictionary without an "
    "article, puts the word right after such a first name or a title, or (outside German) "
    "capitalises it inside the sentence (`src/opad/quality/names.py`). Surnames used alone "
    "are seen only where the example names the person in full."
)


def faults_section(faults: list[tuple[Measured, tuple[str, str]]]) -> list[str]:
    if not faults:
        return ["## Numbers and names in vocabulary lists", "", "None.", "", _NAME_CHECK, ""]
    seen: dict[tuple[str, str], str] = {}
    for m, (word, kind) in faults:
        seen.setdefault((m.run.source.code, word), kind)
    listed = ", ".join(f"{w} ({c}, {k})" for (c, w), k in list(seen.items())[:30])
    return [
        "## Numbers and names in vocabulary lists",
        "",
        f"{len(faults)} items in all ({len(seen)} distinct): {listed}.",
        "",
        _NAME_CHECK,
        "",
    ]


def a1_c2_overlaps(grid: list[Measured]) -> list[tuple[str, float]]:
    """(source name, shared sentences / sentences of the shorter reading) for every source
    read at A1 and C2 at OVERLAP_LENGTH words whose text has at least 600 words."""
    out = []
    for name in sorted({m.run.source.name for m in grid}):
        rows = {
            m.run.level: m
            for m in grid
            if m.run.source.name == name and m.run.length == OVERLAP_LENGTH
        }
        if Level.A1 in rows and Level.C2 in rows and rows[Level.A1].source_words >= 600:
            a, c = rows[Level.A1].kept, rows[Level.C2].kept
            out.append((name, len(set(a) & set(c)) / max(1, min(len(set(a)), len(set(c))))))
    return out


def overlap_section(overlaps: list[tuple[str, float]]) -> list[str]:
    out = [
        "## A1 and C2 readings of the same source (300 words)",
        "",
        "Shared sentences as a share of the shorter reading. Some sharing is by design: "
        "the opening unit (it introduces the topic) is in every reading — one sentence of "
        "15–30 is 3–7% — and where a source's words are nearly all A1–A2 (Spanish texts: "
        "mean word level 1.1–1.3) its sentences differ little in difficulty, so easy "
        "mid-length ones fit both aims. es/energia-solar was at 21% before the cohesion "
        "rules for object pronouns on verbs and repeated definite nouns: its A1 and C2 "
        "readings shared the opening and three short sentences of near-equal difficulty; "
        "with the units those rules make, the levels choose apart. Korean, Japanese and "
        "Chinese count characters, and their starter texts are 900–1300 characters: a "
        "300-character reading holds 7–10 sentences, so the opening unit alone is 10–15% "
        "of it, and such a short text leaves few sentences to choose between "
        "(ja/heatstroke, ko/digital-class, ko/kimjang, zh/community-canteen: 33–38%). "
        "Longer starter texts in these languages are what would bring them under 20%.",
        "",
        "| source | overlap |",
        "|---|---|",
    ]
    out += [f"| {name} | {share:.0%} |" for name, share in overlaps]
    return [*out, ""]


def hard_section(hard: list[Measured]) -> list[str]:
    out = [
        "## A hard source at every level (300 words)",
        "",
        "| level | mean word level | above the level asked | words per sentence | "
        "warned that it is harder |",
        "|---|---|---|---|---|",
    ]
    for m in sorted(hard, key=lambda m: m.run.level.rank):
        out.append(
            f"| {m.run.level.value} | {m.mean_level:.2f} | {m.above_asked:.0%} | "
            f"{m.words_per_sentence:.1f} | {'yes' if m.warned_harder else 'no'} |"
        )
    return [*out, ""]
