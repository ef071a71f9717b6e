"""What one job's crew learns as it runs: search results, the chosen article, warnings."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from opad.engines.base import EngineError, GenerationRequest
from opad.engines.crew.search import SearchResult


@dataclass
class JobState:
    """Shared by a job's search tool and guardrails (all in its kickoff thread)."""

    request: GenerationRequest
    report: Callable[[int, str], None]
    limit: int = 3
    results: dict[str, SearchResult] = field(default_factory=dict)
    searches: int = 0
    search_error: EngineError | None = None
    chosen: SearchResult | None = None
    article: str = ""  # the text the writer adapts, for a rewrite request
    rewrites: int = 0
    warnings: list[str] = field(default_factory=list)
    rejections: dict[str, str] = field(default_factory=dict)  # step -> last reason
    lock: threading.Lock = field(default_factory=threading.Lock)

    def remember(self, results: list[SearchResult]) -> None:
        """Record what a search returned: the only URLs the crew may cite."""
        with self.lock:
            self.searches += 1
            for result in results:
                self.results.setdefault(result.url, result)

    def search_failed(self, error: EngineError) -> None:
        """Record a failed search (reported if the crew ends up with nothing)."""
        with self.lock:
            self.searches += 1
            self.search_error = error

    def urls(self) -> list[str]:
        """The URLs the search returned, in order."""
        with self.lock:
            return list(self.results)
