"""The crew engine: one CrewAI crew per job, many jobs at once in one worker process."""

from __future__ import annotations

from typing import Any

from opad.engines.base import GenerationRequest, GenerationResult, ProgressFn
from opad.engines.crew.runtime import load_crewai
from opad.engines.sources import SourceText
from opad.settings import Settings

AGENTS = ("news_finder", "article_picker", "writer")


def _budget(settings: Settings) -> Any:
    """The shared provider budget on the queue's Redis, when a limit is set."""
    if not (settings.llm_requests_per_minute or settings.llm_tokens_per_minute):
        return None
    from opad.bootstrap import resolve_redis_url
    from opad.engines.crew.budget import ProviderBudget

    return ProviderBudget.from_url(
        resolve_redis_url(settings),
        settings.llm_requests_per_minute,
        settings.llm_tokens_per_minute,
    )


class CrewEngine:
    """Find → pick → adapt → vocabulary with CrewAI; thread-safe (nothing shared per job)."""

    name = "crew"

    def __init__(self, settings: Settings) -> None:
        load_crewai(settings.data_path)  # before anything below imports CrewAI
        from opad.engines.crew import executor, job, progress
        from opad.engines.crew.clients import pin_parsed_types
        from opad.engines.crew.crew import model_name
        from opad.engines.crew.fetch import Fetcher
        from opad.engines.crew.models import (
            AdaptedArticle,
            ArticleChoice,
            FoundArticles,
            VocabularyList,
        )
        from opad.engines.crew.search import build_search

        progress.install()
        executor.install()
        pin_parsed_types([FoundArticles, ArticleChoice, AdaptedArticle, VocabularyList])
        self._job = job
        self.settings = settings
        self.search = build_search(settings)
        self.fetcher = Fetcher.from_settings(settings)
        self.model = ", ".join(dict.fromkeys(model_name(settings, a) for a in AGENTS))
        self.budget = _budget(settings)

    def _given_source(self, request: GenerationRequest, progress: ProgressFn) -> SourceText | None:
        if request.source_text:
            from opad.engines.titles import title_from_text

            # The text's own heading or first sentence, not the topic (it may be another).
            title = title_from_text(request.source_text, request.language)
            return SourceText(title=title, body=request.source_text, name="Your text")
        if request.source_url:
            progress(8, "Fetching the page…")
            return self.fetcher.page(request.source_url)
        return None

    def generate(self, request: GenerationRequest, progress: ProgressFn) -> GenerationResult:
        """Run this job's crew and assemble the article."""
        given = self._given_source(request, progress)
        return self._job.run_job(
            self.settings, self.search, self.model, request, given, progress, self.budget
        )
