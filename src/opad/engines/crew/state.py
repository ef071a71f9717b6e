"""What one job's crew learns as it runs: search results, the chosen article, warnings."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from opad.engines.base import EngineError, GenerationRequest
from opad.engines.crew.search import SearchResult

GUARDRAIL_RETRIES = 1  # one re-run with the reason (e.g. the one rewrite for length)


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
    source_title: str = ""  # the given text's title (a topic reading has `chosen`)
    source_body: str = ""  # the given text itself
    instructions: str = ""  # what the writer was told, to find it echoed (editor.py)
    rewrites: int = 0
    warnings: list[str] = field(default_factory=list)
    rejections: dict[str, str] = field(default_factory=dict)  # step -> last reason
    checks: dict[str, int] = field(default_factory=dict)  # step -> guardrail runs so far
    fallbacks: dict[str, str] = field(default_factory=dict)  # step -> why OPAD stood in
    budget: Any = None  # budget.ProviderBudget shared by the worker's jobs, if configured
    note: Callable[[str], None] | None = None  # a progress message without moving the bar
    # Runs the news search outside the finder (the fallback when it never searched).
    search_now: Callable[[str], list[SearchResult]] | None = None
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

    def last_try(self, step: str) -> bool:
        """Count one guardrail run of `step`; True when no guardrail retry is left."""
        with self.lock:
            self.checks[step] = self.checks.get(step, 0) + 1
            return self.checks[step] > GUARDRAIL_RETRIES

    def urls(self) -> list[str]:
        """The URLs the search returned, in order."""
        with self.lock:
            return list(self.results)
