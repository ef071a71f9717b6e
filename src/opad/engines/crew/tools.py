"""The finder's search tool: one instance per job, so it can record what the search returned."""

from __future__ import annotations

import json
from typing import Any

from crewai.tools import BaseTool
from pydantic import BaseModel, Field, PrivateAttr

from opad.engines.base import EngineError
from opad.engines.crew.models import CachedSchema
from opad.engines.crew.search import NewsSearch
from opad.engines.crew.state import JobState


class SearchArgs(CachedSchema):  # its schema goes with every finder request
    query: str = Field(description="What to search for, in the language of the articles")


class NewsSearchTool(BaseTool):
    """Searches recent news and returns each article's full text as JSON."""

    name: str = "search_news"
    description: str = (
        "Search recent news articles. Returns a JSON list of articles, each with title, "
        "source, url, date, author (null when the page names none), its length in words "
        "and the start of its text."
    )
    args_schema: type[BaseModel] = SearchArgs
    _backend: Any = PrivateAttr()
    _state: Any = PrivateAttr()

    def __init__(self, backend: NewsSearch, state: JobState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._backend = backend
        self._state = state

    def _run(self, query: str, **_: Any) -> str:
        state: JobState = self._state
        try:
            results = self._backend.search(query, state.request.language, state.limit)
        except EngineError as exc:
            # The LLM only sees a message; the engine reports the real error if nothing is found.
            state.search_failed(exc)
            return f"The search failed: {exc}"
        state.remember(results)
        if not results:
            return "No articles found. Try other words."
        return json.dumps([r.for_llm() for r in results], ensure_ascii=False)
