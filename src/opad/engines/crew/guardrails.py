"""Task guardrails: check each task's structured output before the next task sees it.

A guardrail returns (False, reason) to make CrewAI re-run the task once with that reason,
or (True, output) with the output replaced by its verified form: articles carry the
search's own text, source and author (never the LLM's copy), and the adapted text is
within ±25% of the target length and at the level asked (by the shared estimator), or
carries a warning for each.

No `from __future__ import annotations` here: CrewAI checks a guardrail's return
annotation at runtime and would reject it as a string.
"""

import json
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from crewai.tasks.task_output import TaskOutput
from pydantic import BaseModel

from opad.engines.base import EngineError
from opad.engines.crew import editor, fallbacks
from opad.engines.crew.answers import read_answer
from opad.engines.crew.fallbacks import found
from opad.engines.crew.models import (
    AdaptedArticle,
    ArticleChoice,
    FoundArticles,
    QuizList,
    VocabularyList,
)
from opad.engines.crew.progress import LENGTH_FIX_PERCENT
from opad.engines.crew.search import SearchResult
from opad.engines.crew.state import JobState
from opad.engines.crew.warm import language_data
from opad.engines.level_check import MAX_SHARE_ABOVE, LevelCheck, check_level
from opad.languages import language_by_name
from opad.text import count_units, length_unit
from opad.text.estimator import LevelEstimator

log = logging.getLogger("opad.engines.crew")
TOLERANCE = 0.25
FIND, PICK = "find_news_articles", "pick_best_article"
Guardrail = Callable[[TaskOutput], tuple[bool, Any]]
M = TypeVar("M", bound=BaseModel)

_LEADING_NOISE = re.compile(r"^\s*(#.*|\*\*Source:?\*\*.*|Source:.*)\n+", re.I)


def length_bounds(length: int) -> tuple[int, int]:
    """The accepted lengths around a target length (words; characters in ko/ja/zh)."""
    return round(length * (1 - TOLERANCE)), round(length * (1 + TOLERANCE))


def parse(output: TaskOutput, model: type[M]) -> M | str:
    """The task's output as `model`, or a short reason why it is not one (the text is read
    leniently: JSON in prose or fences, small syntax slips; see answers.py)."""
    if isinstance(output.pydantic, model):
        return output.pydantic
    return read_answer(output.raw, model, None)


def _accept(output: TaskOutput, value: BaseModel, raw: str | None = None) -> tuple[bool, Any]:
    output.pydantic = value
    output.json_dict = None
    output.raw = raw if raw is not None else value.model_dump_json()
    return True, output


def _reject(state: JobState, step: str, reason: str) -> tuple[bool, Any]:
    state.rejections[step] = reason
    return False, reason


def _url_list(state: JobState) -> str:
    return ", ".join(state.urls()) or "(none)"


def find_guardrail(state: JobState) -> Guardrail:
    """Keep only articles the search returned, with the search's own text and author; when
    the model's report is still unusable on its last try (invented URLs, broken JSON, no
    search), the search's own results stand in."""

    def check(output: TaskOutput) -> tuple[bool, Any]:
        last = state.last_try(FIND)
        parsed = parse(output, FoundArticles)
        if isinstance(parsed, str):
            return _fall_back_or_reject(state, output, last, f"Invalid answer: {parsed}.")
        if not state.results:
            if state.searches and state.search_error is not None:
                raise state.search_error
            if state.searches:
                raise EngineError(
                    f"the news search found nothing about {state.request.topic!r} "
                    f"in {state.request.language}"
                )
            return _fall_back_or_reject(
                state, output, last, "Call the search tool first; report what it returns."
            )
        chosen = [state.results[a.url] for a in parsed.articles if a.url in state.results]
        if not chosen:
            return _fall_back_or_reject(
                state,
                output,
                last,
                "None of these URLs came from the search tool. Report only articles it "
                f"returned: {_url_list(state)}",
            )
        return _accept_found(output, chosen)

    return check


