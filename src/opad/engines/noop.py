"""The no-op engine, for benchmarks and queue tests: a tiny fixed article, no real work.

With `OPAD_NOOP_SECONDS` it takes that long, in four steps that report progress (so
cancellation, timeouts and crashes can be tested on a job that is really in progress).
"""

from __future__ import annotations

import time

from opad.engines.base import GenerationRequest, GenerationResult, ProgressFn, Source

STEPS = 4


class NoopEngine:
    """Measures the queue, not generation."""

    name = "noop"

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds

    def generate(self, request: GenerationRequest, progress: ProgressFn) -> GenerationResult:
        """Return the fixed result (after `seconds`, if set)."""
        if self.seconds:
            for step in range(STEPS):
                progress(10 + step * 20, f"Step {step + 1} of {STEPS}…")
                time.sleep(self.seconds / STEPS)
        return GenerationResult(
            title=f"No-op: {request.topic}",
            markdown=f"# No-op: {request.topic}\n\nThis is a benchmark article.\n",
            source=Source(name="noop"),
            word_count=5,
        )
