"""What a job does after its engine wrote the reading: a visible pipeline, in order.

    engine → analyze → meanings → questions → audio → (store: text, result, typed body,
    known-words index)

1. `analyze`: the reading's markdown → its typed body (opad.reading.analyze): the one
   tokenization of the reading, for every engine (leveler, crew, noop).
2. `meanings`: vocabulary items without a definition (the leveler's, all of them) get the
   translations an installed bilingual dictionary has, in the result and in the
   markdown's vocabulary section, so the list under the reading says what its words mean.
3. `questions`: the crew's own questions kept, the rest made from the typed sentences.
4. `audio`: the typed sentences spoken (not the title, the source line or the vocabulary).
5. The known-words index is written with the result, in the finishing transaction
   (`index_counts`: the typed body's lemma counts; no tokenizing there either).

Each step takes the `Made` so far and returns it: a step that fails logs and passes it on
(questions, audio and the typed body are extras; the reading itself still succeeds — a
reading without its typed body is analyzed later, once, by opad.worker.convert).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from opad.audio.step import with_audio
from opad.bootstrap import Services
from opad.engines.base import GenerationResult, ProgressFn
from opad.questions.step import translated, with_questions
from opad.reading.analyze import analyze
from opad.reading.layout import with_vocabulary
from opad.reading.model import ReadingBody

log = logging.getLogger("opad.worker")


@dataclass(frozen=True)
class StepContext:
    """What every step may use: the services, the article, its language (ISO 639-1)."""

    services: Services
    article_id: str
    code: str
    progress: ProgressFn


@dataclass(frozen=True)
class Made:
    """The engine's result and, once analyzed, the reading's typed body."""

    result: GenerationResult
    body: ReadingBody | None = None


Step = Callable[[StepContext, Made], Made]


def analyze_step(ctx: StepContext, made: Made) -> Made:
    """The typed body of the engine's markdown (None, logged, if the analysis fails)."""
    try:
        body = analyze(made.result.markdown, ctx.code, made.result.vocabulary)
    except Exception:
        log.exception("article %s: the reading could not be analyzed now", ctx.article_id)
        return made
    return replace(made, body=body)


def meanings_step(ctx: StepContext, made: Made) -> Made:
    """Definitions for the vocabulary items that have none (see `translated`: English
    translations from FreeDict-style dictionaries; English readings keep theirs)."""
    vocabulary = made.result.vocabulary
    folders = ctx.services.settings.dictionary_folders
    if not folders or all(item.definition.strip() for item in vocabulary):
        return made
    try:
        filled = translated(ctx.code, vocabulary, folders)
    except Exception:
        log.exception("article %s: no meanings for the vocabulary now", ctx.article_id)
        return made
    if filled == list(vocabulary):
        return made
    result = made.result.model_copy(
        update={"vocabulary": filled, "markdown": with_vocabulary(made.result.markdown, filled)}
    )
    return replace(made, result=result)


def questions_step(ctx: StepContext, made: Made) -> Made:
    """The reading's questions, from its typed sentences and vocabulary."""
    if made.body is None:
        return made
    folders = ctx.services.settings.dictionary_folders
    return replace(made, result=with_questions(made.body, made.result, folders))


def audio_step(ctx: StepContext, made: Made) -> Made:
    """The typed sentences spoken and stored (a warning on the result when it fails)."""
    if made.body is None:
        return made
    spoken = with_audio(ctx.services, ctx.article_id, made.body, made.result, ctx.progress)
    return replace(made, result=spoken)


STEPS: tuple[Step, ...] = (analyze_step, meanings_step, questions_step, audio_step)
# The noop engine's fixed sample measures the queue, not a reading (docs/benchmarks.md §3):
# it is analyzed (the reader and the known-words index need its typed body), but gets no
# questions and no audio, which are a real reading's work (milliseconds to seconds of CPU).
SAMPLE_STEPS: tuple[Step, ...] = (analyze_step,)


def steps_for(engine_name: str) -> tuple[Step, ...]:
    """The steps a reading made by `engine_name` goes through."""
    return SAMPLE_STEPS if engine_name == "noop" else STEPS


def after_engine(
    ctx: StepContext, result: GenerationResult, steps: tuple[Step, ...] = STEPS
) -> Made:
    """Run `steps` (every step by default) on the engine's result, in order."""
    made = Made(result)
    for step in steps:
        made = step(ctx, made)
    return made


def index_counts(made: Made) -> tuple[str, dict[str, int]] | None:
    """(language code, {lemma: running words}) for the known-words index, or None when
    the reading has no typed body yet (it is indexed once converted)."""
    if made.body is None:
        return None
    return made.body.language, made.body.lemma_counts()