def _accept_found(output: TaskOutput, chosen: list[SearchResult]) -> tuple[bool, Any]:
    # The picker reads this as its context: the search tool's excerpts and word counts
    # are enough to choose, so the full texts (kept in `state`) are not sent again.
    excerpts = json.dumps({"articles": [r.for_llm() for r in chosen]}, ensure_ascii=False)
    return _accept(output, FoundArticles(articles=[found(r) for r in chosen]), excerpts)


def _fall_back_or_reject(
    state: JobState, output: TaskOutput, last: bool, reason: str
) -> tuple[bool, Any]:
    if last:
        fallback = fallbacks.search_results(state, reason)
        if fallback is not None:
            log.info("find_news_articles: using the search's own results (%s)", reason)
            return _accept_found(output, [state.results[a.url] for a in fallback.articles])
        if state.search_error is not None:
            raise state.search_error
    return _reject(state, FIND, reason)


def pick_guardrail(state: JobState) -> Guardrail:
    """The chosen URL must be a search result; the adapt task then gets that article."""

    def check(output: TaskOutput) -> tuple[bool, Any]:
        last = state.last_try(PICK)
        parsed = parse(output, ArticleChoice)
        if isinstance(parsed, str) and last:
            parsed = _picked_by_opad(state, parsed)
        if isinstance(parsed, str):
            return _reject(state, "pick_best_article", f"Invalid answer: {parsed}.")
        result = state.results.get(parsed.url)
        if result is None and last:
            parsed = _picked_by_opad(state, f"invented URL {parsed.url}")
            if isinstance(parsed, str):
                return _reject(state, "pick_best_article", parsed)
            result = state.results.get(parsed.url)
        if result is None:
            return _reject(
                state,
                "pick_best_article",
                f"The URL {parsed.url} is not one of the articles the search returned. "
                f"Choose one of: {_url_list(state)}",
            )
        state.chosen = result
        state.article = article_block(result)
        verified = ArticleChoice(
            url=result.url,
            title=result.title,
            source=result.source,
            date=result.date,
            author=result.author,
            rationale=parsed.rationale,
        )
        # The writer reads this as its context: the verified article in full.
        return _accept(output, verified, article_block(result, parsed.rationale))

    return check


def _picked_by_opad(state: JobState, reason: str) -> ArticleChoice | str:
    choice = fallbacks.pick(state)(reason)
    return choice if isinstance(choice, ArticleChoice) else reason


def article_block(result: SearchResult, rationale: str = "") -> str:
    """An article as the writer sees it."""
    meta = {
        "title": result.title,
        "source": result.source,
        "url": result.url,
        "date": result.date,
        "author": result.author,
    }
    why = f"Why it was chosen: {rationale}\n" if rationale else ""
    return f"Chosen article: {json.dumps(meta, ensure_ascii=False)}\n{why}\n{result.text}"


