"""One job's run: build its crew, kick it off under its own tracker, assemble the article."""

from __future__ import annotations

import logging
from typing import Any

from opad.engines.base import (
    EngineError,
    GenerationRequest,
    GenerationResult,
    ProgressFn,
    Source,
    VocabularyItem,
    reading_sink,
)
from opad.engines.crew.clients import share_generic_cache
from opad.engines.crew.crew import (
    ADAPT,
    GIVEN_SOURCE_STEPS,
    QUESTIONS,
    SEARCH_STEPS,
    VOCABULARY,
    build_crew,
    crew_inputs,
    step_models,
    writer_instructions,
)
from opad.engines.crew.errors import to_engine_error
from opad.engines.crew.models import AdaptedArticle, QuizList, VocabularyList
from opad.engines.crew.progress import SAVING, JobTracker, tracking
from opad.engines.crew.questions import checked_questions
from opad.engines.crew.reading import GrowingReading
from opad.engines.crew.search import NewsSearch, SearchResult
from opad.engines.crew.state import JobState
from opad.engines.crew.vocabulary import filter_vocabulary
from opad.engines.crew.warm import language_data
from opad.engines.leveler import LevelerEngine
from opad.engines.sources import SourceText
from opad.languages import language_by_name
from opad.prices import cost_usd
from opad.reading.layout import article_markdown
from opad.settings import Settings
from opad.text import count_units
from opad.text.estimator import LevelEstimator

log = logging.getLogger("opad.engines.crew")


def _source(chosen: SearchResult | None, given: SourceText | None) -> Source:
    if chosen is not None:
        return Source(
            name=chosen.source,
            # The library's pseudo-URLs identify a text; they are not links.
            url=None if chosen.url.startswith("library:") else chosen.url,
            date=chosen.date,
            author=chosen.author,
            title=chosen.title,
        )
    if given is None:  # the pick guardrail sets `chosen` whenever there was no given text
        raise EngineError("the crew did not choose an article")
    return Source(
        name=given.name, url=given.url, date=given.date, author=given.author, title=given.title
    )


def _filled(
    items: list[VocabularyItem], body: str, request: GenerationRequest, state: JobState
) -> list[VocabularyItem]:
    """The model's vocabulary, or the leveler's pick from the text when none of the
    model's words could be kept (its list was unreadable, not in the text, or below the
    level); the reading then says so."""
    if items:
        return items
    estimator = LevelEstimator(request.language)
    picked = LevelerEngine.vocabulary(
        LevelerEngine._sentences(body, estimator.code), estimator, request.level, body
    )
    if picked:
        state.warnings.append(
            "the vocabulary was picked by OPAD from the text: the language model's list "
            "could not be used"
        )
    return picked


def run_job(
    settings: Settings,
    search: NewsSearch,
    model: str,
    request: GenerationRequest,
    given: SourceText | None,
    progress: ProgressFn,
    budget: Any = None,
) -> GenerationResult:
    """Run the crew for one request (with `given`, the text to adapt: no search)."""
    share_generic_cache()
    sink = reading_sink()
    tracker = JobTracker(
        progress,
        request.level.value,
        GIVEN_SOURCE_STEPS if given else SEARCH_STEPS,
        GrowingReading(sink) if sink else None,
    )
    state = JobState(request, tracker.report, limit=settings.search_results)
    state.note = tracker.note
    state.budget = budget
    if not given:
        state.search_now = lambda query: search.search(query, request.language, state.limit)
    state.article = f"{given.title}\n\n{given.body}" if given else ""
    crew, tasks = build_crew(settings, state, None if given else search)
    topic = request.topic or (given.title if given else "")
    inputs = crew_inputs(state, topic, state.article or None)
    state.instructions = writer_instructions(inputs)
    state.source_title = given.title if given else ""
    state.source_body = given.body if given else ""
    with tracking(tracker, [str(t.id) for t in tasks]):
        try:
            crew.kickoff(inputs=inputs)
        except Exception as exc:
            tracker.check()  # a stopped job stops, whatever CrewAI made of it
            stuck = next((t for t in tasks if t.output is None), None)
            failed = stuck.name if stuck is not None else None
            if failed != QUESTIONS:
                log.info("crew failed at %s: %r", failed, exc)
                shape = getattr(stuck, "output_pydantic", None)
                raise to_engine_error(
                    exc,
                    step=failed,
                    model=model,
                    timeout=settings.llm_timeout_seconds,
                    expected=shape.__name__ if shape is not None else None,
                ) from exc
            # The last step, and an extra: the reading stands, with the questions the
            # worker makes from the text itself.
            log.warning("crew questions step failed, reading kept: %r", exc)
    tracker.check()
    outputs = {t.name: t.output.pydantic if t.output else None for t in tasks}
    adapted, vocabulary = outputs.get(ADAPT), outputs.get(VOCABULARY)
    quiz = outputs.get(QUESTIONS)
    if not isinstance(adapted, AdaptedArticle) or not isinstance(vocabulary, VocabularyList):
        raise EngineError("the crew ended without an article and its vocabulary")
    source = _source(state.chosen, given)
    title = adapted.title or source.title or topic
    with language_data(request.language, "vocabulary and questions"):
        items = filter_vocabulary(vocabulary.items, adapted.body, request.language, request.level)
        items = _filled(items, adapted.body, request, state)
        code = language_by_name(request.language).code
        asked = quiz.questions if isinstance(quiz, QuizList) else []
        questions = checked_questions(code, adapted.body, asked)
    progress(*SAVING)
    usage = tracker.result_usage(model)
    usage.cost_usd = cost_usd(settings.price_table, usage.by_step, step_models(settings))
    return GenerationResult(
        title=title,
        markdown=article_markdown(title, source, adapted.body, items),
        source=source,
        vocabulary=items,
        usage=usage,
        word_count=count_units(code, adapted.body),
        warnings=state.warnings,
        questions=questions,
    )
