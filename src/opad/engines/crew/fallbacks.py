"""What a task falls back on when the model's answer stays unusable: what the tools returned.

A reading fails only when no text could be made. The finder's report and the picker's
choice are only ever a selection of the search's own results, so when the model cannot
give a usable one (invented URLs, broken JSON) the search results themselves stand in, in
the search's order. A vocabulary list or questions that cannot be read leave the list
empty; the job then fills it from the text with the leveler's picker (job.py), and the
reading says so.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from opad.engines.crew.models import (
    AdaptedArticle,
    ArticleChoice,
    FoundArticle,
    FoundArticles,
    QuizList,
    VocabularyList,
)
from opad.engines.crew.search import SearchResult
from opad.engines.crew.state import JobState

Fallback = Callable[[str], BaseModel | None]
PICKED_BY_OPAD = "OPAD took the search's best match: the model's choice could not be used"


def found(result: SearchResult) -> FoundArticle:
    """A search result as the finder reports one."""
    return FoundArticle(
        title=result.title,
        source=result.source,
        url=result.url,
        date=result.date,
        author=result.author,
        text=result.text,
    )


def search_results(state: JobState, reason: str) -> FoundArticles | None:
    """The search's own results in its order (searching now if the finder never did), or
    None when there are none."""
    if not state.results and not state.searches and state.search_now is not None:
        topic = state.request.topic or ""
        state.remember(state.search_now(topic))
    urls = state.urls()[: state.limit]
    if not urls:
        return None
    state.fallbacks["find_news_articles"] = reason
    return FoundArticles(articles=[found(state.results[u]) for u in urls])


def pick(state: JobState) -> Fallback:
    """The picker's fallback: the first search result."""

    def fallback(reason: str) -> BaseModel | None:
        urls = state.urls()
        if not urls:
            return None
        result = state.results[urls[0]]
        state.fallbacks["pick_best_article"] = reason
        return ArticleChoice(
            url=result.url,
            title=result.title,
            source=result.source,
            date=result.date,
            author=result.author,
            rationale=PICKED_BY_OPAD,
        )

    return fallback


def vocabulary(state: JobState) -> Fallback:
    """An empty list, for the leveler's picker to fill (job.py)."""

    def fallback(reason: str) -> BaseModel | None:
        state.fallbacks["add_vocabulary"] = reason
        return VocabularyList(items=[])

    return fallback


LEVELED_NOTICE = (
    "the language model's rewrite could not be used: this reading keeps the source's own "
    "sentences, chosen for your level"
)


def adapt(state: JobState) -> Fallback:
    """The leveler's reading of the same source (its own sentences chosen for the level,
    engines/leveler.py) when the writer's rewrite stays unreadable: a reading fails only
    when no text could be made."""

    def fallback(reason: str) -> BaseModel | None:
        from opad.engines.leveler import TOLERANCE, LevelerEngine
        from opad.engines.selection import paragraphs, select
        from opad.text.estimator import LevelEstimator

        text = state.chosen.text if state.chosen else state.source_body
        title = state.chosen.title if state.chosen else state.source_title
        request = state.request
        estimator = LevelEstimator(request.language)
        code = estimator.code
        sentences = LevelerEngine._sentences(text, code)
        if not sentences:
            return None
        kept = select(code, sentences, estimator, request.level, request.length, TOLERANCE)
        glue = "" if code in ("ja", "zh") else " "
        body = "\n\n".join(glue.join(p) for p in paragraphs(kept, sentences, code))
        if not body.strip():
            return None
        state.fallbacks["adapt_news_article"] = reason
        state.warnings.append(LEVELED_NOTICE)
        return AdaptedArticle(title=title or request.topic or "", body=body)

    return fallback


def questions(state: JobState) -> Fallback:
    """No questions: the worker makes its own from the text."""

    def fallback(reason: str) -> BaseModel | None:
        state.fallbacks["add_questions"] = reason
        return QuizList(questions=[])

    return fallback