def adapt_guardrail(state: JobState) -> Guardrail:
    """Strip what OPAD adds itself; ask for ONE rewrite when the length is off by > 25% or
    the text is above the level asked (naming the words and sentences to simplify); a
    rewrite still off is accepted with a warning per measure it misses."""
    target = state.request.length
    level = state.request.level
    low, high = length_bounds(target)
    code = language_by_name(state.request.language).code

    def check(output: TaskOutput) -> tuple[bool, Any]:
        parsed = parse(output, AdaptedArticle)
        if isinstance(parsed, str):
            return _reject(state, "adapt_news_article", f"Invalid answer: {parsed}.")
        if "adapt_news_article" in state.fallbacks:
            # The leveler's own reading of the source (fallbacks.adapt): nothing to ask the
            # writer for, and its sentences are the source's.
            return _accept(output, parsed)
        body = parsed.body.strip()
        while _LEADING_NOISE.match(body):
            body = _LEADING_NOISE.sub("", body, count=1)
        title = parsed.title.strip()
        found = editor.review(
            code,
            state.request.language,
            title,
            body,
            state.instructions,
            state.article,
            state.request.topic or "",
        )
        if state.rewrites > 0 and not found.fine:
            # The one rewrite request is spent: drop what is wrong, say what was done.
            source_title = state.chosen.title if state.chosen else state.source_title
            title, body, notices = editor.settle(
                found, state.request.language, title, body, source_title
            )
            state.warnings.extend(notices)
        words = count_units(code, body)  # characters in Korean, Japanese and Chinese
        unit = length_unit(code)
        length_off = not low <= words <= high
        with language_data(state.request.language, "level check"):
            measured = check_level(LevelEstimator(state.request.language), body, level)
        if (length_off or measured.too_hard or not found.fine) and state.rewrites == 0:
            state.rewrites += 1
            asks = found.requests(state.request.language)
            if length_off:
                asks.append(
                    f"The text has {words} {unit}; it must have between {low} and {high} "
                    f"(about {target}). Rewrite it to that length, same level, same facts."
                )
            if measured.too_hard:
                asks.append(_simplify_request(measured, target, unit))
            message = "Making it easier…" if measured.too_hard else "Adjusting the length…"
            if not found.fine:
                message = "Correcting the text…"
            state.report(LENGTH_FIX_PERCENT, message)
            # A retry's context is only this reason, so it carries the article again.
            original = f"\n\nThe article to rewrite:\n{state.article}" if state.article else ""
            return _reject(state, "adapt_news_article", " ".join(asks) + original)
        if length_off:
            state.warnings.append(
                f"the article has {words} {unit} instead of about {target} "
                "(the model missed the length twice)"
            )
        if measured.too_hard:
            state.warnings.append(
                f"this text is harder than {level.value}: {measured.describe()} "
                "(the model was asked to simplify it and could not)"
            )
        return _accept(output, AdaptedArticle(title=title, body=body))

    return check


def _simplify_request(measured: LevelCheck, target: int, unit: str = "words") -> str:
    """The rewrite request for a text above the level: which words, which sentences."""
    level = measured.level.value
    sentences = " ".join(f"- {s}" for s in measured.hard_sentences)
    return (
        f"The text is too hard for {level}: {round(measured.share_above * 100)}% of its "
        f"words are above {level} (at most {round(MAX_SHARE_ABOVE * 100)}% may be). Replace "
        f"these words with simpler ones a {level} learner knows, or explain them in easy "
        f"words: {', '.join(measured.hard_words)}. Split and simplify these sentences: "
        f"{sentences} Keep the facts and about {target} {unit}."
    )


def vocabulary_guardrail(state: JobState) -> Guardrail:
    """Only checks the structure; the level filter runs once the text is final."""

    def check(output: TaskOutput) -> tuple[bool, Any]:
        last = state.last_try("add_vocabulary")
        parsed = parse(output, VocabularyList)
        if isinstance(parsed, str) and last:
            return _accept(output, fallbacks.vocabulary(state)(parsed) or VocabularyList(items=[]))
        if isinstance(parsed, str):
            return _reject(state, "add_vocabulary", f"Invalid answer: {parsed}.")
        return _accept(output, parsed)

    return check


def questions_guardrail(state: JobState) -> Guardrail:
    """Only checks the structure: each answer is checked against the final text in
    engines/crew/questions.py (a question the text does not support is dropped there).
    A questions step that still fails does not fail the reading (see job.py)."""

    def check(output: TaskOutput) -> tuple[bool, Any]:
        last = state.last_try("add_questions")
        parsed = parse(output, QuizList)
        if isinstance(parsed, str) and last:
            return _accept(output, fallbacks.questions(state)(parsed) or QuizList(questions=[]))
        if isinstance(parsed, str):
            return _reject(state, "add_questions", f"Invalid answer: {parsed}.")
        return _accept(output, parsed)

    return check
