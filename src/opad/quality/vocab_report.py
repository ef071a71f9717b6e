"""The report's vocabulary, question and topic sections (issue 27, items 4–6), measured
with the yardsticks of opad.quality.vocab_checks and a hand-labelled topic suite.

`python -m opad.quality.vocab_report [OUTPUT]` runs the leveler over every text of the
starter library and the report's own sources, A1…C2 × `LENGTHS`, makes each reading's
questions as the worker does, asks the topic suite, and writes the sections as markdown
(default: print them). The quality report includes the same sections (`vocab_sections`).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from opad.engines.base import GenerationRequest, VocabularyItem
from opad.levels import LEVEL_ORDER, Level
from opad.quality.vocab_checks import grammar_solvable, item_fault
from opad.questions.models import Question, QuestionKind

LENGTHS = (100, 300)
SHIPPED = ("en", "de", "es", "fr", "it", "pt", "ko", "ja", "zh")  # the languages measured
DICTIONARY_FOLDERS = (Path("/usr/share/dictd"),)  # OPAD_DICT_DIRS' default, as a worker has


@dataclass
class Reading:
    """One leveled reading with what the vocabulary and question checks need."""

    code: str
    name: str
    level: Level
    length: int
    words: int  # words of the reading (tokens; CJK too)
    vocabulary: list[VocabularyItem]
    questions: list[Question]
    body: str = ""
    faults: list[tuple[str, str]] = field(default_factory=list)  # (word, name|number)

    def option_faults(self) -> list[tuple[str, str]]:
        """Cloze options that are names or numbers (by the yardstick, in the first sentence
        of the reading that holds them)."""
        from opad.text import split_sentences

        sentences = [s for p in self.body.split("\n\n") for s in split_sentences(self.code, p)]
        out = []
        for q in self.questions:
            if q.kind is not QuestionKind.CLOZE:
                continue
            for option in q.options:
                where = (
                    q.support
                    if option == q.answer
                    else next((s for s in sentences if option in s), "")
                )
                fault = item_fault(self.code, option, option, where)
                if fault:
                    out.append((option, fault))
        return out


def _sources(texts_per_language: int | None) -> list[tuple[str, str, str, str]]:
    """(code, language, name, body) of every library text and own source (not hard)."""
    from opad.quality.runner import grid_sources

    out = []
    for source in grid_sources(texts_per_language=1000):
        if source.kind == "hard" or source.code not in SHIPPED:
            continue
        out.append((source.code, source.language, source.name, source.body))
    if texts_per_language is not None:
        kept: Counter[str] = Counter()
        trimmed = []
        for item in out:
            if kept[item[0]] < texts_per_language:
                kept[item[0]] += 1
                trimmed.append(item)
        out = trimmed
    return out


def run_readings(
    texts_per_language: int | None = None, progress: Callable[[str], None] = lambda s: None
) -> list[Reading]:
    """Every source at every level and length, with its questions and item faults."""
    from opad.engines import build_engine
    from opad.quality.runner import article_body
    from opad.questions.step import questions_for
    from opad.reading.analyze import analyze
    from opad.settings import Settings
    from opad.text import words

    engine = build_engine(Settings(_env_file=None, OPAD_ENGINE="offline"))
    folders = [f for f in DICTIONARY_FOLDERS if f.is_dir()]
    out: list[Reading] = []
    for code, language, name, body in _sources(texts_per_language):
        progress(name)
        for length in LENGTHS:
            for level in LEVEL_ORDER:
                request = GenerationRequest(
                    language=language, level=level, length=length, topic="", source_text=body
                )
                result = engine.generate(request, lambda p, m: None)
                typed = analyze(result.markdown, code, result.vocabulary)  # as the worker does
                questions = questions_for(typed, result.vocabulary, (), folders)
                text = article_body(result.markdown)
                reading = Reading(
                    code, name, level, length, len(words(code, text)),
                    list(result.vocabulary), questions, text,
                )  # fmt: skip
                for item in result.vocabulary:
                    fault = item_fault(code, item.word, item.lemma, item.example)
                    if fault:
                        reading.faults.append((item.word, fault))
                out.append(reading)
    return out


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def vocabulary_section(readings: list[Reading]) -> list[str]:
    """Names, numbers and counters per 100 lists, and items per 100 words by level."""
    lists = [r for r in readings if r.vocabulary]
    faulty = [r for r in lists if r.faults]
    per100 = 100 * len(faulty) / len(lists) if lists else 0.0
    examples = Counter((r.code, w, kind) for r in faulty for w, kind in r.faults)
    out = [
        "## Vocabulary lists: names, numbers, counters, length",
        "",
        f"Target: names/numbers/counters in ≤ 1 per 100 lists. Measured: **{per100:.2f} "
        f"per 100 lists** ({len(faulty)} of {len(lists)} lists; "
        f"{'met' if per100 <= 1 else '**missed**'}). Yardstick: opad.quality.vocab_checks "
        "(gender-guesser first names and the example sentence; Faker's ko/ja/zh person and "
        "place lists and administrative suffixes; the report's own number, approximate-"
        "numeral and counter lists), none of which the engine's filter uses.",
        "",
    ]
    if examples:
        shown = ", ".join(f"{c}: {w} ({k}, ×{n})" for (c, w, k), n in examples.most_common(15))
        out += [f"Most frequent: {shown}.", ""]
    out += [
        "Items per 100 words of the reading (mean), by level and length:",
        "",
        "| length | " + " | ".join(lv.value for lv in LEVEL_ORDER) + " |",
        "|---" * (len(LEVEL_ORDER) + 1) + "|",
    ]
    for length in LENGTHS:
        cells = []
        for level in LEVEL_ORDER:
            rows = [r for r in readings if r.length == length and r.level is level and r.words]
            mean = sum(100 * len(r.vocabulary) / r.words for r in rows) / len(rows) if rows else 0
            top = max((len(r.vocabulary) for r in rows), default=0)
            cells.append(f"{mean:.1f} (max {top} items)")
        out.append(f"| {length} | " + " | ".join(cells) + " |")
    return [*out, ""]


def questions_section(readings: list[Reading]) -> list[str]:
    """Cloze questions solvable by grammar alone; question types per reading."""
    by_code: dict[str, list[Reading]] = defaultdict(list)
    for r in readings:
        by_code[r.code].append(r)
    cloze = [(r.code, q) for r in readings for q in r.questions if q.kind is QuestionKind.CLOZE]
    solvable = [(c, q) for c, q in cloze if grammar_solvable(c, q.answer, q.options)]
    share = len(solvable) / len(cloze) if cloze else 0.0
    bad_options = [f for r in readings for f in r.option_faults()]
    option_count = sum(len(q.options) for _, q in cloze)
    out = [
        "## Questions: grammar alone, question types",
        "",
        f"Target: cloze questions solvable by grammar alone ≤ 5%. Measured: **"
        f"{_pct(len(solvable), len(cloze))}** ({len(solvable)} of {len(cloze)}; "
        f"{'met' if share <= 0.05 else '**missed**'}). Yardstick: every distractor ruled out "
        "by its form alone — this module's own ending tables, German capitals, kana and "
        "Hangul verb endings in ja/ko (opad.quality.vocab_checks.grammar_solvable); the "
        "generator compares lemmas and the analyzers' tags instead. Chinese has no "
        "inflection for this yardstick to see: its cloze are counted but cannot be ruled "
        "solvable by form.",
        "",
        f"Cloze options that are names or numbers (vocabulary yardstick): "
        f"{_pct(len(bad_options), option_count)} ({len(bad_options)} of {option_count}"
        + (f"; e.g. {', '.join(sorted({o for o, _ in bad_options})[:10])}" if bad_options else "")
        + ").",
        "",
        "| language | readings | with questions | ≥ 2 question types | cloze | by grammar alone "
        "| kinds |",
        "|---|---|---|---|---|---|---|",
    ]
    for code, rows in sorted(by_code.items()):
        asked = [r for r in rows if r.questions]
        mixed = [r for r in asked if len({q.kind for q in r.questions}) >= 2]
        c = [q for r in rows for q in r.questions if q.kind is QuestionKind.CLOZE]
        s = [q for q in c if grammar_solvable(code, q.answer, q.options)]
        kinds = Counter(q.kind.value for r in rows for q in r.questions)
        shown = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        out.append(
            f"| {code} | {len(rows)} | {len(asked)} | {_pct(len(mixed), len(asked))} | "
            f"{len(c)} | {_pct(len(s), len(c))} | {shown} |"
        )
    if solvable:
        out += ["", "Examples solvable by grammar alone:", ""]
        for code, q in solvable[:6]:
            out.append(f"- {code}: “{q.prompt}” — {' / '.join(q.options)} (answer {q.answer})")
    return [*out, ""]


def vocab_sections(readings: list[Reading]) -> list[str]:
    """The vocabulary and question sections, then the topic section (see topic_suite)."""
    from opad.quality.topic_suite import topic_section

    return [*vocabulary_section(readings), *questions_section(readings), *topic_section()]


if __name__ == "__main__":
    per_language = int(sys.argv[2]) if len(sys.argv) > 2 else None
    text = "\n".join(vocab_sections(run_readings(per_language, progress=print)))
    if len(sys.argv) > 1 and sys.argv[1] != "-":
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    print(text)
