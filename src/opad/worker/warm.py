"""Word data prepared when a worker starts, before its first job (OPAD_WORKER_WARM).

A language's analyzers and word data (wordfreq's frequencies, simplemma's dictionary, the
lemma rank table, pysbd, the questions' lexicon; SudachiPy, Kiwi or jieba for Japanese,
Korean, Chinese) load on first use, in the process that uses them: without this, a fresh
worker's first reading in a language spent seconds loading them while the learner waited
(docs/benchmarks.md §12). Preparing makes a reading of the first text of the packaged
library in that language — the leveler engine (when it is the worker's), then the steps
after the engine (worker/steps.py): the analysis, the vocabulary's meanings and the
questions — so every lazy load and cache a job would fill is filled here, and nothing is
kept but those caches. Not the audio: a voice loads on the first reading spoken.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from opad.engines.base import Engine
from opad.engines.sources import PACKAGED_LIBRARY, load_library
from opad.languages import LANGUAGES, find_language

log = logging.getLogger("opad.worker")

SAMPLE_WORDS = 120  # enough text for sentences, levels and cloze questions


def warm_codes(setting: str) -> list[str]:
    """The language codes OPAD_WORKER_WARM names: "" → none, "all" → every language with
    a packaged library text, else a comma-separated list of names or ISO codes.
    ValueError naming an unknown one."""
    value = setting.strip()
    if not value:
        return []
    if value.lower() == "all":
        return [lang.code for lang in LANGUAGES if load_library(PACKAGED_LIBRARY, lang.code)]
    codes = []
    for item in value.split(","):
        lang = find_language(item.strip())
        if lang is None:
            raise ValueError(f"OPAD_WORKER_WARM: unknown language {item.strip()!r}")
        if lang.code not in codes:
            codes.append(lang.code)
    return codes


def sample_text(code: str) -> str:
    """About SAMPLE_WORDS words of the first packaged library text in `code` (a short
    generic sentence when there is none)."""
    texts = load_library(PACKAGED_LIBRARY, code)
    if not texts:
        return "The town opened a new park on Saturday. Families walked to the lake."
    body = texts[0][1].body
    paragraphs, words = [], 0
    for paragraph in body.split("\n\n"):
        paragraphs.append(paragraph)
        words += len(paragraph.split()) if " " in paragraph else len(paragraph) // 2
        if words >= SAMPLE_WORDS:
            break
    return "\n\n".join(paragraphs)


# Word lists of other languages a language's checks read (text/kinds.py: a German word
# is taken for a name when English, French or Spanish use it more), loaded only by the
# first text that has such a word: the first German job after warming still paid ~1 s.
OTHER_WORD_LISTS = {"de": ("en", "fr", "es")}


def _other_word_lists(code: str) -> None:
    import wordfreq

    for other in OTHER_WORD_LISTS.get(code, ()):
        wordfreq.zipf_frequency("haus", other)  # the same path (and cache) as the check


def prepare(
    codes: list[str], dictionary_folders: Sequence[Path] = (), engine: Engine | None = None
) -> dict[str, float]:
    """Analyze and make questions for a sample text in each language of `codes` — after
    the leveler `engine`, when given, made a reading of it (its own checks load more: the
    language identifier, other languages' word lists for names) — and return the seconds
    each language took. A language that fails is logged and skipped (its first job loads
    what it needs, as without warming)."""
    from opad.engines.base import GenerationRequest
    from opad.questions.step import questions_for, translated
    from opad.reading.analyze import analyze

    took: dict[str, float] = {}
    for code in codes:
        started = time.perf_counter()
        try:
            text = sample_text(code)
            markdown, vocabulary = f"# Warm-up\n\n{text}\n", []
            if engine is not None and engine.name == "leveler":  # in-process, no network
                lang = find_language(code)
                assert lang is not None
                request = GenerationRequest(
                    language=lang.name, level="B1", length=80, topic="", source_text=text
                )
                made = engine.generate(request, lambda _percent, _message: None)
                # Its vocabulary too: the questions look its words up in the dictionaries.
                markdown, vocabulary = made.markdown, list(made.vocabulary)
            body = analyze(markdown, code, vocabulary)
            if dictionary_folders:  # the meanings step: the dictionaries' first opening
                vocabulary = translated(code, vocabulary, dictionary_folders)
            questions_for(body, vocabulary, dictionary_folders=dictionary_folders)
            _other_word_lists(code)
        except Exception:
            log.exception("could not prepare the word data of %s", code)
            continue
        took[code] = time.perf_counter() - started
        log.info("word data of %s prepared in %.1f s", code, took[code])
    return took


def freeze_start_up() -> None:
    """Collect the garbage the start made, then move every object left into the garbage
    collector's permanent generation (gc.freeze): kept for the worker's life, never
    traversed again. Call it last before the first claim.

    Why: after a warm start a worker holds ~175,000 objects (modules, word data, caches),
    and the full collection the start left due came a few thousand allocations into the
    first jobs: 100–220 ms inside the first or second job (gc.callbacks in `opad worker`,
    2026-12-08), most of what a warm Japanese worker's first job still paid over the next
    (docs/benchmarks.md §12). Frozen, a full collection walks only what jobs made since.
    The price: an object frozen here that later becomes cyclic garbage is never freed;
    what a start makes is kept for the worker's life anyway."""
    gc.collect()
    gc.freeze()
